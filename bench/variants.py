"""The ReDial ranking variants and their registry.

A variant ranks the whole candidate set for one recommender turn:

    variant(history, bench, candidate_ids, excluded) -> np.ndarray of scores, one per candidate id

`history` is the dialogue before the turn as (role, text) pairs, both speakers, mentions written
"Title (Year)"; `bench` is a `BenchContext` (catalog, candidates, CF, popularity; below);
`excluded` are ids the protocol will drop (the harness sets them to -inf anyway; a reranker uses
it to pick its top N among what is left). Higher is better; -inf means "never".

Adding a variant, for example another reranker:

    from bench.variants import register_variant, rerank_variant

    def my_rerank(history, items):          # items: the top-N retrieval.Item, best first
        return [my_score(history, item) for item in items]   # any scale, higher is better

    register_variant("ours+learned+mine", rerank_variant("ours+learned", my_rerank, top_n=30),
                     "the fused ranking, top 30 reranked by mine")

Registered before `bench.redial.evaluate` runs (e.g. in bench/run.py), it is evaluated on both
protocols and splits. The shipped LLM reranker has its own run (bench/redial_rerank.py), as it costs
~0.3 s a turn.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from bot.compose import Interest
from bot.config import ScoringConfig
from bot.context import Context
from bot.manager import understand_turn
from bot.rank_all import Candidates, ScoreParts, features_of, pool_limited, score_parts
from bot.ranking import Features, anchored, hybrid_score, said_facets, wanted_facets
from bot.state import DialogueState
from finetune.redial import SEEKER, find_labels
from retrieval import Item
from retrieval.cooccur import CoOccurrence

History = list[tuple[str, str]]
Variant = Callable[[History, "BenchContext", Sequence[str], set[str]], np.ndarray]
Rerank = Callable[[History, list[Item]], Sequence[float]]

CONTENT_CHARS = 600  # about the embedder's 128-token window; the end of the dialogue matters most
GENERIC_QUERY = "a much-loved, highly acclaimed movie"


@dataclass
class VariantSpec:
    name: str
    fn: Variant
    description: str
    uses_excluded: bool = False  # its scores depend on the protocol's exclusions (a top-N reranker)


VARIANTS: dict[str, VariantSpec] = {}
# retrieval -> +collaborative -> +prior -> +neighbours -> +learned query; + LLM: bench/redial_rerank.py
ABLATION = ("ours-retrieval", "ours+cf", "ours+cf+prior", "ours+cf+prior+neighbours", "ours+learned")


def register_variant(name: str, fn: Variant, description: str = "", uses_excluded: bool = False) -> None:
    """Add (or replace) a variant; it is evaluated in registration order. A variant that does not
    read `excluded` is scored once per turn for both protocols."""
    VARIANTS[name] = VariantSpec(name, fn, description, uses_excluded)


class Replay:
    """The dialogue state after each turn, from the state half of `bot.manager.step`.

    Seeker turns are fed one by one, as a chat user would type them, through
    `bot.manager.understand_turn` (understanding, state update, critiques, this turn's interest).
    The movies a recommender turn names play the part of the bot's last answer (`last_shown`), so
    "I loved that one" or "seen it" after a suggestion resolves as it would in the chat; the bot's
    own picks are never made. States are cached by history: a dialogue's target turns come in
    order, and each pays only for its new turns.
    """

    def __init__(self, ctx: Context, labels: dict[int, list[tuple[str, str]]] | None = None):
        self.ctx = ctx
        self.labels = labels or {}
        self._seen: tuple[tuple[str, str], ...] = ()
        self._state = DialogueState()
        self._extra: list[Interest] = []

    def __call__(self, history: History) -> tuple[DialogueState, list[Interest]]:
        history = tuple(history)
        if history[: len(self._seen)] != self._seen:
            self._seen, self._state, self._extra = (), DialogueState(), []
        for role, text in history[len(self._seen):]:
            if role == SEEKER:
                self._state, _, self._extra = understand_turn(self._state, text, self.ctx)
            else:
                shown = [i for i in find_labels(text, self.labels) if self.ctx.catalog.get(i)]
                if shown:  # a turn of chat that names no movie leaves the last suggestions on screen
                    self._state = replace(self._state, last_shown=shown)
                self._extra = []
        self._seen = history
        return self._state, self._extra


@dataclass
class BenchContext:
    """What variants share for one split: the candidate catalog, CF and popularity from allowed data."""

    manager: Context  # bot.manager.Context over the candidate catalog, without CF
    cands: Candidates
    cooc: CoOccurrence | None  # from training dialogues only
    popularity: dict[str, int]  # dialogues mentioning each candidate, training dialogues only
    n_users: int  # training dialogues behind `popularity`
    labels: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # finetune.redial.label_index
    configs: dict[str, ScoringConfig] = field(default_factory=dict)  # fitted weights per variant
    manager_cf: Context = field(init=False)
    replay: Replay = field(init=False)
    _pop: np.ndarray = field(init=False)
    _content: dict[str, np.ndarray] = field(init=False, default_factory=dict)
    _features: tuple = field(init=False, default=(None, None))

    def __post_init__(self) -> None:
        self.manager_cf = copy.copy(self.manager)  # shares the caches; only the CF differs
        self.manager_cf.cooc = self.cooc
        self.manager.cooc = None
        self.replay = Replay(self.manager, self.labels)
        self._pop = np.array([self.popularity.get(i, 0) for i in self.cands.ids], dtype=np.float64)

    def turn_features(self, history: History) -> tuple[DialogueState, Features, ScoreParts]:
        """(state, every feature of every candidate, the weight-free parts: hard filters, pool) so far;
        the last turn's are kept, since every scored variant asks for them."""
        key = tuple(history)
        if self._features[0] != key:
            state, extra = self.replay(history)
            text = " ".join(t for _, t in history)
            parts = score_parts(state, self.manager_cf, self.cands, use_cf=True, keep_known=True,
                                dialogue_text=text)
            self._features = (key, (state, features_of(parts, state, self.manager_cf, self.cands, extra),
                                    parts))
        return self._features[1]

    def item(self, item_id: str) -> Item:
        return self.manager.catalog.get(item_id)

    def aligned(self, scores: np.ndarray, ids: Sequence[str]) -> np.ndarray:
        """Scores over `self.cands` reordered to the ids asked for."""
        if ids is self.cands.ids or list(ids) == self.cands.ids:
            return scores
        return scores[[self.cands.index_of[i] for i in ids]]


# -- the variants ---------------------------------------------------------------------------------


def popularity(history: History, bench: BenchContext, ids: Sequence[str], excluded: set[str]) -> np.ndarray:
    """How many training dialogues mention the movie; the same list for everyone."""
    return bench.aligned(bench._pop.copy(), ids)


def content(history: History, bench: BenchContext, ids: Sequence[str], excluded: set[str]) -> np.ndarray:
    """The end of the dialogue (both speakers) embedded, dot item vectors. No understanding, no CF."""
    text = " ".join(t for _, t in history)[-CONTENT_CHARS:] or GENERIC_QUERY
    if text not in bench._content:
        bench._content.clear()  # one dialogue at a time is all that repeats
        bench._content[text] = bench.manager.catalog.embed_query(text)
    return bench.aligned(bench.cands.vectors @ bench._content[text], ids)


def _scored(name: str, features: tuple[str, ...]) -> Variant:
    """A variant scoring with the dialogue manager's state and the given `hybrid_score` features, under
    the weights fitted for exactly those features (bench/fusion.py), or the defaults before a fit. The
    features of a turn are computed once (`BenchContext.turn_features`) and shared by the variants."""

    def variant(history: History, bench: BenchContext, ids: Sequence[str], excluded: set[str]) -> np.ndarray:
        state, f, parts = bench.turn_features(history)
        config = bench.configs.get(name) or bench.manager.config
        f = replace(f, **{feat: None for feat in ZEROED if feat not in features})
        scores = hybrid_score(f, config, state.novelty, anchored(state), wanted_facets(state),
                              said_facets(state))
        scores = pool_limited(scores, f, parts, config.pool)
        return bench.aligned(scores, ids)

    return variant


# the features each ablation step scores with, cumulative: the last is the full fused score
ABLATION_FEATURES = {
    "ours-retrieval": ("content", "tags", "dislike"),
    "ours+cf": ("content", "tags", "dislike", "cf"),
    "ours+cf+prior": ("content", "tags", "dislike", "cf", "prior"),
    "ours+cf+prior+neighbours": ("content", "tags", "dislike", "cf", "prior", "neighbours"),
    "ours+learned": ("content", "tags", "dislike", "cf", "prior", "neighbours", "dialogue"),
}
# the weight that switches each optional feature off
ZEROED = {"cf": "cf_weight", "prior": "prior_weight", "neighbours": "neighbour_weight",
          "dialogue": "dialogue_weight"}


def top_after_exclusions(scores: np.ndarray, ids: Sequence[str], excluded: set[str], top_n: int
                         ) -> tuple[np.ndarray, np.ndarray]:
    """(indices the protocol leaves in, the best `top_n` of them), best first, ties in id order."""
    masked = scores.copy()
    masked[[n for n, i in enumerate(ids) if i in excluded]] = -np.inf
    finite = np.flatnonzero(np.isfinite(masked))
    return finite, finite[np.argsort(-masked[finite], kind="stable")[:top_n]]


def rerank_variant(base: str, rerank: Rerank, top_n: int = 30) -> Variant:
    """A variant that reorders the top `top_n` of `base` (after the protocol's exclusions) with
    `rerank(history, items)`; those items stay above all others, the rest keep the base order."""

    def variant(history: History, bench: BenchContext, ids: Sequence[str], excluded: set[str]) -> np.ndarray:
        scores = np.array(VARIANTS[base].fn(history, bench, ids, excluded), dtype=np.float64)
        _, top = top_after_exclusions(scores, ids, excluded, top_n)
        if not len(top):
            return scores
        new = np.asarray(rerank(history, [bench.item(ids[n]) for n in top]), dtype=np.float64)
        if new.shape != (len(top),) or not np.isfinite(new).all():
            raise ValueError(f"rerank must return {len(top)} finite scores, got shape {new.shape}")
        scores[top] = scores[top].max() + 1.0 + (new - new.min())
        return scores

    return variant


register_variant("popularity", popularity, "mentions in training dialogues (no personalisation)")
register_variant("content", content, "last 600 characters of the dialogue embedded, nearest movies")
register_variant("ours-retrieval", _scored("ours-retrieval", ABLATION_FEATURES["ours-retrieval"]),
                 "dialogue manager: understanding, state, query, filters, tags")
register_variant("ours+cf", _scored("ours+cf", ABLATION_FEATURES["ours+cf"]),
                 "ours-retrieval + co-occurrence with the movies talked about (liked, seen, picks on screen)")
register_variant("ours+cf+prior", _scored("ours+cf+prior", ABLATION_FEATURES["ours+cf+prior"]),
                 "ours+cf + the item prior (training mentions)")
register_variant("ours+cf+prior+neighbours",
                 _scored("ours+cf+prior+neighbours", ABLATION_FEATURES["ours+cf+prior+neighbours"]),
                 "ours+cf+prior + votes of the most similar training dialogues")
register_variant("ours+learned", _scored("ours+learned", ABLATION_FEATURES["ours+learned"]),
                 "every signal: + the learned dialogue query (finetune/retriever.py), fitted weights")
