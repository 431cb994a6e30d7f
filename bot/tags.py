"""The "what I understood" tags: each part of the state as a removable, labelled tag, in the user's
language."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.i18n import domain_name, facet_name, join, t
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
    value: str  # the state's own value (English facet, id, year): what remove_tag is given back
    label: str  # plain text in the user's language; escape before rendering
    group: str  # "Liking", "Avoiding" or "Limits" (a stable key: CSS classes and code use it)
    group_label: str = ""  # the group as the user reads it ("喜欢" in Chinese)


def tag_label(kind: str, value: str | int | None, ctx: Context | None = None, lang: str = "en") -> str:
    if lang == "zh":
        return _label_zh(kind, value, ctx)
    if kind == "liked_items" and ctx is not None:
        return f"more like {ctx.title_of(str(value))}"
    if kind in _ITEM_VERDICTS:
        return f"{ctx.title_of(str(value)) if ctx is not None else value} (turned down)"
    if kind == "domain":
        return f"only {DOMAIN_PLURAL.get(str(value), value)}"
    if kind in _KIND_LABEL and kind not in ("likes", "dislikes"):
        return f"{_KIND_LABEL[kind]} {value}"
    return str(value)


def _person_label(kind: str, name: str, lang: str) -> str:
    if lang == "zh":
        return t("style_of" if kind == "style" else "a_plus", "zh", x=name)
    return _PERSON_LABEL.get(kind, "{}").format(name)


def _label_zh(kind: str, value: str | int | None, ctx: Context | None) -> str:
    title = ctx.title_of(str(value)) if ctx is not None else str(value)
    if kind == "liked_items":
        return t("more_like", "zh", title=title)
    if kind in _ITEM_VERDICTS:
        return t("turned_down", "zh", title=title)
    if kind == "domain":
        return t("only", "zh", x=domain_name(str(value), "zh"))
    if kind == "year_min":
        return t("from_year", "zh", y=value)
    if kind == "year_max":
        return t("up_to_year", "zh", y=value)
    if kind == "creators":
        return t("by", "zh", x=join([str(value)], "zh"))
    if kind == "excluded_creators":
        return t("nothing_by", "zh", x=str(value))
    return facet_name(str(value), "zh")


def understood_tags(state: DialogueState, ctx: Context | None = None, lang: str | None = None) -> list[Tag]:
    """Every tag the "what I understood" panel shows, each removable through `remove_tag`; labels are
    in `lang` (default: the state's language)."""
    lang = lang or state.lang
    s = state.summary()
    c = s["constraints"]

    def tag(kind: str, value, group: str, label: str | None = None) -> Tag:
        text = label if label is not None else tag_label(kind, value, ctx, lang)
        return Tag(kind, str(value), text, group, t(f"group_{group}", lang))

    tags = [tag("likes", v, "Liking") for v in s["likes"]]
    tags += [tag("liked_items", i, "Liking") for i in s["liked_items"]]
    tags += [tag("people", p.name, "Liking", _person_label(p.kind, p.name, lang)) for p in state.people]
    tags += [tag("dislikes", v, "Avoiding") for v in s["dislikes"]]
    turned_down: dict[str, str] = {}  # item id -> the state list it is in (an item is shown once)
    for kind in _ITEM_VERDICTS:
        for item_id in getattr(state, kind):
            turned_down.setdefault(item_id, kind)
    tags += [tag(kind, i, "Avoiding") for i, kind in turned_down.items()]
    for kind in ("domain", "year_min", "year_max"):
        if c[kind] is not None:
            tags.append(tag(kind, c[kind], "Limits", tag_label(kind, c[kind], None, lang)))
    tags += [tag("creators", n, "Limits", tag_label("creators", n, None, lang)) for n in c["creators"]]
    tags += [tag("excluded_creators", n, "Avoiding", tag_label("excluded_creators", n, None, lang))
             for n in c["excluded_creators"]]
    if s.get("novelty"):
        tags.append(tag("novelty", "lesser-known", "Liking", t("novelty_tag", lang)))
    return tags
