"""Two app processes on different ports, one PostgreSQL database: a conversation started on one
replica goes on on the other (as behind a load balancer), thumbs and forget-me included."""

from __future__ import annotations

import httpx
import pytest

from bench.load_test import start_server, stop_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_two_replicas_share_one_conversation(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("TASTEBUD_SESSIONS_URL", pg_url)
    a = start_server(tmp_path, api_threads=4, gradio_concurrency=1)
    try:
        b = start_server(tmp_path, api_threads=4, gradio_concurrency=1)
        try:
            assert a.url != b.url
            with httpx.Client(timeout=60) as c:
                first = c.post(a.url + "/api/chat", json={"message": "a mind-bending sci-fi movie"}).json()
                sid = first["session_id"]
                second = c.post(b.url + "/api/chat", json={"session_id": sid, "message": "something older"})
                assert second.status_code == 200, second.text
                second = second.json()
                assert second["answer"] == 2  # B counted A's answer: one conversation
                assert second["understood"]["constraints"]["domain"] == "movie"
                assert "science fiction" in second["understood"]["likes"]
                liked = second["recommendations"][0]["id"]
                r = c.post(a.url + "/api/feedback", json={"session_id": sid, "item_id": liked, "liked": True})
                assert r.status_code == 200
                third = c.post(b.url + "/api/chat", json={"session_id": sid, "message": "another one"}).json()
                assert third["answer"] == 3 and liked in third["understood"]["liked_items"]
                assert c.delete(b.url + f"/api/sessions/{sid}").status_code == 200  # forget me on B ...
                gone = c.post(a.url + "/api/chat", json={"session_id": sid, "message": "hello"})
                assert gone.status_code == 404  # ... is forgotten on A
        finally:
            stop_server(b)
    finally:
        stop_server(a)
