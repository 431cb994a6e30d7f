"""The bot's words around the recommendations: what it understood and what it changed."""

from __future__ import annotations

from bot.manager import StepResult
from bot.words import UNDERSTOOD, describe_state


def understood_line(summary: dict) -> str:
    return "; ".join(describe_state(summary, voice=UNDERSTOOD))


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
