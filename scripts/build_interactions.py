"""Derive data/interactions/redial_train.csv: which catalog movies each ReDial dialogue liked.

Source: ../shared/data/eval/redial/valid_data_kgsf_split.jsonl and train_extra.jsonl, slices of
ReDial's *train* split (CC BY 4.0; 3,458 distinct dialogues, deduplicated by conversationId). The
test split is never read here. Each dialogue is one "user"; a movie
counts as liked when either participant's questionnaire says liked=1. Movies are linked to
catalog items by normalised title and year (±1); unmatched movies are dropped and counted.

    .venv/bin/python scripts/build_interactions.py [--redial PATH ...] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from tqdm import tqdm

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from retrieval.items import read_items  # noqa: E402
from retrieval.titles import TitleMatcher, split_title_year  # noqa: E402

REDIAL_DIR = REPO.parent / "shared" / "data" / "eval" / "redial"
DEFAULT_REDIAL = [REDIAL_DIR / "valid_data_kgsf_split.jsonl", REDIAL_DIR / "train_extra.jsonl"]


def liked_movies(dialogue: dict) -> dict[str, int]:
    """ReDial movie id -> liked (1/0), from both questionnaires; a 1 from either wins."""
    out: dict[str, int] = {}
    for key in ("initiatorQuestions", "respondentQuestions"):
        answers = dialogue.get(key) or {}
        if not isinstance(answers, dict):
            continue
        for movie_id, labels in answers.items():
            liked = int(labels.get("liked", 0) == 1) if isinstance(labels, dict) else 0
            out[movie_id] = max(out.get(movie_id, 0), liked)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--redial", type=Path, nargs="+", default=DEFAULT_REDIAL,
                        help="ReDial train-split JSONL files (default: the two slices in ../shared)")
    parser.add_argument("--catalog", type=Path, default=REPO / "data" / "catalog.jsonl.gz")
    parser.add_argument("--out", type=Path, default=REPO / "data" / "interactions" / "redial_train.csv")
    args = parser.parse_args(argv)
    if any("test" in p.name for p in args.redial):
        parser.error("the ReDial test split is for evaluation only")

    matcher = TitleMatcher(read_items(args.catalog).items, domain="movie")
    rows, matched, unmatched = [], set(), set()
    dialogues, ids = [], set()
    for path in args.redial:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    if d["conversationId"] not in ids:  # the slices overlap nowhere, but be sure
                        ids.add(d["conversationId"])
                        dialogues.append(d)
    for dialogue in tqdm(dialogues, desc="dialogues", unit="dlg"):
        names = dialogue.get("movieMentions") or {}
        for movie_id, liked in sorted(liked_movies(dialogue).items()):
            name = names.get(movie_id)
            item = matcher.match(*split_title_year(name)) if name else None
            if item is None:
                unmatched.add(movie_id)
                continue
            matched.add(movie_id)
            rows.append({"user": f"redial:{dialogue['conversationId']}", "item": item.id, "liked": liked})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["user", "item", "liked"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} interactions from {len(dialogues)} dialogues; "
          f"{len(matched)} movies linked to the catalog, {len(unmatched)} not in it -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
