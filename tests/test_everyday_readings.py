"""Everyday wordings found by chatting as a new user: a word that is a noun in one phrase and a verb in
another, and a place that shares its name with a film."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, likes", [
    ("some love poems", {"love", "poetry"}),
    ("love poetry for my wife", {"love", "poetry"}),
    ("I love love stories", {"romance"}),
])
def test_love_before_a_kind_is_the_topic(understand, text, likes):
    assert likes <= set(understand(text).likes)


def test_no_love_poems_bans_the_topic(understand):
    ex = understand("poetry for me please but no love poems")
    assert "love" in ex.dislikes and "poetry" in ex.likes


@pytest.mark.parametrize("text", ["I love poems about the sea", "we love poems", "I really love poetry"])
def test_love_said_by_someone_is_the_verb(understand, text):
    ex = understand(text)
    assert "poetry" in ex.likes and "love" not in ex.likes


@pytest.mark.parametrize("text", ["a love story set in Paris", "a thriller that takes place in Tokyo"])
def test_where_a_story_is_set_is_no_title(understand, text):
    ex = understand(text)
    assert ex.liked_titles == [] and ex.mentioned_titles == [] and not ex.title_ids


def test_a_film_named_as_a_film_is_still_a_title(understand):
    assert understand("I loved Paris, the 2008 film").liked_titles == ["Paris"]


@pytest.mark.parametrize("text", ["historical fiction set in ancient Rome", "some crime fiction",
                                  "any good literary fiction?"])
def test_a_kind_of_fiction_is_read(ctx, text):
    from tests.conftest import chat

    (result,) = chat(ctx, text)
    assert result.state.constraints.domain == "book"


def test_a_kind_of_fiction_beside_films_named_is_films(ctx):
    """ReDial's "Do you know any historical fiction? I've seen Titanic and Saving Private Ryan": films."""
    from tests.conftest import chat

    (result,) = chat(ctx, "Do you know any historical fiction? I've seen Titanic and Saving Private Ryan")
    assert result.state.constraints.domain == "movie"


def test_science_fiction_names_no_domain(understand):
    assert understand("something science fiction").domain is None


@pytest.mark.parametrize("text, kid", [("a fantasy book for grown-ups", "children's books"),
                                       ("an animated film for adults", "family")])
def test_for_adults_is_less_of_what_is_for_children(understand, text, kid):
    ex = understand(text)
    assert kid in ex.dislikes and kid in ex.soft_dislikes


def test_a_series_named_as_a_whole_is_its_first_title(ctx):
    """"something like Harry Potter" had linked nothing (no title is just "Harry Potter")."""
    from tests.conftest import chat

    (result,) = chat(ctx, "something like Harry Potter")
    liked = [ctx.catalog.get(i).title for i in result.state.liked_items]
    assert liked and liked[0].startswith("Harry Potter and the")


def test_a_film_for_a_night_in_with_a_partner_guesses_romance(understand):
    ex = understand("a film for a night in with my girlfriend")
    assert "romance" in ex.implied_likes or "romance" in ex.likes
    assert not understand("a movie with my wife's favourite actor").implied_likes
