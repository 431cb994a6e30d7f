"""Conversations kept in SQLite: sessions, turns, shown recommendations and feedback.

The chat UI and the HTTP API share one `SessionStore`, so a conversation's state lives here
and not in the browser. Privacy by default: session ids are unguessable, message text is
neither stored nor logged unless `Settings.log_message_text` is on, and `forget()` deletes
every row of a session. Feedback can be exported as JSONL training rows for finetune/:

    python -m bot.sessions export-feedback feedback.jsonl
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import secrets
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlite_utils import Database

from bot.manager import Context, StepResult, feedback, step
from bot.state import DialogueState

log = logging.getLogger(__name__)

TABLES = ("sessions", "turns", "shown", "feedback")
_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class UnknownSession(KeyError):
    """The session id is malformed, was never issued, or was forgotten."""


@dataclass
class Turn:
    """One answer as the UI and the API show it."""

    session_id: str
    result: StepResult
    answer: int  # 1 for the session's first answer, then 2, 3...


def short(session_id: str) -> str:
    """Enough of an id to follow one session through the logs, not enough to act on it."""
    return session_id[:6] + "…"


class SessionStore:
    """A small SQLite database in WAL mode; every write is one transaction.

    One connection is shared by the server's threads behind a lock: turns take milliseconds,
    and this keeps each write atomic without a connection pool.
    """

    def __init__(self, path: str | Path, store_message_text: bool = False):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.store_message_text = store_message_text
        self._lock = threading.RLock()
        conn = sqlite3.connect(str(self.path), check_same_thread=False, timeout=10)
        self.db = Database(conn)
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten, not just unlinked: "forget me" leaves nothing in the file.
        self.db.execute("PRAGMA secure_delete=ON")
        self._create_tables()

    def _create_tables(self) -> None:
        with self._lock, self.db.atomic():
            self.db["sessions"].create(
                {"id": str, "created_at": float, "updated_at": float, "answers": int, "state": str},
                pk="id", if_not_exists=True,
            )
            self.db["turns"].create(
                {"id": int, "session_id": str, "answer": int, "turn": int, "at": float, "source": str,
                 "chars": int, "message": str, "understood": str, "kind": str},
                pk="id", not_null={"session_id"}, if_not_exists=True,
            )
            self.db["shown"].create(
                {"id": int, "session_id": str, "answer": int, "rank": int, "item_id": str, "score": float},
                pk="id", not_null={"session_id", "item_id"}, if_not_exists=True,
            )
            self.db["feedback"].create(
                {"id": int, "session_id": str, "item_id": str, "liked": int, "at": float, "turn": int,
                 "context": str},
                pk="id", not_null={"session_id", "item_id"}, if_not_exists=True,
            )
            for table in ("turns", "shown", "feedback"):
                self.db[table].create_index(["session_id"], if_not_exists=True)

    # -- sessions ------------------------------------------------------------------------

    def create(self) -> str:
        session_id = secrets.token_urlsafe(24)  # 192 random bits
        now = time.time()
        with self._lock, self.db.atomic():
            self.db["sessions"].insert({"id": session_id, "created_at": now, "updated_at": now, "answers": 0,
                                        "state": DialogueState().to_json()})
        log.info("session %s created", short(session_id))
        return session_id

    def exists(self, session_id: str) -> bool:
        return self._row(session_id) is not None

    def load(self, session_id: str) -> DialogueState:
        row = self._row(session_id)
        if row is None:
            raise UnknownSession(session_id)
        return DialogueState.from_json(row["state"])

    def _row(self, session_id: str) -> dict | None:
        if not isinstance(session_id, str) or not _ID.match(session_id):
            return None
        with self._lock:
            rows = list(self.db.query("select * from sessions where id = ?", [session_id]))
        return rows[0] if rows else None

    def save(self, session_id: str, state: DialogueState) -> None:
        """Replace the state without recording a turn (a domain switch before any answer)."""
        with self._lock, self.db.atomic():
            self._update_state(session_id, state)

    def _update_state(self, session_id: str, state: DialogueState, answered: bool = False) -> int:
        cur = self.db.execute(
            "update sessions set state = ?, updated_at = ?, answers = answers + ? where id = ?",
            [state.to_json(), time.time(), int(answered), session_id],
        )
        if cur.rowcount != 1:
            raise UnknownSession(session_id)
        return self.db.execute("select answers from sessions where id = ?", [session_id]).fetchone()[0]

    def record_turn(self, session_id: str, message: str, result: StepResult, source: str = "ui",
                    kind: str = "message") -> int:
        """Save the new state, the turn and what was shown, all or nothing. Returns the answer number."""
        with self._lock, self.db.atomic():
            answer = self._update_state(session_id, result.state, answered=True)
            self.db["turns"].insert({
                "session_id": session_id, "answer": answer, "turn": result.state.turn, "at": time.time(),
                "source": source, "chars": len(message), "kind": kind,
                "message": message if self.store_message_text else None,
                "understood": json.dumps(result.understood, ensure_ascii=False),
            })
            self.db["shown"].insert_all(
                [{"session_id": session_id, "answer": answer, "rank": n, "item_id": r.item.id,
                  "score": round(r.score, 5)} for n, r in enumerate(result.recommendations, start=1)],
            )
        return answer

    def shown_in(self, session_id: str, answer: int | None = None) -> list[str]:
        """Item ids shown in one answer (default: every answer) of a session, in order."""
        sql = "select item_id from shown where session_id = ?"
        params: list = [session_id]
        if answer is not None:
            sql += " and answer = ?"
            params.append(answer)
        with self._lock:
            return [r["item_id"] for r in self.db.query(sql + " order by answer, rank", params)]

    def record_feedback(self, session_id: str, item_id: str, liked: bool) -> DialogueState:
        """A thumb on an item: the profile changes at once, and the verdict is kept for training."""
        with self._lock, self.db.atomic():
            state = feedback(self.load(session_id), item_id, liked)
            self._update_state(session_id, state)
            self.db["feedback"].insert({
                "session_id": session_id, "item_id": item_id, "liked": int(bool(liked)), "at": time.time(),
                "turn": state.turn, "context": json.dumps(state.summary(), ensure_ascii=False),
            })
        log.info("session %s: thumbs %s", short(session_id), "up" if liked else "down")
        return state

    def forget(self, session_id: str) -> bool:
        """Delete every row of a session ("forget me"). Returns whether it existed."""
        if not isinstance(session_id, str) or not _ID.match(session_id):
            return False
        with self._lock, self.db.atomic():
            for table in ("turns", "shown", "feedback"):
                self.db.execute(f"delete from {table} where session_id = ?", [session_id])
            gone = self.db.execute("delete from sessions where id = ?", [session_id]).rowcount
        with self._lock:  # fold the WAL (which still holds the old pages) back into the zeroed file
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info("session %s forgotten", short(session_id))
        return bool(gone)

    def count_rows(self, session_id: str) -> dict[str, int]:
        """Rows per table that belong to a session (what "forget me" must bring to zero)."""
        with self._lock:
            out = {"sessions": self.db.execute("select count(*) from sessions where id = ?",
                                               [session_id]).fetchone()[0]}
            for table in ("turns", "shown", "feedback"):
                out[table] = self.db.execute(f"select count(*) from {table} where session_id = ?",
                                             [session_id]).fetchone()[0]
        return out

    # -- training data -------------------------------------------------------------------

    def feedback_rows(self) -> Iterator[dict]:
        """One row per thumb: who (session), what (item), the verdict, and the profile at the time."""
        with self._lock:
            rows = list(self.db.query("select * from feedback order by at, id"))
        for r in rows:
            yield {"session": r["session_id"], "item_id": r["item_id"], "liked": bool(r["liked"]),
                   "turn": r["turn"], "at": r["at"], "context": json.loads(r["context"] or "{}")}

    def export_feedback(self, out: TextIO | str | Path) -> int:
        """Write the feedback as JSONL (see `feedback_rows`); returns how many rows."""
        if isinstance(out, (str, Path)):
            with open(out, "w", encoding="utf-8") as f:
                return self.export_feedback(f)
        n = 0
        for row in self.feedback_rows():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n

    def close(self) -> None:
        with self._lock:
            self.db.close()


# -- one turn, as the UI and the API both run it ------------------------------------------


def chat_turn(store: SessionStore, ctx: Context, session_id: str, message: str, *, domain: str | None = None,
              item_id: str | None = None, source: str = "ui", log_text: bool = False) -> Turn:
    """Load the state, apply the domain choice and a "more like this" item, step, save.

    `domain` is the selector's value ("any" clears it; None leaves it alone). `item_id` starts from
    a product page: the item counts as liked, so the answer is "more like this".
    """
    state = store.load(session_id)
    if domain is not None:
        state.constraints.domain = None if domain == "any" else domain
    if item_id:
        state = feedback(state, item_id, liked=True)
        state.seen = list(dict.fromkeys([*state.seen, item_id]))
    result = step(state, message, ctx)
    if item_id and not result.note:
        result.note = f"more like {ctx.title_of(item_id)}"
    answer = store.record_turn(session_id, message, result, source=source)
    if log_text:
        log.info("session %s turn %d: %r", short(session_id), result.state.turn, message)
    else:
        log.info("session %s turn %d: %d chars, %d picks", short(session_id), result.state.turn, len(message),
                 len(result.recommendations))
    return Turn(session_id, result, answer)


def refresh(store: SessionStore, ctx: Context, session_id: str, state: DialogueState, note: str,
            source: str = "ui", kind: str = "edit") -> Turn:
    """Recommend again after the user edited what was understood (a removed tag, a domain switch)."""
    result = step(state, "", ctx)
    result.note = note
    answer = store.record_turn(session_id, "", result, source=source, kind=kind)
    return Turn(session_id, result, answer)


def remove_tag(store: SessionStore, ctx: Context, session_id: str, kind: str, value: str | None,
               source: str = "ui") -> Turn | None:
    """Drop one understood tag and recommend again; None when there was no such tag."""
    state = store.load(session_id)
    if not state.remove_tag(kind, value):
        return None
    label = tag_label(kind, value, ctx)
    return refresh(store, ctx, session_id, state, f"dropped {label}", source=source)


# -- the "what I understood" tags -------------------------------------------------------

_KIND_LABEL = {"likes": "liking", "dislikes": "avoiding", "liked_items": "more like", "domain": "only",
               "year_min": "from", "year_max": "up to", "creators": "by"}
_DOMAIN_PLURAL = {"movie": "movies", "book": "books", "music": "music"}


@dataclass(frozen=True)
class Tag:
    kind: str  # a key accepted by DialogueState.remove_tag
    value: str
    label: str  # plain text; escape before rendering
    group: str  # "Liking", "Avoiding" or "Limits"


def tag_label(kind: str, value: str | int | None, ctx: Context | None = None) -> str:
    if kind == "liked_items" and ctx is not None:
        return f"more like {ctx.title_of(str(value))}"
    if kind == "domain":
        return f"only {_DOMAIN_PLURAL.get(str(value), value)}"
    if kind in _KIND_LABEL and kind not in ("likes", "dislikes"):
        return f"{_KIND_LABEL[kind]} {value}"
    return str(value)


def understood_tags(state: DialogueState, ctx: Context | None = None) -> list[Tag]:
    """Every tag the "what I understood" panel shows, each removable through `remove_tag`."""
    s = state.summary()
    c = s["constraints"]
    tags = [Tag("likes", v, v, "Liking") for v in s["likes"]]
    tags += [Tag("liked_items", i, tag_label("liked_items", i, ctx), "Liking") for i in s["liked_items"]]
    tags += [Tag("dislikes", v, v, "Avoiding") for v in s["dislikes"]]
    for kind in ("domain", "year_min", "year_max"):
        if c[kind] is not None:
            tags.append(Tag(kind, str(c[kind]), tag_label(kind, c[kind]), "Limits"))
    tags += [Tag("creators", n, tag_label("creators", n), "Limits") for n in c["creators"]]
    return tags


# -- command line: export the feedback ---------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    from bot.config import Settings

    parser = argparse.ArgumentParser(prog="python -m bot.sessions", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("export-feedback", help="write every thumb up/down as JSONL training rows")
    p.add_argument("out", help="output file, or - for stdout")
    p.add_argument("--db", type=Path, help="sessions database (default: Settings.sessions_path)")
    args = parser.parse_args(argv)
    path = args.db or Settings.from_env().sessions_path
    if not path.exists():
        print(f"error: no sessions database at {path}", file=sys.stderr)
        return 2
    store = SessionStore(path)
    n = store.export_feedback(sys.stdout if args.out == "-" else args.out)
    print(f"{n} feedback rows written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
