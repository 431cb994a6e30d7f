"""`tastebud` command line: serve the app, build the index, ingest a catalog, search, export feedback.

Every subcommand takes every setting as a flag (`--threads 2`, `--scoring-cf-weight 0.5`, ...),
generated from `bot.config.Settings`; flags beat TASTEBUD_* environment variables.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

# Set before gradio/numpy load: no analytics calls, and one BLAS thread (see bot.runtime.set_threads).
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from bot.config import Settings, add_setting_flags, settings_from_args  # noqa: E402


def _parse_mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field or not column:
            raise SystemExit(f"--map takes FIELD=COLUMN, got {pair!r}")
        mapping[field.strip()] = column.strip()
    return mapping


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from bot.api import serve

    serve(settings)
    return 0


def cmd_index(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime import open_catalog

    catalog = open_catalog(settings)
    m = catalog.index.manifest
    shards = f", {m.shards} shards" if m.shards > 1 else ""
    print(f"{len(catalog)} items indexed ({m.kind}{shards}, dim {m.dim}, embedder {m.embedder_id}; "
          f"embedded with the {settings.embed_engine} engine)")
    return 0


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime import open_catalog
    from retrieval import read_items
    from retrieval.catalog import replace_catalog

    report = read_items(args.file, _parse_mapping(args.map), default_domain=args.domain)
    for line, reason in report.errors:
        print(f"{args.file}:{line}: rejected: {reason}", file=sys.stderr)
    for line, item_id in report.duplicates:
        print(f"{args.file}:{line}: duplicate id {item_id!r} skipped (first one kept)", file=sys.stderr)
    print(report.summary())
    if not report.items:
        print("nothing to ingest", file=sys.stderr)
        return 1
    catalog = open_catalog(settings)
    if args.replace:
        from bot.runtime import bulk_encoder

        catalog = replace_catalog(catalog, report.items, exact_max=settings.exact_index_max,
                                  bulk_encode=bulk_encoder(settings, catalog.embedder),
                                  compressed_min=settings.compressed_index_min,
                                  index_shards=settings.index_shards)
    else:
        catalog.add_items(report.items, progress=True)
    print(f"catalog now holds {len(catalog)} items")
    return 0 if not report.errors else 3


def cmd_search(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime import open_catalog
    from retrieval import Filters

    catalog = open_catalog(settings, progress=False)
    filters = Filters(domain=args.domain, year_min=args.year_min, year_max=args.year_max)
    for hit in catalog.search(args.query, args.k, filters):
        item = hit.item
        row = {"id": item.id, "title": item.title, "year": item.year, "score": round(hit.score, 4)}
        print(json.dumps(row, ensure_ascii=False))
    return 0


def cmd_export_feedback(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime import open_sessions

    path = settings.sessions_path
    if not settings.sessions_url and not path.exists():
        print(f"error: no sessions database at {path}", file=sys.stderr)
        return 2
    store = open_sessions(settings)
    n = store.export_feedback(sys.stdout if args.out == "-" else args.out)
    print(f"{n} feedback rows written", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tastebud", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true")
    add_setting_flags(common)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", parents=[common], help="start the chat page, JSON API and widget")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("index", parents=[common], help="build or refresh the search index")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("ingest", parents=[common], help="add your own catalog (CSV or JSONL)")
    p.add_argument("file", type=Path)
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="which column holds a field, e.g. --map title=name --map creators=director")
    p.add_argument("--domain", choices=["movie", "book", "music"], help="domain for rows that have none")
    p.add_argument("--replace", action="store_true", help="make this file the whole catalog")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", parents=[common], help="query the catalog from the shell")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--domain", choices=["movie", "book", "music"])
    p.add_argument("--year-min", type=int)
    p.add_argument("--year-max", type=int)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("export-feedback", parents=[common],
                       help="write every thumb up/down as JSONL training rows (for finetune/ --feedback)")
    p.add_argument("out", help="output file, or - for stdout")
    p.set_defaults(func=cmd_export_feedback)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    level = logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(message)s")
    try:
        return args.func(settings_from_args(args), args)
    except (FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
