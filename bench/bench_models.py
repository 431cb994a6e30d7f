"""Model loading and CPU inference speed: embedder and LLMs, on this machine.

    .venv/bin/python bench/bench_models.py [--skip-qwen] [--threads 1 2]

Embedder: cold/warm load, file verification (first vs stamped), encode throughput for short
(~40-token) item texts at each thread count, fp32 vs bf16. LLMs (Qwen packaged, SmolLM2
packaged-small): one-time GGUF conversion (measured when the cache lacks it, else the time
stored in its stamp), cached resolve/load time, prefill tok/s on a ~400-token prompt and
decode tok/s for 32 tokens, fp32, at each thread count. Writes bench/results/models.json.
Other processes may share the CPU: the load average is recorded next to each section.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import models  # noqa: E402
from bot.config import REPO_ROOT, Settings  # noqa: E402

GENRES = ["sci-fi", "mystery", "romance", "jazz", "fantasy", "thriller", "documentary", "indie rock"]
ADJ = ["haunting", "playful", "sprawling", "intimate", "gritty", "luminous", "slow-burning", "witty"]
NOUNS = ["a lighthouse keeper", "two rival chefs", "a retired detective", "a touring band",
         "an exiled princess", "a small-town teacher", "a rogue AI", "three estranged sisters"]


def item_texts(n: int) -> list[str]:
    """Synthetic catalog-like item texts of roughly 40 tokens each."""
    out = []
    for i in range(n):
        g, a, who = GENRES[i % 8], ADJ[(i // 8) % 8], NOUNS[(i * 3) % 8]
        tone = ADJ[(i + 3) % 8]
        out.append(f"Title: Item {i} ({1960 + i % 60}). Genre: {g}. A {a} {g} story about {who} "
                   f"who must confront the past; praised for its {tone} tone and memorable score.")
    return out


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def best_and_median(times: list[float]) -> tuple[float, float]:
    return min(times), statistics.median(times)


def bench_embedder(args, cache_dir: Path) -> dict:
    res: dict = {"loadavg_start": loadavg()}
    t = time.perf_counter()
    import sentence_transformers  # noqa: F401
    import torch

    res["import_s"] = round(time.perf_counter() - t, 3)
    with tempfile.TemporaryDirectory() as tmp:  # fresh stamps: first verification hashes the files
        t = time.perf_counter()
        models.resolve_embedder("packaged", cache_dir=Path(tmp))
        res["verify_first_s"] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
        models.resolve_embedder("packaged", cache_dir=Path(tmp))
        res["verify_stamped_s"] = round(time.perf_counter() - t, 4)
    t = time.perf_counter()
    emb = models.load_embedder("packaged", threads=1, cache_dir=cache_dir)
    res["load_cold_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    emb = models.load_embedder("packaged", threads=1, cache_dir=cache_dir)
    res["load_warm_s"] = round(time.perf_counter() - t, 3)

    texts = item_texts(args.n_texts)
    tok = emb.model.tokenizer
    lengths = [len(ids) for ids in tok(texts)["input_ids"]]
    res["texts"] = len(texts)
    res["mean_tokens_per_text"] = round(sum(lengths) / len(lengths), 1)
    res["batch_size"] = args.batch_size
    res["encode"] = []
    reference = None
    for dtype in ("float32", "bfloat16"):
        batch = texts if dtype == "float32" else texts[: args.n_texts_bf16]  # bf16 is slow here
        emb = models.load_embedder("packaged", threads=args.threads[0], dtype=dtype, cache_dir=cache_dir)
        emb.encode(texts[:32], batch_size=args.batch_size)  # warm-up
        times: dict[int, list[float]] = {th: [] for th in args.threads}
        for _ in range(args.repeats):  # interleave thread counts so shared-CPU noise hits both alike
            for threads in args.threads:
                torch.set_num_threads(threads)
                t = time.perf_counter()
                vecs = emb.encode(batch, batch_size=args.batch_size)
                times[threads].append(time.perf_counter() - t)
        for threads in args.threads:
            best, med = best_and_median(times[threads])
            row = {"dtype": dtype, "threads": threads, "texts": len(batch),
                   "texts_per_s_best": round(len(batch) / best, 1),
                   "texts_per_s_median": round(len(batch) / med, 1), "loadavg": loadavg()}
            res["encode"].append(row)
            print(f"  embed {dtype:8s} threads={threads}: {row['texts_per_s_best']:8.1f} texts/s (best)",
                  flush=True)
        if reference is None:
            reference = vecs
        else:
            cosine = (vecs * reference[: len(vecs)]).sum(1).min()
            res["encode"][-1]["min_cosine_vs_fp32"] = round(float(cosine), 5)
    res["loadavg_end"] = loadavg()
    return res


def _prompt_ids(tokenizer, n_tokens: int):
    import torch

    body = "\n".join(item_texts(60))
    messages = [{"role": "system", "content": "You recommend movies, books and music from a catalog."},
                {"role": "user", "content": f"Catalog:\n{body}\nWhich item suits a rainy evening?"}]
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    ids = tokenizer(text, return_tensors="pt")["input_ids"]
    if ids.shape[1] < n_tokens:
        raise SystemExit(f"prompt too short: {ids.shape[1]} < {n_tokens} tokens")
    return torch.cat([ids[:, : n_tokens - 20], ids[:, -20:]], dim=1)  # keep the assistant header


def _decode(model, ids, steps: int) -> tuple[float, list[int]]:
    """Greedy decode ``steps`` tokens after an (untimed) prefill; returns seconds and tokens."""
    import torch

    with torch.inference_mode():
        out = model(input_ids=ids, use_cache=True)
        past, nxt = out.past_key_values, out.logits[:, -1:].argmax(-1)
        tokens = []
        t = time.perf_counter()
        for _ in range(steps):
            tokens.append(int(nxt))
            out = model(input_ids=nxt, past_key_values=past, use_cache=True)
            past, nxt = out.past_key_values, out.logits[:, -1:].argmax(-1)
        return time.perf_counter() - t, tokens


def bench_llm(spec: str, args, cache_dir: Path) -> dict:
    import torch

    pkg = models.PACKAGED_LLMS[spec]
    out_dir = cache_dir / "models" / f"{pkg.name}-hf"
    res: dict = {"spec": spec, "model_id": pkg.model_id, "loadavg_start": loadavg()}
    info = models.converted_info(out_dir, pkg.sha256)
    if info is None or args.measure_conversion:
        # a fresh cache (a temporary one if the real one is already converted: others may use it)
        with tempfile.TemporaryDirectory() as tmp:
            where = cache_dir if info is None else Path(tmp)
            t = time.perf_counter()
            models.resolve_llm(spec, where)  # verify parts (hash), join, convert
            res["first_resolve_s"] = round(time.perf_counter() - t, 2)
            info = models.converted_info(where / "models" / f"{pkg.name}-hf", pkg.sha256)
        res["conversion_measured_now"] = True
    else:
        res["conversion_measured_now"] = False
    res["convert_s"] = info["convert_seconds"]  # GGUF → fp32 folder, as stored in the stamp
    res["prepare_s"] = info.get("prepare_seconds")  # verify parts (+ join them), before converting
    res["converted_size_mb"] = round(sum(info["files"].values()) / 2**20, 1)
    t = time.perf_counter()
    models.resolve_llm(spec, cache_dir)
    res["cached_resolve_s"] = round(time.perf_counter() - t, 4)
    loads = []
    for _ in range(2):
        t = time.perf_counter()
        model, tok = models.load_llm(spec, cache_dir, threads=1)
        loads.append(time.perf_counter() - t)
    res["cached_load_first_s"], res["cached_load_second_s"] = round(loads[0], 3), round(loads[1], 3)

    ids = _prompt_ids(tok, args.prompt_tokens)
    res["prompt_tokens"], res["decode_tokens"] = int(ids.shape[1]), args.decode_tokens
    res["speed"] = []
    prefill: dict[int, list[float]] = {th: [] for th in args.threads}
    decode: dict[int, list[float]] = {th: [] for th in args.threads}
    with torch.inference_mode():
        model(input_ids=ids[:, :32])  # warm-up
    for _ in range(args.repeats):  # interleave thread counts so shared-CPU noise hits both alike
        for threads in args.threads:
            torch.set_num_threads(threads)
            with torch.inference_mode():
                t = time.perf_counter()
                model(input_ids=ids, use_cache=True)
                prefill[threads].append(time.perf_counter() - t)
            decode[threads].append(_decode(model, ids, args.decode_tokens)[0])
    for threads in args.threads:
        row = {"threads": threads, "dtype": "float32",
               "prefill_tok_s_best": round(ids.shape[1] / min(prefill[threads]), 1),
               "prefill_tok_s_median": round(ids.shape[1] / statistics.median(prefill[threads]), 1),
               "decode_tok_s_best": round(args.decode_tokens / min(decode[threads]), 2),
               "decode_tok_s_median": round(args.decode_tokens / statistics.median(decode[threads]), 2),
               "loadavg": loadavg()}
        res["speed"].append(row)
        print(f"  {spec:14s} threads={threads}: prefill {row['prefill_tok_s_best']:7.1f} tok/s, "
              f"decode {row['decode_tok_s_best']:6.2f} tok/s (best)", flush=True)
    torch.set_num_threads(args.threads[0])
    # a short chat answer as a sanity check that the conversion is sound
    ask = [{"role": "user", "content": "Recommend one sci-fi movie in one sentence."}]
    chat = tok.apply_chat_template(ask, add_generation_prompt=True, return_tensors="pt", return_dict=True)
    with torch.inference_mode():
        gen = model.generate(**chat, max_new_tokens=24, do_sample=False, pad_token_id=tok.pad_token_id)
    res["sample_answer"] = tok.decode(gen[0, chat["input_ids"].shape[1]:], skip_special_tokens=True)
    res["loadavg_end"] = loadavg()
    del model
    return res


def print_table(results: dict) -> None:
    emb = results["embedder"]
    print("\nembedder all-MiniLM-L6-v2 (packaged)")
    print(f"  import {emb['import_s']:.2f} s | load cold {emb['load_cold_s']:.2f} s, "
          f"warm {emb['load_warm_s']:.2f} s | verify first {emb['verify_first_s']:.2f} s, "
          f"stamped {emb['verify_stamped_s']:.4f} s")
    print(f"  {'dtype':10s} {'threads':>7s} {'texts':>6s} {'texts/s best':>13s} {'median':>9s}   "
          f"(~{emb['mean_tokens_per_text']:.0f} tokens per text, batch {emb['batch_size']})")
    for row in emb["encode"]:
        print(f"  {row['dtype']:10s} {row['threads']:>7d} {row['texts']:>6d} "
              f"{row['texts_per_s_best']:>13.1f} {row['texts_per_s_median']:>9.1f}")
    for res in results["llm"]:
        how = "measured now" if res["conversion_measured_now"] else "stored"
        print(f"\nLLM {res['model_id']}")
        print(f"  verify+join {res['prepare_s'] or 0:.1f} s, convert {res['convert_s']:.1f} s ({how}) | "
              f"cached resolve {res['cached_resolve_s']:.4f} s | "
              f"load {res['cached_load_first_s']:.2f} s / {res['cached_load_second_s']:.2f} s")
        print(f"  {'threads':>7s} {'prefill tok/s':>14s} {'decode tok/s':>13s}   "
              f"({res['prompt_tokens']}-token prompt, {res['decode_tokens']} new tokens, fp32, best)")
        for row in res["speed"]:
            print(f"  {row['threads']:>7d} {row['prefill_tok_s_best']:>14.1f} "
                  f"{row['decode_tok_s_best']:>13.2f}")
        print(f"  sample: {res['sample_answer']!r}")
    print(f"\nload average start {results['loadavg_start']} end {results['loadavg_end']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache-dir", type=Path,
                        help="default: the Settings cache_dir (conversions are reused)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--n-texts", type=int, default=256)
    parser.add_argument("--n-texts-bf16", type=int, default=64, help="bf16 is ~6x slower on this CPU")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--prompt-tokens", type=int, default=400)
    parser.add_argument("--decode-tokens", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3, help="timed repetitions; the best is reported")
    parser.add_argument("--measure-conversion", action="store_true",
                        help="time the GGUF conversion again (in a temporary cache) even if cached")
    parser.add_argument("--skip-qwen", action="store_true", help="only the small SmolLM2 model")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "models.json")
    args = parser.parse_args(argv)

    cache_dir = args.cache_dir or Settings.from_env().cache_dir
    results: dict = {"loadavg_start": loadavg()}
    print("embedder ...", flush=True)
    results["embedder"] = bench_embedder(args, cache_dir)
    results["llm"] = []
    for spec in ([] if args.skip_qwen else ["packaged"]) + ["packaged-small"]:
        print(f"LLM {spec} ...", flush=True)
        results["llm"].append(bench_llm(spec, args, cache_dir))
    results["loadavg_end"] = loadavg()

    import torch
    import transformers

    try:
        cache_label = str(Path(cache_dir).resolve().relative_to(REPO_ROOT))
    except ValueError:
        cache_label = "(outside the repository)"
    flags = ""
    if Path("/proc/cpuinfo").exists():
        line = next((x for x in Path("/proc/cpuinfo").read_text().splitlines() if x.startswith("flags")), "")
        wanted = ("avx", "avx2", "avx512f", "avx512_bf16", "amx_bf16")
        flags = " ".join(f for f in wanted if f in line.split())
    results["machine"] = {
        "cpu_count": os.cpu_count(), "cpu_flags": flags, "platform": platform.platform(),
        "python": platform.python_version(), "torch": torch.__version__,
        "transformers": transformers.__version__, "cache_dir": cache_label,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    results["note"] = ("Best of --repeats runs; the CPU may be shared with other processes "
                       "(see the loadavg fields, 1/5/15-minute load averages).")
    print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
