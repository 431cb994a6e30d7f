"""The year step: decades, centuries, years, before/after/since phrases and recency.

Each phrase found becomes a bound; ranges are joined and min/max bounds narrow them.
"""

from __future__ import annotations

import functools
import re

from bot.understand.model import _Masked
from bot.understand.text import fold
from bot.understand.vocab import NOT_OLD_SPAN

_DECADE_WORDS = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
                 "seventies": 70, "eighties": 80, "nineties": 90, "noughties": 0, "aughts": 0}
_ORDINAL_CENTURY = {"17th": 1600, "18th": 1700, "19th": 1800, "20th": 1900, "21st": 2000,
                    "seventeenth": 1600, "eighteenth": 1700, "nineteenth": 1800, "twentieth": 1900,
                    "twenty-first": 2000}
_PART = r"(?:(?P<part>early|mid|late)[- ]?)?"
_DECADE = (rf"(?:the\s+)?{_PART}(?:(?P<dfull>1[0-9]|20)(?P<dd>[0-9])0'?s|'?(?P<dshort>[0-9])0'?s|"
           rf"(?P<dword>{'|'.join(_DECADE_WORDS)}))")
_DECADE_PLAIN = re.sub(r"\(\?P<\w+>", "(?:", _DECADE)  # embeddable: no named groups
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_YEAR_RES: dict[str, re.Pattern[str]] = {
    "between": re.compile(rf"\b(?:between|from)\s+(?P<a>{_YEAR})\s+(?:and|to|till|until|"
                          rf"-)\s+(?P<b>{_YEAR})\b|\b(?P<a2>{_YEAR})\s*(?:-|to|–)\s*(?P<b2>{_YEAR})\b"),
    "not_before": re.compile(rf"\b(?:nothing|not|no)\s+(?:\w+\s+)?(?:before|older than|earlier than|"
                             rf"prior to)\s+(?:the\s+|like\s+|around\s+|about\s+)?(?P<y>{_YEAR})\b"),
    "not_after": re.compile(rf"\b(?:nothing|not|no)\s+(?:\w+\s+)?(?:after|newer than|later than)\s+"
                            rf"(?:the\s+)?(?P<y>{_YEAR})\b"),
    "before": re.compile(rf"\b(?:before|pre-?|older than|earlier than|prior to)\s*(?P<y>{_YEAR}|"
                         rf"{_DECADE_PLAIN})"),
    "until": re.compile(rf"\b(?:until|till|up to|through|no later than)\s+(?P<y>{_YEAR})\b"),
    "after": re.compile(rf"\b(?:after|post-?|newer than|later than)\s*(?P<y>{_YEAR}|{_DECADE_PLAIN})"),
    "since": re.compile(rf"\b(?:since|from)\s+(?P<y>{_YEAR}|{_DECADE_PLAIN})\s+(?:on|onwards?|and (?:later|"
                        rf"after|up)|or (?:later|newer|after))\b|\bsince\s+(?P<y2>{_YEAR}|{_DECADE_PLAIN})|"
                        rf"\b(?P<y3>{_YEAR})\s+(?:(?:or|and)\s+(?:later|newer|after)|(?:up\s+)?(?:til|till|"
                        rf"until|to)\s+"
                        rf"(?:now|today|present|the present|date))\b|\b(?P<y4>{_YEAR})\s*\+"),
    "century": re.compile(r"\b(?:the\s+)?" + _PART.replace("part", "cpart")
                          + rf"(?P<c>{'|'.join(_ORDINAL_CENTURY)})[- ]century\b|"
                          + r"\b(?P<rel>this|last) century\b|\b(?:the\s+)?(?P<c2>1[0-9])00s\b"),
    "decade": re.compile(rf"\b{_DECADE}(?!\w)"),
    "recent": re.compile(r"\b(?:recent|recently released|new releases?|newer|newest|latest|brand new|"
                         r"new(?= (?:[\w-]+ ){0,2}(?:movies|films|books|novels|albums|songs|tracks|music|"
                         r"releases?|stuff)\b))\b|\b(?:last|past|(?:no|nothing|not)(?: \w+)? older than) "
                         r"(?P<n>few|couple(?: of)?|\d+|two|three|four|five|six|seven|eight|nine|ten|fifteen|"
                         r"twenty) years\b|\b(?P<decade>last|past) decade\b|"
                         r"\b(?P<this>this|last) year'?s?\b|"
                         r"(?<!\bi'm )(?<!\bam )(?<!\bis )(?<!\bare )(?<!\bi am )\b(?P<notold>nothing|not)"
                         r"(?: too| that| very| super| so)? old\b(?! for\b)"),
    # "old Hollywood stuff": an era of films, no years said ("old" alone gives none) and no book shelf
    # "Hollywood (Los Angeles, Calif.)": blanked, and the film domain implied (pipeline)
    "old": re.compile(r"\b(?:old|classic|golden[- ]age)[- ]hollywood\b|\bgolden age of (?:hollywood|cinema|"
                      r"film)\b|\bhollywood(?:'s)? (?:classics|golden age)\b"),
    "year": re.compile(rf"(?<![\w-])(?P<y>{_YEAR})(?![\w-])"),
}
HOLLYWOOD_AGE_RE = _YEAR_RES["old"]
_DECADE_NEG_RE = re.compile(r"\b(?:not|no|nothing|except|without|anything but)\s+(?:(?:from|in|of|the|any|"
                            r"anything|films?|movies?|books?|novels?|albums?|songs?|music|stuff)\s+)*$")
_SMALL_NUMBERS = {"few": 5, "couple of": 2, "couple": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                  "seven": 7, "eight": 8, "nine": 9, "ten": 10, "fifteen": 15, "twenty": 20}


def _decade_range(m: re.Match) -> tuple[int, int] | None:
    gd = m.groupdict()
    if gd.get("dfull"):
        century, digit = int(gd["dfull"]), int(gd["dd"])
        if digit == 0 and century < 20:  # "1800s", "1900s": a century
            return _part(century * 100, 100, gd.get("part"))
        lo = century * 100 + digit * 10
    elif gd.get("dshort"):
        d = int(gd["dshort"])
        lo = (2000 if d <= 1 else 1900) + d * 10  # "10s" is the 2010s, "20s" the 1920s
    elif gd.get("dword"):
        d = _DECADE_WORDS[gd["dword"]]
        lo = (2000 if d < 20 else 1900) + d
    else:
        return None
    return _part(lo, 10, gd.get("part"))


def _part(lo: int, span: int, part: str | None) -> tuple[int, int]:
    """A decade (span 10) or century (span 100), or its early / mid / late part:
    x0-x3, x4-x6, x7-x9 of a decade; 1800-1839, 1840-1869, 1870-1899 of a century."""
    if part is None:
        return lo, lo + span - 1
    first, last = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[part]
    unit = span // 10
    return lo + first * unit, lo + last * unit + unit - 1


def _year_value(raw: str | None) -> tuple[int, int] | None:
    """A year or a decade in a before/after phrase, as (first year, last year)."""
    if raw is None:
        return None
    if re.fullmatch(_YEAR, raw):
        return int(raw), int(raw)
    sub = _YEAR_RES["decade"].search(raw)
    return _decade_range(sub) if sub else None


# Each year phrase gives bounds: ("range", lo, hi) for "the 90s", ("min", y, _) / ("max", y, _)
# for "after" / "before". None means "not a year phrase after all" (the text stays).
_Bound = tuple[str, int, int]


def _between(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    a, b = int(m.group("a") or m.group("a2")), int(m.group("b") or m.group("b2"))
    return [("range", a, b)] if a <= b and b - a < 300 else None


def _before(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    v = _year_value(m.group("y"))
    return [("max", v[0] - 1, 0)] if v else None


def _until(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    v = _year_value(m.group("y"))
    return [("max", v[1], 0)] if v else None


def _after_year(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    v = _year_value(m.group("y"))
    return [("min", v[1] + 1, 0)] if v else None


def _since(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    v = _year_value(next(g for g in m.groups() if g))
    return [("min", v[0], 0)] if v else None


def _century(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    if m.group("rel"):
        lo, hi = (2000, ref_year) if m.group("rel") == "this" else (1900, 1999)
    elif m.group("c2"):
        lo, hi = _part(int(m.group("c2")) * 100, 100, None)
    else:
        lo, hi = _part(_ORDINAL_CENTURY[m.group("c")], 100, m.group("cpart"))
    return [("range", lo, hi)]


def _decade(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    if _DECADE_NEG_RE.search(text, max(0, m.start() - 30), m.start()):
        return []  # "not from the 80s": no range can say that; drop the phrase
    r = _decade_range(m)
    if r and (edge := _OPEN_END_RE.match(text, m.end())):  # "70s or earlier": an open end
        return [("max", r[1], 0)] if edge.group(1) or edge.group(3) else [("min", r[0], 0)]
    return [("range", *r)] if r else None


_OPEN_END_RE = re.compile(r"\s*(?:or|and)\s+(?:(earlier|before|older)|(later|after|newer|since))\b|"
                          r"\s+(?:(and before)|(onwards?|and up|and after|and beyond|(?:up\s+)?(?:til|till|"
                          r"until|to)\s+(?:now|today|the present|present|date)))\b")


_MADE_THEN_RE = re.compile(r"\b(?:from|released|out|published|made|new|of|best|top|came out|movies?|films?|"
                           r"books?|novels?|albums?|songs?|music|tracks?|releases?|thrillers?|comedies|"
                           r"horrors?|dramas?)\s+(?:(?!that\b|it\b|them\b|this\b)\w+\s+)?$")


# "some new books to read", "new scary movies to check out": new to the reader, not recent (a library of
# old books had answered "nothing in the catalog is that recent"); "new movies out", "new releases" stay
_NEW_TO_ME_RE = re.compile(r"(?:[\w-]+ ){0,2}?(?:movies|films|books|novels|albums|songs|tracks|music|stuff)"
                           r"(?:\s+(?:to|(?:i|we) (?:could|can|might|should)) (?:read|watch|see|check out|"
                           r"try|listen|get into|look into|binge|add)|\s+for (?:me|us|my|our|"
                           r"the (?:kids|family|weekend))\b(?! (?:that|which) (?:are|were|came) out))")


def _recent(m: re.Match, text: str, ref_year: int, span: int) -> list[_Bound] | None:
    if m.group() == "new" and _NEW_TO_ME_RE.match(text, m.end() + 1):
        return []
    if m.group("this"):  # "this year's", "last year"
        if not m.group().endswith(("'s", "s")) and not _MADE_THEN_RE.search(text, max(0, m.start() - 40),
                                                                               m.start()):
            return []  # "studying in Edinburgh this year": when the user is, not when the work is from
        y = ref_year if m.group("this") == "this" else ref_year - 1
        return [("range", y, y)]
    if m.group("notold"):
        floor = ref_year - NOT_OLD_SPAN
    elif m.group("decade"):
        floor = ref_year - 10
    elif m.group("n"):
        n = m.group("n")
        floor = ref_year - (int(n) if n.isdigit() else _SMALL_NUMBERS[n])
    else:
        floor = ref_year - span
    return [("min", floor, 0)]


_COUNTED_AFTER_RE = re.compile(r"[- ]?(?:pieces?|pcs?|pages?|words?|miles?|km|calories|people|hours?|hrs?|"
                               r"minutes?|mins?|feet|ft|times|steps|followers|subscribers)\b")
_LIFE_EVENT_RE = re.compile(r"\b(?:graduated|born|married|retired|moved|met|read|saw|watched|visited|went|"
                            r"started|finished|got (?:back )?into|took up|picked up)\b[^.,;!?]{0,40}\bin\s+$")
_SEEN_BEFORE_RE = re.compile(r"\b(?:saw|seen|watched|loved|liked|enjoyed|hated|read)\s+(?:the\s+)?$")


def _bare_year(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    if text[m.start() - 1 : m.start()] == "(" and text[m.end() : m.end() + 1] == ")":
        return []  # "Paranormal Activity (2007)": a title's year label, not a wish for that year
    if _COUNTED_AFTER_RE.match(text, m.end()) or _LIFE_EVENT_RE.search(text, max(0, m.start() - 50),
                                                                        m.start()):
        return []  # "a 2000 piece jigsaw", "I graduated in 2010", "I read Frankenstein in 2019 for a class"
    if _SEEN_BEFORE_RE.search(text, max(0, m.start() - 25), m.start()):
        return []  # "I saw 1922 on Netflix": the film called 1922
    y = int(m.group("y"))
    if edge := _OPEN_END_RE.match(text, m.end()):  # "new stuff for 2018 and beyond", "1999 or earlier"
        return [("min", y, 0)] if edge.group(2) or edge.group(4) else [("max", y, 0)]
    return [("range", y, y)] if 1870 <= y <= ref_year + 2 else None


_YEAR_HANDLERS = {
    "between": _between,
    "not_before": lambda m, text, ref: [("min", int(m.group("y")), 0)],  # "nothing before 1980": min 1980
    "not_after": lambda m, text, ref: [("max", int(m.group("y")), 0)],
    "before": _before,
    "until": _until,
    "after": _after_year,
    "since": _since,
    "century": _century,
    "decade": _decade,
    "recent": _recent,  # its span is bound in _find_years
    "old": lambda m, text, ref: [],
    "year": _bare_year,
}


# years said about something else than the wish: "I haven't seen many new movies", "the newest one",
# "2012 (2009)" and "2001: A Space Odyssey" (titles), "I'm a 90's baby" (an age)
_UNSEEN_BEFORE_RE = re.compile(r"\b(?:haven'?t|have not|hasn'?t|never|didn'?t|did not)\s+(?:seen|watched|"
                               r"read|heard|listened to)(?:\s+\w+){0,2}\s+$")
_ONE_AFTER_RE = re.compile(r"^\s+(?:one|version|remake|sequel|adaptation|installment|part|seasons?|"
                           r"episodes?)\b")
_TITLE_AFTER_RE = re.compile(r"^(?:\s*\(\s*(?:1[89]|20)\d\d\s*\)|:\s*[a-z])")
_AGE_AFTER_RE = re.compile(r"^\s*(?:baby|babies|kid|kids|child|children|born)\b")
# an addition, not a limit: "I like classics, but I'll also watch new films", "I like newer movies too"
_ALSO_BEFORE_RE = re.compile(r"\balso\s+(?:like|love|enjoy|watch|read|listen to|don'?t mind|dig)\s+"
                             r"(?:\w+\s+){0,2}$")
_TOO_AFTER_RE = re.compile(r"^(?:\s+[\w']+){0,2}\s+(?:too|as well)\b")
# when the user grew up, not when the work is from: "being a kid from the 80's", "I grew up in the 90s"
_GREW_UP_BEFORE_RE = re.compile(r"\b(?:kid|child|teen|teenager|baby|born|grew up|growing up|raised)\s+"
                                r"(?:in|from|during|back in)\s+(?:the\s+)?$|"
                                # "my grandad was a merchant sailor back in the 1960s": his time, not a wish
                                r"\b(?:was|were)\s+(?:a|an)\s+[\w-]+(?:\s+[\w-]+)?\s+back\s+in\s+(?:the\s+)?$")
# a short question that names only a year: "from 1939?", "is that from the 90s?"
_YEAR_QUESTION_RE = re.compile(r"\s*(?:(?:is|was) (?:it|that|this) )?(?:from|in|made in|released in)?\s*"
                               r"(?:the\s+)?[\w']{2,6}\s*\?")
_HABIT_RE = re.compile(r"\b(?:i|we|he|she|they|you)\s*(?:'ve|'s|have|has|had)\s+(?:\w+\s+)?"
                       r"(?:been|loved|liked|watched|read|listened|enjoyed|done|played)\b[^.!?;]{0,60}$")
# a year compared with is a title: "not as thought provoking as 2001" (but "as recent as 2015" is a year)
_AS_BEFORE_RE = re.compile(r"(?<!\bearly)(?<!\blate)(?<!\brecent)(?<!\bnew)(?<!\bold)(?<!\bback)(?<!\bsoon)"
                           r"(?<!\bmuch)\s+as\s+$")
# a year a work is likened to is its title: "a dystopian novel like 1984", "films similar to 2012" (not
# "from like 1995")
_LIKE_BEFORE_RE = re.compile(r"\b(?:books?|novels?|films?|movies?|something|anything|stuff|ones?|more)\s+"
                             r"(?:(?:just|kind of|sort of|a bit|a little)\s+)?like\s+$|\bsimilar to\s+$|"
                             r"\b(?:loved|liked|enjoyed|read|seen)\s+$")
_EITHER_AGE_RE = re.compile(r"\b(?:old|older|new|newer)\s+or\s+(?:old|older|new|newer)\b")
_PUT_DOWN_AFTER_RE = re.compile(r"(?:\s+(?!that\b|which\b)[\w-]+){0,2}\s+"
                                r"(?:doesn'?t|don'?t|isn'?t|aren'?t|never|can'?t|sucks?)\b")
# a remark about one item: "that's newer, I prefer vintage movies"
_REMARK_BEFORE_RE = re.compile(r"\b(?:that'?s|it'?s|this is|that is|it is|it was|that was|that one is)\s+"
                               r"(?:a bit |much |way |even )?$")
# what one item is, or which one: "it's a 2018 movie", "The Shape of Water is a recent film" (the title
# already blanked), "that was in the 80s", "not so much the one from 2007"
_DESCRIBES_ONE_BEFORE_RE = re.compile(r"(?:\b(?:it|this|this one|that one)\s*(?:'s|is|was)|(?:^|\s{3})\s*"
                                      r"(?:is|was))\s+an?\s+$|\b(?:that|it|this)\s*(?:'s|is|was)\s+"
                                      r"(?:in|from)\s+(?:the\s+)?$|\bthe\s+(?:one|version|remake|original)"
                                      r"\s+(?:from|in|of)\s+(?:the\s+)?$")
# an age, a greeting or a turned-down recency, not a wish: "we are in our twenties", "happy 2018!",
# "I don't tend to watch newer movies"
_AGE_BEFORE_RE = re.compile(r"\bin\s+(?:my|our|his|her|their|your)\s+$")
_GREETING_BEFORE_RE = re.compile(r"\bhappy\s+(?:new\s+year\s+)?$")
_NEG_RECENT_BEFORE_RE = re.compile(r"\b(?:don'?t|do not|doesn'?t|does not|never|rarely|seldom|"
                                   r"not (?:into|a fan of|big on))\s+(?:[\w']+\s+){0,3}$")


# when a story happens, not when it was made: "set in the 1920s", "historical settings of the 1920s"; and
# a widening, not a limit: "mid 2000's or earlier? Even the 1990's"
_SETTING_BEFORE_RE = re.compile(r"\b(?:set|settings?|takes? place|taking place|life|lives|living|about|"
                                r"during)\s+(?:(?:in|of|during)\s+)?(?:the\s+)?$|"
                                r"\beven\s+(?:the\s+)?[\s,]*(?:(?:or|and)\s+(?:the\s+)?)?$")


def _no_wish(m: re.Match, text: str) -> bool:
    after = text[m.end():m.end() + 20]
    before = text[max(0, m.start() - 40):m.start()]
    if m.group().isdigit() and (_AS_BEFORE_RE.search(before) or _LIKE_BEFORE_RE.search(before)):
        return True
    since = m.group().startswith("since") or re.search(r"\bsince\s+(?:the\s+)?$", before)
    if since and _HABIT_RE.search(text, max(0, m.start() - 80), m.start()):
        return True  # "he's been doing kung fu moves in the kitchen since the 80s": how long, not a wish
    if (_DESCRIBES_ONE_BEFORE_RE.search(before) or _AGE_BEFORE_RE.search(before)
            or _GREETING_BEFORE_RE.search(before)):
        return True
    if m.re is _YEAR_RES["recent"] and (_NEG_RECENT_BEFORE_RE.search(before)
                                        or m.group().startswith(("this", "last"))
                                        and _SEEN_BEFORE_RE.search(before)):
        return True  # "I don't watch newer movies"; "I liked this year's The Disaster Artist"
    if (not m.group()[:1].isdigit() or m.group().endswith("s")) and _SETTING_BEFORE_RE.search(
            text, max(0, m.start() - 30), m.start()):
        return True
    if _GREW_UP_BEFORE_RE.search(text, max(0, m.start() - 30), m.start()) or _YEAR_QUESTION_RE.match(
            text[max(0, text.rfind(".", 0, m.start()) + 1, text.rfind("?", 0, m.start()) + 1):]):
        return True  # "being a kid from the 80's"; "from 1939?" asks about one film
    unseen = _UNSEEN_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
    if not m.group()[:1].isdigit() and (
            _ALSO_BEFORE_RE.search(text, max(0, m.start() - 40), m.start()) or _TOO_AFTER_RE.match(after)
            or _PUT_DOWN_AFTER_RE.match(text, m.end())  # "new stuff doesn't hit the same"
            or _EITHER_AGE_RE.search(text, max(0, m.start() - 12), m.end() + 12)  # "older or newer"
            or _REMARK_BEFORE_RE.search(text, max(0, m.start() - 16), m.start())):
        return True
    return bool(unseen or _ONE_AFTER_RE.match(after) or _AGE_AFTER_RE.match(after)
                or (m.group().isdigit() and _TITLE_AFTER_RE.match(after)))


# A year or recency word limits the answer only when the person asks for it. In a clause that asks
# ("something from", "any new movies?", "can you mention some 2016 movies") it does, whatever else the
# clause says; in one that tells or asks about particular items it describes them: "that movie came out
# in 1979", "was crash 2004?", "since it is the newest", "I have 2 new movies to watch". The clause is
# what lies since the last stop, comma or subordinating word, so "this is just a recent one. anything
# from the 90s?" still asks for the 90s.
_CLAUSE_START_RE = re.compile(r"[.!?;,:]|\b(?:but|because|since|cause|cuz|though|although|while)\b")
_ASKS_RE = re.compile(r"\b(?:any|anything|something|some|what|which|want(?:s|ed|ing)?|wanna|need(?:s|ed)?|"
                      r"prefer(?:s|red)?|looking|hop(?:e|ed|ing)|searching|mood|recommend|suggest|mention|"
                      r"give me|show me|find me|(?:like|love) to|would like|'d like|interested|how about|"
                      r"what about|maybe|please|can you|could you|know of|think of)\b")
# right before the word, items had or pointed at: "I have 2 new movies", "this gives me two new movies",
# "(I) loved that recent movie"; these are told even in a clause that asks ("some" is no wish in "now
# I'll have some new movies to try")
_HAD_RE = re.compile(
    r"(?:(?<!\bcan )(?<!\bcould )(?<!\bmay )\b(?:i|we|i'?ll|we'?ll)\s+(?:now\s+|already\s+|will\s+)?"
    r"(?:have|'ve got|have got|got)|\b(?:gives|gave|got) (?:me|us))\s+(?:\d+|a|an|some|a few|"
    r"a couple(?: of)?|two|three|four|five|several|no)\s+$|(?<!\bof )\b(?:this|that)\s+$")
# what the rest of the clause is about is said before the word: a release told ("came out", "are coming
# out", but not "movies that came out"), items seen ("I pretty much have seen the big ones from last
# year"), or one item as subject, by pronoun, by a title already blanked or in a question ("was crash
# 2004?", "ok is that a newer movie?")
_TELLS_RE = re.compile(
    r"(?<!\bthat )(?<!\bwhich )\b(?:came|comes|to come) out\b|(?<!\bthat )(?<!\bwhich )"
    r"\b(?:is|are|was|were|'s|'re)\s+(?:\w+\s+)?(?:released|coming out|out)\b|"
    r"\b(?:i|we)\s+(?:\w+\s+){0,2}?(?:'ve|have)?\s*(?:seen|saw|watched)\b|"
    # items said to exist: "there are newer die hards that were tolerable"
    r"\bthere\s+(?:are|were)\s+(?:some\s+|a few\s+|a couple of\s+|lots of\s+|a lot of\s+)?$")
_ONE_IS_RE = re.compile(
    r"^\s*(?:(?:wow|oh|ok|okay|yeah|yes|well|and|so|i think|i thought|i guess)\s+)?(?:that|these|those|they|"
    r"(?:this|that|the) (?:movie|film|book|novel|album|song|show|series))\s*(?:'s|is|was|are|were|'re)\s|"
    r"\b(?:it|this|this one|that one|he|she)\s*(?:'s|is|was)\s|"
    r"^\s*(?:(?:oh|ok|okay|so|and|wait|hmm)\s+)?(?:is|was|isn'?t|wasn'?t|did|didn'?t)\s+(?!there\b)")
# the rest of the sentence after "it is" still describes it, unless a person or a taste comes in:
# "it is the newest", not "it's for my son who loves 80s movies"
_DESCRIPTION_RE = re.compile(r"(?:(?!\b(?:who|i|we|you|like|likes|love|loves|enjoy|enjoys|for|into|fans?)\b)"
                             r"[\w'-]+\s+){0,6}$")
# an opinion between versions: the foil of a comparison ("better than the older ones", "not so much the
# newer ones"), or one version as the subject ("the newer star wars movies are better")
_FOIL_RE = re.compile(r"\b(?:than|over|instead of|compared to|versus|vs\.?|not(?: so much| really| as much)?)"
                      r"\s+(?:the\s+)?$")
_THE_SUBJECT_RE = re.compile(r"(?:\s+(?!that\b|which\b|who\b)[\w'-]+){0,4}?\s+(?:are|is|were|was|won'?t|"
                             r"will|would|can'?t|don'?t|doesn'?t|aren'?t|isn'?t|wasn'?t|weren'?t)\b")


# one thing singled out: "Michael Fassbender was the newest Magneto"
_IS_THE_RE = re.compile(r"\b(?:is|was|are|were|'s)\s+the\s+$")


def said_of_items(text: str, start: int, end: int, work_after: bool) -> bool:
    """Does the year or recency word at text[start:end] describe particular items rather than ask for
    some? `work_after`: a title follows it ("the latest Insidious", "the older It (1990)")."""
    clause = max((m.end() for m in _CLAUSE_START_RE.finditer(text, max(0, start - 120), start)),
                 default=max(0, start - 120))
    before = text[clause:start]
    # "the latest Insidious", "the newer ones are better" single out versions; "the 80s are my favourite"
    # is still a taste for the 80s
    definite = not text[start].isdigit() and re.search(r"\bthe\s+$", before)
    if _FOIL_RE.search(before) or _HAD_RE.search(before) or (definite and work_after):
        return True
    if _ASKS_RE.search(before):
        return False
    if definite and (_THE_SUBJECT_RE.match(text, end) or _IS_THE_RE.search(before)):
        return True
    if _TELLS_RE.search(before):
        return True
    return any(_DESCRIPTION_RE.match(before, one.end()) for one in _ONE_IS_RE.finditer(before))


_AGE_WORD_RE = re.compile(r"\b(?:older|newer|earlier|later|recent|modern|classic|latest|newest|new|old)\b")


def without_remarks(text: str) -> str:
    """The text with the age words said of particular items blanked, so that a critique of the picks
    reads only those asked for: "this is just a recent one" asks for nothing newer."""
    low = fold(text)
    for m in reversed(list(_AGE_WORD_RE.finditer(low))):
        nxt = re.match(r"\s+(?!I\b)[A-Z]", text[m.end():m.end() + 3])  # a capital: a title
        if said_of_items(low, m.start(), m.end(), bool(nxt)):
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return text


def _labels_a_title(work: _Masked, start: int) -> bool:
    """A bare year right after a title or name already read ("Pretty Woman 1990") dates that work."""
    k = start - 1
    while k >= 0 and start - k <= 3 and work.original[k] in " (":
        k -= 1
    return k >= 0 and start - k <= 3 and work.original[k].isalnum() and work.text[k] == " "


def _names_work_after(work: _Masked, end: int) -> bool:
    k = end
    while k < len(work.text) and k - end < 2 and work.original[k] == " ":
        k += 1
    return k < len(work.text) and work.text[k] == " " and work.original[k].isalnum()


def _find_years(work: _Masked, ref_year: int, span: int = 5) -> tuple[int | None, int | None, bool]:
    """Year bounds, and whether a recency phrase ("recent", "latest") gave one. Ranges ("70s or 80s")
    are joined; min/max bounds then narrow them. Phrases used are blanked, so "90s" is not read again
    as a facet or a bare year."""
    bounds: list[_Bound] = []
    vague_bounds: list[_Bound] = []  # "newer", "recent", "not too old"
    recent = False
    handlers = {**_YEAR_HANDLERS, "recent": functools.partial(_recent, span=span)}
    for name, rx in _YEAR_RES.items():
        for m in list(rx.finditer(work.text)):
            if (_no_wish(m, work.text) or (name == "year" and _labels_a_title(work, m.start()))
                    or said_of_items(work.text, m.start(), m.end(), _names_work_after(work, m.end()))):
                work.blank(m.start(), m.end())
                continue
            found = handlers[name](m, work.text, ref_year)
            if found is None:
                continue
            vague = name == "recent" and not (m.group("this") or m.group("n") or m.group("decade"))
            (vague_bounds if vague else bounds).extend(found)
            recent = recent or name == "recent"
            work.blank(m.start(), m.end())
    if not bounds:  # "newer, published after 1950": the stated year says how new
        bounds = vague_bounds
    ranges = [(lo, hi) for kind, lo, hi in bounds if kind == "range"]
    mins = [lo for kind, lo, _ in bounds if kind == "min"]
    maxes = [lo for kind, lo, _ in bounds if kind == "max"]
    if ranges:
        mins.append(min(r[0] for r in ranges))
        maxes.append(max(r[1] for r in ranges))
    lo, hi = max(mins, default=None), min(maxes, default=None)
    if lo is not None and hi is not None and lo > hi:
        return None, None, False  # contradictory phrases: trust neither
    return lo, hi, recent and lo is not None


# a year, a decade or a number of years said outright: "last five years or so", "2015 年以后", "the 80s"
_STATED_SPAN_RE = re.compile(rf"{_YEAR}|\b\d0'?s\b|\b(?:twenties|thirties|forties|fifties|sixties|seventies|"
                             r"eighties|nineties|noughties)\b|"
                             r"\b(?:last|past)\s+(?:\d+|few|couple(?: of)?|two|three|"
                             r"four|five|six|seven|eight|nine|ten)\s+years?\b|(?:近|最近)\s*[\d一二三四五六七八九十两]+\s*年")


def states_years(text: str) -> bool:
    """Whether the years are said outright: then "anything newer? last five years or so" means those years,
    not newer than the picks on screen."""
    return bool(_STATED_SPAN_RE.search(text))

