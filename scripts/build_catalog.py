#!/usr/bin/env python
"""Build the demo catalog the product ships (data/catalog.jsonl.gz) from raw public sources.

Sources live beside the repo in ../shared/data/catalog-sources (not shipped with the product):

  wikipedia-movies/  American films from Wikipedia lists; lead paragraph text is CC BY-SA 4.0
  gutenberg/         Project Gutenberg catalogue (CC0 1.0)
  freemusicc/        freemusi.cc netlabel release metadata (CC BY-SA 4.0)
  goodbooks-10k/     only used to date Gutenberg books (CC BY-SA 4.0); optional

The output is deterministic (items sorted by id, gzip mtime 0), so rerunning gives a byte-identical
file. The script also writes data/ATTRIBUTION.md next to the catalog.

    python scripts/build_catalog.py [--sources DIR] [--out data/catalog.jsonl.gz] [--max-books 10000]
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a plain script, so the package is not installed on the path
    sys.path.insert(0, str(REPO))

import ftfy  # noqa: E402
from tqdm import tqdm  # noqa: E402

from retrieval.items import Item, read_items, write_jsonl_gz  # noqa: E402

DEFAULT_SOURCES = REPO.parent / "shared" / "data" / "catalog-sources"
DEFAULT_OUT = REPO / "data" / "catalog.jsonl.gz"
DEFAULT_MAX_BOOKS = 10_000
MIN_MOVIE_YEAR = 1970
MAX_DESCRIPTION_CHARS = 700

MOVIE_LICENSE = "CC BY-SA 4.0 (Wikipedia)"
BOOK_LICENSE = "CC0 1.0 (Project Gutenberg catalogue)"
MUSIC_LICENSE = "CC BY-SA 4.0 (freemusi.cc metadata)"

# Gutenberg records are long CSV fields (bookshelves, titles); the default limit is 128 KiB.
csv.field_size_limit(10_000_000)

_TAG_RE = re.compile(r"<[^>]{0,200}>")
_IMAGE_URL_RE = re.compile(r"https?://\S+\.(?:jpe?g|png|gif|svg|webp)\b|upload\.wikimedia", re.I)


# --------------------------------------------------------------------------- text helpers


def fix_mojibake(text: str) -> str:
    """Undo text that was UTF-8 decoded as Latin-1/Windows-1252 ("CRÃ“!" -> "CRÓ!", "presentsâ€¦" ->
    "presents…"). Only the encoding is repaired (ftfy.fix_encoding): quotes, widths and the rest stay."""
    return ftfy.fix_encoding(text)


def clean_text(text: str | None) -> str:
    """Mojibake repaired, NFC, entities decoded, HTML tags and image links removed, whitespace collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", html.unescape(fix_mojibake(str(text))))
    text = _TAG_RE.sub(" ", text)
    text = _IMAGE_URL_RE.sub(" ", text)
    return " ".join(text.split())


_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
# A period after these is not a sentence end ("Andrew L. Stone", "Robert Downey Jr. and").
_ABBREV_BEFORE = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Mt|Ft|Lt|Col|Gen|Sgt|Capt|Prof|Rev|vs|No|Vol|Inc|Ltd|Co|Bros|Jan|Feb|"
    r"Mar|Apr|Aug|Sept|Oct|Nov|Dec)|\b[A-Z]\.[A-Z])$"
)


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence-final punctuation mark."""
    ends = []
    for m in _SENTENCE_END.finditer(text):
        if _ABBREV_BEFORE.search(text[: m.start()]):
            continue
        ends.append(m.start() + 1)
    return ends


def truncate_at_sentence(text: str, max_chars: int = MAX_DESCRIPTION_CHARS) -> str:
    """Cut to at most max_chars, at a sentence boundary when one exists."""
    if len(text) <= max_chars:
        return text
    fitting = [e for e in sentence_ends(text) if e <= max_chars]
    if fitting:
        return text[: fitting[-1]].rstrip()
    # One very long first sentence: cut at a word boundary and say so.
    cut = text[: max_chars - 1].rsplit(" ", 1)[0].rstrip(",;:–— ")
    return cut + "…"


def first_sentence(text: str) -> str:
    ends = sentence_ends(text)
    return text[: ends[0]] if ends else text


def join_words(words: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def dedupe(values: Iterable[str]) -> list[str]:
    """Order-preserving, case-insensitive dedupe (read_items dedupes the same way)."""
    seen: set[str] = set()
    out = []
    for v in values:
        v = " ".join(v.split())
        if v and v.lower() not in seen:
            seen.add(v.lower())
            out.append(v)
    return out


def fold(text: str) -> str:
    """Match key: lowercase ASCII letters and digits only."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@dataclass(frozen=True)
class Dropped:
    """A source record the build left out on purpose, for the build report."""

    domain: str
    reason: str
    id: str
    title: str
    score: float = 0.0  # how high it would have ranked (books); higher first in the report's examples
    kept: str = ""  # the id kept in its place (another record of the same work)


def fold_duplicates(items: Sequence[Item], key, better, reason: str, dropped: list[Dropped]) -> list[Item]:
    """One item per key(item): the one that sorts first by better(item); the rest go to `dropped`."""
    groups: dict = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    keep = set()
    for group in groups.values():
        group.sort(key=better)
        keep.add(group[0].id)
        dropped.extend(Dropped(i.domain, reason, i.id, i.title, kept=group[0].id) for i in group[1:])
    return [i for i in items if i.id in keep]


# --------------------------------------------------------------------------- movies

_DIRECTED_BY = re.compile(
    r"\b(?:[Cc]o-)?[Dd]irected"
    r"(?:\s*,?\s*(?:and\s+)?(?:co-)?(?:written|produced|edited|scored|photographed|shot|choreographed|narrated|"
    r"conceived|created|animated|executive[- ]produced|designed|composed|financed|distributed))*"
    r"\s*,?\s+by\s+"
)
# fmt: off
_PARTICLES = {
    "de", "da", "del", "della", "der", "di", "du", "van", "von", "la", "le", "den", "ten", "dos", "das",
    "bin", "al", "el", "y", "bo",
}
# fmt: on
# Capitalised words that start a phrase or sentence, not a name.
# fmt: off
_NOT_NAME_START = {
    "The", "A", "An", "In", "It", "Its", "His", "Her", "Their", "This", "That", "Both", "First", "Former",
    "Then", "He", "She", "They", "When", "After", "While", "As", "But", "And", "Director", "Directors",
    "Filming", "Starring", "Written", "Produced", "Based", "Although", "Following",
}
# fmt: on
_INITIAL = re.compile(r"^(?:[A-Z]\.)+$|^(?:St|Dr|Mr|Mrs|Ms)\.$")
_SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}
# "directed by British director Guy Green", "directed by first-time filmmaker X": skip the description.
_ROLE_PREFIX = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?:[\w.'’-]+\s+){0,3}?(?:co-)?(?:director|filmmaker|film-maker|writer-director|auteur|"
    r"native|actor|actress|comedian|musician|rapper|singer(?:-songwriter)?|songwriter|photographer|artist|animator|"
    r"newcomer|veteran|producer)s?\s+(?=[A-Z])"
)


def _is_name_word(word: str, next_word: str) -> bool:
    if not word:
        return False
    if word[0].isupper():
        return True
    # "Guillermo del Toro", "Álex de la Iglesia": lowercase particles inside a name.
    return word in _PARTICLES and bool(next_word) and (next_word[0].isupper() or next_word in _PARTICLES)


def _names_after(text: str) -> list[str]:
    """Person names at the start of text: 'A', 'A and B', 'A, B, and C', 'Joel and Ethan Coen'."""
    tokens = _ROLE_PREFIX.sub("", text, count=1).split()[:40]
    names: list[list[str]] = []
    joins: list[str] = []  # how each name was attached to the one before: "", "comma" or "and"
    cur: list[str] = []
    cur_join = join = ""

    def close() -> None:
        nonlocal cur
        if cur:
            names.append(cur)
            joins.append(cur_join)
            cur = []

    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1].strip(",.;:'\"“”’") if i + 1 < len(tokens) else ""
        if cur and len(tok) > 2 and tok[0] in '"“' and tok.rstrip(",")[-1] in '"”':
            continue  # 'Ahmir "Questlove" Thompson': a nickname inside the name
        if tok[0] in "(\"“'‘[":
            break
        word, end = tok, ""
        if word.endswith(("'s", "’s")):
            word, end = word[:-2], "stop"
        elif word.endswith(","):
            word, end = word[:-1], "comma"
        elif word.endswith((";", ":", ")", "!", "?")) or (
            word.endswith(".") and word not in _SUFFIXES and not _INITIAL.match(word)
        ):
            word, end = word[:-1], "stop"
        if word in ("and", "&"):
            close()
            join = "and"
            if end or not _is_name_word(nxt, "") or nxt in _NOT_NAME_START:
                break
            continue
        if word in _SUFFIXES and not cur and names and join == "comma":
            names[-1].append(word)  # "Gordon Parks, Jr.,"
            join = "comma" if end == "comma" else ""
            if end == "stop":
                break
            continue
        if not _is_name_word(word, nxt):
            break
        if not cur:
            if word in _NOT_NAME_START or (names and not join):
                break  # a sentence goes on after a finished name
            cur_join, join = join, ""
        cur.append(word)
        if len(cur) > 5:  # a run-on capitalised phrase, not a name
            cur = []
            break
        if word in _SUFFIXES:
            close()
        if end == "comma":
            close()
            join = "comma"
        elif end == "stop":
            break
    close()
    # "directed by James Merendino, Merendino had his name removed": a comma without a closing
    # "and B" does not make a list.
    if len(names) > 1 and joins[-1] != "and":
        names, joins = names[:1], joins[:1]
    out = [" ".join(n) for n in names]
    # "Joel and Ethan Coen": a lone first name followed by "and First Last" shares the surname.
    for k in range(len(out) - 1):
        if len(names[k]) == 1 and joins[k + 1] == "and" and len(names[k + 1]) >= 2:
            out[k] = f"{out[k]} {names[k + 1][-1]}"
    return out[:4]


def _full_name(surname: str, text: str) -> str:
    """'directed by Wilder' after 'produced by Billy Wilder': use the full name given earlier."""
    for m in re.finditer(rf"((?:[^\W\d_][\w'’.-]*\s+){{1,3}}){re.escape(surname)}\b", text):
        words = m.group(1).split()
        while words and (words[0] in _NOT_NAME_START or not words[0][0].isupper()):
            words = words[1:]
        if words and all(w[0].isupper() or w in _PARTICLES for w in words):
            return " ".join([*words, surname])
    return surname


def parse_directors(extract: str) -> list[str]:
    """Director names from a Wikipedia lead ('directed by X', 'written and directed by X and Y')."""
    text = " ".join((extract or "").split())
    for m in _DIRECTED_BY.finditer(text):
        found = _names_after(text[m.end() : m.end() + 300])
        if found:
            # The first credit is the film's own; later ones usually name other films' directors.
            return dedupe(_full_name(n, text) if " " not in n else n for n in found)
    return []


@dataclass(frozen=True)
class GenreVocab:
    canonical: dict[str, str]  # lowercase -> spelling from genres.json
    replacements: dict[str, tuple[str, ...]]  # lowercase -> canonical genres


def load_genre_vocab(folder: Path) -> GenreVocab:
    canon_list = json.loads((folder / "genres.json").read_text(encoding="utf-8"))
    canonical = {g.lower(): g for g in canon_list}
    raw = json.loads((folder / "genre-replacements.json").read_text(encoding="utf-8"))
    # genre-replacements.json maps "sport" to "Sport", which is not in genres.json: fold it into "Sports".
    canonical.setdefault("sport", canonical.get("sports", "Sports"))
    replacements = {
        k.lower(): tuple(canonical.get(v.lower(), v) for v in vs) for k, vs in sorted(raw.items())
    }
    return GenreVocab(canonical, replacements)


def normalise_genres(genres: Iterable[str], vocab: GenreVocab) -> list[str]:
    out: list[str] = []
    for g in genres or ():
        key = " ".join(str(g).split()).lower()
        if not key:
            continue
        if key in vocab.canonical:
            out.append(vocab.canonical[key])
        elif key in vocab.replacements:
            out.extend(vocab.replacements[key])
        else:
            out.append(key[:1].upper() + key[1:])
    return dedupe(out)


_DESCRIPTOR = re.compile(r"\b(?:is|was) an?\s+(.{0,120}?)\b(?:film|movie|documentary|miniseries)\b", re.I)


def genres_from_extract(extract: str, vocab: GenreVocab) -> list[str]:
    """For films the list pages give no genre: read the lead's 'is a 1983 erotic horror film'."""
    m = _DESCRIPTOR.search(first_sentence(extract))
    if not m:
        return []
    phrase = m.group(0).lower()
    hits: list[tuple[int, str]] = []
    for key, canon in vocab.canonical.items():
        for found in re.finditer(rf"\b{re.escape(key)}\b", phrase):
            hits.append((found.start(), canon))
    for key, canons in vocab.replacements.items():
        for found in re.finditer(rf"\b{re.escape(key)}\b", phrase):
            hits.extend((found.start(), c) for c in canons)
    return dedupe(c for _, c in sorted(hits))


_NOT_A_FILM = re.compile(
    r"\b(?:is|was|are) (?:an?|the)\b[^.]*?\b(?:novel|novella|play|book|poem|short story|album|song|single|"
    r"comic|manga|television series|TV series|video game|sitcom|band|singer|actor|actress|company|franchise|"
    r"episode list|opera|ballet|soundtrack|concert|television pilot|television special|list of)\b",
    re.I,
)
_FILM_WORD = re.compile(
    r"\b(?:films?|movies?|documentary|feature|picture|cartoons?|shorts?|telefilm|made-for-TV|made-for-television|"
    r"miniseries|mockumentary|docudrama|thriller|comedy|drama|western|horror|adaptation|biopic)\b",
    re.I,
)


def extract_is_about_a_film(extract: str) -> bool:
    """Some hrefs redirect to the novel, play or TV series the film came from; that text misdescribes it."""
    lead = first_sentence(extract)
    return bool(_FILM_WORD.search(lead)) or not _NOT_A_FILM.search(lead)


_WIKITEXT = re.compile(r"\{\{|\}\}|\[\[|\]\]|\|\s*[a-z_ ]+\s*=")


def extract_is_prose(extract: str) -> bool:
    """A few extracts are raw wiki markup ('{{Infobox film | image = poster.jpeg ...'), not a summary."""
    return not _WIKITEXT.search(extract)


def _pick_movie_record(records: Sequence[dict]) -> dict:
    """Several list rows can point at one article (re-releases, retitles): keep the one it describes."""

    def key(r: dict) -> tuple:
        extract = r.get("extract") or ""
        year_matches = bool(re.search(rf"\b{r.get('year')}\b", first_sentence(extract)))
        title_matches = extract.startswith(str(r.get("title") or "\0"))
        return (
            not year_matches,
            not title_matches,
            -len(r.get("cast") or []),
            r.get("year") or 0,
            r.get("title") or "",
        )

    return min(records, key=key)


# "X is a 2015 American science fiction film": the year in the lead, and the words after it.
_LEAD_YEAR = re.compile(r"\b(?:is|was) an? (\d{4})\b(?P<kind>[^.;]{0,100})")
_FILM_KIND = re.compile(r"\b(?:film|movie|documentary|miniseries)\b", re.I)
# A lead that dates something else ("is a 1985 biography", "a 1963 American novel ... and a 1972 film").
_NOT_THE_FILM = re.compile(r"\b(?:novel|novella|book|biography|autobiography|memoir|play|comic|album|game)\b",
                           re.I)


def movie_year(record: dict, extract: str) -> tuple[int | None, str]:
    """A film's year and where it came from.

    The article's own first sentence ("Synchronicity is a 2015 American science fiction film") is the
    most reliable: Wikipedia dates a film by its first release, and the card shows that sentence. The
    year of the "List of American films of <year>" table the film was scraped from is its US release
    (a festival film of 2015 released in 2016 sits in the 2016 list), so it is used only when the first
    sentence dates no film (none, or "is a 1985 biography"). Returns (year, "lead sentence" | "list").
    """
    m = _LEAD_YEAR.search(extract[:300])
    listed = record.get("year") if isinstance(record.get("year"), int) else None
    if m and 1870 <= int(m.group(1)) <= 2100:
        other, film = _NOT_THE_FILM.search(m.group("kind")), _FILM_KIND.search(m.group("kind"))
        if other and (film is None or other.start() < film.start()):
            return listed, "list"
        return int(m.group(1)), "lead sentence"
    return listed, "list"


def movie_item(record: dict, vocab: GenreVocab) -> Item | None:
    href = str(record.get("href") or "").strip()
    title = clean_text(record.get("title"))
    extract = clean_text(record.get("extract"))
    if not href or not title or not extract:
        return None
    directors = parse_directors(extract)
    cast = [clean_text(c) for c in (record.get("cast") or []) if isinstance(c, str)]
    cast = [c for c in cast if 1 < len(c) <= 60][:4]
    tags = normalise_genres(record.get("genres") or [], vocab) or genres_from_extract(extract, vocab)
    return Item(
        id=f"movie:wp:{href}",
        domain="movie",
        title=title,
        year=movie_year(record, extract)[0],
        creators=tuple(dedupe(directors + cast)),
        tags=tuple(tags),
        description=truncate_at_sentence(extract),
        url=f"https://en.wikipedia.org/wiki/{href}",
        license=MOVIE_LICENSE,
    )


def _same_article_order(item: Item) -> tuple:
    """Which of several films with one article to keep: the one it is about, then the fuller credits."""
    named = f"{fold(item.description)} ".startswith(f"{fold(item.title)} ")
    return (not named, -len(item.creators), item.id)


def build_movies(
    folder: Path, min_year: int = MIN_MOVIE_YEAR, dropped: list[Dropped] | None = None
) -> tuple[list[Item], Counter]:
    dropped = [] if dropped is None else dropped
    vocab = load_genre_vocab(folder)
    stats: Counter = Counter()
    by_href: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(folder.glob("movies-*.json")):
        for r in json.loads(path.read_text(encoding="utf-8")):
            stats["rows"] += 1
            year = r.get("year")
            if not isinstance(year, int) or year < min_year:
                continue
            if not (r.get("extract") or "").strip() or not (r.get("href") or "").strip():
                stats["no extract"] += 1
                continue
            by_href[r["href"].strip()].append(r)
    items = []
    for href in tqdm(sorted(by_href), desc="movies", unit="film", disable=None):
        records = by_href[href]
        stats["duplicate rows merged"] += len(records) - 1
        record = _pick_movie_record(records)
        extract = clean_text(record.get("extract"))
        if not extract_is_prose(extract):
            stats["extract is wiki markup"] += 1
            continue
        if not extract_is_about_a_film(extract):
            stats["extract not about the film"] += 1
            continue
        item = movie_item(record, vocab)
        if item is None:
            continue
        stats["with director"] += bool(parse_directors(item.description))
        year, source = movie_year(record, extract)
        stats[f"year from {source}"] += 1
        stats["year differs from list"] += year != record.get("year")
        items.append(item)
    # Two list rows whose pages redirect to one article ("Rent-A-Cop" and "Rent-a-Cop_(film)", "Mortal
    # Kombat: The Journey Begins" -> "Mortal Kombat (1995 film)") get the same text: one film, one card.
    before = len(items)
    items = fold_duplicates(items, lambda i: i.description, _same_article_order,
                            "same Wikipedia article as another film", dropped)
    stats["same article as another film"] = before - len(items)
    return items, stats


# --------------------------------------------------------------------------- books

_NAME_SUFFIXES = {"Jr.", "Sr.", "II", "III", "IV", "Jr", "Sr"}
# fmt: off
_HONORIFICS = {
    "Sir", "Mrs.", "Mrs", "Lady", "Lord", "Saint", "Don", "Dame", "Rev.", "Dr.", "Miss", "Madame", "Mme.",
    "Captain", "Queen", "King", "Prince", "Princess",
}
# fmt: on
_RULER_TITLES = {"Queen", "King", "Emperor", "Empress", "Pope", "Saint", "Tsar", "Czar", "Sultan", "Caliph"}
# fmt: off
_PEERAGES = {
    "baron", "baroness", "earl", "viscount", "graf", "gräfin", "count", "countess", "marquis", "marquess",
    "duke", "duc", "duchess", "freiherr", "lord", "lady",
}
# fmt: on


def reorder_author(name: str) -> str:
    """Gutenberg's 'Last, First' -> 'First Last' ('Doyle, Arthur Conan' -> 'Arthur Conan Doyle')."""
    # "Wells, H. G. (Herbert George)": the parenthesis only spells out the initials.
    name = " ".join(re.sub(r"\s*\([^)]*\)", "", name or "").split())
    parts = [p.strip() for p in name.split(",") if p.strip()]
    if len(parts) < 2:
        return name
    last, first, rest = parts[0], parts[1], parts[2:]
    if first.split()[0] in _RULER_TITLES:
        # "Victoria, Queen of Great Britain" -> "Queen Victoria"; "Gregory I, Pope" -> "Pope Gregory I".
        return f"{first.split()[0]} {last}"
    if len(parts) == 3 and parts[2] in _RULER_TITLES:
        return f"{parts[2]} {first} {last}" if first[:1].isupper() else f"{parts[2]} {last} {first}"
    if first[:1].islower():
        # "Chrétien, de Troyes", "Augustine, of Hippo": an epithet, not a given name.
        full = f"{last} {first}"
    elif first.split()[-1] == last:
        # "Tennyson, Alfred Tennyson, Baron": the given names already end with the surname.
        full = first
    else:
        full = f"{first} {last}"
    for extra in rest:
        words = extra.split()
        if extra in _NAME_SUFFIXES:
            full = f"{full} {extra}"
        elif extra in _HONORIFICS:
            full = f"{extra} {full}"
        elif words and words[-1] in {"of", "de", "von", "d'", "der", "du"} and words[0].lower() in _PEERAGES:
            # "Stanhope, Earl of" style peerage: "Philip Dormer Stanhope, Earl of Chesterfield".
            full = f"{first}, {extra} {last}"
        elif words and words[0].lower() in _PEERAGES:
            continue  # "Tolstoy, Leo, graf": the title adds nothing to how the name is known
        elif re.match(r"(?:active|fl\.|born|died|ca\.|\d)", extra):
            continue  # life dates belong in the description, not the name
        # Anything else ("F.S.A.", "consort of Henry IV") is dropped: it is a qualifier, not part of the name.
    return full


def life_span(birth: int | None, death: int | None) -> str:
    def year(y: int) -> str:
        return f"{-y} BC" if y < 0 else str(y)

    if birth is not None and death is not None:
        return f"{year(birth)}–{year(death)}"
    if birth is not None:
        return f"born {year(birth)}"
    if death is not None:
        return f"died {year(death)}"
    return ""


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "", "NA") else None
    except ValueError:
        return None


def clean_title(raw: str) -> tuple[str, str]:
    """(title, long subtitle or ''). Gutenberg puts subtitles on a second line or after a MARC '$b'."""
    raw = re.sub(r"\s*[:=;/]?\s*\$c\b.*$", "", raw or "", flags=re.S)  # '$c': statement of responsibility
    raw = re.sub(r"\s*[:=;/]?\s*\$[a-z]\s*", "\n", raw)  # '$b' (subtitle) and friends start a new part
    lines = [" ".join(line.split()) for line in re.split(r"[\r\n]+", raw)]
    lines = [line for line in lines if line]
    if not lines:
        return "", ""
    title, sub = lines[0].rstrip(" :;,"), " ".join(lines[1:])
    if not sub:
        return title, ""
    credit = re.match(
        r"(?:translated|edited|illustrated|compiled|with|by|given|delivered|selected|arranged)\b", sub, re.I
    )
    if len(sub) <= 60 and not credit:
        return f"{title}: {sub}", ""
    return title, "" if credit else sub


# LCSH subdivisions that say what form a book has, not what it is about.
# fmt: off
_FORM_SUBDIVISIONS = {
    "fiction", "juvenile fiction", "juvenile literature", "juvenile poetry", "juvenile drama",
    "periodicals", "sources", "early works to 1800", "translations into english", "correspondence",
    "biography", "history", "history and criticism", "criticism and interpretation", "personal narratives",
    "anecdotes", "drama", "poetry", "humor", "comic books, strips, etc.", "pictorial works", "bibliography",
    "dictionaries", "handbooks, manuals, etc.", "textbooks", "indexes", "catalogs", "study and teaching",
    "miscellanea", "quotations, maxims, etc.", "translations", "texts", "early works to 1900",
    "biography juvenile literature", "juvenile", "adaptations", "addresses, essays, lectures",
    "collections", "description", "guidebooks", "readers", "sermons", "songs and music",
    "caricatures and cartoons", "maps", "statistics", "registers",
}
# fmt: on
_NATIONALITY = re.compile(
    r"^(.+), (American|English|French|German|Italian|Spanish|Russian|Scottish|Irish|Welsh|Canadian|"
    r"Australian|Chinese|Japanese|Greek|Latin|Roman|Indian|Swedish|Norwegian|Danish|Dutch|Polish|Hungarian|"
    r"Czech|Finnish|Portuguese|Mexican|Arabic|Hebrew|Yiddish|Persian|Icelandic|Flemish|Belgian|Swiss|"
    r"Austrian|Jewish|British|Old English|Middle English|Old Norse|Anglo-Saxon|Classical|Medieval|Modern)$"
)
_GENRE_HEAD = re.compile(
    r"\b(?:fiction|stories|tales|poetry|poems|drama|romances|novels|comedies|tragedies|plays|bildungsromans|fables|"
    r"allegories|satire|humor|essays|verse|ballads|sonnets|epic poetry|legends|folklore|fairy tales|"
    r"letters)$",
    re.I,
)
_PERSON_HEADING = re.compile(
    r"^([^,()]+), ([^,()]+?)(?:, [^()]*?)?,? (?:\d{3,4}|active|approximately|ca\.)[^()]*$"
)
_FICTIONAL = re.compile(r"^([^,()]+?)(?:, ([^()]+?))? \((?:Fictitious|Legendary) character[^)]*\)$")
_CENTURY = re.compile(r"^\d{1,2}(?:st|nd|rd|th) century$")


def clean_subject_part(part: str) -> str:
    """One LCSH component in natural order: 'Holmes, Sherlock (Fictitious character)' -> 'Sherlock Holmes'."""
    part = " ".join(part.split()).rstrip(".")
    m = _FICTIONAL.match(part)
    if m:
        return f"{m.group(2)} {m.group(1)}" if m.group(2) else m.group(1)
    m = _PERSON_HEADING.match(part)
    if m and "(" not in part:
        return reorder_author(f"{m.group(1)}, {m.group(2)}")
    if part == "Description and travel":
        return "Travel"
    m = _NATIONALITY.match(part)
    if m:
        # "Short stories, American" -> "American short stories"
        head, adjective = m.group(1), m.group(2)
        if not any(w[:1].isupper() for w in head.split()[1:]):  # a common phrase, not a proper name
            head = head[:1].lower() + head[1:]
        return f"{adjective} {head}"
    return part


@dataclass
class BookSubjects:
    topics: list[str] = field(default_factory=list)  # what the book is about, in heading order
    genres: list[str] = field(default_factory=list)  # LCSH genre headings ("Love stories")
    eras: list[str] = field(default_factory=list)  # "19th century"
    forms: set[str] = field(default_factory=set)  # lowercase form subdivisions seen ("fiction", "poetry")
    is_periodical: bool = False


def split_subjects(headings: Iterable[str]) -> BookSubjects:
    """LCSH headings -> topics, genre headings, eras and form signals (form subdivisions are not tags)."""
    out = BookSubjects()
    for heading in headings:
        parts = [clean_subject_part(p) for p in heading.split(" -- ") if p.strip()]
        for k, part in enumerate(parts):
            low = part.lower()
            if low in _FORM_SUBDIVISIONS:
                out.forms.add(low)
                if low == "periodicals":
                    out.is_periodical = True
                continue
            if _CENTURY.match(part):
                out.eras.append(part)
            elif k == 0 and _GENRE_HEAD.search(re.sub(r"\s*\([^)]*\)$", "", part)):
                out.genres.append(part)
            else:
                out.topics.append(part)
    # "Aleutian Islands" and "Aleutian Islands (Alaska)" are one topic.
    unqualified: dict[str, str] = {}
    for t in out.topics:
        unqualified.setdefault(re.sub(r"\s*\([^)]*\)$", "", t).lower(), t)
    out.topics = dedupe(unqualified.values())
    out.genres, out.eras = dedupe(out.genres), dedupe(out.eras)
    # Genre headings that merely restate "fiction" add nothing once a more specific one exists.
    if len(out.genres) > 1:
        out.genres = [g for g in out.genres if g.lower() != "fiction"] or out.genres
    return out


_SHELF_MAP = {
    "Project Gutenberg": "",
    "Dramas": "Drama",
    "How To ...": "How-to",
    "Information Sys": "Information systems",
    "Agricultural": "Agriculture",
    "History - Other": "History",
    "History - Modern (1750+)": "Modern history",
    "History - Early Modern (c. 1450-1750)": "Early modern history",
    "History - Warfare": "Military history",
    "History - Schools & Universities": "History of education",
    "History - Royalty": "Royalty",
    "Literature - Other": "Literature",
    "Science - Earth": "Earth science",
    "Animals-Domestic": "Domestic animals",
    "Animals-Wild": "Wild animals",
}


# Newer Gutenberg category names contain "/" themselves, which is also the shelf separator. Splitting
# them would tag an astronomy book "Farming" (from "Science - Earth/Agricultural/Farming"), so each is
# kept whole under one readable name.
_COMPOSITE_CATEGORIES = {
    "Religion/Spirituality": "Religion and spirituality",
    "Plays/Films/Dramas": "Plays",
    "Encyclopedias/Dictionaries/Reference": "Reference",
    "Journalism/Media/Writing": "Journalism and writing",
    "Sports/Hobbies": "Sports and hobbies",
    "Drugs/Alcohol/Pharmacology": "Drugs and alcohol",
    "Business/Management": "Business and management",
    "Psychiatry/Psychology": "Psychiatry and psychology",
    "Research Methods/Statistics/Information Sys": "Research methods and statistics",
    "Science - Chemistry/Biochemistry": "Chemistry",
    "Science - Earth/Agricultural/Farming": "Earth science and agriculture",
    "History - Medieval/Middle Ages": "Medieval history",
    "Nature/Gardening/Animals": "Nature and animals",
}


def clean_shelves(raw: str) -> list[str]:
    """Gutenberg bookshelves ('/'-separated, some prefixed 'Category: ') -> readable shelf names."""
    raw = raw or ""
    for composite, name in _COMPOSITE_CATEGORIES.items():
        raw = raw.replace(f"Category: {composite}", f"Category: {name}")
    out = []
    for shelf in raw.split("/"):
        shelf = " ".join(shelf.split())
        shelf = shelf.removeprefix("Category:").strip()
        shelf = re.sub(r"\s*\(Bookshelf\)$", "", shelf)
        if not shelf or re.match(r"^[A-Z]{2} ", shelf):  # "DE Lyrik", "FR Musique": other-language shelves
            continue
        if shelf in _SHELF_MAP:
            shelf = _SHELF_MAP[shelf]
        elif shelf.startswith("Animals-Wild-"):
            shelf = shelf.removeprefix("Animals-Wild-")
        elif m := re.match(r"^History - (.+)$", shelf):
            shelf = f"{m.group(1)} history"
        elif m := re.match(r"^Science - (.+)$", shelf):
            shelf = m.group(1)
        if shelf:
            out.append(shelf)
    return dedupe(out)


# fmt: off
POPULAR_SHELVES = {
    "Best Books Ever Listings", "Harvard Classics", "Bestsellers, American, 1895-1923",
    "Classics of Literature", "Banned Books List from the American Library Association",
    "Banned Books from Anne Haight's list", "Nobel Prizes in Literature",
    "6 Best Loved Spanish Literary Classics", "Precursors of Science Fiction", "Movie Books",
}
# fmt: on
# Shelves that mean fiction, and shelves that usually do (Gutenberg files some memoirs under "Adventure").
# fmt: off
_FICTION_SHELVES = {
    "Novels", "Short Stories", "Historical Novels", "Children's Fiction", "Science Fiction",
    "Detective Fiction", "Mystery Fiction", "Historical Fiction", "Gothic Fiction", "Romantic Fiction",
    "Crime Fiction", "Erotic Fiction",
}
_LIKELY_FICTION_SHELVES = {
    "Romance", "Adventure", "Science-Fiction & Fantasy", "Crime, Thrillers and Mystery", "Humour",
    "Western", "Horror", "Fantasy",
}
# fmt: on


def book_form(subjects: BookSubjects, shelves: Sequence[str]) -> str:
    """The noun phrase a description starts with, chosen only from what the metadata says."""
    shelf_set = set(shelves)
    genres_low = " ".join(g.lower() for g in subjects.genres)
    juvenile = bool(
        subjects.forms & {"juvenile fiction", "juvenile literature", "juvenile poetry", "juvenile drama"}
    )
    juvenile = juvenile or any(s.startswith("Children") for s in shelves)
    fiction = bool(
        "fiction" in subjects.forms
        or "juvenile fiction" in subjects.forms
        or re.search(r"fiction|stories|tales|novels|romances", genres_low)
        or shelf_set & _FICTION_SHELVES
    )
    biography = "biography" in subjects.forms or "Biographies" in shelf_set
    fiction = fiction or (not biography and bool(shelf_set & _LIKELY_FICTION_SHELVES))
    if (
        "poetry" in subjects.forms
        or "juvenile poetry" in subjects.forms
        or re.search(r"poetry|poems|verse|sonnets|ballads", genres_low)
        or "Poetry" in shelf_set
    ):
        return "Children's poetry" if juvenile else "Poetry"
    if (
        "drama" in subjects.forms
        or re.search(r"drama|comedies|tragedies|plays", genres_low)
        or shelf_set & {"Plays", "One Act Plays"}
    ):
        return "Drama"
    if re.search(r"short stories", genres_low) or (
        "Short Stories" in shelf_set and "Novels" not in shelf_set
    ):
        return "Short stories"
    if fiction:
        if shelf_set & {"Novels", "Historical Novels"}:
            return "A children's novel" if juvenile else "A novel"
        return "Children's fiction" if juvenile else "Fiction"
    if biography:
        return "A biography"
    return "A children's book" if juvenile else "A book"


def lower_common(phrase: str, common: set[str] | frozenset[str]) -> str:
    """Lowercase an LCSH phrase's first word when it is an ordinary word ('Young women', not 'England')."""
    words = re.sub(r"\([^)]*\)", "", phrase).split()
    if not words or any(w[:1].isupper() for w in words[1:]):
        return phrase
    first = words[0]
    stem = first.split("-")[0].lower()
    if first[1:].islower() and (stem in common or (stem.endswith("s") and stem[:-1] in common)):
        return first[:1].lower() + phrase[1:]
    return phrase


NO_AUTHOR = {"", "Various", "Anonymous", "Unknown"}


def describe_book(
    authors: Sequence[tuple[str, str]],
    subjects: BookSubjects,
    shelves: Sequence[str],
    subtitle: str = "",
    first_published: int | None = None,
    common: set[str] | frozenset[str] = frozenset(),
    various: bool = False,
) -> str:
    """Plain-English description built only from catalogue facts. authors: (name, life span) pairs."""
    form = book_form(subjects, shelves)
    names = [f"{name} ({life})" if life else name for name, life in authors]
    if names:
        lead = f"{form} by {join_words(names)}"
    elif various:
        lead = f"{form} by various authors"
    else:
        lead = form
    topics = [lower_common(t, common) for t in subjects.topics[:5]]
    first = lead + (f" about {join_words(topics)}" if topics else "") + "."
    sentences = [first]
    if subtitle:
        sentences.append(f"Subtitle: {subtitle.rstrip('.')}.")
    if first_published is not None:
        sentences.append(f"First published in {first_published}.")
    if subjects.genres:
        sentences.append("Genres: " + ", ".join(lower_common(g, common) for g in subjects.genres[:5]) + ".")
    if subjects.eras:
        sentences.append("Period: " + ", ".join(subjects.eras[:3]) + ".")
    if shelves:
        sentences.append("Shelves: " + ", ".join(shelves[:8]) + ".")
    return truncate_at_sentence(" ".join(sentences))


def book_tags(subjects: BookSubjects, shelves: Sequence[str], max_tags: int = 16) -> list[str]:
    tags = list(subjects.genres) + list(subjects.topics) + list(shelves) + list(subjects.eras)
    fictionish = any(re.search(r"fiction|novel|stories|tales", t, re.I) for t in tags)
    if "fiction" in subjects.forms and not fictionish:
        tags.insert(0, "Fiction")  # the only sign it is fiction; elsewhere it would be noise
    if "juvenile fiction" in subjects.forms and not any(t.lower().startswith("children") for t in tags):
        tags.insert(0, "Children's fiction")
    return dedupe(tags)[:max_tags]


def book_score(subjects: BookSubjects, shelves: Sequence[str], dated: bool) -> int:
    """How well we can describe (and how likely someone asks for) a book; higher first."""
    score = len(subjects.topics) + len(subjects.genres) + len(shelves)
    score += 6 * len(POPULAR_SHELVES.intersection(shelves))
    fiction_shelves = _FICTION_SHELVES | _LIKELY_FICTION_SHELVES
    score += 3 if (fiction_shelves.intersection(shelves) or "fiction" in subjects.forms) else 0
    score += 8 if dated else 0  # a goodbooks-10k match means a book people still read
    return score


_VOLUME = re.compile(
    r"[,.;:(—-]?\s*\b(?:v|vol(?:ume)?|part|book|no|number|tome)\b\.?\s*(?:\d+|[ivxlc]+\b).*$", re.I
)


# Edition words that do not make another work: "Rob Roy — Complete", "Kidnapped (Illustrated)",
# "Robinson Crusoe (1808)", "Fables of La Fontaine — a New Edition, with Notes".
_EDITION = re.compile(
    r"\s*(?:[,.;:—–-]\s*|\(\s*)(?:complete|unabridged|abridged|illustrated|(?:a )?new edition\b[^()]*|"
    r"(?:1[5-9]|20)\d\d)\s*\)?[.,]?\s*$",
    re.I,
)
# A trailing parenthesis is a subtitle ("Adventures of Huckleberry Finn (Tom Sawyer's Comrade)") unless it
# names a part or another form ("Poems & Ballads (Second Series)", "Man in the Iron Mask (an Essay)").
_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_PART_OR_FORM = re.compile(
    r"\b(?:series|vol|volume|part|book|essay|essays|poem|poems|play|sequel|first|second|third|fourth)\b", re.I
)


def work_key(title: str, author: str) -> tuple[str, str]:
    """Same work, different edition, subtitle or volume: one catalogue entry is enough."""
    main = re.split(r"[:;\[]|,? or,? ", title, maxsplit=1, flags=re.I)[0]
    main = _VOLUME.sub("", main)
    while True:
        paren = _TRAILING_PAREN.search(main)
        if paren and not _PART_OR_FORM.search(paren.group(1)):
            main = main[: paren.start()]
            continue
        shorter = _EDITION.sub("", main)
        if shorter == main or not shorter.strip():
            break
        main = shorter
    key = re.sub(r"^(?:the|a|an) ", "", fold(main))
    return re.sub(r"^complete ", "", key), fold(author)


def is_volume(title: str) -> bool:
    """One volume or part of a work ("The Golden Bowl — Volume 1"), not the complete work."""
    return bool(_VOLUME.search(title)) and not re.search(r"\bcomplete\b", title, re.I)


# --------------------------------------------------------------------------- records that are not works

# Project Gutenberg's own finding aids and bundles: "A Linked Index of all PG Editions of Jane Austen", "The
# History of the Decline and Fall of the Roman Empire / Table of Contents with links ...", "Index for Works of
# ...", "The Entire Project Gutenberg Works of Mark Twain". A title *part* must be the index: "The Florentine
# Painters of the Renaissance / With an Index to their Works" and the novel "An Index Finger" are works.
_INDEX_TITLE = re.compile(
    r"(?:^|[:;,.—–-]\s*)(?:an? |the )?(?:general |complete |linked )?"
    r"(?:tables? of contents\b|(?:index(?:es)?|concordance)(?=\s*(?:$|[,.:;)\]—–-]|(?:of|to|for|and)\b)))|"
    r"\blinked index\b|"
    r"\bindex (?:of|to|for) (?:the )?(?:project gutenberg|pg\b)|\bhyperlinks to all chapters\b",
    re.I | re.M,
)
_PG_BUNDLE_TITLE = re.compile(r"\bproject gutenberg\b|\bPG editions\b", re.I)
_CATALOGUE_TITLE = re.compile(r"\bcatalog(?:ue)?s?\b", re.I)
_CATALOGUE_START = re.compile(
    r"(?:an? |the )?(?:illustrated |descriptive |annual |classified |general |alphabetical |short-title )?"
    r"catalog(?:ue)?\b",
    re.I,
)
_CATALOGUE_HEADING = re.compile(r"^(?:publishers'|booksellers'|trade|auction|sales) catalogs\b", re.I)
# "Bibliography" as what the title (or a part of it) is: "A Bibliography of ...", "Sherwood Anderson: a
# bibliography", "Some Notes on the Bibliography of the Philippines"; not "Essays in Librarianship and
# Bibliography", "Concerning Lafcadio Hearn; With a Bibliography" or "... and Other Essays. Bibliography".
_BIBLIOGRAPHY_TITLE = re.compile(
    r"(?:^|[:;—–-]\s*)(?:(?:a|an|the|some)\s+)?(?:(?!(?:and|with|in|history|essays?|excursions?)\b)"
    r"[\w()'-]+\s+){0,3}bibliograph(?:y|ies|ical survey)\b|\bbibliographic(?:al)? notes\b|\bchecklist\b",
    re.I,
)
_FINDING_AID_FORMS = {
    "index": {"indexes", "concordances"},
    "catalogue": {"catalogs"},
    "bibliography": {"bibliography", "bio-bibliography"},
}


def non_work_reason(raw_title: str, headings: Sequence[str]) -> str:
    """Why a Gutenberg record is not a work to recommend ("" when it is a work).

    "index": an index, table of contents or concordance (PG's "Linked Index" records list other editions);
    "Project Gutenberg file": the project's own omnibus, quotation, FAQ or newsletter files;
    "catalogue": a publisher's, trade or collection catalogue; "bibliography": a list of books. Read from the
    full title (Gutenberg puts "Table of Contents ..." on a second line) and the LCSH headings: a form
    subdivision ("-- Bibliography") on *every* heading. A book with one such heading among others (a history
    of printing with "Incunabula -- Bibliography") is a work, and so is one whose topic is books
    ("Bibliomania; or Book-Madness", heading "Bibliography").
    """
    raw_title = raw_title or ""
    main = re.split(r"[:;\n]", raw_title.strip(), maxsplit=1)[0]
    parts = [[p.strip().rstrip(".").lower() for p in h.split(" -- ")] for h in headings if h.strip()]
    catalog_form = any("catalogs" in ps[1:] for ps in parts)
    if _INDEX_TITLE.search(raw_title):
        return "index"
    if _PG_BUNDLE_TITLE.search(raw_title):
        return "Project Gutenberg file"
    if any(_CATALOGUE_HEADING.match(h.strip()) for h in headings) or (
        # "Rules for a Dictionary Catalogue" and "A New Catalogue of Vulgar Errors" are works: the title's
        # word counts when a heading agrees, there is none, or the title is "(Illustrated) Catalogue of ...".
        _CATALOGUE_TITLE.search(main)
        and (catalog_form or not parts or _CATALOGUE_START.match(main))
    ):
        return "catalogue"
    if _BIBLIOGRAPHY_TITLE.search(raw_title):
        return "bibliography"
    for reason, forms in _FINDING_AID_FORMS.items():
        # "Indexes" alone is a heading; "Bibliography" alone is a topic (books about books).
        if parts and all(any(p in forms for p in (ps if reason == "index" else ps[1:])) for ps in parts):
            return reason
    return ""


def goodbooks_key(title: str, author: str) -> tuple[str, str]:
    """(title, surname) match key; series markers, subtitles and leading articles ignored."""
    title = re.sub(r"\s*\([^)]*\)\s*$", "", title or "")
    title = re.split(r"[:;]|, or,? ", title, maxsplit=1, flags=re.I)[0]
    t = re.sub(r"^(?:the|a|an) ", "", fold(title))
    names = fold(author).split()
    return t, names[-1] if names else ""


def load_goodbooks_years(folder: Path) -> dict[tuple[str, str], int]:
    """(title, surname) -> original publication year, from the most-rated matching book."""
    path = folder / "books.csv"
    if not path.exists():
        return {}
    best: dict[tuple[str, str], tuple[int, int]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            year = _int_or_none(row.get("original_publication_year"))
            if year is None or not 1000 <= year <= 2100:
                continue
            author = (row.get("authors") or "").split(",")[0]
            ratings = _int_or_none(row.get("ratings_count")) or 0
            for title in {row.get("original_title") or "", row.get("title") or ""}:
                key = goodbooks_key(title, author)
                if key[0] and key[1] and (key not in best or ratings > best[key][1]):
                    best[key] = (year, ratings)
    return {k: v[0] for k, v in best.items()}


def load_gutenberg(folder: Path) -> tuple[list[dict], dict[str, list[str]], dict[str, tuple]]:
    with open(folder / "gutenberg_metadata.csv", encoding="utf-8", newline="") as f:
        meta = [r for r in tqdm(csv.DictReader(f), desc="gutenberg metadata", unit="row", disable=None)]
    subjects: dict[str, list[str]] = defaultdict(list)
    with open(folder / "gutenberg_subjects.csv", encoding="utf-8", newline="") as f:
        for r in tqdm(csv.DictReader(f), desc="gutenberg subjects", unit="row", disable=None):
            if r["subject_type"] == "lcsh":
                subjects[r["gutenberg_id"]].append(r["subject"])
    authors: dict[str, tuple] = {}
    authors_path = folder / "gutenberg_authors.csv"
    if authors_path.exists():
        with open(authors_path, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                authors[r["gutenberg_author_id"]] = (
                    _int_or_none(r["birthdate"]),
                    _int_or_none(r["deathdate"]),
                )
    return meta, subjects, authors


def book_is_eligible(row: dict) -> bool:
    return (
        row.get("language") == "en"
        and row.get("has_text") in ("True", "TRUE", "true", True)
        and (row.get("rights") or "").startswith("Public domain")
    )


def build_books(
    folder: Path,
    goodbooks: dict[tuple[str, str], int],
    max_books: int,
    common: set[str] | frozenset[str] = frozenset(),
    dropped: list[Dropped] | None = None,
) -> tuple[list[Item], Counter]:
    """The max_books best-described works. Finding aids (non_work_reason) are left out and each work is one
    record (work_key), chosen before the cut, so the catalog holds max_books real works.
    `dropped` collects what was left out, for the build report."""
    dropped = [] if dropped is None else dropped
    meta, subjects_by_id, lives = load_gutenberg(folder)
    stats: Counter = Counter(rows=len(meta))
    # LCSH capitalises only a heading's first word: lowercase words elsewhere in headings are ordinary words.
    # Titles add more (Gutenberg often keeps library sentence case: "The lieutenant and commander").
    common = set(common) | common_words(h for hs in subjects_by_id.values() for h in hs)
    common |= common_words(r.get("title") or "" for r in meta)
    # The metadata has one row per (book, author): gather a book's authors first.
    rows_by_id: dict[str, list[dict]] = defaultdict(list)
    for row in meta:
        rows_by_id[row["gutenberg_id"].strip()].append(row)
    # work key -> (the work's rank among works, the chosen record's pick key, the chosen record)
    best_by_work: dict[tuple[str, str], tuple[tuple, tuple, Item]] = {}
    for gid in tqdm(sorted(rows_by_id, key=int), desc="books", unit="book", disable=None):
        rows = rows_by_id[gid]
        row = rows[0]
        if not book_is_eligible(row):
            continue
        stats["eligible"] += 1
        title, subtitle = clean_title(row.get("title") or "")
        if not title:
            continue
        subjects = split_subjects(subjects_by_id.get(gid, []))
        if subjects.is_periodical:
            stats["periodicals skipped"] += 1
            continue
        shelves = clean_shelves(row.get("gutenberg_bookshelf") or "")
        if not (subjects.topics or subjects.genres or shelves):
            stats["no subjects or shelves"] += 1
            continue
        raw_authors = [" ".join((r.get("author") or "").split()) for r in rows]
        authors: list[tuple[str, str]] = []
        year = None
        for r, raw in zip(rows, raw_authors, strict=True):
            if raw in NO_AUTHOR:
                continue
            name = reorder_author(raw)
            birth, death = lives.get((r.get("gutenberg_author_id") or "").split(".")[0], (None, None))
            if name.lower() not in {a.lower() for a, _ in authors}:
                authors.append((name, life_span(birth, death)))
            matched = goodbooks.get(goodbooks_key(title, name))
            # Same title and surname can still be another book (a namesake, a translation's date).
            if (
                year is None
                and matched is not None
                and (birth is None or birth < matched <= (death or birth + 110) + 5)
            ):
                year = matched
        # "Aristophanes -- Translations into English": the author is not what the book is about.
        author_names = {a.lower() for a, _ in authors}
        subjects.topics = [t for t in subjects.topics if t.lower() not in author_names]
        item = Item(
            id=f"book:pg:{gid}",
            domain="book",
            title=title,
            year=year,
            creators=tuple(name for name, _ in authors),
            tags=tuple(book_tags(subjects, shelves)),
            description=describe_book(
                authors, subjects, shelves, subtitle, year, common, various="Various" in raw_authors
            ),
            url=f"https://www.gutenberg.org/ebooks/{gid}",
            license=BOOK_LICENSE,
        )
        score = book_score(subjects, shelves, year is not None) - (0 if authors else 3)
        reason = non_work_reason(row.get("title") or "", subjects_by_id.get(gid, []))
        if reason:
            stats[f"not a work: {reason}"] += 1
            dropped.append(Dropped("book", f"not a work: {reason}", item.id, title, score))
            continue
        # Works are ranked by their best-described record; the record kept is the complete work when
        # there is one ("Rob Roy — Complete" over "Rob Roy — Volume 01"), else the best-described one.
        rank, pick = (-score, int(gid)), (is_volume(title), -score, int(gid))
        key = work_key(title, authors[0][0] if authors else "")
        if key in best_by_work:
            stats["other editions/volumes skipped"] += 1
            old_rank, old_pick, old_item = best_by_work[key]
            (_, winner), (lost_pick, loser) = sorted([(old_pick, old_item), (pick, item)], key=lambda p: p[0])
            dropped.append(
                Dropped("book", "other edition of a work", loser.id, loser.title, -lost_pick[1], winner.id)
            )
            best_by_work[key] = (min(old_rank, rank), min(old_pick, pick), winner)
        else:
            best_by_work[key] = (rank, pick, item)
    ranked = sorted(best_by_work.values(), key=lambda r: r[0])
    items = [item for _, _, item in ranked[:max_books]]
    if items:
        stats["score of the last book kept"] = -ranked[len(items) - 1][0][0]
    stats["candidates"] = len(ranked)
    stats["dated from goodbooks-10k"] = sum(1 for i in items if i.year is not None)
    return items, stats


def common_words(texts: Iterable[str]) -> set[str]:
    """Words seen in lowercase in running text: a lexicon for sentence-casing LCSH phrases."""
    words: set[str] = set()
    for text in texts:
        words.update(re.findall(r"\b[a-z][a-z'-]+\b", text))
    return words


# --------------------------------------------------------------------------- music

_NOT_LABELS = {"Jamendo", "Free Music Archive", "Community Audio", "Internet Archive"}


def cc_license_name(url: str) -> str:
    """'http://creativecommons.org/licenses/by-nc-nd/3.0/de/' -> 'CC BY-NC-ND 3.0'."""
    m = re.search(r"creativecommons\.org/licenses/([a-z-]+)/(\d\.\d)", url or "", re.I)
    if m:
        return f"CC {m.group(1).upper()} {m.group(2)}"
    if re.search(r"creativecommons\.org/publicdomain/zero", url or "", re.I):
        return "CC0 1.0"
    if re.search(r"creativecommons\.org/publicdomain", url or "", re.I):
        return "public domain"
    return ""


def music_tags(genre: str, style: str) -> list[str]:
    text = fix_mojibake(f"{genre or ''},{style or ''}")
    return dedupe(t.strip() for t in text.split(",") if t.strip())


def _article(word: str) -> str:
    return "An" if word[:1].upper() in "AEIOU" else "A"


def describe_release(row: dict) -> str:
    """'An Electronic album (Minimal) by Monochord, released in 2006 on the After-Dinner netlabel;
    4 tracks, 26 minutes.' Built from the release's fields only."""
    genres = [g.strip() for g in (row.get("genre") or "").split(",") if g.strip()]
    styles = [s.strip() for s in (row.get("style") or "").split(",") if s.strip()]
    kind = "compilation" if "Compilation" in styles else "album"
    styles = [s for s in styles if s != "Compilation"]
    genre = "/".join(genres)
    head = f"{_article(genre or kind)} {genre + ' ' if genre else ''}{kind}"
    if styles:
        head += f" ({', '.join(styles)})"
    artist = clean_text(row.get("artist"))
    if artist and artist != "Various Artists":
        head += f" by {artist}"
    elif artist:
        head += " by various artists"
    released = []
    year = _int_or_none(row.get("year"))
    if year:
        released.append(f"in {year}")
    label = clean_text(row.get("label"))
    if label and label != "?":
        if label in _NOT_LABELS:
            released.append(f"via {label}")
        elif "label" in label.lower():  # "Tropic Netlabel", not "the Tropic Netlabel netlabel"
            released.append(f"on {label}")
        else:
            released.append(f"on the {label} netlabel")
    if released:
        head += ", released " + " ".join(released)
    facts = []
    tracks, discs = _int_or_none(row.get("totaltracks")), _int_or_none(row.get("totaldiscs"))
    if discs and discs > 1:
        facts.append(f"{discs} discs")
    if tracks:
        facts.append(f"{tracks} track" + ("s" if tracks != 1 else ""))
    seconds = _int_or_none(row.get("duration"))
    if seconds:
        minutes = max(1, round(seconds / 60))
        facts.append(f"{minutes} minute" + ("s" if minutes != 1 else ""))
    text = head + ("; " + ", ".join(facts) if facts else "") + "."
    licence = cc_license_name(row.get("licenseurl") or "")
    if licence:
        text += f" Free to download from the Internet Archive; the music is licensed {licence}."
    return text


def archive_url(url: str, release_id: str) -> str:
    m = re.search(r"archive\.org/details/(\S+)", url or "")
    return f"https://archive.org/details/{m.group(1) if m else release_id}"


def music_item(row: dict) -> Item | None:
    title, artist, rid = (
        clean_text(row.get("album")),
        clean_text(row.get("artist")),
        (row.get("id") or "").strip(),
    )
    if not title or not artist or not rid:
        return None
    year = _int_or_none(row.get("year"))
    return Item(
        id=f"music:fmc:{rid}",
        domain="music",
        title=title,
        year=year if year and 1000 <= year <= 2100 else None,
        creators=(artist,),  # the label is not a creator: it is named in the description
        tags=tuple(music_tags(row.get("genre") or "", row.get("style") or "")),
        description=describe_release(row),
        url=archive_url(row.get("url") or "", rid),
        license=MUSIC_LICENSE,
    )


def build_music(folder: Path, dropped: list[Dropped] | None = None) -> tuple[list[Item], Counter]:
    dropped = [] if dropped is None else dropped
    stats: Counter = Counter()
    items = []
    rating: dict[str, float] = {}
    with open(folder / "releases.csv", encoding="utf-8", newline="") as f:
        for row in tqdm(csv.DictReader(f), desc="music", unit="release", disable=None):
            stats["rows"] += 1
            item = music_item(row)
            if item is None:
                stats["no title or artist"] += 1
                continue
            rating[item.id] = float(row.get("rating") or 0)
            items.append(item)
    # A 2-disc release is listed once per disc under one title ("Asaduki" disc 1 and 2): keep the better one.
    before = len(items)
    items = fold_duplicates(items, lambda i: (fold(i.title), fold(i.creators[0])),
                            lambda i: (-rating[i.id], i.id), "another disc of the same release", dropped)
    stats["other disc of a release"] = before - len(items)
    return items, stats


# --------------------------------------------------------------------------- attribution

_KNOWN_ORIGINS = {
    "wikipedia-movies": ("github.com/prust/wikipedia-movie-data", "91ae721d3672e8ef4f15b213c763a634250ef61a"),
    "gutenberg": ("github.com/ropensci/gutenbergr", "38786fdaf66519fbb2488b821136f78605fb0883"),
    "freemusicc": ("github.com/ojdo/freemusi.cc-database", "47098ed8a86424ad2d04baf7f34a0790af4ac027"),
    "goodbooks-10k": ("github.com/zygmuntz/goodbooks-10k", "6dd165b555a7b47b2dd36743a425776e641ff50c"),
}


def source_origin(folder: Path) -> tuple[str, str]:
    """(repo, commit) from a source's SOURCE.txt, falling back to the versions this catalog was built from."""
    path = folder / "SOURCE.txt"
    if path.exists():
        m = re.search(r"^repo\s*:\s*(\S+)\s+commit\s+([0-9a-f]{40})", path.read_text(encoding="utf-8"), re.M)
        if m:
            return m.group(1), m.group(2)
    return _KNOWN_ORIGINS.get(folder.name, ("unknown", "unknown"))


_HYGIENE_RULES = {
    "not a work: index": (
        "an index, table of contents or concordance: a title part that is one (\"A Linked Index to the "
        'Project Gutenberg Editions", "Table of Contents with links ...", "Index of the Project Gutenberg '
        'Works of ...", ": Index"), or every LCSH heading "Indexes"'
    ),
    "not a work: Project Gutenberg file": (
        '"Project Gutenberg" in the title: the project\'s own omnibus, quotation, FAQ and newsletter files '
        '("The Entire Project Gutenberg Works of Mark Twain", "Quotations from the Project Gutenberg '
        'Editions of ...") of works the catalogue lists on their own'
    ),
    "not a work: catalogue": (
        "a catalogue: an LCSH heading \"Publishers' catalogs\" (or booksellers', trade, auction, sales); "
        '"catalogue" in the main title when a heading is subdivided "-- Catalogs", there are no headings or '
        'the title is "(Illustrated) Catalogue of ..." ("Rules for a Dictionary Catalogue" and "A New '
        'Catalogue of Vulgar Errors" are kept); or every heading "-- Catalogs"'
    ),
    "not a work: bibliography": (
        'a bibliography: a title (part) that is one ("A Bibliography of ...", ": a Checklist", "A '
        'Bibliographical Survey"), or every LCSH heading subdivided "-- Bibliography" (a book with one such '
        "heading among others, or with the topic heading \"Bibliography\", is kept)"
    ),
    "other edition of a work": (
        "another edition, volume or part of a work already kept: same title once subtitles, volume and part "
        'numbers, "Complete", "Illustrated", a year and leading articles are set aside, and same first '
        "author; the complete work is kept over a volume, else the best-described record"
    ),
    "same Wikipedia article as another film": (
        "two list rows whose pages lead to one Wikipedia article (same text); the film the article names "
        "is kept"
    ),
    "another disc of the same release": (
        "the discs of one release listed separately (same title and artist); the better-rated disc is kept"
    ),
}


def hygiene_markdown(dropped: Sequence[Dropped], last_book_score: int | None, examples: int = 6) -> str:
    """The build report's section on records left out on purpose: each rule, its count, examples."""
    by_reason: dict[str, list[Dropped]] = defaultdict(list)
    replaced_by = {d.id: d.kept for d in dropped if d.kept}
    for d in dropped:
        by_reason[d.reason].append(d)

    def kept(item_id: str) -> str:
        while item_id in replaced_by:  # A lost to B, which later lost to C: C is what was kept
            item_id = replaced_by[item_id]
        return item_id

    def example(d: Dropped) -> str:
        return f"{d.title} ({d.id}" + (f" -> {kept(d.kept)})" if d.kept else ")")

    lines = [
        "## Records left out",
        "",
        "Source records that are not works, or a second record of one work, are dropped before books are",
        "ranked and cut, so the catalog's books are that many distinct works.",
        "",
        "| rule | records dropped | of which would have ranked into the catalog | examples |",
        "|---|---:|---:|---|",
    ]
    for reason, rule in _HYGIENE_RULES.items():
        group = sorted(by_reason.get(reason, []), key=lambda d: (-d.score, d.id))
        if reason.startswith("not a work") and last_book_score is not None:
            ranked_in = f"{sum(d.score >= last_book_score for d in group):,}"
        elif group and group[0].domain != "book":
            ranked_in = f"{len(group):,}"
        else:
            ranked_in = "—"
        shown = "; ".join(example(d).replace("|", "/") for d in group[:examples])
        lines.append(f"| {rule} | {len(group):,} | {ranked_in} | {shown} |")
    return "\n".join(lines) + "\n"


def attribution_markdown(
    counts: Counter,
    sources: Path,
    used_goodbooks: bool,
    catalog_name: str,
    hygiene: str = "",
) -> str:
    mv_repo, mv_commit = source_origin(sources / "wikipedia-movies")
    pg_repo, pg_commit = source_origin(sources / "gutenberg")
    fm_repo, fm_commit = source_origin(sources / "freemusicc")
    gb_repo, gb_commit = source_origin(sources / "goodbooks-10k")
    goodbooks = (
        f"""
## goodbooks-10k (book publication years)

- **Used:** only `original_publication_year` from `books.csv`, to fill the `year` (and the
  "First published in ..." sentence) of a Gutenberg book whose title and author surname match a
  goodbooks-10k book. Nothing else from goodbooks-10k is shipped.
- **Origin:** <https://{gb_repo}>, commit `{gb_commit}` (Zygmunt Zając, 2017).
- **Licence:** Creative Commons Attribution-ShareAlike 4.0 International
  ([CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)).
"""
        if used_goodbooks
        else ""
    )
    return f"""# Attribution for the demo catalog

`{catalog_name}` is derived from the public sources below by `scripts/build_catalog.py`.
It holds {counts["movie"]:,} movies, {counts["book"]:,} books and {counts["music"]:,} albums.
Each item carries its own `license` and `url` fields naming where it came from.

**Licence of the catalog as a whole:** the file contains material under CC BY-SA 4.0
(Wikipedia text, freemusi.cc and goodbooks-10k metadata), so the derived catalog is distributed
under [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/). The Project Gutenberg
catalogue data in it is CC0 1.0 and may be reused without conditions. Changes made: records were
selected, fields were renamed into one schema, text was whitespace-normalised and shortened,
mis-decoded text was repaired (UTF-8 read as Latin-1, e.g. "CRÃ“!" -> "CRÓ!", with ftfy), and
book and album descriptions were composed from the metadata fields.

## Wikipedia movie data (movies)

- **Used:** films listed from {MIN_MOVIE_YEAR} onward in the decade files `movies-*.json` that have a
  lead paragraph (`extract`): title, year, cast, genres, Wikipedia page name (`href`) and the
  extract. Directors are read from the extract text. Thumbnail URLs and images are **not** used
  or shipped.
- **Year:** the year the article's first sentence gives ("... is a 2015 American film"), which
  Wikipedia sets to the film's first release and which the card's description shows; the `year`
  field of the list row (the "List of American films of <year>" the film is in, its US release)
  only when that sentence dates no film. A re-release listed in a later year keeps its article's
  year (The Wizard of Oz: 1939).
- **Origin:** <https://{mv_repo}>, commit `{mv_commit}` ("Movie Data" by Peter Rust; the
  compilation is MIT-licensed, Copyright (c) 2016 Peter Rust). The data was scraped from the
  Wikipedia pages "List of American films of <year>" and the Wikipedia REST summary API.
- **Licence:** movie descriptions are Wikipedia text, licensed
  [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/) by Wikipedia's contributors.
  Each movie item links its article in its `url` field (`https://en.wikipedia.org/wiki/<page>`),
  whose history lists the authors. Descriptions are the article's lead paragraph, shortened at a
  sentence boundary to at most {MAX_DESCRIPTION_CHARS} characters.

## Project Gutenberg catalogue (books)

- **Used:** English books with a text file that are public domain in the USA: title, authors,
  bookshelves, Library of Congress subject headings (LCSH) and author birth/death years. The
  {counts["book"]:,} books with the richest metadata are kept, one edition per work. Descriptions
  are composed from these fields only.
- **Origin:** Project Gutenberg's RDF catalogue as packaged in the rOpenSci R package gutenbergr,
  <https://{pg_repo}>, commit `{pg_commit}` (data files converted from `.rda` to CSV unchanged).
  Each book links its Project Gutenberg page (`https://www.gutenberg.org/ebooks/<id>`).
- **Licence:** the catalogue is [CC0 1.0](https://creativecommons.org/publicdomain/zero/1.0/)
  (as declared in Project Gutenberg's RDF files). The books themselves are public domain in the USA.

## freemusi.cc database (music)

- **Used:** every release in `releases.csv` with an album title and an artist: album, artist,
  label, year, genre, style tags, track count, duration, licence URL and archive.org URL.
- **Origin:** <https://{fm_repo}>, commit `{fm_commit}` (freemusi.cc: curated Creative Commons
  netlabel releases hosted on the Internet Archive).
- **Licence:** the metadata is [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/).
  The music itself is not shipped; each release carries its own Creative Commons licence (named
  in the item description) and is linked at archive.org in the item's `url`.
{goodbooks}
{hygiene}
## Regenerating

With the raw sources at `../shared/data/catalog-sources` (beside the repository):

    python scripts/build_catalog.py

Options: `--sources DIR`, `--out PATH`, `--max-books N`. The output is deterministic: the same
sources give a byte-identical catalog.
"""


# --------------------------------------------------------------------------- main


def build(
    sources: Path, max_books: int, dropped: list[Dropped] | None = None
) -> tuple[list[Item], dict[str, Counter], bool]:
    stats: dict[str, Counter] = {}
    dropped = [] if dropped is None else dropped
    movies, stats["movie"] = build_movies(sources / "wikipedia-movies", dropped=dropped)
    goodbooks = load_goodbooks_years(sources / "goodbooks-10k")
    lexicon = common_words(m.description for m in movies)
    books, stats["book"] = build_books(sources / "gutenberg", goodbooks, max_books, lexicon, dropped)
    music, stats["music"] = build_music(sources / "freemusicc", dropped)
    items = sorted(movies + books + music, key=lambda i: i.id)
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            unique.append(item)
    used_goodbooks = any(b.year is not None for b in books)
    return unique, stats, used_goodbooks


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sources",
        type=Path,
        default=DEFAULT_SOURCES,
        help="folder with wikipedia-movies/, gutenberg/, freemusicc/ (and optionally goodbooks-10k/)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="catalog file to write (.jsonl.gz)")
    parser.add_argument(
        "--max-books",
        type=int,
        default=DEFAULT_MAX_BOOKS,
        help="how many Gutenberg books to keep (the best-described ones)",
    )
    args = parser.parse_args(argv)
    if not args.sources.is_dir():
        parser.error(f"sources folder not found: {args.sources}")
    started = time.perf_counter()
    dropped: list[Dropped] = []
    items, stats, used_goodbooks = build(args.sources, args.max_books, dropped)
    write_jsonl_gz(items, args.out)
    counts = Counter(i.domain for i in items)
    try:
        catalog_name = args.out.resolve().relative_to(REPO).as_posix()
    except ValueError:
        catalog_name = args.out.name
    attribution = args.out.parent / "ATTRIBUTION.md"
    attribution.write_text(
        attribution_markdown(
            counts,
            args.sources,
            used_goodbooks,
            catalog_name,
            hygiene_markdown(dropped, stats["book"].get("score of the last book kept")),
        ),
        encoding="utf-8",
    )
    report = read_items(args.out)
    for domain, counter in stats.items():
        details = ", ".join(f"{k} {v:,}" for k, v in sorted(counter.items()))
        print(f"{domain:6} {counts[domain]:>6,} items  ({details})")
    size = args.out.stat().st_size
    print(f"total  {len(items):>6,} items -> {args.out} ({size / 1e6:.2f} MB); {attribution.name} written")
    print(f"check: {report.summary()}; built in {time.perf_counter() - started:.1f} s")
    return 0 if not report.errors and not report.duplicates else 1


if __name__ == "__main__":
    sys.exit(main())
