"""The Gradio chat app as served, its rendering helpers, and what Spaces needs to run it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.render import md_escape
from bot.sessions import SessionStore
from bot.state import DialogueState

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = SessionStore(tmp_path_factory.mktemp("app") / "sessions.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def served(ctx, store, free_port):
    from bot import ui as app

    demo = app.build_app(ctx, store)
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}"
    demo.close()


def text_of(message: dict) -> str:
    content = message["content"]  # Gradio 6: a list of {"type": "text", "text": ...} parts
    return content if isinstance(content, str) else "".join(p.get("text", "") for p in content)


def test_chat_answers_with_catalog_cards(served, ctx, store):
    from gradio_client import Client

    client = Client(served, verbose=False)
    # the session id is a gr.State, kept by the server; the conversation itself is in the store
    ask = "a mind-bending sci-fi movie"
    box, history, understood, domain = client.predict(ask, [], "any", api_name="/chat")
    assert box == "" and domain == "movie"
    lead, cards = history[1], history[2:]
    assert "Here are 5 picks" in text_of(lead)
    assert len(cards) == 5
    for n, card in enumerate(cards, start=1):
        item = ctx.catalog.get(card["metadata"]["id"])  # each card names its item, for the thumbs
        assert item is not None and item.domain == "movie"
        assert text_of(card).startswith(f"**{n}. {md_escape(item.title)}**")
        assert "  \n…  \n" not in text_of(card)  # the streamed explanation replaced the placeholder
    labels = [label for label, _ in understood["choices"]]
    assert "Liking: science fiction" in labels and "Limits: only movies" in labels
    with store._lock:
        shown = store.db.execute("select item_id from shown order by id desc limit 5").fetchall()
    assert sorted(r[0] for r in shown) == sorted(c["metadata"]["id"] for c in cards)


def test_explanations_stream_into_the_cards(served, ctx):
    """Reply and cards come first; then each card's explanation grows as the explainer streams it."""
    from gradio_client import Client

    def explainer(rec, state):
        words = f"Because you asked for ghosts, {rec.item.title}".split()
        for n in range(1, len(words) + 1):
            yield " ".join(words[:n])

    ctx.explainer = explainer
    try:
        client = Client(served, verbose=False)
        job = client.submit("a gothic novel with a ghost in it", [], "any", api_name="/chat")
        job.result()
        outputs = job.outputs()
    finally:
        ctx.explainer = None
    first_cards, last_cards = outputs[0][1][2:], outputs[-1][1][2:]
    assert len(outputs) >= 2 and len(first_cards) == len(last_cards) == 5
    assert all("  \n…  \n" in text_of(c) for c in first_cards)  # cards shown before any explanation
    for card in last_cards:
        title = md_escape(text_of(card).split("**")[1].split(". ", 1)[1])
        assert "Because you asked for ghosts, " + title in text_of(card)


def test_markup_in_messages_is_escaped(ctx):
    from bot import ui as app
    from bot.manager import step

    r = step(DialogueState(), "<img src=x onerror=alert(1)> a horror movie", ctx)
    rendered = app.answer(r)
    assert "<img" not in rendered and "onerror=alert" not in rendered.replace("onerror\\=", "")
    card = app.card_message(1, r.recommendations[0], "<script>alert(2)</script>")
    assert "<script" not in card["content"] and card["metadata"] == {"id": r.recommendations[0].item.id}


def test_every_tag_shown_can_be_removed(ctx):
    from bot import ui as app
    from bot.manager import step

    state = step(DialogueState(), "a mind-bending sci-fi movie from the 90s, nothing scary", ctx).state
    update = app.tag_choices(state, ctx)
    values = [v for _, v in update["choices"]] if isinstance(update, dict) else [v for _, v in update.choices]
    assert len(values) >= 4
    for value in values:
        kind, _, tag = value.partition(app._SEP)
        copy = DialogueState.from_json(state.to_json())
        assert copy.remove_tag(kind, tag), value
    assert app.text_of([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]) == "ab"


def test_requirements_txt_matches_pyproject_and_setup():
    """Spaces installs requirements.txt; it must pin what pyproject pins, plus the weight packages."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = [ln.split("#")[0].strip() for ln in (REPO / "requirements.txt").read_text().splitlines()]
    reqs = [ln for ln in lines if ln]
    for dep in project:
        assert dep in reqs, f"{dep} from pyproject.toml is missing from requirements.txt"
    weights = re.findall(r"[\w-]+==[\w.]+", (REPO / "scripts" / "setup.sh").read_text().split("WEIGHTS=(")[1]
                         .split(")")[0])
    assert weights and all(w in reqs for w in weights)
    assert set(reqs) == set(project) | set(weights)


def test_spaces_front_matter():
    head = (REPO / "README.md").read_text().split("---")[1]
    assert re.search(r"^sdk: gradio$", head, re.M) and re.search(r"^app_file: app.py$", head, re.M)
