"""Collaborative signal: item-item co-occurrence learned from an interactions file.

An interactions file is CSV with columns `user,item,liked` (or `rating`, where
rating >= the threshold counts as liked). Items liked by the same user count as
co-occurring; scores are cosine-normalised counts, so popular items do not win
by volume alone.
"""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path


class CoOccurrence:
    """`shrink` damps pairs seen only once or twice: with sparse data a single
    shared basket would otherwise score as high as a strong, repeated signal."""

    def __init__(self, baskets: Iterable[Iterable[str]], shrink: float = 1.0):
        self.shrink = shrink
        self.pairs: dict[str, Counter] = defaultdict(Counter)
        self.counts: Counter = Counter()
        for basket in baskets:
            items = sorted(set(basket))
            self.counts.update(items)
            for a, b in combinations(items, 2):
                self.pairs[a][b] += 1
                self.pairs[b][a] += 1

    @classmethod
    def from_file(
        cls, path: str | Path, known_ids: set[str] | None = None, rating_threshold: float = 4.0
    ) -> CoOccurrence:
        baskets: dict[str, set[str]] = defaultdict(set)
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = {"user", "item"} - set(reader.fieldnames or [])
            if missing:
                raise ValueError(f"{path}: interactions need columns user,item and liked or rating")
            for row in reader:
                if known_ids is not None and row["item"] not in known_ids:
                    continue
                if _liked(row, rating_threshold):
                    baskets[row["user"]].add(row["item"])
        return cls(baskets.values())

    def __len__(self) -> int:
        return len(self.counts)

    def related(self, item_id: str, k: int = 50) -> list[tuple[str, float]]:
        """Items most often liked together with `item_id`, cosine-normalised."""
        n = self.counts.get(item_id, 0)
        if not n:
            return []
        scored = [
            (other, c / math.sqrt(n * self.counts[other]) * c / (c + self.shrink))
            for other, c in self.pairs[item_id].items()
        ]
        scored.sort(key=lambda x: (-x[1], x[0]))
        return scored[:k]

    def scores(self, liked: Iterable[str], weights: Iterable[float] | None = None) -> dict[str, float]:
        """Sum of normalised co-occurrence with each liked item (optionally weighted)."""
        liked = list(liked)
        weights = list(weights) if weights is not None else [1.0] * len(liked)
        total: dict[str, float] = defaultdict(float)
        for item_id, w in zip(liked, weights, strict=True):
            for other, s in self.related(item_id, k=200):
                total[other] += w * s
        for item_id in liked:
            total.pop(item_id, None)
        return dict(total)

    def popularity(self) -> Counter:
        return Counter(self.counts)


def _liked(row: dict, threshold: float) -> bool:
    if row.get("liked") not in (None, ""):
        return str(row["liked"]).strip().lower() in ("1", "true", "yes", "y")
    if row.get("rating") not in (None, ""):
        try:
            return float(row["rating"]) >= threshold
        except ValueError:
            return False
    return True  # an interaction with no label counts as a positive (implicit feedback)
