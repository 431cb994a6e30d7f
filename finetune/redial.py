"""ReDial (Li et al., NeurIPS 2018; CC BY 4.0) as plain Python data, shared by the benchmark and
the reranker's training data. Keep this API stable: other modules import it.

    dialogues = load_train_dialogues(REDIAL_DIR)                # the train-split slices, deduplicated
    movies = load_movies(REDIAL_DIR / "movies_with_mentions.csv")
    id_map = match_movies(movies, catalog_items)           # redial id -> candidate item id
    items = candidate_items(movies, catalog_items)         # the ranking candidates
    for turn in recommender_turns(dialogues[0], movies, id_map): ...

Data layout: `../shared/data/eval/redial/` relative to the repository (see SOURCE.txt there).
`valid_data_kgsf_split.jsonl` (901 dialogues) and `train_extra.jsonl` (2,557 more) are slices of
ReDial's *train* split, 3,458 distinct dialogues together (`load_train_dialogues`); `split_of` cuts
them, deterministically, into a "train" part (training, co-occurrence, popularity) and a "valid"
part (tuning, early stopping). `test_data.jsonl` is for reporting only: never train or tune on it.

Turns: consecutive messages from the same worker are joined into one turn (as KGSF and
CRSLab do), so seeker and recommender turns alternate. A movie mention "@123" is shown as
"Title (Year)".
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.items import Item
from retrieval.titles import TitleMatcher, split_title_year

SEEKER, RECOMMENDER = "seeker", "recommender"
DIALOGUE_FILES = {"train": "valid_data_kgsf_split.jsonl", "test": "test_data.jsonl"}
# More train-split dialogues, read beside DIALOGUE_FILES["train"] when present (train_extra.SOURCE.txt).
EXTRA_TRAIN_FILES = ("train_extra.jsonl",)
MOVIES_FILE = "movies_with_mentions.csv"
VALID_SHARE = 0.2
_MENTION = re.compile(r"@(\d+)")


@dataclass(frozen=True)
class RedialMovie:
    redial_id: str
    title: str
    year: int | None
    # nbMentions over the *whole* dataset, test included: fine for display, not for a baseline
    mentions: int

    @property
    def label(self) -> str:
        return self.title if self.year is None else f"{self.title} ({self.year})"


@dataclass(frozen=True)
class Mention:
    """A movie mentioned before the target turn."""

    item_id: str
    redial_id: str
    turn: int  # the turn of its first mention
    role: str  # who mentioned it first: "seeker" or "recommender"
    liked: int | None  # the seeker's verdict from the end-of-dialogue forms: 1, 0, or None (not said)


@dataclass
class TargetTurn:
    conversation_id: str
    turn_index: int  # index in the merged turn list
    history: list[tuple[str, str]]  # (role, text) of every earlier turn, both speakers
    targets: list[str]  # candidate item ids the recommender mentions in this turn, in order
    mentioned: list[Mention] = field(default_factory=list)  # items mentioned in earlier turns

    @property
    def mentioned_ids(self) -> set[str]:
        return {m.item_id for m in self.mentioned}

    @property
    def new_targets(self) -> list[str]:
        """Targets not mentioned earlier in the dialogue (the strict protocol's targets)."""
        seen = self.mentioned_ids
        return [t for t in self.targets if t not in seen]


# -- files ---------------------------------------------------------------------------------------


def require_files(redial_dir: str | Path, names: list[str] | None = None) -> Path:
    """The ReDial folder, or a FileNotFoundError that says what is missing and how to point at it."""
    redial_dir = Path(redial_dir)
    names = names or [DIALOGUE_FILES["train"], DIALOGUE_FILES["test"], MOVIES_FILE]
    missing = [n for n in names if not (redial_dir / n).is_file()]
    if missing:
        raise FileNotFoundError(
            f"ReDial data not found: {', '.join(missing)} missing in {redial_dir}. The benchmark expects "
            "the files described in ../shared/data/eval/redial/SOURCE.txt; pass --redial-dir DIR."
        )
    return redial_dir


def load_dialogues(path: str | Path) -> list[dict]:
    """One dict per JSONL line, as released (see datasheet.md for the fields)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_train_dialogues(redial_dir: str | Path) -> list[dict]:
    """Every train-split dialogue we have: the KGSF slice plus the extra files that are present,
    deduplicated by conversationId (first copy kept)."""
    redial_dir = Path(redial_dir)
    paths = [redial_dir / DIALOGUE_FILES["train"]] + [redial_dir / n for n in EXTRA_TRAIN_FILES]
    seen: set = set()
    out = []
    for path in paths:
        if path == redial_dir / DIALOGUE_FILES["train"] or path.is_file():
            for d in load_dialogues(path):
                if d.get("conversationId") not in seen:
                    seen.add(d.get("conversationId"))
                    out.append(d)
    return out


def load_movies(path: str | Path) -> dict[str, RedialMovie]:
    """movies_with_mentions.csv -> {redial id: RedialMovie}. Titles like "Police Academy  (1984)"."""
    out: dict[str, RedialMovie] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            title, year = split_title_year(" ".join(row["movieName"].split()))
            out[row["movieId"]] = RedialMovie(row["movieId"], title, year, int(row.get("nbMentions") or 0))
    return out


# -- splits and candidates -------------------------------------------------------------------------


def split_of(conversation_id: str | int) -> str:
    """"train" or "valid" (~20%) for a dialogue of the train slice; a stable hash, not a random draw."""
    digest = hashlib.sha1(f"redial-split:{conversation_id}".encode()).digest()
    return "valid" if int.from_bytes(digest[:8], "big") / 2**64 < VALID_SHARE else "train"


def match_movies(movies: dict[str, RedialMovie], catalog_items: list[Item]) -> dict[str, str]:
    """redial id -> candidate item id: the catalog id when normalised title and year (±1) match,
    else "redial:<id>". Several ReDial ids may share one catalog item (ReDial has duplicates)."""
    matcher = TitleMatcher(catalog_items, domain="movie", year_tolerance=1)
    out = {}
    for rid, movie in movies.items():
        item = matcher.match(movie.title, movie.year)
        out[rid] = item.id if item is not None else f"redial:{rid}"
    return out


def candidate_items(movies: dict[str, RedialMovie], catalog_items: list[Item]) -> list[Item]:
    """The ranking candidates: every ReDial movie once, as its catalog record when matched, else
    as a bare title-and-year movie. In the order of `movies`, one item per distinct id."""
    by_id = {i.id: i for i in catalog_items}
    out: dict[str, Item] = {}
    for rid, item_id in match_movies(movies, catalog_items).items():
        if item_id in out:
            continue
        movie = movies[rid]
        # two list entries have no name at all (" (2015)"): keep them rankable under a placeholder
        out[item_id] = by_id.get(item_id) or Item(
            id=item_id, domain="movie", title=movie.title or f"ReDial movie {rid}", year=movie.year,
            license="ReDial movie list, CC BY 4.0",
        )
    return list(out.values())


# -- dialogues -------------------------------------------------------------------------------------


def turns_of(dialogue: dict) -> list[tuple[str, str]]:
    """(role, raw text with "@id" kept) per turn; consecutive messages of one worker are joined."""
    seeker = dialogue.get("initiatorWorkerId")
    out: list[tuple[str, str]] = []
    for msg in dialogue.get("messages") or []:
        role = SEEKER if msg.get("senderWorkerId") == seeker else RECOMMENDER
        text = " ".join(str(msg.get("text") or "").split())
        if out and out[-1][0] == role:
            out[-1] = (role, f"{out[-1][1]} {text}".strip())
        else:
            out.append((role, text))
    return out


def seeker_liked(dialogue: dict) -> dict[str, int | None]:
    """redial id -> 1 / 0 / None from both end-of-dialogue forms (a 1 from either wins, as in
    scripts/build_interactions.py; 2, "did not say", is None)."""
    out: dict[str, int | None] = {}
    for key in ("initiatorQuestions", "respondentQuestions"):
        answers = dialogue.get(key) or {}
        if not isinstance(answers, dict):
            continue
        for rid, labels in answers.items():
            liked = labels.get("liked") if isinstance(labels, dict) else None
            if liked not in (0, 1):
                out.setdefault(rid, None)
                continue
            old = out.get(rid)
            out[rid] = liked if old is None else max(old, liked)
    return out


def mention_text(text: str, movies: dict[str, RedialMovie], dialogue: dict | None = None) -> str:
    """Replace "@123" by "Title (Year)" (the dialogue's own name for movies missing from the list)."""
    names = (dialogue or {}).get("movieMentions") or {}

    def name(m: re.Match) -> str:
        movie = movies.get(m.group(1))
        if movie is not None:
            return movie.label
        raw = names.get(m.group(1))
        return " ".join(str(raw).split()) if raw else m.group(0)

    return _MENTION.sub(name, text)


def mentioned_ids(text: str) -> list[str]:
    """ReDial ids mentioned in a raw message, in order, without repeats."""
    return list(dict.fromkeys(_MENTION.findall(text)))


def recommender_turns(
    dialogue: dict, movies: dict[str, RedialMovie], id_map: dict[str, str]
) -> list[TargetTurn]:
    """One TargetTurn per recommender turn that mentions a movie known to `id_map`.

    The history holds every earlier turn of both speakers with mentions as "Title (Year)". Targets
    are all the movies of the turn (the standard protocol); `TargetTurn.new_targets` drops those
    mentioned before (the strict protocol). `mentioned` carries the questionnaire verdicts for
    whoever wants them; using them as input leaks the end of the dialogue.
    """
    cid = str(dialogue.get("conversationId"))
    liked = seeker_liked(dialogue)
    history: list[tuple[str, str]] = []
    earlier: dict[str, Mention] = {}
    out = []
    for n, (role, raw) in enumerate(turns_of(dialogue)):
        ids = [(rid, id_map[rid]) for rid in mentioned_ids(raw) if rid in id_map]
        if role == RECOMMENDER and ids:
            targets = list(dict.fromkeys(item for _, item in ids))
            out.append(TargetTurn(cid, n, list(history), targets, list(earlier.values())))
        for rid, item in ids:
            if item not in earlier:
                earlier[item] = Mention(item, rid, n, role, liked.get(rid))
        history.append((role, mention_text(raw, movies, dialogue)))
    return out


def label_index(movies: dict[str, RedialMovie], id_map: dict[str, str]) -> dict[int, list[tuple[str, str]]]:
    """year -> [("Title (Year)", item id)], longest label first: for `find_labels`."""
    out: dict[int, list[tuple[str, str]]] = {}
    for rid, movie in movies.items():
        if movie.year is not None and movie.title and rid in id_map:
            out.setdefault(movie.year, []).append((movie.label, id_map[rid]))
    for labels in out.values():
        labels.sort(key=lambda x: -len(x[0]))
    return out


_YEAR_LABEL = re.compile(r"\((\d{4})\)")


def find_labels(text: str, index: dict[int, list[tuple[str, str]]]) -> list[str]:
    """Item ids of the "Title (Year)" labels in a history text, in order (labels without a year
    are not found). Exact and cheap: each "(YYYY)" is checked against that year's labels only."""
    found = []
    for m in _YEAR_LABEL.finditer(text):
        head = text[: m.end()]
        for label, item_id in index.get(int(m.group(1)), []):
            if head.endswith(label):
                found.append(item_id)
                break
    return list(dict.fromkeys(found))


def liked_baskets(dialogues: list[dict], id_map: dict[str, str]) -> list[list[str]]:
    """Per dialogue, the candidate ids the seeker liked (forms say liked=1): co-occurrence input."""
    out = []
    for d in dialogues:
        basket = [id_map[rid] for rid, v in seeker_liked(d).items() if v == 1 and rid in id_map]
        if basket:
            out.append(list(dict.fromkeys(basket)))
    return out


def mention_counts(dialogues: list[dict], id_map: dict[str, str]) -> dict[str, int]:
    """How many dialogues mention each candidate id (in any message): the popularity baseline."""
    counts: dict[str, int] = {}
    for d in dialogues:
        text = " ".join(str(msg.get("text") or "") for msg in d.get("messages") or [])
        for item_id in {id_map[rid] for rid in mentioned_ids(text) if rid in id_map}:
            counts[item_id] = counts.get(item_id, 0) + 1
    return counts
