"""Conversations kept in PostgreSQL, so several app replicas behind a load balancer share them.

The same tables, columns and public methods as the SQLite `SessionStore` (bot/sessions.py); chosen
by `Settings.sessions_url` ("postgresql://user:password@host:5432/db", any libpq URL) through
`bot.runtime.open_sessions`. Each process keeps one connection behind a lock, as the SQLite store
does; every write is one transaction, and a thumb locks its session row (SELECT ... FOR UPDATE) so
two replicas rating at once both count. A broken connection is reopened on the next call.

Forget-me deletes every row of the session in one transaction. Unlike the SQLite file (secure_delete),
PostgreSQL keeps dead row versions until (auto)vacuum reuses the space; they are unreachable by
queries, but a byte-level guarantee needs the database's own storage policy.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.rows import dict_row

from bot.manager import StepResult, feedback
from bot.sessions import TABLES, StoreBase, UnknownSession, feedback_row, short, valid_id
from bot.state import DialogueState

log = logging.getLogger(__name__)

SCHEMA = """
create table if not exists sessions (
    id text primary key, created_at double precision, updated_at double precision,
    answers integer not null default 0, state text);
create table if not exists turns (
    id bigserial primary key, session_id text not null, answer integer, turn integer,
    at double precision, source text, chars integer, message text, understood text, kind text);
create table if not exists shown (
    id bigserial primary key, session_id text not null, answer integer, rank integer,
    item_id text not null, score double precision);
create table if not exists feedback (
    id bigserial primary key, session_id text not null, item_id text not null, liked integer,
    at double precision, turn integer, context text);
create index if not exists turns_session on turns (session_id);
create index if not exists shown_session on shown (session_id);
create index if not exists feedback_session on feedback (session_id);
create index if not exists sessions_updated on sessions (updated_at);
"""
SCHEMA_LOCK = 0x7A57EB0D  # advisory lock: replicas starting together create the tables once


class PgSessionStore(StoreBase):
    def __init__(self, url: str, store_message_text: bool = False, idle_hours: float = 0.0):
        self._set_idle(idle_hours)
        self.url = url
        self.store_message_text = store_message_text
        self._lock = threading.RLock()
        self.conn = self._connect()
        with self._tx() as cur:
            cur.execute("select pg_advisory_xact_lock(%s)", [SCHEMA_LOCK])
            cur.execute(SCHEMA)

    def _connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url, autocommit=True, row_factory=dict_row, connect_timeout=10)

    @contextmanager
    def _tx(self) -> Iterator[psycopg.Cursor]:
        """One transaction under the process lock; a broken connection is replaced first."""
        with self._lock:
            if self.conn.closed or self.conn.broken:
                log.warning("session database connection lost; reconnecting")
                self.conn = self._connect()
            with self.conn.transaction(), self.conn.cursor() as cur:
                yield cur

    def query(self, sql: str, params: list | tuple = ()) -> list[dict]:
        """Rows of a read-only query ("?" placeholders, as for SQLite), for diagnostics and tests."""
        with self._tx() as cur:
            cur.execute(sql.replace("?", "%s"), list(params))
            return list(cur.fetchall())

    def execute(self, sql: str, params: list | tuple = ()) -> None:
        with self._tx() as cur:
            cur.execute(sql.replace("?", "%s"), list(params))

    # -- sessions ------------------------------------------------------------------------

    def create(self) -> str:
        self._maybe_purge()
        session_id = secrets.token_urlsafe(24)  # 192 random bits
        now = time.time()
        with self._tx() as cur:
            cur.execute("insert into sessions (id, created_at, updated_at, answers, state) "
                        "values (%s, %s, %s, 0, %s)", [session_id, now, now, DialogueState().to_json()])
        log.info("session %s created", short(session_id))
        return session_id

    def _row(self, session_id: str) -> dict | None:
        if not valid_id(session_id):
            return None
        with self._tx() as cur:
            row = cur.execute("select * from sessions where id = %s", [session_id]).fetchone()
        if row is not None and self._expired(row["updated_at"]):
            self.forget(session_id)
            log.info("session %s expired after %.0f idle hours", short(session_id), self.idle_seconds / 3600)
            return None
        return row

    def save(self, session_id: str, state: DialogueState) -> None:
        with self._tx() as cur:
            self._update_state(cur, session_id, state)

    def _update_state(self, cur: psycopg.Cursor, session_id: str, state: DialogueState,
                      answered: bool = False) -> int:
        row = cur.execute("update sessions set state = %s, updated_at = %s, answers = answers + %s "
                          "where id = %s returning answers",
                          [state.to_json(), time.time(), int(answered), session_id]).fetchone()
        if row is None:
            raise UnknownSession(session_id)
        return row["answers"]

    def record_turn(self, session_id: str, message: str, result: StepResult, source: str = "ui",
                    kind: str = "message") -> int:
        """Save the new state, the turn and what was shown, all or nothing. Returns the answer number."""
        with self._tx() as cur:
            answer = self._update_state(cur, session_id, result.state, answered=True)
            cur.execute(
                "insert into turns (session_id, answer, turn, at, source, chars, kind, message, understood) "
                "values (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [session_id, answer, result.state.turn, time.time(), source, len(message), kind,
                 message if self.store_message_text else None,
                 json.dumps(result.understood, ensure_ascii=False)])
            rows = [(session_id, answer, n, r.item.id, round(r.score, 5))
                    for n, r in enumerate(result.recommendations, start=1)]
            if rows:
                cur.executemany("insert into shown (session_id, answer, rank, item_id, score) "
                                "values (%s, %s, %s, %s, %s)", rows)
        return answer

    def shown_in(self, session_id: str, answer: int | None = None) -> list[str]:
        sql = "select item_id from shown where session_id = %s"
        params: list = [session_id]
        if answer is not None:
            sql += " and answer = %s"
            params.append(answer)
        with self._tx() as cur:
            return [r["item_id"] for r in cur.execute(sql + " order by answer, rank", params).fetchall()]

    def record_feedback(self, session_id: str, item_id: str, liked: bool) -> DialogueState:
        """A thumb on an item; the session row is locked so concurrent replicas never lose one."""
        if not valid_id(session_id):
            raise UnknownSession(session_id)
        with self._tx() as cur:
            row = cur.execute("select state, updated_at from sessions where id = %s for update",
                              [session_id]).fetchone()
            if row is None or self._expired(row["updated_at"]):
                raise UnknownSession(session_id)
            state = feedback(DialogueState.from_json(row["state"]), item_id, liked)
            self._update_state(cur, session_id, state)
            cur.execute("insert into feedback (session_id, item_id, liked, at, turn, context) "
                        "values (%s, %s, %s, %s, %s, %s)",
                        [session_id, item_id, int(bool(liked)), time.time(), state.turn,
                         json.dumps(state.summary(), ensure_ascii=False)])
        log.info("session %s: thumbs %s", short(session_id), "up" if liked else "down")
        return state

    def forget(self, session_id: str) -> bool:
        if not valid_id(session_id):
            return False
        with self._tx() as cur:
            for table in ("turns", "shown", "feedback"):
                cur.execute(f"delete from {table} where session_id = %s", [session_id])
            gone = cur.execute("delete from sessions where id = %s", [session_id]).rowcount
        log.info("session %s forgotten", short(session_id))
        return bool(gone)

    def purge_expired(self) -> int:
        if self.idle_seconds <= 0:
            return 0
        cutoff = time.time() - self.idle_seconds
        with self._tx() as cur:
            ids = [r["id"] for r in cur.execute("delete from sessions where updated_at < %s returning id",
                                                [cutoff]).fetchall()]
            if ids:
                for table in ("turns", "shown", "feedback"):
                    cur.execute(f"delete from {table} where session_id = any(%s)", [ids])
        return len(ids)

    def count_rows(self, session_id: str) -> dict[str, int]:
        out = {}
        with self._tx() as cur:
            for table in TABLES:
                column = "id" if table == "sessions" else "session_id"
                out[table] = cur.execute(f"select count(*) as n from {table} where {column} = %s",
                                         [session_id]).fetchone()["n"]
        return out

    # -- training data -------------------------------------------------------------------

    def feedback_rows(self) -> Iterator[dict]:
        with self._tx() as cur:
            rows = cur.execute("select * from feedback order by at, id").fetchall()
        for r in rows:
            yield feedback_row(r)

    def close(self) -> None:
        with self._lock:
            self.conn.close()
