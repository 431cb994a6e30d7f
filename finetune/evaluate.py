"""Evaluate a reranker adapter on held-out examples: quality (accuracy@1, MRR against retrieval's
own order) and serving latency for 20 candidates on this CPU, as the app would run it.

    python -m finetune eval --adapter finetune/adapters/reranker --examples .cache/finetune/examples.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path

import torch
from tqdm import tqdm

from bot.rerank import LLMReranker
from finetune.data import read_examples
from finetune.train import evaluate


def latency(reranker: LLMReranker, examples: list, n: int, threads: int) -> dict:
    """p50/p95 of one `score` call (one profile, all its candidates), after one warm-up."""
    torch.set_num_threads(threads)
    sample = examples[:n]
    reranker.score(sample[0].profile, sample[0].candidates)
    times, tokens = [], []
    for ex in tqdm(sample, desc=f"latency ({threads} thread{'s' if threads > 1 else ''})", unit="call"):
        start = time.perf_counter()
        reranker.score(ex.profile, ex.candidates)
        times.append(time.perf_counter() - start)
        tokens.append(reranker.last.tokens)
    times.sort()
    return {"threads": threads, "calls": len(times), "candidates": len(sample[0].candidates),
            "p50_s": round(statistics.median(times), 3),
            "p95_s": round(times[int(0.95 * (len(times) - 1))], 3),
            "mean_tokens": round(statistics.mean(tokens), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="evaluate a reranker adapter (quality and CPU latency)")
    parser.add_argument("--adapter", help="adapter folder; omit to score with the base model zero-shot")
    parser.add_argument("--base", help="override the base model named in the adapter's reranker.json")
    parser.add_argument("--mode", choices=["listwise", "pointwise"])
    parser.add_argument("--examples", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=400, help="held-out examples to score (0 = all)")
    parser.add_argument("--latency-calls", type=int, default=30)
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    args = parser.parse_args(argv)

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    valid = [e for e in read_examples(args.examples) if e.split == "valid"]
    random.Random(0).shuffle(valid)  # a mixed sample of sources when --limit cuts
    if args.limit:
        valid = valid[: args.limit]
    torch.set_num_threads(2)
    start = time.perf_counter()
    reranker = LLMReranker.from_pretrained(args.adapter, base=args.base, mode=args.mode, threads=2)
    load_s = time.perf_counter() - start
    reranker.tokenizer.padding_side = "right"
    quality = evaluate(reranker.model, reranker.tokenizer, valid, reranker.mode, torch.device("cpu"),
                       batch_size=8, progress=True)
    result = {
        "adapter": Path(args.adapter).name if args.adapter else None,
        "base": reranker.model_id,
        "mode": reranker.mode,
        "layers": reranker.model.config.num_hidden_layers,
        "load_seconds": round(load_s, 2),
        "valid": quality,
        "latency": [latency(reranker, valid, args.latency_calls, t) for t in (1, 2)],
        "load_average": os.getloadavg()[0],
    }
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
