"""Train the reranker's LoRA adapter on examples from `finetune.data`.

A plain loop (nanoGPT-style): batches of examples -> the reranker's own readout
(`bot.rerank.label_logits` or `pointwise_logits`) -> cross-entropy on the right candidate ->
AdamW on the LoRA weights only. Candidates are re-shuffled every epoch so the model cannot learn a
favourite position. After each epoch the held-out examples are scored (accuracy@1, MRR); the best
epoch is kept with `save_pretrained`, and training stops when `patience` epochs bring nothing.

Runs on CPU (slowly: ~10 s per batch of 8 on 2 cores) or on a GPU when there is one.

    python -m finetune train --examples .cache/finetune/examples.jsonl --out finetune/adapters/reranker
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import torch
from tqdm import tqdm

from bot.rerank import (
    RerankerConfig,
    label_logits,
    label_token_ids,
    listwise_prompt,
    pointwise_logits,
    pointwise_prefix,
    pointwise_suffix,
    yes_no_ids,
)
from finetune.data import Example, read_examples

LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass
class TrainConfig:
    # base, layers and mode are saved with the adapter as its bot.rerank.RerankerConfig
    base: str = "packaged-small"  # a packaged name, a .gguf file, a local folder or a hub id
    layers: int | None = None  # keep only the first N transformer layers (faster serving); None = all
    mode: str = "listwise"
    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: list[str] = field(default_factory=lambda: list(LORA_TARGETS))
    lr: float = 3e-4
    epochs: int = 4
    batch_size: int = 8
    patience: int = 1
    max_steps: int | None = None  # stop early (smoke tests)
    seed: int = 0
    device: str = "auto"


def load_base(base: str, layers: int | None, cache_dir: Path | None = None):
    """The base the adapter trains on, built exactly as serving builds it (RerankerConfig.load_base)."""
    model, tokenizer = RerankerConfig(base=base, layers=layers).load_base(cache_dir, torch.get_num_threads())
    tokenizer.padding_side = "right"
    return model, tokenizer


def _permuted(ex: Example, rng: random.Random) -> tuple[list[str], int]:
    order = list(range(len(ex.candidates)))
    rng.shuffle(order)
    return [ex.candidates[i] for i in order], order.index(ex.label)


def batch_logits(model, tokenizer, examples: list[Example], mode: str, device: torch.device,
                 rng: random.Random | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """[B, n] candidate scores and [B] right answers, with candidates re-shuffled when `rng` is given."""
    shuffled = [_permuted(ex, rng) if rng else (ex.candidates, ex.label) for ex in examples]
    labels = torch.tensor([lab for _, lab in shuffled], device=device)
    if mode == "listwise":
        pairs = zip(examples, shuffled, strict=True)
        prompts = [listwise_prompt(ex.profile, cands) for ex, (cands, _) in pairs]
        enc = tokenizer(prompts, return_tensors="pt", padding=True).to(device)
        logits = label_logits(model, enc.input_ids, enc.attention_mask, label_token_ids(tokenizer),
                              [len(c) for c, _ in shuffled])
        return logits, labels
    texts = [pointwise_prefix(ex.profile) + pointwise_suffix(c)
             for ex, (cands, _) in zip(examples, shuffled, strict=True) for c in cands]
    enc = tokenizer(texts, return_tensors="pt", padding=True).to(device)
    margins = pointwise_logits(model, enc.input_ids, enc.attention_mask, yes_no_ids(tokenizer))
    width = len(shuffled[0][0])
    if any(len(c) != width for c, _ in shuffled):
        raise ValueError("pointwise batches need the same number of candidates per example")
    return margins.view(len(examples), width), labels


@torch.no_grad()
def evaluate(model, tokenizer, examples: list[Example], mode: str, device: torch.device,
             batch_size: int = 16, progress: bool = False) -> dict:
    """Accuracy@1 and MRR of the right candidate, overall and per source; plus the same for
    retrieval's own order (candidates it did not rank count as last) as the bar to beat."""
    model.eval()
    per: dict[str, dict[str, float]] = {}
    batches = range(0, len(examples), batch_size)
    for start in tqdm(batches, desc="evaluate", unit="batch", disable=not progress):
        chunk = examples[start:start + batch_size]
        with _autocast(device):
            logits, labels = batch_logits(model, tokenizer, chunk, mode, device)
        for ex, row, label in zip(chunk, logits.float().cpu(), labels.cpu(), strict=True):
            rank = int((row > row[label]).sum())
            base_rank = _retrieval_rank(ex)
            for key in ("all", ex.source):
                d = per.setdefault(key, {"n": 0, "acc1": 0.0, "mrr": 0.0, "retrieval_acc1": 0.0,
                                         "retrieval_mrr": 0.0})
                d["n"] += 1
                d["acc1"] += rank == 0
                d["mrr"] += 1 / (rank + 1)
                d["retrieval_acc1"] += base_rank == 0
                d["retrieval_mrr"] += 1 / (base_rank + 1)
    return {key: {m: (round(v / d["n"], 4) if m != "n" else int(v)) for m, v in d.items()}
            for key, d in per.items()}


def _retrieval_rank(ex: Example) -> int:
    ranks = [r if r >= 0 else 10**6 for r in ex.retrieval_rank] or [0] * len(ex.candidates)
    return sum(r < ranks[ex.label] for r in ranks)


def _autocast(device: torch.device):
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


def train(config: TrainConfig, examples: list[Example], out_dir: Path, cache_dir: Path | None = None) -> dict:
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    device = torch.device("cuda" if config.device == "auto" and torch.cuda.is_available()
                          else (config.device if config.device != "auto" else "cpu"))
    train_set = [e for e in examples if e.split == "train"]
    valid_set = [e for e in examples if e.split == "valid"]
    if not train_set or not valid_set:
        raise ValueError("need both train and valid examples (see finetune.data)")

    model, tokenizer = load_base(config.base, config.layers, cache_dir)
    lora = LoraConfig(r=config.r, lora_alpha=config.alpha, lora_dropout=config.dropout,
                      target_modules=list(config.target_modules), task_type="CAUSAL_LM")
    model = get_peft_model(model, lora).to(device)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    params = [p for p in model.parameters() if p.requires_grad]
    optim = torch.optim.AdamW(params, lr=config.lr, weight_decay=0.0)
    steps_per_epoch = math.ceil(len(train_set) / config.batch_size)
    total = steps_per_epoch * config.epochs if config.max_steps is None else config.max_steps
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, (s + 1) / max(1, total // 20)) * max(0.05, 1 - s / max(1, total)))

    # the report names the base by its spec, never by a path of the machine it ran on
    report = {"config": {**asdict(config), "base": _spec_name(config.base)},
              "examples": {"train": len(train_set), "valid": len(valid_set)},
              "trainable_params": trainable, "device": str(device), "epochs": []}
    start = time.perf_counter()
    report["before"] = evaluate(model, tokenizer, valid_set, config.mode, device, progress=True)
    best, stale, step = -1.0, 0, 0
    for epoch in range(config.epochs):
        model.train()
        rng.shuffle(train_set)
        losses = []
        bar = tqdm(range(0, len(train_set), config.batch_size), desc=f"epoch {epoch + 1}", unit="batch")
        for i in bar:
            with _autocast(device):
                logits, labels = batch_logits(model, tokenizer, train_set[i:i + config.batch_size],
                                              config.mode, device, rng)
            loss = torch.nn.functional.cross_entropy(logits.float(), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad(set_to_none=True)
            losses.append(float(loss))
            bar.set_postfix(loss=f"{sum(losses[-50:]) / len(losses[-50:]):.3f}")
            step += 1
            if config.max_steps is not None and step >= config.max_steps:
                break
        metrics = evaluate(model, tokenizer, valid_set, config.mode, device, progress=True)
        mrr = metrics["all"]["mrr"]
        report["epochs"].append({"epoch": epoch + 1, "steps": step,
                                 "train_loss": round(sum(losses) / len(losses), 4), "valid": metrics,
                                 "seconds": round(time.perf_counter() - start, 1)})
        print(json.dumps(report["epochs"][-1]))
        if mrr > best:
            best, stale = mrr, 0
            save_adapter(model, config, out_dir)
        else:
            stale += 1
            if stale > config.patience:
                break
        if config.max_steps is not None and step >= config.max_steps:
            break
    report["best_valid_mrr"] = best
    report["train_seconds"] = round(time.perf_counter() - start, 1)
    (out_dir / "train_report.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


def save_adapter(model, config: TrainConfig, out_dir: Path) -> None:
    """peft's save_pretrained, with the base named by its spec (never a local path), and the
    RerankerConfig saying how to rebuild the base and which prompt the adapter was trained on."""
    out_dir.mkdir(parents=True, exist_ok=True)
    spec = _spec_name(config.base)
    for cfg in model.peft_config.values():
        cfg.base_model_name_or_path = spec
    model.save_pretrained(str(out_dir), save_embedding_layers=False)  # no hub lookup for the base
    _to_fp16(out_dir / "adapter_model.safetensors")
    RerankerConfig(base=spec, layers=config.layers, mode=config.mode).save_pretrained(out_dir)


def _spec_name(base: str) -> str:
    """How the adapter names its base: the packaged GGUF by its spec, a local folder by its name."""
    if base.endswith("SmolLM2-135M-Instruct.Q4_1.gguf"):
        return "packaged-small"
    return Path(base).name if Path(base).exists() else base


def _to_fp16(path: Path) -> None:
    """Store the adapter in fp16: half the size in the repo; it is loaded into the fp32 model."""
    from safetensors.torch import load_file, save_file

    tensors = {k: v.to(torch.float16) for k, v in load_file(str(path)).items()}
    save_file(tensors, str(path), metadata={"format": "pt"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="train the reranker's LoRA adapter")
    parser.add_argument("--examples", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cache-dir", type=Path)
    defaults = TrainConfig()
    for name, value in asdict(defaults).items():
        if name == "target_modules":
            parser.add_argument("--target-modules", default=",".join(value))
        elif name in ("layers", "max_steps"):
            parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=value)
        else:
            parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    args = parser.parse_args(argv)
    values = {k: getattr(args, k) for k in asdict(defaults)}
    values["target_modules"] = [t for t in args.target_modules.split(",") if t]
    config = replace(defaults, **values)
    report = train(config, read_examples(args.examples), args.out, args.cache_dir)
    print(json.dumps({"best_valid_mrr": report["best_valid_mrr"], "train_seconds": report["train_seconds"],
                      "before": report["before"]["all"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
