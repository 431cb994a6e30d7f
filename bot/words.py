"""How the bot names things: kinds of item, domains, liked titles, and the user's state in words.

One home for each, so the chat reply, the tags, the reranker's prompt and the explainer's prompt
cannot drift apart. `describe_state` renders the state in each of their voices (the reranker's
voice is part of its trained prompt: changing it means retraining the adapter).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.i18n import domain_name, facet_name, join, t

if TYPE_CHECKING:
    from bot.state import DialogueState
    from retrieval import Item

# What one item of a domain is called; the first word is the one the bot uses, the others are for
# variety in synthetic training text (finetune/data.py).
KIND_WORDS = {"movie": ("film", "movie"), "book": ("book", "novel"), "music": ("album", "record")}
KIND = {domain: words[0] for domain, words in KIND_WORDS.items()}
# What several items of a domain are called ("only movies", "limits: music").
DOMAIN_PLURAL = {"movie": "movies", "book": "books", "music": "music"}


def english_wish(likes: Sequence[str], titles: Sequence[str], creators: Sequence[str],
                 domain: str | None, styles: Sequence[str] = ()) -> str:
    """What a message understood in another language asked for, said in English as a user would (the
    words the learned dialogue query reads): "温馨的电影" -> "a feel-good movie"; `styles`: people whose
    work it should be like ("王家卫风格的电影" -> "a movie like Wong Kar-wai's")."""
    kind = domain if domain in DOMAIN_PLURAL else ""
    wish = " ".join([*likes, kind]).strip()
    words = [wish if kind == "music" else with_article(wish)] if wish else []
    words += [f"like {t}" for t in titles] + [f"by {c}" for c in creators] + [f"like {c}'s" for c in styles]
    return " ".join(words)


def kind_of(domain: str, default: str | None = None) -> str:
    return KIND.get(domain, domain if default is None else default)


def with_article(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def title_year(item: Item) -> str:
    """How a liked item is named in a prompt: "Alien (1979)"."""
    return f"{item.title} ({item.year})" if item.year else item.title


def liked_titles(state: DialogueState, lookup: Callable[[str], Item | str | None],
                 with_year: bool = False) -> list[str]:
    """The titles of the items the user liked, in the order liked; unknown ids are skipped.
    `lookup` maps an id to its Item (catalog.get) or straight to its title."""
    out = []
    for item_id in state.liked_items:
        item = lookup(item_id)
        if isinstance(item, str):
            if item:
                out.append(item)
        elif item is not None:
            out.append(title_year(item) if with_year else item.title)
    return out


@dataclass(frozen=True)
class Voice:
    """Which parts of the state one reader gets, how many of each, and the verbs that introduce them."""

    likes: str  # verb before the liked facets
    dislikes: str
    loved: str | None = None  # verb before the liked titles; None leaves them out
    max_likes: int | None = None  # the newest N (None = all)
    newest_first: bool = False
    max_loved: int = 3
    max_dislikes: int | None = None
    limits: str = "none"  # "grouped" (one "limits: ..." part), "separate" (one part each) or "none"
    max_creators: int | None = None


# The reply's "what I understood" line, the LoRA reranker's profile (its trained prompt), the explainer's.
UNDERSTOOD = Voice(likes="liking", dislikes="avoiding", limits="grouped")
RERANK_PROFILE = Voice(likes="likes", dislikes="avoids", loved="loved", max_likes=4, newest_first=True,
                       max_loved=3, max_dislikes=4, limits="separate", max_creators=2)
# the LLM reply's facts (bot/llm_reply.py): plain words, no "limits:" for the model to copy
REPLY_PROFILE = Voice(likes="wants", dislikes="not", loved="liked", max_likes=5, max_loved=3, max_dislikes=4,
                      limits="separate", max_creators=2)
EXPLAIN_PROFILE = Voice(likes="likes", dislikes="dislikes", loved="enjoyed", max_likes=4, max_loved=2,
                        max_dislikes=3)


def describe_state(summary: dict, titles: Sequence[str] = (), voice: Voice = UNDERSTOOD) -> list[str]:
    """The state (`DialogueState.summary()`) as short phrases, in the voice's order and words."""
    c = summary.get("constraints", {})
    parts = []
    if voice.limits == "separate" and c.get("domain"):
        parts.append("wants " + with_article(kind_of(c["domain"])))
    likes = _newest(summary.get("likes", []), voice.max_likes)
    if likes:
        parts.append(f"{voice.likes} " + ", ".join(reversed(likes) if voice.newest_first else likes))
    if voice.loved and titles:
        parts.append(f"{voice.loved} " + "; ".join(list(titles)[-voice.max_loved:]))
    dislikes = _newest(summary.get("dislikes", []), voice.max_dislikes)
    if dislikes:
        parts.append(f"{voice.dislikes} " + ", ".join(dislikes))
    creators = c.get("creators") or []
    if voice.max_creators is not None:
        creators = creators[: voice.max_creators]
    if voice.limits == "separate":
        if c.get("year_min") or c.get("year_max"):
            parts.append(f"years {c.get('year_min') or '…'}-{c.get('year_max') or '…'}")
        if creators:
            parts.append("by " + ", ".join(creators))
    elif voice.limits == "grouped":
        limits = [DOMAIN_PLURAL[c["domain"]]] if c.get("domain") else []
        if c.get("year_min") and c.get("year_max"):
            limits.append(f"{c['year_min']}–{c['year_max']}")
        elif c.get("year_min"):
            limits.append(f"from {c['year_min']}")
        elif c.get("year_max"):
            limits.append(f"up to {c['year_max']}")
        if creators:
            limits.append("by " + ", ".join(creators))
        if limits:
            parts.append("limits: " + ", ".join(limits))
    return parts


def _newest(values: list[str], n: int | None) -> list[str]:
    return list(values) if n is None else list(values)[-n:]


def understood_parts(summary: dict, lang: str = "en") -> list[str]:
    """The reply's "what I understood" parts in the user's language (English: the UNDERSTOOD voice)."""
    if lang != "zh":
        return describe_state(summary, voice=UNDERSTOOD)
    c = summary.get("constraints", {})
    parts = []
    if summary.get("likes"):
        parts.append(t("liking", lang, x=join([facet_name(f, lang) for f in summary["likes"]], lang)))
    if summary.get("dislikes"):
        parts.append(t("avoiding", lang, x=join([facet_name(f, lang) for f in summary["dislikes"]], lang)))
    limits = [domain_name(c["domain"], lang)] if c.get("domain") else []
    if c.get("year_min") and c.get("year_max"):
        limits.append(f"{c['year_min']}–{c['year_max']}")
    elif c.get("year_min"):
        limits.append(t("from_year", lang, y=c["year_min"]))
    elif c.get("year_max"):
        limits.append(t("up_to_year", lang, y=c["year_max"]))
    if c.get("creators"):
        limits.append(t("by", lang, x=join(c["creators"], lang)))
    if limits:
        parts.append(t("limits", lang, x=join(limits, lang)))
    return parts
