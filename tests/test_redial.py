"""The ReDial data module, the benchmark's variants and protocols, and full-catalog scoring."""

from __future__ import annotations

import numpy as np
import pytest

from bench.redial import bootstrap_ci, paired_bootstrap, protocol_view
from bench.variants import VARIANTS, register_variant, rerank_variant
from finetune.redial import (
    RedialMovie,
    candidate_items,
    find_labels,
    label_index,
    liked_baskets,
    load_movies,
    match_movies,
    mention_counts,
    recommender_turns,
    require_files,
    seeker_liked,
    split_of,
    turns_of,
)
from retrieval import Item
from tests.conftest import REPO

REDIAL_DIR = REPO.parent / "shared" / "data" / "eval" / "redial"

MOVIES = {
    "1": RedialMovie("1", "The Matrix", 1999, 10),
    "2": RedialMovie("2", "Heat", 1995, 5),
    "3": RedialMovie("3", "Obscure Film", 2001, 1),
    "4": RedialMovie("4", "Matrix, The", 1999, 2),  # ReDial has duplicates
}
CATALOG = [
    Item("movie:matrix", "movie", "The Matrix", 1999, tags=("Science Fiction",)),
    Item("movie:heat72", "movie", "Heat", 1972),
    Item("movie:heat95", "movie", "Heat", 1996),  # a year off by one still matches
    Item("book:matrix", "book", "The Matrix", 1999),  # only movies are candidates
]
ID_MAP = {"1": "movie:matrix", "2": "movie:heat95", "3": "redial:3", "4": "movie:matrix"}


def dialogue() -> dict:
    seeker, rec = 10, 20
    msgs = [
        (seeker, "Hi! I loved @1"),
        (seeker, "and @2 too"),  # same sender: one turn
        (rec, "Have you seen @3 ?"),
        (seeker, "No. Anything else?"),
        (rec, "@1 again, or @2 and @999"),  # repeats, plus an id missing from the movie list
        (seeker, "thanks"),
        (rec, "bye"),  # no mention: not a target turn
    ]
    return {
        "conversationId": "77",
        "initiatorWorkerId": seeker,
        "respondentWorkerId": rec,
        "messages": [{"messageId": n, "text": t, "senderWorkerId": s} for n, (s, t) in enumerate(msgs)],
        "movieMentions": {"1": "The Matrix (1999)", "2": "Heat (1995)", "3": "Obscure Film (2001)"},
        "initiatorQuestions": {"1": {"liked": 1}, "2": {"liked": 2}, "3": {"liked": 0}},
        "respondentQuestions": {"1": {"liked": 0}, "2": {"liked": 1}, "3": {"liked": 2}},
    }


def test_turns_merge_consecutive_messages_of_one_speaker():
    turns = turns_of(dialogue())
    assert [r for r, _ in turns] == ["seeker", "recommender"] * 3
    assert turns[0][1] == "Hi! I loved @1 and @2 too"


def test_recommender_turns_history_targets_and_mentions():
    first, second = recommender_turns(dialogue(), MOVIES, ID_MAP)
    assert (first.conversation_id, first.turn_index) == ("77", 1)
    assert first.history == [("seeker", "Hi! I loved The Matrix (1999) and Heat (1995) too")]
    assert first.targets == ["redial:3"]
    assert [(m.item_id, m.role, m.liked) for m in first.mentioned] == [
        ("movie:matrix", "seeker", 1), ("movie:heat95", "seeker", 1)]
    assert second.turn_index == 3
    assert second.targets == ["movie:matrix", "movie:heat95"]  # @999 is unknown and dropped
    assert second.new_targets == []  # both were mentioned before: the strict protocol drops them
    assert second.mentioned_ids == {"movie:matrix", "movie:heat95", "redial:3"}
    assert second.history[-1] == ("seeker", "No. Anything else?")
    assert second.history[1] == ("recommender", "Have you seen Obscure Film (2001) ?")


def test_protocol_views():
    _, second = recommender_turns(dialogue(), MOVIES, ID_MAP)
    assert protocol_view(second, "standard") == (second.targets, set())
    assert protocol_view(second, "strict") == ([], second.mentioned_ids)


def test_seeker_liked_takes_a_one_from_either_form():
    assert seeker_liked(dialogue()) == {"1": 1, "2": 1, "3": 0}


def test_baskets_and_mention_counts():
    d = dialogue()
    assert liked_baskets([d], ID_MAP) == [["movie:matrix", "movie:heat95"]]
    counts = mention_counts([d, d], ID_MAP)
    assert counts == {"movie:matrix": 2, "movie:heat95": 2, "redial:3": 2}


def test_split_is_deterministic_and_about_a_fifth():
    splits = [split_of(i) for i in range(2000)]
    assert set(splits) == {"train", "valid"}
    assert 0.16 < splits.count("valid") / len(splits) < 0.24
    assert [split_of(i) for i in range(50)] == [split_of(str(i)) for i in range(50)]


def test_matching_and_candidates():
    assert match_movies(MOVIES, CATALOG) == ID_MAP
    cands = candidate_items(MOVIES, CATALOG)
    assert [c.id for c in cands] == ["movie:matrix", "movie:heat95", "redial:3"]
    assert cands[0] is CATALOG[0]  # a matched movie keeps its catalog record
    stub = cands[2]
    assert (stub.domain, stub.title, stub.year, stub.tags) == ("movie", "Obscure Film", 2001, ())


def test_load_movies_and_nameless_entries(tmp_path):
    path = tmp_path / "movies.csv"
    path.write_text("movieId,movieName,nbMentions\n"
                    "5,Police Academy  (1984),3\n6,American Pie ,2\n7, (2015),1\n")
    movies = load_movies(path)
    assert movies["5"] == RedialMovie("5", "Police Academy", 1984, 3)
    assert (movies["6"].title, movies["6"].year, movies["6"].label) == ("American Pie", None, "American Pie")
    assert movies["7"].title == ""
    assert candidate_items(movies, [])[2].title == "ReDial movie 7"


def test_find_labels():
    index = label_index(MOVIES, ID_MAP)
    text = "Try The Matrix (1999) or Heat (1995), not Heat (1972) or Obscure Film (2001)."
    assert find_labels(text, index) == ["movie:matrix", "movie:heat95", "redial:3"]
    assert find_labels("no movies here (2020)", index) == []


def test_missing_data_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="--redial-dir"):
        require_files(tmp_path)


def test_bootstrap_helpers():
    hits = np.array([1, 1, 0, 0])
    lo, hi = bootstrap_ci(hits, ["a", "a", "b", "b"])
    assert 0.0 <= lo <= 0.5 <= hi <= 1.0
    assert bootstrap_ci(np.ones(4), ["a", "b", "c", "d"]) == (1.0, 1.0)
    groups = ["a", "b", "c", "d"]
    assert paired_bootstrap((np.ones(4), groups), (np.zeros(4), groups)) == 1.0
    assert paired_bootstrap((np.zeros(4), groups), (np.ones(4), groups)) == 0.0


class _Bench:
    def item(self, item_id):
        return Item(item_id, "movie", item_id)


def test_rerank_variant_reorders_only_the_top_n():
    ids = ["a", "b", "c", "d", "e"]
    register_variant("_base", lambda h, b, i, x: np.array([5.0, 4.0, 3.0, 2.0, 1.0]), "test")
    try:
        seen = []

        def reverse(history, items):
            seen.append([i.id for i in items])
            return list(range(len(items)))  # the last of the top N becomes the best

        fn = rerank_variant("_base", reverse, top_n=3)
        scores = fn([], _Bench(), ids, {"a"})  # "a" is excluded: the top 3 are b, c, d
        assert seen == [["b", "c", "d"]]
        order = [ids[n] for n in np.argsort(-scores, kind="stable") if ids[n] != "a"]
        assert order == ["d", "c", "b", "e"]
        with pytest.raises(ValueError):
            rerank_variant("_base", lambda h, items: [0.0], top_n=3)([], _Bench(), ids, set())
    finally:
        VARIANTS.pop("_base")


@pytest.mark.skipif(not (REDIAL_DIR / "movies_with_mentions.csv").exists(),
                    reason="ReDial data not present in ../shared/data/eval/redial")
def test_real_movie_list_and_train_slice_split():
    from finetune.redial import load_dialogues

    movies = load_movies(REDIAL_DIR / "movies_with_mentions.csv")
    assert len(movies) == 6924
    slice_ = load_dialogues(REDIAL_DIR / "valid_data_kgsf_split.jsonl")
    valid = [d for d in slice_ if split_of(d["conversationId"]) == "valid"]
    assert len(slice_) == 901 and 0.15 < len(valid) / len(slice_) < 0.25


@pytest.mark.skipif(not (REDIAL_DIR / "train_extra.jsonl").exists(),
                    reason="ReDial data not present in ../shared/data/eval/redial")
def test_all_train_split_dialogues_load_once_and_never_the_test_split():
    from finetune.redial import load_dialogues, load_train_dialogues

    train = load_train_dialogues(REDIAL_DIR)
    ids = [d["conversationId"] for d in train]
    assert len(ids) == len(set(ids)) == 3458
    test_ids = {d["conversationId"] for d in load_dialogues(REDIAL_DIR / "test_data.jsonl")}
    assert not test_ids & set(ids)
    valid = sum(split_of(i) == "valid" for i in ids)
    assert 0.15 < valid / len(ids) < 0.25


def test_full_ranking_agrees_with_the_managers_pool(tmp_path, demo_items, real_embedder):
    """Scores of pooled items equal score_pool's relevance; the rest rank below; filters give -inf."""
    from bot.config import ScoringConfig
    from bot.context import Context
    from bot.rank_all import Candidates, score_items
    from bot.ranking import score_pool
    from bot.state import DialogueState
    from retrieval import Catalog
    from retrieval.items import write_jsonl_gz

    items = [i for i in demo_items if i.domain == "movie"][:80]
    write_jsonl_gz(items, tmp_path / "c.jsonl.gz")
    catalog = Catalog.open(tmp_path / "db", tmp_path / "index", real_embedder,
                           catalog_file=tmp_path / "c.jsonl.gz", progress=False)
    ctx = Context(catalog, None, ScoringConfig(pool=15))
    state = DialogueState(turn=1)
    state.add_like("comedy")
    state.add_dislike("horror")
    state.constraints.domain = "movie"
    cands = Candidates(ctx)
    scores = score_items(state, ctx, cands)
    pool = score_pool(state, ctx)
    pooled = [cands.index_of[i] for i in pool.ids]
    assert np.allclose(scores[pooled], pool.relevance, atol=1e-4)
    rest = np.setdiff1d(np.arange(len(cands)), pooled)
    finite_rest = rest[np.isfinite(scores[rest])]
    assert len(finite_rest) and scores[finite_rest].max() < scores[pooled].min()
    horror = [n for n, i in enumerate(cands.ids) if "horror" in {t.lower() for t in catalog.get(i).tags}]
    assert horror and np.isneginf(scores[horror]).all()
