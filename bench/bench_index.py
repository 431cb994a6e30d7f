"""Demo-catalog index build throughput and per-turn latency, on this CPU.

    .venv/bin/python bench/bench_index.py [--threads 2] [--limit N]

Builds the index from scratch in a temporary cache (the real embedder, the real
catalog), then with the serving thread count times (a) a filtered FAISS search
alone and (b) a whole dialogue-manager turn: state update (understanding) +
query composition + retrieval + scoring, over a fixed multi-turn script.
Writes bench/results/index_build.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import Settings  # noqa: E402
from bot.context import Context  # noqa: E402
from bot.manager import step  # noqa: E402
from bot.models import load_embedder  # noqa: E402
from bot.runtime import set_threads  # noqa: E402
from bot.state import DialogueState  # noqa: E402
from retrieval import Catalog, Filters, read_items  # noqa: E402
from retrieval.items import write_jsonl_gz  # noqa: E402

SCRIPT = [
    "a mind-bending sci-fi movie",
    "no horror please, and something from the 90s",
    "more like the second one",
    "something older",
    "now a book for my dad, he loves sea adventures",
    "not that one, I've seen it",
    "some chilled electronic music for working",
    "less ambient, more techno",
]
QUERIES = [
    ("a mind-bending sci-fi movie", None),
    ("feel-good comedy for a family night", Filters(domain="movie")),
    ("gothic novel with ghosts", Filters(domain="book")),
    ("chilled electronic music for working", Filters(domain="music")),
    ("90s crime thriller", Filters(domain="movie", year_min=1990, year_max=1999)),
    ("sea adventures", None),
    ("something romantic but not cheesy", Filters(domain="movie", year_min=2010)),
    ("detective stories", Filters(domain="book")),
]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    defaults = Settings()
    parser.add_argument("--threads", type=int, default=defaults.build_threads, help="threads while building")
    parser.add_argument("--serve-threads", type=int, default=defaults.threads)
    parser.add_argument("--limit", type=int, help="index only the first N items (quick check)")
    parser.add_argument("--repeats", type=int, default=10, help="timed passes over the query list/script")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "index_build.json")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    items = read_items(settings.catalog_file).items
    if args.limit:
        items = items[: args.limit]
    set_threads(args.threads)
    t0 = time.perf_counter()
    embedder = load_embedder(settings.embedder, threads=args.threads)
    load_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        write_jsonl_gz(items, Path(tmp) / "c.jsonl.gz")
        t0 = time.perf_counter()
        catalog = Catalog.open(Path(tmp) / "db.sqlite", Path(tmp) / "index", embedder,
                               catalog_file=Path(tmp) / "c.jsonl.gz", batch_size=settings.embed_batch_size)
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        Catalog.open(Path(tmp) / "db.sqlite", Path(tmp) / "index", embedder,
                     catalog_file=Path(tmp) / "c.jsonl.gz", progress=False)
        reopen_s = time.perf_counter() - t0

        set_threads(args.serve_threads)
        t0 = time.perf_counter()
        ctx = Context.build(catalog, settings.interactions_file)
        context_s = time.perf_counter() - t0
        search_only, turns, fresh_turns = [], [], []
        for _ in range(args.repeats):
            for text, filters in QUERIES:
                vec = catalog.embed_query(text)
                t0 = time.perf_counter()
                catalog.search(vec, 50, filters)
                search_only.append((time.perf_counter() - t0) * 1000)
        for rep in range(args.repeats):
            state = DialogueState()
            for text in SCRIPT:
                # the first pass meets uncached facet embeddings, as a new user does
                t0 = time.perf_counter()
                state = step(state, text, ctx).state
                (fresh_turns if rep == 0 else turns).append((time.perf_counter() - t0) * 1000)

    result = {
        "items": len(items),
        "build_threads": args.threads,
        "serve_threads": args.serve_threads,
        "embedder_load_s": round(load_s, 2),
        "index_build_s": round(build_s, 1),
        "items_per_s": round(len(items) / build_s, 1),
        "reopen_s": round(reopen_s, 2),
        "index_kind": catalog.index.manifest.kind,
        "context_build_s": round(context_s, 2),
        "turn_ms_p50": round(statistics.median(turns), 1),
        "turn_ms_p95": round(percentile(turns, 0.95), 1),
        "turn_first_pass_ms_p50": round(statistics.median(fresh_turns), 1),
        "turn_first_pass_ms_p95": round(percentile(fresh_turns, 0.95), 1),
        "target_turn_ms_p50": 100,
        "search_only_ms_p50": round(statistics.median(search_only), 3),
        "search_only_ms_p95": round(percentile(search_only, 0.95), 3),
        "target_build_s": 300,
        "loadavg_1m": round(os.getloadavg()[0], 2),
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
