"""The catalog as the bot sees it: items, lookup by title, and filtered vector search.

`Catalog.open` keeps three things in step: the SQLite copy of the items, the
catalog file they came from, and the FAISS index (rebuilt when the embedder or
the items change, re-embedding only what changed).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.embedding import embed_local
from retrieval.index import VectorIndex, catalog_hash, read_manifest
from retrieval.items import DOMAINS, Item, priors_path, read_items
from retrieval.store import ItemStore

log = logging.getLogger(__name__)


BulkEncode = Callable[[Sequence[str]], np.ndarray]


class Embedder(Protocol):
    model_id: str
    dim: int

    def encode(self, texts: list[str], batch_size: int = 64, show_progress: bool = False) -> np.ndarray: ...


@dataclass(frozen=True)
class Filters:
    """Hard constraints. Items with an unknown year fail any year bound unless keep_unknown_year."""

    domain: str | None = None
    year_min: int | None = None
    year_max: int | None = None
    exclude_ids: frozenset[str] = field(default_factory=frozenset)
    include_ids: frozenset[str] | None = None
    keep_unknown_year: bool = False


@dataclass(frozen=True)
class Hit:
    item: Item
    score: float


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def source_sha256(catalog_file: str | Path) -> str:
    """What the store was synced from: the catalog file and, when there is one, its priors file. A new
    priors file re-syncs the store; the index is keyed on embedded text only, so nothing is re-embedded."""
    sha = file_sha256(catalog_file)
    priors = priors_path(catalog_file)
    if not priors.is_file():
        return sha  # the value stores synced before priors existed hold: no needless re-sync
    return hashlib.sha256(f"{sha}+priors:{file_sha256(priors)}".encode()).hexdigest()


class Catalog:
    def __init__(self, store: ItemStore, index: VectorIndex, embedder: Embedder, index_dir: Path):
        self.store = store
        self.index = index
        self.embedder = embedder
        self.index_dir = index_dir
        self._refresh_arrays()

    # opening -------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        db_path: str | Path,
        index_dir: str | Path,
        embedder: Embedder,
        catalog_file: str | Path | None = None,
        exact_max: int = 200_000,
        batch_size: int = 64,
        progress: bool = True,
        bulk_encode: BulkEncode | None = None,
        compressed_min: int | None = None,
        index_shards: int = 1,
    ) -> Catalog:
        """Open (and if needed load, embed and index) a catalog.

        `bulk_encode(texts)` embeds what the index lacks (default: `embed_local`, shard by shard in
        this process; `retrieval.embedding.embed_ray` gives the same vectors on a Ray cluster).
        Above `compressed_min` items the index is IVF-PQ (retrieval/index.py), in `index_shards` files.

        With `catalog_file`, the database is synced to it whenever the file's
        content (or its priors file's, `retrieval.items.priors_path`) changes; items added by ingestion
        are kept. A catalog ingested
        with `replace_catalog` makes the file ignored from then on, so your own
        catalog is not undone at the next start.
        """
        store = ItemStore(db_path)
        index_dir = Path(index_dir)
        if catalog_file is not None and store.get_meta("source") != "custom":
            sha = source_sha256(catalog_file)
            if store.get_meta("source_sha256") != sha or store.count() == 0:
                report = read_items(catalog_file)
                for line, reason in report.errors[:20]:
                    log.warning("%s line %d: %s", catalog_file, line, reason)
                store.replace_origin(report.items, origin="file")
                store.set_meta("source", "file")
                store.set_meta("source_sha256", sha)
        items = store.all_items()
        encode = bulk_encode or _local_encoder(embedder, batch_size, progress)
        index = _load_or_build_index(items, index_dir, embedder, exact_max, encode,
                                     compressed_min=compressed_min, index_shards=index_shards)
        return cls(store, index, embedder, index_dir)

    # items -----------------------------------------------------------------------
    def _refresh_arrays(self) -> None:
        items = {i.id: i for i in self.store.all_items()}
        self.items: dict[str, Item] = items
        keys = self.index.keys
        self._item_at = [items.get(k) for k, _ in keys]
        codes = {d: n for n, d in enumerate(DOMAINS)}
        self._domain = np.array([codes[i.domain] if i else -1 for i in self._item_at], dtype=np.int8)
        self._year = np.array([(i.year or 0) if i else 0 for i in self._item_at], dtype=np.int32)
        present = np.array([i is not None for i in self._item_at], dtype=bool)
        self.index.alive &= present

    def __len__(self) -> int:
        return int(np.count_nonzero(self.index.alive))

    def get(self, item_id: str) -> Item | None:
        return self.items.get(item_id)

    def vectors_for(self, ids: Sequence[str]) -> np.ndarray:
        """Stored item vectors (rows in the order given; unknown ids are skipped)."""
        pos = [self.index.position[i] for i in ids if i in self.index.position]
        return self.index.vectors[pos]

    def find_titles(self, text: str, limit: int = 10, domain: str | None = None) -> list[Item]:
        return [item for item, _ in self.store.find_titles(text, limit, domain)]

    # search ------------------------------------------------------------------------
    def mask(self, filters: Filters) -> np.ndarray | None:
        """Boolean mask over index positions, or None when nothing is filtered."""
        m = None

        def both(a, b):
            return b if a is None else (a & b)

        if filters.domain:
            if filters.domain not in DOMAINS:
                raise ValueError(f"unknown domain {filters.domain!r}")
            m = both(m, self._domain == DOMAINS.index(filters.domain))
        if filters.year_min is not None or filters.year_max is not None:
            known = self._year > 0
            ok = known.copy()
            if filters.year_min is not None:
                ok &= self._year >= filters.year_min
            if filters.year_max is not None:
                ok &= self._year <= filters.year_max
            if filters.keep_unknown_year:
                ok |= ~known
            m = both(m, ok)
        if filters.include_ids is not None:
            inc = np.zeros(len(self._item_at), dtype=bool)
            inc[[self.index.position[i] for i in filters.include_ids if i in self.index.position]] = True
            m = both(m, inc)
        if filters.exclude_ids:
            exc = np.ones(len(self._item_at), dtype=bool)
            exc[[self.index.position[i] for i in filters.exclude_ids if i in self.index.position]] = False
            m = both(m, exc)
        return m

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.encode([text])[0]

    def search(self, query: str | np.ndarray, k: int = 50, filters: Filters | None = None) -> list[Hit]:
        vector = self.embed_query(query) if isinstance(query, str) else np.asarray(query, dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        if norm == 0.0 or not np.isfinite(norm):
            raise ValueError("query vector is zero or not finite")
        hits = self.index.search(vector / norm, k, self.mask(filters or Filters()))
        return [Hit(self._item_at[pos], score) for pos, score in hits]

    # growing -------------------------------------------------------------------------
    def add_items(self, items: Iterable[Item], batch_size: int = 64, progress: bool = False) -> int:
        """Insert or update items and index them incrementally (no full rebuild)."""
        items = list(items)
        if not items:
            return 0
        known = self.index.live_keys()
        fresh = [i for i in items if known.get(i.id) != i.content_hash()]
        self.store.upsert(items)
        if fresh:
            vectors = self.embedder.encode([i.embedding_text() for i in fresh], batch_size, progress)
            self.index.add(vectors, [(i.id, i.content_hash()) for i in fresh])
            self.index.save(self.index_dir)
        self._refresh_arrays()
        return len(fresh)


def _local_encoder(embedder: Embedder, batch_size: int, progress: bool, shard_size: int = 4096) -> BulkEncode:
    def encode(texts: Sequence[str]) -> np.ndarray:
        return embed_local(embedder, texts, batch_size, shard_size, progress)

    return encode


def _load_or_build_index(
    items: list[Item], index_dir: Path, embedder: Embedder, exact_max: int, encode: BulkEncode,
    compressed_min: int | None = None, index_shards: int = 1,
) -> VectorIndex:
    keys = [(i.id, i.content_hash()) for i in items]
    wanted = catalog_hash(keys)
    manifest = read_manifest(index_dir)
    old: VectorIndex | None = None
    if manifest is not None and manifest.embedder_id == embedder.model_id:
        try:
            old = VectorIndex.load(index_dir)
        except (OSError, ValueError) as err:
            log.warning("index in %s is unreadable (%s); rebuilding", index_dir, err)
        if old is not None and manifest.catalog_hash == wanted:
            return old
    # Reuse vectors of unchanged items; embed only new or edited ones.
    reuse = {}
    if old is not None:
        live = old.live_keys()
        reuse = {item_id: old.position[item_id] for item_id, h in keys if live.get(item_id) == h}
    todo = [i for i in items if i.id not in reuse]
    dim = embedder.dim
    vectors = np.zeros((len(items), dim), dtype=np.float32)
    if reuse:
        log.info("reusing %d vectors, embedding %d items", len(reuse), len(todo))
    if todo:
        new = encode([i.embedding_text() for i in todo])
        rows = {i.id: r for i, r in zip(todo, new, strict=True)}
    for n, item in enumerate(items):
        vectors[n] = old.vectors[reuse[item.id]] if item.id in reuse else rows[item.id]
    index = VectorIndex.build(vectors, keys, embedder.model_id, exact_max, compressed_min=compressed_min,
                              shards=index_shards)
    index.save(index_dir)
    return index


def replace_catalog(
    catalog: Catalog,
    items: Iterable[Item],
    exact_max: int = 50_000,
    batch_size: int = 64,
    progress: bool = True,
    bulk_encode: BulkEncode | None = None,
    compressed_min: int | None = None,
    index_shards: int = 1,
) -> Catalog:
    """Make `items` the whole catalog (kept across restarts) and re-index, reusing unchanged vectors."""
    items = list(items)
    catalog.store.replace_all(items)
    catalog.store.set_meta("source", "custom")
    encode = bulk_encode or _local_encoder(catalog.embedder, batch_size, progress)
    index = _load_or_build_index(items, catalog.index_dir, catalog.embedder, exact_max, encode,
                                 compressed_min=compressed_min, index_shards=index_shards)
    return Catalog(catalog.store, index, catalog.embedder, catalog.index_dir)
