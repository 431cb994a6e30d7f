"""The session store on a real SQLite file and on a real PostgreSQL server (the `store` fixture runs each
backend-neutral test on both): atomic writes, forget-me, feedback export, privacy, idle expiry; WAL and
overwritten bytes on SQLite."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time

import pytest

from bot.cli import main as cli
from bot.config import Settings
from bot.manager import StepResult
from bot.ranking import Recommendation
from bot.sessions import SessionStore, UnknownSession
from bot.state import DialogueState
from bot.tags import understood_tags
from bot.turns import chat_turn, remove_tag
from retrieval import Item

SECRET = "zq4471"  # a word no catalog facet matches; it must never reach a log line or the database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = SessionStore(tmp_path / "sessions.db")
    else:
        from bot.sessions_pg import PgSessionStore

        s = PgSessionStore(request.getfixturevalue("pg_url"))
    yield s
    s.close()


def backend_errors() -> tuple[type[Exception], ...]:
    import psycopg

    return (sqlite3.IntegrityError, psycopg.IntegrityError)


def rows_mentioning(path, session_id: str) -> dict[str, int]:
    """Count rows per table that carry the id, read through a separate connection."""
    con = sqlite3.connect(path)
    try:
        out = {"sessions": con.execute("select count(*) from sessions where id = ?",
                                       [session_id]).fetchone()[0]}
        for table in ("turns", "shown", "feedback"):
            out[table] = con.execute(f"select count(*) from {table} where session_id = ?",
                                     [session_id]).fetchone()[0]
        return out
    finally:
        con.close()


def test_file_is_in_wal_mode_with_the_four_tables(tmp_path):
    store = SessionStore(tmp_path / "sessions.db")
    con = sqlite3.connect(store.path)
    assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in con.execute("select name from sqlite_master where type = 'table'")}
    assert {"sessions", "turns", "shown", "feedback"} <= tables


def test_session_ids_are_random_and_checked(store):
    ids = [store.create() for _ in range(50)]
    assert len(set(ids)) == 50
    assert all(len(i) >= 32 and i.replace("-", "").replace("_", "").isalnum() for i in ids)
    assert len({i[:8] for i in ids}) == 50  # not a counter or a timestamp prefix
    for bad in ["", "nope", "../../etc/passwd", "x" * 500, ids[0] + "'; drop table sessions; --"]:
        assert not store.exists(bad)
        with pytest.raises(UnknownSession):
            store.load(bad)
    assert store.load(ids[0]).to_json() == DialogueState().to_json()


def test_turns_feedback_and_forget_me_leave_no_rows(tmp_path, ctx):
    # message text is stored here on purpose, to prove that forgetting removes it from the file too
    store = SessionStore(tmp_path / "sessions.db", store_message_text=True)
    keep = store.create()
    chat_turn(store, ctx, keep, "a gothic novel with a ghost in it")
    sid = store.create()
    first = chat_turn(store, ctx, sid, f"a mind-bending sci-fi movie {SECRET}")
    second = chat_turn(store, ctx, sid, "something older")
    assert (first.answer, second.answer) == (1, 2)
    assert store.shown_in(sid, 1) == [r.item.id for r in first.result.recommendations]
    store.record_feedback(sid, first.result.recommendations[0].item.id, liked=False)
    assert rows_mentioning(store.path, sid) == {"sessions": 1, "turns": 2, "shown": 10, "feedback": 1}

    assert store.forget(sid) is True
    assert rows_mentioning(store.path, sid) == {"sessions": 0, "turns": 0, "shown": 0, "feedback": 0}
    assert store.count_rows(sid) == {"sessions": 0, "turns": 0, "shown": 0, "feedback": 0}
    # deleted content is overwritten, not left in free pages or the WAL
    raw = store.path.read_bytes() + (store.path.with_name("sessions.db-wal").read_bytes()
                                     if store.path.with_name("sessions.db-wal").exists() else b"")
    assert sid.encode() not in raw and SECRET.encode() not in raw
    # the other conversation is untouched
    assert rows_mentioning(store.path, keep) == {"sessions": 1, "turns": 1, "shown": 5, "feedback": 0}
    assert store.forget(sid) is False
    with pytest.raises(UnknownSession):
        chat_turn(store, ctx, sid, "anything")
    store.close()


def test_message_text_is_not_stored_or_logged_by_default(store, ctx, caplog):
    caplog.set_level(logging.DEBUG)
    sid = store.create()
    chat_turn(store, ctx, sid, f"a feel-good comedy {SECRET}")
    row = store.query("select * from turns where session_id = ?", [sid])[0]
    assert row["message"] is None and row["chars"] == len(f"a feel-good comedy {SECRET}")
    assert "comedy" in row["understood"]  # what was understood is kept: that is the profile
    assert caplog.records, "the turn should be logged"
    assert SECRET not in caplog.text and sid not in caplog.text  # ids are shortened in logs
    caplog.clear()
    chat_turn(store, ctx, sid, f"something older {SECRET}", log_text=True)  # opt-in, for debugging
    assert SECRET in caplog.text


def test_feedback_changes_the_profile_and_exports_as_training_rows(store, ctx, tmp_path):
    sid = store.create()
    turn = chat_turn(store, ctx, sid, "a mind-bending sci-fi movie")
    up, down = (r.item.id for r in turn.result.recommendations[:2])
    store.record_feedback(sid, up, liked=True)
    state = store.record_feedback(sid, down, liked=False)
    assert store.load(sid).to_json() == state.to_json()
    assert up in state.liked_items and down in state.rejected
    assert any(t.kind == "liked_items" and t.value == up for t in understood_tags(state, ctx))

    out = tmp_path / "feedback.jsonl"
    assert store.export_feedback(out) == 2
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["item_id"], r["liked"]) for r in rows] == [(up, True), (down, False)]
    assert all(r["session"] == sid for r in rows)
    context = rows[0]["context"]
    assert "science fiction" in context["likes"] and context["constraints"]["domain"] == "movie"
    # and from the command line
    cli_out = tmp_path / "cli.jsonl"
    where = ["--sessions-url", store.url] if hasattr(store, "url") else ["--db", str(store.path)]
    assert cli(["export-feedback", str(cli_out), *where]) == 0
    assert cli_out.read_text() == out.read_text()


def test_removing_a_tag_recommends_again_without_it(store, ctx):
    sid = store.create()
    chat_turn(store, ctx, sid, "a mind-bending sci-fi movie")
    turn = remove_tag(store, ctx, sid, "likes", "science fiction")
    assert turn is not None and turn.answer == 2 and "dropped science fiction" in turn.result.note
    assert "science fiction" not in store.load(sid).summary()["likes"]
    assert len(turn.result.recommendations) == 5
    assert remove_tag(store, ctx, sid, "likes", "science fiction") is None  # nothing left to drop


def test_a_failed_write_changes_nothing(store):
    sid = store.create()
    before = store.load(sid).to_json()
    changed = DialogueState(turn=7)
    broken = Recommendation(Item(None, "movie", "No id"), 1.0, "")  # shown.item_id is NOT NULL
    with pytest.raises(backend_errors()):
        store.record_turn(sid, "hello", StepResult(changed, [broken], changed.summary()))
    assert store.load(sid).to_json() == before  # the state update was rolled back with it
    assert store.count_rows(sid) == {"sessions": 1, "turns": 0, "shown": 0, "feedback": 0}


def test_threads_can_write_at_once(store):
    sid = store.create()
    errors = []

    def thumbs(n: int) -> None:
        try:
            for i in range(10):
                store.record_feedback(sid, f"movie:{n}:{i}", liked=bool(i % 2))
        except Exception as err:  # collected: an exception in a thread would not fail the test
            errors.append(err)

    threads = [threading.Thread(target=thumbs, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count_rows(sid)["feedback"] == 40
    state = store.load(sid)
    assert len(state.liked_items) + len(state.rejected) == 40


def test_privacy_settings(tmp_path):
    s = Settings.from_env({"TASTEBUD_CACHE_DIR": str(tmp_path)})
    assert s.log_message_text is False and s.sessions_path == tmp_path / "sessions.db"
    s = Settings.from_env({"TASTEBUD_SESSIONS_FILE": str(tmp_path / "s.db"),
                           "TASTEBUD_LOG_MESSAGE_TEXT": "on", "TASTEBUD_MAX_MESSAGE_CHARS": "200",
                           "TASTEBUD_ALLOWED_ORIGINS": "https://a.example"})
    assert s.sessions_path == tmp_path / "s.db" and s.log_message_text is True
    assert s.max_message_chars == 200 and s.allowed_origins == "https://a.example"
    with pytest.raises(ValueError, match="TASTEBUD_LOG_MESSAGE_TEXT"):
        Settings.from_env({"TASTEBUD_LOG_MESSAGE_TEXT": "sometimes"})


def test_idle_sessions_expire_on_load_and_by_the_purge(store):
    store._set_idle(1.0)  # one idle hour, as TASTEBUD_SESSION_IDLE_HOURS=1 would give
    fresh, stale, old = store.create(), store.create(), store.create()
    store.record_feedback(stale, "movie:x", liked=True)
    store.record_feedback(old, "movie:y", liked=False)
    two_hours_ago = time.time() - 7200
    for sid in (stale, old):
        store.execute("update sessions set updated_at = ? where id = ?", [two_hours_ago, sid])
    # loading an expired session finds nothing, and deletes it with every row
    assert not store.exists(stale)
    with pytest.raises(UnknownSession):
        store.load(stale)
    assert store.count_rows(stale) == {"sessions": 0, "turns": 0, "shown": 0, "feedback": 0}
    with pytest.raises(UnknownSession):
        store.record_feedback(old, "movie:z", liked=True)  # a thumb does not revive it either
    # the purge removes the one nobody came back to, and nothing else
    assert store.purge_expired() == 1
    assert store.count_rows(old) == {"sessions": 0, "turns": 0, "shown": 0, "feedback": 0}
    assert store.exists(fresh) and store.purge_expired() == 0
    store._set_idle(0)  # 0 = never expire
    store.execute("update sessions set updated_at = ? where id = ?", [0.0, fresh])
    assert store.exists(fresh) and store.purge_expired() == 0


def test_settings_choose_the_backend(tmp_path):
    from bot.runtime import open_sessions

    s = Settings.from_env({"TASTEBUD_CACHE_DIR": str(tmp_path), "TASTEBUD_SESSION_IDLE_HOURS": "2"})
    assert s.sessions_url is None and s.session_idle_hours == 2.0
    store = open_sessions(s)
    assert isinstance(store, SessionStore) and store.idle_seconds == 7200
    store.close()
    with pytest.raises(ValueError, match="postgresql://"):
        open_sessions(Settings.from_env({"TASTEBUD_SESSIONS_URL": "mysql://x/y"}))


@pytest.mark.postgres
def test_settings_open_postgresql(pg_url):
    from bot.runtime import open_sessions
    from bot.sessions_pg import PgSessionStore

    store = open_sessions(Settings.from_env({"TASTEBUD_SESSIONS_URL": pg_url,
                                             "TASTEBUD_SESSION_IDLE_HOURS": "0.5"}))
    assert isinstance(store, PgSessionStore) and store.idle_seconds == 1800
    sid = store.create()
    other = PgSessionStore(pg_url)  # a second process would open its own connection like this
    assert other.exists(sid)
    other.record_feedback(sid, "movie:x", liked=True)
    assert "movie:x" in store.load(sid).liked_items
    assert other.forget(sid) is True  # forget-me on one replica is forgotten on all
    assert not store.exists(sid)
    assert store.count_rows(sid) == {"sessions": 0, "turns": 0, "shown": 0, "feedback": 0}
    other.close()
    store.close()
