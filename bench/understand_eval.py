"""Score understanding end to end on the blind labelled set bench/data/understand_v2.jsonl.

    .venv/bin/python -m bench.understand_eval [--out bench/results/understand_v2.json] [--show-errors 20]

The set (247 rows: English, Chinese and mixed; single messages and multi-turn domain switches) was
written before any run, from bench/data/understand_v2.md's conventions, by someone who had not seen
the code. Single rows: the message goes through `bot.manager.step` from an empty state; the fields
are read off the extraction (facets, titles, years) and the step's state (domain, required and
excluded creators, novelty) and intent. Dialogue rows: every turn goes through `step`; the state in
force after the last turn is compared with `expected` (interests of another domain must not show).
Per field precision, recall and F1 (as bench/extraction_eval.py matches them), micro-averaged,
overall and per language; English turn latency p50.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from bench.extraction_eval import _items, _prf

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "bench" / "data" / "understand_v2.jsonl"
OUT = REPO / "bench" / "results" / "understand_v2.json"
SINGLE_FIELDS = ("likes", "dislikes", "reversals", "liked_titles", "disliked_titles", "seen_titles",
                 "domain", "year_min", "year_max", "creators", "excluded_creators", "intent", "novelty")
DIALOGUE_FIELDS = ("domain", "likes", "dislikes", "year_min", "year_max", "creators", "excluded_creators")
CHAT_INTENTS = ("greeting", "help", "thanks", "clarify", "question", "chat")


def _field_items(field: str, value) -> set[str]:
    if field in ("intent", "novelty"):
        return {str(value).lower()}
    if field == "excluded_creators":
        return _items("creators", value)
    return _items(field, value)


def single_prediction(text: str, ctx) -> dict:
    from bot.manager import step
    from bot.state import DialogueState
    from bot.understand import extract

    ex = extract(text, ctx.lexicon, ctx.link_titles).to_dict()
    result = step(DialogueState(), text, ctx)
    state = result.state
    ex["intent"] = "chat" if result.intent in CHAT_INTENTS else "recommend"
    ex["novelty"] = bool(state.novelty)
    ex["excluded_creators"] = _excluded(state)
    # what the step made of it: required people are limits (asides are not), and the domain may come
    # from the titles named, which only the step settles
    ex["creators"] = list(state.constraints.creators)
    ex["domain"] = state.constraints.domain
    return ex


def _excluded(state) -> list[str]:
    c = state.constraints
    return list(getattr(c, "excluded_creators", None) or getattr(state, "excluded_creators", None) or [])


def dialogue_prediction(turns: list[str], ctx) -> dict:
    from bot.manager import step
    from bot.state import DialogueState

    state = DialogueState()
    for text in turns:
        state = step(state, text, ctx).state
    s = state.summary()
    c = s["constraints"]
    return {"domain": c.get("domain"), "likes": s["likes"], "dislikes": s["dislikes"],
            "year_min": c.get("year_min"), "year_max": c.get("year_max"), "creators": c.get("creators", []),
            "excluded_creators": c.get("excluded_creators") or _excluded(state)}


def score(rows: list[dict], ctx) -> dict:
    counts: dict[tuple[str, str], list[int]] = {}
    errors, latencies_en = [], []
    for row in rows:
        t0 = time.perf_counter()
        if row["kind"] == "single":
            pred, gold, fields = single_prediction(row["text"], ctx), row, SINGLE_FIELDS
            if row["lang"] == "en":
                latencies_en.append((time.perf_counter() - t0) * 1000)
        else:
            pred, gold, fields = dialogue_prediction(row["turns"], ctx), row["expected"], DIALOGUE_FIELDS
        wrong = {}
        for field in fields:
            g, p = _field_items(field, gold.get(field)), _field_items(field, pred.get(field))
            for key in ((field, "all"), (field, row["lang"]), ("_micro", "all"), ("_micro", row["lang"])):
                c = counts.setdefault(key, [0, 0, 0])
                c[0] += len(g & p)
                c[1] += len(p - g)
                c[2] += len(g - p)
            if g != p:
                wrong[field] = {"gold": sorted(g), "got": sorted(p)}
        if wrong:
            errors.append({"id": row["id"], "text": row.get("text") or row.get("turns"), "wrong": wrong})
    by_lang = {lang: _prf(*counts[("_micro", lang)]) for lang in ("en", "zh", "mixed")
               if ("_micro", lang) in counts}
    zh = [counts.get(("_micro", lang), [0, 0, 0]) for lang in ("zh", "mixed")]
    return {
        "n": len(rows),
        "micro": _prf(*counts[("_micro", "all")]),
        "micro_by_lang": by_lang,
        "micro_chinese_or_mixed": _prf(*[a + b for a, b in zip(*zh, strict=True)]),
        "fields": {f: _prf(*c) for (f, lang), c in sorted(counts.items()) if lang == "all" and f != "_micro"},
        "exact_rows": len(rows) - len(errors),
        "english_step_ms_p50": round(statistics.median(latencies_en), 2) if latencies_en else None,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--show-errors", type=int, default=0)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from bot.config import Settings
    from bot.runtime import build_context, open_catalog

    settings = Settings.from_env()
    # understanding does not depend on the LLM reranker or writer; without them the step's time is
    # comparable with the <= 100 ms target for an English turn
    ctx = build_context(replace(settings, rerank=False, reply_llm="off"),
                        open_catalog(settings, progress=False))
    rows = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = score(rows, ctx)
    result["labels"] = args.labels.name
    print(f"{result['n']} rows, {result['exact_rows']} exactly right; micro F1 {result['micro']['f1']:.3f}, "
          f"Chinese or mixed {result['micro_chinese_or_mixed']['f1']:.3f}; English step p50 "
          f"{result['english_step_ms_p50']} ms (no LLM reranker)")
    for name, s in result["fields"].items():
        print(f"  {name:<18} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
    for err in result["errors"][:args.show_errors]:
        print(f"- {err['id']} {err['text']!r}: {err['wrong']}")
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
