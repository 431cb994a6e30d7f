"""Chinese understanding on a hand-written dev set, and what it costs English turns.

    .venv/bin/python -m bench.bench_chinese            # dev-set scores + English extract latency
    .venv/bin/python -m bench.bench_chinese --step     # also English step() latency (opens the index)

(a) `bench/data/zh_dev.jsonl`: 80 Chinese and mixed messages written for development (not a test set),
each with the fields it should give (absent = empty). Scores: micro precision/recall/F1 over facets
(likes, dislikes, reversals as separate labels), titles (liked, disliked, seen) and creators; accuracy
of the domain and of the year bounds; the share of messages whose whole extraction is right.
(b) 50 English messages: `extract` per message, and with --step the whole warm `step` (understand,
state, retrieval, scoring) per message, p50/p95 in ms. Writes bench/results/chinese.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.metrics import percentile  # noqa: E402
from bot.understand import Lexicon, extract, title_index_linker  # noqa: E402
from retrieval.items import read_items  # noqa: E402

# dev: written first and tuned on; fresh: written after that tuning and scored once (then one domain fix)
SETS = {"dev": REPO / "bench" / "data" / "zh_dev.jsonl", "fresh": REPO / "bench" / "data" / "zh_fresh.jsonl"}
SET_FIELDS = {"facets": ("likes", "dislikes", "reversals"),
              "titles": ("liked_titles", "disliked_titles", "seen_titles"), "creators": ("creators",)}
ENGLISH = [
    "a mind-bending sci-fi movie", "no horror please, and something from the 90s", "more like the second one",
    "something older", "I loved Inception, anything like it but not by Christopher Nolan",
    "now a book for my dad, he loves sea adventures", "not that one, I've seen it",
    "some chilled electronic music for working", "less ambient, more techno",
    "actually, a funny movie for the kids, nothing scary", "a feel-good comedy for a family night",
    "a gothic novel with a ghost in it", "jazz albums from the 60s", "a romantic comedy, nothing too cheesy",
    "something newer", "a western with a twist", "a detective story set in London",
    "I want a war film but no gore", "a heist movie", "another one", "an animated movie for my 5 year old",
    "classical piano music", "something dark and gritty", "a thriller that keeps me guessing",
    "I hated Titanic",
    "a book of poems", "rock albums from the 70s", "something light to watch tonight", "not these",
    "a spy movie from the 80s", "more like the first one", "fantasy books with dragons",
    "a crime movie from the 90s", "no musicals please", "something directed by Steven Spielberg",
    "a scary movie for halloween", "upbeat music for a party", "a sad movie that will make me cry",
    "a documentary about nature", "science fiction books", "lo-fi beats to study to", "a coming of age movie",
    "an adventure story for a teenager", "something with pirates", "a mystery novel",
    "ambient music for sleep",
    "a superhero movie", "a historical drama", "after 2010 please", "thanks, something else",
]


def labelled(row: dict, field: str) -> set[str]:
    return {str(v) for v in row.get(field, [])}


def score(rows: list[dict], lexicon: Lexicon, linker) -> dict:
    counts = {group: {"tp": 0, "fp": 0, "fn": 0} for group in SET_FIELDS}
    domain_ok = years_ok = exact = 0
    misses, times = [], []
    for row in rows:
        t0 = time.perf_counter()
        ex = extract(row["text"], lexicon, linker)
        times.append((time.perf_counter() - t0) * 1000)
        got = ex.to_dict()
        wrong = []
        for group, fields in SET_FIELDS.items():
            for field in fields:
                want, have = labelled(row, field), {str(v) for v in got[field]}
                c = counts[group]
                c["tp"] += len(want & have)
                c["fp"] += len(have - want)
                c["fn"] += len(want - have)
                if want != have:
                    wrong.append(f"{field}: want {sorted(want)} got {sorted(have)}")
        if got["domain"] == row.get("domain"):
            domain_ok += 1
        else:
            wrong.append(f"domain: want {row.get('domain')} got {got['domain']}")
        if (got["year_min"], got["year_max"]) == (row.get("year_min"), row.get("year_max")):
            years_ok += 1
        else:
            wrong.append(f"years: want {row.get('year_min')}-{row.get('year_max')} "
                         f"got {got['year_min']}-{got['year_max']}")
        exact += not wrong
        if wrong:
            misses.append({"text": row["text"], "wrong": wrong})
    out: dict = {"messages": len(rows)}
    for group, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        out[group] = {"precision": round(p, 3), "recall": round(r, 3),
                      "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, **c}
    out["domain_accuracy"] = round(domain_ok / len(rows), 3)
    out["years_accuracy"] = round(years_ok / len(rows), 3)
    out["exact_match"] = round(exact / len(rows), 3)
    out["extract_ms_p50"] = round(statistics.median(times), 3)
    out["misses"] = misses
    return out


def english_extract_ms(lexicon: Lexicon, linker, repeats: int) -> dict:
    for text in ENGLISH:
        extract(text, lexicon, linker)
    ms = []
    for _ in range(repeats):
        for text in ENGLISH:
            t0 = time.perf_counter()
            extract(text, lexicon, linker)
            ms.append((time.perf_counter() - t0) * 1000)
    return {"p50": round(statistics.median(ms), 3), "p95": round(percentile(ms, 0.95), 3)}


def english_step_ms(repeats: int) -> dict:
    """Warm step() over the 50 messages, five turns per conversation, as bench/latency.py runs a turn."""
    from bot.config import Settings
    from bot.context import Context
    from bot.manager import step
    from bot.runtime import open_catalog
    from bot.state import DialogueState

    settings = Settings.from_env()
    ctx = Context.build(open_catalog(settings), settings.interactions_file)

    def run() -> list[float]:
        ms, state = [], DialogueState()
        for n, text in enumerate(ENGLISH):
            if n % 5 == 0:
                state = DialogueState()
            t0 = time.perf_counter()
            state = step(state, text, ctx).state
            ms.append((time.perf_counter() - t0) * 1000)
        return ms

    run()  # warm: facet vectors are cached per process
    ms = [x for _ in range(repeats) for x in run()]
    return {"p50": round(statistics.median(ms), 2), "p95": round(percentile(ms, 0.95), 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step", action="store_true", help="also time English step() (opens the index)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "chinese.json")
    args = parser.parse_args(argv)
    load = round(os.getloadavg()[0], 2)
    items = read_items(REPO / "data" / "catalog.jsonl.gz").items
    lexicon, linker = Lexicon.from_items(items), title_index_linker(items)
    result: dict = {}
    for name, path in SETS.items():
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        result[f"{name}_set"] = score(rows, lexicon, linker)
    result["english_extract_ms"] = english_extract_ms(lexicon, linker, args.repeats)
    if args.step:
        result["english_step_ms"] = english_step_ms(args.repeats)
    result["load_average"] = {"start": load, "end": round(os.getloadavg()[0], 2), "cores": os.cpu_count()}
    for name in SETS:
        dev = result[f"{name}_set"]
        print(f"{name} set: {dev['messages']} messages, exact {dev['exact_match']:.0%}, "
              f"domain {dev['domain_accuracy']:.0%}, years {dev['years_accuracy']:.0%}")
        for group in SET_FIELDS:
            g = dev[group]
            print(f"  {group:9s} P {g['precision']:.2f} R {g['recall']:.2f} F1 {g['f1']:.2f}")
        for miss in dev["misses"]:
            print(f"  miss: {miss['text']}  ->  {'; '.join(miss['wrong'])}")
    print("english extract ms:", result["english_extract_ms"], " step ms:", result.get("english_step_ms"))
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
