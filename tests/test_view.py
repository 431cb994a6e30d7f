"""The chat page's HTML (bot/view.py), link texts that name the source, and the thumbs-down tag that can be
undone: all without a browser or a catalog (tests/test_a11y_browser.py checks the same in Chromium)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bot.render import source_label
from bot.state import DialogueState
from bot.tags import understood_tags
from bot.ui import deleted_text
from bot.view import card_html, conversation_html, tags_html, verdicts
from retrieval import Item

ARRIVAL = Item("movie:wp:Arrival_(film)", "movie", "Arrival", 2016, ("Denis Villeneuve", "Amy Adams"),
               ("Science Fiction",), "Arrival is a 2016 American science fiction film.",
               "https://en.wikipedia.org/wiki/Arrival_(film)", "CC BY-SA 4.0 (Wikipedia)")


def card(item: Item, n: int = 1, why: str = "you asked for science fiction") -> dict:
    from bot.render import licence_short, plain, safe_url

    return {"n": n, "id": item.id, "title": plain(item.title), "year": item.year, "domain": item.domain,
            "creators": list(item.creators), "why": why, "description": plain(item.description),
            "url": safe_url(item.url), "source": source_label(item), "licence": licence_short(item)}


class Tags(HTMLParser):
    """Every start tag with its attributes, to check what markup the HTML really holds."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict]]:
    p = Tags()
    p.feed(html)
    return p.tags


def test_links_name_their_source():
    assert source_label(ARRIVAL) == "Wikipedia: Arrival (film)"
    pct = Item("m", "movie", "I'll See You", 2015, url="https://en.wikipedia.org/wiki/I%27ll_See_You_(2015_film)")
    assert source_label(pct) == "Wikipedia: I'll See You (2015 film)"
    emma = Item("b", "book", "Emma", None, url="https://www.gutenberg.org/ebooks/158", license="CC0 1.0")
    assert source_label(emma) == "Project Gutenberg: Emma"
    album = Item("a", "music", "Pomeroy", 2008, url="https://archive.org/details/x", license="CC BY-SA 4.0")
    assert source_label(album) == "Internet Archive: Pomeroy"
    assert source_label(Item("o", "book", "T", url="https://example.org/t")) == "example.org: T"
    assert source_label(Item("j", "book", "T", url="javascript:alert(1)", license="CC0")) == "CC0"


def test_card_is_compact_escaped_and_thumbs_go_up_then_down():
    html = card_html(card(ARRIVAL), answer=1)
    tags = parse(html)
    buttons = [a for t, a in tags if t == "button"]
    assert [b["data-liked"] for b in buttons] == ["1", "0"]  # up first, as in the widget
    assert [b["aria-label"] for b in buttons] == ["More like this: Arrival", "Not for me: Arrival"]
    assert all(b["aria-pressed"] == "false" for b in buttons)
    link = next(a for t, a in tags if t == "a")
    assert link["href"] == "https://en.wikipedia.org/wiki/Arrival_%28film%29" and "noopener" in link["rel"]
    assert ">Wikipedia: Arrival (film)</a>" in html and "CC BY-SA 4.0<" in html
    assert "<details" in html and "Arrival is a 2016" in html.split("<details")[1]  # description folded

    evil = Item('x"><img src=x onerror=alert(1)>', "movie", '<script>alert(1)</script>"Alien"', 1979,
                ("<b onmouseover=alert(2)>Ridley</b>",), (), "<img src=x onerror=alert(3)> in space",
                "javascript:alert(4)", "<i>CC</i>")
    html = card_html(card(evil, why='<svg onload=alert(5)> "quoted"'), answer=2)
    names = [t for t, _ in parse(html)]
    assert not {"script", "img", "b", "i", "a"} & set(names), names  # no markup from the item, no bad link
    assert all(not k.startswith("on") for _, a in parse(html) for k in a)
    assert 'data-item="x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in html  # the id comes back exactly


def test_verdicts_show_on_cards_and_in_tags_and_can_be_undone():
    state = DialogueState(liked_items=["b"], rejected=["a"], disliked_items=["c"])
    assert verdicts(state) == {"a": False, "c": False, "b": True}
    html = card_html(card(ARRIVAL), answer=1, verdict=False)
    assert "tb-disliked" in html and "Turned down" in html
    assert re.search(r'data-liked="0" aria-pressed="true"', html)
    assert 'data-liked="1" aria-pressed="false"' in html

    tags = understood_tags(state)
    assert [(t.kind, t.value, t.group) for t in tags if t.group == "Avoiding"] == [
        ("rejected", "a", "Avoiding"), ("disliked_items", "c", "Avoiding")]
    assert next(t for t in tags if t.value == "a").label == "a (turned down)"
    bar = tags_html(tags)
    assert 'aria-label="Drop Avoiding: a (turned down)"' in bar and 'data-kind="rejected"' in bar
    assert state.remove_tag("rejected", "a") and state.rejected == [] and "a" not in verdicts(state)
    both = DialogueState(rejected=["a"], disliked_items=["a"])
    assert [t.kind for t in understood_tags(both)] == ["rejected"]  # one tag per item
    assert both.remove_tag("rejected", "a") and both.rejected == both.disliked_items == []


def test_conversation_has_a_live_region_and_examples_when_empty():
    empty = conversation_html([], None, hello="Hi", examples=["a sci-fi movie"])
    assert 'role="status" aria-live="polite"' in empty and 'data-text="a sci-fi movie"' in empty
    assert 'class="tb-log" role="region" aria-label="Conversation" tabindex="0"' in empty
    turn = {"answer": 1, "user": "<b>hi</b>", "reply": "Here are 1 picks.", "cards": [card(ARRIVAL)]}
    html = conversation_html([turn], DialogueState(), hello="Hi", examples=[])
    live = html.split('aria-live="polite"')[1]
    assert "Here are 1 picks. 1. Arrival (2016)" in live  # what a screen reader hears
    assert "tb-example" not in html and "&lt;b&gt;" not in html and "<b>" not in html


def test_a_reply_being_written_is_marked_busy_and_not_read_out_at_every_word():
    turn = {"answer": 1, "user": "hi", "reply": "A quiet sci", "writing": True, "cards": [card(ARRIVAL)]}
    html = conversation_html([turn], DialogueState(), hello="Hi", examples=[])
    assert 'class="tb-msg tb-reply" aria-busy="true"' in html
    assert html.split('aria-live="polite"')[1].split("</div>")[0].endswith("1. Arrival (2016)")
    assert "A quiet sci" not in html.split('aria-live="polite"')[1].split("</div>")[0]
    turn.update(reply="A quiet sci-fi film, then.", writing=False)
    done = conversation_html([turn], DialogueState(), hello="Hi", examples=[])
    assert "aria-busy" not in done and "A quiet sci-fi film, then. 1. Arrival (2016)" in done


def test_forget_me_says_what_it_deleted():
    assert deleted_text({"sessions": 1, "turns": 2, "shown": 10, "feedback": 1}) == (
        "Deleted from the server: this conversation, 2 answers, 10 shown picks and 1 thumb. "
        "Nothing of it is kept.")
    assert deleted_text({"sessions": 1, "turns": 0, "shown": 0, "feedback": 0}).startswith(
        "Deleted from the server: this conversation.")
