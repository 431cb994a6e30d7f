"""The "what I understood" tags: each part of the state as a removable, labelled tag."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.state import DialogueState
from bot.words import DOMAIN_PLURAL

_KIND_LABEL = {"likes": "liking", "dislikes": "avoiding", "liked_items": "more like", "domain": "only",
               "year_min": "from", "year_max": "up to", "creators": "by", "excluded_creators": "nothing by"}
_PERSON_LABEL = {"like": "a plus: {}", "mention": "a plus: {}", "style": "in the style of {}"}
# Items turned down (a thumbs-down, "not these", "not that one"): ranking leaves them out, and the
# tag says just that; removing the tag takes the verdict back.
_ITEM_VERDICTS = ("rejected", "disliked_items")


@dataclass(frozen=True)
class Tag:
    kind: str  # a key accepted by DialogueState.remove_tag
    value: str
    label: str  # plain text; escape before rendering
    group: str  # "Liking", "Avoiding" or "Limits"


def tag_label(kind: str, value: str | int | None, ctx: Context | None = None) -> str:
    if kind == "liked_items" and ctx is not None:
        return f"more like {ctx.title_of(str(value))}"
    if kind in _ITEM_VERDICTS:
        return f"{ctx.title_of(str(value)) if ctx is not None else value} (turned down)"
    if kind == "domain":
        return f"only {DOMAIN_PLURAL.get(str(value), value)}"
    if kind in _KIND_LABEL and kind not in ("likes", "dislikes"):
        return f"{_KIND_LABEL[kind]} {value}"
    return str(value)


def understood_tags(state: DialogueState, ctx: Context | None = None) -> list[Tag]:
    """Every tag the "what I understood" panel shows, each removable through `remove_tag`."""
    s = state.summary()
    c = s["constraints"]
    tags = [Tag("likes", v, v, "Liking") for v in s["likes"]]
    tags += [Tag("liked_items", i, tag_label("liked_items", i, ctx), "Liking") for i in s["liked_items"]]
    tags += [Tag("people", p.name, _PERSON_LABEL.get(p.kind, "{}").format(p.name), "Liking")
             for p in state.people]
    tags += [Tag("dislikes", v, v, "Avoiding") for v in s["dislikes"]]
    turned_down: dict[str, str] = {}  # item id -> the state list it is in (an item is shown once)
    for kind in _ITEM_VERDICTS:
        for item_id in getattr(state, kind):
            turned_down.setdefault(item_id, kind)
    tags += [Tag(kind, i, tag_label(kind, i, ctx), "Avoiding") for i, kind in turned_down.items()]
    for kind in ("domain", "year_min", "year_max"):
        if c[kind] is not None:
            tags.append(Tag(kind, str(c[kind]), tag_label(kind, c[kind]), "Limits"))
    tags += [Tag("creators", n, tag_label("creators", n), "Limits") for n in c["creators"]]
    tags += [Tag("excluded_creators", n, tag_label("excluded_creators", n), "Avoiding")
             for n in c["excluded_creators"]]
    return tags
