"""The last step of the ReDial ablation: the app's ranking (ours+learned, or --base) with its top
candidates reranked by the LoRA-tuned LLM (bot/rerank.py, the shipped adapter, in the app's precision
and threads), blended exactly as the app blends it.

The reranker costs ~0.3 s per turn on this CPU, so this runs apart from `python -m bench.run`: a
fixed subsample of valid and test dialogues (the same hash order as the main harness's quick runs),
both protocols. Pointwise scores depend only on (profile, candidate), so a candidate seen in both
protocols' top lists is scored once.

    .venv/bin/python -m bench.redial_rerank [--limit-test 250] [--limit-valid 0] [--splits valid,test]

Writes bench/results/redial_rerank.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.redial import bench_context, evaluate, load_data, subsample, target_turns
from bench.variants import VARIANTS, BenchContext, History, register_variant, top_after_exclusions
from bot.config import Settings
from bot.rerank import LLMReranker, candidate_text, profile_text, rerank_scores
from bot.runtime import set_threads
from bot.words import liked_titles
from finetune.redial import SEEKER

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REDIAL = REPO.parent / "shared" / "data" / "eval" / "redial"


def llm_variant(reranker: LLMReranker, top_n: int, weight: float, base: str = "ours+cf",
                cache: dict[tuple[str, str], float] | None = None):
    """`cache` may be shared by variants that differ only in `weight` (one LLM call for all of them)."""
    cache = {} if cache is None else cache

    def variant(history: History, bench: BenchContext, ids: Sequence[str], excluded: set[str]) -> np.ndarray:
        scores = np.array(VARIANTS[base].fn(history, bench, ids, excluded), dtype=np.float64)
        finite, top = top_after_exclusions(scores, ids, excluded, top_n)
        if len(top) < 2:
            return scores
        state, _ = bench.replay(history)
        said = next((t for role, t in reversed(history) if role == SEEKER), "")
        summary = state.summary()
        profile = profile_text(summary, liked_titles(state, bench.item, with_year=True), said)
        lines = [candidate_text(bench.item(ids[n]), summary["likes"]) for n in top]
        todo = [line for line in dict.fromkeys(lines) if (profile, line) not in cache]
        if todo:
            for line, s in zip(todo, reranker.score(profile, todo), strict=True):
                cache[(profile, line)] = float(s)
        if len(cache) > 200_000:
            cache.clear()
        llm = np.array([cache[(profile, line)] for line in lines])
        return rerank_scores(scores, top, llm, weight, rest=np.setdiff1d(finite, top))

    return variant


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--redial-dir", type=Path, default=DEFAULT_REDIAL)
    ap.add_argument("--limit-valid", type=int, default=0, help="valid-part dialogues (0 = all)")
    ap.add_argument("--limit-test", type=int, default=250, help="test dialogues (0 = all)")
    ap.add_argument("--top-n", type=int, help="candidates reranked (default: the app's rerank_candidates)")
    ap.add_argument("--weight", type=float, help="blend weight (default: the app's rerank_weight)")
    ap.add_argument("--also-weights", default="", help="more blend weights to score from the same LLM calls, "
                    "e.g. 0.5,2 (variants '<base>+llm@w')")
    ap.add_argument("--adapter", help="adapter folder (default: the shipped one)")
    ap.add_argument("--base", default="ours+learned", help="the variant whose top candidates are reranked")
    ap.add_argument("--splits", default="valid,test")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "redial_rerank.json")
    args = ap.parse_args(argv)

    settings = Settings.from_env()
    from bot.config import ScoringConfig

    cfg = ScoringConfig()
    top_n = args.top_n or cfg.rerank_candidates
    weight = args.weight if args.weight is not None else cfg.rerank_weight
    data = load_data(args.redial_dir, settings)
    reranker = LLMReranker.from_pretrained(args.adapter or settings.adapter, cache_dir=settings.cache_dir,
                                           threads=settings.rerank_threads,
                                           precision=settings.rerank_precision)
    set_threads(settings.build_threads)
    base, name = args.base, f"{args.base}+llm"
    cache: dict[tuple[str, str], float] = {}
    register_variant(name, llm_variant(reranker, top_n, weight, base=base, cache=cache),
                     f"{base}, top {top_n} reranked by the LoRA-tuned LLM (blend weight {weight})",
                     uses_excluded=True)
    extra = [f"{name}@{w:g}" for w in (float(x) for x in args.also_weights.split(",") if x.strip())]
    for variant in extra:
        w = float(variant.rsplit("@", 1)[1])
        register_variant(variant, llm_variant(reranker, top_n, w, base=base, cache=cache),
                         f"{base}, top {top_n} reranked by the LoRA-tuned LLM (blend weight {w:g})",
                         uses_excluded=True)
    out = {"adapter": Path(reranker.adapter).name if reranker.adapter else None, "mode": reranker.mode,
           "layers": reranker.model.config.num_hidden_layers, "top_n": top_n, "weight": weight,
           "threads": settings.rerank_threads, "precision": reranker.precision, "base": base}
    limits = {"valid": args.limit_valid, "test": args.limit_test}
    for split in args.splits.split(","):
        limit = limits[split]
        dialogues = subsample(getattr(data, split), limit or None)
        turns = target_turns(dialogues, data)
        t0 = time.perf_counter()
        bench = bench_context(data, split, turns=turns)
        res = evaluate(turns, bench, [base, name, *extra], desc=f"rerank {split}")
        out[split] = {"dialogues": len(dialogues), "turns": len(turns),
                      "seconds": round(time.perf_counter() - t0, 1), **res}
        for v in (base, name, *extra):
            for p in ("standard", "strict"):
                m = res[v][p]
                print(f"{split:>5} {p:>8} {v:>18}: R@1 {m['r1']:.3f} R@10 {m['r10']:.3f} R@50 {m['r50']:.3f} "
                      f"NDCG@10 {m['ndcg10']:.3f} MRR {m['mrr']:.3f} (n={m['n']})")
    out["load_average"] = os.getloadavg()[0]
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
