"""One turn as the chat page and the JSON API both run it: load the state, step, save, answer."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.context import Context
from bot.manager import StepResult, feedback, step
from bot.sessions import StoreBase as SessionStore
from bot.sessions import short
from bot.state import DialogueState
from bot.tags import tag_label

log = logging.getLogger(__name__)


@dataclass
class Turn:
    """One answer as the UI and the API show it."""

    session_id: str
    result: StepResult
    answer: int  # 1 for the session's first answer, then 2, 3...


def chat_turn(store: SessionStore, ctx: Context, session_id: str, message: str, *, domain: str | None = None,
              item_id: str | None = None, source: str = "ui", log_text: bool = False) -> Turn:
    """Load the state, apply the domain choice and a "more like this" item, step, save.

    `domain` is the selector's value ("any" clears it; None leaves it alone). `item_id` starts from
    a product page: the item counts as liked, so the answer is "more like this".
    """
    state = store.load(session_id)
    if domain is not None:
        state.constraints.domain = None if domain == "any" else domain
    if item_id:
        state = feedback(state, item_id, liked=True)
        state.seen = list(dict.fromkeys([*state.seen, item_id]))
    with ctx.turn_running():
        result = step(state, message, ctx)
    if item_id and not result.note:
        result.note = f"more like {ctx.title_of(item_id)}"
    answer = store.record_turn(session_id, message, result, source=source)
    if log_text:
        log.info("session %s turn %d: %r", short(session_id), result.state.turn, message)
    else:
        log.info("session %s turn %d: %d chars, %d picks", short(session_id), result.state.turn, len(message),
                 len(result.recommendations))
    return Turn(session_id, result, answer)


def refresh(store: SessionStore, ctx: Context, session_id: str, state: DialogueState, note: str,
            source: str = "ui", kind: str = "edit") -> Turn:
    """Recommend again after the user edited what was understood (a removed tag, a domain switch)."""
    with ctx.turn_running():
        result = step(state, "", ctx)
    result.note = note
    answer = store.record_turn(session_id, "", result, source=source, kind=kind)
    return Turn(session_id, result, answer)


def remove_tag(store: SessionStore, ctx: Context, session_id: str, kind: str, value: str | None,
               source: str = "ui") -> Turn | None:
    """Drop one understood tag and recommend again; None when there was no such tag."""
    state = store.load(session_id)
    if not state.remove_tag(kind, value):
        return None
    label = tag_label(kind, value, ctx, state.lang)
    return refresh(store, ctx, session_id, state, f"dropped {label}", source=source)
