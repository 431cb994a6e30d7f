"""Domain-scoped dialogue state on the real demo catalog, through `bot.manager.step`.

Wishes belong to the domain they were said about: book facets do not steer a music search, a switch
back brings the earlier domain's wishes back, and a liked item from another domain still steers a
cross-domain wish ("a book like the film Arrival").
"""

from __future__ import annotations

import json

import pytest

from bot.manager import StepResult, step
from bot.state import DialogueState
from bot.tags import understood_tags
from tests.conftest import chat

BOOK_TURN = "a classic adventure novel, he loved Treasure Island"
MUSIC_TURN = "chill electronic music for studying"


def picks(result: StepResult) -> list[str]:
    return [r.item.id for r in result.recommendations]


def closeness(ctx, result: StepResult, ref_ids: list[str]) -> float:
    """Mean cosine of the picks' vectors to the reference items' vectors."""
    ref = ctx.catalog.vectors_for(ref_ids)
    return float((ctx.catalog.vectors_for(picks(result)) @ ref.T).mean())


def test_book_wishes_do_not_leak_into_a_music_search(ctx):
    book, music = chat(ctx, BOOK_TURN, MUSIC_TURN)
    assert "adventure" in book.understood["likes"] and book.state.liked_items
    said = music.understood
    assert said["constraints"]["domain"] == "music"
    assert "electronic" in said["likes"]
    assert "adventure" not in said["likes"] and "children's books" not in said["likes"]
    assert said["liked_items"] == []
    assert "switching to music; your book wishes are kept for later" in music.note
    labels = {t.label for t in understood_tags(music.state, ctx)}
    assert not {"adventure", "more like Treasure Island"} & labels
    # nothing of the book turn steers: the answer is the one a fresh conversation gets
    (fresh,) = chat(ctx, MUSIC_TURN)
    assert picks(music) == picks(fresh) and {r.item.domain for r in music.recommendations} == {"music"}


def test_switching_back_restores_the_earlier_domains_wishes(ctx):
    book, music, back = chat(ctx, BOOK_TURN, MUSIC_TURN, "back to books: something for my dad")
    said = back.understood
    assert said["constraints"]["domain"] == "book"
    assert "adventure" in said["likes"] and said["liked_items"] == book.state.liked_items
    assert not {"electronic", "ambient", "downtempo"} & set(said["likes"])
    assert "back to books, with your earlier book wishes" in back.note
    assert "your music wishes are kept for later" in back.note
    assert {r.item.domain for r in back.recommendations} == {"book"}
    assert "electronic" in [f.text for f in back.state.shelves["music"].likes]  # waiting for a return
    again = step(back.state, "and some music again", ctx)
    assert "electronic" in again.understood["likes"]
    assert "adventure" not in again.understood["likes"]


def test_a_facet_said_before_any_domain_is_adopted_by_the_first_domain(ctx):
    first, movie = chat(ctx, "something mind-bending", "a movie please")
    assert first.understood["constraints"]["domain"] is None
    assert "mind-bending" in movie.understood["likes"]
    assert movie.understood["constraints"]["domain"] == "movie"
    assert "kept for later" not in movie.note


def test_a_domain_set_by_the_selector_also_puts_the_other_wishes_aside(ctx):
    (book,) = chat(ctx, BOOK_TURN)
    state = DialogueState.from_json(book.state.to_json())
    state.constraints.domain = "music"  # what the page's domain selector does
    result = step(state, "", ctx)
    assert result.understood["likes"] == [] and result.understood["liked_items"] == []
    assert "book wishes are kept for later" in result.note
    assert {r.item.domain for r in result.recommendations} == {"music"}


@pytest.mark.parametrize(("ask", "liked", "domain", "neutral", "margin", "genre"), [
    # the film's science fiction now leads the books (Frankenstein, The Time Machine): nearer the film by
    # genre than by the words of its record, so the margin over a plain ask is smaller (.04 in the run that
    # made this change; over .05 before), and the genre is checked instead
    ("a book like the film Arrival", "movie:wp:Arrival_(film)", "book", "a book", 0.02, "science"),
    ("music that feels like Blade Runner", "movie:wp:Blade_Runner", "music", "some music", 0.05, None),
], ids=["book-like-a-film", "music-like-a-film"])
def test_a_cross_domain_wish_steers_the_new_domain(ctx, ask, liked, domain, neutral, margin, genre):
    (wish,) = chat(ctx, ask)
    (plain,) = chat(ctx, neutral)
    assert wish.state.liked_items == [liked] and wish.understood["constraints"]["domain"] == domain
    assert {r.item.domain for r in wish.recommendations} == {domain}
    assert closeness(ctx, wish, [liked]) > closeness(ctx, plain, [liked]) + margin
    if genre:
        carrying = [r for r in wish.recommendations if any(genre in t.lower() for t in r.item.tags)]
        assert len(carrying) >= 4 and not [r for r in plain.recommendations
                                           if any(genre in t.lower() for t in r.item.tags)][3:]


def test_a_cross_domain_wish_after_a_switch(ctx):
    _, wish = chat(ctx, "a sci-fi movie", "a book like the film Arrival")
    assert wish.state.liked_items == ["movie:wp:Arrival_(film)"]
    assert wish.understood["likes"] == []  # the film facets stayed with the films
    assert {r.item.domain for r in wish.recommendations} == {"book"}


def test_the_domain_is_inferred_from_linked_titles(ctx):
    (r,) = chat(ctx, "I loved Inception and Interstellar … something mind-bending for tonight?")
    assert r.understood["constraints"]["domain"] == "movie"
    assert "from what you named" in r.note
    assert {x.item.domain for x in r.recommendations} == {"movie"}
    (ambiguous,) = chat(ctx, "I loved The Count of Monte Cristo")  # the novel and the film: no guess
    assert ambiguous.understood["constraints"]["domain"] is None
    (said,) = chat(ctx, "I loved Inception, recommend me a book")  # a domain said wins
    assert said.understood["constraints"]["domain"] == "book"


def test_the_domain_is_inferred_from_a_role_or_a_required_persons_work(ctx):
    (artist,) = chat(ctx, "an artist like Aphex Twin")
    assert artist.understood["constraints"]["domain"] == "music" and artist.recommendations
    (author,) = chat(ctx, "anything by Agatha Christie")
    assert author.understood["constraints"]["domain"] == "book"
    # a person named as a style or in passing is no domain: Christie's vein fits films too (Knives Out)
    for said in ("a mystery in the vein of Agatha Christie", "my wife adores Meryl Streep; something funny"):
        (turn,) = chat(ctx, said)
        assert turn.understood["constraints"]["domain"] is None, said


def test_scoped_state_round_trips_and_old_json_still_loads(ctx):
    *_, back = chat(ctx, BOOK_TURN, MUSIC_TURN, "back to books: nothing by Jules Verne")
    state = back.state
    assert state.shelves and state.constraints.excluded_creators == ["Jules Verne"]
    assert DialogueState.from_json(state.to_json()) == state
    old = json.loads(state.to_json())
    for key in ("scope", "shelves", "people"):
        old.pop(key)
    old["constraints"].pop("excluded_creators")
    restored = DialogueState.from_json(json.dumps(old))
    assert restored.scope is None and restored.shelves == {} and restored.constraints.excluded_creators == []
    nxt = step(restored, "more please", ctx)  # an old state is adopted by its domain, nothing is lost
    assert nxt.state.scope == "book" and "adventure" in nxt.understood["likes"]


def test_excluded_creators_and_people_are_removable_tags(ctx):
    (r,) = chat(ctx, "a thriller movie, no Tarantino please, I love Morgan Freeman")
    tags = {(t.kind, t.value) for t in understood_tags(r.state, ctx)}
    assert ("excluded_creators", "Quentin Tarantino") in tags and ("people", "Morgan Freeman") in tags
    state = r.state
    assert state.remove_tag("excluded_creators", "quentin tarantino")
    assert state.constraints.excluded_creators == []
    assert state.remove_tag("people", "Morgan Freeman") and state.people == []
    assert not state.remove_tag("people", "Morgan Freeman")
    assert step(state, "", ctx).recommendations


def test_wishes_answered_with_films_stay_with_films_when_books_are_asked_for(ctx):
    """No domain word in "a romantic comedy from the 90s", but it was answered with films: "now a cozy
    mystery novel" parks those wishes with the films instead of asking books for a 90s romantic comedy."""
    first, books, back = chat(ctx, "a romantic comedy from the 90s", "now a cozy mystery novel",
                              "back to movies")
    assert {r.item.domain for r in first.recommendations} == {"movie"}
    assert len(books.recommendations) == 5 and {r.item.domain for r in books.recommendations} == {"book"}
    assert "romance" not in books.understood["likes"] and books.understood["constraints"]["year_min"] is None
    assert "kept for later" in books.note
    assert "romance" in back.understood["likes"] and back.understood["constraints"]["year_max"] == 1999
