"""Bare feedback on the picks on screen, however it is worded: "number 3 is going straight on my list",
"album one sounds like a dentist drill, hard pass", "ugh I've watched the first and the third already",
第二首前奏一出来我就爱了, 这本我上个月刚读完, 第三部早看过了，第五部也是.

The reference passes (references.py, zh_refs.py) read the fixed shapes, a verdict right next to its item.
This reads what they left: an item referred to anywhere in a clause, judged by the clause's own words.
"""

from __future__ import annotations

import re

from bot.understand.entity_cues import _ORDINALS, _VERB_DOMAIN
from bot.understand.model import Extraction, _add, _Masked
from bot.understand.vocab import REF_LAST
from bot.understand.zh_vocab import NUMERALS

_WORD_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_NOUNS = (r"one|pick|choice|suggestion|option|rec|recommendation|track|song|album|record|book|novel|film|"
          r"movie|title")
_NOUN_DOMAIN = {"track": "music", "song": "music", "album": "music", "record": "music", "book": "book",
                "novel": "book", "film": "movie", "movie": "movie",
                "本": "book", "首": "music", "张": "music"}
_ORD_WORD = r"(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)"
# a determiner or the clause's start: "my first album" is not a pick on screen
_DET = r"(?:(?<![\w'])(?:the|that|this|your|ur)\s+|^[^\w]*)"
_EN_REF_RE = re.compile(
    rf"(?:{_DET}(?P<list>{_ORD_WORD}(?:\s*(?:,|and|&|or)\s*(?:the\s+)?{_ORD_WORD})+)\s+(?P<noun3>{_NOUNS})s?\b"
    rf"|{_DET}(?P<ord>first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last)\s+(?P<noun>{_NOUNS})s?\b"
    rf"|(?<![\w'])the\s+(?P<bare>first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\b(?=\s*(?:$|[,.!?;&]|and\b|"
    r"or\b|already\b|too\b|as well\b|looks?\b|sounds?\b|seems?\b))"
    rf"|(?:\bnumber|\bno\.|#|\bpick|\boption|\bchoice)\s*(?P<num>[1-5])\b"
    rf"|(?<![\w'])(?P<noun2>album|book|film|movie|song|track|record)\s+(?P<num2>one|two|three|four|five|[1-5])\b"
    r"(?!\s*(?:of|in)\b)"
    rf"|{_DET}(?:first|top)\s+(?P<top>two|three|2|3)\b(?!\s+(?:hours?|minutes?|pages?|chapters?|episodes?)\b)"
    r"|(?<![\w'])(?:that|this)\s+(?P<dem>one|pick|book|film|movie|album|song|track)\b"
    r")", re.M)
# "the last book I read", "the second film in the series": not a pick on screen
# (but "the 1st one I already read at uni" is a pick on screen, already read)
_NOT_SHOWN_AFTER_RE = re.compile(r"\s+(?:(?:that\s+)?(?:i|we|he|she|they)\b(?!'?v?e?\s+already\b)|"
                                 r"(?:in|of)\s+"
                                 r"(?:the|a|this|that|his|her|their)\s+(?:series|trilogy|saga|franchise|set)\b|ever\b)")

_EN_BAD_RE = re.compile(
    r"\b(?:hard pass|pass|nope|nah|no thanks|no way|not (?:really |quite |exactly )?(?:for me|"
    r"my (?:thing|type|style|cup of tea|jam|vibe|taste)|into it|feeling it)|not into|hate|hated|boring|meh|"
    r"awful|dull|terrible|"
    r"sucks?|sucked|too (?:long|old|slow|dark|sad|scary|weird|much|cheesy|violent|depressing)|skip(?: it)?|"
    r"yikes|cringe|(?:does|did|do)n'?t (?:look|sound|seem) (?:good|great|fun|interesting))\b|👎")
# "read some good reviews", "read up on it" is reading about an item, not having read it
_READ = r"read(?!\s+(?:up\b|about\b|(?:(?:some|a few|good|great|the|its|many)\s+)*reviews?\b))"
_EN_SEEN_RE = re.compile(rf"\b(?:seen|watched|{_READ}|heard(?! (?:of|about|that|it was|they|good))|saw|"
                         r"finished|already|own (?:it|that|them|those))\b")
# "I haven't heard of that one", "never saw the second one": not seen
_EN_UNSEEN_RE = re.compile(r"\b(?:haven'?t|have not|hasn'?t|never|not|didn'?t|did not|don'?t|yet to)\b")
_EN_FUTURE_RE = re.compile(r"\b(?:gonna|going to|will|'ll|want to|wanna|plan to|planning to|about to|tonight|"
                           r"tomorrow|next (?:week|weekend|month|time))\b|\bi'll\b")
_EN_GOOD_RE = re.compile(
    r"\bnot bad\b|\b(?:i|we) (?:really |do |kinda )?like\b|"
    r"(?<!not )(?<!n't )\b(?:love|loved|loving|liked|great|perfect|exactly|awesome|amazing|"
    r"brilliant|nice|cool|interesting|intriguing|fun|good|yes+|winner|sold|spot on|beautiful|lovely|"
    r"my (?:kind of |sort of )?(?:thing|type|jam|vibe|style|taste)|up my (?:alley|street)|on (?:my|the) list|"
    r"into it|favou?rite|the one|fire|dope|(?:that|this)'?s it)\b|[❤😍👍🔥🤩💯]")

_ZH_REF_RE = re.compile(
    r"第\s*(?P<n>[一二三四五1-5])\s*(?P<m>个|部|本|张|首|条|项)?(?:电影|片子?|书|小说|歌|专辑)?|"
    r"(?P<last>最后一\s*(?P<m2>个|部|本|张|首))|(?:这|那)(?P<m3>个|部|本|张|首)")
_ZH_BAD_RE = re.compile(r"不要|不喜欢|不想要|不是我的菜|不对胃口|没兴趣|不感兴趣|算了|一般般?|无聊|没意思|"
                        r"太(?:长|老|慢|闷|暗|吓人|怪|吵|闹|无聊)|难看|难听|不好看|不好听|劝退|下一个|跳过|"
                        r"\bpass\b|too (?:long|old|slow|dark)|not for me|\bnah\b|\bmeh\b")
_ZH_SEEN_RE = re.compile(r"(?<![没想要去])(?:看过|读过|听过|看完|读完|听完|刷过|早看了|早读了|早听了|"
                         r"看了好几遍|读了好几遍|听了好几遍|已经看了|已经读了|已经听了)|\b(?:seen|read|watched|heard)\b")
_ZH_GOOD_RE = re.compile(r"(?<!不是)(?<!不)(?:不错|好看|好听|喜欢|爱了|爱上|对味|我的菜|就它|就这个|感兴趣|"
                         r"有意思|种草|收藏|想看|想读|想听|绝了|好评|棒|赞|对了\s*$)|"
                         r"\b(?:nice|great|love|perfect|good)\b|[❤😍👍🔥]")
_ZH_SAME_RE = re.compile(r"\W*(?:(?:第\s*[一二三四五1-5]\s*(?:个|部|本|张|首)?|这个|那个)\s*)?"
                         r"(?:也是|也一样|同上|也)")
_CLAUSE_RE = re.compile(r"[.!?;。！？；，,\n]+")


def _clauses(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _CLAUSE_RE.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _en_refs(text: str, start: int, end: int) -> list[tuple[int, int, str, str | None]]:
    """(start, end, reference, the kind of item its noun names) in one clause."""
    found = []
    for m in _EN_REF_RE.finditer(text, start, end):
        if not (m.group("num") or m.group("num2")) and _NOT_SHOWN_AFTER_RE.match(text, m.end()):
            continue  # "number 4 we did at school" is a pick on screen, whatever follows
        noun = m.group("noun") or m.group("noun2") or m.group("dem") or m.group("noun3")
        if m.group("list"):  # "2nd and 3rd tracks are great"
            refs = [_ORDINALS[w] for w in re.findall(_ORD_WORD, m.group("list"))]
        elif m.group("ord") or m.group("bare"):
            refs = [_ORDINALS[m.group("ord") or m.group("bare")]]
        elif m.group("num") or m.group("num2"):
            n = m.group("num") or m.group("num2")
            refs = [f"@{_WORD_NUM.get(n, n)}"]
        elif m.group("top"):
            k = _WORD_NUM.get(m.group("top")) or int(m.group("top"))
            refs = [f"@{i}" for i in range(1, k + 1)]
        else:
            refs = [REF_LAST]
        found += [(m.start(), m.end(), ref, _NOUN_DOMAIN.get(noun or "")) for ref in refs]
    return found


def _zh_refs(text: str, start: int, end: int) -> list[tuple[int, int, str, str | None]]:
    found = []
    for m in _ZH_REF_RE.finditer(text, start, end):
        measure = m.group("m") or m.group("m2") or m.group("m3")
        n = m.group("n")
        ref = REF_LAST if n is None else f"@{NUMERALS.get(n, n)}"
        found.append((m.start(), m.end(), ref, _NOUN_DOMAIN.get(measure or "")))
    return found


def _verdict(clause: str, chinese: bool) -> str | None:
    """"disliked", "seen", "seen+liked", "liked" or None, from the clause's words (references blanked)."""
    if chinese:
        bad, seen, good = _ZH_BAD_RE, _ZH_SEEN_RE, _ZH_GOOD_RE
    else:
        bad, seen, good = _EN_BAD_RE, _EN_SEEN_RE, _EN_GOOD_RE
    if bad.search(clause):
        return "disliked"
    liked = bool(good.search(clause))
    not_yet = not chinese and bool(_EN_FUTURE_RE.search(clause) or _EN_UNSEEN_RE.search(clause))
    if seen.search(clause) and not not_yet:
        return "seen+liked" if liked else "seen"
    return "liked" if liked else None


def find_feedback(work: _Masked, out: Extraction, chinese: bool = False,
                  titles: tuple[tuple[int, int], ...] = ()) -> str | None:
    """Add the verdicts on shown items that the fixed shapes missed; blank what was read. Returns the
    domain a reference names by its noun ("the second song", 这本), for a message that names no other;
    a noun inside a named title names none ("The Jungle Book 2" is a film, not the second book)."""
    text = work.text
    clauses = []
    for start, end in _clauses(text):
        refs = _zh_refs(text, start, end) if chinese else _en_refs(text, start, end)
        if chinese:
            latin = _en_refs(text, start, end)  # "the second one 不错"
            refs += [r for r in latin if not any(r[0] < e and s < r[1] for s, e, *_ in refs)]
        words = list(text[start:end])
        for s, e, *_ in refs:
            words[s - start:e - start] = " " * (e - s)
        clauses.append((start, refs, "".join(words)))
    previous: str | None = None
    find = _zh_refs if chinese else _en_refs
    named = next((r[3] for r in find(work.original, 0, len(work.original))
                  if r[3] and not any(s <= r[0] < e for s, e in titles)), None)
    for i, (start, refs, words) in enumerate(clauses):
        if not refs:
            previous = None
            continue
        verdict = _verdict(words, chinese)
        if verdict is None and previous and chinese and _ZH_SAME_RE.match(text, start):
            verdict = previous  # 第三部早看过了，第五部也是
        for _, later, later_words in clauses[i + 1:i + 3]:
            if verdict is not None or later:
                break
            verdict = _verdict(later_words, chinese)  # "album one sounds like a dentist drill, hard pass"
            words += " " + later_words
        previous = verdict
        if verdict is None:
            continue
        for s, e, ref, domain in refs:
            if "seen" in verdict:
                _add(out.seen_titles, ref)
            if verdict in ("liked", "seen+liked") and ref not in out.disliked_titles:
                _add(out.liked_titles, ref)
            if verdict == "disliked":
                _add(out.disliked_titles, ref)
            if domain and out.implied_domain is None:
                out.implied_domain = domain
            work.blank(s, e)
        verb = _SEEN_VERB_RE.search(words) if "seen" in verdict else None
        if verb:  # "the last one, already watched it": a film
            named = named or _SEEN_VERB_DOMAIN[verb.group(1) or verb.group(2)]
            out.implied_domain = out.implied_domain or named
    return named


_SEEN_VERB_RE = re.compile(rf"\b(watched|{_READ}|listened)\b|(看|读|听)(?:过|完)")  # "heard" may be hearsay
_SEEN_VERB_DOMAIN = {**_VERB_DOMAIN, "看": "movie", "读": "book", "听": "music"}
