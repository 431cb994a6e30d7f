"""How fast the LoRA reranker scores 20 candidates on this CPU, option by option, and whether the
fastest keeps ReDial quality (#13: p50 <= 0.35 s, p95 <= 0.6 s; quality no worse than fp32).

1. Speed: everyday dialogues (English and Chinese; movies, books, music) run through the app with the
   reranker on; the (profile, candidates) of each turn are captured and every option scores the
   same inputs, twice. "today" is the path before this benchmark: fp32, the candidates padded to the
   longest in one batch on a copy of the profile's KV cache, one thread (`threads` = 1). Each option
   reports p50/p95, the ratio to today's p50, and how close its scores are to today's (Spearman per
   turn, top-1 and top-5 agreement).
2. Quality: the held-out ReDial part (valid; never test), the app's ranking (ours+learned) without
   the reranker, with today's scores, and with the chosen option's, on the same turns.

    .venv/bin/python -m bench.rerank_speed [--limit-valid 0] [--skip-quality]

Writes bench/results/rerank_speed.json. Options not measured: shorter candidate text and fewer
layers change what the adapter reads, so they need a retrained adapter (a GPU run, #12).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from bot.config import Settings
from bot.rerank import (
    Blocks,
    LLMReranker,
    _head_rows,
    _precision,
    _threads,
    pointwise_prefix,
    pointwise_suffix,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REDIAL = REPO.parent / "shared" / "data" / "eval" / "redial"
DIALOGUES = [
    ["a romantic comedy from the 90s", "something less cheesy", "more like the second one"],
    ["I loved Inception and Interstellar, something mind-bending for tonight?", "no horror please"],
    ["a classic adventure novel, he loved Treasure Island", "something shorter"],
    ["chill electronic music for studying", "more upbeat"],
    ["我想看一部感人的家庭电影", "不要太老的"],
    ["an inspiring sports movie based on a true story", "with Denzel Washington"],
    ["a detective novel, Agatha Christie if possible", "someone else than Agatha Christie"],
    ["scary movies for halloween", "not too gory", "older ones"],
    ["推荐几本科幻小说", "换一批"],
    ["jazz albums for a dinner party", "something from the 60s"],
    ["a funny book for a long flight", "not british humour"],
    ["来点适合开车听的摇滚", "再来几个"],
]
Scorer = Callable[[str, Sequence[str]], np.ndarray]
WEIGHTS = (0.5, 1.0, 1.5)  # blend weights tried for the chosen option (valid part: tuning is allowed there)


@torch.no_grad()
def padded_scores(reranker: LLMReranker, profile: str, candidates: Sequence[str]) -> np.ndarray:
    """Today's path, kept here as the baseline: the profile prefilled once, its KV cache copied for
    every candidate, the suffixes right-padded to the longest into one batch."""
    tok = reranker.tokenizer
    prefix = tok(pointwise_prefix(profile), return_tensors="pt").input_ids
    cache = reranker.model(input_ids=prefix, use_cache=True).past_key_values
    suffixes = [tok(pointwise_suffix(c), add_special_tokens=False).input_ids for c in candidates]
    width = max(len(s) for s in suffixes)
    pad = tok.pad_token_id or 0
    ids = torch.tensor([s + [pad] * (width - len(s)) for s in suffixes])
    suffix_mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in suffixes])
    cache.batch_repeat_interleave(len(candidates))
    mask = torch.cat([torch.ones(len(candidates), prefix.shape[1], dtype=torch.long), suffix_mask], dim=1)
    hidden = reranker.model.model(input_ids=ids, attention_mask=mask, past_key_values=cache,
                                  use_cache=True).last_hidden_state
    h = hidden[torch.arange(len(candidates)), suffix_mask.sum(dim=1) - 1]
    logits = (h @ _head_rows(reranker.model, reranker.yes_no).T).float()
    return (logits[:, 0] - logits[:, 1]).numpy()


def with_threads(fn: Scorer, n: int) -> Scorer:
    def run(profile: str, candidates: Sequence[str]) -> np.ndarray:
        with _threads(n):
            return fn(profile, candidates)
    return run


def dense_packed_scores(reranker: LLMReranker, profile: str, candidates: Sequence[str]) -> np.ndarray:
    """The packed sequence with a dense [T, T] mask through plain SDPA: the first packed version,
    kept to show what block attention saves."""
    tok = reranker.tokenizer
    prefix = tok(pointwise_prefix(profile)).input_ids
    suffixes = [tok(pointwise_suffix(c), add_special_tokens=False).input_ids for c in candidates]
    blocks = Blocks.of(len(prefix), [len(s) for s in suffixes])
    ids = torch.tensor(list(prefix) + [t for s in suffixes for t in s])
    dense = torch.zeros(len(ids), len(ids), dtype=torch.bool)
    dense[:, :blocks.prefix] = True
    for row, valid in zip(blocks.index, blocks.valid, strict=True):
        pos = row[valid]
        dense[pos[:, None], pos[None, :]] = True
    dense &= torch.ones_like(dense).tril_()
    with torch.no_grad():
        hidden = reranker.model.model(input_ids=ids[None], position_ids=blocks.positions[None],
                                      attention_mask=dense[None, None], use_cache=False).last_hidden_state[0]
    logits = (hidden[blocks.ends] @ _head_rows(reranker.model, reranker.yes_no).T).float()
    return (logits[:, 0] - logits[:, 1]).numpy()


def options(fp32: LLMReranker) -> dict[str, tuple[str, Scorer]]:
    """name -> (what it is, scorer). All share the adapter-merged fp32 weights except the cast and
    int8 copies."""
    def shared(precision: str, threads: int) -> LLMReranker:
        return LLMReranker(fp32.model, fp32.tokenizer, "pointwise", precision=precision, threads=threads)

    cast = LLMReranker(copy.deepcopy(fp32.model).to(torch.bfloat16), fp32.tokenizer, "pointwise")
    int8 = LLMReranker(copy.deepcopy(fp32.model), fp32.tokenizer, "pointwise")
    per_channel = {torch.nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig}
    quantize = torch.ao.quantization.quantize_dynamic
    int8.model.model = quantize(int8.model.model, per_channel, dtype=torch.qint8)
    out = {"today": ("fp32, padded batch on a copied KV cache, 1 thread",
                     with_threads(lambda p, c: padded_scores(fp32, p, c), 1))}
    for threads in (1, 2):
        out[f"fp32-blocks-{threads}t"] = ("fp32, one packed sequence, block attention",
                                          shared("float32", threads).score)
        out[f"bf16-blocks-{threads}t"] = ("bf16 autocast (fp32 weights, residual), packed, block attention",
                                          shared("bfloat16", threads).score)
    out["bf16-dense-packed-2t"] = ("bf16 autocast, packed with a dense [T, T] mask through SDPA",
                                   with_threads(lambda p, c: _autocast(dense_packed_scores, fp32, p, c), 2))
    out["bf16-padded-2t"] = ("bf16 autocast, today's padded batch",
                             with_threads(lambda p, c: _autocast(padded_scores, fp32, p, c), 2))
    out["bf16-cast-blocks-2t"] = ("the whole model cast to bf16 (residual too), block attention",
                                  with_threads(cast.score, 2))
    out["int8-dynamic-blocks-2t"] = ("torch dynamic int8 (per-channel weights) on every linear, blocks",
                                     with_threads(int8.score, 2))
    return out


def _autocast(fn, *args):
    with _precision("bfloat16"):
        return fn(*args)


def capture_inputs(settings: Settings) -> list[tuple[str, list[str]]]:
    """(profile, candidate lines) of every turn of DIALOGUES, as the app sends them to the reranker."""
    from bot.manager import step
    from bot.runtime import build_context, open_catalog
    from bot.state import DialogueState

    ctx = build_context(replace(settings, rerank=True), open_catalog(settings, progress=False))
    seen: list[tuple[str, list[str]]] = []
    real = ctx.reranker.score

    def spy(profile: str, candidates: Sequence[str], limit: int | None = None) -> np.ndarray | None:
        seen.append((profile, list(candidates)))
        return real(profile, candidates, limit=limit)

    ctx.reranker.score = spy
    for dialogue in tqdm(DIALOGUES, desc="capture turns"):
        state = DialogueState()
        for message in dialogue:
            state = step(state, message, ctx).state
    if len(seen) < len(DIALOGUES):
        raise RuntimeError(f"only {len(seen)} turns reached the reranker; see the log above")
    return seen


def agreement(ref: list[np.ndarray], other: list[np.ndarray]) -> dict:
    from scipy.stats import spearmanr

    def top(x: np.ndarray, k: int) -> set[int]:
        return set(np.argsort(-x, kind="stable")[:k].tolist())

    pairs = list(zip(ref, other, strict=True))
    return {"spearman": round(float(np.mean([spearmanr(a, b).statistic for a, b in pairs])), 4),
            "top1": round(float(np.mean([np.argmax(a) == np.argmax(b) for a, b in pairs])), 3),
            "top5": round(float(np.mean([len(top(a, 5) & top(b, 5)) / 5 for a, b in pairs])), 3),
            "max_abs_diff": round(float(max(np.abs(a - b).max() for a, b in pairs)), 3)}


def time_options(opts: dict[str, tuple[str, Scorer]], inputs: list[tuple[str, list[str]]],
                 repeats: int = 3) -> dict:
    for fn in (o[1] for o in opts.values()):  # warm every path once (first calls allocate)
        fn(*inputs[0])
    results, ref = {}, []
    for name, (what, fn) in tqdm(opts.items(), desc="options"):
        seconds, scores = [], []
        for _ in range(repeats):
            scores = []
            for profile, cands in inputs:
                t = time.perf_counter()
                scores.append(np.asarray(fn(profile, cands), dtype=np.float64))
                seconds.append(time.perf_counter() - t)
        ref = scores if name == "today" else ref
        seconds.sort()
        results[name] = {"what": what, "p50_ms": round(statistics.median(seconds) * 1000, 1),
                         "p95_ms": round(seconds[int(0.95 * (len(seconds) - 1))] * 1000, 1),
                         **agreement(ref, scores)}
    base = results["today"]["p50_ms"]
    for r in results.values():
        r["speedup_vs_today"] = round(base / r["p50_ms"], 2)
    return results


def quality(settings: Settings, fp32: LLMReranker, chosen: str, limit: int, redial_dir: Path) -> dict:
    from bench.redial import bench_context, evaluate, load_data, subsample, target_turns
    from bench.redial_rerank import llm_variant
    from bench.variants import register_variant
    from bot.config import ScoringConfig

    cfg = ScoringConfig()
    today = LLMReranker(fp32.model, fp32.tokenizer, "pointwise", threads=2)
    today.score = lambda p, c: padded_scores(fp32, p, c)
    new = LLMReranker(fp32.model, fp32.tokenizer, "pointwise", precision=chosen, threads=2)
    names = {f"+llm fp32 today w{cfg.rerank_weight}": (today, cfg.rerank_weight, {})}
    shared: dict[tuple[str, str], float] = {}  # one LLM call per (profile, candidate) for every weight
    for w in WEIGHTS:
        names[f"+llm {chosen} w{w}"] = (new, w, shared)
    for name, (reranker, weight, cache) in names.items():
        register_variant(name, llm_variant(reranker, cfg.rerank_candidates, weight, base="ours+learned",
                                           cache=cache), name, uses_excluded=True)
    data = load_data(redial_dir, settings)
    dialogues = subsample(data.valid, limit or None)
    turns = target_turns(dialogues, data)
    bench = bench_context(data, "valid", turns=turns)
    t0 = time.perf_counter()
    res = evaluate(turns, bench, ["ours+learned", *names], desc="rerank valid")
    out = {"dialogues": len(dialogues), "turns": len(turns), "seconds": round(time.perf_counter() - t0, 1)}
    for v in ["ours+learned", *names]:
        out[v] = {p: {k: round(res[v][p][k], 4) for k in ("r1", "r10", "r50", "ndcg10", "mrr", "n")}
                  for p in ("standard", "strict")}
        for p in ("standard", "strict"):
            m = out[v][p]
            print(f"valid {p:>8} {v:>26}: R@1 {m['r1']:.3f} R@10 {m['r10']:.3f} R@50 {m['r50']:.3f} "
                  f"NDCG@10 {m['ndcg10']:.3f} MRR {m['mrr']:.3f} (n={m['n']})")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--redial-dir", type=Path, default=DEFAULT_REDIAL)
    ap.add_argument("--limit-valid", type=int, default=0, help="valid-part dialogues (0 = all)")
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "rerank_speed.json")
    args = ap.parse_args(argv)

    settings = Settings.from_env()
    inputs = capture_inputs(settings)
    fp32 = LLMReranker.from_pretrained(settings.adapter, cache_dir=settings.cache_dir)
    torch.set_num_threads(1)
    speed = time_options(options(fp32), inputs)
    for name, r in speed.items():
        print(f"{name:>24}: p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
              f"x{r['speedup_vs_today']:.2f}  spearman {r['spearman']:.4f} top1 {r['top1']:.2f} "
              f"top5 {r['top5']:.2f}")
    chosen = LLMReranker(fp32.model, fp32.tokenizer, "pointwise", precision=settings.rerank_precision,
                         threads=settings.rerank_threads)
    per_turn = round(float(np.mean([len(c) for _, c in inputs])), 1)
    out = {"inputs": len(inputs), "candidates_per_turn": per_turn,
           "cpu_threads_available": os.cpu_count(), "default": {"precision": chosen.precision,
                                                                "threads": settings.rerank_threads},
           "speed": speed}
    if not args.skip_quality:
        out["quality_valid"] = quality(settings, fp32, chosen.precision, args.limit_valid, args.redial_dir)
    out["load_average"] = os.getloadavg()[0]
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
