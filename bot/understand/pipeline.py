"""`extract`: one utterance through the steps, each blanking what it explained.

Entities -> references -> years -> domain -> moods and facets -> polarity.
"""

from __future__ import annotations

from bot.understand.cues import _ASIDE_QUESTION_RE, _CUE_RE, _POST_NEG_RE, _POST_TOL_RE
from bot.understand.domain import _find_domain
from bot.understand.facets import _assign_facets, _find_facets, _find_moods, _settle_overlaps
from bot.understand.lexicon import Lexicon
from bot.understand.model import Extraction, _Masked
from bot.understand.text import clean_text
from bot.understand.titles import _assign_entities, _find_entities, _find_references
from bot.understand.vocab import MAX_CHARS, MAX_MENTIONS, RECENT_SPAN, LinkTitles, this_year
from bot.understand.years import _find_years
from bot.understand.zh import extract_zh, has_han
from retrieval.items import DOMAINS


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
    if isinstance(utterance, str) and has_han(utterance[:MAX_CHARS * 2]):
        return extract_zh(utterance, lexicon, link_titles, english=_extract_en, domain_hint=domain_hint,
                          ref_year=ref_year or this_year())
    return _extract_en(utterance, lexicon, link_titles, domain_hint=domain_hint, ref_year=ref_year,
                       recent_span=recent_span)


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
    role_domain = _assign_entities(work, entities, out)
    for ent in entities:
        work.blank(ent.start, ent.end)
    _find_references(work, [e for e in entities if e.kind == "title"], out)

    out.year_min, out.year_max, out.recent = _find_years(work, ref_year, recent_span)
    out.domain = _find_domain(work.text, entities) or role_domain

    domain = out.domain or (domain_hint if domain_hint in DOMAINS else None)
    post_spans = [m.span() for rx in (_POST_TOL_RE, _POST_NEG_RE) for m in rx.finditer(work.text)]
    post_spans += [m.span() for m in _ASIDE_QUESTION_RE.finditer(work.text)]  # "is it scary?"
    hits = [h for h in _find_moods(work) + _find_facets(work, lexicon, domain)
            if not any(s < h.end and h.start < e for s, e in post_spans)]  # "gives me nightmares"
    hits = sorted(hits, key=lambda h: h.start)[:MAX_MENTIONS]
    cue_text = work.text  # cues are read with the facet words still in place...
    cues = [(m.start(), m.end(), m.lastgroup or "") for m in _CUE_RE.finditer(cue_text)]
    hits, cues = _settle_overlaps(hits, cues)
    for hit in hits:
        work.blank(hit.start, hit.end)  # ...and clauses with them blanked ("crime, thrillers and mystery")
    _assign_facets(cue_text, work.text, hits, cues, lexicon, domain, out)
    return out
