"""People asked for by name: their own work leads, and when the catalog holds only a few of their works
no limit is set (the rest are like them, not whatever records name nobody), and the reply says so."""

from __future__ import annotations

import pytest

from bot.i18n import note_text
from bot.people import FEW_BY_CREATOR
from bot.ranking import anchored, filters_for
from tests.conftest import chat


@pytest.mark.parametrize("ask, name", [("想看一部宫崎骏的动画", "Hayao Miyazaki"),
                                       ("周星驰的喜剧", "Stephen Chow"), ("王家卫的电影", "Wong Kar-wai")])
def test_a_person_with_few_works_here_leads_and_the_rest_are_well_known(ctx, ask, name):
    """宫崎骏 had got Ponyo, then Beauty and the Beast (1992, Golden Films) and Gumby: The Movie (prior
    0.01): films whose records name nobody were let through as possibly his; 周星驰的喜剧 had got none
    of his."""
    (result,) = chat(ctx, ask)
    state = result.state
    assert state.constraints.creators == [name] and filters_for(state, ctx).include_ids is None
    own = ctx.ids_by_creators([name]) | ctx.ids_naming([name])
    assert 0 < len(own) < FEW_BY_CREATOR
    ids = [r.item.id for r in result.recommendations]
    shown_own = [i for i in ids if i in own]
    assert shown_own and ids[:len(shown_own)] == shown_own, [r.item.title for r in result.recommendations]
    others = [r.item for r in result.recommendations if r.item.id not in own]
    assert others and min(ctx.priors.get(i.id, 0.0) for i in others) > 0.5, [i.title for i in others]
    assert "the catalog has only" in result.note and name in result.note
    assert "目录里" in note_text(result.note, "zh")


def test_a_person_with_many_works_is_still_a_limit(ctx):
    (result,) = chat(ctx, "a Tom Hanks movie from the 80s")
    assert filters_for(result.state, ctx).include_ids is not None and "catalog has" not in result.note
    assert all("Tom Hanks" in r.item.creators for r in result.recommendations)


def test_a_person_asked_for_anchors_the_ranking(ctx):
    (result,) = chat(ctx, "a Tom Hanks comedy")
    assert anchored(result.state, ctx.catalog.items)


def test_a_full_name_is_not_part_of_a_longer_one(ctx):
    """"Stephen King" had matched the description of Sir Stephen King-Hall's U-boat diary, so "a Stephen
    King novel" counted it as his one book and steered by it."""
    titles = {ctx.catalog.get(i).title for i in ctx.ids_naming(["Stephen King"])}
    assert "The Diary of a U-boat Commander" not in titles
    assert titles  # the films of his books name him in their records


def test_with_none_of_theirs_in_the_domain_the_picks_are_like_their_work(ctx):
    """No book in the catalog is Stephen King's, but films of his books are: the books shown are like
    those (horror), not The Beautiful and Damned and Around the World in Eighty Days."""
    (result,) = chat(ctx, "a Stephen King novel")
    assert "nothing by Stephen King" in result.note
    tags = [" ".join(r.item.tags).lower() for r in result.recommendations]
    titles = [r.item.title for r in result.recommendations]
    assert sum("horror" in t or "gothic" in t for t in tags) >= 3, titles
