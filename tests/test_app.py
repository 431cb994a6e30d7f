"""The chat app as served: a page on localhost that answers with real catalog items."""

from __future__ import annotations

import socket
import urllib.request

import pytest

from bot.render import md_escape
from bot.state import DialogueState


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(ctx):
    import app

    demo = app.build_app(ctx)
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}"
    demo.close()


def test_page_is_served_offline(served):
    html = urllib.request.urlopen(served + "/", timeout=30).read().decode()
    assert "tastebud" in html
    assert "googletagmanager" not in html and "fonts.googleapis" not in html


def test_chat_answers_with_catalog_items(served, ctx):
    from gradio_client import Client

    client = Client(served, verbose=False)
    # the dialogue state is a gr.State: kept per session by the server, not part of the API
    box, history, understood = client.predict("a mind-bending sci-fi movie", [], "any", api_name="/respond")
    assert box == ""
    content = history[-1]["content"]  # Gradio 6: a list of {"type": "text", "text": ...} parts
    reply = content if isinstance(content, str) else "".join(p.get("text", "") for p in content)
    assert "Here are 5 picks" in reply
    titles = [line.split("**")[1] for line in reply.splitlines() if line.startswith("**")]
    assert len(titles) == 5
    movies = {md_escape(i.title) for i in ctx.catalog.items.values() if i.domain == "movie"}
    for title in titles:
        assert title.split(". ", 1)[1] in movies
    assert "science fiction" in understood.lower()


def test_markup_in_messages_is_escaped(ctx):
    import app

    result_md = app.understood_markdown(DialogueState())
    assert "Liking" in result_md
    from bot.manager import step

    r = step(DialogueState(), "<img src=x onerror=alert(1)> a horror movie", ctx)
    rendered = app.answer(r)
    assert "<img" not in rendered and "onerror=alert" not in rendered.replace("onerror\\=", "")
