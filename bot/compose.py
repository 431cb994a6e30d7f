"""Interest composition: weighted interest vectors -> one query; and MMR over the scored pool.

The seeds' recipe: tags -> interest vectors -> weighted sum -> inner product.
Each positive interest (a facet's text embedding or a liked item's vector) gets
a weight from its salience and its recency (softmax over turns, newer counts
more); their weighted sum is the FAISS query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
    ids: list[str], relevance: np.ndarray, vectors: np.ndarray, k: int, lam: float,
    groups: list[tuple[str, ...]] | None = None, per_group: int = 2,
) -> list[int]:
    """Maximal marginal relevance: indices of k picks balancing relevance and novelty. `groups` gives each
    candidate its keys (its maker, its series): at most `per_group` picks share one, while others remain."""
    if not ids:
        return []
    k = min(k, len(ids))
    sims = vectors @ vectors.T
    picked: list[int] = [int(np.argmax(relevance))]
    counts: dict[str, int] = {}
    while len(picked) < k:
        for key in groups[picked[-1]] if groups else ():
            counts[key] = counts.get(key, 0) + 1
        redundancy = sims[:, picked].max(axis=1)
        score = lam * relevance - (1 - lam) * redundancy
        score[picked] = -np.inf
        if groups:
            full = np.array([any(counts.get(key, 0) >= per_group for key in g) for g in groups])
            if not (full | np.isneginf(score)).all():
                score[full] = -np.inf
        picked.append(int(np.argmax(score)))
    return picked
