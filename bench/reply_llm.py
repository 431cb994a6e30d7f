"""The LLM-written reply (#13 part 2) on a fixed set of turns: time to its first word and to its end,
how often the grounding checker refuses it, and the blind pairs for the side-by-side rating.

    python -m bench.reply_llm [--model packaged] [--limit N] [--tag NAME]
    python -m bench.reply_llm --score verdicts.jsonl --rater "..." [--tag NAME]   # the blind rating, scored

Conversations: bench/data/reply_turns.jsonl (32 English conversations of two turns, movies, books and
music, written before the first run). Each turn runs through the app's own context (reranker on, as
served); the picks' time, then the reply's, are measured on the same turn. Writes
bench/results/reply_llm.json (numbers, every reply, and the key to the pairs) and
bench/results/reply_pairs.jsonl (what a blind rater sees: the facts and two replies in shuffled order,
rubric in bench/data/reply_rubric.md). With --tag NAME the three files are reply_llm_NAME.json,
reply_pairs_NAME.jsonl and reply_rating_NAME.json, so a later run keeps an earlier rated one.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from dataclasses import replace
from pathlib import Path

from tqdm.auto import tqdm

from bot.config import Settings
from bot.llm_reply import LLMReplyWriter
from bot.manager import step
from bot.reply import reply_text, reply_written
from bot.reply_prompt import reply_facts
from bot.runtime import build_context, open_catalog
from bot.state import DialogueState

ROOT = Path(__file__).resolve().parent
TURNS = ROOT / "data" / "reply_turns.jsonl"
OUT = ROOT / "results" / "reply_llm.json"
PAIRS = ROOT / "results" / "reply_pairs.jsonl"
RATING = ROOT / "results" / "reply_rating.json"


def _p(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 3)


def paths(tag: str = "") -> tuple[Path, Path, Path]:
    """The results, pairs and rating files of a run (`tag` names a run beside the others)."""
    if not tag:
        return OUT, PAIRS, RATING
    return (OUT.with_name(f"reply_llm_{tag}.json"), PAIRS.with_name(f"reply_pairs_{tag}.jsonl"),
            RATING.with_name(f"reply_rating_{tag}.json"))


def run(model: str, limit: int | None, seed: int = 13, tag: str = "") -> dict:
    settings = Settings.from_env()
    ctx = build_context(replace(settings, reply_llm="off"), open_catalog(settings, progress=False))
    items = ctx.catalog.items.values()
    writer = LLMReplyWriter.from_pretrained(model, {t.lower() for i in items for t in i.tags},
                                            {i.id: i.title for i in items}, cache_dir=settings.cache_dir,
                                            threads=settings.rerank_threads, budget_s=settings.reply_budget_s)
    convs = [json.loads(line) for line in TURNS.read_text().splitlines() if line.strip()][:limit]
    rows = []
    bar = tqdm(total=sum(len(c["turns"]) for c in convs), desc="reply turns", unit="turn")
    for conv in convs:
        state = DialogueState()
        for n, said in enumerate(conv["turns"], start=1):
            t0 = time.perf_counter()
            result = step(state, said, ctx)
            picks_s = time.perf_counter() - t0
            state = result.state
            template = reply_text(result)
            row = {"id": f"{conv['id']}.{n}", "said": said, "picks_s": round(picks_s, 3),
                   "template": template, "picks": [r.item.title for r in result.recommendations[:5]]}
            if reply_written(result, writer):
                rejected, late = writer.stats.rejected, writer.stats.late
                t1, first, text = time.perf_counter(), None, ""
                for text in writer.stream(result, said, template):
                    if first is None and text.strip():
                        first = time.perf_counter() - t1
                whole = time.perf_counter() - t1
                refused = writer.stats.rejected > rejected or writer.stats.late > late
                reason = writer.stats.reasons[-1] if writer.stats.rejected > rejected else (
                    "late" if refused else "")
                row.update(facts=reply_facts(result, said, writer.titles, writer.picks), llm=text,
                           refused=refused, reason=reason,
                           refused_text=writer.stats.refused_texts[-1] if reason and reason != "late" else "",
                           first_word_s=round(first or whole, 3), whole_s=round(whole, 3),
                           first_word_from_message_s=round(picks_s + (first or whole), 3))
            rows.append(row)
            bar.update()
    bar.close()
    written = [r for r in rows if "llm" in r]
    kept = [r for r in written if not r["refused"]]
    rng = random.Random(seed)
    pairs, key = [], {}
    for r in kept:
        llm_first = rng.random() < 0.5
        a, b = (r["llm"], r["template"]) if llm_first else (r["template"], r["llm"])
        pairs.append({"id": r["id"], "facts": r["facts"], "A": a, "B": b})
        key[r["id"]] = "A" if llm_first else "B"
    firsts = [r["first_word_s"] for r in kept]
    wholes = [r["whole_s"] for r in kept]
    out = {
        "model": model, "turns": len(rows), "turns_written": len(written),
        "refused": len(written) - len(kept),
        "refusal_rate": round((len(written) - len(kept)) / max(len(written), 1), 3),
        "reasons": [r["reason"] for r in written if r["refused"]],
        "first_word_s_p50": _p(firsts, 0.5), "first_word_s_p95": _p(firsts, 0.95),
        "first_word_from_message_s_p50": _p([r["first_word_from_message_s"] for r in kept], 0.5),
        "whole_s_p50": _p(wholes, 0.5), "whole_s_p95": _p(wholes, 0.95),
        "picks_s_p50": _p([r["picks_s"] for r in rows], 0.5),
        "words_mean": round(statistics.mean(len(r["llm"].split()) for r in kept), 1) if kept else None,
        "budget_s": writer.budget_s, "min_words": writer.min_words,
        "targets": {"first_word_s_p50": 1.0, "whole_s_p50": 4.0, "refusal_rate": 0.10},
        "pairs_key": key, "rows": rows,
    }
    out_file, pairs_file, _ = paths(tag)
    out_file.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    pairs_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs))
    return out


def score(verdicts_file: Path, rater: str, tag: str = "") -> dict:
    """The blind rating against the key: the LLM wins a turn when the rater preferred its reply. Turns
    whose LLM reply was refused (the template was shown) count as not won."""
    out_file, _, rating_file = paths(tag)
    results = json.loads(out_file.read_text())
    key = results["pairs_key"]
    verdicts = [json.loads(line) for line in verdicts_file.read_text().splitlines() if line.strip()]
    if sorted(v["id"] for v in verdicts) != sorted(key):
        raise SystemExit("the verdicts do not cover exactly the pairs of bench/results/reply_pairs.jsonl")
    won = sum(v["verdict"] == key[v["id"]] for v in verdicts)
    ties = sum(v["verdict"] == "tie" for v in verdicts)
    out = {"rater": rater, "rubric": "bench/data/reply_rubric.md", "pairs": len(verdicts),
           "llm_won": won, "template_won": len(verdicts) - won - ties, "ties": ties,
           "win_rate_rated": round(won / len(verdicts), 3),
           "turns_written": results["turns_written"],
           "win_rate_all_turns": round(won / results["turns_written"], 3), "target": 0.70,
           "verdicts": [{**v, "llm_was": key[v["id"]]} for v in verdicts]}
    rating_file.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="packaged")
    ap.add_argument("--limit", type=int, default=None, help="first N conversations only")
    ap.add_argument("--score", type=Path, default=None,
                    help="a blind rater's verdicts (JSON lines: id, verdict A/B/tie, reason) to score")
    ap.add_argument("--rater", default="", help="who rated, for the record")
    ap.add_argument("--tag", default="", help="name the run's files (reply_llm_TAG.json ...)")
    args = ap.parse_args()
    if args.score:
        out = score(args.score, args.rater, args.tag)
        print(json.dumps({k: v for k, v in out.items() if k != "verdicts"}, indent=1))
        print(f"wrote {paths(args.tag)[2]}")
        return
    out = run(args.model, args.limit, tag=args.tag)
    print(json.dumps({k: v for k, v in out.items() if k not in ("rows", "pairs_key")}, indent=1))
    print("wrote", *paths(args.tag)[:2])


if __name__ == "__main__":
    main()
