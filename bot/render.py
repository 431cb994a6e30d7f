"""Turning items into chat text that can never carry markup from the catalog or the user."""

from __future__ import annotations

import html
import re
from urllib.parse import urlparse

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
    source = md_escape(item.license or "source")
    lines.append(f"[{source}]({url})" if url else source)
    return "  \n".join(lines)
