"""Learn the weights of `bot.ranking.hybrid_score` on the held-out valid part of the ReDial train split.

For every valid recommender turn the weight-free features of every candidate are computed once
(`BenchContext.turn_features`: `bot.rank_all.score_parts` + `features_of`, as the chat scores);
then the weights minimise a listwise softmax loss (the targets' share of exp(score) over every
candidate the hard filters allow). The prior's shape where it leads (the power its percentile is raised
to) is chosen from a short grid by the same loss. One fit per ablation step (each with only its
features), so each row of the report's ablation is the best that feature set can do. Writes
finetune/adapters/fusion.json, which bot/config.py reads as the ScoringConfig defaults. The test split
is never touched.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from bench.variants import ABLATION_FEATURES, BenchContext
from bot.config import FUSION_FILE, ScoringConfig
from finetune.redial import TargetTurn

# feature -> (ScoringConfig field, sign in hybrid_score)
WEIGHTS = {"content": ("content_weight", 1.0), "tags": ("tag_bonus", 1.0),
           "dislike": ("dislike_penalty", -1.0), "cf": ("cf_weight", 1.0),
           "dialogue": ("dialogue_weight", 1.0), "neighbours": ("neighbour_weight", 1.0),
           "prior": ("prior_weight", 1.0)}
FEATURES = tuple(WEIGHTS)
# Soft dislikes are rare in ReDial (its fit pulls their weight to zero, even below it), yet "less scary"
# must push scary films down, not out: that weight is a set share of the content weight.
DISLIKE_PER_CONTENT = 0.6  # the share finetune/adapters/fusion.json ships (tests/test_behaviour.py
# holds it: 0.25 changed too little for "less serious", and 0.35 too little for "less violent" 80s action)


def collect(turns: list[TargetTurn], bench: BenchContext, progress: bool = True) -> list[tuple]:
    """(features [candidates x FEATURES] of the allowed candidates, target rows) per turn."""
    out = []
    for turn in tqdm(turns, desc="fusion: features", unit="turn", disable=not progress, mininterval=2):
        _, f, parts = bench.turn_features(turn.history)
        allowed = np.flatnonzero(parts.allowed)
        cols = [getattr(f, name) for name in FEATURES]
        x = np.stack([np.zeros(len(bench.cands)) if c is None else np.asarray(c, dtype=np.float64)
                      for c in cols], axis=1)[allowed].astype(np.float32)
        where = {int(n): r for r, n in enumerate(allowed)}
        rows = [where[bench.cands.index_of[t]] for t in turn.targets if bench.cands.index_of[t] in where]
        if rows:
            out.append((x, np.array(rows)))
    return out


# the prior's shape (ScoringConfig.prior_exponent): tried in turn, the lowest held-out loss is kept
PRIOR_EXPONENTS = (1.0, 2.0, 4.0, 6.0, 8.0, 11.0, 16.0)


def shaped(data: list[tuple], exponent: float) -> list[tuple]:
    """The turns with the prior column raised to `exponent`."""
    if exponent == 1.0:
        return data
    col = FEATURES.index("prior")
    out = []
    for x, rows in data:
        x = x.copy()
        x[:, col] = np.power(np.clip(x[:, col], 0.0, None), exponent)
        out.append((x, rows))
    return out


def fit(data: list[tuple], features: tuple[str, ...], start: ScoringConfig, l2: float = 1e-3
        ) -> tuple[dict[str, float], float]:
    """Weights (as ScoringConfig fields) for `features`, by L-BFGS on the listwise softmax loss, and that
    loss (without the L2 term) at the fitted weights."""
    import torch

    features = tuple(f for f in features if f != "dislike")
    cols = [FEATURES.index(f) for f in features]
    signs = torch.tensor([WEIGHTS[f][1] for f in features])
    # Every weight stays positive (softplus): the product promises that a soft dislike pushes down and a
    # matching tag pulls up, whatever quirks the ReDial dialogues have (few of them say a dislike).
    start_w = torch.tensor([max(getattr(start, WEIGHTS[f][0]), 0.05) for f in features], dtype=torch.float32)
    theta = torch.log(torch.expm1(start_w)).requires_grad_(True)
    xs = [torch.from_numpy(x[:, cols]) for x, _ in data]
    ys = [torch.from_numpy(rows) for _, rows in data]
    opt = torch.optim.LBFGS([theta], max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        w = torch.nn.functional.softplus(theta)
        loss = sum(-torch.log_softmax(x @ (w * signs), 0)[y].mean() for x, y in zip(xs, ys, strict=True))
        loss = loss / len(xs) + l2 * (w ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    w = torch.nn.functional.softplus(theta.detach())
    with torch.no_grad():
        loss = sum(-torch.log_softmax(x @ (w * signs), 0)[y].mean() for x, y in zip(xs, ys, strict=True))
    out = {WEIGHTS[f][0]: round(float(v), 4) for f, v in zip(features, w, strict=True)}
    out["dislike_penalty"] = round(DISLIKE_PER_CONTENT * out["content_weight"], 4)
    return out, float(loss) / len(xs)


def run_fusion(turns: list[TargetTurn], bench: BenchContext, out: Path = FUSION_FILE, progress: bool = True
               ) -> dict:
    t0 = time.perf_counter()
    data = collect(turns, bench, progress)
    start = bench.manager.config
    ablation = {}
    for name, features in tqdm(ABLATION_FEATURES.items(), desc="fusion: fits", disable=not progress):
        ablation[name], _ = fit(data, features, start)
    # The shape of the prior where it leads (an open ask, bot.ranking.hybrid_score): the power of the
    # percentile that fits best with every other weight refitted; the weights above stay those of the
    # plain percentile, which is how the prior counts everywhere else.
    losses = {e: fit(shaped(data, e), ABLATION_FEATURES["ours+learned"], start)[1]
              for e in tqdm(PRIOR_EXPONENTS, desc="fusion: prior shape", disable=not progress)}
    ablation["ours+learned"]["prior_exponent"] = min(losses, key=losses.get)
    weights = ablation["ours+learned"]
    result = {"weights": weights, "ablation": ablation, "features": list(FEATURES),
              "prior_exponent_loss": {str(e): round(v, 5) for e, v in losses.items()},
              "fitted_on": f"ReDial train split, hashed valid part: {len(data)} recommender turns",
              "objective": "listwise softmax over every allowed candidate, L2 1e-3, weights kept positive",
              "seconds": round(time.perf_counter() - t0, 1)}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def configs_from(result: dict, base: ScoringConfig) -> dict[str, ScoringConfig]:
    return {name: replace(base, **w) for name, w in result["ablation"].items()}
