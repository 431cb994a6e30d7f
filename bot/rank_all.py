"""Every candidate scored, for ranking metrics and training data (bench/, finetune/).

The chat scores a FAISS pool (`bot.ranking.score_pool`); Recall@50 or MRR need a score for every
candidate, so `score_items` applies the same pieces to a fixed candidate set: the same query
(`query_for`), hard filters (`filters_for`) and formula (`hybrid_score`). Items the chat's pool would
not fetch (the nearest `pool` by content or by the learned dialogue query, plus the best-known items of
each liked facet) rank below every pooled item, since the chat could never show them. MMR is left out:
it reorders the five shown picks for variety; it is not a ranking.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

import numpy as np

from bot.compose import Interest
from bot.config import ScoringConfig
from bot.context import Context
from bot.people import person_matches
from bot.ranking import (
    BEST_KNOWN,
    OUT_OF_POOL,
    Features,
    anchored,
    best_known_order,
    cf_scores,
    dialogue_query,
    dialogue_scores,
    dislike_similarity,
    filters_for,
    hybrid_score,
    neighbour_scores,
    query_for,
    said_facets,
    softly_disliked,
    title_echo,
    wanted_facets,
)
from bot.state import DialogueState


class Candidates:
    """A fixed, ordered set of catalog items to score, with their stored vectors."""

    def __init__(self, ctx: Context, ids: list[str] | None = None):
        catalog = ctx.catalog
        self.ids = list(ids) if ids is not None else [k for k, alive in zip(
            (k for k, _ in catalog.index.keys), catalog.index.alive, strict=True) if alive]
        missing = [i for i in self.ids if i not in catalog.index.position]
        if missing:
            raise KeyError(f"{len(missing)} candidate ids are not in the catalog index, e.g. {missing[0]}")
        self.positions = np.array([catalog.index.position[i] for i in self.ids], dtype=np.int64)
        self.vectors = np.ascontiguousarray(catalog.index.vectors[self.positions])
        self.index_of = {item_id: n for n, item_id in enumerate(self.ids)}
        self.domains = [catalog.get(i).domain for i in self.ids]
        self.movie = np.array([d == "movie" for d in self.domains], dtype=bool)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class ScoreParts:
    """What scoring a state needs apart from the weights, so a weight grid or the fusion fit can reuse it."""

    allowed: np.ndarray  # bool: passes the hard filters
    tag_matches: np.ndarray  # number of liked facets each candidate is tagged with
    dislike_sim: np.ndarray | None  # max cosine to a disliked facet, clipped at 0
    cf: np.ndarray | None  # co-occurrence with the items talked about (bot.ranking.cf_scores)
    dialogue: np.ndarray | None = None  # learned dialogue query . item vector
    neighbours: np.ndarray | None = None
    prior: np.ndarray | None = None
    people: np.ndarray | None = None  # liked / style people each candidate is by (person_matches)
    echo: np.ndarray | None = None  # title echoes of liked titles (title_echo)
    best_known: list[np.ndarray] = field(default_factory=list)  # per liked facet and domain: allowed
    # candidates carrying it, best-known first (the chat pool's `_best_known` channel)
    softly_disliked: np.ndarray | None = None  # bool: more of a softly disliked quality than the average


def score_parts(
    state: DialogueState, ctx: Context, cands: Candidates, *, use_cf: bool = True, keep_known: bool = False,
    dialogue_text: str | None = None, use_learned: bool = True,
) -> ScoreParts:
    """The weight-free parts of the score. `keep_known` leaves items the user already named (seen,
    liked, or shown by the bot) in the ranking, so an evaluation protocol can decide about them;
    items the user turned down stay out either way. `dialogue_text` replaces the state's own record
    of the conversation (a benchmark has both speakers' words)."""
    allowed = allowed_by_filters(state, ctx, cands, keep_known)

    matches = np.zeros(len(cands), dtype=np.float32)
    domains = sorted(set(cands.domains))
    for facet in state.likes:
        for domain in domains:
            for item_id in ctx.ids_carrying(facet.text, domain):
                n = cands.index_of.get(item_id)
                if n is not None:
                    matches[n] += 1

    by_id = cf_scores(state, ctx) if use_cf else {}
    cf = _aligned(by_id, cands) if by_id else None
    dialogue = votes = None
    if use_learned:
        learned = dialogue_query(state, ctx, dialogue_text)
        dialogue = None if learned is None else dialogue_scores(learned, cands.vectors, cands.movie)
        found = neighbour_scores(state, ctx, dialogue_text)
        votes = _aligned(found, cands) if found else None
    prior = ctx.priors_of(cands.ids)
    dislike = dislike_similarity(state, ctx, cands.vectors)
    people = person_matches(state, ctx, cands.index_of, len(cands))
    echo = title_echo(state, ctx, list(cands.ids))
    best = []
    if ctx.priors:
        for ids in best_known_order(state, ctx, sorted(set(cands.domains))):
            order = np.array([n for i in ids if (n := cands.index_of.get(i)) is not None], dtype=np.int64)
            best.append(order[allowed[order]] if len(order) else order)
    return ScoreParts(allowed, matches, dislike, cf, dialogue, votes, prior, people, echo, best,
                      softly_disliked(state, ctx, cands.vectors))


def _aligned(by_id: dict[str, float], cands: Candidates) -> np.ndarray:
    out = np.zeros(len(cands), dtype=np.float32)
    for item_id, s in by_id.items():
        n = cands.index_of.get(item_id)
        if n is not None:
            out[n] = s
    return out


def features_of(parts: ScoreParts, state: DialogueState, ctx: Context, cands: Candidates,
                extra: list[Interest] | None = None) -> Features:
    query = query_for(state, ctx, extra)
    query = query / max(float(np.linalg.norm(query)), 1e-12)  # as Catalog.search does
    return Features(cands.vectors @ query, parts.tag_matches, parts.dislike_sim, parts.cf, parts.dialogue,
                    parts.neighbours, parts.prior, parts.people, parts.echo, cands.movie,
                    parts.softly_disliked)


def combine(
    parts: ScoreParts, state: DialogueState, ctx: Context, cands: Candidates,
    extra: list[Interest] | None = None, config: ScoringConfig | None = None,
) -> np.ndarray:
    """Scores under `config` (default: the context's); -inf where the hard filters say no."""
    cfg = config or ctx.config
    if cfg is not ctx.config:  # interests() and query_for() read their weights from the context
        ctx = copy.copy(ctx)
        ctx.config = cfg
    f = features_of(parts, state, ctx, cands, extra)
    scores = hybrid_score(f, cfg, state.novelty, anchored(state, ctx.catalog.items), wanted_facets(state),
                          said_facets(state))
    return pool_limited(scores, f, parts, cfg.pool)


def pool_limited(scores: np.ndarray, f: Features, parts: ScoreParts, pool: int) -> np.ndarray:
    """Items the chat's pool would not fetch (nearest `pool` by content or by the learned dialogue
    query, then the best-known of each liked facet) rank below every pooled one; filtered items get -inf."""
    scores, allowed = np.array(scores, dtype=np.float64), parts.allowed
    if pool and pool < int(allowed.sum()):
        outside = np.ones(len(scores), dtype=bool)
        for signal in (f.content, f.dialogue):
            if signal is not None:
                pooled = np.where(allowed, signal, -np.inf)
                outside[np.argpartition(-pooled, pool - 1)[:pool]] = False
        for order in parts.best_known:  # as `_best_known`: the first BEST_KNOWN not yet in the pool
            joined = order[outside[order]][:BEST_KNOWN]
            outside[joined] = False
        scores[outside] -= OUT_OF_POOL
    scores[~allowed] = -np.inf
    return scores


def score_items(
    state: DialogueState, ctx: Context, cands: Candidates, extra: list[Interest] | None = None, *,
    use_cf: bool = True, keep_known: bool = False, config: ScoringConfig | None = None,
    dialogue_text: str | None = None, use_learned: bool = True,
) -> np.ndarray:
    """A score per candidate (aligned with `cands.ids`), higher is better, -inf = filtered out."""
    parts = score_parts(state, ctx, cands, use_cf=use_cf, keep_known=keep_known, dialogue_text=dialogue_text,
                        use_learned=use_learned)
    return combine(parts, state, ctx, cands, extra, config)


def allowed_by_filters(state: DialogueState, ctx: Context, cands: Candidates, keep_known: bool = False
                       ) -> np.ndarray:
    """Which candidates the state's hard filters let through (see `score_parts` for `keep_known`)."""
    filters = filters_for(state, ctx)
    if keep_known:
        known = set(state.seen) | set(state.liked_items) | set(state.recommended)
        refused = set(state.rejected) | set(state.disliked_items)
        filters = replace(filters, exclude_ids=frozenset((filters.exclude_ids - known) | refused))
    allowed = _allowed(ctx, cands, filters)
    if not allowed.any() and filters.include_ids is not None:  # no item by that creator fits: relax it
        allowed = _allowed(ctx, cands, replace(filters, include_ids=None))
    return allowed


def _allowed(ctx: Context, cands: Candidates, filters) -> np.ndarray:
    mask = ctx.catalog.mask(filters)
    alive = ctx.catalog.index.alive[cands.positions]
    return alive if mask is None else (mask[cands.positions] & alive)
