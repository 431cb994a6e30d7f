"""Hostile and odd input through the step, the API and the chat app: a deterministic slice of the
bench's generator (bench/hostile.py; the 10,000-utterance run is in bench/results/hostile.json) plus
hypothesis properties. Never a crash, never an item outside the catalog, never raw markup out."""

from __future__ import annotations

import html
import json
import re
import socket

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.hostile import (
    CATEGORIES,
    CJK,
    CONTROL,
    EMOJI,
    MARKUP,
    ODD_UNICODE,
    RTL,
    api_texts,
    check_result,
    hostile_utterances,
    huge,
    markdown_problems,
    plain_problems,
    run_steps,
)
from bot.api import create_app
from bot.config import Settings
from bot.manager import step
from bot.sessions import SessionStore
from bot.state import DialogueState

PROPERTY = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
JSON = {"Content-Type": "application/json"}


def test_the_generator_is_deterministic_and_covers_every_category():
    a, b = list(hostile_utterances(200, seed=3)), list(hostile_utterances(200, seed=3))
    assert a == b and a != list(hostile_utterances(200, seed=4))
    assert {c for c, _ in a} == set(CATEGORIES)
    assert [c for c, _ in a[:len(CATEGORIES)]] == list(CATEGORIES)


def test_the_checks_catch_raw_markup():
    # the checkers themselves must be able to fail, or a clean bench means nothing
    assert markdown_problems("hi <script>alert(1)</script>")
    assert markdown_problems("[x](javascript:alert(1))")
    assert not markdown_problems(r"\[x\]\(javascript:alert\(1\)\) and [CC BY-SA](https://example.org/a%28b%29)")
    assert plain_problems(["<img src=x onerror=alert(1)>"]) and not plain_problems(["a < b and 3>2"])


def test_a_slice_of_the_generator_through_the_step(ctx):
    tally = run_steps(ctx, 130, seed=11)
    assert tally.crashes == []
    assert tally.problems == []
    assert tally.n == 130


def test_lone_surrogates_and_non_strings_are_answered(ctx):
    for text in ["\ud800 a horror movie", "I loved Inception \udc80"]:
        r = step(DialogueState(), text, ctx)
        assert check_result(r, ctx) == [] and r.recommendations
    r = step(DialogueState(), "\udfff\ud800", ctx)  # nothing to understand: a question, no picks
    assert check_result(r, ctx) == [] and r.intent == "clarify" and not r.recommendations
    r = step(DialogueState(), None, ctx)  # type: ignore[arg-type]
    assert r.recommendations and check_result(r, ctx) == []


def test_a_200k_message_is_cut_with_a_notice(ctx):
    text = huge(0)
    assert len(text) == 200_000 and text.startswith("a ")  # a real request first, then noise
    r = step(DialogueState(), text, ctx)
    assert r.note.startswith("I read only the first 2,000 characters")
    assert check_result(r, ctx) == [] and len(r.recommendations) == 5
    short = step(DialogueState(), text[:1500], ctx)
    assert "characters" not in short.note


@pytest.mark.parametrize("text", ["أريد فيلم خيال علمي", "我喜欢科幻电影", "🍿🎬", "\u202eevom rorroh a",
                                  "ホラー映画が見たい", "\x00\x1b[31m\x07"])
def test_foreign_scripts_emoji_and_control_text_get_a_graceful_answer(ctx, text):
    from bot.reply import reply_text

    r = step(DialogueState(), text, ctx)
    assert check_result(r, ctx) == []
    if r.recommendations:
        assert reply_text(r).startswith(("Here are", "Got it", "明白了", "从目录里"))
    else:  # nothing understood: the bot asks what the user wants instead of guessing (bot/talk.py)
        assert r.intent == "clarify" and reply_text(r).rstrip().endswith(("?", "？"))


@PROPERTY
@given(text=st.text(max_size=400))
def test_property_any_text_is_answered_from_the_catalog(ctx, text):
    r = step(DialogueState(), text, ctx)
    assert check_result(r, ctx) == []


hostile_piece = st.sampled_from(MARKUP + CJK + RTL + EMOJI + ODD_UNICODE + CONTROL + ["a horror movie",
                                "I loved Inception", "something older", "not these", "directed by"])


@PROPERTY
@given(turns=st.lists(st.lists(hostile_piece, min_size=1, max_size=5).map(" ".join), min_size=1, max_size=4))
def test_property_conversations_of_hostile_pieces(ctx, turns):
    state = DialogueState()
    for text in turns:
        r = step(state, text, ctx)
        assert check_result(r, ctx) == []
        state = r.state
    json.loads(state.to_json())  # the state still round-trips as JSON (it is stored as such)


# -- the API -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(ctx, tmp_path_factory):
    store = SessionStore(tmp_path_factory.mktemp("hostile") / "sessions.db")
    with TestClient(create_app(Settings.from_env(), ctx, store)) as c:
        yield c
    store.close()


def test_api_answers_a_slice_of_the_generator(client, ctx):
    cases = list(hostile_utterances(40, seed=5)) + [("unicode", "\ud800 a horror movie \udfff")]
    sid = None
    for i, (category, text) in enumerate(cases):
        body = {"message": text, **({"session_id": sid} if sid and i % 4 else {})}
        # raw JSON: ensure_ascii escapes lone surrogates as \ud800, which JSON allows
        r = client.post("/api/chat", content=json.dumps(body).encode(), headers=JSON)
        assert r.status_code in (200, 422), (category, text[:40], r.status_code, r.text[:200])
        data = r.json()
        if r.status_code == 422:
            assert data["error"] and (not text.strip() or len(text.strip()) > 1000), (category, data)
            continue
        sid = data["session_id"]
        assert all(ctx.catalog.get(c["id"]) for c in data["recommendations"])
        assert plain_problems(api_texts(data)) == []
        assert all(c["url"] is None or c["url"].startswith(("http://", "https://"))
                   for c in data["recommendations"])


def test_api_refuses_a_200k_message_with_a_clear_error(client):
    r = client.post("/api/chat", json={"message": huge(1)})
    assert r.status_code == 422 and "limit is 1000" in r.json()["error"]


# -- the chat app (Gradio, served) -----------------------------------------------------------


def test_the_chat_app_cuts_an_overlong_message_with_a_notice(ctx, tmp_path):
    from gradio_client import Client

    from bot import ui as app

    store = SessionStore(tmp_path / "sessions.db")
    demo = app.build_app(ctx, store)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}", verbose=False)
        text = huge(2)
        box, chat, _, _ = client.predict(text, "any", api_name="/chat")
        assert box == "" and "I read only the first 1,000 characters" in html.unescape(chat)
        said = chat.split('tb-user">', 1)[1].split("</div>", 1)[0]
        assert len(said) < 10_000  # the user's message is shown cut, not 200k characters
        assert re.search(r"<[a-zA-Z!?/]", said.split("</span>", 1)[1]) is None  # the markup in it is escaped
        # the first 1,000 characters may ask for more than any item has: an answer without picks is fine
        ids = [html.unescape(i) for i in re.findall(r'<li class="tb-card[^"]*" data-id="([^"]+)"', chat)]
        assert all(ctx.catalog.get(i) for i in ids)
    finally:
        demo.close()
        store.close()
