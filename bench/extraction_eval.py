"""Score an utterance-understanding function against the hand-labelled set.

    .venv/bin/python bench/extraction_eval.py [--labels bench/data/extraction_labels.jsonl]
        [--catalog data/catalog.jsonl.gz] [--out bench/results/extraction.json] [--no-linker]
        [--show-errors 20]

Per field precision / recall / F1 and their micro-average over all fields, plus latency
p50 / p95 per utterance. `evaluate(extract_fn, rows)` takes any function from text to an
object or dict with the label fields, so an LLM layer can be scored by the same code.

Matching: facets compare as lowercase, whitespace-collapsed strings; titles and creators
compare lowercase with punctuation dropped ("Mamma Mia!" = "mamma mia"); domain and each
year bound count as one item when set (a wrong value is one false positive and one false
negative).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FACET_FIELDS = ("likes", "dislikes", "reversals")
TITLE_FIELDS = ("liked_titles", "disliked_titles", "seen_titles", "creators")
SCALAR_FIELDS = ("domain", "year_min", "year_max")
FIELDS = FACET_FIELDS + TITLE_FIELDS + SCALAR_FIELDS

DEFAULT_LABELS = REPO / "bench" / "data" / "extraction_labels.jsonl"
DEFAULT_CATALOG = REPO / "data" / "catalog.jsonl.gz"
DEFAULT_OUT = REPO / "bench" / "results" / "extraction.json"


def load_rows(path: str | Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if line.strip():
                row = json.loads(line)
                missing = [k for k in ("text", *FIELDS) if k not in row]
                if missing:
                    raise ValueError(f"{path}:{n}: missing {missing}")
                rows.append(row)
    return rows


def _norm_facet(value) -> str:
    return " ".join(str(value).lower().split())


def _norm_name(value) -> str:
    return " ".join(re.findall(r"[^\W_]+", str(value).lower()))


def _items(field: str, value) -> set[str]:
    """A field's value as a set of comparable strings."""
    if field in SCALAR_FIELDS:
        return set() if value is None else {str(value).lower()}
    norm = _norm_facet if field in FACET_FIELDS else _norm_name
    return {norm(v) for v in (value or [])} - {""}


def _as_mapping(pred) -> Mapping:
    if isinstance(pred, Mapping):
        return pred
    out = pred.to_dict() if hasattr(pred, "to_dict") else dict(vars(pred))
    # This set's labels include the facets a wish implies ("for a family night": family and animated);
    # the blind sets of bench/understand_eval.py (understand_v2-v4) count only what was said.
    implied = out.get("implied_likes") or {}
    if implied:
        out = {**out, "likes": list(out.get("likes") or []) + [f for f in implied if f not in out["likes"]]}
    return out


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn}


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def evaluate(extract_fn: Callable[[str], object], rows: Iterable[Mapping], warmup: int = 3) -> dict:
    """Run `extract_fn` on every row's text and score it against the row's labels.

    Returns {"n", "fields": {field: P/R/F1 + counts}, "micro", "latency_ms", "errors"}.
    """
    rows = list(rows)
    for row in rows[:warmup]:  # first calls pay for lazy tables; do not time them
        extract_fn(row["text"])
    counts = {f: [0, 0, 0] for f in FIELDS}
    latencies: list[float] = []
    errors: list[dict] = []
    for row in rows:
        t0 = time.perf_counter()
        pred = _as_mapping(extract_fn(row["text"]))
        latencies.append((time.perf_counter() - t0) * 1000)
        wrong = {}
        for field in FIELDS:
            gold, got = _items(field, row[field]), _items(field, pred.get(field))
            c = counts[field]
            c[0] += len(gold & got)
            c[1] += len(got - gold)
            c[2] += len(gold - got)
            if gold != got:
                wrong[field] = {"gold": sorted(gold), "got": sorted(got)}
        if wrong:
            errors.append({"text": row["text"], "wrong": wrong})
    fields = {f: _prf(*c) for f, c in counts.items()}
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    exact = len(rows) - len(errors)
    return {
        "n": len(rows),
        "fields": fields,
        "micro": _prf(*total),
        "exact_match": round(exact / len(rows), 4) if rows else 1.0,
        "latency_ms": {
            "p50": round(statistics.median(latencies), 3) if latencies else 0.0,
            "p95": round(_percentile(latencies, 0.95), 3),
            "max": round(max(latencies, default=0.0), 3),
        },
        "errors": errors,
    }


def rule_based_extractor(catalog: str | Path, use_linker: bool = True) -> Callable[[str], object]:
    """The deterministic layer of bot/understand.py, over a catalog file."""
    from bot.understand import REF_YEAR, Lexicon, extract, title_index_linker
    from retrieval.items import read_items

    items = read_items(catalog).items
    lexicon = Lexicon.from_items(items)
    linker = title_index_linker(items) if use_linker else None
    # the labels date "recent" from REF_YEAR (2023), not from the day the benchmark runs
    return lambda text: extract(text, lexicon, linker, ref_year=REF_YEAR)


def _print_report(result: dict, show_errors: int) -> None:
    print(f"{result['n']} utterances, exact match {result['exact_match']:.3f}")
    print(f"{'field':<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}")
    for name, s in [*result["fields"].items(), ("micro", result["micro"])]:
        print(f"{name:<16}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{s['tp']:>6}{s['fp']:>5}{s['fn']:>5}")
    lat = result["latency_ms"]
    print(f"latency ms: p50 {lat['p50']:.2f}  p95 {lat['p95']:.2f}  max {lat['max']:.2f}")
    for err in result["errors"][:show_errors]:
        print(f"- {err['text']!r}")
        for field, d in err["wrong"].items():
            print(f"    {field}: gold {d['gold']} got {d['got']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--labels", default=str(DEFAULT_LABELS))
    ap.add_argument("--catalog", default=str(DEFAULT_CATALOG))
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--no-linker", action="store_true", help="titles from cues and capitals only")
    ap.add_argument("--show-errors", type=int, default=0, metavar="N", help="print the first N wrong rows")
    args = ap.parse_args(argv)

    rows = load_rows(args.labels)
    t0 = time.perf_counter()
    extract_fn = rule_based_extractor(args.catalog, use_linker=not args.no_linker)
    setup_s = time.perf_counter() - t0
    result = evaluate(extract_fn, rows)
    result["setup_s"] = round(setup_s, 2)
    result["extractor"] = "rules" + ("" if not args.no_linker else " (no title linker)")
    _print_report(result, args.show_errors)

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
