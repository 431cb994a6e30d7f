"""Demo-catalog index build throughput and end-to-end query latency, on this CPU.

    .venv/bin/python bench/bench_index.py [--threads 2] [--limit N]

Builds the index from scratch in a temporary cache (the real embedder, the real
catalog), then times `Recommender.recommend` (query embedding + filtered FAISS
search) with the serving thread count. Writes bench/results/index_build.json.
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
from bot.models import load_embedder  # noqa: E402
from bot.recommender import Recommender, set_threads  # noqa: E402
from retrieval import Catalog, Filters, read_items  # noqa: E402
from retrieval.items import write_jsonl_gz  # noqa: E402

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
    parser.add_argument("--repeats", type=int, default=25, help="timed passes over the query list")
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
        rec = Recommender(catalog)
        for text, filters in QUERIES:  # warm-up
            rec.recommend(text, 50, filters)
        total, search_only = [], []
        for _ in range(args.repeats):
            for text, filters in QUERIES:
                t0 = time.perf_counter()
                rec.recommend(text, 50, filters)
                total.append((time.perf_counter() - t0) * 1000)
                vec = catalog.embed_query(text)
                t0 = time.perf_counter()
                catalog.search(vec, 50, filters)
                search_only.append((time.perf_counter() - t0) * 1000)

    result = {
        "items": len(items),
        "build_threads": args.threads,
        "serve_threads": args.serve_threads,
        "embedder_load_s": round(load_s, 2),
        "index_build_s": round(build_s, 1),
        "items_per_s": round(len(items) / build_s, 1),
        "reopen_s": round(reopen_s, 2),
        "index_kind": catalog.index.manifest.kind,
        "query_ms_p50": round(statistics.median(total), 2),
        "query_ms_p95": round(percentile(total, 0.95), 2),
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
