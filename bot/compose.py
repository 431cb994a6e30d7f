"""Interest composition: weighted interest vectors -> one query; then hybrid scoring and MMR.

The seeds' recipe: tags -> interest vectors -> weighted sum -> inner product.
Each positive interest (a facet's text embedding or a liked item's vector) gets
a weight from its salience and its recency (softmax over turns, newer counts
more); their weighted sum is the FAISS query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ScoringConfig:
    recency_temperature: float = 1.5  # turns; smaller = recent turns dominate more
    item_weight: float = 1.5  # a liked item says more than a facet word
    utterance_weight: float = 1.0  # this turn's own words, when they only say what is wanted
    stale_domain_weight: float = 0.3  # likes said about another domain still count, but less
    creator_weight: float = 0.8
    # pool, tag_bonus and cf_weight: tuned on the held-out ReDial valid part (bench/results/tuning.json)
    pool: int = 300  # candidates fetched from FAISS before re-scoring
    tag_bonus: float = 0.16  # per liked facet the item is tagged with
    dislike_penalty: float = 0.35  # times max similarity to a soft-dislike vector
    cf_weight: float = 1.0
    mmr_lambda: float = 0.85  # 1 = relevance only, 0 = diversity only
    rerank_candidates: int = 20  # how many of the best-scored candidates the LLM reranker sees
    rerank_weight: float = 1.0  # LLM opinion, in retrieval standard deviations (bot.rerank.blend)
    k: int = 5


@dataclass(frozen=True)
class Interest:
    vector: np.ndarray
    salience: float
    turn: int


def recency_weights(turns: list[int], current_turn: int, temperature: float) -> np.ndarray:
    """Softmax over -(age / temperature): an interest from this turn gets the most weight."""
    ages = np.array([current_turn - t for t in turns], dtype=np.float64)
    logits = -ages / max(temperature, 1e-6)
    w = np.exp(logits - logits.max())
    return w / w.sum()


def compose_query(interests: list[Interest], current_turn: int, temperature: float) -> np.ndarray | None:
    """Weighted sum of interest vectors, unit length; None when there is nothing positive."""
    if not interests:
        return None
    w = recency_weights([i.turn for i in interests], current_turn, temperature)
    w = w * np.array([i.salience for i in interests])
    q = (w[:, None] * np.stack([i.vector for i in interests])).sum(axis=0)
    n = float(np.linalg.norm(q))
    return (q / n).astype(np.float32) if n > 0 else None


def mmr(
    ids: list[str], relevance: np.ndarray, vectors: np.ndarray, k: int, lam: float
) -> list[int]:
    """Maximal marginal relevance: indices of k picks balancing relevance and novelty."""
    if not ids:
        return []
    k = min(k, len(ids))
    sims = vectors @ vectors.T
    picked: list[int] = [int(np.argmax(relevance))]
    while len(picked) < k:
        redundancy = sims[:, picked].max(axis=1)
        score = lam * relevance - (1 - lam) * redundancy
        score[picked] = -np.inf
        picked.append(int(np.argmax(score)))
    return picked
