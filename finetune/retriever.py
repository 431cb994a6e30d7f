"""Train the learned query side of retrieval and the neighbour contexts (`python -m finetune retriever`).

Examples are ReDial train-split recommender turns: the end of the dialogue before the turn (both
speakers, mentions written "Title (Year)") and the catalog movies the recommender named. Only the
split's "train" part teaches the head; the hashed "valid" part is kept for early stopping here and
for fitting the score fusion in `bench.run --only tune`. The test split is never read.

The head (`retrieval.query_head`) is trained over frozen item vectors with a softmax over every
movie of the catalog: every other movie is a negative, which is the limit of in-batch and mined
hard negatives, and costs seconds on the CPU because the dialogue texts are embedded once.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from bot.state import CONTEXT_CHARS
from finetune.redial import (
    MOVIES_FILE,
    load_movies,
    load_train_dialogues,
    match_movies,
    recommender_turns,
    split_of,
)
from retrieval.neighbours import Neighbours
from retrieval.query_head import QueryHead, QueryHeadConfig

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "finetune" / "adapters" / "retriever"
DEFAULT_NEIGHBOURS = REPO / "data" / "interactions" / "redial_contexts.npz"


@dataclass
class Examples:
    conversation_ids: list[str]
    texts: list[str]
    vectors: np.ndarray  # the texts embedded
    targets: list[list[str]]  # candidate ids the recommender named
    mentioned: list[list[str]]  # candidate ids named earlier in the dialogue


def context_text(history: list[tuple[str, str]], chars: int = CONTEXT_CHARS) -> str:
    """The end of the dialogue, both speakers: what the head and the neighbours read."""
    return " ".join(t for _, t in history)[-chars:]


def build_examples(dialogues: list[dict], movies: dict, id_map: dict[str, str], embed, cache_dir: Path | None,
                   keep=lambda item_id: True, progress: bool = True) -> Examples:
    """One example per recommender turn naming a kept candidate; texts embedded once and cached."""
    cids, texts, targets, mentioned = [], [], [], []
    for d in dialogues:
        for turn in recommender_turns(d, movies, id_map):
            kept = [t for t in turn.targets if keep(t)]
            if kept:
                cids.append(turn.conversation_id)
                texts.append(context_text(turn.history) or "hello")
                targets.append(kept)
                mentioned.append([m.item_id for m in turn.mentioned if keep(m.item_id)])
    return Examples(cids, texts, embed_texts(texts, embed, cache_dir, progress), targets, mentioned)


def embed_texts(texts: list[str], embed, cache_dir: Path | None, progress: bool = True) -> np.ndarray:
    """Embed texts, reusing vectors of texts embedded before (the app's training and the benchmark
    read the same dialogue contexts)."""
    model = str(getattr(embed, "model_id", ""))
    path = cache_dir / "retriever" / f"contexts-{hashlib.sha1(model.encode()).hexdigest()[:12]}.pkl" \
        if cache_dir else None
    known: dict[str, np.ndarray] = {}
    if path is not None and path.exists():
        with open(path, "rb") as f:
            known = pickle.load(f)
    todo = list(dict.fromkeys(t for t in texts if t not in known))
    for start in tqdm(range(0, len(todo), 256), desc="embedding dialogue contexts", unit="batch",
                      disable=not progress or not todo):
        chunk = todo[start:start + 256]
        known.update(zip(chunk, embed.encode(chunk, batch_size=64).astype(np.float32), strict=True))
    if path is not None and todo:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            pickle.dump(known, f)
    if not texts:
        return np.zeros((0, getattr(embed, "dim", 384)), np.float32)
    return np.stack([known[t] for t in texts])


def train_head(ex: Examples, valid: Examples, item_ids: list[str], item_vectors: np.ndarray, embedder_id: str,
               epochs: int = 12, lr: float = 1e-3, l2: float = 1e-4, seed: int = 0, progress: bool = True
               ) -> tuple[QueryHead, dict]:
    """Fit A and B by a softmax over every catalog movie (plus log popularity, which the head need not
    learn); keep the epoch with the best held-out R@10."""
    import torch

    torch.manual_seed(seed)
    index = {i: n for n, i in enumerate(item_ids)}
    V = torch.tensor(item_vectors, dtype=torch.float32)
    counts = np.zeros(len(item_ids), np.float32)
    for ts in ex.targets:
        for t in set(ts):
            counts[index[t]] += 1
    logpop = torch.tensor(np.log1p(counts))
    d = V.shape[1]
    a, b = torch.zeros(d, d, requires_grad=True), torch.zeros(d, d, requires_grad=True)
    scale, wpop = torch.tensor(10.0, requires_grad=True), torch.tensor(0.5, requires_grad=True)
    opt = torch.optim.Adam([a, b, scale, wpop], lr=lr)

    def tensors(e: Examples):
        q = torch.tensor(e.vectors)
        m = torch.zeros_like(q)
        for n, ids in enumerate(e.mentioned):
            if ids:
                m[n] = V[[index[i] for i in ids]].mean(0)
        return q, m

    def logits(q, m):
        return scale * ((q + q @ a.T + m @ b.T) @ V.T) + wpop * logpop

    qt, mt = tensors(ex)
    qv, mv = tensors(valid)
    history, best = [], (-1.0, None)
    t0 = time.perf_counter()
    bar = tqdm(range(epochs), desc="training the query head", unit="epoch", disable=not progress)
    for epoch in bar:
        perm = torch.randperm(len(qt))
        total = 0.0
        for start in range(0, len(perm), 256):
            rows = perm[start:start + 256]
            target = torch.zeros(len(rows), len(item_ids))
            for r, n in enumerate(rows.tolist()):
                target[r, [index[t] for t in ex.targets[n]]] = 1.0
            lp = torch.log_softmax(logits(qt[rows], mt[rows]), -1)
            loss = -(lp * target).sum(-1).div(target.sum(-1)).mean() + l2 * (a.pow(2).sum() + b.pow(2).sum())
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(rows)
        with torch.no_grad():
            r10 = _recall(logits(qv, mv).numpy(), valid, index, 10)
        history.append({"epoch": epoch + 1, "train_loss": total / len(perm), "valid_r10": r10})
        bar.set_postfix(valid_r10=f"{r10:.3f}")
        if r10 > best[0]:
            best = (r10, (a.detach().clone().numpy(), b.detach().clone().numpy()))
    config = QueryHeadConfig(embedder_id=embedder_id, dim=d, context_chars=CONTEXT_CHARS,
                             trained_on=f"ReDial train-split 'train' part: {len(ex.texts)} recommender turns")
    report = {"epochs": history, "best_valid_r10": best[0], "train_examples": len(ex.texts),
              "valid_examples": len(valid.texts), "candidates": len(item_ids),
              "train_seconds": round(time.perf_counter() - t0, 1)}
    return QueryHead(config, *best[1]), report


def _recall(scores: np.ndarray, ex: Examples, index: dict[str, int], k: int) -> float:
    hits = total = 0
    for n, ts in enumerate(ex.targets):
        row = scores[n]
        for t in ts:
            hits += int((row > row[index[t]]).sum()) < k
            total += 1
    return hits / max(1, total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="train the learned query head and the neighbour contexts")
    parser.add_argument("--redial-dir", type=Path,
                        default=REPO.parent / "shared" / "data" / "eval" / "redial")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--neighbours", type=Path, default=DEFAULT_NEIGHBOURS)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--report", type=Path, default=REPO / "bench" / "results" / "retriever_training.json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from bot.config import Settings
    from bot.runtime import open_catalog, set_threads

    t0 = time.perf_counter()
    settings = Settings.from_env()
    set_threads(settings.build_threads)
    catalog = open_catalog(settings)
    movies = load_movies(args.redial_dir / MOVIES_FILE)
    items = [i for i in catalog.items.values() if i.domain == "movie"]
    id_map = match_movies(movies, items)
    dialogues = load_train_dialogues(args.redial_dir)
    parts = {p: [d for d in dialogues if split_of(d["conversationId"]) == p] for p in ("train", "valid")}
    item_ids = [i.id for i in items]
    known = set(item_ids)
    keep = known.__contains__
    embed = catalog.embedder
    train = build_examples(parts["train"], movies, id_map, embed, settings.cache_dir, keep)
    valid = build_examples(parts["valid"], movies, id_map, embed, settings.cache_dir, keep)
    head, report = train_head(train, valid, item_ids, catalog.vectors_for(item_ids), embed.model_id,
                              epochs=args.epochs)
    head.save_pretrained(args.out)
    # the app's neighbours learn from the whole train split; the benchmark builds its own from the
    # parts it may see (bench/redial.py), so nothing here reaches the held-out evaluation
    Neighbours(np.concatenate([train.vectors, valid.vectors]), train.targets + valid.targets,
               embed.model_id).save(args.neighbours)
    report["seconds_total"] = round(time.perf_counter() - t0, 1)
    report["neighbour_contexts"] = len(train.texts) + len(valid.texts)
    args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "epochs"}))
    return 0
