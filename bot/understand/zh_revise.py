"""Chinese wordings that change what the clause-by-clause reading of bot/understand/zh.py concludes:
a ban taken back (之前说不要恐怖的，现在可以了), "nothing to do with" (跟死亡没关系的书), a yes-or-no
question about an item (是恐怖片吗？), where 除了…以外 ends, and words to read as another word (也 OK) or
not at all (电视剧: no catalog holds TV series; the tears of a past viewing, 看完哭死)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.understand.model import _Masked

_TAKEN_BACK_RE = re.compile(
    r"(?:之前|刚才|前面|上次|我)(?:说(?:过|了)?|讲过)的?(?:不要|不看|不想|别|不喜欢)(?P<body>[^。！？!?]{1,20}?)"
    r"[，,、\s]+(?:不过|但是?|可是)?(?:现在|其实|今天)?[^。！？!?]{0,12}?(?:可以了|也行|没问题|没关系|可以|行了|能接受|"
    r"无所谓|还行|ok|okay|收回|撤回|不算数?)|"
    # "之前说不听电子乐，今天累瘫了，突然很想听": wanting it now, with nothing else named after the verb
    r"(?:之前|刚才|前面|上次|我)(?:说(?:过|了)?|讲过)的?(?:不要|不看|不听|不读|不想|别|不喜欢)(?P<body2>[^。！？!?，,]{1,20}?)"
    r"[，,、\s]+[^。！？!?]{0,24}?(?:很|又|还是|突然)想(?:听|看|读)了?(?=[，,。！!？?\s]|$)|"
    # "之前说不看战争片，不过我爷爷来了……那就战争片吧": named again after 那就, now asked for
    r"(?:之前|刚才|前面|上次|我)(?:说(?:过|了)?|讲过)的?(?:不要|不看|不听|不读|不想|别|不喜欢)(?P<body3>[^。！？!?，,]{1,20}?)"
    r"[，,、\s]+[^。！？!?]{0,30}?那就")
_UNRELATED_RE = re.compile(r"(?:跟|和|与)(?P<body>[^，。！？,.!?]{1,10}?)(?:没有?|无|不)(?:关系?|相关|沾边)")
_ASK_AFTER_RE = re.compile(r"[^。！？!?]{0,6}?(?:来(?:几|点|一)|推荐几|给我来)")
# a tear shed over something seen is how it went, not a wish: "刚看完 Past Lives 哭死", "看《…》哭得稀里哗啦"
_CRIED_RE = re.compile(r"(?<![想要能让爱])(?:看|读|听)(?:完|了|过)?[^，。！？!?；;]{0,24}?"
                       r"(?P<r>哭(?:死|惨|成狗|得[^，。！？!?\s]{0,6}|了))")
_MEANWHILE_RE = re.compile(r"(?:边|一边)?(?P<act>做饭|做菜|烧菜|煮饭|开车|跑步|健身|洗澡|打扫|收拾|通勤)"
                           r"(?:的)?(?:时候|时|边)\s*(?:听|看|放)")
_SPARED_RE = re.compile(r"(?:别|不要)让(?P<body>[^，。！？,.!?]{1,6}?)(?:死|挂)|"
                        r"(?P<body2>[^，。！？,.!?]{1,4}?)(?:最后|千万|一定|可|也)*(?:别|不要|不能|不会)(?:死|挂)")
_TV_RE = re.compile(r"电视剧|连续剧|美剧|韩剧|日剧|英剧|网剧")
_NO_VOCALS_RE = re.compile(r"(?:不要|没有|别有|不带|不能有)\s*(?:vocals?|lyrics|singing)\b", re.I)
_ALSO_OK_RE = re.compile(r"(?:也|其实|都)\s*(?:ok|okay)\b", re.I)  # "gore 其实 OK 啦": allowed, not asked for


def as_said(text: str) -> str:
    """"jazz 也 OK 啦" reads as 也行, "post rock，不要 vocal" as 不要人声 (instrumental; the 不要 had fallen
    on post rock): same length, so every offset still holds."""
    text = _NO_VOCALS_RE.sub(lambda m: "不要人声".ljust(len(m.group())), text)
    return _ALSO_OK_RE.sub(lambda m: "也行".ljust(len(m.group())), text)


def blank_tv(work: _Masked) -> None:
    """"能推荐电视剧吗" names no films: TV series are no catalog's kind."""
    for m in _TV_RE.finditer(work.text):
        work.blank(m.start(), m.end())


def blank_reactions(work: _Masked) -> None:
    """Blank the tears of a past viewing (哭死 after 看完), which say no wish for sad works, and what the
    user will be doing meanwhile (做饭的时候听: music to cook by, not about cooking)."""
    for m in _CRIED_RE.finditer(work.text):
        work.blank(m.start("r"), m.end("r"))
    for m in _MEANWHILE_RE.finditer(work.text):
        work.blank(m.start("act"), m.end("act"))


def revise(facets: dict, low: str) -> None:
    """Re-settle facet verdicts ({id: (token, polarity, revised)}) that a wider wording overrides."""
    for m in _UNRELATED_RE.finditer(low):  # "跟死亡没关系的书": nothing to do with death
        for key, (tok, _, rev) in list(facets.items()):
            if m.start("body") <= tok.start < m.end("body"):
                facets[key] = (tok, "neg", rev)
    for m in _SPARED_RE.finditer(low):  # "别让狗死了": the dog is wanted alive, a sad ending is banned
        body = "body" if m.group("body") else "body2"
        for key, (tok, pol, rev) in list(facets.items()):
            if pol == "neg" and m.start(body) <= tok.start < m.end(body):
                facets[key] = (replace(tok, targets={None: ("sad",)}), "neg", rev)
    for m in _TAKEN_BACK_RE.finditer(low):  # "之前说不要恐怖的，现在可以了": the earlier no is taken back
        body = next(b for b in ("body", "body2", "body3") if m.group(b))
        for key, (tok, pol, rev) in list(facets.items()):
            if pol == "neg" and m.start(body) <= tok.start < m.end(body):
                # "……其实还行，来几首吧" asks for it too: a reversal and a like; so do "突然很想听", "那就…吧"
                asked = body != "body" or _ASK_AFTER_RE.match(low, m.end())
                facets[key] = (tok, "pos", True) if asked else (tok, "tol", rev)


# a yes-or-no question about an item ("会不会很压抑？", "李安是不是拍过…？", "是恐怖片吗？"): no wish, and its
# 不 no negation
_A_NOT_A_RE = re.compile(r"是不是|会不会|算不算|对不对")
_IS_IT_RE = re.compile(r"\s*(?:这|那|它)?(?:个|部|本|张|首)?(?:也|还|就|真的|应该)?是(?!不是)")


def yes_no_about_item(low: str, start: int, end: int) -> bool:
    """Is the clause low[start:end] (a question) asking whether an item is something?"""
    return bool(_A_NOT_A_RE.search(low, start, end) or _IS_IT_RE.match(low, start))


def except_kind(text: str, start: int) -> tuple[str, int]:
    """除了X以外…: a negation ("除了恐怖片以外都行"), unless 还/也 follows ("除了科幻以外我也喜欢奇幻"), but
    not 还有什么 ("除了诺兰的，还有什么…" asks for others).
    Returns the cue kind and where the scope ends."""
    m = re.compile(r"以外|之外|[,.!?;。]").search(text, start, start + 30)
    end = m.end() if m else min(len(text), start + 30)
    if re.search(r"还有(?:什么|别的|其他|哪|没有|吗|谁)", text[end:end + 12]):
        return "neg", end  # "除了诺兰的，还有什么烧脑的？": the others are asked for
    tail = re.search(r"[还也都全什么其他别的其余]", text[end:end + 12])
    return ("pos" if tail and tail.group() in "还也" else "neg"), end
