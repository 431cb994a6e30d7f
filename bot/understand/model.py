"""The data the steps pass around: the Extraction result, facet hits, entity candidates and
the masked working text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from bot.understand.text import fold
from bot.understand.vocab import Targets


@dataclass
class Extraction:
    likes: list[str] = field(default_factory=list)
    dislikes: list[str] = field(default_factory=list)
    reversals: list[str] = field(default_factory=list)
    liked_titles: list[str] = field(default_factory=list)
    disliked_titles: list[str] = field(default_factory=list)
    seen_titles: list[str] = field(default_factory=list)
    domain: str | None = None
    year_min: int | None = None
    year_max: int | None = None
    creators: list[str] = field(default_factory=list)  # every creator the user asks for or speaks well of
    title_ids: dict[str, str] = field(default_factory=dict)  # title span -> catalog id, where linked
    # How each creator was meant, where it is not a requirement ("by X", "directed by X", "a Nolan film"):
    # "like" ("I love X", "my wife likes X"), "mention" (an aside: "is that the one with X?"), "style"
    # ("in the vein of X", "a director like X"). Soft signals for the ranking, never filters.
    creator_roles: dict[str, str] = field(default_factory=dict)
    excluded_creators: list[str] = field(default_factory=list)  # "nothing by X", "not Nolan"
    recent: bool = False  # the year bound came from "recent", "latest", "new releases"...
    soft_dislikes: list[str] = field(default_factory=list)  # disliked only by degree: "less scary"
    indirect_likes: list[str] = field(default_factory=list)  # liked facets named only by a synonym ("zombie")
    # facets a wish implies beyond what was said: "feel good" says feel-good and implies comedy and family;
    # "music for studying" implies ambient. They help the ranking but are not shown back as said.
    implied_likes: dict[str, str] = field(default_factory=dict)  # facet -> the facet said with it, or ""
    # catalog titles named with no feeling attached ("who directed Heat?"): they say which domain is
    # meant and what "that one" points at, but are no wish
    mentioned_titles: list[str] = field(default_factory=list)
    # the domain the words imply without naming it: a form only one domain has ("jazz", "short stories") or
    # a verb ("I read Dracula"); the step adopts it where no domain was said
    implied_domain: str | None = None
    # the dislikes hold in every domain: the message named several ("nothing gory, films or books")
    everywhere: bool = False
    # "but not him", 不要他本人的 with nobody named in this message: the person named last, in an earlier turn
    rule_out_previous: bool = False
    # "anything else by that author?": whoever made the item referred to (a pick on screen), asked for
    by_referenced: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    def is_empty(self) -> bool:
        # no wish alone
        quiet = ("title_ids", "creator_roles", "mentioned_titles", "implied_domain", "everywhere",
                 "rule_out_previous", "by_referenced")
        if self.implied_likes:
            return False
        return not any(v for k, v in self.to_dict().items() if k not in quiet)

    def rule_out(self, name: str) -> None:
        """A person named just before is ruled out ("not her though", 别推他的); a style stays a style too
        ("writes like Christie? Not her though"), anything else said of them goes."""
        _add(self.excluded_creators, name)
        if self.creator_roles.get(name) != "style":
            self.creators = [c for c in self.creators if c != name]
            self.creator_roles.pop(name, None)

    def hard_creators(self) -> list[str]:
        """The creators asked for outright: a filter, not just a signal."""
        return [c for c in self.creators if c not in self.creator_roles]


@dataclass
class _Hit:
    """A facet mention: where it is and what it may stand for."""

    start: int
    end: int
    targets: Targets
    occasion: bool = False  # "for studying", "a rainy sunday": every facet it gives is only implied
    guess: bool = False  # "for the beach": the genres it suggests yield to any genre said with it


@dataclass
class _Entity:
    start: int
    end: int
    kind: str  # "title" or "creator"
    text: str
    ref: str | None = None  # catalog id (title) or display name (creator)
    strong: bool = False  # a linked or quoted title, or a full multi-word creator name
    surname: bool = False  # a creator found by last name only ("Tolkien")
    cue: str | None = None  # the entity cue before it (see _ENTITY_CUES)
    cue_text: str = ""
    post: str | None = None  # the cue right after it ("was great", "seen it")


class _Masked:
    """The working text: folded lowercase, with spans already explained blanked out."""

    def __init__(self, text: str):
        self.text = fold(text)
        self.original = self.text  # as it came, for what a pronoun refers back to

    def blank(self, start: int, end: int) -> None:
        self.text = self.text[:start] + " " * (end - start) + self.text[end:]


def _add(values: list[str], value: str) -> None:
    if value and value.lower() not in (v.lower() for v in values):
        values.append(value)
