"""The evaluation harness in one command.

    .venv/bin/python -m bench.run                  # everything, full ReDial (~15-25 min on 2 cores)
    .venv/bin/python -m bench.run --quick          # subsamples, written to .cache/bench/results-quick/
    .venv/bin/python -m bench.run --only redial,tune
    .venv/bin/python -m bench.run --only report    # re-render REPORT.md and the plots from the JSON

Stages: fuse (fit hybrid_score's weights on the valid part into finetune/adapters/fusion.json), redial
(valid and test, both protocols, every registered variant, under the fitted weights), tune (ScoringConfig grid
on the valid part), probes (bench/data/probes.jsonl on the demo catalog), latency (per stage, cold
start), report (REPORT.md, recall_at_k.png, latency.png). Results: bench/results/*.json. The ReDial
files are looked for in ../shared/data/eval/redial/ next to the repository (--redial-dir).
Heavy: run it under `flock /tmp/tastebud-cpu.lock` on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

# numpy, torch and faiss are imported lazily below, after this: one BLAS thread, as the app runs
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parent.parent
STAGES = ("fuse", "redial", "tune", "probes", "latency", "report")
DEFAULT_REDIAL = REPO.parent / "shared" / "data" / "eval" / "redial"
QUICK = {"valid": 60, "test": 150, "repeats": 2, "cold_runs": 1}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="subsample dialogues, small grid, fewer passes")
    ap.add_argument("--only", default=",".join(STAGES), help=f"comma-separated stages: {', '.join(STAGES)}")
    ap.add_argument("--redial-dir", type=Path, default=DEFAULT_REDIAL,
                    help="folder with test_data.jsonl, valid_data_kgsf_split.jsonl, movies_with_mentions.csv")
    ap.add_argument("--out", type=Path, help="results folder (default bench/results; quick: .cache/bench/…)")
    ap.add_argument("--limit-valid", type=int, help="valid-part dialogues to use (default all; quick 60)")
    ap.add_argument("--limit-test", type=int, help="test dialogues to use (default all; quick 150)")
    ap.add_argument("--repeats", type=int, help="latency passes over the script (default 5; quick 2)")
    args = ap.parse_args(argv)
    stages = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(stages) - set(STAGES)
    if unknown:
        ap.error(f"unknown stage(s) {sorted(unknown)}; choose from {', '.join(STAGES)}")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    from bot.config import Settings

    settings = Settings.from_env()
    quick_out = settings.cache_dir / "bench" / "results-quick"
    out = args.out or (quick_out if args.quick else REPO / "bench" / "results")
    out.mkdir(parents=True, exist_ok=True)
    if {"fuse", "redial", "tune"} & set(stages):
        from finetune.redial import require_files

        try:
            require_files(args.redial_dir)
        except FileNotFoundError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2

    from bot.runtime import set_threads

    set_threads(1)  # as the app serves
    run = {"started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "quick": args.quick,
           "stages": stages, "cpus": os.cpu_count(), "loadavg_start": round(os.getloadavg()[0], 2),
           "stage_s": {}}
    t_start = time.perf_counter()
    data = None
    if {"fuse", "redial", "tune"} & set(stages):
        from bench.redial import load_data

        t0 = time.perf_counter()
        print("opening the ReDial candidate catalog (first time: embeds the movies the demo catalog lacks)")
        data = load_data(args.redial_dir, settings)
        run["stage_s"]["candidates"] = round(time.perf_counter() - t0, 1)
    limits = {"valid": args.limit_valid or (QUICK["valid"] if args.quick else None),
              "test": args.limit_test or (QUICK["test"] if args.quick else None)}
    fused = None
    if "fuse" in stages:
        t0 = time.perf_counter()
        fused = run_fuse(data, limits)
        run["stage_s"]["fuse"] = round(time.perf_counter() - t0, 1)
    if "redial" in stages:
        t0 = time.perf_counter()
        result = run_redial(data, limits, args.quick, fused)
        _write(out / "redial.json", result)
        run["stage_s"]["redial"] = round(time.perf_counter() - t0, 1)
    if "tune" in stages:
        t0 = time.perf_counter()
        _write(out / "tuning.json", run_tune(data, limits, args.quick))
        run["stage_s"]["tune"] = round(time.perf_counter() - t0, 1)
    demo = None
    if "probes" in stages or "latency" in stages:
        from bot.runtime import open_catalog

        t0 = time.perf_counter()
        demo = open_catalog(settings, progress=True)
        set_threads(1)
        run["stage_s"]["demo_catalog"] = round(time.perf_counter() - t0, 1)
    if "probes" in stages:
        t0 = time.perf_counter()
        _write(out / "probes.json", run_probes(demo, settings))
        run["stage_s"]["probes"] = round(time.perf_counter() - t0, 1)
    if "latency" in stages:
        t0 = time.perf_counter()
        repeats = args.repeats or (QUICK["repeats"] if args.quick else 5)
        _write(out / "latency.json", run_latency(demo, settings, repeats, args.quick))
        run["stage_s"]["latency"] = round(time.perf_counter() - t0, 1)
    run["wall_s"] = round(time.perf_counter() - t_start, 1)
    if stages != ["report"]:
        _write(out / "run.json", _merge_run(out / "run.json", run))
    if "report" in stages:
        from bench.report import write_report

        path = write_report(out)
        print(f"wrote {path} and the plots in {out}")
    print(f"done in {run['wall_s'] / 60:.1f} min")
    return 0


def run_fuse(data, limits: dict) -> dict:
    from bench.fusion import run_fusion
    from bench.redial import bench_context, subsample, target_turns

    turns = target_turns(subsample(data.valid, limits["valid"]), data)
    result = run_fusion(turns, bench_context(data, "valid", turns=turns))
    print("fitted weights:", json.dumps(result["weights"]))
    return result


def run_redial(data, limits: dict, quick: bool, fused: dict | None = None) -> dict:
    from bot.config import FUSION_FILE

    if fused is None and FUSION_FILE.exists():  # the last fit, as the app uses it
        fused = json.loads(FUSION_FILE.read_text(encoding="utf-8"))
    from bench.redial import (
        PROTOCOLS,
        PUBLISHED,
        bench_context,
        evaluate,
        protocol_view,
        subsample,
        target_turns,
    )
    from bench.report import variant_descriptions
    from bot.config import ScoringConfig

    dialogues = {"train": len(data.train), "valid": len(data.valid), "test": len(data.test)}
    meta = {"quick": quick, "movies": len(data.movies), "candidates": len(set(data.id_map.values())),
            "matched_movies": data.matched, "dialogues": dialogues, "limits": limits,
            "config": asdict(ScoringConfig()), "turns": {}, "samples": {}, "dialogues_used": {}}
    result = {"meta": meta, "published": PUBLISHED, "variants": variant_descriptions()}
    for split in ("valid", "test"):
        dialogues = subsample(getattr(data, split), limits[split])
        turns = target_turns(dialogues, data)
        meta["dialogues_used"][split] = len(dialogues)
        meta["turns"][split] = len(turns)
        meta["samples"][split] = {p: sum(len(protocol_view(t, p)[0]) for t in turns) for p in PROTOCOLS}
        config = fused and replace(ScoringConfig(), **fused["weights"])
        bench = bench_context(data, split, config, turns=turns)
        if fused is not None:
            from bench.fusion import configs_from

            bench.configs = configs_from(fused, bench.manager.config)
        result[split] = evaluate(turns, bench, desc=f"redial {split}")
        _print_split(split, result[split])
    return result


def run_tune(data, limits: dict, quick: bool) -> dict:
    from bench.redial import GRID, QUICK_GRID, bench_context, subsample, target_turns, tune

    turns = target_turns(subsample(data.valid, limits["valid"]), data)
    result = tune(turns, bench_context(data, "valid", turns=turns), QUICK_GRID if quick else GRID)
    d, b = result["default"], result["best"]
    print(f"tuning: defaults strict R@10 {d['strict']['r10']:.3f} -> best {b['strict']['r10']:.3f} "
          f"with {b['config']} (P(best > default) = {result['p_best_beats_default']:.2f})")
    return result


def run_probes(catalog, settings) -> dict:
    from bench.probes import load_probes
    from bench.probes import run_probes as run
    from bot.runtime import build_context
    from bot.understand import REF_YEAR

    ctx = build_context(settings, catalog)
    ctx.ref_year = REF_YEAR  # the probes' "last 10 years" are labelled from 2023, not from today
    result = run(load_probes(REPO / "bench" / "data" / "probes.jsonl"), ctx)
    result["catalog_items"] = len(catalog)
    ex = result["extraction"]["micro"]
    print(f"probes: {100 * result['violation_rate']:.1f}% of top-5 lists break a stated dislike/constraint; "
          f"state extraction P {ex['precision']:.3f} R {ex['recall']:.3f} F1 {ex['f1']:.3f}")
    return result


def run_latency(catalog, settings, repeats: int, quick: bool) -> dict:
    from bench.latency import cold_start, peak_rss_mb
    from bench.latency import run_latency as run

    loadavg = round(os.getloadavg()[0], 2)
    result = run(catalog, settings, repeats)
    result["items"] = len(catalog)
    result["loadavg_1m"] = loadavg
    result["peak_rss_mb"] = peak_rss_mb()
    result["cold_start"] = cold_start(REPO, runs=1 if quick else 2)
    fr, ft = result["new_user"]["first_recs"], result["new_user"]["full_turn"]
    print(f"latency: first recommendations p50 {fr['p50']:.1f} ms p95 {fr['p95']:.1f} ms; full turn p50 "
          f"{ft['p50']:.1f} ms; cold start {result['cold_start']['seconds_median']:.1f} s")
    return result


def _print_split(split: str, res: dict) -> None:
    print(f"{split:<6}{'variant':<16}{'protocol':<10}{'R@1':>7}{'R@10':>7}{'R@50':>7}{'NDCG10':>8}{'MRR':>7}")
    for name, m in res.items():
        for p in ("standard", "strict"):
            s = m[p]
            print(f"{'':<6}{name:<16}{p:<10}{s['r1']:>7.3f}{s['r10']:>7.3f}{s['r50']:>7.3f}"
                  f"{s['ndcg10']:>8.3f}{s['mrr']:>7.3f}")


def _merge_run(path: Path, run: dict) -> dict:
    """A full run replaces run.json; a partial one (--only) is recorded next to the last full run."""
    if set(run["stages"]) >= set(STAGES) - {"report"} or not path.exists():
        return run
    last = json.loads(path.read_text())
    last["stage_s"].update(run["stage_s"])
    keep = ("started", "stages", "wall_s", "loadavg_start")
    last.setdefault("partial_runs", []).append({k: run[k] for k in keep})
    return last


def _write(path: Path, obj: dict) -> None:
    path.write_text(json.dumps(obj, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
