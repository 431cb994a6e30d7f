"""Per-stage latency of a chat turn on this CPU, models as shipped (Settings from the environment).

A turn is run exactly as `bot.manager.step` runs it, from the same public pieces, with a clock
between them:

    state update   understand_turn (understanding, state, critiques)
    retrieval      recommend() minus the reranker: query, filtered FAISS search, scoring, MMR
    rerank         time inside ctx.reranker ("not yet" while none is configured)
    first recs     state update + retrieval + rerank: the user sees the picks
    first token    first recs + the first streamed chunk of the first explanation
    full turn      first recs + three explanations streamed to the end

Each repetition uses a fresh Context, so facet embeddings are computed as for a new user; a second
pass over the same script with the same Context gives the warm numbers. Cold start is a new
process running `python -m bot --script` until its first answer is printed.
"""

from __future__ import annotations

import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

from bench.metrics import percentile
from bot.context import Context
from bot.explain import explain_stream
from bot.manager import step, understand_turn
from bot.ranking import recommend
from bot.state import DialogueState

SCRIPT = [
    "a mind-bending sci-fi movie",
    "no horror please, and something from the 90s",
    "more like the second one",
    "something older",
    "I loved Inception, anything like it but not by Christopher Nolan",
    "now a book for my dad, he loves sea adventures",
    "not that one, I've seen it",
    "some chilled electronic music for working",
    "less ambient, more techno",
    "actually, a funny movie for the kids, nothing scary",
]
STAGES = ("state_update", "retrieval", "rerank", "first_recs", "first_token", "full_turn")
EXPLANATIONS = 3
TARGETS_MS = {"first_recs": 800, "full_turn": 3000}


def timed_turn(state: DialogueState, text: str, ctx: Context) -> tuple[DialogueState, dict]:
    """One turn as step() runs it, with stage times in ms (rerank is None without a reranker)."""
    spent = [0.0]
    real = ctx.reranker
    if real is not None:
        rank = real.rank

        def timed_rank(*args, **kwargs):
            t = time.perf_counter()
            try:
                return rank(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - t
        real.rank = timed_rank  # an instance attribute: shadows the method for this turn only
    try:
        t0 = time.perf_counter()
        new, _, extra = understand_turn(state, text, ctx)
        t1 = time.perf_counter()
        recs = recommend(new, ctx, ctx.config.k, extra, utterance=text)
        t2 = time.perf_counter()
        new.last_shown = [r.item.id for r in recs]  # as step() does
        new.recommended = list(dict.fromkeys(new.recommended + new.last_shown))
        t3 = None
        for rec in recs[:EXPLANATIONS]:
            for _chunk in explain_stream(rec, new, ctx.explainer):
                t3 = t3 or time.perf_counter()
        t4 = time.perf_counter()
        t3 = t3 or t4
    finally:
        if real is not None:
            del real.rank
    ms = 1000.0
    rerank = spent[0] * ms if real is not None else None
    return new, {
        "state_update": (t1 - t0) * ms,
        "retrieval": (t2 - t1) * ms - (rerank or 0.0),
        "rerank": rerank,
        "first_recs": (t2 - t0) * ms,
        "first_token": (t3 - t0) * ms,
        "full_turn": (t4 - t0) * ms,
    }


def agrees_with_step(ctx: Context) -> bool:
    """The timed path must give what step() gives (catches drift if step() changes)."""
    a = b = DialogueState()
    for text in SCRIPT:
        a, _ = timed_turn(a, text, ctx)
        b = step(b, text, ctx).state
        if a.last_shown != b.last_shown:
            return False
    return True


def run_latency(catalog, settings, repeats: int = 5, progress: bool = True) -> dict:
    from bot.runtime import build_context

    cold: dict[str, list[float]] = {s: [] for s in STAGES}
    warm: dict[str, list[float]] = {s: [] for s in STAGES}
    context_s = []
    ctx = None
    for _ in tqdm(range(repeats), desc="latency", unit="pass", disable=not progress):
        t0 = time.perf_counter()
        ctx = build_context(settings, catalog)
        context_s.append(time.perf_counter() - t0)
        for bucket in (cold, warm):
            state = DialogueState()
            for text in SCRIPT:
                state, times = timed_turn(state, text, ctx)
                for s in STAGES:
                    if times[s] is not None:
                        bucket[s].append(times[s])
    return {
        "script_turns": len(SCRIPT),
        "repeats": repeats,
        "new_user": _summary(cold),
        "warm": _summary(warm),
        "reranker": (f"on ({ctx.reranker.precision}, {ctx.reranker.threads} threads)"
                     if ctx.reranker is not None else "off"),
        "explainer": "LLM" if ctx.explainer is not None else "template (no LLM explainer configured)",
        "context_build_s": statistics.median(context_s),
        "agrees_with_step": agrees_with_step(ctx),
        "targets_ms": TARGETS_MS,
    }


def _summary(samples: dict[str, list[float]]) -> dict:
    return {s: ({"p50": statistics.median(v), "p95": percentile(v, 0.95), "n": len(v)} if v else None)
            for s, v in samples.items()}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# The child reports its own peak RSS: VmHWM belongs to the new process image, whereas ru_maxrss
# would carry over the parent's memory from before exec.
_CHILD = ("import atexit, runpy, sys\n"
          "def hwm():\n"
          "    for line in open('/proc/self/status'):\n"
          "        if line.startswith('VmHWM'):\n"
          "            print('PEAK_RSS_KB', line.split()[1], file=sys.stderr)\n"
          "atexit.register(hwm)\n"
          "sys.argv = ['bot', '--script', sys.argv[1]]\n"
          "runpy.run_module('bot', run_name='__main__')\n")


def cold_start(repo: Path, runs: int = 2) -> dict:
    """New process -> first printed answer, via the CLI as shipped (`python -m bot --script`)."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        script, log = Path(tmp) / "turns.json", Path(tmp) / "stderr.txt"
        script.write_text(json.dumps({"turns": [SCRIPT[0]]}))
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
        for _ in range(runs):
            with open(log, "w") as err:
                t0 = time.perf_counter()
                proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(script)], cwd=repo, env=env,
                                        stdout=subprocess.PIPE, stderr=err, text=True)
                first = proc.stdout.readline()
                seconds = time.perf_counter() - t0
                proc.communicate()
            peak = re.search(r"PEAK_RSS_KB (\d+)", log.read_text())
            picks = len(json.loads(first).get("recommendations", [])) if first.strip() else 0
            out.append({"seconds": seconds, "answered": bool(first.strip()), "picks": picks,
                        "returncode": proc.returncode,
                        "peak_rss_mb": int(peak.group(1)) / 1024 if peak else None})
    peaks = [r["peak_rss_mb"] for r in out if r["peak_rss_mb"] is not None]
    return {"runs": out, "seconds_median": statistics.median(r["seconds"] for r in out),
            "peak_rss_mb": max(peaks) if peaks else None}
