"""Ranking for a dialogue state: hard filters -> FAISS pool -> hybrid score -> LLM rerank -> MMR picks.

`hybrid_score` is the one formula (a learned weighted sum of `Features`: content, tags, dislikes,
co-occurrence, the learned dialogue query, neighbour dialogues, the item prior). The chat
scores a FAISS pool with it (`score_pool` -> `recommend`); ranking metrics (Recall@50, MRR) need a
score for every candidate: `bot/rank_all.py` applies the same pieces to a fixed candidate set.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from bot.compose import Interest, compose_query, mmr
from bot.config import ScoringConfig
from bot.context import Context
from bot.explain import template_explanation
from bot.people import FEW_BY_CREATOR, asked_creators_own, asked_works, person_matches
from bot.state import CONTEXT_CHARS, DOMAINS, DialogueState
from bot.words import liked_titles
from retrieval import Filters, Item
from retrieval.catalog import Hit

log = logging.getLogger(__name__)

BEST_KNOWN = 20  # per liked facet, the best-known items carrying it join the pool (_best_known)
OUT_OF_POOL = 1e3  # subtracted from items the pool would not have fetched: below all pooled items


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


# -- what the state asks for ---------------------------------------------------------------------


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
            exclude |= ctx.ids_with_tags(ctx.lexicon.excluded_tags(facet.text, domain))
    exclude |= ctx.ids_by_creators(c.excluded_creators)  # "nothing by Stephen King"
    include = None
    known = asked_works(state, ctx, domain)  # the domain filter below would drop the others anyway
    if len(known) >= FEW_BY_CREATOR:
        # a film whose record names nobody may be theirs: rule out only what is known not to fit. With
        # fewer of theirs than a page (宫崎骏: only Ponyo), no limit: theirs lead (person_matches) and
        # the rest are like them, not whatever records name nobody (Gumby: The Movie)
        include = known | ctx.castless
    return Filters(domain=domain, year_min=c.year_min, year_max=c.year_max,
                   exclude_ids=frozenset(exclude), include_ids=frozenset(include) if include else None)


def interests(state: DialogueState, ctx: Context) -> list[Interest]:
    cfg = ctx.config
    out = [Interest(ctx.facet_vector(f.text), f.weight, f.turn) for f in state.likes]
    vectors = ctx.catalog.vectors_for(state.liked_items)
    # liked items have no turn of their own: treat them as said now, which keeps them strong
    out += [Interest(v, cfg.item_weight, state.turn) for v in vectors]
    for name in state.constraints.creators:  # what their work is like, as the limit reads it: with few or
        # none of it in the domain ("a Stephen King novel" with films of his books only) the rest is like it
        out.append(Interest(person_vector(name, effective_domain(state, ctx), ctx, asked=True),
                            cfg.creator_weight, state.turn))
    for person in state.people:  # soft: their work pulls the query, as a liked item does
        out.append(Interest(person_vector(person.name, effective_domain(state, ctx), ctx),
                            cfg.person_weight * person.weight, person.turn))
    return out


def person_vector(name: str, domain: str | None, ctx: Context, most: int = 50,
                  asked: bool = False) -> np.ndarray:
    """The mean vector of a person's items (those of the domain when there are any), or the
    embedded words "in the style of <name>" for someone the catalog does not know. `asked`: their work
    as a limit reads it (`Context.works_of`: also the records that name them in full)."""
    ids = sorted(ctx.works_of([name]) if asked else ctx.ids_by_creators([name]))
    in_domain = [i for i in ids if domain and ctx.catalog.get(i) and ctx.catalog.get(i).domain == domain]
    vectors = ctx.catalog.vectors_for((in_domain or ids)[:most])
    if not len(vectors):
        return ctx.facet_vector(f"in the style of {name}")
    mean = vectors.mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)


def query_for(state: DialogueState, ctx: Context, extra: list[Interest] | None = None) -> np.ndarray:
    """The retrieval query: the composed interests, or a generic one when nothing positive is known."""
    query = compose_query(interests(state, ctx) + (extra or []), state.turn, ctx.config.recency_temperature)
    seen = [i for i in state.seen if i not in set(state.disliked_items) | set(state.rejected)]
    if query is None and seen:  # "I just finished Frankenstein, what should I read next?": what they
        # chose to see is all we know of their taste (on ReDial seen items predict the next pick as liked
        # ones do, see `cf_scores`)
        query = compose_query([Interest(v, ctx.config.item_weight, state.turn)
                               for v in ctx.catalog.vectors_for(seen)], state.turn,
                              ctx.config.recency_temperature)
    if query is None:
        domain = state.constraints.domain or "movie, book or album"
        query = ctx.facet_vector(f"a much-loved, highly acclaimed {domain}")
    return query


def dislike_similarity(state: DialogueState, ctx: Context, vectors: np.ndarray) -> np.ndarray | None:
    """Each row's highest cosine to a disliked facet, clipped at 0, plus for a soft dislike ("less
    violent") how far above the candidates' mean its cosine lies; None when nothing is disliked."""
    if not state.dislikes:
        return None
    dv = np.stack([ctx.facet_vector(f.text) for f in state.dislikes])
    sims = vectors @ dv.T
    out = np.clip(sims, 0, None).max(axis=1)
    soft = [n for n, f in enumerate(state.dislikes) if f.weight < 1]
    if soft and len(vectors) > 1:  # "less violent": how far above the candidates' mean, in their spread
        sim = sims[:, soft].max(axis=1)
        z = (sim - sim.mean()) / max(float(sim.std()), 1e-6)
        out = out + ctx.config.soft_dislike_spread * np.clip(z, 0, None)
    return out


def softly_disliked(state: DialogueState, ctx: Context, vectors: np.ndarray) -> np.ndarray | None:
    """True where a candidate carries a softly disliked quality ("not too violent") more than the
    candidates' average does; None without a soft dislike."""
    soft = [f for f in state.dislikes if f.weight < 1]
    if not soft or len(vectors) < 2:
        return None
    sims = (vectors @ np.stack([ctx.facet_vector(f.text) for f in soft]).T).max(axis=1)
    return sims > sims.mean()


@dataclass
class Features:
    """What `hybrid_score` weighs, one value per candidate (None: the signal is not available)."""

    content: np.ndarray  # cosine to the composed interests
    tags: np.ndarray  # liked facets the candidate is tagged with
    dislike: np.ndarray | None = None  # max cosine to a disliked facet, clipped at 0
    cf: np.ndarray | None = None  # co-occurrence with the items the conversation is about (cf_scores)
    dialogue: np.ndarray | None = None  # the learned query head over the dialogue text
    neighbours: np.ndarray | None = None  # votes of the most similar training dialogues
    prior: np.ndarray | None = None  # popularity/quality prior in [0, 1]
    people: np.ndarray | None = None  # liked (row 0) / style (row 1) people each candidate is by
    echo: np.ndarray | None = None  # 1: the title only echoes a liked title's word (Context.title_echoes)
    # True for the movies: what ReDial's dialogues taught the learned signals about (dialogue_scores);
    # None: all movies
    movie: np.ndarray | None = None
    softly_disliked: np.ndarray | None = None  # bool: more of a softly disliked quality than the average


def hybrid_score(f: Features, cfg: ScoringConfig, novelty: bool = False, anchored: bool = True,
                 wanted: int = 1, said: int = 0) -> np.ndarray:
    """The relevance of each candidate: a weighted sum of the features, weights learned by
    `bench.run --only fuse` (bot/config.py). A novelty request ("a hidden gem") turns the prior around.
    `anchored`: the user named items or people to go by; else the prior of items tagged with a liked facet
    pulls up to `prior_cap_open` (outside movies in the fitted shape, `prior_exponent`, for the items that
    carry all `wanted` liked facets; among movies, when `said` > 1 facets were asked in words, only for those
    carrying as many)."""
    scores = cfg.content_weight * np.asarray(f.content, dtype=np.float64) + cfg.tag_bonus * np.asarray(f.tags)
    if f.people is not None:  # hand-set, not fitted: ReDial's asides rarely name who made the target
        scores += cfg.person_bonus * f.people[0] - cfg.style_penalty * f.people[1]
    if f.dislike is not None:
        scores -= cfg.dislike_penalty * f.dislike
    if f.echo is not None:  # hand-set: "Arrival II" is no film like Arrival
        scores -= cfg.title_echo_penalty * f.echo
    if f.cf is not None:
        scores += cfg.cf_weight * f.cf
    if f.dialogue is not None:
        scores += cfg.dialogue_weight * f.dialogue
    if f.neighbours is not None:
        scores += cfg.neighbour_weight * f.neighbours
    if f.prior is not None:
        prior = np.asarray(f.prior, dtype=np.float64)
        usual = -cfg.novelty_weight if novelty else min(cfg.prior_weight, cfg.prior_cap)
        if novelty or anchored:
            scores += usual * prior
        else:  # among the items that fit what was asked, the best-known lead
            lead = min(cfg.prior_weight, cfg.prior_cap_open)
            tags = np.asarray(f.tags)
            # nothing liked at all ("some classic novels", "a famous novel everyone should read"): every item
            # fits, so the best known lead (the words alone had found A Tale of a Tub and Crome Yellow)
            fits = tags > 0 if wanted > 0 else np.ones(len(tags), dtype=bool)
            if f.softly_disliked is not None:
                # "a horror movie, not too gory": the lead goes to what fits without more gore than the
                # candidates' average (the soft penalty alone hardly moves the famous: Jigsaw had led)
                fits &= ~np.asarray(f.softly_disliked, dtype=bool)
            pull = np.where(fits, lead, usual) * prior
            # Outside movies, for the items that carry everything asked, it leads in the fitted shape: the
            # famous few before the fairly known (as a plain percentile Night and Day, 0.95, had come before
            # Pride and Prejudice, 1.0, for "a romance novel"); nothing learned from dialogues carries
            # popularity there. The others then get the usual tie-break. When nothing carries it all ("a
            # cozy mystery": no tag says cozy) the words must decide, so the plain pull stays (Dracula is
            # on the mystery shelf). Movies keep the plain percentile: their learned signals carry
            # popularity, and ReDial's loss hardly moves.
            movie = np.ones(len(tags), dtype=bool) if f.movie is None else np.asarray(f.movie)
            full = ~movie & (tags >= wanted) & fits
            if full.any():
                shaped = np.where(full, lead * prior ** cfg.prior_exponent, usual * prior)
                pull = np.where(movie, pull, shaped)
            # "a scary sci-fi movie": the famous films that are both (Alien, The Thing) lead, not famous
            # horror alone (It, Scream). Counted on what was said: an occasion's guesses ("for tonight" adds
            # animated to a family comedy) would leave Elf and Home Alone behind. When no film carries them
            # all (a mood like "touching" is no tag), those carrying the most do: a touching family film is
            # a family drama before The Godfather
            most = min(said, tags[movie].max()) if movie.any() else 0
            both = movie & (tags >= most) & fits
            if most > 1 and both.any():
                pull = np.where(movie & ~both, usual * prior, pull)
            scores += pull
    return scores


def wanted_facets(state: DialogueState) -> int:
    """How many liked facets an item must carry to fit everything asked (an occasion's guesses count as
    if said: they rank alike, and a genre said drops them)."""
    return sum(f.weight >= 1 for f in state.likes)


def said_facets(state: DialogueState) -> int:
    """How many liked facets the user asked for in words (not implied by another, nor an occasion's guess)."""
    return sum(f.weight >= 1 and f.implied_by is None for f in state.likes)


def anchored(state: DialogueState, items: Mapping[str, Item] | None = None) -> bool:
    """Whether the user named items or people to go by, or asked for a degree of what was shown ("less
    scary"): then the prior is capped lower (`prior_cap`), so popularity does not outweigh what they
    steered by. A liked item of another domain than the one asked for (`items` tells) is no anchor:
    "books like The Hobbit" names no book, so the best-known books like it lead, not the obscure ones
    nearest the film."""
    domain = state.constraints.domain
    liked = [i for i in state.liked_items
             if items is None or domain is None or i not in items or items[i].domain == domain]
    # "less violent" after "a war movie" steers by the picks it answers; "a romance novel, nothing too
    # sad" said at once is no degree of anything shown (it had let obscure novels lead)
    asked = min((f.turn for f in state.likes), default=None)
    later = any(f.weight < 1 and asked is not None and f.turn > asked for f in state.dislikes)
    return bool(liked or any(p.kind != "mention" for p in state.people) or later or state.constraints.creators
                or any(f.weight < 1 for f in state.likes))


def dialogue_scores(learned: np.ndarray, vectors: np.ndarray, movie: np.ndarray) -> np.ndarray:
    """The learned query's score of each item. It learned from ReDial's movie dialogues and ranked only
    movies there, so it has no say about other items: they get the movies' mean (for a book-only pool a
    constant, which changes no order; in a mixed pool, neither pushed up nor down)."""
    scores = vectors @ learned
    if movie.all():
        return scores
    return np.where(movie, scores, float(scores[movie].mean()) if movie.any() else 0.0)


def dialogue_query(state: DialogueState, ctx: Context, text: str | None = None) -> np.ndarray | None:
    """The learned query for the dialogue so far (None without a trained head or any words)."""
    text = state.context if text is None else text
    if ctx.query_head is None or not text.strip():
        return None
    q = ctx.text_vector(text[-ctx.query_head.config.context_chars:])
    mentioned = ctx.catalog.vectors_for(list(talked_about(state)))
    return ctx.query_head.query(q, mentioned)


def neighbour_scores(state: DialogueState, ctx: Context, text: str | None = None) -> dict[str, float]:
    """Votes of the training dialogues most like this one, square-rooted as `cf_scores` is."""
    text = state.context if text is None else text
    if ctx.neighbours is None or not text.strip():
        return {}
    return _compressed(ctx.neighbours.scores(ctx.text_vector(text[-CONTEXT_CHARS:])))


def cf_scores(state: DialogueState, ctx: Context) -> dict[str, float]:
    """Co-occurrence with what the conversation is about: the items liked or seen, and the picks on
    screen unless one of them got a verdict (then the others were passed over). The picks together
    weigh as one named title. On held-out ReDial dialogues seen items and the picks under discussion
    predict the next recommendation as well as liked ones do (strict R@10 .198 -> .210)."""
    if ctx.cooc is None:
        return {}
    weights = talked_about(state)
    if not weights:
        return {}
    return _compressed(ctx.cooc.scores(list(weights), list(weights.values())))


def talked_about(state: DialogueState) -> dict[str, float]:
    """Item id -> weight of the items the conversation is about (see `cf_scores`)."""
    refused = set(state.disliked_items) | set(state.rejected)
    judged = set(state.liked_items) | refused
    weights = {i: 1.0 for i in state.seen + state.liked_items if i not in refused}
    on_screen = [i for i in state.last_shown if i not in weights and i not in refused]
    if on_screen and not judged & set(state.last_shown):
        weights.update({i: 1.0 / len(on_screen) for i in on_screen})
    return weights


def _compressed(votes: dict[str, float]) -> dict[str, float]:
    """Square roots of summed votes: whether an item is in the neighbourhood at all counts for more than
    how many votes it gathers there, which mostly follows popularity (the prior's job). Held-out ReDial
    strict R@10 .213 -> .234 with both CF and neighbour votes compressed."""
    return {i: float(np.sqrt(v)) for i, v in votes.items() if v > 0}


# -- the chat's path: a FAISS pool ------------------------------------------------------------------


@dataclass
class Pool:
    """Retrieval's candidates for a state, scored but not yet diversified."""

    hits: list  # retrieval.Hit, best first by content similarity
    relevance: np.ndarray  # hybrid_score
    vectors: np.ndarray
    matched: list[list[str]]  # the user's liked facets each candidate is tagged with

    @property
    def ids(self) -> list[str]:
        return [h.item.id for h in self.hits]


def score_pool(state: DialogueState, ctx: Context, extra: list[Interest] | None = None,
               pool: int | None = None) -> Pool | None:
    """FAISS candidates under the state's hard filters, with the hybrid relevance score. The pool is
    the nearest items to the composed interests plus those nearest to the learned dialogue query."""
    cfg = ctx.config
    filters = filters_for(state, ctx)
    query = query_for(state, ctx, extra)
    learned = dialogue_query(state, ctx)
    size = pool or cfg.pool
    hits = _pool_hits(ctx, [query] if learned is None else [query, learned], size, filters)
    if not hits and filters.include_ids is not None:  # no item by that creator fits: relax it
        filters = replace(filters, include_ids=None)
        hits = _pool_hits(ctx, [query] if learned is None else [query, learned], size, filters)
    hits += _best_known(state, ctx, filters, {h.item.id for h in hits})
    hits += asked_creators_own(state, ctx, filters, {h.item.id for h in hits})
    if not hits:
        return None
    ids = [h.item.id for h in hits]
    movie = np.array([h.item.domain == "movie" for h in hits], dtype=bool)
    vectors = ctx.catalog.vectors_for(ids)
    matched: list[list[str]] = []
    counts = np.zeros(len(hits))  # liked facets carried, counted as bot/rank_all.py does
    for n, hit in enumerate(hits):
        m = []
        for f in state.likes:
            if hit.item.id in ctx.ids_carrying(f.text, hit.item.domain):
                counts[n] += 1
                if f.implied_by != "":  # an occasion's facets rank but were not said ("for studying")
                    m.append(f.implied_by or f.text)  # "feel good" matched by its comedy tag: said so
        matched.append(list(dict.fromkeys(m)))
    by_id = cf_scores(state, ctx)
    cf = np.array([by_id.get(i, 0.0) for i in ids]) if by_id else None
    unit = query / max(float(np.linalg.norm(query)), 1e-12)
    votes = neighbour_scores(state, ctx)
    features = Features(
        content=vectors @ unit, tags=counts,
        dislike=dislike_similarity(state, ctx, vectors), cf=cf,
        dialogue=None if learned is None else dialogue_scores(learned, vectors, movie),
        neighbours=np.array([votes.get(i, 0.0) for i in ids]) if votes else None,
        prior=ctx.priors_of(ids),
        people=person_matches(state, ctx, {i: n for n, i in enumerate(ids)}, len(ids)),
        echo=title_echo(state, ctx, ids), movie=movie, softly_disliked=softly_disliked(state, ctx, vectors))
    relevance = hybrid_score(features, cfg, state.novelty, anchored(state, ctx.catalog.items),
                             wanted_facets(state), said_facets(state))
    return Pool(hits, relevance, vectors, matched)


def title_echo(state: DialogueState, ctx: Context, ids: list[str]) -> np.ndarray | None:
    """1.0 for each candidate whose title only echoes a word of a title the user liked or has seen ("I
    already read Emma": not "Memoirs of Emma Courtney"); None when no title is named."""
    named = list(dict.fromkeys(state.liked_items + state.seen))
    if not named:
        return None
    echoes = ctx.title_echoes(named)
    return np.array([1.0 if i in echoes else 0.0 for i in ids]) if echoes else None


def _best_known(state: DialogueState, ctx: Context, filters: Filters, have: set[str],
                per_facet: int = BEST_KNOWN) -> list:
    """The best-known items (by prior) carrying each liked facet: nearest-by-text retrieval misses a
    genre's classics whose records share no words with the request ("a funny book": Three Men in a
    Boat); the hybrid score still decides whether they are picked."""
    if not ctx.priors or not state.likes:
        return []
    mask, position = ctx.catalog.mask(filters), ctx.catalog.index.position
    out: list = []
    for ids in best_known_order(state, ctx, [filters.domain] if filters.domain else list(DOMAINS)):
        ids = [i for i in ids if i not in have and i in position and (mask is None or mask[position[i]])]
        for item_id in ids[:per_facet]:
            have.add(item_id)
            out.append(Hit(ctx.catalog.get(item_id), 0.0))
    return out


def best_known_order(state: DialogueState, ctx: Context, domains: list[str]) -> list[list[str]]:
    """Per liked facet and domain, the items of that domain carrying it, best-known first (ties by id)."""
    out = []
    for facet in state.likes:
        for domain in domains:
            ids = ctx.ids_carrying(facet.text, domain)
            out.append(sorted(ids, key=lambda i: (-ctx.priors.get(i, 0.0), i)))
    return out


def _pool_hits(ctx: Context, queries: list[np.ndarray], size: int, filters: Filters) -> list:
    seen: dict[str, object] = {}
    for q in queries:
        for hit in ctx.catalog.search(q, size, filters):
            seen.setdefault(hit.item.id, hit)
    return list(seen.values())


def rerank_pool(pool: Pool, state: DialogueState, ctx: Context, utterance: str = "") -> Pool:
    """Let the LLM reranker (when configured) re-score the pool's top candidates; the rest keep
    retrieval's scores, pushed below the reranked ones so the LLM cannot pull in weak items."""
    if ctx.reranker is None or len(pool.hits) < 2:
        return pool
    from bot.rerank import rerank_scores

    n = min(ctx.config.rerank_candidates, len(pool.hits))
    top = np.argsort(-pool.relevance, kind="stable")[:n]
    try:
        llm = ctx.reranker.rank(state, liked_titles(state, ctx.catalog.get, with_year=True), utterance,
                                [pool.hits[i].item for i in top], others_waiting=ctx.turns_waiting() > 0)
    except Exception:  # a broken model must not break the chat: keep retrieval's order
        log.exception("reranker failed; keeping retrieval order")
        return pool
    if llm is None:  # saturated: this turn keeps retrieval's order
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
    picks = mmr(pool.ids, pool.relevance, pool.vectors, k, ctx.config.mmr_lambda, _groups(pool, state))
    titles = liked_titles(state, ctx.catalog.get)
    out = []
    for p in picks:
        item = pool.hits[p].item
        close = _closest_liked(pool.vectors[p], state, ctx, titles)
        why = template_explanation(item, pool.matched[p], close, state.lang)
        out.append(Recommendation(item, float(pool.relevance[p]), why, pool.matched[p]))
    return out


# a title's series: what comes before a volume, a subtitle or a sequel's number ("Ocean's 8", "Ocean's
# Twelve" and "Ocean's Eleven" are one series); a title that is only a number is its own
_SERIES_RE = re.compile(r"\s*(?:[:(\[,;-]|\b(?:vol|volume|part|chapter|book|no)\b\.?|(?<=[^\W\d])\s+\d|"
                        r"\s(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen)\b).*$",
                        re.I)


def series_of(title: str) -> str:
    return _SERIES_RE.sub("", title).strip().lower() or title.lower()


def _groups(pool: Pool, state: DialogueState) -> list[tuple[str, ...]] | None:
    """Each candidate's maker and series ("Tunguska Chillout Grooves Vol. 1".."7"), so five picks are not
    one series; not when the user asked for people by name."""
    if state.constraints.creators or any(p.kind == "like" for p in state.people):
        return None
    return [tuple([f"by {h.item.creators[0].lower()}"] if h.item.creators else [])
            + (f"series {series_of(h.item.title)}",) for h in pool.hits]


def _closest_liked(vector: np.ndarray, state: DialogueState, ctx: Context, titles: list[str]) -> list[str]:
    if not state.liked_items:
        return []
    liked = ctx.catalog.vectors_for(state.liked_items)
    if not len(liked):
        return []
    best = int(np.argmax(liked @ vector))
    return [titles[best]] if best < len(titles) and float(liked[best] @ vector) > 0.45 else []
