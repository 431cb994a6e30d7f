"""The compressed index for large catalogs (IVF-PQ, memory-mapped, sharded, exact re-rank) on the real
demo vectors: it is chosen above the threshold, saves and reopens memory-mapped with its manifest checks,
finds what exact search finds, and keeps the catalog's filters (domain, years, exclusions) exact."""

from __future__ import annotations

import json

import faiss
import numpy as np
import pytest

from retrieval import Filters
from retrieval.catalog import Catalog
from retrieval.compressed import CompressedIndex
from retrieval.index import Manifest, VectorIndex, read_manifest


@pytest.fixture(scope="module")
def compressed_dir(full_catalog, tmp_path_factory):
    src = full_catalog.index
    live = np.flatnonzero(src.alive)
    vectors = np.asarray(src.vectors[live])
    keys = [src.keys[i] for i in live]
    index = VectorIndex.build(vectors, keys, src.manifest.embedder_id, exact_max=1_000,
                              compressed_min=10_000, shards=3)
    assert index.manifest.kind == "ivfpq" and index.manifest.shards == 3
    assert isinstance(index.faiss, CompressedIndex) and index.faiss.ntotal == len(keys)
    directory = tmp_path_factory.mktemp("compressed") / "index"
    index.save(directory)
    return directory


@pytest.fixture(scope="module")
def loaded(compressed_dir):
    return VectorIndex.load(compressed_dir)


def test_below_the_threshold_nothing_changes(full_catalog):
    vectors = np.asarray(full_catalog.index.vectors[:2000])
    keys = full_catalog.index.keys[:2000]
    def kind(**kw):
        return VectorIndex.build(vectors, keys, "e", **kw).manifest.kind

    assert kind(exact_max=1_000, compressed_min=10_000) == "hnsw"
    assert kind(exact_max=5_000, compressed_min=1_000) == "flat"
    assert VectorIndex.build(vectors, keys, "e", exact_max=1_000).manifest.kind == "hnsw"  # no threshold set


def test_reopens_memory_mapped_and_checks_its_files(compressed_dir, loaded):
    assert isinstance(loaded.vectors, np.memmap)  # vectors stay on disk
    for shard in loaded.faiss.shards:
        # FAISS 1.15 memory-maps flat-code lists (OnDiskInvertedLists) but reads fast-scan lists into RAM
        # (BlockInvertedLists): the 4-bit codes and ids, ~40 B/item, are resident; the float vectors are not
        lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(shard).invlists)
        assert isinstance(lists, (faiss.OnDiskInvertedLists, faiss.BlockInvertedLists))
    size = -(-len(loaded.keys) // 3)  # three shards of ceil(n / 3) items, the last takes the rest
    assert [b for b, _ in loaded.faiss.bounds] == [0, size, 2 * size]
    assert read_manifest(compressed_dir) == loaded.manifest
    # an old manifest (written before shards existed) still reads, as one shard
    saved = json.loads((compressed_dir / "manifest.json").read_text())
    old = {k: v for k, v in saved.items() if k != "shards"}
    assert Manifest(**old).shards == 1
    # a missing shard file is an error that makes the catalog rebuild, never a silent partial index
    broken = compressed_dir.with_name("broken")
    broken.mkdir()
    for f in compressed_dir.iterdir():
        if f.name != "index-002.faiss":
            (broken / f.name).write_bytes(f.read_bytes())
    with pytest.raises((OSError, RuntimeError, ValueError)):
        VectorIndex.load(broken)


def test_finds_what_exact_search_finds(full_catalog, loaded):
    rng = np.random.default_rng(0)
    queries = np.asarray(loaded.vectors[rng.choice(len(loaded.keys), 40, replace=False)])
    recalls = []
    for q in queries:
        got = {p for p, _ in loaded.search(q, 50)}
        exact = {p for p, _ in loaded._exact(q, 50, None)}
        recalls.append(len(got & exact) / 50)
    assert np.mean(recalls) >= 0.9
    hits = loaded.search(queries[0], 10)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)  # exact scores, in order


def test_filters_hold_through_the_catalog(full_catalog, loaded, compressed_dir):
    catalog = Catalog(full_catalog.store, loaded, full_catalog.embedder, compressed_dir)
    query = catalog.embed_query("a haunted house ghost story")
    books = catalog.search(query, 20, Filters(domain="book"))  # keeps ~1/3: IVF-PQ with a selector
    assert len(books) == 20 and all(h.item.domain == "book" for h in books)
    banned = frozenset(h.item.id for h in books[:5])
    old = catalog.search(query, 20, Filters(domain="book", year_max=1900, exclude_ids=banned))
    assert len(old) == 20 and not banned & {h.item.id for h in old}
    assert all(h.item.domain == "book" and h.item.year and h.item.year <= 1900 for h in old)
    wide = Filters(exclude_ids=banned)  # almost everything allowed
    assert not banned & {h.item.id for h in catalog.search(query, 30, wide)}


def test_new_items_join_a_memory_mapped_index(compressed_dir, tmp_path):
    index = VectorIndex.load(compressed_dir)
    rng = np.random.default_rng(1)
    new = rng.standard_normal((3, index.manifest.dim)).astype(np.float32)
    new /= np.linalg.norm(new, axis=1, keepdims=True)
    index.add(new, [("new:1", "h1"), ("new:2", "h2"), ("new:3", "h3")])
    assert index.search(new[1], 1)[0][0] == index.position["new:2"]
    index.save(tmp_path / "grown")
    again = VectorIndex.load(tmp_path / "grown")
    assert again.manifest.count == len(again.keys)
    assert again.search(new[2], 1)[0][0] == again.position["new:3"]
