"""References to what was said or shown before: "not that one", "#1 was cheesy", "seen it", and people
named by a pronoun ("more of her films", "not him though")."""

from __future__ import annotations

import re

from bot.understand.entity_cues import (
    _LIKE_WORD_RE,
    _NUMBER_FAULT_RE,
    _NUMBER_JUDGED_RE,
    _ORDINALS,
    _OTHER_SUBJECT_RE,
    _REF_JUDGED_RE,
    _REF_RE,
    _SEEN_VERB_RE,
    _SEEN_WORD_RE,
    _SUBJECT_END_RE,
    _VERB_DOMAIN,
)
from bot.understand.feedback import _en_refs
from bot.understand.model import Extraction, _add, _Entity, _Masked
from bot.understand.vocab import REF_LAST

# "more of her films", "got any of his?", "her other books": the person just named, asked for
_PRONOUN_WANT_RE = re.compile(
    r"\b(?:any|more|some|all|rest|the rest|anything else) of (?:his|hers?|theirs?)\b|\b(?:his|her|"
    r"their) other "
    r"(?:films|movies|books|novels|albums|records|songs|work|stuff)\b|\bmore (?:films|movies|books|novels|"
    r"albums|songs|stuff) (?:by|from|with) (?:him|her|them)\b|\bmore of (?:his|her|their) (?:films|movies|"
    r"books|novels|albums|songs|work|stuff)\b")
# "not her though", "but not Kubrick himself", "just not him": the person just named, ruled out
_PRONOUN_NOT_RE = re.compile(r"\bbut by (?:other|different) (?:writers|authors|artists|directors|people|"
                             r"bands|musicians)\b|\b(?:by|from) someone else\b|"
                             r"\bbut from (?:other|different) (?:writers|authors|artists|directors|people|"
                             r"bands|musicians)\b|"
                             r"\bsomeone else\b|"
                             r"\b(?:not|none) (?:one )?of (?:his|hers|theirs)\b|"
                             r"\b(?:seen|read|heard|watched) (?:them|those|these) all\b|"
                             r"\b(?:not|except|other than|anyone but|anybody but|someone other than)\s+"
                             r"(?:(?:actually|really|just|literally)\s+)?(?:by\s+)?(?:him|her|them)(?:self|selves)?\b(?!\s+(?:a|an|the|to|with|for|in)\b)")


# "the first one sounds perfect, anything else by that author?": the maker of the item referred to
BY_THAT_MAKER_RE = re.compile(
    r"\b(?:by|from) (?:that|the same|this|the) (?:author|writer|novelist|poet|director|filmmaker|band|artist|"
    r"guy|woman|man|lady|person)\b|\b(?:that|the same|this) (?:author|writer|novelist|director|band|"
    r"artist)'s (?:other )?(?:books|novels|films|movies|albums|work|stuff)\b|"
    r"(?:这个|那个|同一个|同一位|这位|那位)(?:作者|作家|导演|歌手|乐队)(?:的|还有|别的|其他)")

_HEARSAY_AFTER_RE = re.compile(r"\s*(?:too|as well|but|though)\b")


def _find_pronoun_people(low: str, entities: list[_Entity], out: Extraction) -> None:
    """A pronoun for the person named last before it: asked for, or ruled out."""
    people = [e for e in entities if e.kind == "creator"]
    for rx, wanted in ((_PRONOUN_WANT_RE, True), (_PRONOUN_NOT_RE, False)):
        for m in rx.finditer(low):
            before = [e for e in people if e.end <= m.start()]
            if not before:
                out.rule_out_previous |= not wanted and not people  # "but not one of his" after his name
                continue
            name = before[-1].ref or before[-1].text
            if wanted:
                if name not in out.excluded_creators:
                    _add(out.creators, name)
                    out.creator_roles.pop(name, None)  # "Did Gerwig direct Barbie? More of her films"
            else:
                out.rule_out(name)


def _find_references(work: _Masked, titles: list[_Entity], out: Extraction) -> list[tuple[int, int]]:
    """"not that one", "seen it", "loved the first one": items on screen, or a title just named.

    "it" is the nearest title named before it in the utterance, else the item shown last. Returns the
    spans of the faults found with a shown item ("#1 was cheesy"), left in the text for the facet step."""

    judged: list[tuple[int, str]] = []  # picks given a verdict so far: "the second looks good"

    def referent(m: re.Match) -> str:
        if m.group("ref") in ("it", "that", "that one", "this", "this one"):  # "Heat? Loved that one"
            before = [(t.end, t.text) for t in titles if t.end <= m.start()]
            before += [(e, ref) for _, e, ref, _ in _en_refs(work.original, 0, m.start())]
            before += [(e, ref) for e, ref in judged if e <= m.start()]  # "..., more like that": that one
            if before:  # "read the 2nd one already, it was great": the second one was
                return max(before)[1]
        if m.groupdict().get("num"):
            return f"@{m.group('num')}"  # "watched number 4 already"
        ordinal = m.groupdict().get("ord")
        return _ORDINALS[ordinal] if ordinal else REF_LAST

    for m in _NUMBER_JUDGED_RE.finditer(work.text):  # "number 3 sounds great"
        _add(out.liked_titles if m.group("good") else out.disliked_titles, f"@{m.group('n')}")
        judged.append((m.end(), f"@{m.group('n')}"))
        work.blank(m.start(), m.end())
    faults = []
    for m in _NUMBER_FAULT_RE.finditer(work.text):  # "#1 was cheesy"
        _add(out.disliked_titles, f"@{m.group('n')}")
        work.blank(m.start(), m.start("fault"))
        faults.append(m.span("fault"))
    for m in _REF_JUDGED_RE.finditer(work.text):  # "..., it was great"
        ref = referent(m)
        _add(out.liked_titles if m.group("good") else out.disliked_titles, ref)
        judged.append((m.end(), ref))
        work.blank(m.start(), m.end())
    for m in _REF_RE.finditer(work.text):
        cue, ref = m.group("cue"), referent(m)
        if cue == "heard" and _HEARSAY_AFTER_RE.match(work.text, m.end()):
            continue  # "I heard that too but yet to see it": heard of it, nothing was played
        if _SEEN_WORD_RE.search(cue):  # "my kids have watched it": seen in this household too
            _add(out.seen_titles, ref)
            verb = _SEEN_VERB_RE.match(cue)
            if verb and ref.startswith("@") and out.implied_domain is None:
                out.implied_domain = _VERB_DOMAIN[verb.group(1)]  # "already read the first one": a book
        elif _OTHER_SUBJECT_RE.search(work.text, max(0, m.start() - 30), m.start()):
            continue  # "my kids loved it" is their taste, not the user's
        elif _LIKE_WORD_RE.match(cue):
            subject = _SUBJECT_END_RE.search(work.text, max(0, m.start() - 20), m.start())
            if cue in ("like", "love") and not subject:
                continue  # "something like that" is a figure of speech; "I like that one" is not
            _add(out.liked_titles, ref)
        else:
            _add(out.disliked_titles, ref)
        work.blank(m.start(), m.end())
    return faults
