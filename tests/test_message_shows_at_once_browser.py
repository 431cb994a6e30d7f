"""In real Chromium: what the user sends shows in the chat at once, before the answer is ready.

The answer is held back by a gate (the turn waits until the test opens it), so "at once" is checked
without any timing: while the gate is shut the message must already be on the page and no answer yet.
"""

from __future__ import annotations

import threading

import pytest

from bot.api import create_app
from bot.config import Settings
from bot.sessions import SessionStore

WAIT_MS = 240_000  # generous: the CPU is shared with other workers; waits, not timing checks
ANSWERS = ("n => document.querySelectorAll('#chat .tb-turn').length >= n"
           " && !document.querySelector('#chat .tb-waiting')")


@pytest.fixture(scope="module")
def gated(ctx, tmp_path_factory, serve_app):
    """The whole product under uvicorn, with each chat turn waiting for the test to open the gate."""
    import bot.ui

    gate = threading.Event()
    real = bot.ui.chat_turn

    def held(*args, **kwargs):
        assert gate.wait(600), "the test never opened the gate"
        return real(*args, **kwargs)

    store = SessionStore(tmp_path_factory.mktemp("waiting") / "sessions.db")
    bot.ui.chat_turn = held
    try:
        with serve_app(create_app(Settings.from_env(), ctx, store)) as url:
            yield url, gate
    finally:
        bot.ui.chat_turn = real
        store.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_message_shows_before_the_answer(gated, browser, width):
    url, gate = gated
    gate.clear()
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        page.goto(url + "/")
        box = page.locator("#message textarea")
        box.fill("a <b>gothic</b> novel with a ghost")
        box.press("Enter")
        waiting = page.locator("#chat .tb-waiting .tb-user")
        waiting.wait_for()  # the gate is shut: no answer can exist yet
        said = waiting.text_content()
        assert said == "You: a gothic novel with a ghost"  # as plain text, the way the answer shows it
        assert waiting.is_visible() and waiting.bounding_box()["y"] < 844
        assert page.locator("#chat .tb-turn").count() == 0
        assert page.locator("#chat .tb-example").count() == 0  # the examples gave way to the message
        assert box.input_value() == ""

        gate.set()
        page.wait_for_function(ANSWERS, arg=1)
        turn = page.locator("#chat .tb-turn").last
        assert turn.locator(".tb-user").text_content() == said
        assert turn.locator(".tb-card").count() > 0

        gate.clear()  # a second message shows under the first answer, also before its own answer
        box.fill("something older")
        box.press("Enter")
        page.locator("#chat .tb-waiting .tb-user").wait_for()
        assert page.locator("#chat .tb-turn").count() == 1
        assert page.locator("#chat .tb-waiting .tb-user").is_visible()
        gate.set()
        page.wait_for_function(ANSWERS, arg=2)
    finally:
        gate.set()
        context.close()
