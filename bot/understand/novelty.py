"""Requests about how well known the picks should be: "a hidden gem" (lesser-known) or "something
popular" (the usual favourites). The answer moves the item prior's weight in `hybrid_score`."""

from __future__ import annotations

import re

_LESS_KNOWN = re.compile(
    r"\b(?:hidden gems?|(?:less|lesser|little|not (?:so |very |too )?well)[- ]known|"
    r"under-?(?:rated|the-radar|appreciated|seen)|underground|off the beaten (?:path|track)|obscure|niche|"
    r"deep cuts?|"
    r"surprise me|something different|not (?:the )?(?:obvious|mainstream|usual)|never heard of|indie gems?|"
    r"(?:nobody|no-? ?one|few people|not many people|hardly anyone)(?: has| have|'s)? "
    r"(?:heard of|knows?|seen)|"
    r"less (?:mainstream|popular|famous|obvious)|apart from the obvious|beyond the obvious|other than the "
    r"obvious(?: ones)?)\b"
    r"|冷门|小众|不太出名|没什么人知道|(?:没什么|没多少|很少|少有)人(?:看过|读过|听过|听说过|知道)|不那么有名|惊喜|非主流|不那么大众|不太大众|没那么大众|没听说过|没听过的|\bsurprise\b",
    re.IGNORECASE)
_WELL_KNOWN = re.compile(
    r"\b(?:popular|well[- ]known|mainstream|famous|crowd[- ]pleas\w+|everyone (?:loves|knows)|"
    r"classics? everyone|blockbusters?|best[- ]known|most loved)\b|热门|有名的|大家都知道|经典大片|最火",
    re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|no|nothing|don't want|without)(?:\s+(?:too|so|very|that))?\s*$"
                      r"|(?:不要|别|不想要)太?$", re.IGNORECASE)


def novelty_request(text: str) -> bool | None:
    """True: wants lesser-known picks; False: wants well-known ones; None: said nothing about it."""
    for pattern, value in ((_LESS_KNOWN, True), (_WELL_KNOWN, False)):
        for m in pattern.finditer(text):
            if m.group(0).lower().startswith("not "):  # "not so well known" is itself the request
                return value
            if _NEGATED.search(text[max(0, m.start() - 20):m.start()]):
                return not value
            return value
    return None


def novelty_spans(text: str) -> list[tuple[int, int]]:
    """Where the text asks about how well known: those words are no facets or cues ("less mainstream")."""
    return [m.span() for rx in (_LESS_KNOWN, _WELL_KNOWN) for m in rx.finditer(text)]
