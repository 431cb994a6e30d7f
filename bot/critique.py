"""Reactions to the last answer, read against the picks on screen: "older", "anything more recent?", "not
these", and a wish for old things that lifts an earlier floor ("any old comedy would help")."""

from __future__ import annotations

import re

from bot.context import Context
from bot.state import DialogueState

# "something older" / "newer ones": a relative wish about the last answer's years. Only asked-for forms
# count: "my older brother", "I love a classic", "I'll watch it later" or "as I said earlier" are no wish.
OLDER = re.compile(r"(?<!my )(?<!his )(?<!her )(?<!our )(?<!your )(?<!their )\b(?:older|less recent)\b|"
                   r"\b(?:something|anything|any) (?:a bit |a little |more )?(?:classic|earlier)\b|"
                   r"\bmore classic\b|\b(?:earlier|classic) ones\b", re.I)
NEWER = re.compile(r"\bnewer\b|\b(?:something|anything|any|ones?|a bit|a little) (?:more )?"
                   r"(?:recent|modern|later)\b|\bmore (?:recent|modern) (?:ones?|films?|movies?|books?|"
                   r"albums?|stuff)\b|\brecent ones?\b|\bmodern (?:ones|films?|movies?|books?|albums?|"
                   r"music)\b|\blater ones\b", re.I)
_NOT_BEFORE = re.compile(r"(?:\bnot|n't|\bno|\bnever)\b[^.!?,]*$", re.I)  # "I'm not fond of modern movies"
_REJECT_ALL = re.compile(r"\b(not these|none of (?:these|those|them)|something (?:else|different)|"
                         r"other (?:ones|options))\b", re.I)


def apply_critique(state: DialogueState, text: str, ctx: Context, explicit_years: bool = False) -> list[str]:
    """Reactions to the last answer: "more like the second one", "older", "not that one"..."""
    shown = [i for i in state.last_shown if ctx.catalog.get(i)]
    if not shown:
        return []
    notes = []
    if _REJECT_ALL.search(text):
        state.rejected = list(dict.fromkeys(state.rejected + shown))
        notes.append("trying something different")
    domain = state.constraints.domain  # older than the books shown says nothing about films asked for now
    years = [item.year for item in map(ctx.catalog.get, shown) if item.year and domain in (None, item.domain)]
    if explicit_years:  # "before 1980" said outright beats a relative "older"
        years = []
    years.sort()
    older, newer = asked(OLDER, text), asked(NEWER, text)
    if years and older:
        # older than most of what was shown: below its lower quartile
        state.constraints.year_max = years[len(years) // 4] - 1
        state.constraints.year_min = None
        notes.append(f"older: before {state.constraints.year_max + 1}")
    elif years and newer:
        state.constraints.year_min = years[(3 * len(years)) // 4] + 1
        state.constraints.year_max = None
        notes.append(f"newer: after {state.constraints.year_min - 1}")
    return notes


def asked(rx: re.Pattern, text: str) -> bool:
    """Does the text ask for it? Not when it negates it ("I'm not fond of modern movies"), says what one item
    is ("that's newer, I prefer vintage"), adds to what is wanted ("I love older movies too") or is about
    people ("the older actors")."""
    m = rx.search(text)
    return m is not None and not _EITHER_AGE.search(text) and not (
        _NOT_BEFORE.search(text, max(0, m.start() - 30), m.start())
        or _REMARK_BEFORE.search(text, max(0, m.start() - 20), m.start())
        or _ADDED_AFTER.match(text, m.end()) or _PEOPLE_AFTER.match(text, m.end()))


# "older or newer maybe": either is fine
_EITHER_AGE = re.compile(r"\b(?:old|older|new|newer)\s+or\s+(?:old|older|new|newer)\b", re.I)
_REMARK_BEFORE = re.compile(r"\b(?:that'?s|it'?s|that is|it is|it was|that was|this is)\s+(?:a bit |"
                            r"much |way |even |a little )?$|"  # a taste: "I love older movies, so great"
                            r"\b(?:i|we) (?:really )?(?:love|like|enjoy)(?:d|ed)? (?:the |some )?$", re.I)
_ADDED_AFTER = re.compile(r"(?:\s+[\w']+){0,2}\s+(?:too|as well)\b", re.I)
_PEOPLE_AFTER = re.compile(r"\s+(?:actors?|actresses|people|folks?|guys|generations?|kids|brothers?|sisters?|"
                           r"siblings?|men|women|audiences?|crowds?|viewers|readers|fans|directors?|"
                           r"stars?)\b", re.I)
# "So any old comedy you can think of would help": older films are welcome again, whatever "new" said before
_ANY_OLD = re.compile(r"\b(?:any|an|some|something|anything)\s+(?:\w+\s+)?(?:old|older|classic|vintage)\s+"
                      r"(?:\w+\s+)?(?:comed(?:y|ies)|movies?|films?|books?|novels?|albums?|music|songs?|ones?|stuff)\b",
                      re.I)


_ANY_ERA = re.compile(r"\bany (?:decade|era|year)\b|\b(?:year|decade|era|age) (?:doesn'?t|does not|don'?t) "
                      r"matter\b|\b(?:old or new|new or old)\b|年代无所谓|年份无所谓|哪年都行|新老都行|"
                      r"不管新老|年代不限|年份不限|什么年代都行", re.I)


def allow_older(state: DialogueState, text: str, explicit_years: bool) -> list[str]:
    """A wish for old things lifts a floor set earlier ("new comedies" … "any old comedy would help")."""
    c = state.constraints
    if not explicit_years and (c.year_min is not None or c.year_max is not None) and asked(_ANY_ERA, text):
        c.year_min = c.year_max = None  # "年代无所谓了", "any decade is fine"
        return ["any year will do"]
    if explicit_years or c.year_min is None or c.year_max is not None or not asked(_ANY_OLD, text):
        return []
    c.year_min = None
    return ["older ones are welcome too"]
