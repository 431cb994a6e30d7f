"""Chinese and mixed Chinese/English understanding: the same `Extraction` as the English steps give.

Chinese has no spaces: the text is segmented by longest match over the word table of zh_vocab.py (no
segmenter: a general-purpose one cuts 恐怖片 or 不喜欢 in places the table does not want).
Steps, each blanking what it explained, as in the English pipeline:

    quoted titles (《…》, 「…」, "…") -> references to shown items (第二个不错, 这个看过了)
    -> years (90年代, 2010年以后, 最近的) -> Latin-script spans (titles through the catalog linker,
    creators, English words; a span with its own English cue goes through the English steps)
    -> the Chinese table (facets, cues, domain words) -> a polarity for each mention per clause.

Negation scope: a verb negation (不要, 不喜欢, 讨厌, 别) runs to the end of the clause; a negated adjective
(不, 太, 不能太, 不那么) stops at 的 ("不恐怖的喜剧": a comedy, not scary). A cue after the mentions
applies back ("恐怖片就算了", "恐怖片，不要"). 除了…以外 negates unless 还/也 follows. Critiques of
the picks on screen (老一点的, 换一批): zh_critique.py; wordings that re-settle a verdict: zh_revise.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.understand.cues import _CLAUSE_RE, _CUE_RE
from bot.understand.domain import _DOMAIN_RE
from bot.understand.facets import _find_facets, _find_moods
from bot.understand.feedback import find_feedback
from bot.understand.lexicon import Lexicon, _name_key
from bot.understand.model import Extraction, _add, _Masked
from bot.understand.text import _WORD_RE, clean_text, phrase_key
from bot.understand.vocab import MOODS, REF_YEAR, LinkTitles, Targets, implied_among, overruled_guesses
from bot.understand.years import _find_years
from bot.understand.zh_aliases import find_aliases, link_whole, load_aliases, person_role
from bot.understand.zh_refs import LIKE_BEFORE_RE, _find_refs, kind_by_words, ruled_out_people
from bot.understand.zh_revise import (
    as_said,
    blank_reactions,
    blank_tv,
    except_kind,
    revise,
    yes_no_about_item,
)
from bot.understand.zh_vocab import (
    AUDIOBOOK_BEFORE_RE,
    CUE_DOMAIN,
    CUES,
    DOMAIN_SUFFIX,
    DOMAINS,
    FACET_DOMAIN,
    FACETS,
    GLUE,
    OCCASION_GUESSES,
    OCCASION_TARGETS,
    audience,
    told_not_wished,
)
from bot.understand.zh_years import cn_number, find_years_zh, settle_years
from retrieval.items import DOMAINS as DOMAIN_NAMES

English = Callable[..., Extraction]  # bot.understand.pipeline's English extract, passed in (no cycle)

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{_HAN}]")
_HAN_RUN_RE = re.compile(f"[{_HAN}]+")

# word -> (kind, value); facets win over domain words, domain words over cues
_TABLE: dict[str, tuple[str, object]] = {w: (k, None) for w, k in CUES.items()}
_TABLE.update({w: ("dom", d) for w, d in DOMAINS.items()})
_TABLE.update({w: ("facet", t if isinstance(t, dict) else {None: t}) for w, t in FACETS.items()})
_TABLE.update({"的": ("de", None), "除了": ("except", None), "以外": ("endx", None), "之外": ("endx", None)})
_MAXLEN = max(map(len, _TABLE))
_MENTIONS = ("facet", "title", "creator")
_CUE_KINDS = ("neg", "nadj", "pneg", "ptol", "tol", "good", "bad", "seen", "pos", "undo")


def has_han(text: str) -> bool:
    return bool(_HAN_RE.search(text or ""))


@dataclass
class _Tok:
    start: int
    end: int
    kind: str  # a CUES kind, "facet", "dom", "title", "creator", "de", "endx"
    targets: Targets | None = None
    value: str = ""  # the domain, the title as written, the creator's name
    ref: str | None = None  # a linked title's catalog id
    strong: bool = True  # a title named for sure (quoted, linked); a weak one needs a cue


# -- Latin-script spans: titles, creators, English words -----------------------------------------------

_LATIN_RE = re.compile(r"[a-z0-9][a-z0-9'&:.!?/\- ]*")
_QUOTED_RE = re.compile(r"《([^《》\n]{1,100})》|「([^「」\n]{1,100})」|\"([^\"\n]{1,100})\"")
_EN_CUE_RE = re.compile(r"\b(?:loved?|liked?|enjoyed|hated?|seen|watched|read|by|similar|more like)\b")
_CREATOR_AFTER = "的导写拍唱演"  # "Tolkien的书": the person
_STYLE_OF_RE = re.compile(r"(?:像|类似)\s*$")  # "像 Hemingway 那样写": his style (but "别是 Marvel 那种")
_PLACE_BEFORE_RE = re.compile(r"(?:在|去|到|住|来自|飞|回)\s*$")  # "周末飞 Tokyo": the city


def _latin(text: str, work: _Masked, lex: Lexicon, link_titles: LinkTitles | None, domain: str | None,
           english: English, ref_year: int, toks: list[_Tok], bounds: list, subs: list[Extraction]) -> None:
    for m in list(_LATIN_RE.finditer(work.text)):
        s, e = m.start(), m.start() + len(m.group().rstrip(" .!?:'-/"))
        orig, low = text[s:e], work.text[s:e]
        words = _WORD_RE.findall(low)
        if not words or all(w.isdigit() for w in words):
            continue
        work.blank(s, e)
        if len(words) >= 2 and (_CUE_RE.search(low) or _EN_CUE_RE.search(low)):
            sub = english(orig, lex, link_titles, domain_hint=domain, ref_year=ref_year)
            subs.append(sub)  # an English clause inside Chinese text: its own cues decide
            if sub.domain:
                toks.append(_Tok(s, e, "dom", value=sub.domain))
            continue
        key = _name_key(orig)
        after = text[e:e + 2].strip()[:1]
        place = _PLACE_BEFORE_RE.search(text, max(0, s - 4), s)  # "故事发生在 Paris 的": no person, no title
        styled = after == "那" and _STYLE_OF_RE.search(text, max(0, s - 3), s)
        surname = key in lex.surnames and orig[:1].isupper() and bool(after) and (
            after in _CREATOR_AFTER or styled) and not place
        genre = orig == low and phrase_key(orig) in lex.phrases  # "action 片" is the genre, not a band
        if (key in lex.creators and not genre) or surname:  # "Tolkien的书": a last name with a possessive
            toks.append(_Tok(s, e, "creator", value=lex.creators.get(key) or lex.surnames[key]))
            continue
        item_id = None if place else link_whole(orig, link_titles)
        is_phrase = phrase_key(orig) in lex.phrases
        plain = orig == low and (all(w in lex.common_words for w in words)  # "black-and-white 电影"
                                 or any(rx.fullmatch(low.strip()) for rx, _ in MOODS))  # "今晚 date night"
        if item_id and (orig != low or (len(words) >= 2 and not is_phrase and not plain)):
            toks.append(_Tok(s, e, "title", value=orig, ref=item_id))
            continue
        sub_work = _Masked(orig)
        lo, hi, vague = _find_years(sub_work, ref_year)  # a vague "newer" yields to a year said in Chinese
        bounds += [("vmin" if vague else "min", lo)] * (lo is not None) + [("max", hi)] * (hi is not None)
        hits = _find_moods(sub_work) + _find_facets(sub_work, lex, domain)
        toks += [_Tok(s + h.start, s + h.end, "facet", targets=h.targets) for h in hits]
        toks += [_Tok(s + d.start(), s + d.end(), "dom", value=d.lastgroup or "")
                 for d in _DOMAIN_RE.finditer(low)]
        for c in _CUE_RE.finditer(low):
            kind = {"neg": "neg", "pos": "pos", "tol": "tol"}.get(c.lastgroup or "")
            if kind:
                toks.append(_Tok(s + c.start(), s + c.end(), kind))
        if not hits and orig[:1].isupper() and not is_phrase and not _DOMAIN_RE.fullmatch(low):
            toks.append(_Tok(s, e, "title", value=orig, strong=False))  # "Inceptoin": the manager may find it


# -- the Chinese table ----------------------------------------------------------------------------------

def _segment(text: str, toks: list[_Tok]) -> None:
    """Longest match over the table at each Chinese character."""
    i, n = 0, len(text)
    while i < n:
        if not _HAN_RE.match(text[i]):
            i += 1
            continue
        for size in range(min(_MAXLEN, n - i), 0, -1):
            entry = _TABLE.get(text[i:i + size])
            if entry is not None:
                break
        else:
            i += 1
            continue
        kind, value = entry
        word, end = text[i:i + size], i + size
        if kind == "facet":
            toks.append(_Tok(i, end, "facet", targets=value))  # type: ignore[arg-type]
            domain = FACET_DOMAIN.get(word) or DOMAIN_SUFFIX.get(text[end:end + 1])
            if domain:
                end += 0 if word in FACET_DOMAIN else 1
                toks.append(_Tok(i, end, "dom", value=domain))
        elif kind == "dom":
            toks.append(_Tok(i, end, "dom", value=str(value)))
        elif kind == "except":
            cue, _ = except_kind(text, end)
            toks.append(_Tok(i, end, cue))
        elif kind != "skip":
            toks.append(_Tok(i, end, kind))
            if word in CUE_DOMAIN:
                toks.append(_Tok(i, end, "dom", value=CUE_DOMAIN[word], strong=False))
        i = end


def _unknown_words(text: str, toks: list[_Tok], match: Callable[[str], str | None]) -> list[_Tok]:
    """Runs of Chinese characters no table word covered ("关于火星" in 有没有关于火星的科幻小说), matched to a
    facet by the multilingual embedder (bot/understand/zh_fallback.py)."""
    covered = [False] * len(text)
    for tok in toks:
        covered[tok.start:tok.end] = [True] * (tok.end - tok.start)
    out: list[_Tok] = []
    for m in _HAN_RUN_RE.finditer(text):
        start = m.start()
        for i in range(m.start(), m.end() + 1):
            if i == m.end() or covered[i]:
                if i - start >= 2:
                    facet = match(text[start:i])
                    if facet is not None:
                        out.append(_Tok(start, i, "facet", targets={None: (facet,)}))
                start = i + 1
    return out


# -- polarity ----------------------------------------------------------------------------------------------

# an emoji ends a clause too ("狗子终于睡着了🐶 来部别太长的")
_BREAK_RE = re.compile(r"[,.!?;:。！？；：\n]+|[()（）]|[\U0001F300-\U0001FAFF\u2600-\u27BF]+")


class _Verdicts:
    """Polarity per facet (the latest mention decides), and what each title is."""

    def __init__(self) -> None:
        self.facets: dict[int, tuple[_Tok, str, bool]] = {}  # id(tok) -> (tok, polarity, revised)
        self.titles: dict[int, tuple[_Tok, str]] = {}

    def settle(self, toks: list[_Tok], pol: str, revised: bool = False) -> None:
        title_kind = {"pos": "liked", "neg": "disliked", "tol": "liked", "seen": "seen", "good": "liked",
                      "bad": "disliked"}
        for tok in toks:
            if tok.kind == "facet" and pol in ("pos", "neg", "tol", "good", "bad", "seen"):
                facet_pol = {"good": "pos", "bad": "neg", "seen": "pos"}.get(pol, pol)
                self.facets[id(tok)] = (tok, facet_pol, revised)
            elif tok.kind in ("title", "creator") and pol in title_kind:
                self.titles[id(tok)] = (tok, title_kind[pol])

    def withdraw(self, toks: list[_Tok]) -> None:
        for tok in toks:
            self.facets.pop(id(tok), None)

    def add_titles(self, toks: list[_Tok], kind: str) -> None:
        """A second verdict on titles ("seen" and "liked"), kept beside the first."""
        for tok in toks:
            self.titles[-id(tok)] = (tok, kind)


_Clause = tuple[int, int, list[_Tok]]  # start, end, the tokens in it


def _clauses(low: str, toks: list[_Tok], latin_view: str) -> list[_Clause]:
    cuts = sorted({m.start() for m in _BREAK_RE.finditer(low)} | {t.start for t in toks if t.kind == "brk"}
                  | {m.start() for m in _CLAUSE_RE.finditer(latin_view) if m.group().strip()} | {len(low)})
    out: list[_Clause] = []
    start, ordered, n = 0, sorted(toks, key=lambda t: (t.start, t.end)), 0
    for cut in cuts:
        inside = []
        while n < len(ordered) and ordered[n].start < cut:
            if ordered[n].kind != "brk":
                inside.append(ordered[n])
            n += 1
        if inside:
            out.append((start, cut, inside))
        start = cut
    return out


def _assign(clauses: list[_Clause], low: str) -> _Verdicts:
    v = _Verdicts()
    carry: list[_Tok] = []  # mentions of the last clause no cue touched ("恐怖片，不要")
    seen: list[_Tok] = []  # titles the last clause said were seen ("看过《X》，很喜欢")
    wished: list[_Tok] = []  # facets the last clause asked for
    titled: list[_Tok] = []  # titles the last clause named
    prev_neg = False
    for c_start, c_end, clause in clauses:
        asked = low[c_start:c_end].rstrip().endswith("吗") or low[c_end:c_end + 1] in ("?", "？")
        if asked and yes_no_about_item(low, c_start, c_end):
            carry, seen, wished, prev_neg = [], [], [], False
            continue
        mentions = [t for t in clause if t.kind in _MENTIONS]
        revised = any(t.kind == "rev" for t in clause)
        if not mentions:
            cue = next((t.kind for t in clause if t.kind in _CUE_KINDS), None)
            if cue == "undo":
                v.withdraw(carry + wished)
            elif cue and carry and cue != "pos" and _bare_cue(low, c_start, c_end, clause):
                v.settle(carry, {"nadj": "neg", "pneg": "neg", "ptol": "tol"}.get(cue, cue))
            elif cue == "pneg" and wished:  # "想看喜剧……算了": the wish is withdrawn, not a dislike
                v.withdraw(wished)
            if cue in ("good", "bad", "pos") and seen:  # seen and liked (or not): both
                v.add_titles(seen, "disliked" if cue == "bad" else "liked")
            elif cue == "seen" and titled:  # "她最喜欢《简爱》，前前后后读了好多遍": liked and read
                v.add_titles(titled, "seen")
            carry, seen, wished, titled = [], [], [], []
            continue
        titled = [t for t in mentions if t.kind == "title"]
        pol: str | None = None
        adjective = False
        pending: list[_Tok] = []
        for n, tok in enumerate(clause):
            k = tok.kind
            if k in ("neg", "nadj", "pos", "tol", "seen"):
                later = any(t.kind in _MENTIONS for t in clause[n + 1:])
                if pending and not later and k != "pos":  # "恐怖片我不看"
                    v.settle(pending, "neg" if k == "nadj" else k, revised)
                    pending = []
                pol, adjective = ("neg" if k == "nadj" else k), k == "nadj"
            elif k in ("pneg", "ptol", "good", "bad"):
                v.settle(pending, {"pneg": "neg", "ptol": "tol"}.get(k, k), revised)
                pending = []
            elif k == "sim" and pol is None:
                if pending:  # "《白鲸》那种，但别太长": the title is the likeness, whatever comes next
                    v.settle(pending, "pos", revised)
                    pending = []
                pol = "pos"
            elif k == "endx" and except_kind(low, tok.start)[0] == "neg" and (
                    pending if pol is None else pol == "pos" and clause[n - 1].kind in _MENTIONS):
                v.settle(pending or [clause[n - 1]], "neg", revised)  # "有没有 Agatha Christie 以外的作家"
                pending = []
            elif k == "de" and pol == "neg" and n and clause[n - 1].kind == "creator":
                pol = "by"  # "不要 Adam Sandler 的喜剧": the person is ruled out, not comedy
            elif k in ("de", "endx") and (adjective or k == "endx"):
                pol, adjective = None, False
            elif k in _MENTIONS:
                if pol is None:
                    pending.append(tok)
                elif pol != "by":
                    v.settle([tok], pol, revised)
        if pending and prev_neg and _glue_only(low, c_start, c_end, clause):
            v.settle(pending, "neg")  # "不要恐怖片，还有血腥的"
            pending = []
        told = told_not_wished(low[c_start:c_end]) and not any(t.kind in _CUE_KINDS for t in clause)
        v.settle([t for t in pending if (t.kind != "title" or (t.strong and not asked))
                  and not (told and t.kind == "facet" and not audience(t.targets))], "pos", revised)
        carry = pending
        seen = [t for t in mentions if v.titles.get(id(t), (None, ""))[1] == "seen"]
        wished = [t for t in mentions if v.facets.get(id(t), (None, ""))[1] == "pos"]
        prev_neg = any(v.facets.get(id(t), (None, ""))[1] == "neg" for t in mentions)
    return v


def _bare_cue(low: str, start: int, end: int, clause: list[_Tok]) -> bool:
    """A clause that is only a cue ("恐怖片，不要"), not a cue about words the table lacks ("不要有鬼的")."""
    rest = list(low[start:end])
    for t in clause:
        rest[t.start - start:t.end - start] = [" "] * (t.end - t.start)
    left = sum(1 for c in rest if _HAN_RE.match(c) and c not in GLUE)  # "别太吵" is about loudness
    return left == 0 or (left == 1 and not any(t.kind == "nadj" for t in clause))


def _glue_only(low: str, start: int, end: int, clause: list[_Tok]) -> bool:
    rest = list(low[start:end])
    for t in clause:
        rest[t.start - start:t.end - start] = [" "] * (t.end - t.start)
    return all(c in GLUE or not c.strip() for c in rest)


def _domain(clauses: list[_Clause], low: str) -> str | None:
    """The last domain named outside a negation ("不要电影，看书"; "不要恐怖片" still asks for films); two
    offered as alternatives give none ("书或者电影"). 想看 names films only when nothing else does."""
    found: list[_Tok] = []
    for _, _, clause in clauses:
        negated = False
        for n, tok in enumerate(clause):
            if tok.kind == "neg":  # not 算了 ("pneg"): "算了看本 book" drops what came before, not the book
                negated = True
            elif tok.kind in ("pos", "endx", "facet") or (
                    tok.kind == "de" and n and clause[n - 1].kind == "creator"):
                negated = False  # "不要斯蒂芬·金的书" asks for books, not by him
            elif (tok.kind == "dom" and not negated and tok.value in DOMAIN_NAMES  # 像电影X的小说: a book
                  and not LIKE_BEFORE_RE.search(low, max(0, tok.start - 6), tok.start)
                  and not (tok.value == "music" and AUDIOBOOK_BEFORE_RE.search(low, 0, tok.start))):
                found.append(tok)  # "找个有声书听": listened to, and still a book
    if not any(t.strong for t in found) and kind_by_words(low, True):
        return None  # "刚读完《爱丽丝梦游仙境》，还想看类似的", "想看本书": 看 is reading (or 听) here
    found = [t for t in found if t.strong] or found  # "还是看书吧，想看鬼故事"
    if not found:
        return None
    last = found[-1]
    for prev in reversed(found[:-1]):
        if prev.value != last.value:
            if re.fullmatch(r"[\s的]*(?:或者?|还是|或是|/|or)[\s的]*", low[prev.end:last.start]):
                return None
            break
    return last.value


# -- the whole step ----------------------------------------------------------------------------------------

_AGE_RE = re.compile(r"(?P<n>\d{1,2}|[一二三四五六七八九十两]{1,3})\s*岁")
_TEEN: Targets = {None: ("teen",), "movie": ("teen",), "book": ("children's books",), "music": ()}
_FACET_KIDS: Targets = FACETS["孩子"]  # type: ignore[assignment]


def extract_zh(utterance: str, lexicon: Lexicon, link_titles: LinkTitles | None, *, english: English,
               domain_hint: str | None = None, ref_year: int = REF_YEAR) -> Extraction:
    """Understand Chinese or mixed Chinese/English text. Never raises on any text."""
    text = as_said(clean_text(utterance or ""))
    out, work = Extraction(), _Masked(text)
    blank_tv(work)
    blank_reactions(work)
    low, aliases = work.text, load_aliases()
    toks: list[_Tok] = []
    alias_domains: set[str] = set()
    for m in _QUOTED_RE.finditer(text):
        inner = next(g for g in m.groups() if g is not None).strip()
        if inner:
            en, domain = aliases.titles.get(inner, (inner, ""))  # 《肖申克的救赎》: The Shawshank Redemption
            alias_domains |= {domain} - {""}
            toks.append(_Tok(m.start(), m.end(), "title", value=en, ref=link_whole(en, link_titles)))
            work.blank(m.start(), m.end())
    for start, end, kind, en, domain in find_aliases(work.text, aliases):  # 诺兰, 阿甘正传
        if kind == "person":
            toks.append(_Tok(start, end, "creator", value=en))
        else:
            alias_domains |= {domain} - {""}
            toks.append(_Tok(start, end, "title", value=en, ref=link_whole(en, link_titles)))
        work.blank(start, end)
    _find_refs(work, out, titled=any(t.kind == "title" for t in toks))
    ref_domain = find_feedback(work, out, chinese=True)  # 第二首前奏一出来我就爱了
    bounds, recent = find_years_zh(work, ref_year)
    for m in _AGE_RE.finditer(work.text):
        age = cn_number(m.group("n"))
        if 0 < age < 18:
            toks.append(_Tok(m.start(), m.end(), "facet", targets=_FACET_KIDS if age < 13 else _TEEN))
            work.blank(m.start(), m.end())
    latin_view = "".join(c if c.isascii() else " " for c in work.text)
    subs: list[Extraction] = []
    hint = domain_hint if domain_hint in DOMAIN_NAMES else None
    _latin(text, work, lexicon, link_titles, hint, english, ref_year, toks, bounds, subs)
    _segment(work.text, toks)
    if lexicon.zh_fallback is not None:
        toks += _unknown_words(work.text, toks, lexicon.zh_fallback)
    clauses = _clauses(low, toks, latin_view)
    verdicts = _assign(clauses, low)
    revise(verdicts.facets, low)
    out.domain = _domain(clauses, low) or ref_domain  # 这本讲的是什么？
    domain = out.domain or hint
    polarity: dict[str, str] = {}
    revised: set[str] = set()
    said, guessed = set[str](), set[str]()  # guessed: facets only an occasion's guess gives (飞机上看的书)
    implied: dict[str, str] = {}  # "轻松" says feel-good and implies comedy, as "feel good" does
    for tok, pol, rev in sorted(verdicts.facets.values(), key=lambda x: x[0].start):
        facets = [f for f in lexicon.resolve(tok.targets or {}, domain) if lexicon.is_facet(f)]
        # "写作业的时候听" is an occasion: it says no genre
        by_other = implied_among(facets, any(tok.targets is t for t in OCCASION_TARGETS))
        for facet in facets:
            polarity.pop(facet, None)
            polarity[facet] = pol
            if rev:
                revised.add(facet)
            if facet in by_other:
                implied.setdefault(facet, by_other[facet])
                guessed.update([facet] if any(tok.targets is t for t in OCCASION_GUESSES) else [])
            else:
                said.add(facet)
    overruled = overruled_guesses(guessed, said, polarity)
    for facet, pol in polarity.items():
        if pol == "pos" and facet in implied and facet not in said:
            if facet not in overruled:  # 飞机上看的恐怖小说: the genre said beats the guess
                out.implied_likes[facet] = implied[facet]
        elif pol == "pos":
            out.likes.append(facet)
            if facet in revised:
                out.reversals.append(facet)
        else:
            (out.dislikes if pol == "neg" else out.reversals).append(facet)
    required: set[str] = set()
    for tok, kind in sorted(verdicts.titles.values(), key=lambda x: x[0].start):
        if tok.kind == "creator":
            _add(out.excluded_creators if kind == "disliked" else out.creators, tok.value)  # 不要X的
            role = person_role(low, tok.start, tok.end)
            if kind != "disliked" and role:
                out.creator_roles.setdefault(tok.value, role)
            elif kind != "disliked":
                required.add(tok.value)  # "我爸喜欢成龙，帮他找几部成龙演的": asked for after all
            continue
        if tok.ref:
            out.title_ids[tok.value] = tok.ref
        _add(getattr(out, f"{kind}_titles"), tok.value)
    for name in required:
        if out.creator_roles.get(name) in ("like", "mention"):
            out.creator_roles.pop(name)
    for sub in subs:
        _merge(out, sub)
    people = [(t.end, t.value) for t, _ in verdicts.titles.values() if t.kind == "creator"]
    ruled_out, out.rule_out_previous = ruled_out_people(low, sorted(people))
    for name in ruled_out:
        out.rule_out(name)  # "周星驰的都看过了，别推他的": ruled out, not asked for
    if len(alias_domains) == 1:
        out.implied_domain = alias_domains.pop()  # 《傲慢与偏见》 is the novel
    out.implied_domain = kind_by_words(low, bool(out.seen_titles)) or out.implied_domain
    stated = any(k == "min" for k, _ in bounds)  # "newer 一点的？2015 年以后的": the year says how new
    bounds = [("min", y) for k, y in bounds if k == "vmin" and not stated] + bounds
    out.year_min, out.year_max = settle_years(bounds + [("min", s.year_min) for s in subs if s.year_min]
                                               + [("max", s.year_max) for s in subs if s.year_max])
    out.recent = recent and out.year_min is not None
    return out


def _merge(out: Extraction, sub: Extraction) -> None:
    """An English clause's findings; a facet it decided replaces the Chinese verdict on it."""
    for facet in sub.likes + sub.dislikes + sub.reversals:
        for values in (out.likes, out.dislikes, out.reversals):
            if facet in values:
                values.remove(facet)
    for name in ("likes", "dislikes", "reversals", "liked_titles", "disliked_titles", "seen_titles",
                 "creators", "excluded_creators"):
        for value in getattr(sub, name):
            _add(getattr(out, name), value)
    out.title_ids.update(sub.title_ids)
