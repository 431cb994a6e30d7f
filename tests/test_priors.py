"""Item priors: the shipped priors file (scripts/build_priors.py), and Item.prior through the read and store
paths."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import sqlite3
import statistics
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from retrieval import Catalog, Item
from retrieval.items import priors_path, read_items, write_jsonl_gz
from retrieval.store import ItemStore
from tests.conftest import DEMO_CATALOG, REPO, CountingEmbedder

PRIORS = priors_path(DEMO_CATALOG)
SOURCES = {"redial mentions", "wikipedia notability", "goodbooks-10k ratings", "gutenberg notability",
           "freemusi.cc ratings", "freemusi.cc (no rated tracks)"}

_spec = importlib.util.spec_from_file_location("build_priors", REPO / "scripts" / "build_priors.py")
bp = importlib.util.module_from_spec(_spec)
sys.modules["build_priors"] = bp
_spec.loader.exec_module(bp)


@pytest.fixture(scope="module")
def shipped():
    """(catalog items read the way the app reads them, priors file rows by id)."""
    with gzip.open(PRIORS, "rt", encoding="utf-8", newline="") as f:
        rows = {r["item_id"]: r for r in csv.DictReader(f)}
    return read_items(DEMO_CATALOG).items, rows


def _find(items, domain, title, creator=None, year=None):
    found = [i for i in items if i.domain == domain and i.title == title
             and (creator is None or creator in i.creators) and (year is None or i.year == year)]
    assert len(found) == 1, (title, [i.id for i in found])
    return found[0]


# --------------------------------------------------------------------------- the shipped file


def test_priors_cover_every_catalog_item_in_unit_range(shipped):
    items, rows = shipped
    assert PRIORS == REPO / "data" / "priors" / "catalog.csv.gz"
    assert set(rows) == {i.id for i in items}
    for item in items:
        assert item.prior is not None and 0.0 <= item.prior <= 1.0, item.id
        assert item.prior == float(rows[item.id]["prior"])
        assert rows[item.id]["source"] in SOURCES
        assert int(rows[item.id]["raw_count"]) >= 0
    # A percentile within each domain: spread over (0, 1), centred.
    for domain in ("movie", "book", "music"):
        priors = [i.prior for i in items if i.domain == domain]
        assert 0.45 < statistics.mean(priors) < 0.55, domain
        assert min(priors) < 0.05 and max(priors) > 0.99, domain


@pytest.mark.parametrize(
    ("domain", "title", "creator", "year"),
    [
        ("movie", "Titanic", None, 1997),
        ("movie", "The Godfather", None, 1972),
        ("book", "Pride and Prejudice", "Jane Austen", None),
        ("book", "Treasure Island", "Robert Louis Stevenson", None),
        ("book", "Adventures of Huckleberry Finn", "Mark Twain", None),
    ],
)
def test_well_known_items_rank_in_their_domains_top_decile(shipped, domain, title, creator, year):
    items, _ = shipped
    item = _find(items, domain, title, creator, year)
    assert item.prior >= 0.9, (item.id, item.prior)


def test_one_mention_does_not_outrank_a_notable_unmentioned_film(shipped):
    """Films ReDial never mentions (here: released after it was collected) still rank by notability."""
    items, rows = shipped
    once = [i.prior for i in items if i.domain == "movie" and rows[i.id]["raw_count"] == "1"]
    endgame = _find(items, "movie", "Avengers: Endgame")
    assert rows[endgame.id]["raw_count"] == "0" and rows[endgame.id]["source"] == "wikipedia notability"
    assert endgame.prior > statistics.median(once)
    # ...and mentions still count: a film mentioned many times beats every unmentioned one.
    unmentioned = max(i.prior for i in items if i.domain == "movie" and rows[i.id]["raw_count"] == "0")
    assert _find(items, "movie", "Titanic", year=1997).prior > unmentioned


def test_books_without_a_goodreads_match_rank_by_notability(shipped):
    items, rows = shipped
    unmatched = [i for i in items if i.domain == "book" and rows[i.id]["source"] == "gutenberg notability"]
    assert len(unmatched) > 9_000
    assert len({i.prior for i in unmatched}) > 1_000  # not one tied block at the bottom
    matched = sum(rows[i.id]["source"] == "goodbooks-10k ratings" for i in items if i.domain == "book")
    assert matched >= 300


def test_report_states_the_proxy_comparison():
    text = (REPO / "bench" / "results" / "priors.md").read_text(encoding="utf-8")
    for needle in ("AUC, unmentioned in fit", "notability model", "(shipped)", "goodbooks-10k works matched",
                   "squared error"):
        assert needle in text, needle
    assert "test_data" not in text


# --------------------------------------------------------------------------- statistics of the builder


def test_ranks_auc_percentile_and_top_share():
    assert list(bp.ranks([3.0, 1.0, 3.0, 2.0])) == [2.5, 0.0, 2.5, 1.0]
    assert bp.auc([0.9, 0.8, 0.1, 0.2], [True, True, False, False]) == 1.0
    assert bp.auc([1, 1, 1, 1], [True, False, True, False]) == 0.5
    assert list(bp.percentile([10.0, 20.0, 30.0, 40.0])) == [0.125, 0.375, 0.625, 0.875]
    # two of four items tie at the top: the top quarter holds half of that tied group's weight
    assert bp.top_share(np.array([5.0, 5.0, 1.0, 0.0]), np.array([2.0, 0.0, 1.0, 1.0]), 0.25) == 0.25


def test_logistic_fit_recovers_a_separating_direction():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] - 0.5 * x[:, 1] + rng.normal(scale=0.3, size=400) > 0).astype(float)
    design = bp.Design.fit({"a": x[:, 0], "b": x[:, 1]}, np.ones(400, dtype=bool))
    w = bp.logistic_fit(design.matrix({"a": x[:, 0], "b": x[:, 1]}), y)
    assert w[1] > 0 > w[2]
    assert bp.auc(bp.predict(design.matrix({"a": x[:, 0], "b": x[:, 1]}), w), y > 0) > 0.95


def test_goodbooks_titles_match_with_and_without_subtitles():
    keys = bp._title_variants("Moby-Dick or, The Whale")
    assert bp._title_variants("Moby-Dick; or, The Whale") & keys
    assert "frankenstein" in bp._title_variants("Frankenstein; or, the modern prometheus")


# --------------------------------------------------------------------------- Item.prior through the paths


ALIEN = Item("m:1", "movie", "Alien", 1979, ("Ridley Scott",), ("Horror",), "A crew meets a creature.")
ITEMS = [
    replace(ALIEN, prior=0.9),
    Item("b:1", "book", "Emma", None, ("Jane Austen",), ("Love stories",), "A matchmaker.", prior=0.25),
    Item("u:1", "music", "Night Drift", 2009, ("Monochord",), ("Ambient",), "An ambient album."),
]


def test_prior_round_trips_through_the_store(tmp_path):
    store = ItemStore(tmp_path / "db.sqlite")
    store.replace_origin(ITEMS, origin="file")
    assert store.all_items() == ITEMS
    store.upsert([ALIEN])  # the same item without a prior: the stored one goes
    assert {i.id: i.prior for i in store.all_items()} == {"m:1": None, "b:1": 0.25, "u:1": None}
    store.close()
    reopened = ItemStore(tmp_path / "db.sqlite")
    assert {i.id: i.prior for i in reopened.all_items()}["b:1"] == 0.25


def test_a_store_made_before_priors_gains_the_column(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("create table items (id text primary key, domain text, title text, year integer, creators "
                 "text, tags text, description text, url text, license text, content_hash text, origin text)")
    conn.execute("insert into items values ('m:1', 'movie', 'Alien', 1979, '[]', '[]', '', '', '', 'h', "
                 "'file')")
    conn.commit()
    conn.close()
    store = ItemStore(path)
    assert store.all_items()[0].prior is None
    store.upsert([ITEMS[0]])
    assert store.all_items()[0].prior == 0.9


def test_read_items_takes_priors_from_the_catalogs_priors_file(tmp_path):
    catalog = tmp_path / "catalog.jsonl.gz"
    write_jsonl_gz([Item(i.id, i.domain, i.title, i.year, i.creators, i.tags, i.description) for i in ITEMS]
                   + [Item("u:2", "music", "Own", prior=0.5)], catalog)
    assert b"prior" in gzip.decompress(catalog.read_bytes())  # only the item that has one writes it
    assert all(i.prior is None for i in read_items(catalog).items[:3])
    _write_priors(priors_path(catalog), {"m:1": "0.75", "b:1": "1.5", "u:2": "0.1", "x:9": "0.3"})
    got = {i.id: i.prior for i in read_items(catalog).items}
    assert got == {"m:1": 0.75, "b:1": None, "u:1": None, "u:2": 0.5}  # out of range skipped; own prior wins
    assert all(i.prior is None for i in read_items(catalog, with_priors=False).items[:3])


def _write_priors(path: Path, priors: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["item_id", "prior", "source", "raw_count"])
        w.writerows([k, v, "test", 0] for k, v in priors.items())


def test_new_priors_resync_the_store_without_re_embedding(tmp_path, embedder):
    catalog = tmp_path / "catalog.jsonl.gz"
    write_jsonl_gz(ITEMS, catalog)
    cat = Catalog.open(tmp_path / "db.sqlite", tmp_path / "index", embedder, catalog_file=catalog,
                       progress=False)
    assert cat.get("m:1").prior == 0.9 and embedder.encoded == len(ITEMS)
    _write_priors(priors_path(catalog), {"u:1": "0.6"})
    again = CountingEmbedder(embedder.inner)
    cat = Catalog.open(tmp_path / "db.sqlite", tmp_path / "index", again, catalog_file=catalog,
                       progress=False)
    assert cat.get("u:1").prior == 0.6
    assert again.encoded == 0  # the index keys on embedded text, which priors are not part of
    assert cat.search("an ambient electronic album", 1)[0].item.prior == 0.6
