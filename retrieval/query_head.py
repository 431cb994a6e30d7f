"""The learned query side of retrieval: dialogue text and the items it mentions -> a query vector.

Trained by `python -m finetune retriever` on ReDial train-split dialogues (context -> the movies the
recommender named next). The item side stays the frozen embedder, so the FAISS index is untouched:

    u = q + A q + B m        (q: the dialogue text embedded; m: the mean vector of the items it names)

A and B start at zero, so an untrained head is the plain embedder. Saved and loaded like a peft
adapter: a folder with `config.json` (which embedder it was trained on) and `head.npz`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "head.npz"


@dataclass
class QueryHeadConfig:
    embedder_id: str  # the head maps this embedder's vectors; another embedder makes it meaningless
    dim: int
    context_chars: int = 600  # the end of the dialogue the head reads (about the embedder's window)
    trained_on: str = ""  # what it learned from, for the record


class QueryHead:
    def __init__(self, config: QueryHeadConfig, a: np.ndarray | None = None, b: np.ndarray | None = None):
        self.config = config
        d = config.dim
        self.a = np.zeros((d, d), np.float32) if a is None else np.asarray(a, np.float32)
        self.b = np.zeros((d, d), np.float32) if b is None else np.asarray(b, np.float32)
        if self.a.shape != (d, d) or self.b.shape != (d, d):
            raise ValueError(f"head weights must be {d}x{d}, got {self.a.shape} and {self.b.shape}")

    def query(self, text_vector: np.ndarray, mentioned: np.ndarray | None = None) -> np.ndarray:
        """The learned query (not normalised: its length is part of what was learned)."""
        q = np.asarray(text_vector, np.float32)
        none = mentioned is None or not len(mentioned)
        m = np.zeros_like(q) if none else np.asarray(mentioned, np.float32).mean(axis=0)
        return q + q @ self.a.T + m @ self.b.T

    def save_pretrained(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / CONFIG_FILE).write_text(json.dumps(asdict(self.config), indent=2) + "\n", encoding="utf-8")
        np.savez_compressed(path / WEIGHTS_FILE, a=self.a.astype(np.float16), b=self.b.astype(np.float16))

    @classmethod
    def from_pretrained(cls, path: str | Path, embedder_id: str | None = None) -> QueryHead:
        """Load a saved head; refuses one trained for another embedder than `embedder_id`."""
        path = Path(path)
        if not (path / CONFIG_FILE).exists():
            raise FileNotFoundError(f"no query head at {path}: run `python -m finetune retriever`")
        raw = json.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))
        unknown = set(raw) - set(QueryHeadConfig.__dataclass_fields__)
        if unknown:
            raise ValueError(f"{path / CONFIG_FILE}: unknown fields {sorted(unknown)}")
        config = QueryHeadConfig(**raw)
        if embedder_id is not None and config.embedder_id != embedder_id:
            raise ValueError(f"the query head at {path} was trained for {config.embedder_id}, "
                             f"not {embedder_id}; retrain it with `python -m finetune retriever`")
        with np.load(path / WEIGHTS_FILE) as w:
            return cls(config, w["a"], w["b"])
