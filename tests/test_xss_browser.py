"""XSS in real Chromium: a small real catalog whose titles, descriptions, creators, tags, licences and
links carry <script>, onerror= and javascript: payloads, served by the real server on a free port.
In the chat page and in the widget on the example page, every payload must stay inert: no dialog,
no injected global, no javascript: link, no event-handler attribute. Screenshots: test-output/xss/.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from bot.api import create_app
from bot.config import Settings
from bot.context import Context
from bot.sessions import SessionStore
from retrieval import Catalog, Item
from retrieval.items import write_jsonl_gz

REPO = Path(__file__).resolve().parent.parent
SHOTS = REPO / "test-output" / "xss"
WAIT_MS = 90_000  # a wait on a shared CPU, not a timing check
ARRIVAL = "movie:wp:Arrival_(film)"  # the item the example product page starts from

HOSTILE = [
    Item(ARRIVAL, "movie", "Arrival <script>window.__xss='title'</script>", 2016,
         ("<img src=x onerror=\"window.__xss='creator'\">",), ("Science Fiction", "<svg onload=alert(1)>"),
         "<img src=x onerror=\"window.__xss='desc';alert('desc')\"> A linguist talks to aliens.",
         "javascript:window.__xss='url'", "<b onmouseover=\"window.__xss='license'\">CC BY-SA</b>"),
    Item("m:img", "movie", "<img src=x onerror=alert(document.domain)>Space Station", 2001,
         ("Jane Doe",), ("Science Fiction",),
         "[free tickets](javascript:alert(1)) <a href=\"javascript:alert(2)\">here</a> a space adventure.",
         "javascript:alert(1)", "CC0"),
    Item("m:link", "movie", "Alien Signal [x](javascript:alert(1))", 1997, ("Bob Roe",),
         ("Science Fiction", "Drama"),
         "<iframe src=\"javascript:alert(1)\"></iframe> Astronomers hear a signal from space.",
         "https://example.org/signal\"><script>alert(1)</script>", "CC BY"),
    Item("m:entity", "movie", "&lt;script&gt;alert(1)&lt;/script&gt; Entity Planet", 1986, ("Ann Poe",),
         ("Science Fiction",), "&#60;img src=x onerror=alert(1)&#62; Colonists meet an entity.",
         "JaVaScRiPt:alert(1)", "CC BY"),
    Item("m:toggle", "movie", "Moon Base", 2009, ("Sam Bell",), ("Science Fiction", "Drama"),
         "<details open ontoggle=\"window.__xss='toggle'\">x</details> A lonely worker on the moon.",
         " javascript:alert(1)", "CC BY"),
    Item("m:data", "movie", "Data Ship", 1979, ("Ridley Q",), ("Science Fiction", "Horror"),
         "<math><mtext></p><img src=x onerror=alert(1)></mtext></math> A crew hunted in space.",
         "data:text/html,<script>alert(1)</script>", "CC BY"),
    Item("m:gravity", "movie", "Gravity", 2013, ("Alfonso Cuaron",), ("Science Fiction", "Thriller"),
         "Two astronauts are stranded after debris destroys their shuttle.", "https://example.org/gravity",
         "CC BY-SA"),
    Item("m:heat", "movie", "Heat", 1995, ("Michael Mann",), ("Crime", "Thriller"),
         "A detective hunts a crew of thieves.", "https://example.org/heat", "CC BY-SA"),
]
MESSAGE = ("<img src=x onerror=\"window.__xss='msg';alert('msg')\"> [go](javascript:alert(3)) "
           "<script>window.__xss='msg2'</script> a science fiction movie")
# Every element must be free of these after rendering; run in the page (and in the widget's shadow root).
INSPECT = """root => {
  const all = [...root.querySelectorAll('*')];
  return {
    handlers: all.flatMap(e => [...e.attributes].filter(a => a.name.toLowerCase().startsWith('on'))
                                              .map(a => e.tagName + ' ' + a.name)),
    jsLinks: all.filter(e => /^\\s*(javascript|data|vbscript):/i.test(e.getAttribute('href') || '')
                          || /^\\s*(javascript|data):/i.test(e.getAttribute('src') || ''))
                .map(e => e.outerHTML.slice(0, 120)),
    // a payload's own element; a <details> the page itself renders may hold hostile text, as text only,
    // so for it the start tag (its attributes) is what is checked
    injected: all.filter(e => ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'DETAILS'].includes(
                                e.tagName.toUpperCase())
                              && /__xss|alert\\(/.test(e.tagName === 'DETAILS' ? e.cloneNode(false).outerHTML
                                                                               : e.outerHTML))
                 .map(e => e.tagName),
    xImages: all.filter(e => e.tagName === 'IMG' && e.getAttribute('src') === 'x').length,
  };
}"""
ANSWER_DONE = """n => document.querySelectorAll('#chat .tb-turn').length >= n
  && ![...document.querySelectorAll('#chat .tb-why')].some(e => e.textContent.trim() === '…')"""


@pytest.fixture(scope="module")
def hostile_ctx(tmp_path_factory, real_embedder):
    tmp = tmp_path_factory.mktemp("xss")
    write_jsonl_gz(HOSTILE, tmp / "catalog.jsonl.gz")
    catalog = Catalog.open(tmp / "db.sqlite", tmp / "index", real_embedder,
                           catalog_file=tmp / "catalog.jsonl.gz", progress=False)
    assert len(catalog) == len(HOSTILE)
    return Context(catalog)


@pytest.fixture(scope="module")
def server(hostile_ctx, tmp_path_factory, serve_app):
    store = SessionStore(tmp_path_factory.mktemp("xss-sessions") / "sessions.db")
    with serve_app(create_app(Settings.from_env(), hostile_ctx, store)) as url:
        yield url
    store.close()


@pytest.fixture
def page(browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(WAIT_MS)
    pg.dialogs = []  # every alert/confirm/prompt a payload managed to open

    def on_dialog(d) -> None:
        pg.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    pg.on("dialog", on_dialog)
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url)
          if urlparse(r.url).hostname not in ("127.0.0.1", "localhost", None) else None)
    yield pg
    context.close()
    assert outside == [], f"the page called out: {outside[:5]}"


def assert_inert(page, root_selector: str | None = None) -> None:
    assert page.dialogs == [], page.dialogs
    assert page.evaluate("window.__xss === undefined"), page.evaluate("String(window.__xss)")
    if root_selector is None:
        found = page.evaluate(f"({INSPECT})(document)")
    else:  # the widget lives in an open shadow root
        found = page.evaluate(f"sel => ({INSPECT})(document.querySelector(sel).shadowRoot)", root_selector)
    assert found == {"handlers": [], "jsLinks": [], "injected": [], "xImages": 0}, found


def test_chat_page_renders_hostile_items_and_messages_inert(page, server, hostile_ctx):
    from playwright.sync_api import expect

    page.goto(server + "/")
    expect(page.get_by_text("Tell me something you like")).to_be_visible()
    box = page.locator("#message textarea")
    box.fill(MESSAGE)
    box.press("Enter")
    page.wait_for_function(ANSWER_DONE, arg=1)
    cards = page.locator("#chat .tb-card")
    for i in range(cards.count()):  # open every folded description: its text is shown too
        cards.nth(i).locator("summary").click()
    text = page.locator("#chat").inner_text()
    titles = ("Arrival", "Space Station", "Alien Signal", "Entity Planet", "Moon Base", "Data Ship")
    shown = [t for t in titles if t in text]
    assert len(shown) >= 3, text  # the hostile items were really shown
    expect(page.locator("#chat .tb-user").last).to_contain_text("a science fiction movie")
    for i in range(cards.count()):  # hover every card: onmouseover payloads would fire now
        cards.nth(i).hover()
    page.screenshot(path=SHOTS / "01-app-first-answer.png", full_page=True)
    assert_inert(page)
    for a in page.locator("#chat a").evaluate_all("els => els.map(a => a.href)"):
        assert a.startswith(("http://", "https://")), a

    box.fill("<svg onload=\"window.__xss='svg'\"></svg> more like the first one")
    box.press("Enter")
    page.wait_for_function(ANSWER_DONE, arg=2)
    page.wait_for_timeout(500)  # let any deferred payload (a failed image load) run before checking
    page.screenshot(path=SHOTS / "02-app-second-answer.png", full_page=True)
    assert_inert(page)


def test_widget_on_the_example_page_renders_hostile_items_inert(page, server):
    from playwright.sync_api import expect

    widget = page.locator("#tastebud-widget")
    page.goto(server + "/examples/product.html")
    widget.locator(".bubble").click()
    expect(widget.locator(".card")).to_have_count(5)
    titles = widget.locator(".card-title").all_inner_texts()
    assert any("Space Station" in t for t in titles), titles
    for card in widget.locator(".card").all():
        card.hover()
    page.wait_for_timeout(500)
    page.screenshot(path=SHOTS / "03-widget-first-answer.png")
    assert_inert(page, "#tastebud-widget")
    assert_inert(page)

    widget.locator("input").fill(MESSAGE)
    widget.locator("input").press("Enter")
    expect(widget.locator(".msg.user").last).to_have_text(MESSAGE)  # shown as text, exactly as typed
    expect(widget.locator(".cards")).to_have_count(2)  # the second answer is in
    expect(widget.locator(".msg.pending")).to_have_count(0)
    assert widget.locator(".msg.error").count() == 0
    page.wait_for_timeout(500)
    page.screenshot(path=SHOTS / "04-widget-second-answer.png")
    assert_inert(page, "#tastebud-widget")
    for href in widget.locator("a").evaluate_all("els => els.map(a => a.href)"):
        assert href.startswith(("http://", "https://")), href
