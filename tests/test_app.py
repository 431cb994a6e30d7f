"""The Gradio chat app as served, its rendering helpers, and what Spaces needs to run it."""

from __future__ import annotations

import html
import re
import tomllib
from pathlib import Path

import pytest

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


def picks(html: str) -> list[str]:
    """The item ids of the cards in the chat box's HTML, in order (each card names its item)."""
    return re.findall(r'<li class="tb-card[^"]*" data-id="([^"]+)"', html)


def test_chat_answers_with_catalog_cards(served, ctx, store):
    from gradio_client import Client

    client = Client(served, verbose=False)
    # the session id and the turns are gr.State, kept by the server; the conversation is in the store
    ask = "a mind-bending sci-fi movie"
    box, chat, understood, domain = client.predict(ask, "any", api_name="/chat")
    assert box == "" and domain == "movie"
    assert "Here are 5 picks" in chat.split('tb-reply">')[1]
    ids = [html.unescape(i) for i in picks(chat)]
    assert len(ids) == 5
    for n, item_id in enumerate(ids, start=1):
        item = ctx.catalog.get(item_id)
        assert item is not None and item.domain == "movie"
        assert f'<span class="tb-rank">{n}.</span> {html.escape(item.title)}' in chat
    assert '<p class="tb-why">…</p>' not in chat  # the streamed explanations replaced the placeholders
    assert "Liking:</span> <span class=\"tb-label\">science fiction" in understood
    assert "Limits:</span> <span class=\"tb-label\">only movies" in understood
    with store._lock:
        shown = store.db.execute("select item_id from shown order by id desc limit 5").fetchall()
    assert sorted(r[0] for r in shown) == sorted(ids)


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
        job = client.submit("a gothic novel with a ghost in it", "any", api_name="/chat")
        job.result()
        outputs = job.outputs()
    finally:
        ctx.explainer = None
    # first what the user said, alone (before the answer is ready), then the reply and the cards
    waiting, first, last = outputs[0][1], outputs[1][1], outputs[-1][1]
    assert 'class="tb-waiting"' in waiting and "a gothic novel with a ghost in it" in waiting
    assert picks(waiting) == [] and 'class="tb-waiting"' not in first
    assert len(outputs) >= 3 and len(picks(first)) == len(picks(last)) == 5
    assert first.count('<p class="tb-why">…</p>') == 5  # cards shown before any explanation
    for item_id in picks(last):
        title = html.escape(ctx.catalog.get(html.unescape(item_id)).title)
        assert f'<p class="tb-why">Because you asked for ghosts, {title}</p>' in last


def test_markup_in_messages_is_escaped(ctx):
    from bot import ui as app
    from bot.manager import step
    from bot.view import card_data, card_html

    r = step(DialogueState(), "<img src=x onerror=alert(1)> a horror movie", ctx)
    rendered = app.answer(r)
    assert "<img" not in rendered and "onerror=alert" not in rendered.replace("onerror\\=", "")
    card = card_html(card_data(1, r.recommendations[0], "<script>alert(2)</script>"), answer=1)
    assert "<script" not in card and f'data-id="{html.escape(r.recommendations[0].item.id)}"' in card


def test_every_tag_shown_can_be_removed(ctx):
    from bot import ui as app
    from bot.manager import step

    state = step(DialogueState(), "a mind-bending sci-fi movie from the 90s, nothing scary", ctx).state
    bar = app.tags_view(state, ctx)
    values = [(html.unescape(k), html.unescape(v))
              for k, v in re.findall(r'data-kind="([^"]*)" data-value="([^"]*)"', bar)]
    assert len(values) >= 4
    for kind, tag in values:
        copy = DialogueState.from_json(state.to_json())
        assert copy.remove_tag(kind, tag), (kind, tag)


def test_requirements_txt_matches_pyproject_and_setup():
    """Spaces installs requirements.txt: what pyproject pins, torch in pyproject's range, and of the
    weight packages only the embedder's (app.py installs the LLM ones on demand)."""
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    from bot.models.weights import EMBEDDER_FILES, PACKAGED_LLMS

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = [ln.split("#")[0].strip() for ln in (REPO / "requirements.txt").read_text().splitlines()]
    options = [ln for ln in lines if ln.startswith("-")]
    reqs = [ln for ln in lines if ln and not ln.startswith("-")]
    assert options == []  # no package index named in the repository (the Space's settings may add one)
    torch = next(r for r in reqs if r.startswith("torch=="))
    torch_range = next(d for d in project if d.startswith("torch"))[len("torch"):]
    assert Version(torch.split("==")[1]) in SpecifierSet(torch_range)
    for dep in project:
        assert dep.startswith("torch") or dep in reqs, f"{dep} from pyproject.toml is not in requirements.txt"
    embedder = {f"{f.dist}=={f.version}" for f in EMBEDDER_FILES}
    llms = {f"{p.dist}=={p.version}" for m in PACKAGED_LLMS.values() for p in m.parts}
    weights = re.findall(r"[\w-]+==[\w.]+", (REPO / "scripts" / "setup.sh").read_text().split("WEIGHTS=(")[1]
                         .split(")")[0])
    assert set(weights) == embedder | llms  # setup.sh installs them all; app.py can install the LLM ones
    assert set(reqs) == {d for d in project if not d.startswith("torch")} | {torch} | embedder


def test_app_installs_llm_weights_only_for_llm_settings():
    import app
    from bot.config import Settings

    # the reply writer's model by default; the reranker's base when it is switched on
    assert app.packaged_llms_needed(Settings()) == ["packaged"]
    assert app.packaged_llms_needed(Settings(rerank=True)) == ["packaged-small", "packaged"]
    assert app.packaged_llms_needed(Settings(rerank=False, reply_llm="off")) == []
    assert app.packaged_llms_needed(Settings(rerank=False, reply_llm="off", explainer="packaged",
                                             llm_understanding=True)) == ["packaged"]


@pytest.mark.parametrize("settings, env, expected", [
    ({}, {}, ("127.0.0.1", 7860)),
    ({}, {"GRADIO_SERVER_NAME": "0.0.0.0", "GRADIO_SERVER_PORT": "7861"}, ("0.0.0.0", 7861)),  # Spaces
    ({"port": 8000, "host": "::1"}, {"GRADIO_SERVER_NAME": "0.0.0.0", "GRADIO_SERVER_PORT": "7861"},
     ("::1", 8000)),  # --port/--host (or TASTEBUD_PORT/HOST) win
    ({}, {"TASTEBUD_PORT": "7860", "GRADIO_SERVER_PORT": "7861"}, ("127.0.0.1", 7860)),
])
def test_where_the_server_listens(settings, env, expected):
    from bot.api import listen_address
    from bot.config import Settings

    assert listen_address(Settings(**settings), env) == expected


def test_a_bad_gradio_port_is_named():
    from bot.api import listen_address
    from bot.config import Settings

    with pytest.raises(ValueError, match="GRADIO_SERVER_PORT='http' is not a port number"):
        listen_address(Settings(), {"GRADIO_SERVER_PORT": "http"})


def test_spaces_front_matter():
    head = (REPO / "README.md").read_text().split("---")[1]
    assert re.search(r"^sdk: gradio$", head, re.M) and re.search(r"^app_file: app.py$", head, re.M)
    # Spaces' default Python is older than the project's; the SDK version is the one requirements.txt pins
    python = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert re.search(r'^python_version: "3.11"$', head, re.M) and python == ">=3.11"
    sdk = re.search(r"^sdk_version: (\S+)$", head, re.M)
    assert sdk and f"gradio=={sdk.group(1)}" in (REPO / "requirements.txt").read_text().splitlines()
