"""The bot's words around the recommendations: what it understood and what it changed, in the user's
language (the state's `lang`), and the answer to a turn without picks (bot/talk.py)."""

from __future__ import annotations

from collections.abc import Iterator

from bot import talk
from bot.i18n import note_text, t
from bot.manager import StepResult
from bot.words import understood_parts


def understood_line(summary: dict, lang: str = "en") -> str:
    return t("part_sep", lang).join(understood_parts(summary, lang))


def reply_text(result: StepResult) -> str:
    """A short plain-text lead-in (cards are rendered separately)."""
    lang = result.state.lang
    note = note_text(result.note, lang)
    if result.intent == "question":
        said = talk.answer(result.about, lang)
        return f"{note}{'。' if lang == 'zh' else '. '}{said}" if note else said
    if result.intent in talk.NO_PICKS:
        said = talk.reply(result.intent, lang, has_picks_before=bool(result.state.last_shown))
        return f"{note}{'。' if lang == 'zh' else '. '}{said}" if note else said
    lead = understood_line(result.understood, lang)
    if result.note == talk.NOTHING_NEW and lead and result.recommendations:
        tail = t("picks", lang, n=len(result.recommendations))
        return t("unchanged", lang, note=note, lead=lead, tail=tail)
    if note:
        lead = f"{note}{t('part_sep', lang)}{lead}" if lead and lang == "zh" else \
            f"{note}. {lead}" if lead else note
    if not result.recommendations:
        tail = t("no_picks", lang)
    else:
        tail = t("picks", lang, n=len(result.recommendations))
    return t("got_it", lang, lead=lead, tail=tail) if lead else tail


def reply_stream(result: StepResult, said: str, writer=None) -> Iterator[str]:
    """The reply as it is written: the LLM's growing text (each value whole so far, the last final)
    when a writer is on and the turn has English picks; else the template reply, once."""
    fallback = reply_text(result)
    if not reply_written(result, writer):
        yield fallback
        return
    yield from writer.stream(result, said, fallback)


def reply_written(result: StepResult, writer) -> bool:
    """Whether the LLM writes this turn's reply: a writer is on and the turn has picks (a new wish or
    a reaction to the last ones), in English."""
    return bool(writer is not None and result.state.lang == "en" and result.recommendations
                and result.intent in ("recommend", "critique"))
