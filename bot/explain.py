"""Template explanations built only from the item's own record and the user's stated facets.

Every fact in the sentence is copied from the item (year, tags, creators) or from
the user's words, so it cannot state something untrue. The LLM explainer (its own
issue) falls back to this when its sentence fails the grounding check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from bot.words import kind_of, with_article
from retrieval import Item

if TYPE_CHECKING:
    from bot.ranking import Recommendation
    from bot.state import DialogueState

# An explainer streams one recommendation's explanation as growing text (each value replaces the last).
Explainer = Callable[["Recommendation", "DialogueState"], Iterator[str]]

def template_explanation(item: Item, matched_likes: list[str], liked_titles: list[str]) -> str:
    kind = kind_of(item.domain, "pick")
    tags = ", ".join(t.lower() for t in item.tags[:2])
    what = f"{tags} {kind}" if tags else kind
    what = with_article(what)
    if item.year:
        what += f" from {item.year}"
    if item.creators:
        lead = "by" if item.domain != "movie" else "with"
        what += f" {lead} {item.creators[0]}"
    reasons = []
    if matched_likes:
        reasons.append("you asked for " + _join(matched_likes[:3]))
    if liked_titles:
        reasons.append("it is close to " + _join(liked_titles[:2]) + ", which you liked")
    because = f" — {'; '.join(reasons)}" if reasons else ""
    return f"{what[0].upper()}{what[1:]}{because}."


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def explain_stream(
    rec: Recommendation, state: DialogueState, explainer: Explainer | None = None
) -> Iterator[str]:
    """The explanation of one pick as growing text, for streaming into the chat.

    With no explainer (the default) the grounded template sentence comes at once; an LLM
    explainer streams its tokens and falls back to the template when its grounding check fails.
    """
    if explainer is None:
        yield rec.explanation
        return
    yield from explainer(rec, state)
