"""The dialogue manager: one pure step from (state, utterance) to (new state, ranked items, summary).

    understand (bot.understand) -> update the state (likes, dislikes, constraints, critiques: here)
    -> rank (bot.ranking: filters, composed query, FAISS pool, hybrid score, optional rerank, MMR).
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass

from bot import talk
from bot.compose import Interest
from bot.context import Context
from bot.ranking import Recommendation, recommend
from bot.state import CONTEXT_CHARS, DialogueState
from bot.understand import MAX_CHARS, Extraction, extract
from bot.understand.novelty import novelty_request
from bot.understand.text import detect_lang
from bot.understand.zh import critique_text

log = logging.getLogger(__name__)

_LAST_ONE = re.compile(r"\blast one\b|最后一", re.I)
_OLDER = re.compile(r"\b(older|earlier|classic(?:s)?|less recent)\b", re.I)
_NEWER = re.compile(r"\b(newer|more recent|recent ones?|later|modern)\b", re.I)
_REJECT_ALL = re.compile(r"\b(not these|none of (?:these|those|them)|something (?:else|different)|"
                         r"other (?:ones|options))\b", re.I)
_LESS = re.compile(r"\bless (\w+)", re.I)
_LESS_MAP = {"violent": "violence", "scary": "horror", "gory": "gore", "sad": "sad", "dark": "dark",
             "romantic": "romance", "serious": "drama", "long": "long", "slow": "slow", "loud": "loud"}


@dataclass
class StepResult:
    state: DialogueState
    recommendations: list[Recommendation]
    understood: dict
    note: str = ""  # what changed this turn, in words (or a polite error)
    intent: str = "recommend"  # bot.talk.INTENTS: greeting, help, thanks and clarify come without picks


def user_text(utterance: str) -> str:
    """The utterance as the step reads it. JSON may carry lone surrogates ("\\ud800"); the embedder's
    tokenizer raises on them, so they become "?"."""
    if not isinstance(utterance, str):
        return ""
    return utterance.encode("utf-8", "replace").decode("utf-8")


def step(state: DialogueState, utterance: str, ctx: Context, k: int | None = None) -> StepResult:
    """One turn. Never mutates `state`; never raises on user text."""
    new, notes, extra = understand_turn(state, utterance, ctx)
    text = user_text(utterance)
    if len(text) > MAX_CHARS:  # the extractor reads only the start; say so rather than cut silently
        notes.insert(0, f"I read only the first {MAX_CHARS:,} characters of that")
    intent = talk.intent(text, state, new)
    if intent in talk.NO_PICKS:  # talk first; "the second one" still means the last answer's
        new.last_shown = list(state.last_shown)
        return StepResult(new, [], new.summary(), "; ".join(notes), intent)
    notes += talk.which_note(text, state, new, ctx.title_of)
    recs = recommend(new, ctx, k or ctx.config.k, extra, utterance=text[:MAX_CHARS])
    new.last_shown = [r.item.id for r in recs]
    new.recommended = _dedupe(new.recommended + new.last_shown)
    return StepResult(new, recs, new.summary(), "; ".join(notes), intent)


def understand_turn(state: DialogueState, utterance: str, ctx: Context
                    ) -> tuple[DialogueState, list[str], list[Interest]]:
    """The state half of a step: (new state, notes on what changed, this turn's extra interests)."""
    new = copy.deepcopy(state)
    new.turn += 1
    text = user_text(utterance)
    new.lang = detect_lang(text) or new.lang
    wants_novelty = novelty_request(text)
    if wants_novelty is not None:
        new.novelty = wants_novelty
    try:
        ex = extract(text, ctx.lexicon, ctx.link_titles, domain_hint=new.constraints.domain)
    except Exception:  # the extractor promises not to raise; this keeps the chat alive if it does
        log.exception("extraction failed")
        ex = Extraction()
    if ctx.llm_extract is not None and text.strip():
        from bot.llm_understand import combine

        try:
            ex = combine(ex, ctx.llm_extract(text, new.constraints.domain))
        except Exception:
            log.exception("LLM extraction failed; using the rules alone")
    notes = apply_extraction(new, ex, text, ctx.config.stale_domain_weight, ctx)
    explicit_years = ex.year_min is not None or ex.year_max is not None
    critique = apply_critique(new, critique_text(text), ctx, explicit_years=explicit_years)
    notes += critique
    # The learned dialogue query reads what was asked for in English (the embedder's language);
    # critiques ("more like the second one") and bans ("no horror") would pull towards their words.
    if text.strip() and new.lang == "en" and not critique and not (ex.dislikes or ex.disliked_titles):
        new.context = (new.context + " " + text.strip())[-CONTEXT_CHARS:].lstrip()
    # The words themselves carry nuance the tags lose ("mind-bending"), but only when they
    # say what is wanted: embedding "no horror" would pull towards horror.
    positive_only = (ex.likes or ex.liked_titles) and not (ex.dislikes or ex.disliked_titles or ex.reversals)
    extra = []
    if positive_only and new.lang == "en":  # the English embedder reads no Chinese: the facets carry it
        extra.append(Interest(ctx.facet_vector(text[:500]), ctx.config.utterance_weight, new.turn))
    return new, notes, extra


def feedback(state: DialogueState, item_id: str, liked: bool) -> DialogueState:
    """A thumbs up or down on a shown item."""
    new = copy.deepcopy(state)
    if liked:
        new.liked_items = _dedupe(new.liked_items + [item_id])
        new.rejected = [i for i in new.rejected if i != item_id]
    else:
        new.rejected = _dedupe(new.rejected + [item_id])
        new.liked_items = [i for i in new.liked_items if i != item_id]
    return new


def resolve_title(
    span: str, ex: Extraction, state: DialogueState, text: str, ctx: Context | None = None,
    notes: list[str] | None = None,
) -> str | None:
    """A catalog id for a title span, or for a marker pointing at the last answer ("@2", "@last")."""
    if not span.startswith("@"):
        if ctx is None:
            return ex.title_ids.get(span)
        item_id, note = ctx.link_title(span, ex.title_ids.get(span), ex.domain or state.constraints.domain)
        if note and notes is not None:
            notes.append(note)
        return item_id
    shown = state.last_shown
    if not shown:
        return None
    if span == "@last":  # "that one" is the top pick; "the last one" the bottom one
        return shown[-1] if _LAST_ONE.search(text) else shown[0]
    n = int(span[1:]) if span[1:].isdigit() else 0
    return shown[n - 1] if 1 <= n <= len(shown) else None


def apply_extraction(
    state: DialogueState,
    ex: Extraction,
    text: str = "",
    stale_weight: float = 0.3,
    ctx: Context | None = None,
) -> list[str]:
    notes: list[str] = []
    title_of = ctx.title_of if ctx else str

    def resolve(span: str) -> str | None:
        return resolve_title(span, ex, state, text, ctx, notes)

    for facet in ex.reversals:
        if state.accept(facet):
            notes.append(f"{facet} is fine again")
    for facet in ex.likes:
        state.add_like(facet)
    for facet in ex.dislikes:
        state.add_dislike(facet)
    seen = {resolve(s) for s in ex.seen_titles} - {None}
    for span in ex.liked_titles:
        item_id = resolve(span)
        if item_id:
            state.liked_items = _dedupe(state.liked_items + [item_id])
            state.seen = _dedupe(state.seen + [item_id])
            if span.startswith("@"):
                notes.append(f"more like {title_of(item_id)}")
    for span in ex.disliked_titles:
        item_id = resolve(span)
        if item_id and item_id not in seen:  # "not that one, I've seen it" is not a verdict on it
            state.disliked_items = _dedupe(state.disliked_items + [item_id])
            notes.append(f"dropping {title_of(item_id)}")
    for item_id in sorted(seen):
        state.seen = _dedupe(state.seen + [item_id])
        notes.append(f"skipping {title_of(item_id)}, already seen")
    c = state.constraints
    if ex.domain and ex.domain != c.domain:
        if c.domain is not None:
            # A new domain ("now a book for my dad"): limits set for the old one no longer apply,
            # and earlier likes are kept but count less.
            c.year_min = c.year_max = None
            c.creators = []
            for f in state.likes:
                if f.turn < state.turn:
                    f.weight *= stale_weight
        if ctx is not None:  # "the book" after "I loved Pride and Prejudice": re-link to the novel
            state.liked_items = [ctx.same_title_in(i, ex.domain) or i for i in state.liked_items]
        c.domain = ex.domain
        notes.append(f"now looking for {ex.domain}s" if ex.domain != "music" else "now looking for music")
    if ex.year_min is not None or ex.year_max is not None:
        c.year_min, c.year_max = ex.year_min, ex.year_max
    for name in ex.creators:
        if name.lower() not in (n.lower() for n in c.creators):
            c.creators.append(name)
    return notes


def apply_critique(state: DialogueState, text: str, ctx: Context, explicit_years: bool = False) -> list[str]:
    """Reactions to the last answer: "more like the second one", "older", "not that one"..."""
    shown = [i for i in state.last_shown if ctx.catalog.get(i)]
    if not shown:
        return []
    notes = []
    if _REJECT_ALL.search(text):
        state.rejected = _dedupe(state.rejected + shown)
        notes.append("trying something different")
    years = [ctx.catalog.get(i).year for i in shown if ctx.catalog.get(i).year]
    if explicit_years:  # "before 1980" said outright beats a relative "older"
        years = []
    years.sort()
    if years and _OLDER.search(text):
        # older than most of what was shown: below its lower quartile
        state.constraints.year_max = years[len(years) // 4] - 1
        state.constraints.year_min = None
        notes.append(f"older: before {state.constraints.year_max + 1}")
    elif years and _NEWER.search(text):
        state.constraints.year_min = years[(3 * len(years)) // 4] + 1
        state.constraints.year_max = None
        notes.append(f"newer: after {state.constraints.year_min - 1}")
    for word in _LESS.findall(text):
        facet = _LESS_MAP.get(word.lower())
        if facet:
            state.add_dislike(facet, weight=0.5)  # "less violent" is a soft wish, not a ban
            notes.append(f"less {word.lower()}")
    return notes


def _dedupe(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))
