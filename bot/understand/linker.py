"""The title linker: an in-memory index of catalog titles, no embedder.

`title_index_linker(items)` returns the `link_titles` function that `extract` takes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.understand.text import _FACET_WORD_RE, _WORD_RE, clean_text, fold
from bot.understand.vocab import LinkTitles
from retrieval.items import DOMAINS, Item

_SUBTITLE_RE = re.compile(r";|:|,\s+or,?\s+|\s+\(")
_YEAR_LABEL_RE = re.compile(r"\s*\(\s*((?:18|19|20)\d\d)\s*\)")


def _title_key(title: str) -> str:
    return " ".join(w.replace("'", "") for w in _WORD_RE.findall(fold(title).replace("&", " and ")))


def title_index_linker(items: Iterable[Item], max_words: int = 10) -> LinkTitles:
    """A `link_titles` function over an exact/normalised title index.

    For every start position it keeps the longest n-gram that is a catalog title (or a
    title without its leading article), drops spans inside longer ones, and returns
    (span as written, item id). Deciding whether a span is really meant as a title is
    `extract`'s job: the linker happily finds "Up" and "Her" in any sentence.
    """
    ranked = sorted(items, key=lambda i: (DOMAINS.index(i.domain) if i.domain in DOMAINS else 9,
                                          "tv" in i.id.lower(), -len(i.description)))
    index: dict[str, str] = {}
    by_year: dict[tuple[str, int], str] = {}  # "Friday the 13th (1980)": the original, not the remake
    for item in ranked:
        key = _title_key(item.title)
        if key:
            index.setdefault(key, item.id)
            if item.year:
                by_year.setdefault((key, item.year), item.id)
            bare = re.sub(r"^(?:the|a|an) ", "", key)
            if bare != key and len(bare) >= 5:
                index.setdefault(bare, item.id)
            short = _title_key(_SUBTITLE_RE.split(item.title)[0])  # "Moby-Dick; or, The Whale": "Moby-Dick"
            if short and short != key and len(short) >= 8 and " " in short:
                index.setdefault(short, item.id)
    # every word prefix of every key, so a scan stops as soon as no title can continue
    prefixes = {" ".join(k.split()[:n]) for k in index for n in range(1, min(max_words, len(k.split())) + 1)}

    def _with_year(key: str, end: int, text: str) -> str | None:
        m = _YEAR_LABEL_RE.match(text, end)
        if m is None:
            return None
        year = int(m.group(1))
        return by_year.get((key, year)) or by_year.get((key, year + 1)) or by_year.get((key, year - 1))

    def link(text: str) -> list[tuple[str, str]]:
        text = clean_text(text)
        toks = [("and" if m.group() == "&" else m.group().replace("'", ""), m.start(), m.end())
                for m in _FACET_WORD_RE.finditer(fold(text))]
        found: list[tuple[int, int, str]] = []
        for i in range(len(toks)):
            key, best = "", None
            for j in range(i, min(len(toks), i + max_words)):
                key = f"{key} {toks[j][0]}" if key else toks[j][0]
                if key not in prefixes:
                    break
                if key in index:
                    best = (toks[i][1], toks[j][2], _with_year(key, toks[j][2], text) or index[key])
            if best:
                found.append(best)
        kept, reach = [], -1
        for span in found:  # in start order; drop spans inside an earlier, longer one
            if span[1] > reach:
                kept.append(span)
                reach = span[1]
        return [(text[s:e], item_id) for s, e, item_id in kept]

    return link
