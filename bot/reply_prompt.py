"""What the reply writer is shown (bot/llm_reply.py): its system prompt, three worked examples, the
turn's facts (the message, the state in words, the first picks' template sentences and one sentence of
the first one's description) and the opening sentence it must start with when the note holds something
the user must read."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.llm_explain import _MARKUP
from bot.render import plain
from bot.talk import NOTHING_NEW
from bot.words import REPLY_PROFILE, describe_state, liked_titles, title_year

if TYPE_CHECKING:
    from bot.manager import StepResult

SYSTEM = ("You are tastebud, a friendly recommender chatting with a user. Reply in two or three short "
          "sentences, speaking to the user as \"you\". First say in a few words what you took from their "
          "message, then why the first picks fit, using only the facts given. Never invent names, years, "
          "plots or genres. No lists, no links.")
# (facts, reply): the shape of a good answer: a film wish, a reaction to books, an album wish
EXAMPLES = (
    ("The user said: \"something funny for a family night, nothing animated\"\n"
     "I understood: wants a movie; wants comedy, family; not animated\n"
     "First picks:\n"
     "1. Paddington 2 (2017): A 2017 family comedy directed by Paul King, starring Hugh Grant — the comedy "
     "and family you asked for. About: Paddington takes odd jobs to buy a present for his aunt.\n"
     "2. Home Alone (1990): A 1990 family comedy directed by Chris Columbus, starring Macaulay Culkin.",
     "A funny family film with no animation, then. Paddington 2 is a warm comedy starring Hugh Grant in "
     "which Paddington takes odd jobs to buy a present for his aunt, and Home Alone (1990) is a classic "
     "family comedy."),
    ("The user said: \"something older\"\n"
     "I understood: wants a book; wants ghost stories; years …-1900\n"
     "Changed this turn: older: before 1900\n"
     "First picks:\n"
     "1. The Turn of the Screw (1898): A novella of ghost stories by Henry James — the ghost stories you "
     "asked for. About: A governess comes to believe that the two children in her care are haunted.\n"
     "2. The Canterville Ghost (1887): A ghost story by Oscar Wilde — the ghost stories you asked for.",
     "Older ghost stories, then. In The Turn of the Screw (1898) by Henry James a governess comes to "
     "believe the children in her care are haunted, and The Canterville Ghost by Oscar Wilde is from 1887."),
    ("The user said: \"upbeat electronic music\"\n"
     "I understood: wants an album; wants electronic, upbeat\n"
     "First picks:\n"
     "1. Night Drive (2012): A 2012 electronic album by Kavinsky — the electronic album you asked for.\n"
     "2. Move Your Feet (2010): A 2010 dance album by Junior Senior.",
     "Upbeat electronic music, then. Night Drive is a 2012 electronic album by Kavinsky, and Move Your Feet "
     "by Junior Senior is a dance album from 2010."),
)
# text that talks to the model, not about the item: never shown to it as a fact, never let through
_INSTRUCTION = re.compile(r"\b(?:ignore|disregard|forget)\b.{0,40}\b(?:instructions?|prompt|rules)\b|"
                          r"\bsystem prompt\b|\byou are now\b|\b(?:assistant|system)\s*:", re.I)
_ABBREVIATIONS = frozenset({"vol", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "no", "op", "pt", "ed"})


# Parts of a turn's note the user must read, whoever writes the reply: they open the written one as the
# template says them (the note is the manager's own words, as safe as the template reply).
_MUST_SAY = re.compile(r"(nothing in the catalog|no catalog label says|I read only the first|still avoiding|"
                       r"the catalog has (?:nothing|only)|"  # "a Stephen King novel" when no book is his
                       r"a new request, so no longer|"
                       + re.escape(NOTHING_NEW) + ")")


def must_say(note: str) -> str:
    """The opening sentence a written reply must start with ("" when the note has nothing that must
    be said)."""
    parts = [p for p in re.split(r"; (?!say \")", note or "") if _MUST_SAY.match(p)]
    if not parts:
        return ""
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]}. "


def reply_facts(result: StepResult, said: str, titles: dict[str, str], picks: int = 2) -> str:
    """What the model may say: the message, the state in words and the first picks' facts."""
    state = result.state
    liked = liked_titles(state, titles.get)
    understood = "; ".join(describe_state(result.understood, liked, REPLY_PROFILE)) or "nothing specific yet"
    lines = [f"The user said: \"{plain(said, 240)}\"", f"I understood: {understood}"]
    if result.note:
        lines.append(f"Changed this turn: {plain(result.note, 200)}")
    lines.append("First picks:")
    for n, rec in enumerate(result.recommendations[:picks], start=1):
        about = _about(rec.item.description or "") if n == 1 else ""  # the rest: their sentence only
        lines.append(f"{n}. {title_year(rec.item)}: {rec.explanation}{f' About: {about}' if about else ''}")
    return "\n".join(lines)


def _about(description: str, most: int = 110) -> str:
    """One sentence of the description that the template sentence does not already say (films open
    with "X is a 2017 horror film directed by ..."), cut at a word, without an ellipsis to copy."""
    sentences = [s for s in _split_sentences(plain(description))
                 if not _INSTRUCTION.search(s) and not _MARKUP.search(s)]  # planted orders and links stay out
    if len(sentences) > 1 and re.search(r"\bis an? .*\b(film|movie|novel|album)\b", sentences[0]):
        sentences = sentences[1:]
    text = sentences[0] if sentences else ""
    return text if len(text) <= most else text[:most].rsplit(" ", 1)[0].rstrip(",;:")


def _split_sentences(text: str) -> list[str]:
    out, start = [], 0
    for end in _sentence_ends(text):
        out.append(text[start:end].strip())
        start = end
    tail = text[start:].strip()
    return [s for s in [*out, tail] if s]


def _sentence_ends(text: str) -> list[int]:
    """Where sentences end: ".", "!" or "?" before a space or the end, but not after an initial or a
    short abbreviation ("directed by M. Night Shyamalan", "Vol. 1", "Dr. No")."""
    ends = []
    for m in re.finditer(r"[.!?](?=\s|$)", text):
        word = text[: m.start()].rsplit(None, 1)[-1] if text[: m.start()].strip() else ""
        if m.group() == "." and (re.fullmatch(r"[A-Z]", word) or word.lower() in _ABBREVIATIONS):
            continue
        ends.append(m.end())
    return ends
