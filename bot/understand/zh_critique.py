"""Chinese critiques of the picks on screen, in the English words apply_critique (bot/critique.py) reads:
老一点的 is "older", 换一批 "another one", 少一点暴力 "less violent"."""

from __future__ import annotations

import re

from bot.understand.text import clean_text
from bot.understand.years import without_remarks
from bot.understand.zh import has_han

_LESS_WORDS = {"恐怖": "scary", "吓人": "scary", "暴力": "violent", "血腥": "gory", "悲伤": "sad",
               "伤感": "sad", "虐": "sad", "黑暗": "dark", "压抑": "dark", "爱情": "romantic",
               "浪漫": "romantic", "严肃": "serious", "沉重": "serious", "长": "long", "慢": "slow",
               "吵": "loud"}
_CRITIQUES = (
    (re.compile(r"(?:这些|这几个|上面的?)?都不(?:要|喜欢|行|感兴趣)|这些都看过了?|都看过了|不要这些|换别的|别的吧|"
                r"其他的吧"), "not these"),
    (re.compile(r"换一批|换一些|换几个|换一换|再来几|再来一些|再来点|再推荐|还有吗|还有别的吗|更多"),
     "another one"),
    (re.compile(r"(?:老|旧|早|经典)一?(?:点|些)|更(?:老|早|经典)|年代(?:更)?(?:久|早)一?(?:点|些)"), "older"),
    (re.compile(r"(?<![最])新一?(?:点|些)|更新一?(?:点|些)?的|更近"), "newer"),
)
_LESS_RE = re.compile(r"(?:少一?(?:点|些)|不要那么|没那么|别那么|不那么)\s*(" + "|".join(_LESS_WORDS) + ")")


def critique_words(text: str) -> list[str]:
    """The English critique phrases a Chinese message means ("老一点的" -> ["older"])."""
    if not has_han(text):
        return []
    low = clean_text(text)
    found = [en for rx, en in _CRITIQUES if rx.search(low)]
    return found + [f"less {_LESS_WORDS[m.group(1)]}" for m in _LESS_RE.finditer(low)]


def critique_text(text: str) -> str:
    """The text apply_critique reads: a Chinese critique gets its English words added, and age words said
    of particular items ("this is just a recent one", "I like the older It") are taken out."""
    words = critique_words(text)
    text = without_remarks(text)
    return f"{text} . {' . '.join(words)}" if words else text
