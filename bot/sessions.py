"""Conversations kept in SQLite: sessions, turns, shown recommendations and feedback.

`bot.runtime.open_sessions(settings)` picks the backend: this SQLite file by default, or PostgreSQL
(bot/sessions_pg.py, the same methods) when `Settings.sessions_url` names one, so several app
replicas share conversations. On both, a session idle longer than `Settings.session_idle_hours`
is deleted with all its rows: when it is next loaded, and by a purge run at most every few minutes.

The chat UI and the HTTP API share one `SessionStore`, so a conversation's state lives here
and not in the browser (bot/turns.py runs a turn against it). Privacy by default: session ids
are unguessable, message text is neither stored nor logged unless `Settings.log_message_text`
is on, and `forget()` deletes every row of a session. Feedback can be exported as JSONL
training rows for finetune/: `tastebud export-feedback feedback.jsonl`.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from sqlite_utils import Database

from bot.manager import StepResult, feedback
from bot.state import DialogueState

log = logging.getLogger(__name__)

TABLES = ("sessions", "turns", "shown", "feedback")
_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class UnknownSession(KeyError):
    """The session id is malformed, was never issued, or was forgotten."""


def short(session_id: str) -> str:
    """Enough of an id to follow one session through the logs, not enough to act on it."""
    return session_id[:6] + "…"


PURGE_EVERY_S = 300.0  # the idle purge runs at most this often per process (on session creation)


class StoreBase:
    """What both backends share: loading a session, idle expiry bookkeeping and the feedback export."""

    store_message_text: bool = False
    idle_seconds: float = 0.0  # 0 = sessions never expire
    _last_purge: float = 0.0

    def _set_idle(self, idle_hours: float) -> None:
        self.idle_seconds = max(0.0, float(idle_hours) * 3600.0)
        self._last_purge = 0.0

    def _expired(self, updated_at: float) -> bool:
        return self.idle_seconds > 0 and updated_at < time.time() - self.idle_seconds

    def _maybe_purge(self) -> None:
        if self.idle_seconds > 0 and time.monotonic() - self._last_purge > PURGE_EVERY_S:
            self._last_purge = time.monotonic()
            n = self.purge_expired()
            if n:
                log.info("%d idle sessions expired", n)

    def exists(self, session_id: str) -> bool:
        return self._row(session_id) is not None

    def load(self, session_id: str) -> DialogueState:
        row = self._row(session_id)
        if row is None:
            raise UnknownSession(session_id)
        return DialogueState.from_json(row["state"])

    def _row(self, session_id: str) -> dict | None:
        """The session's row, or None when the id is malformed, unknown, forgotten or expired."""
        raise NotImplementedError

    def purge_expired(self) -> int:
        raise NotImplementedError

    def feedback_rows(self) -> Iterator[dict]:
        raise NotImplementedError

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


def feedback_row(r: dict) -> dict:
    return {"session": r["session_id"], "item_id": r["item_id"], "liked": bool(r["liked"]),
            "turn": r["turn"], "at": r["at"], "context": json.loads(r["context"] or "{}")}


def valid_id(session_id: object) -> bool:
    return isinstance(session_id, str) and bool(_ID.match(session_id))


class SessionStore(StoreBase):
    """A small SQLite database in WAL mode; every write is one transaction.

    One connection is shared by the server's threads behind a lock: turns take milliseconds,
    and this keeps each write atomic without a connection pool.
    """

    def __init__(self, path: str | Path, store_message_text: bool = False, idle_hours: float = 0.0):
        self._set_idle(idle_hours)
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
            self.db["sessions"].create_index(["updated_at"], if_not_exists=True)

    # -- sessions ------------------------------------------------------------------------

    def create(self) -> str:
        self._maybe_purge()
        session_id = secrets.token_urlsafe(24)  # 192 random bits
        now = time.time()
        with self._lock, self.db.atomic():
            self.db["sessions"].insert({"id": session_id, "created_at": now, "updated_at": now, "answers": 0,
                                        "state": DialogueState().to_json()})
        log.info("session %s created", short(session_id))
        return session_id

    def _row(self, session_id: str) -> dict | None:
        if not valid_id(session_id):
            return None
        with self._lock:
            rows = list(self.db.query("select * from sessions where id = ?", [session_id]))
        if rows and self._expired(rows[0]["updated_at"]):
            if not self.db.conn.in_transaction:  # inside a write, the purge deletes it later
                self.forget(session_id)
            log.info("session %s expired after %.0f idle hours", short(session_id), self.idle_seconds / 3600)
            return None
        return rows[0] if rows else None

    def purge_expired(self) -> int:
        """Delete every session idle longer than the limit, with all its rows. Returns how many."""
        if self.idle_seconds <= 0:
            return 0
        cutoff = time.time() - self.idle_seconds
        with self._lock, self.db.atomic():
            ids = [r[0] for r in self.db.execute("select id from sessions where updated_at < ?", [cutoff])]
            for table in ("turns", "shown", "feedback"):
                self.db.execute(f"delete from {table} where session_id in "
                                "(select id from sessions where updated_at < ?)", [cutoff])
            self.db.execute("delete from sessions where updated_at < ?", [cutoff])
        return len(ids)

    def query(self, sql: str, params: list | tuple = ()) -> list[dict]:
        """Rows of a read-only query ("?" placeholders), for diagnostics and tests."""
        with self._lock:
            return [dict(r) for r in self.db.query(sql, list(params))]

    def execute(self, sql: str, params: list | tuple = ()) -> None:
        """One write statement in its own transaction ("?" placeholders), for maintenance and tests."""
        with self._lock, self.db.atomic():
            self.db.execute(sql, list(params))

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
        if not valid_id(session_id):
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
            yield feedback_row(r)

    def close(self) -> None:
        with self._lock:
            self.db.close()

