"""Durability: kill -9 the real server while feedback writes are in flight, restart it on the same
sessions file, and check that every acknowledged write is there and SQLite finds the file intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections import Counter

import httpx
import pytest

from bench.load_test import start_server, stop_server

WORKERS = 8
KILL_AFTER_ACKS = 120


def test_acknowledged_feedback_survives_kill_9(tmp_path):
    db = tmp_path / "sessions.db"
    server = start_server(tmp_path, sessions=db)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as c:
            first = c.post("/api/chat", json={"message": "a horror movie"}).json()
            items = [r["id"] for r in first["recommendations"]]
            sessions = [c.post("/api/sessions").json()["session_id"] for _ in range(WORKERS * 3)]
        assert len(items) == 5 and len(set(sessions)) == WORKERS * 3

        acked: list[tuple[str, str, int]] = []
        lock = threading.Lock()
        killed = threading.Event()
        failures: list[str] = []

        def writer(w: int) -> None:
            n = 0
            with httpx.Client(base_url=server.url, timeout=30) as c:
                while not killed.is_set() or n < 3:  # keep writing into the kill
                    sid = sessions[(w * 3 + n) % len(sessions)]
                    item, liked = items[n % len(items)], (w + n) % 2 == 0
                    n += 1
                    try:
                        r = c.post("/api/feedback", json={"session_id": sid, "item_id": item, "liked": liked})
                    except httpx.HTTPError:
                        if killed.is_set():
                            return
                        continue
                    if r.status_code == 200:
                        with lock:
                            acked.append((sid, item, int(liked)))
                    elif not killed.is_set():
                        failures.append(f"HTTP {r.status_code}: {r.text[:100]}")

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(WORKERS)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 120
        while len(acked) < KILL_AFTER_ACKS and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(server.proc.pid, signal.SIGKILL)  # mid-stream: writers are still sending
        killed.set()
        server.proc.wait(timeout=30)
        for t in threads:
            t.join(timeout=60)
        assert failures == []
        assert len(acked) >= KILL_AFTER_ACKS, f"only {len(acked)} writes acknowledged before the deadline"
    finally:
        if server.proc.poll() is None:
            stop_server(server)

    # what is really in the file, read by a fresh connection (this also replays the WAL)
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = Counter(con.execute("select session_id, item_id, liked from feedback").fetchall())
    finally:
        con.close()
    missing = Counter(acked) - stored
    assert not missing, f"{sum(missing.values())} acknowledged writes lost: {list(missing)[:3]}"

    # the restarted server opens the same file and carries on with the old sessions
    again = start_server(tmp_path, sessions=db)
    try:
        with httpx.Client(base_url=again.url, timeout=60) as c:
            r = c.post("/api/feedback", json={"session_id": sessions[0], "item_id": items[0], "liked": True})
            assert r.status_code == 200
            r = c.post("/api/chat", json={"session_id": sessions[1], "message": "another one"})
            assert r.status_code == 200 and r.json()["session_id"] == sessions[1]
    finally:
        stop_server(again)
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("select count(*) from feedback").fetchone()[0] >= len(acked) + 1
    finally:
        con.close()


def test_a_truncated_weight_file_fails_fast_with_a_clear_message(tmp_path):
    # tests/test_models.py covers a flipped byte and a missing file; a cut-off download is the other case
    from bot import models
    from bot.models import ModelFileError

    pinned = models.SMOLLM2.parts[0]
    src = pinned.locate()
    cut = tmp_path / src.name
    with open(src, "rb") as fin, open(cut, "wb") as fout:
        fout.write(fin.read(src.stat().st_size // 3))
    with pytest.raises(ModelFileError) as err:
        models.verify_file(cut, pinned.sha256, fix=pinned.fix, label=pinned.label)
    msg = str(err.value)
    assert "altered or corrupt" in msg and f"size {cut.stat().st_size} bytes" in msg
    assert pinned.fix in msg and pinned.sha256 in msg
