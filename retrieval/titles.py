"""Matching "Title (Year)" strings from other datasets to catalog items."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from retrieval.items import Item

_YEAR_SUFFIX = re.compile(r"\s*\((\d{4})\)\s*$")
_ARTICLE = re.compile(r"^(the|a|an)\s+|,\s*(the|a|an)$")


def normalize_title(title: str) -> str:
    """Lowercase, accents and punctuation folded, leading/trailing article dropped."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    text = re.sub(r"[^a-z0-9, ]+", " ", text)
    text = _ARTICLE.sub("", " ".join(text.split()))
    return " ".join(re.sub(r",", " ", text).split())


def split_title_year(text: str) -> tuple[str, int | None]:
    """'Man on Wire (2008)' -> ('Man on Wire', 2008)."""
    m = _YEAR_SUFFIX.search(text)
    if not m:
        return text.strip(), None
    return text[: m.start()].strip(), int(m.group(1))


class TitleMatcher:
    """Find the catalog item for a title and year (normalised title, year within ±tolerance)."""

    def __init__(self, items: Iterable[Item], domain: str | None = "movie", year_tolerance: int = 1):
        self.year_tolerance = year_tolerance
        self._by_title: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            if domain is None or item.domain == domain:
                self._by_title[normalize_title(item.title)].append(item)

    def match(self, title: str, year: int | None) -> Item | None:
        candidates = self._by_title.get(normalize_title(title), [])
        if year is None:
            return candidates[0] if len(candidates) == 1 else None
        close = [i for i in candidates if i.year is not None and abs(i.year - year) <= self.year_tolerance]
        close.sort(key=lambda i: abs(i.year - year))
        return close[0] if close else None
