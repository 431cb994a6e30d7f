"""The dialogue manager: one pure step from (state, utterance) to (new state, ranked items, summary).

    understand (bot.understand) -> update the state (likes, dislikes, constraints, critiques)
    -> compose a query vector (bot.compose) -> FAISS candidates under hard filters
    -> hybrid score (content + tag match + collaborative - soft dislikes) -> MMR top-k.
"""

from __future__ import annotations

import copy
import difflib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.compose import Interest, ScoringConfig, compose_query, mmr
from bot.explain import Explainer, template_explanation
from bot.state import DialogueState
from bot.understand import MAX_CHARS, Extraction, Lexicon, LinkTitles, extract, title_index_linker
from retrieval import Catalog, Filters, Item
from retrieval.cooccur import CoOccurrence
from retrieval.titles import normalize_title

log = logging.getLogger(__name__)

_LAST_ONE = re.compile(r"\blast one\b", re.I)
_OLDER = re.compile(r"\b(older|earlier|classic(?:s)?|less recent)\b", re.I)
_NEWER = re.compile(r"\b(newer|more recent|recent ones?|later|modern)\b", re.I)
_REJECT_ALL = re.compile(r"\b(not these|none of (?:these|those|them)|something (?:else|different)|"
                         r"other (?:ones|options))\b", re.I)
_LESS = re.compile(r"\bless (\w+)", re.I)
_LESS_MAP = {"violent": "violence", "scary": "horror", "gory": "gore", "sad": "sad", "dark": "dark",
             "romantic": "romance", "serious": "drama", "long": "long", "slow": "slow", "loud": "loud"}


@dataclass
class Recommendation:
    item: Item
    score: float
    explanation: str
    matched: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        i = self.item
        return {"id": i.id, "title": i.title, "year": i.year, "domain": i.domain, "genres": list(i.tags),
                "creators": list(i.creators), "url": i.url, "explanation": self.explanation}


@dataclass
class StepResult:
    state: DialogueState
    recommendations: list[Recommendation]
    understood: dict
    note: str = ""  # what changed this turn, in words (or a polite error)


class Context:
    """What a step needs that does not change per turn: catalog, lexicon, linker, CF, caches."""

    def __init__(self, catalog: Catalog, cooc: CoOccurrence | None = None,
                 config: ScoringConfig | None = None, lexicon: Lexicon | None = None):
        self.catalog = catalog
        # optional second understanding layer (bot.llm_understand); None keeps turns in milliseconds
        self.llm_extract: Callable[[str, str | None], Extraction] | None = None
        # optional LLM explainer (bot.explain.Explainer); None streams the template sentences
        self.explainer: Explainer | None = None
        # optional LLM reranker: (summary, liked titles, utterance, items) -> one score per item
        self.reranker: Callable[[dict, list[str], str, list[Item]], np.ndarray] | None = None
        self.config = config or ScoringConfig()
        items = list(catalog.items.values())
        self.lexicon = lexicon or Lexicon.from_items(items)
        self.link_titles: LinkTitles = title_index_linker(items)
        self.cooc = cooc
        self._facet_vectors: dict[str, np.ndarray] = {}
        self._by_tag: dict[str, set[str]] = {}
        self._by_creator: dict[str, set[str]] = {}
        self._by_title: dict[str, list[str]] = {}
        for item in items:
            self._by_title.setdefault(normalize_title(item.title), []).append(item.id)
            for tag in item.tags:
                self._by_tag.setdefault(tag.lower(), set()).add(item.id)
            for name in item.creators:
                self._by_creator.setdefault(name.lower(), set()).add(item.id)

    @classmethod
    def build(cls, catalog: Catalog, interactions_file: str | Path | None = None,
              config: ScoringConfig | None = None) -> Context:
        cooc = None
        if interactions_file and Path(interactions_file).exists():
            cooc = CoOccurrence.from_file(interactions_file, known_ids=set(catalog.items))
        return cls(catalog, cooc, config)

    def link_title(self, span: str, linked: str | None, domain: str | None) -> tuple[str | None, str]:
        """The catalog id a title span means, and a note when it had to guess.

        Same-titled items (the novel and its film) are told apart by the domain asked for;
        without one, the linker's pick stands and the note says which was taken. A span the
        exact linker missed ("Inceptoin") is looked up by full text, then by close spelling.
        """
        key = normalize_title(span)
        same = self._by_title.get(key, [])
        if not same and not linked:
            fts = [i.id for i in self.catalog.find_titles(span, limit=5, domain=domain)
                   if difflib.SequenceMatcher(None, normalize_title(i.title), key).ratio() >= 0.85]
            if fts:
                return fts[0], ""
            close = difflib.get_close_matches(key, self._by_title.keys(), n=1, cutoff=0.85)
            same = self._by_title[close[0]] if close else []
        if domain:
            in_domain = [i for i in same if self.catalog.get(i).domain == domain]
            if in_domain:
                return (linked if linked in in_domain else in_domain[0]), ""
        pick = linked or (same[0] if same else None)
        others = {self.catalog.get(i).domain for i in same if i != pick}
        if pick and others - {self.catalog.get(pick).domain}:
            item = self.catalog.get(pick)
            what = f"the {item.year} {item.domain}" if item.year else f"the {item.domain}"
            return pick, f'I took {item.title} as {what}; say "the {sorted(others)[0]}" if you meant that'
        return pick, ""

    def same_title_in(self, item_id: str, domain: str) -> str | None:
        """The item with the same title in another domain (the novel behind a film), if any."""
        item = self.catalog.get(item_id)
        if item is None:
            return None
        same = [i for i in self._by_title.get(normalize_title(item.title), [])
                if self.catalog.get(i).domain == domain]
        return same[0] if same else None

    def title_of(self, item_id: str) -> str:
        item = self.catalog.get(item_id)
        return item.title if item else item_id

    def facet_vector(self, text: str) -> np.ndarray:
        key = text.lower()
        if key not in self._facet_vectors:
            self._facet_vectors[key] = self.catalog.embed_query(text)
        return self._facet_vectors[key]

    def ids_with_tags(self, tags: list[str]) -> set[str]:
        out: set[str] = set()
        for tag in tags:
            out |= self._by_tag.get(tag.lower(), set())
        return out

    def ids_by_creators(self, names: list[str]) -> set[str]:
        out: set[str] = set()
        for name in names:
            out |= self._by_creator.get(name.lower(), set())
        return out


# -- the step -----------------------------------------------------------------------------


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
    recs = recommend(new, ctx, k or ctx.config.k, extra, utterance=text[:MAX_CHARS])
    new.last_shown = [r.item.id for r in recs]
    new.recommended = _dedupe(new.recommended + new.last_shown)
    return StepResult(new, recs, new.summary(), "; ".join(notes))


def understand_turn(state: DialogueState, utterance: str, ctx: Context
                    ) -> tuple[DialogueState, list[str], list[Interest]]:
    """The state half of a step: (new state, notes on what changed, this turn's extra interests)."""
    new = copy.deepcopy(state)
    new.turn += 1
    text = user_text(utterance)
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
    notes += apply_critique(new, text, ctx, explicit_years=ex.year_min is not None or ex.year_max is not None)
    # The words themselves carry nuance the tags lose ("mind-bending"), but only when they
    # say what is wanted: embedding "no horror" would pull towards horror.
    positive_only = (ex.likes or ex.liked_titles) and not (ex.dislikes or ex.disliked_titles or ex.reversals)
    extra = []
    if positive_only:
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




# -- ranking ----------------------------------------------------------------------------------


def effective_domain(state: DialogueState, ctx: Context) -> str | None:
    """The asked-for domain, or else the domain of the liked items when they agree
    ("I loved Inception" asks for films without saying so)."""
    if state.constraints.domain:
        return state.constraints.domain
    domains = {ctx.catalog.get(i).domain for i in state.liked_items if ctx.catalog.get(i)}
    return domains.pop() if len(domains) == 1 else None


def filters_for(state: DialogueState, ctx: Context) -> Filters:
    c = state.constraints
    domain = effective_domain(state, ctx)
    exclude = set(state.seen) | set(state.rejected) | set(state.recommended) | set(state.disliked_items)
    exclude |= set(state.liked_items)
    for facet in state.dislikes:
        if facet.weight >= 1.0:  # hard dislikes exclude every item carrying the matching catalog tag
            exclude |= ctx.ids_with_tags(ctx.lexicon.tags_for(facet.text, domain) or [facet.text])
    include = ctx.ids_by_creators(c.creators) if c.creators else None
    return Filters(domain=domain, year_min=c.year_min, year_max=c.year_max,
                   exclude_ids=frozenset(exclude), include_ids=frozenset(include) if include else None)


def interests(state: DialogueState, ctx: Context) -> list[Interest]:
    cfg = ctx.config
    out = [Interest(ctx.facet_vector(f.text), f.weight, f.turn) for f in state.likes]
    vectors = ctx.catalog.vectors_for(state.liked_items)
    # liked items have no turn of their own: treat them as said now, which keeps them strong
    out += [Interest(v, cfg.item_weight, state.turn) for v in vectors]
    for name in state.constraints.creators:
        out.append(Interest(ctx.facet_vector(f"by {name}"), cfg.creator_weight, state.turn))
    return out


def query_for(state: DialogueState, ctx: Context, extra: list[Interest] | None = None) -> np.ndarray:
    """The retrieval query: the composed interests, or a generic one when nothing positive is known.
    Shared with bot.ranking so the benchmark scores exactly what the chat retrieves with."""
    query = compose_query(interests(state, ctx) + (extra or []), state.turn, ctx.config.recency_temperature)
    if query is None:
        domain = state.constraints.domain or "movie, book or album"
        query = ctx.facet_vector(f"a much-loved, highly acclaimed {domain}")
    return query


@dataclass
class Pool:
    """Retrieval's candidates for a state, scored but not yet diversified."""

    hits: list  # retrieval.Hit, best first by content similarity
    relevance: np.ndarray  # content + tag bonus + CF - soft dislikes
    vectors: np.ndarray
    matched: list[list[str]]  # the user's liked facets each candidate is tagged with

    @property
    def ids(self) -> list[str]:
        return [h.item.id for h in self.hits]


def score_pool(state: DialogueState, ctx: Context, extra: list[Interest] | None = None,
               pool: int | None = None) -> Pool | None:
    """FAISS candidates under the state's hard filters, with the hybrid relevance score."""
    cfg = ctx.config
    filters = filters_for(state, ctx)
    query = query_for(state, ctx, extra)
    size = pool or cfg.pool
    hits = ctx.catalog.search(query, size, filters)
    if not hits and filters.include_ids is not None:  # no item by that creator fits: relax it
        hits = ctx.catalog.search(query, size, Filters(**{**filters.__dict__, "include_ids": None}))
    if not hits:
        return None
    ids = [h.item.id for h in hits]
    vectors = ctx.catalog.vectors_for(ids)
    relevance = np.array([h.score for h in hits], dtype=np.float64)

    matched: list[list[str]] = []
    for hit in hits:
        tags = {t.lower() for t in hit.item.tags}
        m = [f.text for f in state.likes
             if tags & {t.lower() for t in ctx.lexicon.tags_for(f.text, hit.item.domain) or [f.text]}]
        matched.append(m)
    relevance += cfg.tag_bonus * np.array([len(m) for m in matched])

    soft = [f for f in state.dislikes]
    if soft:
        dv = np.stack([ctx.facet_vector(f.text) for f in soft])
        relevance -= cfg.dislike_penalty * np.clip(vectors @ dv.T, 0, None).max(axis=1)
    if ctx.cooc is not None and state.liked_items:
        cf = ctx.cooc.scores(state.liked_items)
        relevance += cfg.cf_weight * np.array([cf.get(i, 0.0) for i in ids])
    return Pool(hits, relevance, vectors, matched)


def rerank_pool(pool: Pool, state: DialogueState, ctx: Context, utterance: str = "") -> Pool:
    """Let the LLM reranker (when configured) re-score the pool's top candidates; the rest keep
    retrieval's scores, pushed below the reranked ones so the LLM cannot pull in weak items."""
    if ctx.reranker is None or len(pool.hits) < 2:
        return pool
    from bot.rerank import rerank_scores, title_year

    n = min(ctx.config.rerank_candidates, len(pool.hits))
    top = np.argsort(-pool.relevance, kind="stable")[:n]
    liked = [title_year(ctx.catalog.get(i)) for i in state.liked_items if ctx.catalog.get(i)]
    try:
        llm = ctx.reranker(state.summary(), liked, utterance, [pool.hits[i].item for i in top])
    except Exception:  # a broken model must not break the chat: keep retrieval's order
        log.exception("reranker failed; keeping retrieval order")
        return pool
    relevance = rerank_scores(pool.relevance, top, llm, ctx.config.rerank_weight)
    return Pool(pool.hits, relevance, pool.vectors, pool.matched)


def recommend(
    state: DialogueState, ctx: Context, k: int = 5, extra: list[Interest] | None = None, utterance: str = ""
) -> list[Recommendation]:
    pool = score_pool(state, ctx, extra)
    if pool is None:
        return []
    pool = rerank_pool(pool, state, ctx, utterance)
    picks = mmr(pool.ids, pool.relevance, pool.vectors, k, ctx.config.mmr_lambda)
    liked_titles = [ctx.catalog.get(i).title for i in state.liked_items if ctx.catalog.get(i)]
    out = []
    for p in picks:
        item = pool.hits[p].item
        close = _closest_liked(pool.vectors[p], state, ctx, liked_titles)
        out.append(Recommendation(item, float(pool.relevance[p]),
                                  template_explanation(item, pool.matched[p], close), pool.matched[p]))
    return out


def _closest_liked(vector: np.ndarray, state: DialogueState, ctx: Context, titles: list[str]) -> list[str]:
    if not state.liked_items:
        return []
    liked = ctx.catalog.vectors_for(state.liked_items)
    if not len(liked):
        return []
    best = int(np.argmax(liked @ vector))
    return [titles[best]] if best < len(titles) and float(liked[best] @ vector) > 0.45 else []


def _dedupe(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))
