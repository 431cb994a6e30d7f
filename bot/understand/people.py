"""How a person named in a message was meant: asked for (a limit), a style, a taste or only an aside
about one film ("is that the one with Emily Blunt?"). Split from titles.py, which finds the names."""

from __future__ import annotations

import re

from bot.understand.cues import _ASIDE_QUESTION_RE, _CUE_RE
from bot.understand.entity_cues import (
    _ASIDE_START_RE,
    _ASKED_WORKS_RE,
    _ASKING_WORD_RE,
    _ATTRIBUTIVE_RE,
    _HARD_STOP_RE,
    _HATE_RE,
    _HEDGED_AFTER_RE,
    _HEDGED_BEFORE_RE,
    _I_LIKE_RE,
    _KIND_RE,
    _LIKE_A_RE,
    _LOVE_RE,
    _PRAISE_LEAD_RE,
    _PRAISED_BY_LEAD_RE,
    _PRAISED_WORK_RE,
    _REF_RE,
    _REMARK_RE,
    _RIGHT_TAIL_RE,
    _SAW_ONE_RE,
    _SENTENCE_END_RE,
    _STYLE_AFTER_RE,
    _THE_ONE_RE,
    _THIRD_PARTY_LIKE_RE,
    _WITH_END_RE,
    _WITH_FRAGMENT_RE,
    _WORKS_AFTER_RE,
    _YEAR_LABEL_END_RE,
)
from bot.understand.model import _Entity


def _clause_start(low: str, pos: int, reach: int = 120) -> int:
    """Where the sentence part holding `pos` starts; cues are never looked for further back
    than `reach` characters, which keeps long inputs linear."""
    start = max(0, pos - reach)
    for m in _HARD_STOP_RE.finditer(low, start, pos):
        start = m.end()
    return start


def _clause_feeling(low: str, start: int) -> str | None:
    """For a catalog title with no cue right before it: a love/hate verb earlier in the clause."""
    last = None
    for m in _CUE_RE.finditer(low, _clause_start(low, start), start):
        last = m
    if last is None:
        return None
    if last.lastgroup == "neg" and _HATE_RE.search(last.group()):
        # "didn't he write the Da Vinci Code?" asks about someone else, it is no verdict
        return None if re.match(r"\W*(?:he|she|they|you|it)\b", low[last.end():]) else "dislike"
    if last.lastgroup == "pos" and _LOVE_RE.search(last.group()):
        return "like"  # "I loved every minute of Heat", but not "I'd like to read Dune"
    return None


_WISH_BY_RE = re.compile(r"(?:\b(?:i|we)'?d|\bwould)\s+(?:really\s+)?(?:love|like|enjoy)\s+(?:a|an|some|more|"
                         r"the)?\s*(?:\w+\s+){0,2}(?:by|from|with|starring)\s+$")


_MORE_BY_RE = re.compile(r"\b(?:anything|something|what|more|others?)(?:\s+(?:else|more|similar))?\s+"
                         r"(?:by|from)\s+$")
_WHAT_ELSE_RE = re.compile(r"\bwhat (?:else|other (?:films|movies|books|albums|stuff))\s+"
                           r"(?:has|have|did|does)\s+$")
# "what else did Sofia Coppola do?", "what else has Denis Villeneuve directed?"
_WORKS_VERB_RE = re.compile(r"\s+(?:directed|written|made|done|released|recorded|produced|starred in|"
                            r"been in|do|direct|write|make|release|record|produce|star in|act in)\b")


_APPOSITIVE_RE = re.compile(r"[\s,(-]*\b(?:the|a|an)\s+$")  # "Johnny English, the ..."
_CONTRAST_BEFORE_RE = re.compile(r"\b(?:different|differs?)\s+(?:from|than|to)\s+$|\bunlike\s+$")
# the name as the subject of a remark: "Jim Carrey is really silly", "Kevin Spacey was great in it"
_SUBJECT_AFTER_RE = re.compile(r"\s+(?:is|was|has been|had been)\s+(?!(?:in|directing|starring|making|"
                               r"doing|working)\b)")


def _creator_role(low: str, ent: _Entity, title_ends: set[int]) -> str | None:
    """None for a requirement ("by X", "directed by X", "starring X", "a Nolan film", "Tom Hanks
    movies"); otherwise how the person was meant: "style" ("in the vein of X", "a director like X"),
    "like" ("I love X", "my wife likes X", "I loved that movie with X") or "mention" (an aside about
    one film: "is that the one with X?", "that was a Stephen King novel", "Heat (1995) with X")."""
    before = max(0, ent.start - 50)
    if ent.cue == "sim" or _STYLE_AFTER_RE.match(low, ent.end):  # "like X", "with Wes Anderson energy"
        return "like" if _I_LIKE_RE.search(low, before, ent.start) else "style"
    if _LIKE_A_RE.search(low, before, ent.start) and not _I_LIKE_RE.search(low, before, ent.start):
        return "style"
    if _WHAT_ELSE_RE.search(low, before, ent.start) and _WORKS_VERB_RE.match(low, ent.end):
        return None  # "what else has Denis Villeneuve directed?": his films, asked for
    if ent.cue is None and (_HEDGED_AFTER_RE.match(low, ent.end)
                            or _HEDGED_BEFORE_RE.search(low, before, ent.start)):
        return None  # "Agatha Christie if possible", "a funny novel, maybe P. G. Wodehouse"
    if _WISH_BY_RE.search(low, before, ent.start) or _MORE_BY_RE.search(low, before, ent.start):
        return None  # "I'd love a book by Jules Verne", "loved it, anything else by Dumas?": a wish
    if ent.cue in ("like", "seen_like") or _THIRD_PARTY_LIKE_RE.search(low, before, ent.start):
        return "like"
    works = _WORKS_AFTER_RE.match(low, ent.end)
    asked = _ASKED_WORKS_RE.search(low, max(0, ent.start - 20), ent.start)
    if _SAW_ONE_RE.search(low, _clause_start(low, ent.start), ent.start):
        return "mention"  # "I watched a really bad Kevin Costner film last night": about one film
    if ent.cue is None and works and asked:
        return None  # "Which Fincher films have you got?", "any Nolan movies?": asked for, in a question
    if _aside(low, ent, title_ends):
        return "mention"
    if _CONTRAST_BEFORE_RE.search(low, before, ent.start):
        return "mention"  # "different from Stephen King's normal stuff"
    if ent.cue is None and _SUBJECT_AFTER_RE.match(low, ent.end) and not _ASKING_WORD_RE.search(
            low, _clause_start(low, ent.start), ent.start):
        return "mention"  # "Jim Carrey is really silly too": a remark about him, no limit
    if _clause_feeling(low, ent.start) == "like":
        return "like"  # "I like films by Michael Mann": a taste, not a limit
    if ent.cue == "creator":
        return None
    attributive = _ATTRIBUTIVE_RE.search(low, max(0, ent.start - 30), ent.start)
    if ent.cue is None and (attributive or _WORKS_AFTER_RE.match(low, ent.end)):
        return None  # "a Steven Spielberg adventure", "Tom Hanks movies"
    return "mention"


def _aside(low: str, ent: _Entity, title_ends: set[int]) -> bool:
    """Is the name said about one film rather than asked for: inside a question about it ("is that
    the one with Emily Blunt?", "with Jim Carrey, right?"), in a remark about it ("that was a Stephen
    King novel", "the one with Ryan Reynolds"), or right after its title ("The Tourist (2010) with X")?"""
    if any(m.start() <= ent.start and ent.end <= m.end() for m in _ASIDE_QUESTION_RE.finditer(low)):
        return True
    s = _clause_start(low, ent.start, reach=200)
    stop = _SENTENCE_END_RE.search(low, ent.end)
    sentence = low[s:stop.end() if stop else len(low)]
    if stop is not None and stop.group() == "?" and (_ASIDE_START_RE.match(sentence)
                                                      or _RIGHT_TAIL_RE.search(sentence)):
        return True
    lead = low[s:ent.start]
    if _THE_ONE_RE.search(lead) or _REMARK_RE.search(lead):
        return True
    appositive = _APPOSITIVE_RE.search(low, max(0, ent.start - 12), ent.start)
    if appositive and appositive.start() in title_ends:
        return True  # "Johnny English, the Rowan Atkinson film": the maker of the title just named
    if _PRAISE_LEAD_RE.match(lead) and _PRAISED_WORK_RE.match(low, ent.end):
        return True  # "Awesome Sean Penn movie"
    if _PRAISED_BY_LEAD_RE.match(lead) and stop is not None and stop.group() in ".!" \
            and not _ASKING_WORD_RE.search(sentence):
        return True  # "Another nice piece of work by Steven Spielberg. I think I've seen parts"
    if re.match(r"\W*with\s+$", lead) and not _ASKING_WORD_RE.search(sentence):
        return True  # "Oh nice! With Bruce Willis.", "With Drew Barrymore, such a good movie"
    if not _ASKING_WORD_RE.search(sentence) and (
            # "Seven with Brad Pitt?"; "I did see that one. A Spielberg film with Daniel Day Lewis."
            (stop is not None and stop.group() == "?" and re.search(r"(?:^|\W)with\s*$", lead)
             and not _KIND_RE.search(lead)) or _WITH_FRAGMENT_RE.match(lead) or _REF_RE.search(low, 0, s)):
        return True
    m = _WITH_END_RE.search(lead)
    if m is None:
        return False
    said = low[:s + m.start()].rstrip(" ,")
    # "Heat (1995) with X", "starring in it with X"
    return (len(said) in title_ends or bool(_YEAR_LABEL_END_RE.search(said))
            or bool(re.search(r"\b(?:in|of) (?:it|that|this|that one|this one)$", said)))
