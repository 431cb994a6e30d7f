"""The Lexicon: facet phrases, facet counts and creators built from a catalog's own tags.

Also the typo index used to repair one-edit misspellings, and the catalog vocabulary that
decides which words are ordinary (never corrected) or too common to be a lowercase title.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.understand.cues import _CUE_RE
from bot.understand.text import _WORD_RE, _deletes, _norm_tag, _within_one_edit, fold, phrase_key, stem
from bot.understand.vocab import (
    ALIASES,
    CHAT_WORDS,
    FOLDS,
    FREE_FACETS,
    NARROWER,
    STOP_WORDS,
    Targets,
    _wordset,
)
from bot.understand.zh_aliases import load_aliases
from retrieval.items import Item

# contractions written without an apostrophe are never facets; cast-list scraps are never creators
_CONTRACTIONS = _wordset("cant dont wont isnt arent wasnt didnt doesnt im ive id ill youre thats")
_NAME_JUNK = frozenset({"various artists", "various", "anonymous", "unknown", "voices of", "writer", "et al"})


@dataclass
class Lexicon:
    """Facet phrases and the catalog's vocabulary, built once per catalog."""

    phrases: dict[str, Targets]  # phrase key -> facets by domain
    counts: dict[str, dict[str, int]]  # facet -> domain -> items carrying it
    catalog_tags: dict[str, dict[str, list[str]]]  # facet -> domain -> catalog tags behind it
    creators: dict[str, str] = field(default_factory=dict)  # name key -> display name
    surnames: dict[str, str] = field(default_factory=dict)  # last-name key -> display name
    # one-word names the catalog's descriptions use far more than any creator of that last name ("Disney":
    # 338 descriptions, one film by Tim Disney): the word itself is meant, a studio or brand
    brands: frozenset[str] = frozenset()
    # display name -> the domains the catalog credits them in ("Steven Keats": movies only)
    creator_domains: dict[str, frozenset[str]] = field(default_factory=dict)
    # last names that descriptions mostly use as ordinary words ("good", "young", "black"): alone, capitalised
    # at the start of a sentence ("Good movies!!"), they name nobody
    word_surnames: frozenset[str] = frozenset()
    known_words: frozenset[str] = frozenset()  # ordinary words: never "corrected"
    common_words: frozenset[str] = frozenset()  # too frequent to be a lowercase title
    # Chinese words outside the table -> a facet (bot/understand/zh_fallback.py); set by the runtime
    zh_fallback: Callable[[str], str | None] | None = field(default=None, repr=False, compare=False)
    # derived look-up tables, rebuilt from the fields above
    max_len: int = field(default=1, init=False)
    _prefixes: frozenset[str] = field(default_factory=frozenset, init=False, repr=False)
    _creator_prefixes: frozenset[str] = field(default_factory=frozenset, init=False, repr=False)
    _typo: dict[str, set[str]] = field(default_factory=dict, init=False, repr=False)
    _words: frozenset[str] = field(default_factory=frozenset, init=False, repr=False)
    _word_uses: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._index()

    def __repr__(self) -> str:
        sizes = f"{len(self.phrases)} phrases, {len(self.counts)} facets, {len(self.creators)} creators"
        return f"Lexicon({sizes})"

    @classmethod
    def from_items(cls, items: Iterable[Item], min_count: int = 2, book_min_count: int = 3) -> Lexicon:
        """Facets from tags used at least `min_count` times in a domain (`book_min_count` for
        books, whose subject headings are long-tailed), plus the hand-written tables."""
        items = list(items)
        tags = _CatalogTags.collect(items, min_count, book_min_count)
        counts, catalog_tags = tags.facet_counts(items)
        creators, surnames, brands, domains = _creator_index(items)
        word_surnames = _word_surnames(items, surnames)
        known, common = _vocabulary(items)
        return cls(phrases=tags.phrases(set(counts) | FREE_FACETS), counts=counts, catalog_tags=catalog_tags,
                   creators=creators, surnames=surnames, brands=brands, word_surnames=word_surnames,
                   creator_domains=domains,
                   known_words=known,
                   common_words=common)

    def _index(self) -> None:
        """Word-prefix sets (a scan stops as soon as no phrase can continue) and the typo index."""
        self.max_len = max((len(k.split()) for k in self.phrases), default=1)
        self._prefixes = _word_prefixes(self.phrases)
        self._creator_prefixes = _word_prefixes(self.creators)
        words: Counter = Counter(w for key in self.phrases for w in key.split())
        typo: dict[str, set[str]] = defaultdict(set)
        for word in words:
            if len(word) >= 4 and word.isalpha():
                typo[word].add(word)
                for d in _deletes(word):
                    typo[d].add(word)
        self._words, self._typo, self._word_uses = frozenset(words), dict(typo), dict(words)

    # -- queries --------------------------------------------------------------------------

    def correct(self, word: str) -> str | None:
        """The lexicon word one edit away from `word` (5+ letters, not an ordinary word)."""
        if not 5 <= len(word) <= 30 or not word.isalpha():
            return None
        if word in self.known_words or stem(word) in self._words:
            return None
        for suffix in ("ing", "ers"):  # "no rapping over it": rap, not "trapping" ("snowed in" is no snow)
            base = word[:-len(suffix)] if word.endswith(suffix) else ""
            base = base[:-1] if len(base) >= 3 and base[-1] == base[-2] else base
            if len(base) >= 3 and base in self._words:
                return base
        found: set[str] = set()
        for form in {word, stem(word)}:  # "musicls" is one edit from the stem "musical"
            for key in {form} | _deletes(form):
                found.update(w for w in self._typo.get(key, ()) if _within_one_edit(form, w))
        if not found:
            return None
        # a word that is a facet on its own beats one that only occurs inside phrases
        return min(found, key=lambda w: (w not in self.phrases, -self._word_uses.get(w, 0), w))

    def count(self, facet: str, domain: str | None = None) -> int:
        """How many catalog items carry the facet (in one domain, or in all)."""
        by_domain = self.counts.get(facet, {})
        return by_domain.get(domain, 0) if domain else sum(by_domain.values())

    def is_facet(self, facet: str) -> bool:
        return facet in self.counts or facet in FREE_FACETS

    def in_domain(self, facet: str, domain: str) -> bool:
        return facet in FREE_FACETS or self.counts.get(facet, {}).get(domain, 0) > 0

    def tags_for(self, facet: str, domain: str | None = None) -> list[str]:
        """The catalog tags behind a facet (in one domain, or all), for scoring items."""
        by_domain = self.catalog_tags.get(facet, {})
        if domain is not None:
            return list(by_domain.get(domain, []))
        return sorted({t for tags in by_domain.values() for t in tags})

    def facets_across(self, item: Item, domain: str | None) -> list[str]:
        """The facets of an item of another domain that the asked-for domain also has: "a book like the
        film Arrival" likes science fiction (its Drama tag has no books: Gutenberg's drama is plays)."""
        if domain is None or item.domain == domain:
            return []
        tags = {t.lower() for t in item.tags}
        return [f for f, by_domain in self.catalog_tags.items() if self.count(f, domain)
                and tags.intersection(t.lower() for t in by_domain.get(item.domain, ()))]

    def excluded_tags(self, facet: str, domain: str | None = None) -> list[str]:
        """The catalog tags a hard dislike of the facet rules out: its own and those of its narrower
        kinds ("no horror" rules out slashers too); the facet as written when no tag carries it."""
        tags = self.tags_for(facet, domain) or [facet]
        for narrower in NARROWER.get(facet, ()):
            tags += [t for t in self.tags_for(narrower, domain) if t not in tags]
        return tags

    def resolve(self, targets: Targets, domain: str | None) -> tuple[str, ...]:
        """Pick a synonym's facets for the domain being talked about."""
        if domain is not None and domain in targets:
            return targets[domain]
        general = targets.get(None, ())
        if domain is None or len(general) < 2:
            return general
        return tuple(f for f in general if self.in_domain(f, domain)) or general


_Counts = dict[str, dict[str, int]]  # facet -> domain -> items
_Behind = dict[str, dict[str, list[str]]]  # facet -> domain -> catalog tags


@dataclass
class _CatalogTags:
    """The catalog's tags, normalised, and which of them become facets in which domain."""

    norm: dict[str, str]  # tag as written -> normalised
    original: dict[str, str]  # normalised -> first spelling seen
    kept: dict[str, set[str]]  # normalised tag -> domains where it is common enough

    @classmethod
    def collect(cls, items: list[Item], min_count: int, book_min_count: int) -> _CatalogTags:
        norm: dict[str, str] = {}
        original: dict[str, str] = {}
        per_domain: dict[str, Counter] = defaultdict(Counter)
        for item in items:
            for tag in item.tags:
                n = norm.get(tag)
                if n is None:
                    n = norm[tag] = _norm_tag(tag)
                    original.setdefault(n, tag)
                per_domain[item.domain][n] += 1
        kept: dict[str, set[str]] = defaultdict(set)
        for domain, counter in per_domain.items():
            floor = book_min_count if domain == "book" else min_count
            for tag, n in counter.items():
                if n >= floor or tag in _FACET_OF:
                    kept[tag].add(domain)
        return cls(norm, original, dict(kept))

    def facets(self, tag: str) -> tuple[str, ...]:
        return _FACET_OF.get(tag) or (tag,)

    def facet_counts(self, items: list[Item]) -> tuple[_Counts, _Behind]:
        """Items per facet per domain, and the catalog tags behind each facet."""
        counts: dict[str, Counter] = defaultdict(Counter)
        for item in items:
            facets = set()
            for tag in item.tags:
                n = self.norm[tag]
                if item.domain in self.kept.get(n, ()):
                    facets.update(self.facets(n))
            for facet in facets:
                counts[facet][item.domain] += 1
        behind: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for tag, domains in self.kept.items():
            for facet in self.facets(tag):
                for domain in domains:
                    behind[facet][domain].append(self.original[tag])
        return ({f: dict(c) for f, c in counts.items()},
                {f: {d: list(t) for d, t in ds.items()} for f, ds in behind.items()})

    def phrases(self, known_facets: set[str]) -> dict[str, Targets]:
        phrases: dict[str, Targets] = {}
        for tag in self.kept:
            for key in _tag_keys(self.original[tag]):
                if key and len(key.split()) <= 6 and not _is_common_word(key):
                    phrases.setdefault(key, {None: self.facets(tag)})
        for alias, targets in ALIASES.items():
            resolved = _clean_targets(targets, known_facets)
            if resolved is not None:
                phrases[phrase_key(alias)] = resolved
        for facet in FREE_FACETS:
            phrases.setdefault(phrase_key(facet), {None: (facet,)})
        return phrases


_FACET_OF: dict[str, tuple[str, ...]] = {}  # normalised catalog tag -> the facets it is folded into
for _facet, _tags in FOLDS.items():
    for _tag in _tags:
        _FACET_OF[_tag] = (*_FACET_OF.get(_tag, ()), _facet)


def _is_common_word(key: str) -> bool:
    """A one-word tag that is an ordinary or cue word ("love", "can't") is not a facet."""
    return " " not in key and (key in STOP_WORDS or key in _CONTRACTIONS or bool(_CUE_RE.fullmatch(key)))


def _word_prefixes(keys: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for key in keys:
        words = key.split()
        out.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    return frozenset(out)


def _longest_at(tokens: list[str], i: int, index: Mapping, prefixes: frozenset[str], max_len: int):
    """(end, value) of the longest key in `index` made of tokens[i:end], or None."""
    key, best = "", None
    for j in range(i, min(len(tokens), i + max_len)):
        key = f"{key} {tokens[j]}" if key else tokens[j]
        if key not in prefixes:
            break
        value = index.get(key)
        if value is not None:
            best = (j + 1, value)
    return best


def _tag_keys(tag: str) -> list[str]:
    """A tag's keys: itself, and without a capitalised qualifier ("London (England)" -> "london")."""
    keys = [phrase_key(tag)]
    m = re.match(r"^(.*?)\s*\(([A-Z][^)]*)\)\s*$", tag)
    if m and m.group(1):
        keys.append(phrase_key(m.group(1)))
    return keys


def _clean_targets(targets: tuple[str, ...] | Targets, known: set[str]) -> Targets | None:
    """Drop facets this catalog does not have; None if nothing is left in any domain."""
    raw: Targets = targets if isinstance(targets, dict) else {None: targets}
    out = {d: tuple(f for f in fs if f in known) for d, fs in raw.items()}
    if not any(out.values()):
        return None
    out.setdefault(None, ())
    return out


def _name_key(name: str) -> str:
    return " ".join(w.replace("'", "") for w in _WORD_RE.findall(fold(name)))


_CAPITALISED_WORD = re.compile(r"\b[A-Z][a-z]{3,}\b")
BRAND_MIN_MENTIONS = 100  # descriptions, at least, before a last name counts as a studio or brand


def _word_surnames(items: list[Item], surnames: dict[str, str]) -> frozenset[str]:
    lower: Counter = Counter()
    upper: Counter = Counter()
    for item in items:  # one pass: "good" and "Good" alike
        for w in _NAME_OR_WORD.findall(item.description or ""):
            key = w.lower()
            if key in surnames:
                (upper if w[0].isupper() else lower)[key] += 1
    own = {s for s, n in lower.items() if n >= 10 and 5 * n >= upper[s]}
    return frozenset(own | (_shipped_common_words() & surnames.keys()))


COMMON_WORDS_FILE = Path(__file__).resolve().parents[2] / "data" / "common_words.txt"


@functools.lru_cache(maxsize=1)
def _shipped_common_words() -> frozenset[str]:
    """Everyday words (scripts/build_common_words.py): a catalog with few descriptions knows too few."""
    if not COMMON_WORDS_FILE.exists():
        return frozenset()
    return frozenset(COMMON_WORDS_FILE.read_text(encoding="utf-8").split())


_NAME_OR_WORD = re.compile(r"\b[A-Za-z][a-z]{3,}\b")  # a lowercase word or a capitalised one


def _creator_index(items: list[Item]
                   ) -> tuple[dict[str, str], dict[str, str], frozenset[str], dict[str, frozenset[str]]]:
    """(name key -> display name, last name -> display name, brand words, name -> the domains credited)."""
    counts: Counter = Counter()
    display: dict[str, str] = {}
    domains: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for name in item.creators[:4]:
            domains[name].add(item.domain)
            key = _name_key(name)
            if len(key) < 3 or key in _NAME_JUNK or "(" in name or not any(c.isalpha() for c in key):
                continue  # "voices of", "writer)": scraps of cast lists
            counts[key] += 1
            display.setdefault(key, name)
    surname_count: dict[str, tuple[int, str]] = {}
    for key, n in counts.items():
        parts = key.split()
        if len(parts) >= 2 and len(parts[-1]) >= 4:
            best = surname_count.get(parts[-1])
            if best is None or n > best[0]:
                surname_count[parts[-1]] = (n, display[key])
    surnames = {s: name for s, (n, name) in surname_count.items()}
    # a last name of someone with one or two items that a hundred descriptions use is a studio or brand
    # ("Disney": 338 descriptions, one film by Tim Disney), unless it is a common first name ("Michael")
    # or one of the best-known people below ("King" is Stephen King)
    mentioned: Counter = Counter()
    for item in items:
        words = {w.lower() for w in _CAPITALISED_WORD.findall(item.description or "")}
        mentioned.update(words & surnames.keys())
    first_names = Counter(key.split()[0] for key in counts if " " in key)
    brands = {s for s, (n, _) in surname_count.items()
              if n <= 2 and mentioned[s] >= BRAND_MIN_MENTIONS and first_names[s] < 3}
    for s in brands:
        surnames[s] = s.capitalize()
    for key, name in list(display.items()):  # "conan doyle" is Arthur Conan Doyle
        parts = key.split()
        if len(parts) >= 3 and len(parts[-2]) >= 3 and len(parts[-1]) >= 3:  # not "with a" of "living with a"
            display.setdefault(" ".join(parts[-2:]), name)
    # the best-known people (data/zh_aliases.tsv, English names): their last name means them ("King" is
    # Stephen King, not a bit-part actor), and those the catalog lacks are still people ("not Tolkien")
    for name in sorted(set(load_aliases().people.values())):
        key = _name_key(name)
        display.setdefault(key, name)
        parts = key.split()
        if len(parts) >= 2 and len(parts[-1]) >= 3:
            surnames[parts[-1]] = display[key]
            brands.discard(parts[-1])
    return display, surnames, frozenset(brands), {n: frozenset(d) for n, d in domains.items()}


def _vocabulary(items: list[Item]) -> tuple[frozenset[str], frozenset[str]]:
    """Words of the catalog's own text: ordinary (3+ uses) and common (300+ uses).

    Catalog text is encyclopedic, so chat words ("boring", "awesome") are added by hand:
    otherwise "boring" would be "corrected" to "boxing"."""
    text = "\n".join(f"{item.title}\n{item.description}" for item in items).lower()
    counter = Counter(re.findall(r"[a-z]+", text))
    known = frozenset(w for w, n in counter.items() if n >= 3) | CHAT_WORDS | _dictionary_words()
    common = frozenset(w for w, n in counter.items() if n >= 300)
    return known, common


def _dictionary_words() -> frozenset[str]:
    """The whole English words of the packaged embedder's WordPiece vocabulary (about 20,000): a real word
    the catalog seldom uses ("spine", "runway", "salon") is no typo of a facet ("swine", "runaways")."""
    from bot.models.weights import EMBEDDER_FILES, ModelFileError

    try:
        path = next(f for f in EMBEDDER_FILES if f.relpath.endswith("vocab.txt")).locate()
        words = path.read_text(encoding="utf-8").split()
    except (OSError, StopIteration, ModelFileError):
        return frozenset()  # without the package, the catalog's own words still guard
    return frozenset(w for w in words if len(w) >= 4 and w.isascii() and w.isalpha())
