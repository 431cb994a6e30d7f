#!/usr/bin/env python
"""Build the item priors (data/priors/catalog.csv.gz): how popular or well regarded each catalog item is
within its domain, as a number in [0, 1] that `retrieval.items.read_items` attaches to `Item.prior`.

Signals (sources beside the repo in ../shared/data, not shipped):

  movies  ReDial train-split mention counts (finetune.redial; the test split is never read), smoothed
          towards a notability estimate from the Wikipedia movie data (lead length, cast listed, how
          many films the cast made, ...), a logistic model fit on the same dialogues
  books   goodbooks-10k ratings per work, matched by normalised title + author surname; books it does
          not list get the expected rating count a notability model (Gutenberg bookshelves, subjects,
          editions, the author's Goodreads popularity) gives them
  music   freemusi.cc curators' track ratings, averaged per release and shrunk towards the mean

Each domain's smoothed score becomes its percentile rank within the domain: the three raw signals
(mentions, Goodreads ratings, curator stars) have no common unit, and a percentile makes a prior of
0.9 mean "top tenth of its domain" everywhere, whatever the scale or tail of the signal.

How well each candidate proxy predicts held-out signal is measured and written to
bench/results/priors.md; the source credits to data/priors/ATTRIBUTION.md. Deterministic output.

    python scripts/build_priors.py [--catalog data/catalog.jsonl.gz] [--sources DIR] [--redial-dir DIR]
                                   [--redial-part train|all] [--out PATH] [--report PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import importlib.util
import io
import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a plain script
    sys.path.insert(0, str(REPO))

from finetune.redial import (  # noqa: E402
    MOVIES_FILE,
    load_movies,
    load_train_dialogues,
    match_movies,
    mention_counts,
    split_of,
)
from retrieval.items import Item, priors_path, read_items  # noqa: E402

DEFAULT_CATALOG = REPO / "data" / "catalog.jsonl.gz"
DEFAULT_SOURCES = REPO.parent / "shared" / "data" / "catalog-sources"
DEFAULT_REDIAL = REPO.parent / "shared" / "data" / "eval" / "redial"
DEFAULT_REPORT = REPO / "bench" / "results" / "priors.md"
REDIAL_LAST_YEAR = 2018  # ReDial was collected in 2018: later films could not be mentioned
csv.field_size_limit(10_000_000)


def _load_builder():
    """scripts/build_catalog.py (not a package): its title keys, shelves and source credits."""
    spec = importlib.util.spec_from_file_location("build_catalog", REPO / "scripts" / "build_catalog.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_catalog", module)
    spec.loader.exec_module(module)
    return module


bc = _load_builder()


# --------------------------------------------------------------------------- statistics


def ranks(x: Sequence[float]) -> np.ndarray:
    """0-based ranks, ties sharing their average rank."""
    x = np.asarray(x, dtype=np.float64)
    order = np.argsort(x, kind="mergesort")
    sorted_x = x[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_x)) + 1]
    ends = np.r_[starts[1:], len(x)]
    out = np.empty(len(x))
    for a, b in zip(starts, ends, strict=True):
        out[order[a:b]] = (a + b - 1) / 2
    return out


def auc(score: Sequence[float], positive: Sequence[bool]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    pos = np.asarray(positive, dtype=bool)
    n1, n0 = int(pos.sum()), int((~pos).sum())
    if not n1 or not n0:
        return float("nan")
    return float((ranks(score)[pos].sum() - n1 * (n1 - 1) / 2) / (n1 * n0))


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    if len(a) < 3:
        return float("nan")
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


def top_share(score: np.ndarray, weight: np.ndarray, share: float = 0.1) -> float:
    """Share of the total weight held by the top `share` of items by score; a tied group straddling the
    cut counts in proportion (as if its ties were broken at random)."""
    order = np.argsort(-score, kind="mergesort")
    room, got = share * len(score), 0.0
    s_sorted, w_sorted = score[order], weight[order]
    starts = np.r_[0, np.flatnonzero(np.diff(s_sorted)) + 1]
    for a, b in zip(starts, np.r_[starts[1:], len(score)], strict=True):
        take = min(1.0, room / (b - a))
        got += take * w_sorted[a:b].sum()
        room -= take * (b - a)
        if room <= 0:
            break
    return got / max(1e-12, weight.sum())


def percentile(score: Sequence[float]) -> np.ndarray:
    """(rank + 0.5) / n: uniform in (0, 1), ties equal."""
    return (ranks(score) + 0.5) / len(score)


def logistic_fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 60) -> np.ndarray:
    """L2-regularised logistic regression by Newton steps; x has an intercept column first."""
    w = np.zeros(x.shape[1])
    penalty = l2 * np.diag(np.r_[0.0, np.ones(x.shape[1] - 1)])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        step = np.linalg.solve((x * (p * (1 - p))[:, None]).T @ x + penalty, x.T @ (y - p) - penalty @ w)
        w += step
        if np.abs(step).max() < 1e-9:
            break
    return w


def predict(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))


@dataclass
class Design:
    """Proxy columns -> standardised design matrix (statistics from the rows the model is fit on)."""

    names: list[str]
    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, columns: dict[str, np.ndarray], rows: np.ndarray) -> Design:
        x = np.column_stack([columns[n] for n in columns])[rows]
        return cls(list(columns), x.mean(0), x.std(0) + 1e-9)

    def matrix(self, columns: dict[str, np.ndarray]) -> np.ndarray:
        x = np.column_stack([columns[n] for n in self.names])
        return np.column_stack([np.ones(len(x)), (x - self.mean) / self.std])


def hash_half(key: str, salt: str) -> bool:
    """A stable 50/50 split (True = held out)."""
    return hashlib.sha1(f"{salt}:{key}".encode()).digest()[0] < 128


def fmt(x: float) -> str:
    return "—" if x != x else f"{x:.3f}"


@dataclass
class DomainPriors:
    ids: list[str]
    score: np.ndarray  # the smoothed signal before the percentile
    source: list[str]
    raw_count: list[int]
    report: list[str]  # markdown lines for bench/results/priors.md


# --------------------------------------------------------------------------- movies


def wikipedia_records(folder: Path) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(folder.glob("movies-*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            href = str(record.get("href") or "").strip()
            if href:
                out[href].append(record)
    return out


def movie_proxies(movies: Sequence[Item], records: dict[str, list[dict]]) -> dict[str, np.ndarray]:
    """Notability candidates the Wikipedia movie data gives for every film, ReDial-mentioned or not."""
    films_of: Counter = Counter()  # person -> films (all decades) listing them in the cast
    for rows in records.values():
        films_of.update({c for r in rows for c in (r.get("cast") or []) if isinstance(c, str)})
    cols: dict[str, list[float]] = defaultdict(list)
    for item in movies:
        rows = records.get(item.id.removeprefix("movie:wp:"), [])
        cast = {c for r in rows for c in (r.get("cast") or []) if isinstance(c, str)}
        lead = max((len(r.get("extract") or "") for r in rows), default=0)
        cols["lead paragraph length"].append(math.log1p(lead))
        cols["cast listed"].append(math.log1p(len(cast)))
        cols["has poster"].append(float(any(r.get("thumbnail") for r in rows)))
        cols["genres listed"].append(max((len(r.get("genres") or []) for r in rows), default=0))
        # A film with stars: how many films its three busiest cast members made.
        busiest = sorted((films_of[c] for c in cast), reverse=True)[:3]
        cols["cast's film count"].append(math.log1p(sum(busiest)))
        directors = [c for c in item.creators if c not in cast]
        cols["director's film count"].append(math.log1p(max((films_of[d] for d in directors), default=0)))
        cols["list rows (re-releases)"].append(len(rows))
        cols["year"].append(min(item.year or REDIAL_LAST_YEAR, REDIAL_LAST_YEAR))
    out = {k: np.asarray(v, dtype=np.float64) for k, v in cols.items()}
    # Newer films are talked about more, up to the year ReDial was collected (later ones cannot be):
    # a quadratic in the capped year lets the model find the peak.
    out["year²"] = ((out["year"] - 1994) / 24) ** 2
    return out


MOVIE_MODEL = [
    "lead paragraph length", "cast listed", "has poster", "genres listed", "cast's film count",
    "director's film count", "year", "year²",
]


def build_movies(items: Sequence[Item], wiki: Path, redial_dir: Path, part: str) -> DomainPriors:
    movies = [i for i in items if i.domain == "movie"]
    cols = movie_proxies(movies, wikipedia_records(wiki))
    id_map = match_movies(load_movies(redial_dir / MOVIES_FILE), list(items))
    dialogues = load_train_dialogues(redial_dir)  # the train-split slices only
    fit = [d for d in dialogues if split_of(d["conversationId"]) == "train"]
    held = [d for d in dialogues if split_of(d["conversationId"]) == "valid"]
    c_fit, c_held = mention_counts(fit, id_map), mention_counts(held, id_map)
    y_fit = np.array([c_fit.get(i.id, 0) for i in movies], dtype=np.float64)
    y_held = np.array([c_held.get(i.id, 0) for i in movies], dtype=np.float64)
    could = np.array([(i.year or 0) <= REDIAL_LAST_YEAR for i in movies])  # could be mentioned in 2018
    unseen = could & (y_fit == 0)
    held_pos = y_held > 0

    either = could & (y_held + y_fit > 0)

    def quality(score: np.ndarray) -> str:
        share = top_share(score[could], y_held[could])
        return (f"{fmt(auc(score[could], held_pos[could]))} | {fmt(auc(score[unseen], held_pos[unseen]))} | "
                f"{fmt(spearman(score[either], y_held[either]))} | {share:.3f}")

    lines = [
        "## Movies: ReDial mentions, smoothed by a Wikipedia notability estimate",
        "",
        f"Train-split dialogues: {len(dialogues):,}, cut by `finetune.redial.split_of` into a fit part "
        f"({len(fit):,}, its \"train\" part) and a held-out part ({len(held):,}, its \"valid\" part). "
        f"Catalog movies: {len(movies):,}; {int(could.sum()):,} released by {REDIAL_LAST_YEAR} (the rows "
        f"scored below); {int((y_fit > 0).sum()):,} mentioned in the fit part, {int(held_pos.sum()):,} in "
        f"the held-out part, {int((unseen & held_pos).sum()):,} of those not in the fit part.",
        "",
        "Columns: AUC for \"mentioned in a held-out dialogue\" over all films; the same AUC over films the "
        "fit part never mentions (what a proxy is for); Spearman with held-out mention counts over films "
        "mentioned in either part; share of all held-out mentions that go to the score's top decile.",
        "",
        "| score | AUC | AUC, unmentioned in fit | Spearman | top-decile share |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in [*MOVIE_MODEL[:-1], "list rows (re-releases)"]:
        lines.append(f"| proxy: {name} | {quality(cols[name])} |")
    design = Design.fit({n: cols[n] for n in MOVIE_MODEL}, could)
    x = design.matrix({n: cols[n] for n in MOVIE_MODEL})
    w = logistic_fit(x[could], (y_fit[could] > 0).astype(float))
    # P(mentioned at least once) -> expected mentions in the fit part (Poisson: p = 1 - exp(-mu)).
    mu = -np.log1p(-np.clip(predict(x, w), 0, 0.999999))
    lines.append(f"| notability model (logistic blend of the proxies but re-releases) | {quality(mu)} |")
    lines.append(f"| fit-part mention count | {quality(y_fit)} |")
    # Counts smoothed towards the notability estimate: a gamma-Poisson posterior mean, count + s * mu,
    # where s is the prior's weight in units of the fit part. Held-out AUC is nearly flat in s up to ~2
    # (deviance prefers less), so s is set by what the prior is for: a film mentioned once, of the median
    # notability of such films, must not outrank an unmentioned film in the top notability decile,
    # s * q90 > 1 + s * median  ->  s = 1 / (q90 - median). Read from the fit part only.
    q90 = float(np.quantile(mu[could], 0.9))
    once = float(np.median(mu[could & (y_fit == 1)]))
    s_rule = round(1 / max(0.05, q90 - once), 2)
    sweep = []
    for s in sorted({0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, s_rule}):
        score = y_fit + s * mu
        pred = (y_fit + s * mu) / (1 + s) * len(held) / len(fit) + 1e-9
        yh, ph = y_held[could], pred[could]
        deviance = 2 * float(np.sum(np.where(yh > 0, yh * np.log(np.maximum(yh, 1e-12) / ph), 0) - (yh - ph)))
        sweep.append((round(auc(score[could], held_pos[could]), 4), s, deviance, score))
    best = max(sweep, key=lambda r: (r[0], r[1]))
    shipped = next(r for r in sweep if r[1] == s_rule)
    s = s_rule
    lines.append(f"| **blend: count + {s:g} × notability (shipped)** | {quality(shipped[3])} |")
    lines.append(f"| blend at the best held-out AUC (s = {best[1]:g}) | {quality(best[3])} |")
    lines += [
        "",
        "Prior weight s (score = count + s × expected fit-part mentions from the notability model; s = 1 "
        "weighs the model like the whole fit part): held-out AUC and Poisson deviance of the implied "
        "held-out counts. AUC is nearly flat up to s ≈ 2 and deviance prefers less; the shipped s is set so "
        "that a film mentioned once, of the median notability of such films "
        f"(expected mentions {once:.2f}), does not outrank an unmentioned film in the top notability decile "
        f"({q90:.2f}): s = 1 / ({q90:.2f} − {once:.2f}) = {s_rule:g}, at a held-out AUC cost of "
        f"{best[0] - shipped[0]:.4f}.",
        "",
        "| s | AUC | deviance |",
        "|---:|---:|---:|",
        *(f"| {r[1]:g}{' (shipped)' if r[1] == s_rule else ''} | {r[0]:.4f} | {r[2]:,.0f} |" for r in sweep),
        "",
        "Proxy coefficients (standardised): "
        + ", ".join(f"{n} {c:+.2f}" for n, c in zip(design.names, w[1:], strict=True)) + ".",
    ]
    # The shipped prior: counts from the part asked for (default: the fit part, so that the held-out part
    # stays fit for tuning the prior's weight), the model refit on them.
    counts = c_fit if part == "train" else mention_counts(dialogues, id_map)
    y = np.array([counts.get(i.id, 0) for i in movies], dtype=np.float64)
    mu = -np.log1p(-np.clip(predict(x, logistic_fit(x[could], (y[could] > 0).astype(float))), 0, 0.999999))
    score = np.log1p(y + s * mu)
    single = score[y == 1]
    lines += [
        "",
        f"Shipped: mentions from {'the fit part' if part == 'train' else 'all train-split dialogues'}. "
        f"Films never mentioned that rank above the median once-mentioned film: "
        f"{int((score[y == 0] > np.median(single)).sum()) if len(single) else 0:,}.",
    ]
    return DomainPriors(
        [i.id for i in movies],
        score,
        ["redial mentions" if c else "wikipedia notability" for c in y],
        [int(c) for c in y],
        lines,
    )


# --------------------------------------------------------------------------- books


def _title_variants(title: str) -> set[str]:
    """Match keys for a title: whole, and without a subtitle or an 'or' alternative title."""
    out = set()
    for cut in (r"$^", r"[:;]", r"[:;]|,? or,? "):
        key = bc.goodbooks_key(bc.re.split(cut, title or "", maxsplit=1, flags=bc.re.I)[0], "x")[0]
        if key:
            out.add(key)
    return out


def _surname(name: str) -> str:
    words = bc.fold(name).split()
    return words[-1] if words else ""


def load_goodbooks(folder: Path) -> tuple[dict[tuple[str, str], int], dict[str, int], int]:
    """(title key, surname) -> ratings of the work; author key -> the author's ratings; the smallest count."""
    by_key: dict[tuple[str, str], int] = {}
    by_author: Counter = Counter()
    lowest = None
    with open(folder / "books.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            ratings = int(float(row.get("work_ratings_count") or row.get("ratings_count") or 0))
            author = (row.get("authors") or "").split(",")[0]
            by_author[_author_key(author)] += ratings
            lowest = ratings if lowest is None else min(lowest, ratings)
            for title in {row.get("original_title") or "", row.get("title") or ""}:
                for t in _title_variants(title):
                    key = (t, _surname(author))
                    by_key[key] = max(by_key.get(key, 0), ratings)
    return by_key, dict(by_author), lowest or 1


def _author_key(name: str) -> str:
    """'Arthur Conan Doyle' and 'A. Conan Doyle' -> 'doyle a'."""
    words = bc.fold(name).split()
    return f"{words[-1]} {words[0][0]}" if words else ""


def gutenberg_tables(folder: Path) -> tuple[dict[str, list[dict]], dict[str, int], dict[str, dict]]:
    """gid -> metadata rows; gid -> LCSH heading count; author id -> authors.csv row."""
    rows: dict[str, list[dict]] = defaultdict(list)
    with open(folder / "gutenberg_metadata.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rows[row["gutenberg_id"].strip()].append(row)
    subjects: Counter = Counter()
    with open(folder / "gutenberg_subjects.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["subject_type"] == "lcsh":
                subjects[row["gutenberg_id"]] += 1
    authors: dict[str, dict] = {}
    path = folder / "gutenberg_authors.csv"
    if path.exists():
        with open(path, encoding="utf-8", newline="") as f:
            authors = {r["gutenberg_author_id"]: r for r in csv.DictReader(f)}
    return rows, dict(subjects), authors


def book_proxies(books: Sequence[Item], pg: dict[str, list[dict]], subjects: dict[str, int],
                 authors: dict[str, dict], author_ratings: dict[str, int],
                 own_ratings: np.ndarray) -> dict[str, np.ndarray]:
    # How many Project Gutenberg records (any language) carry each work: translated, reissued, split
    # into volumes -- what people kept reading gets digitised again.
    records_of_work: Counter = Counter()
    records_of_author: Counter = Counter()
    for meta in pg.values():
        title = bc.clean_title(meta[0].get("title") or "")[0]
        author = bc.reorder_author(meta[0].get("author") or "")
        records_of_work[bc.work_key(title, author)] += 1
        records_of_author.update({(m.get("gutenberg_author_id") or "").split(".")[0] for m in meta} - {""})
    cols: dict[str, list[float]] = defaultdict(list)
    for n, item in enumerate(books):
        gid = item.id.removeprefix("book:pg:")
        meta = pg.get(gid, [{}])
        shelves = bc.clean_shelves(meta[0].get("gutenberg_bookshelf") or "")
        author_ids = [(m.get("gutenberg_author_id") or "").split(".")[0] for m in meta]
        cols["bookshelves"].append(len(shelves))
        cols["popular-list shelves"].append(len(bc.POPULAR_SHELVES.intersection(shelves)))
        cols["LCSH subjects"].append(subjects.get(gid, 0))
        cols["PG records of the work"].append(
            math.log1p(records_of_work[bc.work_key(item.title, item.creators[0] if item.creators else "")])
        )
        cols["PG records of the author"].append(math.log1p(max((records_of_author[a] for a in author_ids),
                                                               default=0)))
        cols["author has a Wikipedia page"].append(float(any((authors.get(a) or {}).get("wikipedia")
                                                             for a in author_ids)))
        # The author's other Goodreads books (this one's own ratings taken out): a famous author's
        # lesser-known book is still likelier to be read.
        others = max((author_ratings.get(_author_key(c), 0) for c in item.creators), default=0)
        cols["author's other Goodreads ratings"].append(math.log1p(max(0, others - own_ratings[n])))
    return {k: np.asarray(v, dtype=np.float64) for k, v in cols.items()}


def build_books(items: Sequence[Item], sources: Path) -> DomainPriors:
    books = [i for i in items if i.domain == "book"]
    by_key, by_author, lowest = load_goodbooks(sources / "goodbooks-10k")
    ratings = np.zeros(len(books))
    for n, book in enumerate(books):
        for creator in book.creators:
            for t in _title_variants(book.title):
                ratings[n] = max(ratings[n], by_key.get((t, _surname(creator)), 0))
    matched = ratings > 0
    pg, subjects, authors = gutenberg_tables(sources / "gutenberg")
    cols = book_proxies(books, pg, subjects, authors, by_author, ratings)
    held = np.array([hash_half(b.id, "priors-books") for b in books])
    lines = [
        "## Books: goodbooks-10k ratings, else a Gutenberg notability estimate",
        "",
        f"goodbooks-10k works matched to the {len(books):,} catalog books by normalised title (whole, "
        f"without subtitle, without an \"or\" title) + author surname: **{int(matched.sum()):,}**. The "
        "rest get the rating count a notability model expects. The model is judged by how well it finds "
        f"the matched books it was not fit on: books split 50/50 by a hash ({int((~held).sum()):,} fit, "
        f"{int(held.sum()):,} held out, {int(matched[held].sum())} of them matched).",
        "",
        "| score | AUC (held-out: in goodbooks-10k?) | Spearman with ratings (held-out matched) |",
        "|---|---:|---:|",
    ]
    for name, col in cols.items():
        lines.append(f"| proxy: {name} | {fmt(auc(col[held], matched[held]))} | "
                     f"{fmt(spearman(col[held & matched], ratings[held & matched]))} |")
    design = Design.fit(cols, ~held)
    x = design.matrix(cols)
    p_held = predict(x, logistic_fit(x[~held], matched[~held].astype(float)))
    lines.append(f"| **notability model (logistic blend, shipped for unmatched books)** | "
                 f"{fmt(auc(p_held[held], matched[held]))} | "
                 f"{fmt(spearman(p_held[held & matched], ratings[held & matched]))} |")
    # Shipped: refit on every book. A matched book scores its log rating count; another scores the
    # expected one, P(listed) * typical listed count + (1 - P) * the smallest listed count.
    w = logistic_fit(x, matched.astype(float))
    p = predict(x, w)
    typical = float(np.log1p(ratings[matched]).mean()) if matched.any() else math.log1p(lowest)
    score = np.where(matched, np.log1p(ratings), p * typical + (1 - p) * math.log1p(lowest))
    lines += [
        "",
        "Proxy coefficients (standardised, all books): "
        + ", ".join(f"{n} {c:+.2f}" for n, c in zip(design.names, w[1:], strict=True)) + ".",
    ]
    return DomainPriors(
        [b.id for b in books],
        score,
        ["goodbooks-10k ratings" if m else "gutenberg notability" for m in matched],
        [int(r) for r in ratings],
        lines,
    )


# --------------------------------------------------------------------------- music


def build_music(items: Sequence[Item], folder: Path) -> DomainPriors:
    albums = [i for i in items if i.domain == "music"]
    rated: dict[str, list[tuple[bool, float]]] = defaultdict(list)  # release -> (held-out half, stars)
    with open(folder / "tracks.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            stars = float(row.get("rating") or 0)
            if stars > 0:  # 0 = not rated (the scale is 1-5)
                key = f"{row['id']}|{row.get('disc')}|{row.get('track')}|{row.get('title')}"
                rated[row["id"]].append((hash_half(key, "priors-music"), stars))
    all_stars = [s for tracks in rated.values() for _, s in tracks]
    mean = float(np.mean(all_stars)) if all_stars else 0.0

    def shrunk(stars: Sequence[float], k: float) -> float:
        return (sum(stars) + k * mean) / (len(stars) + k)

    # How many average tracks a release's own ratings must outweigh: chosen by predicting the ratings of
    # one half of each release's tracks from the other half.
    both = [r for r, t in rated.items() if any(h for h, _ in t) and any(not h for h, _ in t)]
    sweep = []
    for k in (0.0, 0.5, 1.0, 2.0, 4.0, 8.0):
        a = np.array([shrunk([s for h, s in rated[r] if not h], k) for r in both])
        b = np.array([np.mean([s for h, s in rated[r] if h]) for r in both])
        sweep.append((float(np.mean((a - b) ** 2)), k, spearman(a, b)))
    k = min(sweep)[1]
    ids = [a.id.removeprefix("music:fmc:") for a in albums]
    score = np.array([shrunk([s for _, s in rated.get(r, [])], k) for r in ids])
    lines = [
        "## Music: freemusi.cc curators' track ratings",
        "",
        "freemusi.cc gives no plays or downloads, only its curators' 1-5 star track ratings: the prior is "
        "a release's mean track rating, shrunk towards the mean of all rated tracks "
        f"({mean:.2f} stars) by k pseudo-tracks. Albums with rated tracks: "
        f"{sum(1 for r in ids if rated.get(r)):,} of {len(albums):,} (the rest get the mean). k is chosen "
        f"by predicting the mean rating of one half of each release's tracks from the other half "
        f"({len(both):,} releases with rated tracks in both halves).",
        "",
        "| k | squared error | Spearman |",
        "|---:|---:|---:|",
        *(f"| {kk:g}{' (shipped)' if kk == k else ''} | {err:.3f} | {fmt(rho)} |" for err, kk, rho in sweep),
    ]
    return DomainPriors(
        [a.id for a in albums],
        score,
        ["freemusi.cc ratings" if rated.get(r) else "freemusi.cc (no rated tracks)" for r in ids],
        [len(rated.get(r, [])) for r in ids],
        lines,
    )


# --------------------------------------------------------------------------- output


def write_priors(domains: Sequence[DomainPriors], out: Path) -> list[tuple[str, float, str, int]]:
    rows = []
    for d in domains:
        priors = percentile(d.score)
        for item_id, prior, source, count in zip(d.ids, priors, d.source, d.raw_count, strict=True):
            rows.append((item_id, round(float(prior), 4), source, count))
    rows.sort()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["item_id", "prior", "source", "raw_count"])
    writer.writerows(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))  # mtime 0, no name: a rebuild is byte-identical
    return rows


def top_lines(items: Sequence[Item], rows: Sequence[tuple[str, float, str, int]],
              checks: Sequence[str], n: int = 8) -> list[str]:
    by_id = {i.id: i for i in items}
    lines = ["## Top of each domain, and spot checks", ""]
    for domain in ("movie", "book", "music"):
        top = sorted((r for r in rows if by_id[r[0]].domain == domain), key=lambda r: (-r[1], r[0]))[:n]
        lines.append(f"- {domain}: " + "; ".join(f"{by_id[r[0]].title} ({r[1]:.3f})" for r in top))
    prior = {r[0]: r for r in rows}
    lines.append("")
    for item_id in checks:
        if item_id in prior:
            r = prior[item_id]
            title = by_id[item_id].title
            lines.append(f"- {title} (`{item_id}`): prior {r[1]:.3f}, {r[2]}, raw count {r[3]:,}")
    return lines


def attribution_markdown(sources: Path, out_name: str, part: str) -> str:
    def origin(name: str) -> str:
        repo, commit = bc.source_origin(sources / name)
        return f"<https://{repo}>, commit `{commit}`"

    part_text = ('its "train" part by `finetune.redial.split_of`, so that the "valid" part stays unseen'
                 if part == "train" else "all of the slices we have")
    return f"""# Attribution: data/priors/

`{out_name}` (columns `item_id,prior,source,raw_count`) is derived by
`scripts/build_priors.py`: for every item of the demo catalog, a popularity/quality prior in
[0, 1] (its percentile within its domain). Only numbers derived from the sources below are
shipped, no text.

- **ReDial** (Li et al., "Towards Deep Conversational Recommendations", NeurIPS 2018): how many
  dialogues of the original *train* split ({part_text}) mention each movie, linked to catalog
  movies through the titles of `movies_with_mentions.csv` (its mention counts are not used: they
  include the test split). The test split is not read. The train-split slices are listed in
  `data/interactions/ATTRIBUTION.md`. Licence
  [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).
- **Wikipedia movie data** ("Movie Data" by Peter Rust, MIT; text from Wikipedia, CC BY-SA 4.0):
  counts read from the list rows (lead-paragraph length, cast listed, films per cast member,
  genres, poster present) for a notability estimate.
  Origin: {origin("wikipedia-movies")}.
- **goodbooks-10k** (Zygmunt Zając, 2017): `work_ratings_count` of the works matched by title and
  author surname, and per-author totals. Licence
  [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/).
  Origin: {origin("goodbooks-10k")}.
- **Project Gutenberg catalogue** via gutenbergr: bookshelves, subject headings, records per work
  and per author, author Wikipedia links. Licence
  [CC0 1.0](https://creativecommons.org/publicdomain/zero/1.0/).
  Origin: {origin("gutenberg")}.
- **freemusi.cc database**: curators' track ratings per release. Licence
  [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/).
  Origin: {origin("freemusicc")}.

**Licence of the file:** derived from CC BY-SA 4.0 data (goodbooks-10k, freemusi.cc), so
[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/), crediting the sources above.

Regenerate (sources beside the repository, in `../shared/data`): `python scripts/build_priors.py`.
How well each signal predicts held-out data: `bench/results/priors.md`.
"""


CHECKS = (
    "movie:wp:Titanic_(1997_film)", "movie:wp:The_Godfather", "movie:wp:Avengers:_Endgame", "book:pg:1342",
    "book:pg:120",
    "book:pg:76", "music:fmc:001netlabel-jazz-01-recorcholis",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path, default=DEFAULT_CATALOG)
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                        help="folder with wikipedia-movies/, gutenberg/, goodbooks-10k/, freemusicc/")
    parser.add_argument("--redial-dir", type=Path, default=DEFAULT_REDIAL,
                        help="ReDial folder (only its train-split files are read)")
    parser.add_argument("--redial-part", choices=("train", "all"), default="train",
                        help="mentions shipped: the split_of 'train' part (default; keeps the 'valid' part "
                        "unseen for tuning) or all train-split dialogues")
    parser.add_argument("--out", type=Path,
                        help="priors file (default: the catalog's, retrieval.items.priors_path)")
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT)
    args = parser.parse_args(argv)
    out = args.out or priors_path(args.catalog)
    items = read_items(args.catalog, with_priors=False).items
    builders: list[Callable[[], DomainPriors]] = [
        lambda: build_movies(items, args.sources / "wikipedia-movies", args.redial_dir, args.redial_part),
        lambda: build_books(items, args.sources),
        lambda: build_music(items, args.sources / "freemusicc"),
    ]
    domains = [b() for b in builders]
    rows = write_priors(domains, out)
    try:
        out_name = out.resolve().relative_to(REPO).as_posix()
    except ValueError:
        out_name = out.name
    (out.parent / "ATTRIBUTION.md").write_text(attribution_markdown(args.sources, out_name, args.redial_part),
                                               encoding="utf-8")
    report = [
        "# Item priors: which signal predicts held-out popularity",
        "",
        "Written by `scripts/build_priors.py`. Each domain's smoothed signal is turned into its percentile "
        "rank within the domain (the raw units differ: mentions, Goodreads ratings, curator stars).",
        "",
    ]
    for d in domains:
        report += [*d.report, ""]
    report += top_lines(items, rows, CHECKS)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text("\n".join(report) + "\n", encoding="utf-8")
    counts = Counter(s for _, _, s, _ in rows)
    print(f"{len(rows):,} priors -> {out}; " + ", ".join(f"{s} {n:,}" for s, n in sorted(counts.items())))
    print(f"report -> {args.report}")
    return 0 if {r[0] for r in rows} == {i.id for i in items} else 1


if __name__ == "__main__":
    sys.exit(main())
