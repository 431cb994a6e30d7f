#!/usr/bin/env python
"""Build data/common_words.txt: English words that are ordinary words far more often than names.

A last name alone ("Good", "Camp", "Death") is taken for a person only where the sentence says so,
when it is also an everyday word (bot.understand.titles._creator_ok). Which words are everyday ones
was learned from each catalog's own descriptions, so a catalog with few or short descriptions (a
shop's, or ReDial's bare titles) knew none and "Good movie!!" became a wish for Meagan Good's films.
This list, from the demo catalog's descriptions, is shipped and added to each catalog's own.

Rule: a word of 4+ letters written in lowercase at least 10 times, and at least 5 times as often in
lowercase as capitalised. Deterministic output.

    python scripts/build_common_words.py [--catalog data/catalog.jsonl.gz] [--out data/common_words.txt]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from retrieval.items import read_items

REPO = Path(__file__).resolve().parents[1]
_WORD = re.compile(r"\b[A-Za-z][a-z]{3,}\b")


def common_words(descriptions, min_lower: int = 10, ratio: int = 5) -> list[str]:
    lower: Counter = Counter()
    upper: Counter = Counter()
    for text in descriptions:
        for w in _WORD.findall(text or ""):
            (upper if w[0].isupper() else lower)[w.lower()] += 1
    return sorted(w for w, n in lower.items() if n >= min_lower and ratio * n >= upper[w])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalog", type=Path, default=REPO / "data" / "catalog.jsonl.gz")
    ap.add_argument("--out", type=Path, default=REPO / "data" / "common_words.txt")
    args = ap.parse_args()
    words = common_words(item.description for item in read_items(args.catalog).items)
    args.out.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {args.out}")


if __name__ == "__main__":
    main()
