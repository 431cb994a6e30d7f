"""Does the optional LLM understanding layer (bot/llm_understand.py) help?

    .venv/bin/python -m bench.bench_llm_understand [--specs packaged packaged-small] [--step 4]
        [--threads 1] [--out bench/results/extraction_llm.json]

Rules, LLM and rules+LLM (three merge policies) on the same deterministic subsample of the
hand-labelled set (bench/data/extraction_labels.jsonl), scored by bench/extraction_eval.py:
micro precision / recall / F1, exact match, latency p50 / p95, and what became of the model's
replies (valid, repaired, discarded). Writes bench/results/extraction_llm.json; the verdict is
in bench/results/extraction_llm.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench.extraction_eval import DEFAULT_CATALOG, DEFAULT_LABELS, REPO, evaluate, load_rows
from bot.llm_understand import combine, load_extractor
from bot.understand import REF_YEAR, Extraction, Lexicon, extract, title_index_linker
from retrieval.items import read_items

POLICIES = ("merge", "merge, fill domain/years", "fallback when rules are empty")


def _merge(policy: str, rule: Extraction, llm: Extraction | None) -> Extraction:
    if policy.startswith("fallback"):  # ask the LLM only when the rules found nothing at all
        return (llm or Extraction()) if rule.is_empty() else rule
    return combine(rule, llm, fill_scalars="fill" in policy)


def _latency(values: list[float]) -> dict:
    v = sorted(values)  # the same percentiles as bench/extraction_eval.py
    return {"p50": round(statistics.median(v), 1), "p95": round(v[round(0.95 * (len(v) - 1))], 1),
            "max": round(v[-1], 1)}


def _summary(result: dict, loads: list) -> dict:
    out = {k: result[k] for k in ("n", "micro", "exact_match", "latency_ms", "fields")}
    out["loadavg"] = [round(x, 2) for x in loads]  # os.getloadavg() before (and after) the run
    out["errors_sample"] = result["errors"][:8]
    return out


def main(argv: list[str] | None = None) -> int:
    """Rules, LLM and rules+LLM on the same deterministic subsample of the labelled set.

    The LLM runs once per row; the rules+LLM variants reuse its replies, and their latency
    is the row's rules time plus its LLM time (for the fallback, only where it was asked)."""
    ap = argparse.ArgumentParser(description=main.__doc__.split("\n")[0])
    ap.add_argument("--specs", nargs="+", default=["packaged", "packaged-small"])
    ap.add_argument("--step", type=int, default=4, help="every STEP-th labelled row (deterministic)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "extraction_llm.json"))
    args = ap.parse_args(argv)

    rows = load_rows(DEFAULT_LABELS)[::args.step]
    texts = [r["text"] for r in rows]
    items = read_items(DEFAULT_CATALOG).items
    lexicon, linker = Lexicon.from_items(items), title_index_linker(items)
    report: dict[str, Any] = {
        "subsample": f"every {args.step}th row of bench/data/extraction_labels.jsonl (rows[::{args.step}])",
        "n": len(rows), "cpu_count": os.cpu_count(), "threads": args.threads, "variants": {}, "replies": {},
    }
    variants = report["variants"]

    def timed(fn, log: dict):
        def run(text: str):
            t0 = time.perf_counter()
            out = fn(text)
            log[text] = (out, (time.perf_counter() - t0) * 1000)
            return out
        return run

    rule_log: dict[str, tuple[Extraction, float]] = {}
    load0 = os.getloadavg()
    rules = timed(lambda t: extract(t, lexicon, linker, ref_year=REF_YEAR), rule_log)  # the labels' year
    variants["rules"] = _summary(evaluate(rules, rows), [*load0, *os.getloadavg()])
    for spec in args.specs:
        t0 = time.perf_counter()
        llm = load_extractor(spec, lexicon, threads=args.threads, max_new_tokens=96)
        load_s = time.perf_counter() - t0
        llm_log: dict[str, tuple[Extraction, float]] = {}
        replies: dict[str, dict] = {}

        def ask(text: str, llm=llm, replies=replies) -> Extraction:
            ex = llm(text)
            last = llm.last
            replies[text] = {"text": text, "raw": llm.last_raw, "status": last.status,
                             "json_valid": last.json_valid, "fixes": last.fixes, "tokens": llm.last_tokens}
            return ex

        load0 = os.getloadavg()
        res = _summary(evaluate(timed(ask, llm_log), rows, warmup=1), [*load0, *os.getloadavg()])
        got = [replies[t] for t in texts]
        res["replies"] = {f"{s}_rate": round(sum(g["status"] == s for g in got) / len(got), 4)
                          for s in ("valid", "repaired", "discarded")}
        res["replies"]["json_valid_rate"] = round(sum(g["json_valid"] for g in got) / len(got), 4)
        res["replies"]["new_tokens_mean"] = round(sum(g["tokens"] for g in got) / len(got), 1)
        res["model_load_s"] = round(load_s, 1)
        variants[f"llm:{spec}"] = res
        report["replies"][spec] = [{**g, "ms": round(llm_log[g["text"]][1])} for g in got]
        for policy in POLICIES:
            merged = evaluate(lambda t, p=policy, log=llm_log: _merge(p, rule_log[t][0], log[t][0]), rows, 0)
            asked = {t: not policy.startswith("fallback") or rule_log[t][0].is_empty() for t in texts}
            merged["latency_ms"] = _latency([rule_log[t][1] + llm_log[t][1] * asked[t] for t in texts])
            res = variants[f"rules+llm:{spec} ({policy})"] = _summary(merged, list(os.getloadavg()))
            res["llm_calls"] = sum(asked.values())
        del llm
    print(f"{'variant':<58}{'P':>7}{'R':>7}{'F1':>7}{'p50 ms':>10}{'p95 ms':>10}")
    for name, v in variants.items():
        m, lat = v["micro"], v["latency_ms"]
        print(f"{name:<58}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}{lat['p50']:>10.1f}{lat['p95']:>10.1f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
