"""A FAISS index over item vectors, persisted with a manifest, with metadata filters.

Position i in the index is the i-th entry of `keys` (item id, content hash).
Exact (flat) search is used for small catalogs and for any filtered search that
keeps few items; HNSW above `exact_max` items; above `compressed_min` items (when set) a compressed
IVF-PQ index (retrieval/compressed.py), memory-mapped, optionally in shards, whose candidates are
re-scored exactly against the memory-mapped vectors.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

from retrieval.compressed import CompressedIndex

MANIFEST = "manifest.json"
FORMAT_VERSION = 1

# HNSW parameters from bench/results/faiss_scale.json.
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
# A filtered search that keeps at most this many items scans them exactly:
# below it a numpy scan is faster than HNSW and never loses recall.
EXACT_SUBSET_MAX = 60_000
# HNSW with an ID selector walks the graph through filtered-out nodes and loses
# recall once a filter keeps a small share of items (measured: 50% overlap at 8%),
# so below this share the allowed subset is scanned exactly instead.
MIN_GRAPH_SHARE = 0.25
# The compressed index reads vectors from a memory-mapped file, so a filtered exact scan gathers rows
# from disk: it pays below this many kept items; above, IVF-PQ with the filter as a selector.
COMPRESSED_EXACT_MAX = 20_000


@dataclass(frozen=True)
class Manifest:
    embedder_id: str
    dim: int
    catalog_hash: str
    count: int
    kind: str  # "flat", "hnsw" or "ivfpq"
    format_version: int = FORMAT_VERSION
    shards: int = 1  # index files ("ivfpq" only)


def _make_faiss(kind: str, dim: int) -> faiss.Index:
    if kind == "flat":
        return faiss.IndexFlatIP(dim)
    index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    index.hnsw.efSearch = HNSW_EF_SEARCH
    return index


class VectorIndex:
    def __init__(
        self,
        vectors: np.ndarray,
        keys: list[tuple[str, str]],
        manifest: Manifest,
        faiss_index: faiss.Index | CompressedIndex | None = None,
    ):
        memmapped = isinstance(vectors, np.memmap) and vectors.dtype == np.float32  # stays on disk
        self.vectors = vectors if memmapped else np.ascontiguousarray(vectors, dtype=np.float32)
        self.keys = list(keys)
        self.manifest = manifest
        if faiss_index is None:
            if manifest.kind == "ivfpq":
                raise ValueError("a compressed index is built by VectorIndex.build")
            faiss_index = _make_faiss(manifest.kind, manifest.dim)
            if len(self.vectors):
                faiss_index.add(self.vectors)
        self.faiss = faiss_index
        self.position = {item_id: i for i, (item_id, _) in enumerate(self.keys)}
        self.alive = np.ones(len(self.keys), dtype=bool)

    # building ---------------------------------------------------------------
    @classmethod
    def build(
        cls, vectors: np.ndarray, keys: list[tuple[str, str]], embedder_id: str, exact_max: int,
        compressed_min: int | None = None, shards: int = 1,
    ) -> VectorIndex:
        dim = int(vectors.shape[1])
        kind = "flat" if len(keys) <= exact_max else "hnsw"
        if compressed_min is not None and len(keys) >= max(compressed_min, exact_max + 1):
            kind = "ivfpq"
        manifest = Manifest(embedder_id, dim, catalog_hash(keys), len(keys), kind,
                            shards=shards if kind == "ivfpq" else 1)
        if kind != "ivfpq":
            return cls(vectors, keys, manifest)
        compressed = CompressedIndex.build(vectors, n_shards=shards)
        manifest = Manifest(embedder_id, dim, manifest.catalog_hash, len(keys), kind,
                            shards=len(compressed.shards))
        return cls(vectors, keys, manifest, compressed)

    def add(self, vectors: np.ndarray, keys: list[tuple[str, str]]) -> None:
        """Append items without rebuilding; an id added again replaces its old vector."""
        if not keys:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        for item_id, _ in keys:
            old = self.position.get(item_id)
            if old is not None:
                self.alive[old] = False
        start = len(self.keys)
        if isinstance(self.faiss, CompressedIndex):
            self.faiss.add(vectors, start)
        else:
            self.faiss.add(vectors)
        self.vectors = np.vstack([self.vectors, vectors]) if len(self.vectors) else vectors
        self.keys.extend(keys)
        self.alive = np.concatenate([self.alive, np.ones(len(keys), dtype=bool)])
        for offset, (item_id, _) in enumerate(keys):
            self.position[item_id] = start + offset
        live = [k for k, a in zip(self.keys, self.alive, strict=True) if a]
        self.manifest = Manifest(
            self.manifest.embedder_id, self.manifest.dim, catalog_hash(live), len(live), self.manifest.kind,
            shards=self.manifest.shards,
        )

    def live_keys(self) -> dict[str, str]:
        return {k: h for (k, h), a in zip(self.keys, self.alive, strict=True) if a}

    # persistence -------------------------------------------------------------
    def save(self, directory: str | Path) -> None:
        """Write atomically: a crash mid-save leaves the previous index intact."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".index-", dir=directory.parent))
        try:
            np.save(tmp / "vectors.npy", self.vectors)
            (tmp / "keys.json").write_text(json.dumps({"keys": self.keys, "alive": self.alive.tolist()}))
            if isinstance(self.faiss, CompressedIndex):
                self.faiss.save(tmp)
            else:
                faiss.write_index(self.faiss, str(tmp / "index.faiss"))
            (tmp / MANIFEST).write_text(json.dumps(asdict(self.manifest), indent=2))
            old = directory.with_name(directory.name + ".old")
            if directory.exists():
                shutil.rmtree(old, ignore_errors=True)
                os.replace(directory, old)
            os.replace(tmp, directory)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    @classmethod
    def load(cls, directory: str | Path) -> VectorIndex:
        directory = Path(directory)
        manifest = read_manifest(directory)
        if manifest is None:
            raise FileNotFoundError(f"no index manifest in {directory}")
        saved = json.loads((directory / "keys.json").read_text())
        keys = [tuple(k) for k in saved["keys"]]
        if manifest.kind == "ivfpq":
            # both memory-mapped: the codes are searched in place, vectors are read only to re-rank
            vectors = np.load(directory / "vectors.npy", mmap_mode="r")
            engine = CompressedIndex.load(directory, manifest.shards)
        else:
            vectors = np.load(directory / "vectors.npy")
            engine = faiss.read_index(str(directory / "index.faiss"))
        index = cls(vectors, keys, manifest, engine)
        index.alive = np.asarray(saved["alive"], dtype=bool)
        if index.faiss.ntotal != len(index.keys) or vectors.shape != (len(index.keys), manifest.dim):
            raise ValueError(f"index files in {directory} disagree; delete the folder to rebuild")
        return index

    # search -------------------------------------------------------------------
    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (position, inner product) among live positions where `allowed` is True."""
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        mask = self.alive if allowed is None else (allowed & self.alive)
        n_allowed = int(np.count_nonzero(mask))  # ~8x faster than sum() on a bool mask: per query, at 5M
        if n_allowed == 0 or k <= 0:
            return []
        k = min(k, n_allowed)
        share = n_allowed / len(mask)
        if self.manifest.kind == "ivfpq":
            return self._search_compressed(query, k, mask, n_allowed, share)
        if self.manifest.kind == "flat" or n_allowed <= EXACT_SUBSET_MAX or share < MIN_GRAPH_SHARE:
            return self._exact(query[0], k, None if n_allowed == len(mask) else mask)
        params = faiss.SearchParametersHNSW()
        # widen the beam in proportion to what the filter removes
        params.efSearch = int(min(1024, max(HNSW_EF_SEARCH, 2 * k) / share))
        bitmap = None  # a local, so it lives until faiss is done and no other thread shares it
        if n_allowed < len(mask):
            bitmap = np.packbits(mask, bitorder="little")
            params.sel = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bitmap))
        scores, ids = self.faiss.search(query, k, params=params)
        del bitmap
        hits = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        if len(hits) < k:  # the graph walk ran out of allowed nodes: fall back to exact
            return self._exact(query[0], k, mask)
        return hits

    def _search_compressed(self, query: np.ndarray, k: int, mask: np.ndarray, n_allowed: int,
                           share: float) -> list[tuple[int, float]]:
        if n_allowed < len(mask) and n_allowed <= COMPRESSED_EXACT_MAX:  # a narrow filter: scan those rows
            return self._exact(query[0], k, mask, gather=True)
        cands = self.faiss.candidates(query, k, None if n_allowed == len(mask) else mask, share)
        cands = np.sort(cands[mask[cands]])  # sorted: the memory-mapped rows are read in file order
        if len(cands) < k:  # the probed lists held too few allowed items
            return self._exact(query[0], k, mask, gather=True)
        scores = np.asarray(self.vectors[cands], dtype=np.float32) @ query[0]
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(cands[t]), float(scores[t])) for t in top]

    def _exact(self, query: np.ndarray, k: int, mask: np.ndarray | None,
               gather: bool = False) -> list[tuple[int, float]]:
        if mask is None:
            scores = self.vectors @ query
            positions = None
        elif mask.mean() > 0.25 and not gather:
            # Scoring everything and masking beats gathering a large subset: the copy costs
            # more than the extra dot products (bench/results/faiss_scale.md, filtered search).
            scores = np.where(mask, self.vectors @ query, -np.inf)
            positions = None
        else:
            positions = np.flatnonzero(mask)
            scores = np.asarray(self.vectors[positions], dtype=np.float32) @ query
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        if positions is not None:
            return [(int(positions[t]), float(scores[t])) for t in top]
        return [(int(t), float(scores[t])) for t in top]


def catalog_hash(keys: list[tuple[str, str]]) -> str:
    h = hashlib.sha1()
    for item_id, content in sorted(keys):
        h.update(f"{item_id}\t{content}\n".encode())
    return h.hexdigest()


def read_manifest(directory: str | Path) -> Manifest | None:
    path = Path(directory) / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
        manifest = Manifest(**data)
    except (json.JSONDecodeError, TypeError):
        return None
    return manifest if manifest.format_version == FORMAT_VERSION else None
