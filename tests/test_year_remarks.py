"""A year, decade or recency word is a hard year limit only when it is asked for ("something from the 90s",
"anything newer?"), not when it describes or asks about particular items ("that movie came out in 1979",
"was crash 2004?", "since it is the newest") or compares versions ("the newer ones are better than the
older ones"). The seeker messages below are from ReDial's train part; the reference year is the
harness's, 2018.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.state import DialogueState
from bot.understand import extract
from bot.understand.years import without_remarks
from bot.understand.zh_critique import critique_text

REF_YEAR = 2018


@pytest.fixture(scope="module")
def understand(lexicon, linker):
    return lambda text: extract(text, lexicon, linker, ref_year=REF_YEAR)


REMARKS = [
    "wow..that movie came out in 1979",  # a release told
    "was crash 2004? wow i thought that was older",  # a question about one film's date
    "Is that and old movie from 1916? Or did you mean The Wolf of Wall Street (2013)",
    "Came out in 2016 or 2017, Cool.",
    "Star Wars is one my favourite movie in last year yes i have seen that movie, it's a good movie i like "
    "that very much",  # the title is the subject
    "It sounds like a lot of good movies are coming out this year",  # an observation, not a wish
    "yeah but i watch a lot of movies this is just a recent one. Oh you should watch Lone Survivor (2013)",
    "The latest Insidious by Blum House Productions. Was a real disappointment. Not scary at all",
    "I may have to get Mad Max: Fury Road (2015) since it is the newest.",
    "Great movie The newer Stars Wars movies are better than the older ones",  # an opinion on versions
    "Thanks for the suggestions I have 2 new movies to watch",  # new to them
    "I have seen it but I like the older It (1990) though",  # which version, not which years
    # the same rule, other words
    "it was released in 1994 I think",
    "did that one come out in the 80s?",
    "I have a few new albums to listen to already",
    "the newest ones are too violent for me",
    "I liked it better than the newer ones",
    "ok is that a newer movie?",
    "Not really. I watched Winchester (2018) and loved that recent movie.",
    "I'm always afraid that the newer versions won't compare to the originals.",
    "I like the older scary movies, not so much the newer ones like The Cabin in the Woods.",
    "Thank you for the suggestion now ill have some new movies to try",
    "I pretty much have seen the really big ones from last year.",
    # a release looked forward to, one thing singled out, items said to exist, a title compared with
    "I have not heard of that one. I'm excited for Deadpool 2 (2018) to come out this year",
    "Michael Fassbender was the newest Magneto",
    "ah there are newer die hards that were tolerable",
    "I'll check them out again. Although, not as thought provoking as 2001.",
]


# "new" before what is to be read or watched means new to the reader (a library of old books had answered
# "I need some new books to read" with "nothing in the catalog is that recent")
NEW_TO_THE_READER = [
    "I need some new books to read, I like adventure stories",
    "I'm looking for some new scary movies to check out",
    "I'm looking for some new movies to watch",
    "Hi, can you recommend any good new movies for the kids and I?",
    "any new albums to listen to while I work?",
    "Looking for a few new novels to get into this winter",
    "some new movies we could watch tonight",
]


@pytest.mark.parametrize("text", REMARKS + NEW_TO_THE_READER)
def test_a_year_said_of_items_or_new_to_the_reader_is_no_limit(understand, text):
    ex = understand(text)
    assert (ex.year_min, ex.year_max) == (None, None), ex


WISHES = [
    ("Maybe a movie that is a bit more recent, from the 90s up till now", 1990, None),  # an open range
    ("something from the 90s up to today", 1990, None),
    ("something from the 90s", 1990, 1999),
    ("movies before 1970", None, 1969),
    ("anything newer?", REF_YEAR - 5, None),
    ("any new movies out worth watching?", REF_YEAR - 5, None),
    ("something recent", REF_YEAR - 5, None),
    ("a good 2017 movie", 2017, 2017),
    ("nothing older than 2000", 2000, None),
    ("from the 70's", 1970, 1979),
    ("can you mention some 2016 movies that you like?", 2016, 2016),
    ("I was hoping for something from the 1970s or 1980s", 1970, 1989),
    # a wish in its own clause beside a remark, or a release in a relative clause, still asks
    ("it came out in 2004, any others from the 90s?", 1990, 1999),
    ("I love movies that came out in the 80s", 1980, 1989),
    ("are there any good movies coming out this year?", REF_YEAR, REF_YEAR),
    ("I want the newest movies", REF_YEAR - 5, None),
    ("can we have some new movies?", REF_YEAR - 5, None),
    ("some new releases to watch", REF_YEAR - 5, None),  # releases are new to everyone
    ("any new horror movies out to watch?", REF_YEAR - 5, None),
    ("the 80s are my favourite decade for movies", 1980, 1989),  # a taste for a decade
    ("my dad is a big fan of 80s movies", 1980, 1989),
    ("it's for my son who loves 80s movies", 1980, 1989),
    ("are there any newer die hard movies?", REF_YEAR - 5, None),
    ("what is the newest superhero movie you know?", REF_YEAR - 5, None),
    ("nothing older than 2001", 2001, None),
]



@pytest.mark.parametrize("text, lo, hi", WISHES)
def test_a_year_asked_for_is_a_limit(understand, text, lo, hi):
    ex = understand(text)
    assert (ex.year_min, ex.year_max) == (lo, hi), ex


@pytest.mark.parametrize("text, kept", [
    ("yeah but i watch a lot of movies this is just a recent one", False),
    ("I have seen it but I like the older It (1990) though", False),
    ("Great movie The newer Stars Wars movies are better than the older ones", False),
    ("anything more recent?", True),
    ("something a bit older", True),
    ("I prefer older ones", True),
])
def test_the_critique_reads_only_age_words_asked_for(text, kept):
    assert without_remarks(text) != text or kept
    assert (without_remarks(text) == text) == kept
    assert critique_text(text) == without_remarks(text)


@pytest.mark.parametrize("text, bound", [
    ("yeah but i watch a lot of movies this is just a recent one. Oh you should watch Lone Survivor (2013)",
     None),
    ("I have seen it but I like the older It (1990) though", None),
    ("Great movie The newer Stars Wars movies are better than the older ones", None),
    ("anything newer?", "year_min"),
    ("something a bit older", "year_max"),
    # a taste, not a critique of the picks: "older than those" would rule out what they welcome
    ("I love older movies so thats perfect", None),
    ("I loved older romance movies. I haven't seen that one but would like to.", None),
    ("I prefer older ones", "year_max"),
])
def test_a_remark_is_no_critique_of_the_picks_on_screen(ctx, text, bound):
    """In the ReDial replay the films the recommender named are on screen, and "newer" or "older" there
    is read against their years (bot/manager.py apply_critique)."""
    from bot.manager import understand_turn

    shown = [i.id for i in ctx.catalog.items.values() if i.domain == "movie" and i.year][:8]
    state, _, _ = understand_turn(replace(DialogueState(), last_shown=shown), text, ctx)
    c = state.constraints
    if bound is None:
        assert (c.year_min, c.year_max) == (None, None), text
    else:
        assert getattr(c, bound) is not None and (c.year_min is None or c.year_max is None), (text, c)


def test_years_said_outright_beat_newer_than_the_picks(ctx):
    """"anything newer? last five years or so" names the years; "anything newer?" alone is relative."""
    from bot.manager import understand_turn

    shown = [i.id for i in ctx.catalog.items.values()
             if i.domain == "movie" and i.year and 1995 <= i.year <= 2005]
    start = replace(DialogueState(), last_shown=shown[:5])
    said, _, _ = understand_turn(start, "anything newer? last five years or so", ctx)
    relative, _, _ = understand_turn(start, "anything newer?", ctx)
    assert said.constraints.year_min >= (ctx.ref_year or date.today().year) - 5
    assert relative.constraints.year_min <= 2006


def test_a_vague_english_newer_yields_to_a_chinese_year(understand):
    assert understand("有没有 newer 一点的？2010 年以后的").year_min == 2011  # not 2018 - 5 = 2013
