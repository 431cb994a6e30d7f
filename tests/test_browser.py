"""Used as a person would: real Chromium (headless) against the real server on a free port.

The chat page: two turns from an example and the message box, cards, a thumb that shows in the tags,
a quick reply, a tag removal, hostile text, forget me with its confirmation. The widget: the example
product page, served from another origin, asks the API through CORS and answers "more like this".
Screenshots go to test-output/browser/.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.api import EXAMPLE_BASE, create_app
from bot.config import Settings
from bot.sessions import SessionStore
from tests.conftest import BROWSER_SHOTS

REPO = Path(__file__).resolve().parent.parent
SHOTS = BROWSER_SHOTS
ANSWER_DONE = """n => document.querySelectorAll('#chat .tb-turn').length >= n
  && ![...document.querySelectorAll('#chat .tb-why')].some(e => e.textContent.trim() === '…')"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = SessionStore(tmp_path_factory.mktemp("browser") / "sessions.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def server(ctx, store, serve_app):
    """The whole product (FastAPI + Gradio + widget) under uvicorn, as scripts/start.sh serves it."""
    with serve_app(create_app(Settings.from_env(), ctx, store)) as url:
        yield url


def sql(store: SessionStore, query: str, *params) -> list[tuple]:
    con = sqlite3.connect(store.path)  # a separate connection: what is really in the file
    try:
        return con.execute(query, params).fetchall()
    finally:
        con.close()


def rows(store: SessionStore, sid: str) -> dict[str, int]:
    out = {"sessions": sql(store, "select count(*) from sessions where id = ?", sid)[0][0]}
    for t in ("turns", "shown", "feedback"):
        out[t] = sql(store, f"select count(*) from {t} where session_id = ?", sid)[0][0]
    return out


def card_titles(page, answer: int) -> list[str]:
    """Titles of the cards of one answer (1 for the first), read from their thumbs' labels."""
    thumbs = page.locator("#chat .tb-turn").nth(answer - 1).locator(".tb-down")
    return [label.split(": ", 1)[1] for label in thumbs.evaluate_all("els => els.map(e => e.ariaLabel)")]


def test_chat_page_as_a_new_user(page, server, store, ctx):
    from playwright.sync_api import expect

    movies = {i.title for i in ctx.catalog.items.values() if i.domain == "movie"}
    understood = page.locator("#understood")
    replies = page.locator("#chat .tb-reply")
    page.goto(server + "/")
    expect(page.get_by_text("Tell me something you like")).to_be_visible()
    page.screenshot(path=SHOTS / "01-welcome.png")

    # turn 1: a first-time user clicks an example
    page.get_by_role("button", name="a mind-bending sci-fi movie").click()
    page.wait_for_function(ANSWER_DONE, arg=1)
    first = card_titles(page, 1)
    assert len(first) == 5 and all(t in movies for t in first), first
    expect(understood).to_contain_text("Liking: science fiction")
    expect(page.get_by_role("button", name="More like the first one")).to_be_visible()
    assert page.locator("#chat .tb-reply button").count() == 0  # no feedback controls on the reply
    page.screenshot(path=SHOTS / "02-first-answer.png")

    # turn 2: typed
    page.locator("#message textarea").fill("something older")
    page.locator("#message textarea").press("Enter")
    page.wait_for_function(ANSWER_DONE, arg=2)
    second = card_titles(page, 2)
    assert all(t in movies for t in second) and not set(first) & set(second)
    expect(understood).to_contain_text("Limits: up to")
    sid = sql(store, "select session_id from turns order by id desc limit 1")[0][0]

    # a thumb down on the second card of the second answer: it shows on the card and in the tags
    card = page.locator("#chat .tb-turn").nth(1).locator(".tb-card").nth(1)
    card.get_by_role("button", name="Not for me").click()
    expect(card).to_contain_text("Turned down")
    expect(understood).to_contain_text(f"Avoiding: {second[1]} (turned down)")
    disliked = sql(store, "select item_id, liked from feedback where session_id = ?", sid)
    assert len(disliked) == 1 and ctx.catalog.get(disliked[0][0]).title == second[1] and disliked[0][1] == 0
    assert disliked[0][0] in store.load(sid).rejected
    page.screenshot(path=SHOTS / "03-thumb-down.png")

    # a quick reply
    page.get_by_role("button", name="More like the first one").click()
    page.wait_for_function(ANSWER_DONE, arg=3)
    third = card_titles(page, 3)
    assert second[1] not in third
    expect(understood).to_contain_text(f"Liking: more like {second[0]}")

    # remove a tag in the "what I understood" bar
    understood.get_by_role("button", name="Drop Liking: science fiction").click()
    page.wait_for_function(ANSWER_DONE, arg=4)
    expect(replies.nth(3)).to_contain_text("dropped science fiction")
    expect(understood).not_to_contain_text("science fiction")
    assert "science fiction" not in store.load(sid).summary()["likes"]
    page.screenshot(path=SHOTS / "04-tag-removed.png", full_page=True)

    # the domain selector switches what is recommended at once
    page.locator("#domain").get_by_text("Books").click()
    page.wait_for_function(ANSWER_DONE, arg=5)
    expect(understood).to_contain_text("Limits: only books")
    books = {i.title for i in ctx.catalog.items.values() if i.domain == "book"}
    assert all(t in books for t in card_titles(page, 5))

    # hostile text is shown as text and runs nothing
    page.locator("#message textarea").fill('<img src=x onerror="window.__pwned=1"> a horror movie')
    page.locator("#message textarea").press("Enter")
    page.wait_for_function(ANSWER_DONE, arg=6)
    expect(page.locator("#chat .tb-user").last).to_contain_text("a horror movie")  # tag stripped
    assert page.locator('#chat img[src="x"]').count() == 0
    assert page.evaluate("window.__pwned === undefined")

    # forget me asks first (cancel keeps everything), then deletes every row and says what it deleted
    assert rows(store, sid) == {"sessions": 1, "turns": 6, "shown": 30, "feedback": 1}
    page.get_by_role("button", name="Forget me…").click()
    expect(page.get_by_text("This cannot be undone")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("This cannot be undone")).to_be_hidden()
    assert rows(store, sid)["sessions"] == 1
    page.get_by_role("button", name="Forget me…").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator("#chat .tb-turn")).to_have_count(0)
    expect(page.locator("#chat .tb-notice")).to_have_text(
        "Deleted from the server: this conversation, 6 answers, 30 shown picks and 1 thumb. "
        "Nothing of it is kept.")
    assert rows(store, sid) == {"sessions": 0, "turns": 0, "shown": 0, "feedback": 0}
    page.screenshot(path=SHOTS / "05-forgotten.png")


@pytest.fixture
def shop(server, serve_pages):
    """The example product page on its own origin, its script tag pointed at the test server."""
    html = (REPO / "examples" / "product.html").read_text(encoding="utf-8").replace(EXAMPLE_BASE, server)
    assert server in html
    with serve_pages({"/product.html": html}) as url:
        yield f"{url}/product.html"


def test_widget_on_the_example_product_page(page, server, shop, store, ctx):
    from playwright.sync_api import expect

    widget = page.locator("#tastebud-widget")  # Playwright's CSS locators pierce its open shadow root
    page.goto(shop)
    expect(page.get_by_role("heading", name="Arrival")).to_be_visible()
    widget.locator(".bubble").click()
    expect(widget.locator(".card")).to_have_count(5)
    expect(widget.locator(".msg.bot").first).to_contain_text("more like Arrival")
    titles = [t.split(": ", 1)[1] for t in
              widget.locator(".thumb.down").evaluate_all("els => els.map(e => e.ariaLabel)")]
    movies = {i.title for i in ctx.catalog.items.values() if i.domain == "movie"}
    assert all(t in movies for t in titles) and "Arrival" not in titles
    for href in widget.locator(".card a.src").evaluate_all("els => els.map(a => a.href)"):
        assert href.startswith("https://")
    page.screenshot(path=SHOTS / "06-widget.png")

    sid = page.evaluate("k => sessionStorage.getItem(k)", f"tastebud-session:{server}")
    assert sid and store.load(sid).liked_items == ["movie:wp:Arrival_(film)"]
    widget.locator(".card").first.get_by_role("button", name="More like this").click()
    expect(widget.locator(".card").first.locator('.thumb[aria-pressed="true"]')).to_have_count(1)
    liked = sql(store, "select item_id, liked from feedback where session_id = ?", sid)
    assert [(ctx.catalog.get(i).title, v) for i, v in liked] == [(titles[0], 1)]

    widget.locator("input").fill("<b>older</b> ones please")
    widget.locator("input").press("Enter")
    expect(widget.locator(".card")).to_have_count(10)
    expect(widget.locator(".msg.user").last).to_have_text("<b>older</b> ones please")
    assert widget.locator(".log b").count() == 0
    page.screenshot(path=SHOTS / "07-widget-second-turn.png")

    widget.get_by_role("button", name="Forget me…").click()
    widget.get_by_role("button", name="Yes, delete it").click()
    notice = widget.locator(".msg.notice")
    expect(notice).to_contain_text("Deleted from the server: this conversation, 2 answers,")
    assert rows(store, sid) == {"sessions": 0, "turns": 0, "shown": 0, "feedback": 0}
    assert page.evaluate("k => sessionStorage.getItem(k)", f"tastebud-session:{server}") is None


def test_api_docs_page_works_offline(page, server):
    from playwright.sync_api import expect

    page.goto(server + "/docs")
    expect(page.get_by_text("/api/chat").first).to_be_visible()
    expect(page.get_by_text("/api/sessions/{session_id}").first).to_be_visible()
    page.screenshot(path=SHOTS / "08-api-docs.png")
