"""Training data for the reranker: (profile, candidates, index of the right one) examples.

Three sources, all rendered with the same text builders the reranker serves with
(`bot.rerank.profile_text`, `candidate_text`):

- redial: dialogues of ReDial's *train* slices (`valid_data_kgsf_split.jsonl`, `train_extra.jsonl`;
  the test split is never read). The seeker's messages go through the real dialogue manager to get
  the state the app would have; the positive is the movie the recommender suggested next (new to the dialogue
  and in our catalog); negatives are the best-scored movies of the app's full first stage (the fused score)
  that the dialogue never mentions. `finetune.redial.split_of` holds part of the dialogues out for
  validation; the CF and neighbour dialogues behind an example never include its own dialogue.
- synthetic: personas sampled from catalog tags (a liked tag, maybe a second one, a disliked tag,
  a decade, a liked title), said through varied templates. The positive fits all of it; negatives
  break one thing each (carry the disliked tag, fall outside the years, lack the liked tag), so
  the model learns negation and constraints, not only similarity.
- feedback: thumbs logged by the app (`tastebud export-feedback`, JSONL): a thumbed-up item is a
  positive against retrieval's other candidates for that state; a thumbed-down one a negative.

    python -m finetune.data --out .cache/finetune/examples.jsonl [--quick]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from tqdm import tqdm

from bot.rerank import candidate_text, profile_text
from bot.state import DialogueState
from bot.words import KIND_WORDS, liked_titles

if TYPE_CHECKING:
    from retrieval import Item

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REDIAL = REPO.parent / "shared" / "data" / "eval" / "redial"
N_CANDIDATES = 20


@dataclass
class Example:
    source: str  # "redial" | "synthetic" | "feedback"
    split: str  # "train" | "valid"
    profile: str
    candidates: list[str]  # candidate lines, already shuffled
    label: int  # index of the right candidate
    ids: list[str] = field(default_factory=list)
    retrieval_rank: list[int] = field(default_factory=list)  # each candidate's rank in retrieval (0 = best)


def write_examples(examples: list[Example], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for ex in examples:
            f.write(json.dumps(asdict(ex), ensure_ascii=False) + "\n")
    tmp.replace(path)


def read_examples(path: str | Path) -> list[Example]:
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                ex = Example(**json.loads(line))
            except (TypeError, ValueError) as err:
                raise ValueError(f"{path}:{n}: not a training example ({err})") from err
            if not 0 <= ex.label < len(ex.candidates):
                raise ValueError(f"{path}:{n}: label {ex.label} outside its {len(ex.candidates)} candidates")
            out.append(ex)
    return out


def _shuffled(rng: random.Random, positive: Item, negatives: list[Item], ranks: dict[str, int],
              state: DialogueState, profile: str, source: str, split: str) -> Example:
    items = [positive, *negatives]
    rng.shuffle(items)
    likes = [f.text for f in state.likes]
    return Example(
        source=source, split=split, profile=profile,
        candidates=[candidate_text(i, likes) for i in items], label=items.index(positive),
        ids=[i.id for i in items], retrieval_rank=[ranks.get(i.id, -1) for i in items],
    )


def _by_relevance(pool) -> list[Item]:
    return [pool.hits[i].item for i in sorted(range(len(pool.hits)), key=lambda i: -pool.relevance[i])]


# -- ReDial ---------------------------------------------------------------------------------------


def redial_examples(ctx, redial_dir: Path, rng: random.Random, settings, limit: int | None = None
                    ) -> Iterator[Example]:
    """Examples from the ReDial train slice, on the candidates of the app's first stage: the full fused
    score (`bot.rank_all.score_items`: content, tags, CF, prior, neighbour dialogues and the learned
    dialogue query) over the catalog's movies, with both speakers' words as the dialogue, as the
    benchmark scores it. The CF and neighbour dialogues an example is scored with never hold its own
    dialogue: a "valid" example learns from the whole train part (the benchmark's valid split), a
    "train" example from the other half of the train part. (The learned query head was trained on the
    train part, so train examples are easier for the first stage than valid ones.) Negatives are the
    best-scored movies that the dialogue never mentions: a movie the recommender names later in the
    same dialogue is no negative."""
    from bot.manager import understand_turn
    from bot.rank_all import Candidates, score_items
    from bot.runtime import load_learned
    from finetune import redial
    from finetune.retriever import build_examples
    from retrieval.cooccur import CoOccurrence
    from retrieval.neighbours import Neighbours

    dialogues = redial.load_train_dialogues(redial_dir)
    movies = redial.load_movies(redial_dir / redial.MOVIES_FILE)
    catalog_items = list(ctx.catalog.items.values())
    id_map = redial.match_movies(movies, catalog_items)
    labels = redial.label_index(movies, id_map)
    load_learned(ctx, replace(settings, neighbours_file=None))  # the query head; neighbours per part below
    position = ctx.catalog.index.position
    cands = Candidates(ctx, [i.id for i in catalog_items if i.domain == "movie" and i.id in position])
    model_id = ctx.catalog.embedder.model_id

    def part_of(d: dict) -> str:
        part = redial.split_of(d.get("conversationId"))
        if part == "valid":
            return part
        return "train-" + str(hashlib.sha1(f"fold:{d.get('conversationId')}".encode()).digest()[0] % 2)

    parts: dict[str, list[dict]] = {}
    for d in dialogues:
        parts.setdefault(part_of(d), []).append(d)
    learn_from = {"valid": parts.get("train-0", []) + parts.get("train-1", []),
                  "train-0": parts.get("train-1", []), "train-1": parts.get("train-0", [])}
    scorers = {}
    for part, allowed in learn_from.items():
        scorer = copy.copy(ctx)
        scorer.cooc = CoOccurrence(redial.liked_baskets(allowed, id_map))
        ex = build_examples(allowed, movies, id_map, ctx.catalog.embedder, settings.cache_dir, progress=False)
        scorer.neighbours = Neighbours(ex.vectors, ex.targets, model_id)
        scorers[part] = scorer
    if limit:
        dialogues = dialogues[:limit]
    for dialogue in tqdm(dialogues, desc="redial dialogues", unit="dlg"):
        part = part_of(dialogue)
        scorer = scorers[part]
        turns = redial.recommender_turns(dialogue, movies, id_map)
        in_dialogue = {t for turn in turns for t in turn.targets} | {m.item_id for turn in turns
                                                                     for m in turn.mentioned}
        state, extra = DialogueState(), []
        state.constraints.domain = "movie"
        stepped = 0  # history turns already fed to the manager
        for turn in turns:
            for role, text in turn.history[stepped:]:
                if role == redial.SEEKER:
                    state, _, extra = understand_turn(state, text, scorer)
                else:
                    shown = [i for i in redial.find_labels(text, labels) if ctx.catalog.get(i)]
                    if shown:  # as the benchmark's replay: the recommender's picks are on screen
                        state = replace(state, last_shown=shown)
                    extra = []
            stepped = len(turn.history)
            last_said = next((t for r, t in reversed(turn.history) if r == redial.SEEKER), "")
            earlier = {m.item_id for m in turn.mentioned}
            new = [t for t in turn.targets if t not in earlier and ctx.catalog.get(t) is not None]
            if not new:
                continue
            probe = DialogueState.from_json(state.to_json())
            probe.seen = list(dict.fromkeys(probe.seen + sorted(earlier)))  # the app would not re-show them
            said = " ".join(t for _, t in turn.history)
            scores = score_items(probe, scorer, cands, extra, dialogue_text=said)
            best = [int(n) for n in np.argsort(-scores, kind="stable")[:400] if np.isfinite(scores[n])]
            order = [ctx.catalog.get(cands.ids[n]) for n in best]
            ranks = {item.id: n for n, item in enumerate(order)}
            negatives = [i for i in order if i.id not in in_dialogue][: N_CANDIDATES - 1]
            if len(negatives) < N_CANDIDATES - 1:
                continue
            loved = liked_titles(probe, ctx.catalog.get, with_year=True)
            profile = profile_text(probe.summary(), loved, last_said)
            positive = ctx.catalog.get(new[0])  # one example per turn keeps long lists from dominating
            yield _shuffled(rng, positive, negatives, ranks, probe, profile, "redial",
                            "valid" if part == "valid" else "train")


# -- synthetic personas -----------------------------------------------------------------------------

_TEMPLATES = [
    "I'd like a {like} {kind}",
    "something {like}, please",
    "any good {like} {kind}s?",
    "recommend me a {like} {kind}, nothing {dislike}",
    "I want a {like} {kind} but no {dislike}",
    "{like} {kind}s from the {decade}s",
    "a {like} {kind} from the {decade}s, not {dislike}",
    "I loved {title}. More like that?",
    "I loved {title}, something similar but not {dislike}",
    "looking for a {like} and {like2} {kind}",
    "in the mood for {like} stuff, anything except {dislike}",
    "I really enjoyed {title}; can you find another {like} {kind}?",
]


@dataclass
class Persona:
    like: str
    like2: str | None = None
    dislike: str | None = None
    decade: int | None = None  # only when the utterance says it
    title_id: str | None = None

    def fits(self, item: Item) -> bool:
        tags = {x.lower() for x in item.tags}
        if self.like not in tags or (self.like2 and self.like2 not in tags):
            return False
        if self.dislike and self.dislike in tags:
            return False
        if self.decade and not (item.year and self.decade <= item.year < self.decade + 10):
            return False
        return item.id != self.title_id


def synthetic_examples(ctx, n: int, rng: random.Random, valid_share: float = 0.1) -> Iterator[Example]:
    """Personas from the catalog's own tags, said through templates, run through the real manager."""
    from bot.manager import understand_turn
    from bot.ranking import score_pool

    by_domain: dict[str, list[Item]] = {}
    for item in ctx.catalog.items.values():
        by_domain.setdefault(item.domain, []).append(item)
    tag_items: dict[tuple[str, str], list[Item]] = {}
    for domain, items in by_domain.items():
        for item in items:
            for tag in item.tags:
                tag_items.setdefault((domain, tag.lower()), []).append(item)
    tags = {d: [t for (dd, t), its in tag_items.items() if dd == d and len(its) >= 25] for d in by_domain}
    domains = [d for d in ("movie", "book", "music") if tags.get(d)]
    made = 0
    bar = tqdm(total=n, desc="synthetic personas", unit="ex")
    tries = 0
    while made < n and tries < n * 20:
        tries += 1
        domain = rng.choice(domains)
        like = rng.choice(tags[domain])
        pool_items = tag_items[(domain, like)]
        co = [t.lower() for i in pool_items[:300] for t in i.tags if t.lower() not in (like,)]
        dislike = rng.choice(co) if co and rng.random() < 0.6 else None
        if dislike and len(tag_items.get((domain, dislike), [])) < 10:
            dislike = None
        like2 = rng.choice(co) if co and rng.random() < 0.3 else None
        if like2 == dislike:
            like2 = None
        years = [i.year for i in pool_items if i.year]
        use_decade = years and domain != "book" and rng.random() < 0.35
        decade = rng.choice(years) // 10 * 10 if use_decade else None
        title_item = rng.choice(pool_items) if rng.random() < 0.3 else None
        template = rng.choice([t for t in _TEMPLATES if _fits(t, dislike, decade, title_item, like2)])
        kind = rng.choice(KIND_WORDS[domain])
        said = template.format(like=like, like2=like2 or "", dislike=dislike or "", decade=decade or "",
                               title=title_item.title if title_item else "", kind=kind)
        state = DialogueState()
        state.constraints.domain = domain
        state, _, extra = understand_turn(state, said, ctx)
        pool = score_pool(state, ctx, extra, pool=80)
        if pool is None:
            continue
        order = _by_relevance(pool)
        ranks = {item.id: n for n, item in enumerate(order)}

        persona = Persona(like, like2 if "{like2}" in template else None,
                          dislike if "{dislike}" in template else None,
                          decade if "{decade}" in template else None,
                          title_item.id if title_item and "{title}" in template else None)
        good = [i for i in order[:30] if persona.fits(i)]
        if not good:
            continue
        positive = rng.choice(good[:8])
        breaking: list[Item] = []
        if persona.dislike:
            both = [i for i in pool_items if dislike in {x.lower() for x in i.tags} and i.id != positive.id]
            breaking += rng.sample(both, min(len(both), 5))
        if persona.decade:
            off = [i for i in pool_items if i.year and not decade - 5 <= i.year < decade + 15]
            breaking += rng.sample(off, min(len(off), 4))
        rest = [i for i in order if not persona.fits(i) and i.id != positive.id and i not in breaking]
        negatives = (breaking + rest)[: N_CANDIDATES - 1]
        if len(negatives) < N_CANDIDATES - 1:
            continue
        split = "valid" if rng.random() < valid_share else "train"
        profile = profile_text(state.summary(), liked_titles(state, ctx.catalog.get, with_year=True), said)
        yield _shuffled(rng, positive, negatives, ranks, state, profile, "synthetic", split)
        made += 1
        bar.update(1)
    bar.close()


def _fits(template: str, dislike, decade, title_item, like2) -> bool:
    return not (("{dislike}" in template and not dislike) or ("{decade}" in template and not decade)
                or ("{title}" in template and not title_item) or ("{like2}" in template and not like2))


# -- app feedback -----------------------------------------------------------------------------------


def feedback_examples(ctx, path: Path, rng: random.Random) -> Iterator[Example]:
    """Thumbs from the app's export: one JSON object per line with at least `item_id`, `liked` and
    the dialogue `state` (JSON) at the time of the thumb."""
    from bot.ranking import score_pool

    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for row in rows:
        item = ctx.catalog.get(str(row.get("item_id", "")))
        raw_state = row.get("state")
        if item is None or not row.get("liked") or not raw_state:
            continue
        state = DialogueState.from_json(raw_state if isinstance(raw_state, str) else json.dumps(raw_state))
        state.liked_items = [i for i in state.liked_items if i != item.id]
        state.recommended = [i for i in state.recommended if i != item.id]
        pool = score_pool(state, ctx, pool=60)
        if pool is None:
            continue
        order = _by_relevance(pool)
        ranks = {i.id: n for n, i in enumerate(order)}
        negatives = [i for i in order if i.id != item.id][: N_CANDIDATES - 1]
        if len(negatives) == N_CANDIDATES - 1:
            loved = liked_titles(state, ctx.catalog.get, with_year=True)
            profile = profile_text(state.summary(), loved, row.get("utterance", ""))
            yield _shuffled(rng, item, negatives, ranks, state, profile, "feedback", "train")


# -- command ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / ".cache" / "finetune" / "examples.jsonl")
    parser.add_argument("--redial-dir", type=Path, default=DEFAULT_REDIAL)
    parser.add_argument("--synthetic", type=int, default=4000, help="how many synthetic examples")
    parser.add_argument("--feedback", type=Path, help="thumbs exported by the app (JSONL)")
    parser.add_argument("--quick", action="store_true", help="a small set, for a smoke test")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from bot.config import Settings
    from bot.context import Context
    from bot.runtime import open_catalog

    rng = random.Random(args.seed)
    settings = Settings.from_env()
    ctx = Context.build(open_catalog(settings), None)
    examples: list[Example] = []
    if (args.redial_dir / "valid_data_kgsf_split.jsonl").is_file():
        examples += redial_examples(ctx, args.redial_dir, rng, settings, limit=40 if args.quick else None)
    else:
        print(f"no ReDial train slice in {args.redial_dir}: synthetic data only", file=sys.stderr)
    ctx.cooc = None  # synthetic personas like no items, so CF plays no part
    examples += synthetic_examples(ctx, 100 if args.quick else args.synthetic, rng)
    if args.feedback:
        examples += feedback_examples(ctx, args.feedback, rng)
    write_examples(examples, args.out)
    counts: dict[str, int] = {}
    for ex in examples:
        counts[f"{ex.source}/{ex.split}"] = counts.get(f"{ex.source}/{ex.split}", 0) + 1
    print(json.dumps({"out": str(args.out.name), "examples": len(examples), "by_source": counts}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
