"""The ReDial benchmark: candidate catalog, evaluation under two protocols, and weight tuning.

Protocols (per recommender turn that mentions a movie; each target movie is one sample):
  standard  every movie of the turn is a target and nothing is excluded from the ranking, as in the
            KBRD / KGSF / UniCRS evaluations;
  strict    targets already mentioned earlier in the dialogue are dropped and every mentioned movie
            is excluded from the ranking (re-recommending them inflates scores about 2x:
            Kostric & Balog, SIGIR 2026).

Splits: "valid" = the held-out part of the train-split dialogues (valid_data_kgsf_split.jsonl and
train_extra.jsonl: finetune.redial.load_train_dialogues, split_of), with
CF and popularity from its "train" part; "test" = test_data.jsonl, with CF from all 901 train-slice
dialogues and popularity from the train part. Tuning reads only the valid part.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from bench.metrics import (
    coverage,
    exposure_by_decile,
    intra_list_diversity,
    mean_popularity,
    mrr,
    ndcg_at_k,
    novelty,
    rank_of,
    recall_at_k,
    top_k,
)
from bench.variants import VARIANTS, BenchContext
from bot.config import ScoringConfig, Settings
from bot.context import Context
from bot.models import load_embedder
from bot.rank_all import Candidates, combine, score_parts
from bot.runtime import load_learned
from finetune.redial import (
    DIALOGUE_FILES,
    MOVIES_FILE,
    RedialMovie,
    TargetTurn,
    candidate_items,
    label_index,
    liked_baskets,
    load_dialogues,
    load_movies,
    load_train_dialogues,
    match_movies,
    mention_counts,
    recommender_turns,
    split_of,
)
from finetune.retriever import build_examples, context_text, embed_texts
from retrieval import Catalog, read_items
from retrieval.cooccur import CoOccurrence
from retrieval.index import VectorIndex, read_manifest
from retrieval.items import write_jsonl_gz
from retrieval.neighbours import Neighbours

log = logging.getLogger(__name__)

PROTOCOLS = ("standard", "strict")
REDIAL_YEAR = 2018  # ReDial's dialogues were collected in 2017-2018
KS = (1, 10, 50)
CURVE_KS = tuple(range(1, 51))
LIST_K = 10  # beyond-accuracy metrics look at top-10 lists
BOOTSTRAP = 1000

# Published recommendation results on the ReDial test set (R@1, R@10, R@50; None = not reported).
PUBLISHED = [
    {"system": "KBRD", "protocol": "standard", "r1": 0.030, "r10": 0.163, "r50": 0.338,
     "source": "Chen et al., EMNLP 2019"},
    {"system": "KGSF", "protocol": "standard", "r1": 0.039, "r10": 0.183, "r50": 0.378,
     "source": "Zhou et al., KDD 2020"},
    {"system": "UniCRS", "protocol": "standard", "r1": 0.051, "r10": 0.224, "r50": 0.428,
     "source": "Wang et al., KDD 2022"},
    {"system": "ReFICR", "protocol": "standard", "r1": 0.061, "r10": 0.305, "r50": 0.532,
     "source": "as cited in the issue"},
    {"system": "GPT-4 zero-shot", "protocol": "strict", "r1": 0.050, "r10": 0.201, "r50": None,
     "source": "He et al., CIKM 2023"},
]

# recency_temperature 100 ~ no recency weighting; pool 1000 lets CF and tags lift items that
# content similarity alone ranks below the first 120
GRID = {
    "cf_weight": (0.0, 0.25, 0.5, 1.0, 2.0),
    "item_weight": (1.5, 3.0),
    "recency_temperature": (1.5, 4.0, 100.0),
    "tag_bonus": (0.08, 0.16, 0.32),
    "pool": (120, 300, 1000),
}
QUICK_GRID = {"cf_weight": (0.0, 0.25, 1.0), "item_weight": (1.5, 3.0), "recency_temperature": (1.5, 100.0),
              "tag_bonus": (0.08,)}


# -- data --------------------------------------------------------------------------------------------


@dataclass
class RedialData:
    catalog: Catalog  # the candidate catalog (all ReDial movies)
    movies: dict[str, RedialMovie]
    id_map: dict[str, str]  # redial id -> candidate id
    train: list[dict]  # train part of the train slice
    valid: list[dict]  # held-out part (tuning)
    test: list[dict]  # reporting only
    matched: int  # ReDial movies linked to a catalog record


class ReusingEmbedder:
    """The real embedder, answering from the demo index for texts it has already embedded, so the
    candidate catalog re-embeds only the movies the demo catalog lacks."""

    def __init__(self, inner, demo_items, demo_index_dir: Path):
        self.inner, self.model_id, self.dim = inner, inner.model_id, inner.dim
        self._items, self._dir, self._known = demo_items, demo_index_dir, None
        self.reused = 0

    def _load(self) -> dict[str, np.ndarray]:
        manifest = read_manifest(self._dir)
        if manifest is None or manifest.embedder_id != self.model_id:
            return {}
        index = VectorIndex.load(self._dir)
        live = index.live_keys()
        return {i.embedding_text(): index.vectors[index.position[i.id]] for i in self._items
                if live.get(i.id) == i.content_hash()}

    def encode(self, texts, batch_size: int = 64, show_progress: bool = False) -> np.ndarray:
        if self._known is None:
            self._known = self._load()
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = [n for n, t in enumerate(texts) if t not in self._known]
        for n, t in enumerate(texts):
            if t in self._known:
                out[n] = self._known[t]
        self.reused += len(texts) - len(todo)
        if todo:
            out[todo] = self.inner.encode([texts[n] for n in todo], batch_size, show_progress)
        return out


def load_data(redial_dir: Path, settings: Settings, progress: bool = True) -> RedialData:
    """Read ReDial and open (building once, under <cache>/bench/redial) the candidate catalog."""
    movies = load_movies(redial_dir / MOVIES_FILE)
    demo_items = read_items(settings.catalog_file).items
    id_map = match_movies(movies, demo_items)
    items = candidate_items(movies, demo_items)
    out = settings.cache_dir / "bench" / "redial"
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl_gz(items, out / "candidates.jsonl.gz")  # byte-identical when unchanged: no re-sync
    embedder = load_embedder(settings.embedder, threads=1, cache_dir=settings.cache_dir)
    reusing = ReusingEmbedder(embedder, demo_items, settings.index_dir)
    t0 = time.perf_counter()
    catalog = Catalog.open(out / "catalog.db", out / "index", reusing,
                           catalog_file=out / "candidates.jsonl.gz", exact_max=settings.exact_index_max,
                           progress=progress)
    catalog.embedder = embedder  # queries go straight to the model
    if reusing._known is not None:
        log.info("candidate index built in %.0fs (%d vectors reused)", time.perf_counter() - t0,
                 reusing.reused)
    train_slice = load_train_dialogues(redial_dir)
    return RedialData(
        catalog=catalog,
        movies=movies,
        id_map=id_map,
        train=[d for d in train_slice if split_of(d["conversationId"]) == "train"],
        valid=[d for d in train_slice if split_of(d["conversationId"]) == "valid"],
        test=load_dialogues(redial_dir / DIALOGUE_FILES["test"]),
        matched=sum(not v.startswith("redial:") for v in id_map.values()),
    )


def bench_context(data: RedialData, split: str, config: ScoringConfig | None = None,
                  settings: Settings | None = None, turns: list[TargetTurn] | None = None) -> BenchContext:
    """CF, popularity, priors and neighbour dialogues from the dialogues the split may learn from
    (never from the split itself); the learned query head is the shipped one, trained on the "train"
    part alone (finetune/retriever.py)."""
    learn_from = data.train if split == "valid" else data.train + data.valid
    settings = settings or Settings.from_env()
    manager = Context(data.catalog, None, config)
    manager.ref_year = REDIAL_YEAR  # "something recent" in a 2017-18 dialogue means then, not today
    load_learned(manager, replace(settings, neighbours_file=None))
    examples = build_examples(learn_from, data.movies, data.id_map, data.catalog.embedder, settings.cache_dir,
                              progress=False)
    manager.neighbours = Neighbours(examples.vectors, examples.targets, data.catalog.embedder.model_id)
    popularity = mention_counts(data.train, data.id_map)
    manager.priors = bench_priors(data, popularity)
    cooc = CoOccurrence(liked_baskets(learn_from, data.id_map))
    bench = BenchContext(manager, Candidates(manager, sorted(set(data.id_map.values()))), cooc,
                         popularity, len(data.train), label_index(data.movies, data.id_map))
    # the dialogue contexts to be scored (the given turns, or the whole split) embedded in batches up
    # front (and cached): much faster than one by one
    turns = target_turns(getattr(data, split), data) if turns is None else turns
    texts = [context_text(t.history) for t in turns]
    vectors = embed_texts(texts, data.catalog.embedder, settings.cache_dir)
    manager.known_text_vectors.update(zip(texts, vectors, strict=True))  # shared with manager_cf
    return bench


def bench_priors(data: RedialData, popularity: dict[str, int]) -> dict[str, float]:
    """The catalog's own priors (scripts/build_priors.py: train-part mentions + notability); a ReDial
    title the catalog lacks gets the median prior of catalog movies with as many train-part mentions."""
    ids = sorted(set(data.id_map.values()))
    known = {i: data.catalog.get(i).prior for i in ids if data.catalog.get(i).prior is not None}
    by_count: dict[int, list[float]] = {}
    for i, p in known.items():
        by_count.setdefault(popularity.get(i, 0), []).append(p)
    counts = sorted(by_count)
    out = dict(known)
    for i in ids:
        if i not in out:
            c = popularity.get(i, 0)
            near = max((k for k in counts if k <= c), default=counts[0]) if counts else None
            out[i] = float(np.median(by_count[near])) if near is not None else 0.0
    return out


def target_turns(dialogues: list[dict], data: RedialData) -> list[TargetTurn]:
    return [t for d in dialogues for t in recommender_turns(d, data.movies, data.id_map)]


def subsample(dialogues: list[dict], limit: int | None) -> list[dict]:
    """A deterministic subsample (by the split hash order), so quick runs are comparable."""
    if not limit or limit >= len(dialogues):
        return dialogues
    return sorted(dialogues, key=lambda d: _hash_order(d["conversationId"]))[:limit]


def _hash_order(cid) -> str:
    return hashlib.sha1(f"order:{cid}".encode()).hexdigest()


# -- evaluation --------------------------------------------------------------------------------------


def protocol_view(turn: TargetTurn, protocol: str) -> tuple[list[str], set[str]]:
    """(targets, excluded ids) of a turn under a protocol."""
    if protocol == "standard":
        return turn.targets, set()
    return turn.new_targets, turn.mentioned_ids


DIAGNOSED = ("ours-retrieval", "ours+cf")  # variants whose filtered-out targets get a reason


def filter_reason(turn: TargetTurn, target: str, bench: BenchContext) -> str:
    """Why the dialogue manager's hard filters ruled a target out (the replayed state is cached)."""
    state, _ = bench.replay(turn.history)
    item, c = bench.item(target), state.constraints
    if target in state.rejected or target in state.disliked_items:
        return "turned down"
    if c.creators and target not in bench.manager.ids_by_creators(c.creators):
        return "creator constraint"
    if target in bench.manager.ids_by_creators(c.excluded_creators):
        return "excluded creator"
    if (c.year_min is not None and (item.year or 0) < c.year_min) or (
            c.year_max is not None and (item.year is None or item.year > c.year_max)):
        return "year constraint"
    if c.domain and item.domain != c.domain:
        return "domain"
    tags = {t.lower() for t in item.tags}
    for f in state.dislikes:
        banned = bench.manager.lexicon.excluded_tags(f.text, "movie")
        if f.weight >= 1.0 and tags & {t.lower() for t in banned}:
            return "disliked genre"
    return "other"


def evaluate(turns: list[TargetTurn], bench: BenchContext, variants: list[str] | None = None,
             desc: str = "redial", progress: bool = True) -> dict:
    """Rank every candidate for every turn, per variant and protocol; aggregate metrics."""
    names = variants or list(VARIANTS)
    ids = bench.cands.ids
    ranks = {(v, p): [] for v in names for p in PROTOCOLS}
    groups = {(v, p): [] for v in names for p in PROTOCOLS}  # dialogue of each sample, for the bootstrap
    lists = {(v, p): [] for v in names for p in PROTOCOLS}
    filtered = dict.fromkeys(ranks, 0)  # targets the variant itself ruled out (-inf)
    bare = {key: [] for key in ranks}  # whether each target is a bare title (no catalog record)
    reasons = {key: {} for key in ranks}
    seconds = dict.fromkeys(names, 0.0)
    for turn in tqdm(turns, desc=desc, unit="turn", disable=not progress, mininterval=2):
        shared: dict[str, np.ndarray] = {}  # a variant's scores, when the protocol cannot change them
        for p in PROTOCOLS:
            targets, excluded = protocol_view(turn, p)
            if not targets:
                continue
            excluded_idx = [bench.cands.index_of[i] for i in excluded if i in bench.cands.index_of]
            for v in names:
                t0 = time.perf_counter()
                if v in shared:
                    scores = shared[v]
                else:
                    scores = np.asarray(VARIANTS[v].fn(turn.history, bench, ids, excluded), dtype=np.float64)
                    if not VARIANTS[v].uses_excluded:
                        shared[v] = scores
                seconds[v] += time.perf_counter() - t0
                if excluded_idx:
                    scores = scores.copy()
                    scores[excluded_idx] = -np.inf
                for target in targets:
                    n = bench.cands.index_of[target]
                    ranks[v, p].append(rank_of(scores, n))
                    groups[v, p].append(turn.conversation_id)
                    if not np.isfinite(scores[n]):
                        filtered[v, p] += 1
                        if v in DIAGNOSED:
                            why = filter_reason(turn, target, bench)
                            reasons[v, p][why] = reasons[v, p].get(why, 0) + 1
                    bare[v, p].append(target.startswith("redial:"))
                lists[v, p].append([ids[n] for n in top_k(scores, LIST_K)])
    out = {}
    for v in names:
        out[v] = {"seconds": round(seconds[v], 1)}
        for p in PROTOCOLS:
            out[v][p] = summarize(ranks[v, p], groups[v, p])
            out[v][p]["filtered_share"] = filtered[v, p] / max(1, len(ranks[v, p]))
            out[v][p]["filtered_reasons"] = reasons[v, p]
            r, b = np.asarray(ranks[v, p]), np.asarray(bare[v, p], dtype=bool)
            out[v][p]["bare_target_share"] = float(b.mean()) if len(b) else 0.0
            out[v][p]["r10_catalog_targets"] = recall_at_k(r[~b], 10)
            out[v][p]["r10_bare_targets"] = recall_at_k(r[b], 10)
            out[v][p].update(beyond_accuracy(lists[v, p], bench))
    return out


def summarize(ranks: list[int], groups: list[str] | None = None) -> dict:
    r = np.asarray(ranks)
    out = {"n": len(r)}
    for k in KS:
        out[f"r{k}"] = recall_at_k(r, k)
    out["ndcg10"] = ndcg_at_k(r, 10)
    out["mrr"] = mrr(r)
    out["recall_curve"] = [recall_at_k(r, k) for k in CURVE_KS]
    if groups is not None and len(r):
        lo, hi = bootstrap_ci(r <= 10, groups)
        out["r10_ci95"] = [lo, hi]
    return out


def resampled_means(hits: np.ndarray, groups: list[str], n: int = BOOTSTRAP, seed: int = 0) -> np.ndarray:
    """Means of `hits` over `n` resamples of whole dialogues (a dialogue's samples are not independent)."""
    keys, inverse = np.unique(np.asarray(groups), return_inverse=True)
    sums = np.bincount(inverse, weights=np.asarray(hits, dtype=np.float64), minlength=len(keys))
    counts = np.bincount(inverse, minlength=len(keys)).astype(np.float64)
    pick = np.random.default_rng(seed).integers(0, len(keys), size=(n, len(keys)))
    return sums[pick].sum(axis=1) / np.maximum(counts[pick].sum(axis=1), 1)


def bootstrap_ci(hits: np.ndarray, groups: list[str]) -> tuple[float, float]:
    """95% interval of a mean hit rate, resampling whole dialogues."""
    means = resampled_means(hits, groups)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def bootstrap_se(hits: np.ndarray, groups: list[str]) -> float:
    """Standard error of a mean hit rate, resampling whole dialogues."""
    return float(np.std(resampled_means(hits, groups)))


def beyond_accuracy(lists: list[list[str]], bench: BenchContext) -> dict:
    vectors = [bench.cands.vectors[[bench.cands.index_of[i] for i in lst]] for lst in lists]
    return {
        "coverage": coverage(lists, len(bench.cands)),
        "ild": intra_list_diversity(vectors),
        "novelty_bits": novelty(lists, bench.popularity, bench.n_users),
        "mean_popularity": mean_popularity(lists, bench.popularity),
        "exposure_by_decile": exposure_by_decile(lists, bench.popularity, bench.cands.ids),
    }


# -- tuning --------------------------------------------------------------------------------------------


def grid_configs(base: ScoringConfig, grid: dict[str, tuple]) -> list[ScoringConfig]:
    keys = list(grid)
    combos = itertools.product(*grid.values())
    return [replace(base, **dict(zip(keys, values, strict=True))) for values in combos]


def tune(turns: list[TargetTurn], bench: BenchContext, grid: dict[str, tuple], progress: bool = True) -> dict:
    """Score ours+cf under every grid config on the valid part; pick by strict R@10 (then strict MRR).

    The weight-free parts of each turn's score are computed once and reused across the grid.
    """
    base = bench.manager.config
    prepared = []
    for turn in tqdm(turns, desc="tune: states", unit="turn", disable=not progress, mininterval=2):
        state, extra = bench.replay(turn.history)
        parts = score_parts(state, bench.manager_cf, bench.cands, use_cf=True, keep_known=True)
        prepared.append((turn, state, extra, parts))
    configs = grid_configs(base, grid)
    if base not in configs:
        configs.insert(0, base)
    rows = []
    for cfg in tqdm(configs, desc="tune: grid", unit="config", disable=not progress):
        ranks = {p: [] for p in PROTOCOLS}
        groups = {p: [] for p in PROTOCOLS}
        for turn, state, extra, parts in prepared:
            scores = combine(parts, state, bench.manager_cf, bench.cands, extra, cfg)
            for p in PROTOCOLS:
                targets, excluded = protocol_view(turn, p)
                if not targets:
                    continue
                s = scores
                if excluded:
                    s = scores.copy()
                    s[[bench.cands.index_of[i] for i in excluded]] = -np.inf
                for target in targets:
                    ranks[p].append(rank_of(s, bench.cands.index_of[target]))
                    groups[p].append(turn.conversation_id)
        row = {"config": {k: getattr(cfg, k) for k in grid}, "is_default": cfg == base}
        for p in PROTOCOLS:
            m = summarize(ranks[p])
            row[p] = {k: m[k] for k in ("n", "r1", "r10", "r50", "ndcg10", "mrr")}
        row["_hits"] = (np.asarray(ranks["strict"]) <= 10, groups["strict"])
        rows.append(row)
    best = max(rows, key=lambda r: (r["strict"]["r10"], r["strict"]["mrr"]))
    default = next(r for r in rows if r["is_default"])
    # The best of many settings is partly luck: recommend the setting closest to the defaults (in grid
    # steps; then the smallest pool, cheapest to serve) among those within one standard error of it.
    se = bootstrap_se(*best["_hits"])
    near = [r for r in rows if r["strict"]["r10"] >= best["strict"]["r10"] - se]
    recommended = min(near, key=lambda r: (grid_steps(r["config"], base, grid), r["config"].get("pool", 0),
                                           -r["strict"]["r10"]))
    p_best = paired_bootstrap(best["_hits"], default["_hits"])
    p_recommended = paired_bootstrap(recommended["_hits"], default["_hits"])
    for r in rows:
        r.pop("_hits")
    return {
        "objective": "strict R@10 on the valid part (ties: strict MRR), ours+cf",
        "rule": "recommended = the setting fewest grid steps from the defaults (then the smallest pool) "
                "within one bootstrap standard error of the best",
        "grid": {k: list(v) for k, v in grid.items()},
        "default": default,
        "best": best,
        "best_se": se,
        "recommended": recommended,
        "p_best_beats_default": p_best,
        "p_recommended_beats_default": p_recommended,
        "rows": rows,
        "base_config": asdict(base),
    }


def grid_steps(config: dict, base: ScoringConfig, grid: dict[str, tuple]) -> int:
    """How many grid steps `config` is from `base`, summed over the tuned weights."""
    steps = 0
    for k, values in grid.items():
        scale = sorted(set(values) | {getattr(base, k)})
        steps += abs(scale.index(config[k]) - scale.index(getattr(base, k)))
    return steps


def paired_bootstrap(a: tuple, b: tuple, n: int = BOOTSTRAP, seed: int = 0) -> float:
    """Share of dialogue resamples in which `a`'s mean hit rate beats `b`'s (same samples, same order)."""
    (hits_a, groups), (hits_b, _) = a, b
    keys, inverse = np.unique(np.asarray(groups), return_inverse=True)
    diff = np.bincount(inverse, weights=hits_a.astype(float) - hits_b.astype(float), minlength=len(keys))
    pick = np.random.default_rng(seed).integers(0, len(keys), size=(n, len(keys)))
    return float(np.mean(diff[pick].sum(axis=1) > 0))
