"""Latency of the deterministic understanding layer (bot/understand/), on this CPU.

    .venv/bin/python -m bench.bench_understand [--repeats 5] [--long-repeats 20]

Times `extract` (with the catalog title linker) on (a) every utterance of the labelled set,
`repeats` passes after a warm-up, as p50 / p95 / max per utterance (target: p95 <= 30 ms), and
(b) long hostile inputs (2,000-character runs of cue words, capitalised pairs and a misspelling,
and a 1 MB line that is cut at MAX_CHARS), median / max per call (bound: 250 ms). Numbers, not
pass/fail: the tests only check behaviour. Writes bench/results/understand_latency.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.extraction_eval import DEFAULT_CATALOG, DEFAULT_LABELS, load_rows  # noqa: E402
from bot.understand import MAX_CHARS, Lexicon, extract, title_index_linker  # noqa: E402
from retrieval.items import read_items  # noqa: E402

TARGET_P95_MS = 30.0  # labelled set, per utterance
LONG_BOUND_MS = 250.0  # one long hostile input
LONG_INPUTS = {
    "cue words, titles, years x40": "no horror, I loved The Matrix by Stephen King from the 90s 😂 " * 40,
    "capitalised pairs x400": "Aa Bb " * 400,
    "a misspelling x400": "horor " * 400,
    "1 MB line, cut at MAX_CHARS": "I hate gore. " + "x" * 1_000_000 + " I love horror",
}


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def timed_ms(fn, text: str) -> float:
    t0 = time.perf_counter()
    fn(text)
    return (time.perf_counter() - t0) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path, default=DEFAULT_CATALOG)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--repeats", type=int, default=5, help="timed passes over the labelled set")
    parser.add_argument("--long-repeats", type=int, default=20, help="timed calls per long input")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "understand_latency.json")
    args = parser.parse_args(argv)

    load_start = round(os.getloadavg()[0], 2)
    t0 = time.perf_counter()
    items = read_items(args.catalog).items
    lexicon = Lexicon.from_items(items)
    linker = title_index_linker(items)
    setup_s = time.perf_counter() - t0

    def understand(text: str):
        return extract(text, lexicon, linker)

    texts = [row["text"] for row in load_rows(args.labels)]
    for text in texts[:3]:  # first calls fill lazy tables (the fold table); do not time them
        understand(text)
    labelled = [timed_ms(understand, text) for _ in range(args.repeats) for text in texts]

    long_inputs = {}
    for name, text in LONG_INPUTS.items():
        understand(text)
        runs = [timed_ms(understand, text) for _ in range(args.long_repeats)]
        long_inputs[name] = {
            "chars": len(text),
            "ms_p50": round(statistics.median(runs), 2),
            "ms_max": round(max(runs), 2),
            "within_bound": max(runs) <= LONG_BOUND_MS,
        }

    p95 = percentile(labelled, 0.95)
    result = {
        "utterances": len(texts),
        "repeats": args.repeats,
        "labelled_ms_p50": round(statistics.median(labelled), 3),
        "labelled_ms_p95": round(p95, 3),
        "labelled_ms_max": round(max(labelled), 3),
        "target_p95_ms": TARGET_P95_MS,
        "labelled_within_target": p95 <= TARGET_P95_MS,
        "long_inputs": long_inputs,
        "long_repeats": args.long_repeats,
        "long_bound_ms": LONG_BOUND_MS,
        "max_chars": MAX_CHARS,
        "setup_s": round(setup_s, 2),
        "catalog_items": len(items),
        "loadavg_1m_start": load_start,
        "loadavg_1m_end": round(os.getloadavg()[0], 2),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }

    print(f"{len(texts)} labelled utterances x {args.repeats}: p50 {result['labelled_ms_p50']:.3f} ms, "
          f"p95 {result['labelled_ms_p95']:.3f} ms, max {result['labelled_ms_max']:.3f} ms "
          f"(target p95 <= {TARGET_P95_MS:g} ms)")
    for name, r in long_inputs.items():
        print(f"  {name:<30} p50 {r['ms_p50']:>7.2f} ms  max {r['ms_max']:>7.2f} ms "
              f"({r['chars']:,} chars; bound {LONG_BOUND_MS:g} ms)")
    print(f"setup {result['setup_s']} s; loadavg {load_start} -> {result['loadavg_1m_end']} "
          f"on {result['cpu_count']} CPUs")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
