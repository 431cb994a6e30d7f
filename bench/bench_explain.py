"""LLM explanations: how often the grounding checker rejects them, time to first token, time per
explanation and per turn of 3, for each packaged model, on real turns over the demo catalog.

    .venv/bin/python bench/bench_explain.py [--models packaged-small,packaged] [--turns 20]

Writes bench/results/explanations.json (with sample sentences, accepted and rejected).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tqdm import tqdm  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.context import Context  # noqa: E402
from bot.llm_explain import LLMExplainer  # noqa: E402
from bot.manager import step  # noqa: E402
from bot.runtime import open_catalog, set_threads  # noqa: E402
from bot.state import DialogueState  # noqa: E402

# Fixed first turns across domains, with dislikes: the explanations must not undo them.
TURNS = [
    "a mind-bending sci-fi movie", "a feel-good comedy for a family night, nothing scary",
    "a gothic novel with a ghost in it", "some chilled electronic music for working",
    "a gritty crime film from the 70s", "I loved Alien, something like that but not too gory",
    "a romantic movie, no musicals please", "a classic adventure novel for a teenager",
    "an upbeat jazz album", "a war movie that isn't too long", "a detective story book",
    "a funny animated film for kids", "a dark psychological thriller, no horror",
    "some rock music from the 90s", "a western with a strong female lead",
    "a book about the sea", "heavy metal, nothing too slow", "a documentary about nature",
    "poetry about love", "a spy thriller from the 60s",
]


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(q * (len(xs) - 1) + 0.5))], 3) if xs else float("nan")


def run_model(spec: str, ctx: Context, settings: Settings, turns: list[str], per_turn: int) -> dict:
    genres = {t.lower() for i in ctx.catalog.items.values() for t in i.tags}
    titles = {i.id: i.title for i in ctx.catalog.items.values()}
    t0 = time.perf_counter()
    explainer = LLMExplainer.from_pretrained(spec, genres, titles, cache_dir=settings.cache_dir,
                                             threads=settings.threads)
    load_s = time.perf_counter() - t0
    turn_s, samples = [], []
    for said in tqdm(turns, desc=f"explain ({spec})", unit="turn"):
        result = step(DialogueState(), said, ctx)
        start = time.perf_counter()
        for rec in result.recommendations[:per_turn]:
            before = explainer.stats.rejected
            text = ""
            for partial in explainer(rec, result.state):
                text = partial
            rejected = explainer.stats.rejected > before
            samples.append({"said": said, "item": rec.item.title, "explanation": text, "rejected": rejected,
                            "reason": explainer.stats.reasons[-1] if rejected else None})
        turn_s.append(time.perf_counter() - start)
    st = explainer.stats
    return {
        "model": spec,
        "load_s": round(load_s, 2),
        "explanations": st.generated,
        "rejected": st.rejected,
        "rejection_rate": round(st.rejected / max(1, st.generated), 3),
        "first_token_p50_s": pct(st.first_token_s, 0.5),
        "first_token_p95_s": pct(st.first_token_s, 0.95),
        "per_explanation_p50_s": pct(st.total_s, 0.5),
        "turn_of_3_p50_s": pct(turn_s, 0.5),
        "turn_of_3_p95_s": pct(turn_s, 0.95),
        "reasons": sorted({r: st.reasons.count(r) for r in st.reasons}.items(), key=lambda kv: -kv[1])[:15],
        "samples": samples,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="packaged-small,packaged")
    parser.add_argument("--turns", type=int, default=len(TURNS))
    parser.add_argument("--per-turn", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "explanations.json")
    args = parser.parse_args()
    settings = Settings.from_env()
    ctx = Context.build(open_catalog(settings, progress=False), settings.interactions_file)
    set_threads(settings.threads)
    models = args.models.split(",")
    results = [run_model(m, ctx, settings, TURNS[: args.turns], args.per_turn) for m in models]
    out = {"threads": settings.threads, "load_average": os.getloadavg()[0], "models": results}
    for r in results:
        print(f"{r['model']:>15}: rejected {r['rejected']}/{r['explanations']} ({r['rejection_rate']:.0%}), "
              f"first token p50 {r['first_token_p50_s']} s, "
              f"one explanation p50 {r['per_explanation_p50_s']} s, "
              f"turn of 3 p50 {r['turn_of_3_p50_s']} s / p95 {r['turn_of_3_p95_s']} s")
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
