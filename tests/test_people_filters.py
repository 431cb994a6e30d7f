"""A required person ("movies with Drew Barrymore") rules out only what is known not to be theirs."""

from __future__ import annotations

from bot.manager import step
from bot.state import DialogueState


def test_a_film_naming_the_person_in_its_description_is_theirs(ctx):
    scream = [i for i in ctx.catalog.items.values() if i.title == "Scream" and i.year == 1996]
    assert scream and "Drew Barrymore" not in scream[0].creators  # the record lists other leads
    assert "Drew Barrymore" in scream[0].description  # ...and the description names her
    out = step(DialogueState(), "a horror movie starring Drew Barrymore", ctx)
    assert out.state.constraints.creators == ["Drew Barrymore"]
    assert "Scream" in [r.item.title for r in out.recommendations]


def test_a_last_name_alone_searches_no_descriptions(ctx):
    assert ctx.ids_naming(["Barrymore"]) == set()
    assert ctx.ids_naming(["Drew Barrymore"]) >= {i.id for i in ctx.catalog.items.values()
                                                  if i.title == "Scream" and i.year == 1996}
