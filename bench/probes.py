"""Labelled multi-turn probes on the demo catalog: constraint violations in the top 5, and how well
the dialogue state matches what the user said.

bench/data/probes.jsonl: one dialogue per line, {"id", "turns": [{"text", "expect": {...}}]}. `expect`
is the state a perfect listener would hold *after* that turn (cumulative): likes, dislikes (lexicon
facets, the conventions of bot/understand/), liked_titles, domain, year_min, year_max, creators
(asked for) and excluded_creators ("nothing by ..."); a missing key is empty. The probes were written
before they were first run, and the understanding rules are not tuned on them.

A top-5 list violates the user's words when an item
  - carries a catalog tag behind a disliked facet (Lexicon.tags_for; facets with no catalog tag,
    such as "violence", cannot be checked and are not counted),
  - is from another domain than the one asked for,
  - has a year outside the limits (an unknown year counts: it cannot be shown to fit),
  - is by an excluded creator.
The gold labels decide, not the state the bot understood, so an extraction miss shows up here.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from tqdm import tqdm

from bench.metrics import prf
from bot.context import Context
from bot.manager import step
from bot.state import DialogueState
from retrieval import Item
from retrieval.titles import normalize_title

FIELDS = ("likes", "dislikes", "liked_titles", "domain", "year_min", "year_max", "creators",
          "excluded_creators")
LIST_FIELDS = ("likes", "dislikes", "liked_titles", "creators", "excluded_creators")
TOP = 5


def load_probes(path: str | Path) -> list[dict]:
    probes = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            probe = json.loads(line)
            if not probe.get("turns"):
                raise ValueError(f"{path}:{n}: a probe needs turns")
            for turn in probe["turns"]:
                unknown = set(turn.get("expect", {})) - set(FIELDS)
                if unknown:
                    raise ValueError(f"{path}:{n}: unknown expect keys {sorted(unknown)}")
                turn["expect"] = {f: turn.get("expect", {}).get(f, [] if f in LIST_FIELDS else None)
                                  for f in FIELDS}
            probes.append(probe)
    return probes


def _name(value: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", str(value).lower()))


def _values(field: str, value) -> set[str]:
    if field in LIST_FIELDS:
        norm = normalize_title if field == "liked_titles" else (_name if "creators" in field else _facet)
        return {norm(v) for v in value or []} - {""}
    return set() if value is None else {str(value).lower()}


def _facet(value: str) -> str:
    return " ".join(str(value).lower().split())


def understood(state: DialogueState, ctx: Context) -> dict:
    """The state in the probes' vocabulary."""
    s = state.summary()
    titles = [ctx.catalog.get(i).title for i in s["liked_items"] if ctx.catalog.get(i)]
    c = s["constraints"]
    return {"likes": s["likes"], "dislikes": s["dislikes"], "liked_titles": titles, "domain": c["domain"],
            "year_min": c["year_min"], "year_max": c["year_max"], "creators": c["creators"],
            "excluded_creators": c["excluded_creators"]}


def violations(item: Item, expect: dict, ctx: Context) -> list[str]:
    out = []
    if expect["domain"] and item.domain != expect["domain"]:
        out.append("domain")
    lo, hi = expect["year_min"], expect["year_max"]
    if (lo is not None or hi is not None) and (
        item.year is None or (lo is not None and item.year < lo) or (hi is not None and item.year > hi)
    ):
        out.append("year")
    tags = {t.lower() for t in item.tags}
    for facet in expect["dislikes"]:
        if tags & {t.lower() for t in ctx.lexicon.excluded_tags(facet, item.domain)}:
            out.append(f"dislike:{facet}")
    names = {_name(c) for c in item.creators}
    out += [f"creator:{c}" for c in expect["excluded_creators"] if _name(c) in names]
    return out


def constrained(expect: dict) -> bool:
    return bool(expect["dislikes"] or expect["domain"] or expect["year_min"] is not None
                or expect["year_max"] is not None or expect["excluded_creators"])


def run_probes(probes: list[dict], ctx: Context, progress: bool = True) -> dict:
    counts = {f: [0, 0, 0] for f in FIELDS}
    lists = bad_lists = constrained_lists = bad_constrained = empty = items = bad_items = 0
    by_domain: dict[str, list[int]] = {}
    by_kind: dict[str, int] = {}
    failures, state_errors, seconds = [], [], []
    for probe in tqdm(probes, desc="probes", unit="dialogue", disable=not progress):
        state = DialogueState()
        for n, turn in enumerate(probe["turns"]):
            t0 = time.perf_counter()
            result = step(state, turn["text"], ctx)
            seconds.append(time.perf_counter() - t0)
            state = result.state
            gold, got = turn["expect"], understood(state, ctx)
            wrong = {}
            for f in FIELDS:
                g, p = _values(f, gold[f]), _values(f, got[f])
                c = counts[f]
                c[0] += len(g & p)
                c[1] += len(p - g)
                c[2] += len(g - p)
                if g != p:
                    wrong[f] = {"gold": sorted(g), "got": sorted(p)}
            if wrong:
                state_errors.append({"probe": probe["id"], "turn": n, "text": turn["text"], "wrong": wrong})
            recs = result.recommendations[:TOP]
            lists += 1
            empty += not recs
            dom = by_domain.setdefault(gold["domain"] or "unstated", [0, 0])
            dom[0] += 1
            list_bad = []
            for r in recs:
                items += 1
                v = violations(r.item, gold, ctx)
                if v:
                    bad_items += 1
                    list_bad.append({"id": r.item.id, "title": r.item.title, "year": r.item.year,
                                     "why": v})
                    for kind in v:
                        by_kind[kind.split(":")[0]] = by_kind.get(kind.split(":")[0], 0) + 1
            bad_lists += bool(list_bad)
            dom[1] += bool(list_bad)
            if constrained(gold):
                constrained_lists += 1
                bad_constrained += bool(list_bad)
            if list_bad:
                failures.append({"probe": probe["id"], "turn": n, "text": turn["text"], "items": list_bad})
    fields = {f: prf(*c) for f, c in counts.items()}
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {
        "dialogues": len(probes),
        "turns": lists,
        "violation_rate": bad_lists / lists if lists else 0.0,
        "violation_rate_constrained": bad_constrained / constrained_lists if constrained_lists else 0.0,
        "constrained_lists": constrained_lists,
        "violating_lists": bad_lists,
        "item_violation_rate": bad_items / items if items else 0.0,
        "empty_lists": empty,
        "violations_by_kind": by_kind,
        "violation_rate_by_domain": {d: v[1] / v[0] for d, v in by_domain.items()},
        "extraction": {"fields": fields, "micro": prf(*total), "micro_note": "over all fields"},
        "turn_ms_mean": 1000 * sum(seconds) / len(seconds) if seconds else 0.0,
        "failures": failures,
        "state_errors": state_errors,
    }
