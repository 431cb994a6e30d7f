"""The one item schema shared by every domain, and reading catalogs into it.

A catalog file is CSV or JSONL. Each row becomes an `Item`; a row that cannot
become one is reported with its line number and the reason, and every good row
is kept.

An item's `prior` (how popular or well regarded it is within its domain, 0..1) comes from a
`prior` column, or from the catalog's priors file (`priors/catalog.csv.gz` beside
`catalog.jsonl.gz`, built by scripts/build_priors.py): kept apart so that new priors change
neither the catalog file nor anything embedded from it.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

DOMAINS = ("movie", "book", "music")
ITEM_FIELDS = (
    "id",
    "domain",
    "title",
    "year",
    "creators",
    "tags",
    "description",
    "url",
    "license",
    "prior",
)
_LIST_SPLIT = re.compile(r"\s*[|;]\s*")


@dataclass(frozen=True)
class Item:
    id: str
    domain: str
    title: str
    year: int | None = None
    creators: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    description: str = ""
    url: str = ""
    license: str = ""
    # Popularity/quality within the domain, 0 (least) .. 1 (most); None when unknown. Not embedded.
    prior: float | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["creators"] = list(self.creators)
        d["tags"] = list(self.tags)
        if self.prior is None:
            del d["prior"]  # files written before priors existed stay byte-identical
        return d

    def embedding_text(self, max_chars: int = 160) -> str:
        """Short text for the embedder: what an item is about, in ~35 tokens.

        Kept short on purpose: embedding cost grows with length, and the whole demo
        catalog must index in minutes on 2 cores. Most telling parts come first
        (title, tags, creators), then as much of the first sentence as fits.
        """
        parts = [self.title if self.year is None else f"{self.title} ({self.year})"]
        if self.tags:
            parts.append(", ".join(self.tags[:6]))
        if self.creators:
            parts.append("by " + ", ".join(self.creators[:2]))
        first = _first_sentence(self.description)
        if first:
            parts.append(first)
        text = ". ".join(parts)
        if len(text) > max_chars:
            text = text[:max_chars].rsplit(" ", 1)[0]
        return text

    def content_hash(self) -> str:
        return hashlib.sha1(self.embedding_text().encode("utf-8")).hexdigest()[:16]


def _first_sentence(text: str, max_chars: int = 240) -> str:
    text = " ".join(text.split())
    m = re.search(r"(?<=[.!?])\s+(?=[A-Z0-9\"'])", text)
    first = text[: m.start()] if m else text
    return first[:max_chars]


class RowError(ValueError):
    """A catalog row that cannot become an Item."""


def _as_list(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("["):
            with contextlib.suppress(json.JSONDecodeError):
                value = json.loads(value)
    if isinstance(value, str):
        parts = _LIST_SPLIT.split(value) if _LIST_SPLIT.search(value) else value.split(",")
    elif isinstance(value, (list, tuple)):
        parts = [str(v) for v in value if v is not None]
    else:
        raise RowError(f"expected a list or a string, got {type(value).__name__}")
    seen: dict[str, None] = {}
    for p in parts:
        p = " ".join(p.split())
        if p and p.lower() not in {s.lower() for s in seen}:
            seen[p] = None
    return tuple(seen)


def _as_year(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        year = int(float(str(value).strip()))
    except ValueError as err:
        raise RowError(f"year {value!r} is not a number") from err
    if not 1000 <= year <= 2100:
        raise RowError(f"year {year} is out of range 1000-2100")
    return year


def _as_prior(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        prior = float(str(value).strip())
    except ValueError as err:
        raise RowError(f"prior {value!r} is not a number") from err
    if not (math.isfinite(prior) and 0.0 <= prior <= 1.0):
        raise RowError(f"prior {prior} is out of range 0-1")
    return prior


def item_from_row(row: Mapping, default_domain: str | None = None) -> Item:
    """Validate one row (already renamed to ITEM_FIELDS) and build an Item."""
    item_id = str(row.get("id") or "").strip()
    if not item_id:
        raise RowError("missing id")
    title = " ".join(str(row.get("title") or "").split())
    if not title:
        raise RowError("missing title")
    domain = str(row.get("domain") or default_domain or "").strip().lower()
    if domain not in DOMAINS:
        raise RowError(f"domain {domain or '(empty)'!r} is not one of {', '.join(DOMAINS)}")
    return Item(
        id=item_id,
        domain=domain,
        title=title,
        year=_as_year(row.get("year")),
        creators=_as_list(row.get("creators")),
        tags=_as_list(row.get("tags")),
        description=" ".join(str(row.get("description") or "").split()),
        url=str(row.get("url") or "").strip(),
        license=str(row.get("license") or "").strip(),
        prior=_as_prior(row.get("prior")),
    )


@dataclass
class ReadReport:
    items: list[Item] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (line number, id)

    def summary(self) -> str:
        return (
            f"{len(self.items)} items read, {len(self.errors)} rows rejected, "
            f"{len(self.duplicates)} duplicate ids skipped"
        )


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def _rows(path: Path) -> Iterator[tuple[int, dict | Exception]]:
    """(line number, row dict or the error that spoiled it)."""
    name = path.name.lower().removesuffix(".gz")
    with _open_text(path) as f:
        if name.endswith(".csv"):
            reader = csv.DictReader(f)
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as err:
                    yield reader.line_num, RowError(f"bad CSV: {err}")
                    continue
                if None in row:
                    yield reader.line_num, RowError("more fields than the header has")
                    continue
                yield reader.line_num, row
        elif name.endswith((".jsonl", ".ndjson", ".json")):
            for n, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as err:
                    yield n, RowError(f"bad JSON: {err.msg}")
                    continue
                if not isinstance(row, dict):
                    yield n, RowError("a JSON line must be an object")
                    continue
                yield n, row
        else:
            raise ValueError(f"{path}: unsupported file type (use .csv or .jsonl, optionally .gz)")


def priors_path(catalog_path: str | Path) -> Path:
    """The priors file that belongs to a catalog: data/catalog.jsonl.gz -> data/priors/catalog.csv.gz."""
    path = Path(catalog_path)
    stem = re.sub(r"\.(?:csv|jsonl|ndjson|json)$", "", path.name.removesuffix(".gz"), flags=re.I)
    return path.parent / "priors" / f"{stem}.csv.gz"


def read_priors(path: str | Path) -> dict[str, float]:
    """item id -> prior from a priors file (CSV, optionally gzipped, columns item_id and prior).
    Rows with an unusable prior are skipped: a prior is a hint, never a reason to reject an item."""
    out: dict[str, float] = {}
    with _open_text(Path(path)) as f:
        for row in csv.DictReader(f):
            try:
                prior = _as_prior(row.get("prior"))
            except RowError:
                continue
            if row.get("item_id") and prior is not None:
                out[row["item_id"]] = prior
    return out


def read_items(
    path: str | Path,
    mapping: Mapping[str, str] | None = None,
    default_domain: str | None = None,
    with_priors: bool = True,
) -> ReadReport:
    """Read a CSV/JSONL catalog. `mapping` maps our field names to the file's columns.

    With `with_priors`, items without a prior of their own take it from the catalog's priors file
    (`priors_path`) when there is one."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"catalog file not found: {path}")
    mapping = dict(mapping or {})
    unknown = set(mapping) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"unknown target fields in mapping: {sorted(unknown)}; use {ITEM_FIELDS}")
    report = ReadReport()
    seen: set[str] = set()
    for line, row in _rows(path):
        if isinstance(row, Exception):
            report.errors.append((line, str(row)))
            continue
        renamed = {f: row.get(mapping.get(f, f)) for f in ITEM_FIELDS}
        try:
            item = item_from_row(renamed, default_domain)
        except RowError as err:
            report.errors.append((line, str(err)))
            continue
        if item.id in seen:
            report.duplicates.append((line, item.id))
            continue
        seen.add(item.id)
        report.items.append(item)
    priors_file = priors_path(path)
    if with_priors and priors_file.is_file():
        priors = read_priors(priors_file)
        report.items = [
            replace(i, prior=priors[i.id]) if i.prior is None and i.id in priors else i for i in report.items
        ]
    return report


def write_jsonl_gz(items: Iterable[Item], path: str | Path) -> None:
    """Deterministic output (no name, mtime 0 in the gzip header) so a rebuild is byte-identical."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        for item in items:
            gz.write((json.dumps(item.to_dict(), ensure_ascii=False) + "\n").encode("utf-8"))
