"""How fast an already verified / converted model is found again (the goal: well under 1 s).

    .venv/bin/python -m bench.bench_model_cache [--repeats 20] [--out bench/results/model_cache.json]

Two cached paths that every start takes, timed over --repeats calls each:
- the packaged embedder's files checked again with valid stamps (size and mtime only, no
  hashing): `resolve_embedder("packaged")` on a fresh stamp file, after one untimed first
  check that hashes them;
- the packaged small LLM (SmolLM2) found already converted: `resolve_llm("packaged-small")`
  on the Settings cache_dir (converted there first, untimed, if it is not yet).
Prints p50 / max and writes them, with the load average, to bench/results/model_cache.json.
The tests check that these paths do not hash or convert again; the time is measured here.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from bot.config import Settings
from bot.models import resolve_embedder, resolve_llm

GOAL_S = 1.0
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "model_cache.json"


def _timed(fn, repeats: int) -> dict:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return {"n": repeats, "p50_s": round(statistics.median(times), 5), "max_s": round(max(times), 5),
            "within_goal": max(times) < GOAL_S}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--cache-dir", type=Path, help="default: the Settings cache_dir")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    cache_dir = args.cache_dir or Settings.from_env().cache_dir

    report: dict = {"goal_s": GOAL_S, "cpu_count": os.cpu_count(),
                    "loadavg_start": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        resolve_embedder("packaged", cache_dir=Path(tmp))  # hashes the files, writes the stamps
        first = time.perf_counter() - t
        report["embedder_stamped_verify"] = _timed(lambda: resolve_embedder("packaged", cache_dir=Path(tmp)),
                                                   args.repeats)
        report["embedder_stamped_verify"]["first_check_s"] = round(first, 3)
    resolve_llm("packaged-small", cache_dir)  # converts once if this cache lacks it
    report["small_llm_cached_resolve"] = _timed(lambda: resolve_llm("packaged-small", cache_dir),
                                                args.repeats)
    report["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    report["date"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")

    for name in ("embedder_stamped_verify", "small_llm_cached_resolve"):
        r = report[name]
        print(f"{name:<28} p50 {r['p50_s'] * 1000:8.2f} ms   max {r['max_s'] * 1000:8.2f} ms   "
              f"goal < {GOAL_S:.0f} s: {'ok' if r['within_goal'] else 'MISSED'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
