"""People in the ranking: those the user liked or mentioned (a bonus), asked for by name (their own work
leads; with fewer of it in the catalog than a page, no limit is set and the reply says so) or named as a
style (their own work steps back)."""

from __future__ import annotations

import numpy as np

from bot.context import Context
from bot.i18n import and_list
from bot.state import DialogueState
from retrieval import Filters
from retrieval.catalog import Hit

# a person asked for by name (constraints.creators) weighs this much in person_matches: enough that their
# own work leads what is like it when the catalog holds fewer of theirs than FEW_BY_CREATOR (no limit then)
ASKED_PERSON_WEIGHT = 80.0
FEW_BY_CREATOR = 5


def person_matches(state: DialogueState, ctx: Context, index_of: dict[str, int], n: int) -> np.ndarray | None:
    """For each of n candidates (`index_of`: id -> row), the summed weight of the people the user liked,
    mentioned or asked for who made or star in it (row 0), and of the people whose style they asked for
    ("a director like Nolan": row 1); None when no person is known."""
    asked = state.constraints.creators
    if not state.people and not asked:
        return None
    out = np.zeros((2, n))
    for person in state.people:
        rows = [index_of[i] for i in ctx.ids_by_creators([person.name]) if i in index_of]
        out[int(person.kind == "style"), rows] += person.weight
    for name in asked:  # theirs, as the filter reads it
        out[0, [index_of[i] for i in ctx.works_of([name]) if i in index_of]] += ASKED_PERSON_WEIGHT
    return out


def asked_works(state: DialogueState, ctx: Context, domain: str | None) -> set[str]:
    """The work of the people asked for by name in the domain (every domain when None)."""
    works = ctx.works_of(state.constraints.creators) if state.constraints.creators else set()
    return {i for i in works if domain is None or ctx.catalog.get(i).domain == domain}


def creators_shortfall(state: DialogueState, ctx: Context, domain: str | None) -> str:
    """When the catalog holds fewer works of the people asked for than FEW_BY_CREATOR (so no limit was
    set), say so: the picks after theirs are only like them."""
    names = state.constraints.creators
    known = asked_works(state, ctx, domain)
    if not names or len(known) >= FEW_BY_CREATOR:
        return ""
    who = and_list(names, state.lang)
    if not known:
        return f"the catalog has nothing by {who}, so these are only like what you asked"
    return f"the catalog has only {len(known)} by {who}, so the rest are like their work"


def asked_creators_own(state: DialogueState, ctx: Context, filters: Filters, have: set[str]) -> list:
    """The few works of a person asked for when no limit was set for them (FEW_BY_CREATOR): nearest-by-text
    retrieval may miss them ("周星驰的喜剧"), and they are what was asked for."""
    if not state.constraints.creators or filters.include_ids is not None:
        return []
    mask, position = ctx.catalog.mask(filters), ctx.catalog.index.position
    own = sorted(ctx.works_of(state.constraints.creators))
    return [Hit(ctx.catalog.get(i), 0.0) for i in own
            if i not in have and i in position and (mask is None or mask[position[i]])][:FEW_BY_CREATOR]
