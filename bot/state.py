"""The dialogue state: everything the bot believes about one conversation, as plain data.

It is serialisable to JSON (the UI keeps it in a browser-side state and sends it back each
turn), and `to_json` / `from_json` round-trip exactly. `summary()` is the "what I understood"
view the UI shows, and `remove_tag()` is how the UI deletes one of those tags.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

DOMAINS = ("movie", "book", "music")
LANGS = ("en", "zh")
CONTEXT_CHARS = 600  # about the embedder's window; older words have had their say


def _norm(text: str) -> str:
    """How two facet strings are compared: case- and whitespace-insensitive."""
    return " ".join(str(text).lower().split())


@dataclass
class Facet:
    """One interest tag, and the turn it was said in (later turns can weigh it down)."""

    text: str
    turn: int
    weight: float = 1.0


@dataclass
class Constraints:
    """Hard filters: what the user asked for, not just what they like."""

    domain: str | None = None
    year_min: int | None = None
    year_max: int | None = None
    creators: list[str] = field(default_factory=list)


@dataclass
class DialogueState:
    turn: int = 0
    likes: list[Facet] = field(default_factory=list)
    liked_items: list[str] = field(default_factory=list)  # catalog ids
    dislikes: list[Facet] = field(default_factory=list)
    disliked_items: list[str] = field(default_factory=list)
    constraints: Constraints = field(default_factory=Constraints)
    seen: list[str] = field(default_factory=list)  # ids the user has already seen/read/heard
    rejected: list[str] = field(default_factory=list)  # ids turned down ("not that one")
    recommended: list[str] = field(default_factory=list)  # every id shown so far
    last_shown: list[str] = field(default_factory=list)  # ids shown in the last answer, in order
    lang: str = "en"  # language of the last worded message ("en"/"zh"); replies follow it
    context: str = ""  # the end of what the user said, for the learned dialogue query and neighbours
    novelty: bool = False  # asked for lesser-known things ("a hidden gem"): the prior turns around

    # -- serialisation -------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, s: str) -> DialogueState:
        """Rebuild a state; unknown keys are ignored so an older UI cannot break a newer bot."""
        raw = json.loads(s)
        if not isinstance(raw, dict):
            raise ValueError("a dialogue state must be a JSON object")
        cons = raw.get("constraints") or {}
        return cls(
            turn=int(raw.get("turn", 0)),
            likes=[_facet(f) for f in raw.get("likes", [])],
            liked_items=[str(x) for x in raw.get("liked_items", [])],
            dislikes=[_facet(f) for f in raw.get("dislikes", [])],
            disliked_items=[str(x) for x in raw.get("disliked_items", [])],
            constraints=Constraints(
                domain=cons.get("domain"),
                year_min=_opt_int(cons.get("year_min")),
                year_max=_opt_int(cons.get("year_max")),
                creators=[str(c) for c in cons.get("creators", [])],
            ),
            seen=[str(x) for x in raw.get("seen", [])],
            rejected=[str(x) for x in raw.get("rejected", [])],
            recommended=[str(x) for x in raw.get("recommended", [])],
            last_shown=[str(x) for x in raw.get("last_shown", [])],
            lang=raw.get("lang") if raw.get("lang") in LANGS else "en",
            context=str(raw.get("context", ""))[-CONTEXT_CHARS:],
            novelty=bool(raw.get("novelty", False)),
        )

    # -- the "what I understood" view ----------------------------------------------------

    def summary(self) -> dict:
        c = self.constraints
        return {
            "likes": [f.text for f in self.likes],
            "liked_items": list(self.liked_items),
            "dislikes": [f.text for f in self.dislikes],
            "novelty": self.novelty,
            "constraints": {
                "domain": c.domain,
                "year_min": c.year_min,
                "year_max": c.year_max,
                "creators": list(c.creators),
            },
        }

    # -- edits ---------------------------------------------------------------------------

    def add_like(self, text: str, weight: float = 1.0) -> None:
        """Like a facet; a like cancels an earlier dislike of the same facet."""
        self.dislikes = [f for f in self.dislikes if _norm(f.text) != _norm(text)]
        self.likes = [f for f in self.likes if _norm(f.text) != _norm(text)]
        self.likes.append(Facet(text, self.turn, weight))

    def add_dislike(self, text: str, weight: float = 1.0) -> None:
        """Dislike a facet; a dislike cancels an earlier like of the same facet."""
        self.likes = [f for f in self.likes if _norm(f.text) != _norm(text)]
        self.dislikes = [f for f in self.dislikes if _norm(f.text) != _norm(text)]
        self.dislikes.append(Facet(text, self.turn, weight))

    def accept(self, text: str) -> bool:
        """A reversal ("actually, musicals are fine"): drop the dislike, add no like."""
        before = len(self.dislikes)
        self.dislikes = [f for f in self.dislikes if _norm(f.text) != _norm(text)]
        return len(self.dislikes) != before

    def remove_tag(self, kind: str, value: str | int | None = None) -> bool:
        """Delete one tag the UI shows. Returns whether anything changed.

        kind is a key of `summary()` ("likes", "liked_items", "dislikes") or of its
        "constraints" ("domain", "year_min", "year_max", "creators"), or a list of turned-down
        items ("rejected", "disliked_items"): removing one of those takes back a thumbs-down
        (the item is also taken out of the other list, so one tag undoes it). For the scalar
        constraints the value is optional; when given it must match.
        """
        if kind in ("likes", "dislikes"):
            facets: list[Facet] = getattr(self, kind)
            kept = [f for f in facets if _norm(f.text) != _norm(str(value))]
            setattr(self, kind, kept)
            return len(kept) != len(facets)
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
        if kind == "creators":
            names = self.constraints.creators
            kept_names = [n for n in names if _norm(n) != _norm(str(value))]
            self.constraints.creators = kept_names
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


def _facet(raw) -> Facet:
    if isinstance(raw, str):  # tolerate a bare string from a hand-edited state
        return Facet(raw, 0)
    return Facet(text=str(raw["text"]), turn=int(raw.get("turn", 0)), weight=float(raw.get("weight", 1.0)))


def _opt_int(value) -> int | None:
    return None if value is None else int(value)
