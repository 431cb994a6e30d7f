"""Does "a hidden gem" work? The same requests asked plainly and asking for something less known,
through the app's own context (reranker on, as shipped), for several strengths of the reversed prior.

For each request and weight: the mean prior (0 = unknown, 1 = the best known) of the five picks, how
many of them are well known (prior >= 0.8), and the share that carry the genre asked for (a hidden
gem must still fit). The shipped `novelty_weight` is the smallest weight tried whose lesser-known
picks average a prior of at most 0.3, with no request given more than one well-known pick, keeping
at least 90% of the plain picks' genre fit. (The second condition was added after weight 1.5 met
the first but still answered "a funny romantic comedy movie, a hidden gem please" with Pretty Woman,
How to Lose a Guy in 10 Days and When Harry Met Sally.)

    .venv/bin/python -m bench.novelty

Writes bench/results/novelty.json.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import replace
from pathlib import Path

from tqdm import tqdm

from bot.config import Settings
from bot.manager import step
from bot.runtime import build_context, open_catalog
from bot.state import DialogueState

REPO = Path(__file__).resolve().parent.parent
# (plain request, the same asking for the lesser known, the genre tag every pick should carry)
REQUESTS = [
    ("a funny romantic comedy movie", "a funny romantic comedy movie, a hidden gem please", "romance"),
    ("a horror movie from the 80s", "an underrated horror movie from the 80s", "horror"),
    ("a science fiction movie", "a science fiction movie nobody has heard of", "science fiction"),
    ("a western film", "a lesser-known western film", "western"),
    ("a mystery novel", "a lesser-known mystery novel", "mystery"),
    ("a science fiction novel", "an obscure science fiction novel", "science fiction"),
    ("some poetry", "some poetry, surprise me with something less known", "poetry"),
    ("some jazz albums", "some jazz albums nobody knows", "jazz"),
    ("electronic music", "hidden gems in electronic music", "electronic"),
    ("悬疑电影", "冷门一点的悬疑电影", "mystery"),
    ("推荐几部喜剧片", "推荐几部小众的喜剧片", "comedy"),
    ("推荐几本科幻小说", "推荐几本冷门的科幻小说", "science fiction"),
]
WEIGHTS = (0.5, 1.5, 3.0, 5.0)
WELL_KNOWN = 0.8


def picks(ctx, message: str) -> tuple[float, list, bool]:
    result = step(DialogueState(), message, ctx)
    items = [r.item for r in result.recommendations]
    return (statistics.mean(i.prior for i in items), items, result.state.novelty)


def main() -> int:
    settings = Settings.from_env()
    ctx = build_context(settings, open_catalog(settings, progress=False))
    shipped = ctx.config

    def fit(items, tag: str) -> float:  # "mystery" fits "mystery and detective stories" too
        return sum(any(tag in t.lower() for t in i.tags) for i in items) / len(items)

    plain = {}
    for ask, _, tag in REQUESTS:
        prior, items, _ = picks(ctx, ask)
        plain[ask] = {"mean_prior": round(prior, 3), "genre_fit": fit(items, tag),
                      "picks": [f"{i.title} ({i.year or '–'})" for i in items]}
    out = {"reranker": ctx.reranker is not None, "shipped_novelty_weight": shipped.novelty_weight,
           "prior_weight": shipped.prior_weight, "plain": plain, "weights": {}}
    for w in tqdm(WEIGHTS, desc="novelty weights"):
        ctx.config = replace(shipped, novelty_weight=w)
        rows = {}
        for _, gem, tag in REQUESTS:
            prior, items, novelty = picks(ctx, gem)
            shown = [f"{i.title} ({i.year or '–'})" for i in items]
            rows[gem] = {"novelty_understood": novelty, "mean_prior": round(prior, 3),
                         "well_known": sum(i.prior >= WELL_KNOWN for i in items),
                         "genre_fit": fit(items, tag), "picks": shown}
        out["weights"][str(w)] = {
            "mean_prior": round(statistics.mean(r["mean_prior"] for r in rows.values()), 3),
            "genre_fit": round(statistics.mean(r["genre_fit"] for r in rows.values()), 3),
            "most_well_known": max(r["well_known"] for r in rows.values()),
            "understood": sum(r["novelty_understood"] for r in rows.values()), "requests": rows}
    ctx.config = shipped
    plain_prior = statistics.mean(r["mean_prior"] for r in plain.values())
    plain_fit = statistics.mean(r["genre_fit"] for r in plain.values())
    out["plain_mean_prior"], out["plain_genre_fit"] = round(plain_prior, 3), round(plain_fit, 3)
    ok = [float(w) for w, r in out["weights"].items()
          if r["mean_prior"] <= 0.3 and r["most_well_known"] <= 1 and r["genre_fit"] >= 0.9 * plain_fit]
    out["chosen"] = min(ok) if ok else None
    print(f"plain requests: mean prior {plain_prior:.3f}, genre fit {plain_fit:.3f}")
    for w, r in out["weights"].items():
        print(f"novelty_weight {w:>4}: mean prior {r['mean_prior']:.3f}, genre fit {r['genre_fit']:.3f}, "
              f"most well-known picks in one answer {r['most_well_known']}, "
              f"understood {r['understood']}/{len(REQUESTS)}")
    print(f"chosen: {out['chosen']} (shipped: {shipped.novelty_weight})")
    path = REPO / "bench" / "results" / "novelty.json"
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
