"""SQLite + FAISS catalog: persistence, rebuilds, incremental adds and filters, on real parts."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from retrieval import Catalog, Filters, Item
from retrieval import index as index_module
from retrieval.catalog import replace_catalog
from retrieval.index import read_manifest
from retrieval.items import write_jsonl_gz
from retrieval.store import ItemStore, fts_query
from tests.conftest import REPO, CountingEmbedder

FILMS = [
    Item("m:inception", "movie", "Inception", 2010, ("Christopher Nolan", "Leonardo DiCaprio"),
         ("Science Fiction", "Thriller"), "A thief who steals secrets through dream-sharing plants an idea."),
    Item("m:interstellar", "movie", "Interstellar", 2014, ("Christopher Nolan",), ("Science Fiction",),
         "Astronauts travel through a wormhole to find a new home for humanity."),
    Item("m:conjuring", "movie", "The Conjuring", 2013, ("James Wan",), ("Horror",),
         "Paranormal investigators help a family terrorized by a dark presence in their farmhouse."),
    Item("m:grease", "movie", "Grease", 1978, ("Randal Kleiser",), ("Musical", "Romance"),
         "A greaser and a transfer student fall in love at high school in the 1950s."),
    Item("m:matrix", "movie", "The Matrix", 1999, ("The Wachowskis",), ("Science Fiction", "Action"),
         "A hacker learns that reality is a simulation run by machines."),
    Item("b:emma", "book", "Emma", None, ("Jane Austen",), ("Love stories", "England"),
         "A novel by Jane Austen about a young woman's matchmaking."),
    Item("b:time", "book", "The Time Machine", 1895, ("H. G. Wells",), ("Science fiction", "Time travel"),
         "A Victorian inventor travels to the far future."),
    Item("u:ambient", "music", "Night Drift", 2009, ("Monochord",), ("Electronic", "Ambient"),
         "An ambient electronic album released on a netlabel."),
]


def open_catalog(tmp_path, embedder, items=FILMS, **kw) -> Catalog:
    write_jsonl_gz(items, tmp_path / "catalog.jsonl.gz")
    return Catalog.open(tmp_path / "db.sqlite", tmp_path / "index", embedder,
                        catalog_file=tmp_path / "catalog.jsonl.gz", progress=False, **kw)


def test_search_finds_semantically_close_items(tmp_path, embedder):
    cat = open_catalog(tmp_path, embedder)
    titles = [h.item.title for h in cat.search("mind-bending science fiction about dreams", 3)]
    assert titles[0] == "Inception"
    scary = cat.search("a scary haunted house film", 1)[0]
    assert scary.item.id == "m:conjuring"
    assert -1.0 <= scary.score <= 1.0


def test_reopen_loads_persisted_index_without_embedding(tmp_path, embedder):
    open_catalog(tmp_path, embedder)
    assert embedder.encoded == len(FILMS) + 0
    again = CountingEmbedder(embedder.inner)
    cat = open_catalog(tmp_path, again)
    assert again.encoded == 0
    assert len(cat) == len(FILMS)
    manifest = read_manifest(tmp_path / "index")
    assert manifest.embedder_id == embedder.model_id and manifest.dim == 384 and manifest.count == len(FILMS)


def test_changed_catalog_reembeds_only_changed_items(tmp_path, embedder):
    open_catalog(tmp_path, embedder)
    edited = [*FILMS[:-1], Item("u:ambient", "music", "Night Drift", 2010, ("Monochord",), ("Ambient",)),
              Item("m:alien", "movie", "Alien", 1979, ("Ridley Scott",), ("Horror", "Science Fiction"),
                   "The crew of a spaceship meets a deadly creature.")]
    again = CountingEmbedder(embedder.inner)
    cat = open_catalog(tmp_path, again, items=edited)
    assert again.encoded == 2  # the edited album and the new film
    assert cat.get("u:ambient").year == 2010
    assert cat.search("creature aboard a spaceship", 1)[0].item.id == "m:alien"


def test_new_embedder_id_forces_full_rebuild(tmp_path, embedder):
    open_catalog(tmp_path, embedder)
    other = CountingEmbedder(embedder.inner, model_id="another-model")
    open_catalog(tmp_path, other)
    assert other.encoded == len(FILMS)
    assert read_manifest(tmp_path / "index").embedder_id == "another-model"


def test_corrupt_index_files_are_rebuilt(tmp_path, embedder):
    open_catalog(tmp_path, embedder)
    (tmp_path / "index" / "vectors.npy").write_bytes(b"garbage")
    again = CountingEmbedder(embedder.inner)
    cat = open_catalog(tmp_path, again)
    assert again.encoded == len(FILMS)
    assert cat.search("dream heist", 1)[0].item.id == "m:inception"


def test_filters_domain_years_and_ids(tmp_path, embedder):
    cat = open_catalog(tmp_path, embedder)
    q = "science fiction"
    assert {h.item.domain for h in cat.search(q, 10, Filters(domain="book"))} == {"book"}
    # Emma has no year: a year bound drops it unless asked to keep unknown years
    old = cat.search(q, 10, Filters(year_max=1990))
    assert {h.item.id for h in old} == {"m:grease", "b:time"}
    kept = cat.search(q, 10, Filters(year_max=1990, keep_unknown_year=True))
    assert {h.item.id for h in kept} == {"m:grease", "b:time", "b:emma"}
    mid = cat.search(q, 10, Filters(domain="movie", year_min=1999, year_max=2013))
    assert {h.item.id for h in mid} == {"m:matrix", "m:inception", "m:conjuring"}
    excl = cat.search(q, 10, Filters(exclude_ids=frozenset({"m:inception", "m:interstellar"})))
    assert not {"m:inception", "m:interstellar"} & {h.item.id for h in excl}
    assert len(excl) == len(FILMS) - 2
    inc = cat.search(q, 10, Filters(include_ids=frozenset({"m:grease", "u:ambient", "nope"})))
    assert {h.item.id for h in inc} == {"m:grease", "u:ambient"}
    assert cat.search(q, 10, Filters(domain="music", year_min=2020)) == []
    with pytest.raises(ValueError):
        cat.search(q, 3, Filters(domain="podcast"))


def test_results_are_sorted_and_match_brute_force(tmp_path, embedder):
    cat = open_catalog(tmp_path, embedder)
    q = cat.embed_query("a love story")
    hits = cat.search(q, len(FILMS))
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    brute = sorted(((float(cat.vectors_for([i.id])[0] @ q), i.id) for i in FILMS), reverse=True)
    assert [h.item.id for h in hits] == [i for _, i in brute]


def test_hnsw_with_restrictive_filters_is_exact(tmp_path, real_embedder, demo_items, monkeypatch):
    """Above exact_max the index is HNSW; filters that remove most hits must still give exact results."""
    embedder = CountingEmbedder(real_embedder)
    flat = open_catalog(tmp_path / "flat", embedder, items=demo_items)
    hnsw = Catalog.open(tmp_path / "flat" / "db.sqlite", tmp_path / "hnsw", embedder, exact_max=100,
                        progress=False)
    assert flat.index.manifest.kind == "flat" and hnsw.index.manifest.kind == "hnsw"
    monkeypatch.setattr(index_module, "EXACT_SUBSET_MAX", 0)  # the graph walk is allowed at any size
    for query, filters in [
        ("a scary ghost story", Filters(domain="music")),  # ~8% survive: scanned exactly
        ("space adventure", Filters(domain="movie", year_min=2000, year_max=2005)),
        ("a detective story", Filters(domain="movie")),  # ~50% survive: HNSW with a selector
        ("romance", Filters(exclude_ids=frozenset(i.id for i in demo_items[:50]))),
        ("romance", Filters()),
    ]:
        want = [h.item.id for h in flat.search(query, 20, filters)]
        got = [h.item.id for h in hnsw.search(query, 20, filters)]
        assert len(got) == len(want) == 20
        overlap = len(set(want) & set(got)) / 20
        assert overlap >= 0.9, (query, filters, overlap)
        assert all(hnsw.get(i).domain == filters.domain for i in got if filters.domain)
        assert not set(got) & filters.exclude_ids


def test_incremental_add_without_rebuild(tmp_path, embedder):
    cat = open_catalog(tmp_path, embedder)
    before = embedder.encoded
    n = cat.add_items([
        Item("m:up", "movie", "Up", 2009, ("Pete Docter",), ("Animation", "Family"),
             "An old man flies his house to South America with balloons."),
        FILMS[0],  # unchanged: not re-embedded
    ])
    assert n == 1 and embedder.encoded == before + 1
    assert cat.search("house lifted by balloons", 1)[0].item.id == "m:up"
    reopened = CountingEmbedder(embedder.inner)
    cat2 = open_catalog(tmp_path, reopened)  # added items survive a restart; nothing re-embedded
    assert reopened.encoded == 0 and cat2.get("m:up") is not None and len(cat2) == len(FILMS) + 1


def test_replaced_item_is_found_under_its_new_text(tmp_path, embedder):
    cat = open_catalog(tmp_path, embedder)
    slasher = Item("m:grease", "movie", "Grease", 1978, (), ("Horror",), "A chainsaw killer stalks a town.")
    cat.add_items([slasher])
    hits = cat.search("chainsaw killer", 10)
    assert [h.item.id for h in hits].count("m:grease") == 1
    assert hits[0].item.id == "m:grease" and cat.get("m:grease").tags == ("Horror",)


def test_replace_catalog_survives_restart_and_ignores_demo_file(tmp_path, embedder):
    cat = open_catalog(tmp_path, embedder)
    mine = [Item("x:1", "book", "My Book", 2001, ("Me",), ("Memoir",), "My life story.")]
    cat = replace_catalog(cat, mine, progress=False)
    assert len(cat) == 1
    cat2 = open_catalog(tmp_path, embedder)  # demo file passed again, but the custom catalog stays
    assert len(cat2) == 1 and cat2.get("x:1") is not None


def test_fts_title_lookup_is_fuzzy_and_injection_safe(tmp_path, embedder):
    cat = open_catalog(tmp_path, embedder)
    assert cat.find_titles("i loved INCEPTION")[0].id == "m:inception"
    assert cat.find_titles("christopher nolan")[0].creators[0] == "Christopher Nolan"
    assert [i.id for i in cat.find_titles("the matrix", domain="book")] == []
    # FTS5 syntax and SQL in user text neither raise nor widen the match: with no title word
    # in them they find nothing ("OR 1=1" must not return every row)
    for hostile in ['" OR 1=1 --', "NEAR(", "title:*", "'; drop table items; --", "", "\x00", "*", '"',
                    "a AND NOT"]:
        assert cat.find_titles(hostile) == [], hostile
    # a real title word wrapped in hostile syntax finds that title and nothing else
    assert [i.id for i in cat.find_titles('inception" OR 1=1 --')] == ["m:inception"]
    assert [i.id for i in cat.find_titles("matrix) OR title:*")] == ["m:matrix"]
    assert fts_query('an "alien" heist* OR the') == '"alien" OR "heist"'
    # nothing was dropped or altered: every row is there and still found by its title
    assert ItemStore(tmp_path / "db.sqlite").count() == len(FILMS)
    for film in FILMS:
        assert film.id in [i.id for i in cat.find_titles(film.title)], film.title


def test_cli_ingest_reports_bad_rows_and_indexes_good_ones(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("id,name,kind,year\n1,Alpha,movie,1999\n2,,movie,2000\n3,Gamma,book,x\n4,Delta,music,2010\n")
    cache = tmp_path / "cache"
    env_catalog = tmp_path / "empty.jsonl.gz"
    write_jsonl_gz([], env_catalog)
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ingest", str(f), "--map", "title=name", "--map", "domain=kind",
         "--replace", "--cache-dir", str(cache)],
        capture_output=True, text=True, cwd=REPO, timeout=300,
        env={**__import__("os").environ, "TASTEBUD_CATALOG_FILE": str(env_catalog)},
    )
    assert proc.returncode == 3, proc.stderr
    assert "mine.csv:3: rejected: missing title" in proc.stderr
    assert "mine.csv:4: rejected: year 'x' is not a number" in proc.stderr
    assert "2 items read, 2 rows rejected" in proc.stdout
    assert "catalog now holds 2 items" in proc.stdout
    search = subprocess.run(
        [sys.executable, "-m", "bot.cli", "search", "alpha", "--cache-dir", str(cache), "-k", "5"],
        capture_output=True, text=True, cwd=REPO, timeout=300,
        env={**__import__("os").environ, "TASTEBUD_CATALOG_FILE": str(env_catalog)},
    )
    assert search.returncode == 0, search.stderr
    assert sorted(json.loads(line)["id"] for line in search.stdout.splitlines()) == ["1", "4"]


def test_vectors_are_unit_length(tmp_path, embedder):
    cat = open_catalog(tmp_path, embedder)
    norms = np.linalg.norm(cat.index.vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4)
