"""A score for every catalog item, by the dialogue manager's own recipe (for ranking metrics).

`bot.manager.recommend` fetches a FAISS pool of `config.pool` items, re-scores it and keeps five
after MMR. Ranking metrics (Recall@50, MRR) need a score for every candidate, so `score_items`
applies the same pieces to all of them: the same query (`query_for`), hard filters
(`filters_for`), tag bonus, soft-dislike penalty and co-occurrence. Items outside the content
pool rank below every pooled item, since the chat could never show them. MMR is left out: it
reorders the five shown picks for variety; it is not a ranking.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

import numpy as np

from bot.compose import Interest, ScoringConfig
from bot.manager import Context, filters_for, query_for
from bot.state import DialogueState

OUT_OF_POOL = 1e3  # subtracted from items the pool would not have fetched: below all pooled items


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

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class ScoreParts:
    """What scoring a state needs apart from the weights, so a weight grid can reuse it."""

    allowed: np.ndarray  # bool: passes the hard filters
    tag_matches: np.ndarray  # number of liked facets each candidate is tagged with
    dislike_sim: np.ndarray | None  # max cosine to a disliked facet, clipped at 0
    cf: np.ndarray | None  # co-occurrence with the liked items


def score_parts(
    state: DialogueState, ctx: Context, cands: Candidates, *, use_cf: bool = True, keep_known: bool = False
) -> ScoreParts:
    """The weight-free parts of the score. `keep_known` leaves items the user already named (seen,
    liked, or shown by the bot) in the ranking, so an evaluation protocol can decide about them;
    items the user turned down stay out either way."""
    filters = filters_for(state, ctx)
    if keep_known:
        known = set(state.seen) | set(state.liked_items) | set(state.recommended)
        refused = set(state.rejected) | set(state.disliked_items)
        filters = replace(filters, exclude_ids=frozenset((filters.exclude_ids - known) | refused))
    allowed = _allowed(ctx, cands, filters)
    if not allowed.any() and filters.include_ids is not None:  # no item by that creator fits: relax it
        allowed = _allowed(ctx, cands, replace(filters, include_ids=None))

    matches = np.zeros(len(cands), dtype=np.float32)
    domains = sorted(set(cands.domains))
    for facet in state.likes:
        for domain in domains:
            tags = ctx.lexicon.tags_for(facet.text, domain) or [facet.text]
            for item_id in ctx.ids_with_tags(tags):
                n = cands.index_of.get(item_id)
                if n is not None and cands.domains[n] == domain:
                    matches[n] += 1

    dislike_sim = None
    if state.dislikes:
        dv = np.stack([ctx.facet_vector(f.text) for f in state.dislikes])
        dislike_sim = np.clip(cands.vectors @ dv.T, 0, None).max(axis=1)

    cf = None
    if use_cf and ctx.cooc is not None and state.liked_items:
        cf = np.zeros(len(cands), dtype=np.float32)
        for item_id, s in ctx.cooc.scores(state.liked_items).items():
            n = cands.index_of.get(item_id)
            if n is not None:
                cf[n] = s
    return ScoreParts(allowed, matches, dislike_sim, cf)


def combine(
    parts: ScoreParts, state: DialogueState, ctx: Context, cands: Candidates,
    extra: list[Interest] | None = None, config: ScoringConfig | None = None,
) -> np.ndarray:
    """Scores under `config` (default: the context's); -inf where the hard filters say no."""
    cfg = config or ctx.config
    if cfg is not ctx.config:  # interests() and query_for() read their weights from the context
        ctx = copy.copy(ctx)
        ctx.config = cfg
    query = query_for(state, ctx, extra)
    query = query / max(float(np.linalg.norm(query)), 1e-12)  # as Catalog.search does
    content = cands.vectors @ query
    scores = content.astype(np.float64) + cfg.tag_bonus * parts.tag_matches
    if parts.dislike_sim is not None:
        scores -= cfg.dislike_penalty * parts.dislike_sim
    if parts.cf is not None:
        scores += cfg.cf_weight * parts.cf
    if cfg.pool and cfg.pool < int(parts.allowed.sum()):
        pooled = np.where(parts.allowed, content, -np.inf)
        outside = np.ones(len(cands), dtype=bool)
        outside[np.argpartition(-pooled, cfg.pool - 1)[: cfg.pool]] = False
        scores[outside] -= OUT_OF_POOL
    scores[~parts.allowed] = -np.inf
    return scores


def score_items(
    state: DialogueState, ctx: Context, cands: Candidates, extra: list[Interest] | None = None, *,
    use_cf: bool = True, keep_known: bool = False, config: ScoringConfig | None = None,
) -> np.ndarray:
    """A score per candidate (aligned with `cands.ids`), higher is better, -inf = filtered out."""
    parts = score_parts(state, ctx, cands, use_cf=use_cf, keep_known=keep_known)
    return combine(parts, state, ctx, cands, extra, config)


def _allowed(ctx: Context, cands: Candidates, filters) -> np.ndarray:
    mask = ctx.catalog.mask(filters)
    alive = ctx.catalog.index.alive[cands.positions]
    return alive if mask is None else (mask[cands.positions] & alive)
