"""The bot's words around the recommendations: what it understood and what it changed."""

from __future__ import annotations

from bot.manager import StepResult

_PLURAL = {"movie": "movies", "book": "books", "music": "albums"}


def understood_line(summary: dict) -> str:
    parts = []
    if summary["likes"]:
        parts.append("liking " + ", ".join(summary["likes"]))
    if summary["dislikes"]:
        parts.append("avoiding " + ", ".join(summary["dislikes"]))
    c = summary["constraints"]
    limits = []
    if c.get("domain"):
        limits.append(_PLURAL[c["domain"]])
    if c.get("year_min") and c.get("year_max"):
        limits.append(f"{c['year_min']}–{c['year_max']}")
    elif c.get("year_min"):
        limits.append(f"from {c['year_min']}")
    elif c.get("year_max"):
        limits.append(f"up to {c['year_max']}")
    if c.get("creators"):
        limits.append("by " + ", ".join(c["creators"]))
    if limits:
        parts.append("limits: " + ", ".join(limits))
    return "; ".join(parts)


def reply_text(result: StepResult) -> str:
    """A short plain-text lead-in (cards are rendered separately)."""
    lead = understood_line(result.understood)
    if result.note:
        lead = f"{result.note}. {lead}" if lead else result.note
    if not result.recommendations:
        tail = ("I couldn't find anything in the catalog that fits all of that. "
                "Try removing a limit or telling me something you like.")
    else:
        tail = f"Here are {len(result.recommendations)} picks from the catalog."
    return f"Got it — {lead}. {tail}" if lead else tail
