"""A compressed FAISS index for large catalogs: IVF-PQ codes in RAM or memory-mapped, exact re-ranking.

`CompressedIndex` holds one or more *shards*: IVF-PQ indexes that share one trained coarse quantizer
and product quantizer (trained once, on a sample) and each hold a contiguous range of positions,
stored as their FAISS ids. A query searches every shard for `refine * k` candidates, merges them, and
re-scores the merged candidates exactly against the float32 vectors (a memory-mapped file), so the
codes only have to put the right items among the candidates, not order them.

Parameters are measured in bench/bench_large_index.py (bench/results/large_index.md).
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import faiss
import numpy as np

# bench/results/large_index.md: 4-bit fast-scan PQ, 64 sub-quantizers = 32 bytes of code per item
# (+ 8 bytes of id in the inverted lists; with centroids and block padding 49.6 B/item at 1M, where
# PQ96x4fs's 48 B of code came to 66.6 B). The coarser code loses ranking accuracy, which the exact
# re-rank of a deeper candidate list buys back: at 1M, nprobe 256 and 48 x 50 candidates gave
# recall@50 0.925 at p50 3.2 ms (1 thread); nprobe 128 and 16 x 50 gave 0.818 at 1.8 ms. At 5M the
# same setting gave 0.892 at 7.3 ms (0.906 needs nprobe 512: 10.4 ms).
PQ_SPEC = "PQ64x4fs"
NPROBE = 256
REFINE = 48  # candidates per wanted result, re-scored exactly
TRAIN_PER_LIST = 32  # points per list for k-means; PQ fits on the same sample
TRAIN_MIN, TRAIN_MAX = 20_000, 160_000
PARAMS_FILE = "compressed.json"


def default_nlist(n: int) -> int:
    """About 4 * sqrt(n) lists (1M items: 4,096), as FAISS's guidelines suggest for IVF."""
    return int(min(65_536, max(16, 2 ** round(math.log2(max(16.0, 4 * math.sqrt(max(n, 1))))))))


def shard_file(directory: Path, s: int) -> Path:
    return directory / f"index-{s:03d}.faiss"


class CompressedIndex:
    def __init__(self, shards: list[faiss.Index], bounds: list[tuple[int, int]], nlist: int, spec: str,
                 nprobe: int = NPROBE, refine: int = REFINE):
        self.shards = shards
        self.bounds = bounds  # [start, end) of positions per shard
        self.nlist, self.spec = nlist, spec
        self.nprobe, self.refine = nprobe, refine
        self.timings: dict[str, float] = {}  # seconds spent training and adding, set by `build`

    @property
    def ntotal(self) -> int:
        return sum(s.ntotal for s in self.shards)

    def nbytes(self) -> int:
        """Bytes of the codes, ids and quantizers as FAISS serialises them (what sits in RAM or mmap)."""
        return sum(faiss.serialize_index(s).nbytes for s in self.shards)

    # building -----------------------------------------------------------------------------
    @classmethod
    def build(cls, vectors: np.ndarray, n_shards: int = 1, nlist: int | None = None, spec: str = PQ_SPEC,
              seed: int = 0) -> CompressedIndex:
        n, dim = vectors.shape
        nlist = nlist or default_nlist(n)
        t0 = time.perf_counter()
        # an HNSW graph over the centroids assigns vectors (building) and picks lists (search) without
        # scanning every centroid: at 5M items and 8,192 lists a flat scan would dominate both
        empty = faiss.index_factory(dim, f"IVF{nlist}_HNSW32,{spec}", faiss.METRIC_INNER_PRODUCT)
        ivf = faiss.extract_index_ivf(empty)
        ivf.cp.spherical = True  # unit-norm centroids suit inner-product assignment
        ivf.cp.niter = 10
        ivf.cp.min_points_per_centroid = 5  # 32 a list is enough; FAISS would warn below 39
        size = int(min(n, max(TRAIN_MIN, min(TRAIN_MAX, TRAIN_PER_LIST * nlist))))
        rng = np.random.default_rng(seed)
        sample = vectors[np.sort(rng.choice(n, size=size, replace=False))] if size < n else vectors
        empty.train(np.ascontiguousarray(sample, dtype=np.float32))
        trained = time.perf_counter()
        n_shards = max(1, min(n_shards, n))
        step = math.ceil(n / n_shards)
        bounds = [(s, min(n, s + step)) for s in range(0, n, step)]
        shards = []
        for s, e in bounds:
            shard = faiss.clone_index(empty)
            chunk = 200_000
            for c in range(s, e, chunk):  # bounded memory: a memory-mapped input is read piece by piece
                d = min(e, c + chunk)
                shard.add_with_ids(np.ascontiguousarray(vectors[c:d], dtype=np.float32),
                                   np.arange(c, d, dtype=np.int64))
            shards.append(shard)
        index = cls(shards, bounds, nlist, spec)
        index.timings = {"train_s": trained - t0, "add_s": time.perf_counter() - trained, "train_size": size}
        return index

    def add(self, vectors: np.ndarray, start: int) -> None:
        """Append positions start.. to the last shard (encoded with the trained quantizers)."""
        last = self.shards[-1]
        if isinstance(faiss.downcast_InvertedLists(faiss.extract_index_ivf(last).invlists),
                      faiss.OnDiskInvertedLists):  # memory-mapped read-only: bring this shard into RAM
            last = self.shards[-1] = faiss.deserialize_index(faiss.serialize_index(last))
        last.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                          np.arange(start, start + len(vectors), dtype=np.int64))
        s, _ = self.bounds[-1]
        self.bounds[-1] = (s, start + len(vectors))

    # persistence ----------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        for n, shard in enumerate(self.shards):
            faiss.write_index(shard, str(shard_file(directory, n)))
        (directory / PARAMS_FILE).write_text(json.dumps(
            {"bounds": self.bounds, "nlist": self.nlist, "spec": self.spec}))

    @classmethod
    def load(cls, directory: Path, n_shards: int, mmap: bool = True) -> CompressedIndex:
        params = json.loads((directory / PARAMS_FILE).read_text())
        flags = faiss.IO_FLAG_MMAP if mmap else 0
        shards = [faiss.read_index(str(shard_file(directory, n)), flags) for n in range(n_shards)]
        bounds = [tuple(b) for b in params["bounds"]]
        sizes = [e - b for b, e in bounds]
        if len(bounds) != len(shards) or [s.ntotal for s in shards] != sizes:
            raise ValueError(f"compressed index shards in {directory} disagree; delete the folder to rebuild")
        return cls(shards, bounds, params["nlist"], params["spec"])

    # search -------------------------------------------------------------------------------------
    def candidates(self, query: np.ndarray, k: int, mask: np.ndarray | None, share: float) -> np.ndarray:
        """Positions of the `refine * k` best codes over all shards (allowed by `mask`), unordered."""
        want = k * self.refine
        # a filter that keeps a share of the items needs proportionally more lists to find `want`
        nprobe = int(min(self.nlist, max(self.nprobe, math.ceil(self.nprobe / max(share, 1e-6)))))
        params = faiss.SearchParametersIVF(nprobe=nprobe)
        quantizer = faiss.SearchParametersHNSW(efSearch=max(64, 2 * nprobe))
        params.quantizer_params = quantizer
        bitmap = None
        if mask is not None:
            bitmap = np.packbits(mask, bitorder="little")
            params.sel = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bitmap))
        found_ids, found_scores = [], []
        for shard in self.shards:
            scores, ids = shard.search(query, want, params=params)
            found_ids.append(ids[0])
            found_scores.append(scores[0])
        del bitmap
        ids = np.concatenate(found_ids)
        scores = np.concatenate(found_scores)
        keep = ids >= 0
        ids, scores = ids[keep], scores[keep]
        if len(self.shards) > 1 and len(ids) > want:  # merge: the best `want` codes over all shards
            top = np.argpartition(-scores, want - 1)[:want]
            ids = ids[top]
        return ids
