"""The chat page and the widget as a person uses them, in real Chromium at 1366x768 and at 390x844.

In three states each ("empty", "answered", "after feedback"):
- axe-core (npm package from node_modules, injected by Playwright; never a CDN) finds no serious or
  critical violation;
- element positions: the reply and the first pick are in view without scrolling (at 1366 px at least
  three picks), the "what I understood" bar sits above the chat, nothing scrolls sideways;
- the controls used get there by keyboard, with a visible focus ring, and the live region reads the answer.
Screenshots of every state and width, axe's counts and the measured positions go to test-output/a11y/.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bot.api import EXAMPLE_BASE, create_app
from bot.config import Settings
from bot.sessions import SessionStore

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "test-output" / "a11y"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WAIT_MS = 90_000  # a wait on a shared CPU, not a timing check
SIZES = {"1366": (1366, 768), "390": (390, 844)}
REPORT: dict[str, dict] = {}  # written to OUT/report.json at the end of the module

ANSWER_DONE = """n => document.querySelectorAll('#chat .tb-turn').length >= n
  && ![...document.querySelectorAll('#chat .tb-why')].some(e => e.textContent.trim() === '…')"""
RUN_AXE = """async root => {
  const r = await axe.run(root || document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                 where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""
# Positions of the last answer (page or widget), relative to the viewport.
MEASURE = """([rootSel, logSel, tagsSel]) => {
  const root = rootSel ? document.querySelector(rootSel).shadowRoot : document;
  const box = e => { const b = e.getBoundingClientRect();
                     return {top: Math.round(b.top), bottom: Math.round(b.bottom), left: Math.round(b.left),
                             right: Math.round(b.right)}; };
  const log = root.querySelector(logSel);
  const replies = [...root.querySelectorAll('.tb-reply, .msg.reply')];
  const lists = [...root.querySelectorAll('.tb-cards, .cards')];
  const cards = lists.length ? [...lists[lists.length - 1].children].map(box) : [];
  return {viewport: [innerWidth, innerHeight], scrollY: Math.round(scrollY),
          pageWidth: document.documentElement.scrollWidth, log: box(log),
          logSideways: log.scrollWidth - log.clientWidth,
          reply: replies.length ? box(replies[replies.length - 1]) : null, cards,
          tags: box(root.querySelector(tagsSel))};
}"""
FOCUS_RING = """([rootSel]) => {
  let e = document.activeElement;
  if (rootSel) e = document.querySelector(rootSel).shadowRoot.activeElement;
  if (!e) return null;
  const s = getComputedStyle(e);
  return {tag: e.tagName, text: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 60),
          ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};
}"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = SessionStore(tmp_path_factory.mktemp("a11y") / "sessions.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def server(ctx, store, serve_app):
    with serve_app(create_app(Settings.from_env(), ctx, store)) as url:
        yield url
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.json").write_text(json.dumps(REPORT, indent=1, sort_keys=True))


@pytest.fixture(scope="module")
def shop(server, serve_pages):
    """The example product page on its own origin, and the same page without an item ("empty")."""
    product = (REPO / "examples" / "product.html").read_text(encoding="utf-8").replace(EXAMPLE_BASE, server)
    pages = {"/product.html": product,
             "/empty.html": product.replace('data-item-id="movie:wp:Arrival_(film)"', "")}
    assert server in product and pages["/empty.html"] != product

    with serve_pages(pages) as url:
        yield url


def open_page(browser, size: str):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/setup.sh (npm ci installs it from package-lock.json)")
    OUT.mkdir(parents=True, exist_ok=True)
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.outside = []
    page.on("request", lambda r: page.outside.append(r.url)
            if urlparse(r.url).hostname not in ("127.0.0.1", "localhost", None) else None)
    return context, page


def check_axe(page, name: str, root: str | None = None) -> None:
    """axe-core over the whole document (open shadow roots included): no serious or critical violation."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE, None)
    REPORT.setdefault(name, {})["axe"] = found
    bad = [v for v in found if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{name}: {bad}"


def shot(page, name: str) -> None:
    page.screenshot(path=OUT / f"{name}.png")


def keyboard_to(page, locator, root: str | None = None, presses: int = 60) -> dict:
    """Tab (only the keyboard) until the locator's element has focus; return what has focus and its ring."""
    target = locator.element_handle()
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === (e.getRootNode().activeElement)"):
            ring = page.evaluate(FOCUS_RING, [root])
            assert ring["ring"], f"no visible focus ring on {ring}"
            return ring
    raise AssertionError(f"Tab never reached {locator}")


def in_view(m: dict, n_cards: int) -> None:
    """The reply and the first n cards lie inside both the chat box and the screen."""
    top, bottom = max(m["log"]["top"], 0), min(m["log"]["bottom"], m["viewport"][1])
    assert m["reply"] and top - 1 <= m["reply"]["top"] and m["reply"]["bottom"] <= bottom + 1, m
    assert len(m["cards"]) >= n_cards, m
    for c in m["cards"][:n_cards]:
        assert top - 1 <= c["top"] and c["bottom"] <= bottom + 1, (c, m)


def no_sideways(m: dict) -> None:
    assert m["pageWidth"] <= m["viewport"][0], m
    assert m["logSideways"] <= 0, m
    assert all(c["right"] <= m["log"]["right"] and c["left"] >= m["log"]["left"] for c in m["cards"]), m


@pytest.mark.parametrize("size", list(SIZES))
def test_page_layout_keyboard_and_axe(browser, server, store, ctx, size):
    from playwright.sync_api import expect

    context, page = open_page(browser, size)
    name = f"page-{size}"
    measure = [None, "#chat .tb-log", "#understood"]
    try:
        page.goto(server + "/")
        example = page.locator(".tb-example").first
        expect(example).to_be_visible()
        shot(page, f"{name}-1-empty")
        check_axe(page, f"{name}-empty")

        # answered, by keyboard only: Tab to the first example, Enter
        REPORT.setdefault(f"{name}-empty", {})["focus"] = keyboard_to(page, example)
        page.keyboard.press("Enter")
        page.wait_for_function(ANSWER_DONE, arg=1)
        m = page.evaluate(MEASURE, measure)
        REPORT.setdefault(f"{name}-answered", {})["layout"] = m
        assert m["scrollY"] == 0  # the answer came into view without the page moving
        in_view(m, 3 if size == "1366" else 1)
        assert m["tags"]["bottom"] <= m["log"]["top"] and m["tags"]["top"] >= 0  # tags bar above the chat
        no_sideways(m)
        live = page.locator('#chat [role="status"]')
        first = page.locator("#chat .tb-card .tb-down").first.get_attribute("aria-label").split(": ", 1)[1]
        expect(live).to_contain_text("Here are 5 picks")
        expect(live).to_contain_text(first)
        shot(page, f"{name}-2-answered")
        check_axe(page, f"{name}-answered")

        # after feedback, by keyboard: "Not for me" on the first pick; it shows on the card and in the tags
        down = page.locator("#chat .tb-card").first.locator(".tb-down")
        REPORT[f"{name}-answered"]["focus"] = keyboard_to(page, down)
        page.keyboard.press("Enter")
        expect(page.locator("#chat .tb-card").first).to_have_class("tb-card tb-disliked")
        expect(down).to_have_attribute("aria-pressed", "true")
        bar = page.locator("#understood details")
        if bar.get_attribute("open") is None:  # folded on a phone: open it from the keyboard
            keyboard_to(page, page.locator("#understood summary"))
            page.keyboard.press("Enter")
        chip = page.locator("#understood .tb-chip", has_text=f"{first} (turned down)")
        expect(chip).to_contain_text("Avoiding:")
        expect(live).to_contain_text(f"Noted: {first} is turned down")
        sid = store.db.execute("select session_id from feedback order by id desc limit 1").fetchone()[0]
        item = store.db.execute("select item_id from feedback order by id desc limit 1").fetchone()[0]
        assert item in store.load(sid).rejected
        shot(page, f"{name}-3-feedback")
        check_axe(page, f"{name}-after-feedback")

        # the thumbs-down is undone from the tags, by keyboard; the new answer is scrolled into view too
        REPORT[f"{name}-after-feedback"] = {**REPORT[f"{name}-after-feedback"],
                                              "focus": keyboard_to(page, chip.locator("button"))}
        page.keyboard.press("Enter")
        page.wait_for_function(ANSWER_DONE, arg=2)
        expect(page.locator("#understood")).not_to_contain_text("turned down")
        assert item not in store.load(sid).rejected
        m = page.evaluate(MEASURE, measure)
        REPORT[f"{name}-undone"] = {"layout": m}
        in_view(m, 3 if size == "1366" else 1)
        no_sideways(m)
        expect(page.locator("#chat .tb-reply").last).to_contain_text(f"took back the thumbs-down on {first}")
    finally:
        context.close()
    assert page.outside == [], f"the page called out to the internet: {page.outside[:5]}"


@pytest.mark.parametrize("size", list(SIZES))
def test_widget_layout_keyboard_and_axe(browser, shop, store, size):
    from playwright.sync_api import expect

    context, page = open_page(browser, size)
    name = f"widget-{size}"
    widget = page.locator("#tastebud-widget")
    measure = ["#tastebud-widget", ".log", ".tags"]
    try:
        # empty: the widget on a page that names no item, opened from the keyboard
        page.goto(shop + "/empty.html")
        bubble = widget.locator(".bubble")
        keyboard_to(page, bubble, "#tastebud-widget")
        page.keyboard.press("Enter")
        expect(widget.locator(".msg.bot")).to_contain_text("Tell me something you like")
        shot(page, f"{name}-1-empty")
        check_axe(page, f"{name}-empty")

        # answered: the product page starts from "more like this"
        page.goto(shop + "/product.html")
        bubble.click()
        expect(widget.locator(".card")).to_have_count(5)
        m = page.evaluate(MEASURE, measure)
        REPORT.setdefault(f"{name}-answered", {})["layout"] = m
        in_view(m, 1)
        no_sideways(m)
        assert m["tags"]["bottom"] <= m["log"]["top"]
        live = widget.locator('[role="status"]')
        expect(live).to_contain_text("Here are 5 picks")
        shot(page, f"{name}-2-answered")
        check_axe(page, f"{name}-answered")

        # after feedback: "Not for me" on the second pick, by keyboard (Space); the tags bar lists it
        second = widget.locator(".card").nth(1)
        down = second.locator(".thumb.down")
        title = down.get_attribute("aria-label").split(": ", 1)[1]
        REPORT[f"{name}-answered"]["focus"] = keyboard_to(page, down, "#tastebud-widget")
        page.keyboard.press("Space")
        expect(second).to_have_class("card disliked")
        expect(down).to_have_attribute("aria-pressed", "true")
        keyboard_to(page, widget.locator(".tags-summary"), "#tastebud-widget")
        page.keyboard.press("Enter")
        chip = widget.locator(".chip", has_text=f"{title} (turned down)")
        expect(chip).to_contain_text("Avoiding:")
        expect(live).to_contain_text(f"Noted: {title} is turned down")
        shot(page, f"{name}-3-feedback")
        check_axe(page, f"{name}-after-feedback")

        # undo from the tags: a new answer, scrolled so its reply and first pick show
        chip.locator("button").click()
        expect(widget.locator(".cards")).to_have_count(2)
        expect(widget.locator(".chips")).not_to_contain_text("turned down")
        m = page.evaluate(MEASURE, measure)
        REPORT[f"{name}-undone"] = {"layout": m}
        in_view(m, 1)
        no_sideways(m)

        # forget me is secondary, asks first, and says what it deleted
        widget.get_by_role("button", name="Forget me…").click()
        expect(widget.locator(".confirm")).to_be_visible()
        widget.get_by_role("button", name="Cancel").click()
        expect(widget.locator(".confirm")).to_be_hidden()
        expect(widget.locator(".card")).to_have_count(10)  # nothing was deleted
        widget.get_by_role("button", name="Forget me…").click()
        widget.get_by_role("button", name="Yes, delete it").click()
        expect(widget.locator(".msg.notice")).to_have_text(
            "Deleted from the server: this conversation, 2 answers, 10 shown picks and 1 thumb. "
            "Nothing of it is kept.")
    finally:
        context.close()
    assert page.outside == [], f"the page called out to the internet: {page.outside[:5]}"
