"""The benchmark's metric functions on cases small enough to compute by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bench.metrics import (
    coverage,
    intra_list_diversity,
    mean_popularity,
    mrr,
    ndcg_at_k,
    novelty,
    percentile,
    prf,
    rank_of,
    recall_at_k,
    top_k,
)


def test_rank_of_counts_ties_against_the_target():
    scores = np.array([0.9, 0.5, 0.5, 0.1, -np.inf])
    assert rank_of(scores, 0) == 1
    assert rank_of(scores, 1) == 3  # tied with index 2: the worse of ranks 2 and 3
    assert rank_of(scores, 2) == 3
    assert rank_of(scores, 3) == 4
    assert rank_of(scores, 4) == 5  # an excluded target is last
    assert rank_of(np.zeros(7), 3) == 7  # a constant scorer earns nothing


def test_recall_at_k():
    ranks = [1, 2, 10, 11, 50, 51]
    assert recall_at_k(ranks, 1) == pytest.approx(1 / 6)
    assert recall_at_k(ranks, 10) == pytest.approx(3 / 6)
    assert recall_at_k(ranks, 50) == pytest.approx(5 / 6)
    assert recall_at_k([], 10) == 0.0


def test_ndcg_with_one_relevant_item():
    # rank 1 -> 1, rank 3 -> 1/log2(4) = 0.5, rank 11 -> 0 at k=10
    assert ndcg_at_k([1, 3, 11], 10) == pytest.approx((1 + 0.5 + 0) / 3)
    assert ndcg_at_k([2], 10) == pytest.approx(1 / math.log2(3))
    assert ndcg_at_k([10], 10) == pytest.approx(1 / math.log2(11))
    assert ndcg_at_k([10], 9) == 0.0


def test_mrr():
    assert mrr([1, 2, 4]) == pytest.approx((1 + 0.5 + 0.25) / 3)
    assert mrr([100]) == pytest.approx(0.01)


def test_top_k_skips_excluded_and_breaks_ties_by_index():
    scores = np.array([0.2, 0.9, -np.inf, 0.9, 0.5])
    assert top_k(scores, 3) == [1, 3, 4]
    assert top_k(scores, 10) == [1, 3, 4, 0]
    assert top_k(np.full(3, -np.inf), 2) == []


def test_coverage():
    assert coverage([["a", "b"], ["b", "c"]], 10) == pytest.approx(0.3)
    assert coverage([], 10) == 0.0


def test_intra_list_diversity():
    e1, e2 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    same = np.stack([e1, e1])
    orthogonal = np.stack([e1, e2])
    assert intra_list_diversity([same]) == pytest.approx(0.0)
    assert intra_list_diversity([orthogonal]) == pytest.approx(1.0)
    # three items: pairs (e1,e1)=0, (e1,e2)=1, (e1,e2)=1 -> mean distance 2/3; then averaged with 1.0
    assert intra_list_diversity([np.stack([e1, e1, e2]), orthogonal]) == pytest.approx((2 / 3 + 1) / 2)
    assert intra_list_diversity([np.stack([e1])]) == 0.0  # a one-item list has no pairs


def test_novelty_and_popularity():
    counts = {"hit": 7, "rare": 0}
    # n_users 7: p(hit) = 8/8 -> 0 bits, p(rare) = 1/8 -> 3 bits
    assert novelty([["hit", "rare"]], counts, 7) == pytest.approx(1.5)
    assert novelty([["unknown"]], counts, 7) == pytest.approx(3.0)
    assert mean_popularity([["hit", "rare"], ["hit"]], counts) == pytest.approx(14 / 3)


def test_prf():
    s = prf(tp=3, fp=1, fn=2)
    assert s["precision"] == pytest.approx(0.75)
    assert s["recall"] == pytest.approx(0.6)
    assert s["f1"] == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert prf(0, 0, 0)["f1"] == 1.0
    assert prf(0, 2, 0)["precision"] == 0.0


def test_percentile_nearest_rank():
    values = [5, 1, 4, 2, 3]
    assert percentile(values, 0.5) == 3
    assert percentile(values, 0.95) == 5
    assert percentile(values, 0.0) == 1
    assert percentile(list(range(1, 101)), 0.95) == 95
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_exposure_by_decile_counts_slots_per_popularity_tenth():
    from bench.metrics import exposure_by_decile

    cands = [f"m{i:02d}" for i in range(20)]
    counts = {f"m{i:02d}": 100 - i for i in range(20)}  # m00 most popular
    only_top = exposure_by_decile([["m00", "m01"], ["m00"]], counts, cands)
    assert only_top[0] == 1.0 and sum(only_top) == 1.0
    spread = exposure_by_decile([cands], counts, cands)
    assert spread == [0.1] * 10
    assert exposure_by_decile([], counts, cands) == [0.0] * 10
