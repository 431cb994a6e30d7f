"""Chinese references to the items on screen: 第二个不错 (liked @2), 这本不要 (disliked @last), 看过了 (seen).
The measure word says which kind of item is meant: 第三本 is a book, 第一首 a song."""

from __future__ import annotations

import re

from bot.understand.model import Extraction, _add, _Masked
from bot.understand.vocab import REF_LAST
from bot.understand.zh_vocab import NUMERALS

_ORD = (r"第\s*(?P<n>[一二三四五1-5])\s*(?:个|部|本|张|首|条|项)?(?:电影|片子?|书|小说|歌|专辑)?|"
        r"(?P<last>最后一\s*(?:个|部|本|张|首)|last one)")
_DEM = r"(?:这个|那个|这部|那部|这本|那本|这张|那张|这首|那首|它)"
_REF = rf"(?:{_ORD}|{_DEM})"
_ADV = (r"(?:我|我们|也|都|已经|早就|以前|真的?|很|挺|还|比较|特别|非常|蛮|就|看起来|看着|"
        r"听起来|感觉|似乎|好像|\s)*")
# English words after a Chinese reference: "第二个 looks good", "第三个 seen it already"
_SEEN = r"(?:(?:看过|读过|听过|看完|读完)了?|(?:already\s+)?(?:seen|read|watched|heard)(?:\s+(?:it|that))?)"
_BAD = (r"(?:不要|不行|不好|不喜欢|不感兴趣|没意思|无聊|算了|不好看|不好听|一般|skip|pass|"
        r"太(?!好|棒|赞|美|爱|喜欢)[\u4e00-\u9fff]|not for me|no thanks|nah|boring|meh)")
_GOOD = (r"(?:不错|好|棒|喜欢|可以|合适|有点?意思|精彩|(?:looks?|sounds?|seems?)\s+(?:good|great|nice|fun|"
         r"interesting)|nice|great)")
_REF_RES = (  # (what the user says about the item, before it / after it)
    ("seen", re.compile(rf"{_REF}\s*{_ADV}\s*{_SEEN}")),
    ("seen", re.compile(rf"{_SEEN}\s*{_REF}")),
    ("disliked", re.compile(rf"(?:不要|不喜欢|不想要|不想看|去掉|跳过|换掉|排除|别要)\s*{_REF}")),
    ("disliked", re.compile(rf"{_REF}\s*{_ADV}\s*{_BAD}")),
    ("liked", re.compile(rf"(?:更像|像|喜欢|类似|和|跟|要|就要|选)\s*{_REF}")),
    ("liked", re.compile(rf"{_REF}\s*{_ADV}\s*{_GOOD}")),
    ("liked", re.compile(rf"{_REF}\s*(?:那样|这样|那种|这种|一样|类似)")),  # 第二个那样的再来几个
)
_JOINED_BEFORE_RE = re.compile(r"第\s*([一二三四五1-5])\s*(?:个|部|本|张|首)?\s*(?:和|跟|、|还有|以及|,|，)"
                               r"\s*$")
_BARE_SEEN_RE = re.compile(r"^\W*(?:我|我们)?(?:已经|都|早就)?(?:看过|读过|听过)了?\W*$")


def _find_refs(work: _Masked, out: Extraction, titled: bool = False) -> None:
    measure = _MEASURE_RE.search(work.text)
    before = len(out.disliked_titles) + len(out.liked_titles) + len(out.seen_titles)
    for kind, rx in _REF_RES:
        for m in rx.finditer(work.text):
            n = m.group("n")
            ref = REF_LAST if n is None else f"@{NUMERALS.get(n, n)}"
            _add(getattr(out, f"{kind}_titles"), ref)
            start = m.start()
            while joined := _JOINED_BEFORE_RE.search(work.text, 0, start):  # 第一部和第三部都看过了
                _add(getattr(out, f"{kind}_titles"), f"@{NUMERALS.get(joined.group(1), joined.group(1))}")
                start = joined.start()
            work.blank(start, m.end())
    if REF_LAST in out.liked_titles and any(r[1:].isdigit() for r in out.liked_titles):
        out.liked_titles.remove(REF_LAST)  # 第二部不错，再来几部类似的: like the second, not the top pick
    if not titled and _BARE_SEEN_RE.match(work.text):  # "看过了": the item on screen (《X》看过了 is X)
        _add(out.seen_titles, REF_LAST)
        work.blank(0, len(work.text))
    found = len(out.disliked_titles) + len(out.liked_titles) + len(out.seen_titles) > before
    if measure and found and out.implied_domain is None:
        out.implied_domain = _MEASURE_DOMAIN[measure.group(1)]


# a reference's measure word names the kind of item only for books and songs (部 counts films and books)
_MEASURE_DOMAIN = {"本": "book", "首": "music"}
_MEASURE_RE = re.compile(r"(?:第\s*[一二三四五1-5]|这|那|最后一)\s*(本|首)")


_MEASURE_WISH_RE = re.compile(r"(?:找|来|买|读|推荐|要|一|几|两)\s*(本|首)(?!来|人|身|地|事|先|次|位|都)")
READ_OR_HEARD_RE = re.compile(r"读(?:完|过|了)|听(?:完|过|了)")


def kind_by_words(low: str, seen: bool) -> str | None:
    """The kind of item the words imply: a title read or heard (刚读完《了不起的盖茨比》 is the novel), or
    a measure word of a wish (想找本鬼故事集 asks for a book, 来首歌 for a song)."""
    if seen and (verb := READ_OR_HEARD_RE.search(low)):
        return "book" if verb.group().startswith("读") else "music"
    m = _MEASURE_WISH_RE.search(low)
    return ("book" if m.group(1) == "本" else "music") if m else None


# the person just named, ruled out: 不要他本人的, 别是他们本人的, 换个作者吧, 他写的我都读完了
_NOT_HIM_RE = re.compile(
    r"(?:不要|别|不想要|除了|不是)\s*(?:再\s*)?(?:是|推荐?|给我推荐?)?\s*(?:他|她)们?(?:本人|自己)?\s*(?:的|拍|写|导|演|唱)|"
    r"换(?:个|一个|位|一位)(?:作者|作家|导演|歌手|乐队|艺术家|人)|(?:别的|其他的?)(?:作者|作家|导演|歌手|乐队)|"
    r"(?:他|她)们?(?:本人|自己)?(?:写|拍|导|唱|演)?的[^，。！？,.!?]{0,6}(?:都|全)[^，。！？,.!?]{0,3}(?:读|看|听)(?:完|过|遍)")
# "像电影《白日梦想家》那样的小说": a domain word after this names what the wish is like, not what it is
LIKE_BEFORE_RE = re.compile(r"(?:像|类似|好像|如同|跟|和)(?:是|那部|那本|那首|那张)?\s*$")
# X的…都读过了: every work of the person named right before has been read, watched or heard
_ALL_DONE_RE = re.compile(r"\s*(?:本人|自己)?(?:写|拍|导|唱|演)?的(?:书|小说|电影|片子?|歌|专辑|作品)?"
                          r"(?:[^，。！？,.!?]{0,6}(?:都|全)[^，。！？,.!?]{0,3}|\s*(?:我)?(?:已经|早就|早)?)"
                          r"(?:读|看|听)(?:完|过|遍)")  # 凡尔纳的看过了: read already, so someone else


def ruled_out_people(low: str, people: list[tuple[int, str]]) -> tuple[list[str], bool]:
    """The people ruled out, from (end, name) of each named: "X的我都看过了" or a pronoun after X. The flag
    says a pronoun rules out someone named in an earlier turn ("但不要他本人的" with nobody named now)."""
    names = [name for end, name in people if _ALL_DONE_RE.match(low, end)]
    m = _NOT_HIM_RE.search(low)
    if m:
        before = [name for end, name in people if end <= m.start()]
        if before:
            names.append(before[-1])
        elif not people:
            return names, True
    return names, False
