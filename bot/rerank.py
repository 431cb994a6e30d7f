"""The LLM reranker: a small causal LM (plus a LoRA adapter) scores retrieval's top candidates.

Scores come from one forward pass, never from generated titles, so the reranker can only
reorder catalog items it was given. Two readouts share the same user profile text:

- listwise ("verbalizer", as in LlamaRec): the candidates are listed with letter labels and the
  score of each is the log-probability of its label at the answer position;
- pointwise: the profile and all candidates go through the model as one packed sequence in which
  each candidate sees only the profile and itself, and the score is logit(" yes") - logit(" no")
  after "Good fit?".

`finetune/` trains the adapter with exactly these prompt builders and readouts (`label_logits`,
`pointwise_logits`), so training and serving cannot drift apart.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from bot.words import RERANK_PROFILE, describe_state, kind_of

if TYPE_CHECKING:
    from bot.state import DialogueState
    from retrieval import Item

log = logging.getLogger(__name__)

CONFIG_NAME = "reranker.json"  # beside peft's adapter_config.json: how to rebuild the base and prompt
# Bump when profile_text, candidate_text or the prompt builders change: adapters trained on another
# version read different text than they were trained on, and loading them is refused.
PROMPT_VERSION = 1
LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # " A" .. " Z" are single tokens in the packaged tokenizers
MODES = ("listwise", "pointwise")
PRECISIONS = ("auto", "float32", "bfloat16")


@dataclass
class RerankerConfig:
    """What an adapter was trained on, saved beside it (peft-style save_pretrained/from_pretrained):
    the base model spec, how many of its layers are kept, the readout, and the prompt version."""

    base: str = "packaged-small"  # a packaged name, a .gguf file, a local folder or a hub id
    layers: int | None = None  # keep only the first N transformer layers (faster serving); None = all
    mode: str = "listwise"
    prompt_version: int = PROMPT_VERSION

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"rerank mode must be one of {MODES}, not {self.mode!r}")

    def save_pretrained(self, directory: str | Path) -> None:
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        (path / CONFIG_NAME).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def from_pretrained(cls, directory: str | Path) -> RerankerConfig:
        """Read an adapter's config; refuses one trained on another prompt version."""
        path = Path(directory) / CONFIG_NAME
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found: adapter folders saved by "
                                    "`python -m finetune train` have one")
        raw = json.loads(path.read_text())
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"{path}: unknown field(s) {unknown}")
        config = cls(**raw)
        if config.prompt_version != PROMPT_VERSION:
            raise ValueError(f"{path}: the adapter was trained on prompt version {config.prompt_version}, "
                             f"this code builds version {PROMPT_VERSION}; retrain it with "
                             "`python -m finetune data` and `python -m finetune train`")
        return config

    def load_base(self, cache_dir: Path | None = None, threads: int = 1):
        """The base model cut to `layers`, and its tokenizer."""
        from bot.models import load_llm

        model, tokenizer = load_llm(self.base, cache_dir=cache_dir, threads=threads)
        truncate_layers(model, self.layers)
        return model, tokenizer


# -- text -------------------------------------------------------------------------------------


def profile_text(
    summary: dict, liked_titles: Sequence[str], utterance: str = "", max_chars: int = 160
) -> str:
    """What the reranker knows about the user: the "what I understood" summary in words,
    newest likes first, and the latest message (short: every token costs ~3 ms on this CPU)."""
    parts = describe_state(summary, liked_titles, RERANK_PROFILE)
    text = "User: " + ("; ".join(parts) if parts else "no stated tastes yet") + "."
    said = " ".join(str(utterance).split())[:max_chars]
    if said:
        text += f'\nSaid: "{said}"'
    return text


def candidate_text(item: Item, likes: Sequence[str] = ()) -> str:
    """One short line per candidate: title, year, kind, two tags (those the user asked for first,
    so the evidence for a fit is visible), one creator."""
    head = item.title[:60] + (f" ({item.year})" if item.year else "")
    wanted = {w.lower() for w in likes}
    ordered = sorted((t.lower() for t in item.tags), key=lambda t: t not in wanted)
    tags = ", ".join(ordered[:2])
    kind = kind_of(item.domain)
    line = f"{head}, {kind}" + (f": {tags}" if tags else "")
    if item.creators:
        line += f"; {item.creators[0][:30]}"
    return line


def listwise_prompt(profile: str, candidates: Sequence[str]) -> str:
    if len(candidates) > len(LABELS):
        raise ValueError(f"at most {len(LABELS)} candidates fit the listwise prompt")
    options = "\n".join(f"{LABELS[n]}. {c}" for n, c in enumerate(candidates))
    return f"{profile}\nOptions:\n{options}\nBest option:"


def pointwise_prefix(profile: str) -> str:
    return f"{profile}\nOption:"


def pointwise_suffix(candidate: str) -> str:
    return f" {candidate}\nGood fit? Answer:"


# -- readouts (shared by training and serving) ------------------------------------------------


def label_token_ids(tokenizer) -> list[int]:
    ids = []
    for label in LABELS:
        toks = tokenizer(" " + label, add_special_tokens=False).input_ids
        if len(toks) != 1:
            raise ValueError(f"tokenizer splits ' {label}' into {len(toks)} tokens; listwise mode needs one")
        ids.append(toks[0])
    return ids


def yes_no_ids(tokenizer) -> tuple[int, int]:
    yes = tokenizer(" yes", add_special_tokens=False).input_ids
    no = tokenizer(" no", add_special_tokens=False).input_ids
    if len(yes) != 1 or len(no) != 1:
        raise ValueError("pointwise mode needs ' yes' and ' no' to be single tokens")
    return yes[0], no[0]


def _last_hidden(model, input_ids: torch.Tensor, attention_mask: torch.Tensor, past=None) -> torch.Tensor:
    """Hidden states of the base transformer: the LM head is applied only where it is read,
    which saves a 49k-wide projection per token."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    out = base.model(input_ids=input_ids, attention_mask=attention_mask, past_key_values=past,
                     use_cache=False)
    return out.last_hidden_state


def _head_rows(model, token_ids: Sequence[int]) -> torch.Tensor:
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return base.lm_head.weight[list(token_ids)]


def label_logits(model, input_ids: torch.Tensor, attention_mask: torch.Tensor, label_ids: Sequence[int],
                 n_candidates: Sequence[int]) -> torch.Tensor:
    """Listwise readout for a right-padded batch: logits of the label tokens at each prompt's
    last real token, with labels beyond the prompt's candidates masked to -inf. Shape [B, max n]."""
    hidden = _last_hidden(model, input_ids, attention_mask)
    last = attention_mask.sum(dim=1) - 1
    h = hidden[torch.arange(hidden.shape[0]), last]
    width = max(n_candidates)
    logits = h @ _head_rows(model, label_ids[:width]).T
    counts = torch.tensor(n_candidates, device=logits.device)
    mask = torch.arange(width, device=logits.device)[None, :] >= counts[:, None]
    return logits.float().masked_fill(mask, float("-inf"))


def pointwise_logits(model, input_ids: torch.Tensor, attention_mask: torch.Tensor, yes_no: tuple[int, int]
                     ) -> torch.Tensor:
    """Pointwise readout for a right-padded batch of full sequences: logit(yes) - logit(no). Shape [B]."""
    hidden = _last_hidden(model, input_ids, attention_mask)
    last = attention_mask.sum(dim=1) - 1
    h = hidden[torch.arange(hidden.shape[0]), last]
    rows = _head_rows(model, yes_no)
    logits = (h @ rows.T).float()
    return logits[:, 0] - logits[:, 1]


# -- serving ----------------------------------------------------------------------------------


@dataclass
class RerankTiming:
    tokens: int
    seconds: float


class LLMReranker:
    """Scores candidates for a profile. `score` returns one float per candidate (higher is better):
    log-softmax over the labels (listwise) or the yes-no margin (pointwise). `rank` is what a turn
    calls: the state, liked titles and message in, one score per catalog item out."""

    def __init__(self, model, tokenizer, mode: str = "listwise", model_id: str = "",
                 adapter: str | None = None, precision: str = "float32", threads: int | None = None,
                 max_in_flight: int | None = None):
        if mode not in MODES:
            raise ValueError(f"rerank mode must be one of {MODES}, not {mode!r}")
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.mode = mode
        self.model_id = model_id
        self.adapter = adapter
        self.precision = resolve_precision(precision)
        self.threads = threads
        self.max_in_flight = max_in_flight
        self.scored = self.skipped = 0  # calls run and calls refused as the machine was saturated
        self.label_ids = label_token_ids(tokenizer) if mode == "listwise" else []
        self.yes_no = yes_no_ids(tokenizer) if mode == "pointwise" else (0, 0)
        if mode == "pointwise":
            _use_block_attention(model.get_base_model() if hasattr(model, "get_base_model") else model)
        self.last = RerankTiming(0, 0.0)
        self._busy = 0
        self._lock = threading.Lock()

    @classmethod
    def from_pretrained(cls, adapter: str | Path | None = None, base: str | None = None,
                        mode: str | None = None, cache_dir: Path | None = None,
                        threads: int = 1, precision: str = "float32",
                        max_in_flight: int | None = None) -> LLMReranker:
        """Load the base model named by the adapter's RerankerConfig, cut to its layers, with the LoRA
        weights merged in. `base`/`mode` override the config; `adapter=None` scores with the bare base
        model (zero-shot, for comparisons). A named adapter that does not exist is an error: the
        serving path (bot.runtime) then keeps retrieval's order and says so."""
        path = Path(adapter) if adapter else None
        if path is not None and not (path / "adapter_config.json").is_file():
            raise FileNotFoundError(f"reranker adapter {path} not found (no adapter_config.json)")
        config = RerankerConfig.from_pretrained(path) if path is not None else RerankerConfig()
        if base or mode:
            config = RerankerConfig(base=base or config.base, layers=config.layers, mode=mode or config.mode,
                                    prompt_version=config.prompt_version)
        model, tokenizer = config.load_base(cache_dir=cache_dir, threads=threads)
        if path is not None:
            from peft import PeftModel

            model = PeftModel.from_pretrained(model, str(path)).merge_and_unload()
        return cls(model, tokenizer, config.mode, model_id=config.base, adapter=str(path) if path else None,
                   precision=precision, threads=threads, max_in_flight=max_in_flight)

    def rank(self, state: DialogueState, liked_titles: Sequence[str], utterance: str,
             items: Sequence[Item], others_waiting: bool = False) -> np.ndarray | None:
        """One score per item for this user (the dialogue manager's call), or None when the machine is
        saturated: other turns wait for a worker, or `max_in_flight` turns are already being reranked.
        Then this turn keeps retrieval's order rather than making everyone's picks wait."""
        if others_waiting:
            with self._lock:
                self.skipped += 1
            return None
        summary = state.summary()
        return self.score(profile_text(summary, liked_titles, utterance),
                          [candidate_text(i, summary.get("likes", [])) for i in items],
                          limit=self.max_in_flight)

    @torch.no_grad()
    def score(self, profile: str, candidates: Sequence[str], limit: int | None = None) -> np.ndarray | None:
        """Scores for the candidates; None (nothing run) when `limit` calls are already running."""
        if not candidates:
            return np.zeros(0)
        with self._lock:
            if limit is not None and self._busy >= limit:
                self.skipped += 1
                return None
            self._busy += 1
            self.scored += 1
            alone = self._busy == 1
        try:
            with _threads(self.threads if alone else 1), _precision(self.precision):
                return self._score(profile, candidates)
        finally:
            with self._lock:
                self._busy -= 1

    def _score(self, profile: str, candidates: Sequence[str]) -> np.ndarray:
        start = time.perf_counter()
        if self.mode == "listwise":
            ids = self.tokenizer(listwise_prompt(profile, candidates), return_tensors="pt").input_ids
            mask = torch.ones_like(ids)
            logits = label_logits(self.model, ids, mask, self.label_ids, [len(candidates)])[0]
            scores = torch.log_softmax(logits, dim=-1).numpy()
            tokens = ids.shape[1]
        else:
            scores, tokens = self._pointwise(profile, candidates)
        self.last = RerankTiming(tokens, time.perf_counter() - start)
        return np.asarray(scores, dtype=np.float64)

    def _pointwise(self, profile: str, candidates: Sequence[str]) -> tuple[np.ndarray, int]:
        """The profile and every candidate's suffix packed into one sequence, no padding; each suffix
        attends to the profile and to itself only (`_block_attention`), at positions that follow the
        profile's, so each score is the one its full sequence alone would get. A batch padded to the
        longest suffix cost 15-55% more tokens; a dense mask over the packed sequence cost more in
        attention than it saved (bench/results/rerank_speed.json)."""
        tok = self.tokenizer
        prefix = tok(pointwise_prefix(profile)).input_ids
        suffixes = [tok(pointwise_suffix(c), add_special_tokens=False).input_ids for c in candidates]
        blocks = Blocks.of(len(prefix), [len(s) for s in suffixes])
        ids = torch.tensor(list(prefix) + [t for s in suffixes for t in s])
        base = self.model.get_base_model() if hasattr(self.model, "get_base_model") else self.model
        out = base.model(input_ids=ids[None], position_ids=blocks.positions[None], attention_mask=blocks.mask,
                         rerank_blocks=blocks, use_cache=False)
        hidden = out.last_hidden_state[0]
        logits = (hidden[blocks.ends] @ _head_rows(self.model, self.yes_no).T).float()
        margin = (logits[:, 0] - logits[:, 1]).numpy()
        return margin, len(ids)


@dataclass
class Blocks:
    """The layout of a packed pointwise sequence: a prefix of `prefix` tokens, then one block per
    candidate. `index` [n, L] holds each block's positions in the sequence (padded with 0 where
    `valid` is False), `mask` [n, 1, L, prefix + L] what each block's tokens may attend to (the whole
    prefix, then their own block causally), `ends` each block's last position."""

    prefix: int
    index: torch.Tensor
    valid: torch.Tensor
    mask: torch.Tensor
    positions: torch.Tensor
    ends: torch.Tensor

    @classmethod
    def of(cls, prefix: int, lengths: Sequence[int]) -> Blocks:
        width = max(lengths)
        steps = torch.arange(width)
        valid = steps[None, :] < torch.tensor(lengths)[:, None]
        starts = torch.tensor([0, *lengths[:-1]]).cumsum(0) + prefix
        index = torch.where(valid, starts[:, None] + steps[None, :], 0)
        own = torch.ones(width, width, dtype=torch.bool).tril_()[None] & valid[:, None, :]
        mask = torch.cat([torch.ones(len(lengths), width, prefix, dtype=torch.bool), own], dim=2)[:, None]
        positions = torch.cat([torch.arange(prefix)] + [torch.arange(prefix, prefix + n) for n in lengths])
        ends = index[torch.arange(len(lengths)), torch.tensor(lengths) - 1]
        return cls(prefix, index, valid, mask, positions, ends)


def _block_attention(module, query, key, value, attention_mask, dropout=0.0, scaling=None, rerank_blocks=None,
                     **kwargs):
    """Attention for a packed pointwise sequence (`rerank_blocks` given): the prefix attends to itself
    causally and each block to the prefix and itself, as [n, L] batches instead of a dense [T, T]
    matrix that is mostly masked. Without blocks it is transformers' SDPA attention, unchanged."""
    from transformers.integrations.sdpa_attention import repeat_kv, sdpa_attention_forward

    if rerank_blocks is None:
        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=dropout,
                                      scaling=scaling, **kwargs)
    b, p = rerank_blocks, rerank_blocks.prefix
    groups = getattr(module, "num_key_value_groups", 1)
    q, k, v = query[0], repeat_kv(key, groups)[0], repeat_kv(value, groups)[0]  # [heads, T, dim]
    sdpa = torch.nn.functional.scaled_dot_product_attention
    out = torch.empty_like(q)
    out[:, :p] = sdpa(q[None, :, :p], k[None, :, :p], v[None, :, :p], is_causal=True, scale=scaling)[0]
    n = b.index.shape[0]

    def per_block(x: torch.Tensor) -> torch.Tensor:  # [heads, T, dim] -> [n, heads, L, dim]
        return x[:, b.index].transpose(0, 1)

    def with_prefix(x: torch.Tensor) -> torch.Tensor:
        return torch.cat([x[None, :, :p].expand(n, -1, -1, -1), per_block(x)], dim=2)

    blocks = sdpa(per_block(q), with_prefix(k), with_prefix(v), attn_mask=b.mask, scale=scaling)
    out[:, b.index[b.valid]] = blocks.transpose(0, 1)[:, b.valid].to(out.dtype)
    return out.transpose(0, 1)[None].contiguous(), None


BLOCK_ATTENTION = "tastebud_rerank_blocks"


def _use_block_attention(model) -> None:
    """Register `_block_attention` with transformers and switch the model to it (once, when a pointwise
    reranker is built on it); calls without blocks (training, listwise) get plain SDPA and its masks."""
    if getattr(model, "_block_attention", False):
        return
    from transformers import AttentionInterface
    from transformers.masking_utils import AttentionMaskInterface, sdpa_mask

    AttentionInterface.register(BLOCK_ATTENTION, _block_attention)
    AttentionMaskInterface.register(BLOCK_ATTENTION, sdpa_mask)
    # every config object the layers read (a quantised or copied body can hold its own)
    for config in {id(m.config): m.config for m in model.modules() if hasattr(m, "config")}.values():
        config._attn_implementation = BLOCK_ATTENTION
    model._block_attention = True


def resolve_precision(precision: str) -> str:
    """"auto" -> "bfloat16" where oneDNN has native bf16 on this CPU (there it ran 1.6-1.9x faster with
    the same ReDial metrics, bench/results/rerank_speed.json), else "float32": without native bf16 it is
    several times slower than fp32."""
    if precision not in PRECISIONS:
        raise ValueError(f"rerank precision must be one of {PRECISIONS}, not {precision!r}")
    if precision != "auto":
        return precision
    native = getattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", None)
    try:
        return "bfloat16" if native is not None and native() else "float32"
    except RuntimeError:
        return "float32"


@contextlib.contextmanager
def _precision(precision: str):
    """bf16 matrix products under autocast; the weights and the residual stream stay fp32, which kept
    the scores closer to fp32 (Spearman .998) than casting the whole model (.994)."""
    if precision == "bfloat16":
        with torch.autocast("cpu", dtype=torch.bfloat16):
            yield
    else:
        yield


@contextlib.contextmanager
def _threads(n: int | None):
    """torch's intra-op thread count for this call only: with OpenMP it belongs to the calling thread,
    so other requests keep theirs."""
    if not n:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def truncate_layers(model, n: int | None) -> None:
    """Keep the first `n` decoder layers: a 135M model with half its layers serves twice as fast,
    and LoRA training adapts the rest to the cut."""
    body = model.model
    if not n or n >= len(body.layers):
        return
    body.layers = body.layers[:n]
    model.config.num_hidden_layers = n
    if getattr(model.config, "layer_types", None):
        model.config.layer_types = model.config.layer_types[:n]


def rerank_scores(relevance: np.ndarray, top: np.ndarray, llm_scores: np.ndarray, weight: float,
                  rest: np.ndarray | None = None) -> np.ndarray:
    """`relevance` with the reranked `top` blended with the LLM's scores and `rest` (default: every
    other index) shifted as a block just below them: the LLM cannot pull in weak items, and the rest
    keep retrieval's order (clamping them would make ties)."""
    out = np.array(relevance, dtype=np.float64)
    new = blend(out[top], llm_scores, weight)
    if rest is None:
        rest = np.setdiff1d(np.arange(len(out)), top)
    if len(rest):
        out[rest] -= max(0.0, out[rest].max() - new.min()) + 1e-6
    out[top] = new
    return out


def blend(relevance: np.ndarray, llm_scores: np.ndarray, weight: float) -> np.ndarray:
    """Add the LLM's opinion to retrieval's scores on a comparable scale: both are standardised
    over the reranked candidates, so `weight` means "how many retrieval standard deviations"."""
    def z(x: np.ndarray) -> np.ndarray:
        s = x.std()
        return (x - x.mean()) / s if s > 1e-9 else np.zeros_like(x)

    return relevance + weight * relevance.std() * z(llm_scores)
