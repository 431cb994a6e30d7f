"""`extract`: one utterance through the steps, each blanking what it explained.

Entities -> references -> years -> domain -> moods and facets -> polarity.
"""

from __future__ import annotations

import re

from bot.understand.cues import (
    _ASIDE_QUESTION_RE,
    _CUE_RE,
    _FIGURE_RE,
    _ITEM_REMARK_RE,
    _POST_NEG_RE,
    _POST_TOL_RE,
    about_bot,
)
from bot.understand.domain import _DOMAIN_RE, _find_domain, fiction_domain
from bot.understand.facets import _assign_facets, _find_facets, _find_moods, _settle_overlaps, situational
from bot.understand.feedback import find_feedback
from bot.understand.lexicon import Lexicon
from bot.understand.model import Extraction, _add, _Masked
from bot.understand.novelty import novelty_spans
from bot.understand.references import BY_THAT_MAKER_RE, _find_pronoun_people, _find_references
from bot.understand.text import clean_text
from bot.understand.titles import _assign_entities, _find_entities, famous_people
from bot.understand.vocab import MAX_CHARS, MAX_MENTIONS, NATIONS, RECENT_SPAN, LinkTitles, this_year
from bot.understand.years import HOLLYWOOD_AGE_RE, _find_years
from bot.understand.zh import extract_zh, has_han
from bot.understand.zh_vocab import DOMAINS as ZH_DOMAINS
from retrieval.items import DOMAINS

_NEG_BEFORE_NAME_RE = re.compile(r"\b(?:no more|no|not|nothing by|nothing from|nothing|without|except|"
                                 r"anything but|never|skip|avoid|just not)\s+(?:(?:by|from|the|any)\s+)*$")


_SELF_CORRECT_RE = re.compile(r"\b(?:no wait|wait no|no no|scratch that|or rather|no actually|"
                              r"actually no,?\s+(?:make it|let'?s do|let'?s go with|i'?d rather))\b")
# "...a jazz brunch with my boss, so tonight I need the complete opposite. punk": what came before is the
# scene it is set against, not a wish ("the opposite of boring" names what it is, and is left alone)
_OPPOSITE_RE = re.compile(r"\b(?:want|need|give me|craving|after|looking for|in the mood for)\s+"
                          r"(?:the|something)?\s*(?:complete|exact|total|polar|very|absolute)?\s*"
                          r"opposite\b(?!\s+of\b)", re.I)
_SENTENCE_END_RE = re.compile(r"(?<![.])[.!?;](?![.])\s")
_HOW_OR_WHEN_RE = re.compile(r"\bas (?:hell|heck|fuck|f\*+ck)\b|\baf\b|"
                             # when, not what: "I read A Christmas Carol last winter", "loved it as a kid"
                             r"\b(?:last|this|next|every|all|(?:since|during|until|till|by) the) "
                             r"(?:winter|summer|spring|autumn|fall|christmas)\b|"
                             r"\b(?:as|when i was) a (?:kid|child|teen|teenager|boy|girl)\b|"
                             r"\bback (?:in|at) (?:college|school|uni|university|high school|the day)\b|"
                             r"\b(?:[a-z]+-)?in-laws?\b|"  # family, not law: "stuck at my in-laws"
                             r"\bslow (?:reader|readers|at reading)\b")  # how they read, not slow books

# a wish for more of it, not a ban: "not as scary as I hoped", "wasn't funny enough"
_WANTED_MORE_RE = re.compile(
    r"\b(?:not|wasn'?t|isn'?t|weren'?t|aren'?t)\s+(?:as|so)\s+(?P<body>[\w\s-]{1,30}?)\s+as\s+(?:i|we)\s+(?:had\s+)?"
    r"(?:hoped|expected|wanted|thought|would have liked)\b|"
    r"\b(?:not|wasn'?t|isn'?t|weren'?t|aren'?t)\s+(?P<body2>[\w-]+)\s+enough\b")


def extract(
    utterance: str,
    lexicon: Lexicon,
    link_titles: LinkTitles | None = None,
    *,
    domain_hint: str | None = None,
    ref_year: int | None = None,
    recent_span: int = RECENT_SPAN,
) -> Extraction:
    """Understand one utterance (English, or Chinese and mixed text through bot/understand/zh.py)."""
    if isinstance(utterance, str) and about_bot(utterance[:200]):
        return Extraction()  # "are you a robot?" asks for no robots
    if isinstance(utterance, str) and has_han(utterance[:MAX_CHARS * 2]):
        out = extract_zh(utterance, lexicon, link_titles, english=_extract_en, domain_hint=domain_hint,
                         ref_year=ref_year or this_year())
    else:
        opposite = _OPPOSITE_RE.search(utterance[:MAX_CHARS]) if isinstance(utterance, str) else None
        out = _extract_en(utterance[opposite.start():] if opposite else utterance, lexicon, link_titles,
                          domain_hint=domain_hint, ref_year=ref_year, recent_span=recent_span)
        if opposite and out.domain is None:  # "watched Top Gun six times... I need the opposite": a film
            whole = _extract_en(utterance, lexicon, link_titles, domain_hint=domain_hint)
            out.domain, out.implied_domain = whole.domain, out.implied_domain or whole.implied_domain
    text = utterance if isinstance(utterance, str) else ""
    if out.domain is None:
        out.implied_domain = _form_domain(out, lexicon, domain_hint) or out.implied_domain
    if out.dislikes and _names_every_domain(text[:MAX_CHARS]) and (
            out.domain is None or _ANYWHERE_RE.search(text[:MAX_CHARS].lower())):
        out.everywhere = True  # "nothing gory please, in anything: films, books, whatever"
        out.domain = None  # "movie、book、music 都别给我 sad 的" names them all, and asks for none yet
    _surnames_elsewhere(out, text[:MAX_CHARS], lexicon)
    out.by_referenced = not (out.creators or out.excluded_creators) and bool(
        BY_THAT_MAKER_RE.search(text[:MAX_CHARS].lower()))  # "anything else by that author?"
    if ruled_out := {c for c in set(out.excluded_creators) & set(out.creators)
                     if out.creator_roles.get(c) != "style"}:
        # "男朋友把芬奇的电影全刷完了，除了芬奇，还有谁…": the ban wins over the remark that named
        # him; a style stays ("in the style of Tarantino, not Tarantino himself": like his, none of his)
        out.creators = [c for c in out.creators if c not in ruled_out]
        out.creator_roles = {c: r for c, r in out.creator_roles.items() if c not in ruled_out}
    praised = [t for t in out.liked_titles if t.startswith("@") and t not in out.seen_titles]
    if out.seen_titles and _SIMILAR_RE.search(text[:MAX_CHARS]) and not praised:
        # "seen Alien and Aliens, all great, more in that vein?"; but in "seen the first, the second looks
        # good, more like that" (第一部看过了，第二部不错，再来几部类似的) the similar ones are the second's
        for title in out.seen_titles:
            if title not in out.disliked_titles:
                _add(out.liked_titles, title)
    skipped = set(out.disliked_titles) & set(out.seen_titles)
    if skipped and not _VERDICT_RE.search(text[:MAX_CHARS]):
        # "not Children of Men though, saw that one", "不要 La La Land，已经看了三遍了": seen, not judged
        out.disliked_titles = [t for t in out.disliked_titles if t not in skipped]
    return out


def _surnames_elsewhere(out: Extraction, text: str, lexicon: Lexicon) -> None:
    """A last name alone, in a request for another domain than the only person of that name works in,
    means someone the catalog lacks: "poems by Keats" is John Keats, not Steven Keats (an actor in films),
    so the limit names "Keats" (nothing by him here), not the actor's films. The best-known people
    ("a King novel") and names written in full keep their person."""
    domain = out.domain or out.implied_domain
    if domain is None or not (out.creators or out.excluded_creators):
        return
    low = text.lower()
    for names in (out.creators, out.excluded_creators):
        for n, name in enumerate(names):
            parts, domains = name.split(), lexicon.creator_domains.get(name)
            if (len(parts) < 2 or not domains or domain in domains or name in famous_people()
                    or name.lower() in low or parts[-1].lower() not in low):
                continue
            names[n] = parts[-1]
            if name in out.creator_roles:
                out.creator_roles[parts[-1]] = out.creator_roles.pop(name)


# a verdict on a title also seen ("I've seen Jaws and hated it"), not only a pass on it
_VERDICT_RE = re.compile(r"\b(?:hat(?:e|ed|ing)|dislike[ds]?|didn'?t (?:like|enjoy|love)|boring|awful|"
                         r"terrible|bad|worst|sucked|overrated|can'?t stand|again)\b|讨厌|难看|不好看|不喜欢|"
                         r"无聊|烂|一般|又是|腻", re.I)


# Facets that name a form only one domain has: "jazz" is music, "short stories" books. Music genres
# the catalog holds only as music, except words that describe films and books as well.
_FORM_DOMAIN = {"documentary": "movie", "poetry": "book", "short stories": "book", "slasher": "movie",
                "animated": "movie", **{f"{nation} fiction": "book" for nation in NATIONS}}  # "russian lit"
_NOT_A_FORM = frozenset({
    "dark", "movie", "modern", "contemporary", "german", "game", "live", "mix", "exotic", "world",
    "traditional", "abstract", "experimental", "compilation", "melodic", "alternative", "indie", "minimal",
    "psychedelic", "fusion", "freestyle", "industrial", "noise", "drone", "vocal", "acoustic", "ballad",
    "radioshow", "stage & screen", "field recording"})
# asking for more of what was just named: a seen title is then also a liked one
_SIMILAR_RE = re.compile(
    r"\b(?:similar|more like (?:it|that|this|those|these|them)|(?:in|along) (?:that|the same|those) (?:vein|"
    r"lines)|more of the same|same (?:vibe|feel|kind)|(?:all|both) (?:great|good|amazing|awesome|loved)|"
    r"loved (?:both|them|all|it)|twice|on repeat|(?:\w+|a million|a hundred) times|"
    r"more [\w\s-]{0,30}? like (?:it|that|this|those|these|them)|what other \w+ would (?:she|he|they|i|we) "
    r"(?:love|like|enjoy))\b|类似|差不多的|像(?:这|那)样|一样的|都很(?:好|棒|喜欢)|还想要|"
    r"还有这种|这种的|[好几两三四五六七八九十多]遍", re.I)


_ANYWHERE_RE = re.compile(r"\b(?:in|for) (?:anything|everything|any of (?:them|it))\b|"
                          r"\bwhatever (?:it is|the medium)\b|不管|无论|都别|都不要|什么都不要|一律")
# the Chinese domain nouns (one-character verbs such as 听 and 读 name no domain on their own here)
_ZH_DOMAIN_RE = re.compile("|".join(sorted((w for w in ZH_DOMAINS if len(w) > 1 or w in "书歌"), key=len,
                                           reverse=True)))


def _names_every_domain(text: str) -> bool:
    """Does the message say its wishes hold whatever the domain: several domains named together, or
    "in anything"?"""
    low = text.lower()
    named = {m.lastgroup for m in _DOMAIN_RE.finditer(low)}
    named |= {ZH_DOMAINS[m.group()] for m in _ZH_DOMAIN_RE.finditer(text)}
    return len(named) >= 2 or bool(_ANYWHERE_RE.search(low))


def _form_domain(out: Extraction, lexicon: Lexicon, domain_hint: str | None) -> str | None:
    """The domain a form-facet names ("early 90s hip hop", "anything but rap", "documentaries"). Only
    liked forms count once a domain is in force: "no rap" while choosing films keeps the films."""
    facets = out.likes + out.reversals + ([] if domain_hint in DOMAINS else out.dislikes)
    forms = {_FORM_DOMAIN[f] for f in facets if f in _FORM_DOMAIN}
    if len(forms) == 1:
        return forms.pop()  # "a documentary about hip hop": the form asked for, whatever it is about
    found = {"music" for f in facets if f not in _NOT_A_FORM and set(lexicon.counts.get(f, {})) == {"music"}}
    return found.pop() if len(found | forms) == 1 else None


_FOR_ADULTS_RE = re.compile(r"\bfor (?:adults|grown-?ups|grown ups|a grown-?up)\b|\b(?:grown-?up|adult) "
                            r"(?:fantasy|animated|animation|cartoons?|fairy tales?)\b")
# asked of the other person: "I never saw the originals, not a fan of pixar?"
_NOT_A_FAN_QUESTION_RE = re.compile(r"(?<!\bi'm )(?<!\bi am )(?<!\bim )(?<!\bi’m )"
                                    r"\bnot\s+(?:a\s+)?(?:big\s+|huge\s+)?fan\s+of\s+[^.!?\n,;]{1,30}\?")
# what a person is or is not, said of them: no wish of the user's
_PERSON_REMARK_RE = re.compile(r"\s+(?:is|was|isn'?t|wasn'?t|is not|was not|ain'?t|can be|gets)\s+"
                               r"(?:not\s+)?(?:that|very|really|so|too|always|kind of|pretty|quite)?"
                               r"\s*[\w-]+")


def _extract_en(
    utterance: str,
    lexicon: Lexicon,
    link_titles: LinkTitles | None = None,
    *,
    domain_hint: str | None = None,
    ref_year: int | None = None,
    recent_span: int = RECENT_SPAN,
) -> Extraction:
    """Understand one utterance. Never raises on any text; input is cut at MAX_CHARS.

    `link_titles(text)` returns (span, item id) pairs, e.g. `title_index_linker(items)`;
    without it, titles are taken from quotes and capitalised words after a cue.
    `domain_hint` is the domain of the conversation so far; it only picks between a
    synonym's facets and never becomes the extraction's domain. "Recent" means the last
    `recent_span` years before `ref_year` (default: this year, from today's date).
    """
    ref_year = ref_year or this_year()
    text = clean_text(utterance or "")
    out = Extraction()
    if not text.strip():
        return out
    work = _Masked(text)

    entities = _find_entities(text, work.text, lexicon, link_titles)
    role_domain, verb_domain = _assign_entities(work, entities, out)
    for ent in entities:
        work.blank(ent.start, ent.end)
        if ent.kind == "creator" and (ent.ref or ent.text) in out.excluded_creators:
            cue = _NEG_BEFORE_NAME_RE.search(work.text, max(0, ent.start - 30), ent.start)
            if cue:  # "crime thrillers, no tarantino": the "no" was about him, not the thrillers
                work.blank(cue.start(), ent.start)
    faulted = _find_references(work, [e for e in entities if e.kind == "title"], out)
    titles = tuple((e.start, e.end) for e in entities if e.kind == "title")
    ref_domain = find_feedback(work, out, titles=titles)  # "number 3 is going straight on my list"
    _find_pronoun_people(work.text, entities, out)

    for m in _HOW_OR_WHEN_RE.finditer(work.text):  # "cheesy as hell": only how cheesy
        work.blank(m.start(), m.end())
    for m in _WANTED_MORE_RE.finditer(work.text):  # "not as scary as I hoped" wants it scarier
        body = "body" if m.group("body") else "body2"
        work.blank(m.start(), m.start(body))
        work.blank(m.end(body), m.end())
    for start, end in novelty_spans(work.text):  # "less mainstream hip hop" does not avoid hip hop
        work.blank(start, end)
    out.year_min, out.year_max, out.recent = _find_years(work, ref_year, recent_span)
    out.domain = _find_domain(work.text, entities) or role_domain or ref_domain  # "the second song's nice"
    low = text.lower()
    out.implied_domain = (verb_domain or out.implied_domain
                          or fiction_domain(low, any(e.kind == "title" and e.ref for e in entities))
                          or ("movie" if HOLLYWOOD_AGE_RE.search(low) else None))  # "old Hollywood stuff"

    domain = out.domain or (domain_hint if domain_hint in DOMAINS else None)
    post_spans = [m.span() for rx in (_POST_TOL_RE, _POST_NEG_RE) for m in rx.finditer(work.text)]
    post_spans += [m.span() for m in _ASIDE_QUESTION_RE.finditer(work.text)]  # "is it scary?"
    post_spans += [m.span() for m in _NOT_A_FAN_QUESTION_RE.finditer(work.text)]  # "not a fan of pixar?"
    post_spans += [m.span() for m in _ITEM_REMARK_RE.finditer(work.text)]  # "I don't think it was scary"
    post_spans += [m.span() for m in _FIGURE_RE.finditer(work.text)]  # "it gave me chills"
    post_spans += [(e.end, m.end()) for e in entities if e.kind == "creator"  # "Owen Wilson isn't that funny"
                   for m in [_PERSON_REMARK_RE.match(work.text, e.end)] if m]
    hits = [h for h in _find_moods(work) + _find_facets(work, lexicon, domain)
            if not any(s < h.end and h.start < e for s, e in post_spans)  # "gives me nightmares"
            and not situational(low, h, lexicon)]  # "exchange student in ohio"
    hits = sorted(hits, key=lambda h: h.start)[:MAX_MENTIONS]
    for m in _SELF_CORRECT_RE.finditer(work.text):  # "some jazz... no wait, swing": swing only
        if any(h.start >= m.end() for h in hits):
            start = max((b.end() for b in _SENTENCE_END_RE.finditer(work.text, 0, m.start())), default=0)
            hits = [h for h in hits if not start <= h.start < m.start()]
    cue_text = work.text  # cues are read with the facet words still in place...
    cues = [(m.start(), m.end(), m.lastgroup or "") for m in _CUE_RE.finditer(cue_text)]
    hits, cues = _settle_overlaps(hits, cues)
    for hit in hits:
        work.blank(hit.start, hit.end)  # ...and clauses with them blanked ("crime, thrillers and mystery")
    _assign_facets(cue_text, work.text, hits, cues, lexicon, domain, out, faulted)
    if _FOR_ADULTS_RE.search(low):  # "a fantasy book for grown-ups": less of what is for children
        kids = {"book": ("children's books",), "movie": ("family",)}
        for kid in kids.get(domain or out.implied_domain or "", ("family", "children's books")):
            if kid in lexicon.counts and kid not in out.likes:
                _add(out.dislikes, kid)
                _add(out.soft_dislikes, kid)
    return out
