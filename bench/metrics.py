"""Ranking and beyond-accuracy metrics: small pure functions over plain arrays.

Ranks are 1-based. Ties count against the system: a target tied with other items gets the worst
of their ranks, so a constant scorer cannot look good by luck (and `-inf`, "excluded", ties too).
Each sample has one target item; a turn with several target movies gives several samples, as in
the KBRD / KGSF / UniCRS evaluations.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np


def rank_of(scores: np.ndarray, target: int) -> int:
    """1-based rank of candidate `target`, counting every tie as ranked above it."""
    s = scores[target]
    return int(np.count_nonzero(scores > s) + np.count_nonzero(scores == s))


def recall_at_k(ranks: Sequence[int], k: int) -> float:
    """Share of samples whose target is in the top k (with one target, hit rate = recall)."""
    return float(np.mean(np.asarray(ranks) <= k)) if len(ranks) else 0.0


def ndcg_at_k(ranks: Sequence[int], k: int) -> float:
    """Mean NDCG@k with one relevant item: 1 / log2(rank + 1) when rank <= k, else 0 (ideal DCG is 1)."""
    r = np.asarray(ranks, dtype=np.float64)
    if not len(r):
        return 0.0
    return float(np.mean(np.where(r <= k, 1.0 / np.log2(r + 1.0), 0.0)))


def mrr(ranks: Sequence[int]) -> float:
    """Mean reciprocal rank over the full ranking (no cut-off)."""
    r = np.asarray(ranks, dtype=np.float64)
    return float(np.mean(1.0 / r)) if len(r) else 0.0


def top_k(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the k best finite scores, best first (ties broken by index, for determinism)."""
    finite = np.flatnonzero(np.isfinite(scores))
    if not len(finite):
        return []
    order = finite[np.lexsort((finite, -scores[finite]))]
    return order[:k].tolist()


def coverage(lists: Iterable[Sequence[str]], catalog_size: int) -> float:
    """Share of the catalog that appears in at least one recommendation list."""
    shown = {i for lst in lists for i in lst}
    return len(shown) / catalog_size if catalog_size else 0.0


def intra_list_diversity(vectors: Sequence[np.ndarray]) -> float:
    """Mean over lists of the mean pairwise cosine distance (1 - cos) between the list's items.

    Each element is one list's (n, dim) array of unit vectors; lists with fewer than 2 items are skipped.
    """
    values = []
    for v in vectors:
        n = len(v)
        if n < 2:
            continue
        sims = v @ v.T
        mean_sim = (sims.sum() - np.trace(sims)) / (n * (n - 1))
        values.append(1.0 - mean_sim)
    return float(np.mean(values)) if values else 0.0


def novelty(lists: Iterable[Sequence[str]], counts: Mapping[str, int], n_users: int) -> float:
    """Mean self-information, -log2 p(i), of recommended items, with p(i) = (count(i) + 1) / (n_users + 1)
    the smoothed share of users who interacted with i. Higher = less popular picks."""
    bits = [-math.log2((counts.get(i, 0) + 1) / (n_users + 1)) for lst in lists for i in lst]
    return float(np.mean(bits)) if bits else 0.0


def mean_popularity(lists: Iterable[Sequence[str]], counts: Mapping[str, int]) -> float:
    """Mean interaction count of the recommended items (the plain-number view of novelty)."""
    values = [counts.get(i, 0) for lst in lists for i in lst]
    return float(np.mean(values)) if values else 0.0


def exposure_by_decile(lists: Iterable[Sequence[str]], counts: Mapping[str, int],
                       candidates: Sequence[str]) -> list[float]:
    """Share of all recommended slots that go to each popularity decile of the candidate set: the
    candidates sorted by interaction count (most popular first, ties by id), cut into 10 equal parts.
    A fair list spreads over the deciles; [1.0, 0, ...] shows only the most popular tenth."""
    order = sorted(candidates, key=lambda i: (-counts.get(i, 0), i))
    decile = {item: min(9, k * 10 // max(1, len(order))) for k, item in enumerate(order)}
    shares = [0] * 10
    slots = [decile[i] for lst in lists for i in lst if i in decile]
    for d in slots:
        shares[d] += 1
    return [s / len(slots) if slots else 0.0 for s in shares]


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall, F1; an empty prediction against an empty gold counts as perfect."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in [0, 1]) of a non-empty sample."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of an empty sample")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]
