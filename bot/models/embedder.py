"""The sentence embedder: `load_embedder(spec)` → `Embedder`, whose `encode` gives float32,
L2-normalised vectors. Spec "packaged" is the verified all-MiniLM-L6-v2 folder shipped in a
PyPI package (offline); a local folder or a hub id also works."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.models.specs import _hub_offline, _local_path, _torch_dtype
from bot.models.weights import EMBEDDER_FILES, EMBEDDER_ID, _stamps_path, verify_pinned


def resolve_embedder(spec: str, *, cache_dir: Path | None = None) -> str:
    """Spec "packaged" → the verified packaged folder; a local path → itself; else a hub id as is."""
    if spec == "packaged":
        paths = verify_pinned(EMBEDDER_FILES, stamps=_stamps_path(cache_dir))
        return str(paths[0].parent)
    local = _local_path(spec)
    return str(local) if local is not None else spec


@dataclass
class Embedder:
    """A sentence embedder giving float32, L2-normalised vectors."""

    model_id: str
    dim: int
    model: Any = field(repr=False)
    threads: int = 1
    max_seq_length: int = 128

    def encode(self, texts: list[str], batch_size: int = 64, show_progress: bool = False) -> np.ndarray:
        """Embed ``texts`` → array (N, dim) float32, each row of unit length."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a list of strings, not a single string")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        with torch.inference_mode():
            out = self.model.encode(texts, batch_size=batch_size, show_progress_bar=show_progress,
                                    convert_to_tensor=True, normalize_embeddings=False)
        vecs = out.float().cpu().numpy().astype(np.float32, copy=False)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)


def load_embedder(
    spec: str = "packaged",
    threads: int = 1,
    dtype: str = "float32",
    *,
    max_seq_length: int = 128,
    cache_dir: Path | None = None,
) -> Embedder:
    """Load a sentence-transformers embedder; packaged/local specs load strictly offline."""
    path = resolve_embedder(spec, cache_dir=cache_dir)
    local = spec == "packaged" or Path(path).exists()
    model_id = EMBEDDER_ID if spec == "packaged" else path
    with _hub_offline(local):
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(max(1, int(threads)))
        model = SentenceTransformer(path, device="cpu", local_files_only=local)
    torch_dtype = _torch_dtype(dtype)
    if torch_dtype != torch.float32:
        model = model.to(torch_dtype)
    model.max_seq_length = max_seq_length
    model.eval()
    get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = get_dim() or len(model.encode(["probe"])[0])
    return Embedder(model_id=model_id, dim=int(dim), model=model, threads=threads,
                    max_seq_length=max_seq_length)
