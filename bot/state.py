"""The dialogue state: everything the bot believes about one conversation, as plain data.

It is serialisable to JSON (the UI keeps it in a browser-side state and sends it back each
turn), and `to_json` / `from_json` round-trip exactly; JSON from an older version (without
the newer fields) still loads. `summary()` is the "what I understood" view the UI shows, and
`remove_tag()` is how the UI deletes one of those tags.

Wishes belong to a domain. The top-level likes, dislikes, liked/disliked items, people and
constraints are the wishes of the domain in force (`scope`); the wishes of other domains wait in
`shelves` and come back when the user returns to that domain ("back to books"). A wish said
before any domain is known belongs to no domain yet and is adopted by the first domain that is
set ("something mind-bending" then "a movie": the movie search is mind-bending). A wish said
with no domain word while a domain is in force belongs to that domain. What was seen, turned
down or shown stays global: those are item ids, and ids never cross domains.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

DOMAINS = ("movie", "book", "music")
LANGS = ("en", "zh")
CONTEXT_CHARS = 600  # about the embedder's window; older words have had their say
SOFTEN = 0.5  # "less scary" about a liked facet multiplies its weight by this
MIN_WEIGHT = 0.125  # ...but never below this: a softened like is still a like


def _norm(text: str) -> str:
    """How two facet strings are compared: case- and whitespace-insensitive."""
    return " ".join(str(text).lower().split())


@dataclass
class Facet:
    """One interest tag, and the turn it was said in (later turns can weigh it down)."""

    text: str
    turn: int
    weight: float = 1.0
    # set when the facet was only implied by another ("feel good" implies comedy): it ranks like the
    # others but is not shown back as said, and goes when the facet that implied it is removed
    implied_by: str | None = None


PERSON_KINDS = ("like", "mention", "style")


@dataclass
class Person:
    """A person spoken of warmly: a soft signal, never a filter. Their work pulls the query; kind
    says how their own items fare: "like" ("I love Morgan Freeman") and "mention" (an aside: "is that
    the one with Emily Blunt?") get a bonus; "style" ("a director like Nolan", "in the vein of Agatha
    Christie": work like theirs) a penalty, so others come first, as a liked item is not shown back."""

    name: str
    turn: int
    weight: float = 1.0
    kind: str = "like"


@dataclass
class Constraints:
    """Hard filters: what the user asked for, not just what they like."""

    domain: str | None = None
    year_min: int | None = None
    year_max: int | None = None
    creators: list[str] = field(default_factory=list)  # only items by one of them
    excluded_creators: list[str] = field(default_factory=list)  # never items by any of them


@dataclass
class Shelf:
    """One domain's wishes, put aside while the conversation is about another domain."""

    likes: list[Facet] = field(default_factory=list)
    liked_items: list[str] = field(default_factory=list)
    dislikes: list[Facet] = field(default_factory=list)
    disliked_items: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    constraints: Constraints = field(default_factory=Constraints)  # its domain is the shelf's key

    def is_empty(self) -> bool:
        c = self.constraints
        return not (self.likes or self.liked_items or self.dislikes or self.disliked_items or self.people
                    or c.year_min is not None or c.year_max is not None or c.creators or c.excluded_creators)


_SCOPED = ("likes", "liked_items", "dislikes", "disliked_items", "people")


@dataclass
class DialogueState:
    turn: int = 0
    likes: list[Facet] = field(default_factory=list)
    liked_items: list[str] = field(default_factory=list)  # catalog ids
    dislikes: list[Facet] = field(default_factory=list)
    disliked_items: list[str] = field(default_factory=list)
    constraints: Constraints = field(default_factory=Constraints)
    people: list[Person] = field(default_factory=list)  # soft: a bonus and a pull, never a filter
    seen: list[str] = field(default_factory=list)  # ids the user has already seen/read/heard
    rejected: list[str] = field(default_factory=list)  # ids turned down ("not that one")
    recommended: list[str] = field(default_factory=list)  # every id shown so far
    last_shown: list[str] = field(default_factory=list)  # ids shown in the last answer, in order
    lang: str = "en"  # language of the last worded message ("en"/"zh"); replies follow it
    context: str = ""  # the end of what the user said, for the learned dialogue query and neighbours
    novelty: bool = False  # asked for lesser-known things ("a hidden gem"): the prior turns around
    scope: str | None = None  # the domain the wishes above belong to (None: said before any domain)
    shelves: dict[str, Shelf] = field(default_factory=dict)  # other domains' wishes, by domain
    # facets ruled out in every domain ("nothing gory, films or books"): each domain's dislikes get them
    everywhere: list[str] = field(default_factory=list)

    # -- serialisation -------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, s: str) -> DialogueState:
        """Rebuild a state; unknown keys are ignored so an older UI cannot break a newer bot."""
        raw = json.loads(s)
        if not isinstance(raw, dict):
            raise ValueError("a dialogue state must be a JSON object")
        shelves = raw.get("shelves") or {}
        return cls(
            turn=int(raw.get("turn", 0)),
            **_wishes(raw),
            seen=[str(x) for x in raw.get("seen", [])],
            rejected=[str(x) for x in raw.get("rejected", [])],
            recommended=[str(x) for x in raw.get("recommended", [])],
            last_shown=[str(x) for x in raw.get("last_shown", [])],
            lang=raw.get("lang") if raw.get("lang") in LANGS else "en",
            context=str(raw.get("context", ""))[-CONTEXT_CHARS:],
            novelty=bool(raw.get("novelty", False)),
            scope=raw.get("scope") if raw.get("scope") in DOMAINS else None,
            shelves={d: Shelf(**_wishes(v)) for d, v in shelves.items()
                     if d in DOMAINS and isinstance(v, dict)},
            everywhere=[str(x) for x in raw.get("everywhere", [])],
        )

    # -- the "what I understood" view ----------------------------------------------------

    def summary(self) -> dict:
        c = self.constraints
        return {
            "likes": [f.text for f in self.likes if f.implied_by is None],
            "liked_items": list(self.liked_items),
            "dislikes": [f.text for f in self.dislikes],
            "novelty": self.novelty,
            "people": [p.name for p in self.people],
            "constraints": {
                "domain": c.domain,
                "year_min": c.year_min,
                "year_max": c.year_max,
                "creators": list(c.creators),
                "excluded_creators": list(c.excluded_creators),
            },
        }

    # -- domains -------------------------------------------------------------------------

    def switch_domain(self, domain: str | None) -> tuple[str | None, bool]:
        """Make `domain` the one in force. Returns (the domain whose wishes were put aside, or None;
        whether earlier wishes for `domain` came back). Wishes said before any domain was known
        are adopted by the first domain; a domain set to None ("any") keeps the current wishes."""
        self.constraints.domain = domain
        if domain is None or domain == self.scope:
            return None, False
        old = self.scope
        self.scope = domain
        if old is None:
            return None, False
        c = self.constraints
        self.shelves[old] = Shelf(**{k: getattr(self, k) for k in _SCOPED},
                                  constraints=Constraints(None, c.year_min, c.year_max, c.creators,
                                                          c.excluded_creators))
        back = self.shelves.pop(domain, None)
        restored = back is not None and not back.is_empty()
        back = back or Shelf()
        for k in _SCOPED:
            setattr(self, k, getattr(back, k))
        b = back.constraints
        self.constraints = Constraints(domain, b.year_min, b.year_max, b.creators, b.excluded_creators)
        for text in self.everywhere:
            if not any(_norm(f.text) == _norm(text) for f in self.likes + self.dislikes):
                self.dislikes.append(Facet(text, self.turn))
        if self.shelves[old].is_empty():
            del self.shelves[old]
            return None, restored
        return old, restored

    def shelf_liking(self, facets: list[str]) -> str | None:
        """The one other domain whose put-aside wishes like one of `facets` ("back to the western")."""
        wanted = {_norm(f) for f in facets}
        homes = [d for d, shelf in self.shelves.items() if d != self.scope
                 and any(_norm(f.text) in wanted for f in shelf.likes)]
        return homes[0] if len(homes) == 1 else None

    # -- edits ---------------------------------------------------------------------------

    def add_like(self, text: str, weight: float = 1.0) -> None:
        """Like a facet; a like cancels an earlier dislike of the same facet."""
        self.dislikes = [f for f in self.dislikes if _norm(f.text) != _norm(text)]
        self.likes = [f for f in self.likes if _norm(f.text) != _norm(text)]
        self.likes.append(Facet(text, self.turn, weight))
        self._lift_everywhere(text)

    def _lift_everywhere(self, text: str) -> None:
        """A facet liked, accepted or untagged again is no longer ruled out in every domain."""
        self.everywhere = [t for t in self.everywhere if _norm(t) != _norm(text)]

    def add_implied_like(self, text: str, by: str) -> None:
        """A facet implied by a wish ("comedy" by "feel good"); never overrides a said like or a dislike."""
        if any(_norm(f.text) == _norm(text) for f in self.likes + self.dislikes):
            return
        self.likes.append(Facet(text, self.turn, 1.0, by))

    def add_dislike(self, text: str, weight: float = 1.0) -> None:
        """Dislike a facet; a hard dislike cancels an earlier like of the same facet. A soft one
        ("less scary", weight < 1) of a liked facet only weighs the like down: "a horror movie,
        less scary" still wants horror, and liking and avoiding it at once would contradict."""
        liked = [f for f in self.likes if _norm(f.text) == _norm(text)]
        if liked and weight < 1.0:
            for f in liked:
                f.weight = max(MIN_WEIGHT, f.weight * SOFTEN)
            return
        self.likes = [f for f in self.likes if _norm(f.text) != _norm(text)]
        self.dislikes = [f for f in self.dislikes if _norm(f.text) != _norm(text)]
        self.dislikes.append(Facet(text, self.turn, weight))

    def banned(self, text: str) -> bool:
        """Is the facet a hard dislike (a filter) right now?"""
        return any(_norm(f.text) == _norm(text) and f.weight >= 1.0 for f in self.dislikes)

    def accept(self, text: str) -> bool:
        """A reversal ("actually, musicals are fine"): drop the dislike, add no like."""
        before = len(self.dislikes)
        self.dislikes = [f for f in self.dislikes if _norm(f.text) != _norm(text)]
        self._lift_everywhere(text)
        return len(self.dislikes) != before

    def require_creator(self, name: str) -> None:
        """A hard "by X" / "directed by X": only their items; it lifts an earlier "nothing by X" (and
        replaces a softer word on them)."""
        c = self.constraints
        c.excluded_creators = [n for n in c.excluded_creators if _norm(n) != _norm(name)]
        self.people = [p for p in self.people if _norm(p.name) != _norm(name)]
        if _norm(name) not in map(_norm, c.creators):
            c.creators.append(name)

    def exclude_creator(self, name: str) -> None:
        """"nothing by X", "not Nolan": a hard exclusion; it replaces any wish for them, but not for their
        style ("in the style of Tarantino, not Tarantino himself": like his films, none of his)."""
        c = self.constraints
        c.creators = [n for n in c.creators if _norm(n) != _norm(name)]
        self.people = [p for p in self.people if _norm(p.name) != _norm(name) or p.kind == "style"]
        if _norm(name) not in map(_norm, c.excluded_creators):
            c.excluded_creators.append(name)

    def like_person(self, name: str, weight: float = 1.0, kind: str = "like") -> None:
        """A soft signal about a person (the latest word on them decides); it lifts an earlier
        "nothing by X", since they were named again."""
        c = self.constraints
        c.excluded_creators = [n for n in c.excluded_creators if _norm(n) != _norm(name)]
        self.people = [p for p in self.people if _norm(p.name) != _norm(name)]
        self.people.append(Person(name, self.turn, weight, kind if kind in PERSON_KINDS else "like"))

    def remove_tag(self, kind: str, value: str | int | None = None) -> bool:
        """Delete one tag the UI shows. Returns whether anything changed.

        kind is a key of `summary()` ("likes", "liked_items", "dislikes", "people") or of its
        "constraints" ("domain", "year_min", "year_max", "creators", "excluded_creators"), or a
        list of turned-down items ("rejected", "disliked_items"): removing one of those takes back a
        thumbs-down (the item is also taken out of the other list, so one tag undoes it). For the
        scalar constraints the value is optional; when given it must match.
        """
        if kind in ("likes", "dislikes"):
            facets: list[Facet] = getattr(self, kind)
            kept = [f for f in facets if _norm(value) not in (_norm(f.text), _norm(f.implied_by or ""))]
            setattr(self, kind, kept)
            if kind == "dislikes":
                self._lift_everywhere(str(value))
            return len(kept) != len(facets)
        if kind == "people":
            kept_people = [p for p in self.people if _norm(p.name) != _norm(str(value))]
            changed = len(kept_people) != len(self.people)
            self.people = kept_people
            return changed
        if kind == "liked_items":
            kept_ids = [i for i in self.liked_items if i != value]
            changed = len(kept_ids) != len(self.liked_items)
            self.liked_items = kept_ids
            return changed
        if kind in ("rejected", "disliked_items"):
            before = len(self.rejected) + len(self.disliked_items)
            self.rejected = [i for i in self.rejected if i != value]
            self.disliked_items = [i for i in self.disliked_items if i != value]
            return len(self.rejected) + len(self.disliked_items) != before
        if kind in ("creators", "excluded_creators"):
            names = getattr(self.constraints, kind)
            kept_names = [n for n in names if _norm(n) != _norm(str(value))]
            setattr(self.constraints, kind, kept_names)
            return len(kept_names) != len(names)
        if kind == "novelty":
            changed, self.novelty = self.novelty, False
            return changed
        if kind in ("domain", "year_min", "year_max"):
            current = getattr(self.constraints, kind)
            if current is None or (value is not None and str(value).lower() != str(current).lower()):
                return False
            setattr(self.constraints, kind, None)
            return True
        raise ValueError(f"unknown tag kind {kind!r}")


def _wishes(raw: dict) -> dict:
    """The domain-scoped fields of a state (or of a shelf) from JSON."""
    cons = raw.get("constraints") or {}
    return {
        "likes": [_facet(f) for f in raw.get("likes", [])],
        "liked_items": [str(x) for x in raw.get("liked_items", [])],
        "dislikes": [_facet(f) for f in raw.get("dislikes", [])],
        "disliked_items": [str(x) for x in raw.get("disliked_items", [])],
        "people": [_person(p) for p in raw.get("people", [])],
        "constraints": Constraints(
            domain=cons.get("domain") if cons.get("domain") in DOMAINS else None,
            year_min=_opt_int(cons.get("year_min")),
            year_max=_opt_int(cons.get("year_max")),
            creators=[str(c) for c in cons.get("creators", [])],
            excluded_creators=[str(c) for c in cons.get("excluded_creators", [])],
        ),
    }


def _facet(raw) -> Facet:
    if isinstance(raw, str):  # tolerate a bare string from a hand-edited state
        return Facet(raw, 0)
    by = raw.get("implied_by")
    return Facet(text=str(raw["text"]), turn=int(raw.get("turn", 0)), weight=float(raw.get("weight", 1.0)),
                 implied_by=None if by is None else str(by))


def _person(raw) -> Person:
    if isinstance(raw, str):
        return Person(raw, 0)
    kind = raw.get("kind") if raw.get("kind") in PERSON_KINDS else "like"
    return Person(name=str(raw["name"]), turn=int(raw.get("turn", 0)), weight=float(raw.get("weight", 1.0)),
                  kind=kind)


def _opt_int(value) -> int | None:
    return None if value is None else int(value)
