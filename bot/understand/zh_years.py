"""The Chinese year step: decades (90年代, 八十年代, 上世纪七十年代初), years with before/after/since
(2010年以后 = after, min 2011; 2010年起 = since, min 2010; 2010年以前 = before, max 2009), ranges
(1980年到1990年), centuries (二十世纪) and recency (最近的, 新出的, 近十年), with the English conventions
of bot/understand/years.py. Chinese digits written one by one (一九九八年, 八零年代) are read too.
"""

from __future__ import annotations

import re

from bot.understand.model import _Masked
from bot.understand.vocab import NOT_OLD_SPAN, RECENT_SPAN
from bot.understand.zh_vocab import NUMERALS

# -- years -----------------------------------------------------------------------------------------------

# 两千年 is how the year 2000 is said ("两千年以后的恐怖小说")
_Y = r"(?<!\d)(?P<y>1[0-9]{3}|20[0-9]{2}|(?<![一二三四五六七八九十百千两几])[两二]千(?=\s*年))(?!\d)"
_PART = r"(?P<part>初期|初|早期|中期|中叶|中|末期|末|后期|晚期)?"
_YEAR_RES = {
    "range": re.compile(r"(?<!\d)(?P<a>1[0-9]{3}|20[0-9]{2})\s*年?\s*(?:到|至|-|~|—)\s*"
                        r"(?P<b>1[0-9]{3}|20[0-9]{2})\s*年?(?!代)"),
    "since": re.compile(rf"{_Y}\s*年?\s*(?:以来|起|开始|至今|及以后|及之后)|"
                        rf"从\s*{_Y.replace('y>', 'y2>')}\s*年?(?:开始|起)"),
    "after": re.compile(rf"{_Y}\s*年?\s*(?:以后|之后|后)(?!期)"),
    "until": re.compile(rf"{_Y}\s*年?\s*(?:及以前|及之前|为止)"),
    "before": re.compile(rf"{_Y}\s*年?\s*(?:以前|之前|前)"),
    "decade": re.compile(r"(?P<pre>上世纪|上个世纪|二十世纪|20世纪)?\s*(?:(?P<d4>(?:1[0-9]|20)[0-9]0)|"
                         r"(?P<d2>[0-9]0)|(?P<cn0>[二三四五六七八九])?(?P<cn>[二三四五六七八九])十)\s*(?:年代|'?s(?![a-z]))"
                         + _PART + r"(?P<edge>以前|之前|以后|之后)?"),
    "century": re.compile(r"(?:(?P<c>二十一|21|二十|20|十九|19|十八|18)\s*世纪|"
                          r"(?P<rel>本世纪|这个世纪|上世纪|上个世纪))(?P<cedge>以前|之前|以后|之后)?"),
    "recent": re.compile(r"近\s*(?P<n>\d+|[一二三四五六七八九十两]+)\s*年|最近几年|近几年|近年来?|这几年|"
                         # 最近 asks for recent works only before what is out (最近有什么好看的,
                         # 最近新出的); 最近开始写日记, 最近 work 压力超大, 最近退休 say what the user does
                         r"最近的|最近(?=\s*(?:有什么|有啥|有没有|新出|出的|上映|流行|很火|大火|热门|好看的))|新出的|最新的?|新上映的?|刚出的|近期|新一?[点些](?:的|吧)?|(?P<this>今年(?!\s*[一二三四五六七八九十两\d]))|(?P<last>去年)|"
                         # 不要太老的 / 别太旧的, not 长生不老 or 别老推荐 ("don't keep recommending")
                         r"(?P<notold>(?:(?:不要|别)太?|(?:不能|不会|不)太)(?:老|旧)"
                         r"(?=的|片|电影|书|小说|音乐|歌|专辑|[，。！？、,.!?\s]|$))"),
    # a number of years ago: "一百年以前写的" (more than a hundred years ago), "五十多年之前"
    "ago": re.compile(r"(?<![\d一二三四五六七八九十百千两几])(?P<ago>\d{1,3}|[一二三四五六七八九十百两]{1,5})"
                      r"\s*多?\s*年"
                      r"(?:以前|之前)(?=\s*(?:写|拍|出|发行|出版|上映|录|的))"),  # not "三年以前看过"
    "year": re.compile(rf"{_Y}\s*年?(?!代)"),
}
_PARTS = {"初期": (0, 3), "初": (0, 3), "早期": (0, 3), "中期": (4, 6), "中叶": (4, 6), "中": (4, 6),
          "末期": (7, 9), "末": (7, 9), "后期": (7, 9), "晚期": (7, 9)}  # x0-x3, x4-x6, x7-x9 of a decade
_CENTURY = {"二十一": 2000, "21": 2000, "二十": 1900, "20": 1900, "十九": 1800, "19": 1800, "十八": 1700,
            "18": 1700}
_EN_CUE_BEFORE_RE = re.compile(r"\b(?:after|before|since|from|than|until|till|in|between|and|to|or)\s*$",
                               re.I)
_NEG_AFTER_RE = re.compile(r"\s*的?\s*(?:都|就)?(?:不要|别|不行|免了|算了|不考虑|就算了)")
_YEAR_NEG_RE = re.compile(r"(?:不要|不是|除了|别|不想要)\s*$")
_CN_YEAR_RE = re.compile(r"[零〇一二三四五六七八九]{4}(?=\s*年)|[零〇一二三四五六七八九]0?(?=零\s*年代)|"
                         r"[零〇一二三四五六七八九]零(?=\s*年代)")


def cn_number(s: str) -> int:
    """"12", "十二", "两", "二十", "一百五十" -> an int (up to 999)."""
    if s.isdigit():
        return int(s)
    hundreds, sep, rest = s.partition("百")
    if sep:
        return NUMERALS.get(hundreds, 1) * 100 + (cn_number(rest) if rest else 0)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return NUMERALS.get(tens, 1) * 10 + NUMERALS.get(ones, 0)
    return NUMERALS.get(s, 0)


def _year_bounds(m: re.Match, name: str, ref_year: int) -> list[tuple[str, int]] | None:
    g = m.groupdict()
    if name == "ago":
        n = cn_number(g["ago"])
        return [("max", ref_year - n - 1)] if 1 <= n < 1000 else None
    raw = g.get("y") or g.get("y2")
    y = None if raw is None else 2000 if raw.endswith("千") else int(raw)
    if raw and raw.endswith("千") and (re.search(r"(?<![以之])前$", m.group())
                                      or m.string[m.end():m.end() + 1] == "前"):
        return None  # 两千年前 is two thousand years ago
    if name == "range":
        a, b = int(g["a"]), int(g["b"])
        return [("min", a), ("max", b)] if a <= b else None
    if name in ("since", "after", "until", "before"):
        return [{"since": ("min", y), "after": ("min", y + 1), "until": ("max", y),
                 "before": ("max", y - 1)}[name]]
    if name == "decade":
        if g["d4"]:
            lo = int(g["d4"])
        else:
            d = int(g["d2"]) if g["d2"] else cn_number(g["cn"]) * 10
            lo = 1900 + d if g["pre"] or d >= 20 else 2000 + d
        first, last = _PARTS.get(g["part"] or "", (0, 9))
        start = lo + first - 10 * (cn_number(g["cn"]) - cn_number(g["cn0"])) if g.get("cn0") else lo + first
        if g.get("edge"):  # "八十年代以前" is before the decade, "九十年代以后" after it
            return [("max", start - 1)] if g["edge"] in ("以前", "之前") else [("min", lo + last + 1)]
        return [("min", start), ("max", lo + last)]  # "七八十年代": the seventies and eighties
    if name == "century":
        lo = 1900 if g["rel"] in ("上世纪", "上个世纪") else 2000 if g["rel"] else _CENTURY[g["c"]]
        if g.get("cedge"):  # "19世纪以前": before 1800; "二十世纪以后": from 2000 on
            return [("max", lo - 1)] if g["cedge"] in ("以前", "之前") else [("min", lo + 100)]
        return [("min", lo), ("max", min(lo + 99, ref_year))]
    if name == "recent":
        if g["this"] or g["last"]:
            y = ref_year if g["this"] else ref_year - 1
            return [("min", y), ("max", y)]
        if g["notold"]:
            return [("min", ref_year - NOT_OLD_SPAN)]
        return [("min", ref_year - (cn_number(g["n"]) if g["n"] else RECENT_SPAN))]
    return [("min", y), ("max", y)] if 1870 <= y <= ref_year + 2 else None


def find_years_zh(work: _Masked, ref_year: int) -> tuple[list[tuple[str, int]], bool]:
    """(year bounds, whether a recency phrase gave the lower one: 最新的, 新一点的, 不要太老的); the manager
    moves a recency bound back when the catalog has nothing that new (a book 别太旧的)."""
    view = _CN_YEAR_RE.sub(lambda m: "".join(str(NUMERALS[c]) if c in NUMERALS else c for c in m.group()),
                           work.text)  # 一九九八年 -> 1998年, 八零年代 -> 80年代: same length
    view = view.replace("零年代", "0年代").replace("〇年代", "0年代")
    bounds: list[tuple[str, int]] = []
    recent = False
    newer: list[tuple[str, int]] = []  # "新一点的": only when no year says how new ("新一点的，2000年以后")
    for name, rx in _YEAR_RES.items():
        for m in list(rx.finditer(view)):
            found = _year_bounds(m, name, ref_year)
            if found is None or (name == "year" and _EN_CUE_BEFORE_RE.search(view, 0, m.start())):
                continue  # "nothing after 1960": the English clause says what the year means
            neg_after = _NEG_AFTER_RE.match(view, m.end())
            neg_before = _YEAR_NEG_RE.search(view, max(0, m.start() - 6), m.start())
            for neg in (neg_after, neg_before):
                if neg:  # "来几部不要2015年以前的恐怖片": the no is about the years, not about horror
                    work.blank(neg.start(), neg.end())
            if (neg_after or neg_before) and name in ("before", "after", "century") and len(found) == 1:
                # "2000年以前的不要", "不要 1950 年以后写的": the other side of the year is wanted
                kind, y = found[0]
                bounds.append(("min", y + 1) if kind == "max" else ("max", y - 1))
            elif not neg_before:  # "不要90年代的"
                vague = name == "recent" and not any(m.group(g) for g in ("n", "this", "last"))
                (newer if vague else bounds).extend(found)
                recent = recent or name == "recent"
            view = view[:m.start()] + " " * (m.end() - m.start()) + view[m.end():]
            work.blank(m.start(), m.end())
    stated = any(k == "min" for k, _ in bounds)  # a year says how new: a vague "newer" yields to it
    return bounds + ([] if stated else newer), recent


def settle_years(bounds: list[tuple[str, int]]) -> tuple[int | None, int | None]:
    lo = max((y for k, y in bounds if k == "min"), default=None)
    hi = min((y for k, y in bounds if k == "max"), default=None)
    if lo is not None and hi is not None and lo > hi:
        return None, None  # contradictory: trust neither
    return lo, hi
