"""Which ReDial targets our own hard filters rule out, and the seeker message that did it.

Replays the train-split dialogues (never the test split) through the dialogue manager, as
bench/redial.py does, and for every recommended film it would hide (-inf) finds the first seeker
message after which it is hidden. The counts per reason go to bench/results/filter_audit.json and every
case, with its message, to bench/results/filter_audit.md: reading them is how misreadings (asides taken
as bans, words taken for people) are found; what remains is mostly recommenders not doing what was
asked ("any new movies?" answered with a 1995 film).

    .venv/bin/python -m bench.filter_audit [--redial-dir DIR] [--part train|valid|all]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
from tqdm import tqdm

from bench.redial import bench_context, filter_reason, load_data, target_turns
from bench.variants import Replay
from bot.config import Settings
from bot.rank_all import allowed_by_filters
from finetune.redial import SEEKER

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REDIAL = REPO.parent / "shared" / "data" / "eval" / "redial"


def allowed_mask(state, bench) -> np.ndarray:
    """The candidates a state's hard filters let through, with the strict protocol's view of items
    already named (they stay rankable; the protocol excludes them itself)."""
    return allowed_by_filters(state, bench.manager, bench.cands, keep_known=True)


def cause(turn, target: str, bench) -> str:
    """The seeker message after which `target` is first hidden."""
    replay = Replay(bench.manager, bench.labels)
    n = bench.cands.index_of[target]
    for k in range(1, len(turn.history) + 1):
        state, _ = replay(turn.history[:k])
        if turn.history[k - 1][0] == SEEKER and not allowed_mask(state, bench)[n]:
            return turn.history[k - 1][1]
    return ""


def audit(turns, bench, progress: bool = True) -> tuple[int, Counter, list[dict]]:
    samples, reasons, cases = 0, Counter(), []
    for turn in tqdm(turns, desc="filter audit", unit="turn", disable=not progress, mininterval=2):
        if not turn.new_targets:
            continue
        state, _ = bench.replay(turn.history)
        allowed = allowed_mask(state, bench)
        for target in turn.new_targets:
            samples += 1
            if allowed[bench.cands.index_of[target]]:
                continue
            why = filter_reason(turn, target, bench)
            reasons[why] += 1
            item = bench.item(target)
            cases.append({"reason": why, "target": f"{item.title} ({item.year})",
                          "message": cause(turn, target, bench)})
    return samples, reasons, cases


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--redial-dir", type=Path, default=DEFAULT_REDIAL)
    ap.add_argument("--part", choices=("train", "valid", "all"), default="all")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "filter_audit")
    args = ap.parse_args(argv)
    data = load_data(args.redial_dir, Settings.from_env())
    dialogues = data.train + data.valid if args.part == "all" else getattr(data, args.part)
    turns = target_turns(dialogues, data)
    bench = bench_context(data, "valid", turns=[])
    samples, reasons, cases = audit(turns, bench)
    share = sum(reasons.values()) / max(1, samples)
    result = {"part": args.part, "dialogues": len(dialogues), "strict_targets": samples,
              "ruled_out": sum(reasons.values()), "ruled_out_share": round(share, 4),
              "reasons": dict(reasons.most_common())}
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [f"# Targets our filters rule out: ReDial {args.part} part of the train split",
             "", f"{result['ruled_out']} of {samples} strict targets ({share:.2%}); by reason: "
             + ", ".join(f"{k} {v}" for k, v in reasons.most_common()), ""]
    for case in sorted(cases, key=lambda c: (c["reason"], c["message"])):
        msg = case["message"].replace("|", "/").replace("\n", " ")[:200]
        lines.append(f"- [{case['reason']}] {case['target']} ← “{msg}”")
    args.out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
