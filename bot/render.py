"""Turning items into chat text that can never carry markup from the catalog or the user."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlparse

from retrieval import Item

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_TAG = re.compile(r"<[^>]{0,200}>")


def plain(text: str, max_chars: int | None = None) -> str:
    """Strip tags and control characters; the result is still raw text to escape."""
    text = _CONTROL.sub("", _TAG.sub("", html.unescape(text or "")))
    text = " ".join(text.split())
    if max_chars is not None and len(text) > max_chars:
        text = text[: max_chars - 1].rsplit(" ", 1)[0] + "…"
    return text


def md_escape(text: str) -> str:
    """Escape for Markdown and HTML both, so text renders literally."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(plain(text), quote=False))


def safe_url(url: str) -> str | None:
    """Only http(s) links survive; javascript:, data: and the like are dropped.

    Parentheses (common in Wikipedia links) are percent-encoded so they cannot end a Markdown link.
    """
    url = (url or "").strip()
    try:
        parsed = urlparse(url)
    except ValueError:
        return None
    if parsed.scheme not in ("http", "https") or not parsed.netloc or re.search(r"[\s<>\"'`\\]", url):
        return None
    return url.replace("(", "%28").replace(")", "%29")


# Where a link goes, named for the person reading the card: "Wikipedia: Arrival (film)".
_SOURCES = {"en.wikipedia.org": "Wikipedia", "www.gutenberg.org": "Project Gutenberg",
            "gutenberg.org": "Project Gutenberg", "archive.org": "Internet Archive"}


def source_label(item: Item) -> str:
    """The link text of an item's source: the site and the page's own name (plain text, not escaped).

    A Wikipedia link names its article ("Wikipedia: Arrival (film)"); other known sites name the item
    ("Project Gutenberg: Emma"); an unknown site names its host; no usable link names the licence.
    """
    url = safe_url(item.url)
    if not url:
        return plain(item.license) or "source"
    parsed = urlparse(url)
    host = parsed.netloc.lower().split("@")[-1].split(":")[0]
    site = _SOURCES.get(host)
    if site == "Wikipedia" and parsed.path.startswith("/wiki/"):
        page = plain(unquote(parsed.path[len("/wiki/"):]).replace("_", " "))
        if page:
            return f"Wikipedia: {page}"
    return f"{site or host.removeprefix('www.')}: {plain(item.title, 80)}"


def licence_short(item: Item) -> str:
    """The licence without the source in brackets: "CC BY-SA 4.0 (Wikipedia)" -> "CC BY-SA 4.0"."""
    return plain(re.sub(r"\s*\([^)]*\)\s*$", "", item.license or ""))


def card_markdown(n: int, item: Item, explanation: str = "") -> str:
    head = f"**{n}. {md_escape(item.title)}**"
    facts = [item.domain]
    if item.year:
        facts.append(str(item.year))
    if item.creators:
        facts.append(", ".join(item.creators[:3]))
    lines = [f"{head} — {md_escape(' · '.join(facts))}"]
    if item.tags:
        lines.append(f"_{md_escape(', '.join(item.tags[:6]))}_")
    if explanation:
        lines.append(md_escape(explanation))
    if item.description:
        lines.append(md_escape(plain(item.description, 220)))
    url = safe_url(item.url)
    source = md_escape(source_label(item))
    licence = md_escape(licence_short(item))
    link = f"[{source}]({url})" if url else source
    lines.append(f"{link} · {licence}" if url and licence else link)
    return "  \n".join(lines)
