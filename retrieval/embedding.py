"""Bulk embedding of catalog texts, in shards, in-process or on a Ray cluster.

The unit of work is a *shard*: `shard_size` consecutive texts, embedded by one `encode` call.
Both engines encode exactly the same lists, so they give bit-identical vectors (the embedder
sorts and pads texts per call, so a different split would change the last bits).

- `embed_local`: shard after shard in this process (the default engine).
- `embed_ray`: shards become rows of a Ray Data dataset; `map_batches` runs an actor pool with one
  embedder per worker, as many workers as the cluster has CPUs (or GPUs). Each finished shard is
  written to `work_dir` as it arrives, with `shards.json` naming the model and each shard's content
  hash, so a crashed run continues from the shards already on disk.

Nothing here imports the bot: the Ray workers build their embedder from a picklable factory
(e.g. `functools.partial(bot.models.load_embedder, "packaged", threads=1)`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

SHARDS_MANIFEST = "shards.json"


def shard_bounds(n: int, shard_size: int) -> list[tuple[int, int]]:
    if shard_size <= 0:
        raise ValueError("shard_size must be positive")
    return [(s, min(n, s + shard_size)) for s in range(0, n, shard_size)]


def shard_key(model_id: str, texts: Sequence[str]) -> str:
    """What a shard's vectors depend on: the model and its exact texts, in order."""
    h = hashlib.sha1(model_id.encode())
    for t in texts:
        h.update(b"\x00" + t.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def embed_local(embedder, texts: Sequence[str], batch_size: int = 64, shard_size: int = 4096,
                progress: bool = False) -> np.ndarray:
    """Embed shard by shard in this process (what `embed_ray` reproduces bit for bit)."""
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    bounds = shard_bounds(len(texts), shard_size)
    bar = None
    if progress and len(texts) > shard_size:
        from tqdm import tqdm

        bar = tqdm(total=len(texts), desc="embedding", unit="item")
    for s, e in bounds:
        # one shard alone gets the embedder's own progress bar, as before shards existed
        out[s:e] = embedder.encode(list(texts[s:e]), batch_size, progress and bar is None)
        if bar is not None:
            bar.update(e - s)
    if bar is not None:
        bar.close()
    return out


@dataclass
class RayStats:
    shards: int = 0
    reused: int = 0  # found on disk from an earlier (maybe crashed) run
    embedded: int = 0
    workers: int = 0
    seconds: float = 0.0
    per_shard_s: list[float] = field(default_factory=list)


class ShardStore:
    """Embedding shards on disk: `shard-<n>.npy` plus `shards.json` ({model, dim, keys})."""

    def __init__(self, work_dir: str | Path, model_id: str, dim: int):
        self.dir = Path(work_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.model_id, self.dim = model_id, dim
        self.keys: dict[str, str] = {}
        path = self.dir / SHARDS_MANIFEST
        if path.exists():
            try:
                data = json.loads(path.read_text())
                if data.get("model") == model_id and data.get("dim") == dim:
                    self.keys = dict(data.get("keys", {}))
            except (json.JSONDecodeError, AttributeError):
                log.warning("unreadable %s; embedding every shard again", path)

    def _file(self, n: int) -> Path:
        return self.dir / f"shard-{n:06d}.npy"

    def get(self, n: int, key: str, rows: int) -> np.ndarray | None:
        if self.keys.get(str(n)) != key or not self._file(n).exists():
            return None
        try:
            vecs = np.load(self._file(n))
        except (OSError, ValueError):
            return None
        return vecs if vecs.shape == (rows, self.dim) and vecs.dtype == np.float32 else None

    def put(self, n: int, key: str, vecs: np.ndarray) -> None:
        """Write the shard file, then record it: a crash between the two only costs a re-embed."""
        tmp = self.dir / f".shard-{n:06d}.{os.getpid()}.tmp.npy"
        np.save(tmp, np.ascontiguousarray(vecs, dtype=np.float32))
        os.replace(tmp, self._file(n))
        self.keys[str(n)] = key
        self._write_manifest()

    def prune(self, wanted: int) -> None:
        """Forget shards past the current plan (a smaller catalog than last time)."""
        for key in [k for k in self.keys if int(k) >= wanted]:
            del self.keys[key]
            self._file(int(key)).unlink(missing_ok=True)
        self._write_manifest()

    def _write_manifest(self) -> None:
        tmp = self.dir / f".{SHARDS_MANIFEST}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({"model": self.model_id, "dim": self.dim, "keys": self.keys}))
        os.replace(tmp, self.dir / SHARDS_MANIFEST)


class _EmbedWorker:
    """One Ray actor: builds its embedder once, then embeds one shard per row."""

    def __init__(self, factory: Callable, batch_size: int):
        self.embedder = factory()
        self.batch_size = batch_size
        try:  # a GPU worker: move the model there (sentence-transformers encodes on model.device)
            import torch

            if torch.cuda.is_available() and hasattr(self.embedder, "model"):
                self.embedder.model.to("cuda")
        except ImportError:
            pass

    def __call__(self, batch: dict) -> dict:
        shards, blobs, secs = [], [], []
        for n, texts in zip(batch["shard"], batch["texts"], strict=True):
            t0 = time.perf_counter()
            vecs = self.embedder.encode([str(t) for t in texts], self.batch_size, False)
            shards.append(int(n))
            blobs.append(np.ascontiguousarray(vecs, dtype=np.float32).tobytes())
            secs.append(time.perf_counter() - t0)
        return {"shard": np.array(shards, dtype=np.int64), "vectors": np.array(blobs, dtype=object),
                "seconds": np.array(secs)}


def ensure_ray(address: str | None, num_cpus: int = 2, object_store_mb: int = 256) -> bool:
    """Connect to `address` ("auto", "ray://host:10001") or start a small local Ray.
    Returns True when this call started it (so the caller shuts it down)."""
    import ray

    if ray.is_initialized():
        return False
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False,
                 object_store_memory=object_store_mb * 2**20)
    return True


def ray_workers(cpus_per_worker: float = 1.0) -> tuple[int, dict]:
    """How many embedding actors the cluster can run at once: one per GPU if it has any, else per CPU."""
    import ray

    res = ray.cluster_resources()
    gpus = int(res.get("GPU", 0))
    if gpus:
        return gpus, {"num_gpus": 1}
    return max(1, int(res.get("CPU", 1) // cpus_per_worker)), {"num_cpus": cpus_per_worker}


def embed_ray(factory: Callable, model_id: str, dim: int, texts: Sequence[str], work_dir: str | Path, *,
              batch_size: int = 64, shard_size: int = 4096, address: str | None = None, num_cpus: int = 2,
              on_shard: Callable[[int], None] | None = None, progress: bool = False,
              stats: RayStats | None = None) -> np.ndarray:
    """Embed `texts` on Ray in shards, resuming from shards already in `work_dir`.

    `on_shard(n)` is called after each shard is safely on disk (tests use it to simulate a crash).
    """
    stats = stats if stats is not None else RayStats()
    t_start = time.perf_counter()
    bounds = shard_bounds(len(texts), shard_size)
    store = ShardStore(work_dir, model_id, dim)
    store.prune(len(bounds))
    out = np.zeros((len(texts), dim), dtype=np.float32)
    keys = [shard_key(model_id, texts[s:e]) for s, e in bounds]
    pending = []
    for n, (s, e) in enumerate(bounds):
        vecs = store.get(n, keys[n], e - s)
        if vecs is None:
            pending.append(n)
        else:
            out[s:e] = vecs
    stats.shards, stats.reused = len(bounds), len(bounds) - len(pending)
    if pending:
        _run_ray(factory, texts, bounds, keys, pending, store, out, batch_size, address, num_cpus, on_shard,
                 progress, stats)
    stats.seconds = time.perf_counter() - t_start
    log.info("ray embedding: %d shards (%d reused, %d embedded on %d workers) in %.1fs", stats.shards,
             stats.reused, stats.embedded, stats.workers, stats.seconds)
    return out


def _run_ray(factory, texts, bounds, keys, pending, store, out, batch_size, address, num_cpus, on_shard,
             progress, stats) -> None:
    import ray

    started = ensure_ray(address, num_cpus=num_cpus)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = progress
        ctx.verbose_progress = False
        workers, resources = ray_workers()
        workers = min(workers, len(pending))
        stats.workers = workers
        rows = [{"shard": n, "texts": list(texts[bounds[n][0]:bounds[n][1]])} for n in pending]
        ds = ray.data.from_items(rows, override_num_blocks=len(rows))
        ds = ds.map_batches(_EmbedWorker, fn_constructor_args=(factory, batch_size), batch_size=1,
                            compute=ray.data.ActorPoolStrategy(min_size=1, max_size=workers), **resources)
        for batch in ds.iter_batches(batch_size=1, batch_format="numpy", prefetch_batches=0):
            for n, blob, sec in zip(batch["shard"], batch["vectors"], batch["seconds"], strict=True):
                n = int(n)
                s, e = bounds[n]
                vecs = np.frombuffer(blob, dtype=np.float32).reshape(e - s, store.dim)
                store.put(n, keys[n], vecs)
                out[s:e] = vecs
                stats.embedded += 1
                stats.per_shard_s.append(float(sec))
                if on_shard is not None:
                    on_shard(n)
    finally:
        if started:
            ray.shutdown()
