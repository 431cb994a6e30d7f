"""The JSON API, the widget files and CORS, through FastAPI's test client on the real catalog."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from bot.api import create_app, origin_regex
from bot.config import Settings
from bot.sessions import SessionStore

ARRIVAL = "movie:wp:Arrival_(film)"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = SessionStore(tmp_path_factory.mktemp("api") / "sessions.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(ctx, store):
    settings = Settings.from_env(allowed_origins="https://shop.example,http://localhost:*")
    with TestClient(create_app(settings, ctx, store)) as c:
        yield c


def chat(client, **body) -> dict:
    r = client.post("/api/chat", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_conversation_over_the_api(client, ctx):
    first = chat(client, message="a mind-bending sci-fi movie")
    sid = first["session_id"]
    assert first["answer"] == 1 and first["quick_replies"]
    recs = first["recommendations"]
    assert [r["rank"] for r in recs] == [1, 2, 3, 4, 5]
    for r in recs:
        item = ctx.catalog.get(r["id"])
        assert item is not None and item.domain == "movie" and r["title"] == item.title
        assert r["explanation"] and r["url"].startswith("https://") and r["license"]
    assert {"kind": "likes", "value": "science fiction", "label": "science fiction",
            "group": "Liking", "group_label": "Liking"} in first["tags"]
    assert "science fiction" in first["understood"]["likes"]

    second = chat(client, session_id=sid, message="something older")
    assert second["session_id"] == sid and second["answer"] == 2
    year_max = second["understood"]["constraints"]["year_max"]
    assert year_max is not None and all(r["year"] is None or r["year"] <= year_max
                                        for r in second["recommendations"])
    assert not {r["id"] for r in recs} & {r["id"] for r in second["recommendations"]}


def test_thumbs_down_keeps_an_item_out_of_the_next_answer(client):
    ask = "a heist film with a twist"
    baseline = chat(client, message=ask)["recommendations"]
    top = baseline[0]["id"]
    sid = client.post("/api/sessions").json()["session_id"]
    r = client.post("/api/feedback", json={"session_id": sid, "item_id": top, "liked": False})
    assert r.status_code == 200 and r.json()["liked"] is False
    after = chat(client, session_id=sid, message=ask)["recommendations"]
    assert top not in {x["id"] for x in after}
    # the rest of the answer is still the same kind of answer: only that item was pushed out
    assert {x["id"] for x in baseline[1:]} & {x["id"] for x in after}


def test_thumbs_up_and_removing_a_tag(client, ctx):
    first = chat(client, message="a mind-bending sci-fi movie")
    sid, pick = first["session_id"], first["recommendations"][0]
    r = client.post("/api/feedback", json={"session_id": sid, "item_id": pick["id"], "liked": True}).json()
    assert pick["id"] in r["understood"]["liked_items"]
    assert f"more like {pick['title']}" in [t["label"] for t in r["tags"]]

    dropped = client.post("/api/tags/remove", json={"session_id": sid, "kind": "likes",
                                                    "value": "science fiction"})
    assert dropped.status_code == 200, dropped.text
    body = dropped.json()
    assert "science fiction" not in [t["value"] for t in body["tags"]]
    assert "dropped science fiction" in body["reply"] and len(body["recommendations"]) == 5
    missing = client.post("/api/tags/remove", json={"session_id": sid, "kind": "likes", "value": "opera"})
    assert missing.status_code == 404 and "opera" in missing.json()["error"]


def test_starting_from_a_product_page_item(client, ctx):
    body = chat(client, item_id=ARRIVAL)
    assert "more like Arrival" in body["reply"]
    assert body["understood"]["liked_items"] == [ARRIVAL]
    ids = [r["id"] for r in body["recommendations"]]
    assert len(ids) == 5 and ARRIVAL not in ids
    assert all(ctx.catalog.get(i).domain == "movie" for i in ids)


def test_forget_me_deletes_every_row(client, store):
    body = chat(client, message="a gothic novel with a ghost in it")
    sid = body["session_id"]
    client.post("/api/feedback", json={"session_id": sid, "item_id": body["recommendations"][0]["id"],
                                       "liked": True})
    r = client.delete(f"/api/sessions/{sid}")
    assert r.status_code == 200
    assert r.json()["rows_deleted"] == {"sessions": 1, "turns": 1, "shown": 5, "feedback": 1}
    assert store.count_rows(sid) == {"sessions": 0, "turns": 0, "shown": 0, "feedback": 0}
    assert client.delete(f"/api/sessions/{sid}").status_code == 404
    again = client.post("/api/chat", json={"session_id": sid, "message": "more"})
    assert again.status_code == 404 and "session" in again.json()["error"]


@pytest.mark.parametrize(("body", "status", "says"), [
    ({"message": ""}, 422, "empty"),
    ({"message": "   "}, 422, "empty"),
    ({"message": "x" * 5000}, 422, "limit is 1000"),
    ({"message": 42}, 422, "message"),
    ({"message": ["a", "list"]}, 422, "message"),
    ({"message": "hi", "domain": "films"}, 422, "domain"),
    ({"message": "hi", "session_id": "not-a-session"}, 404, "unknown session"),
    ({"message": "hi", "item_id": "movie:nope"}, 404, "not in the catalog"),
])
def test_bad_input_gets_a_clear_4xx(client, body, status, says):
    r = client.post("/api/chat", json=body)
    assert r.status_code == status
    assert says in r.json()["error"]


def test_other_bad_requests(client):
    r = client.post("/api/chat", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "not valid JSON" in r.json()["error"]
    r = client.post("/api/feedback", json={"session_id": "x" * 32, "item_id": ARRIVAL})
    assert r.status_code == 422 and "liked" in r.json()["error"]
    sid = client.post("/api/sessions").json()["session_id"]
    r = client.post("/api/feedback", json={"session_id": sid, "item_id": "<script>", "liked": True})
    assert r.status_code == 404 and "error" in r.json()
    assert client.delete("/api/sessions/../../etc").status_code == 404


def test_odd_text_is_answered_not_crashed_on(client):
    odd = ["<script>alert(1)</script> a horror movie", "🙂🙂🙂", "\x00\x1b[31m films \u202e",
           "'; drop table--"]
    for text in odd:
        r = client.post("/api/chat", json={"message": text})
        assert r.status_code == 200, (text, r.text)
        assert "<script" not in r.text


def test_cors_allows_only_configured_origins(client):
    def preflight(origin: str):
        return client.options("/api/chat", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                    "Access-Control-Request-Headers": "content-type"})

    for ok in ["https://shop.example", "http://localhost:5173"]:
        assert preflight(ok).headers.get("access-control-allow-origin") == ok
    for bad in ["https://evil.example", "https://shop.example.evil.example", "http://127.0.0.1:5173"]:
        assert "access-control-allow-origin" not in preflight(bad).headers
    assert re.fullmatch(origin_regex("*"), "https://anything.example")
    assert not re.fullmatch(origin_regex(""), "http://localhost:1")
    assert re.fullmatch(origin_regex(Settings().allowed_origins), "http://127.0.0.1:8080")


def test_openapi_docs_widget_and_example_page(client, ctx):
    spec = client.get("/openapi.json").json()
    assert {"/api/chat", "/api/feedback", "/api/sessions/{session_id}"} <= set(spec["paths"])
    assert "delete" in spec["paths"]["/api/sessions/{session_id}"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn." not in docs.text  # Swagger UI is served from the package
    for asset in re.findall(r'(?:src|href)="(/docs-assets/[^"]+)"', docs.text):
        assert client.get(asset).status_code == 200
    assert len(re.findall("/docs-assets/", docs.text)) == 3

    js = client.get("/widget.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    # server text only ever goes through textContent
    assert "innerHTML" not in js.text and "insertAdjacentHTML" not in js.text and "eval(" not in js.text
    assert "textContent" in js.text
    assert client.get("/widget.css").status_code == 200

    page = client.get("/examples/product.html")
    assert page.status_code == 200
    tag = re.search(r'<script src="([^"]+)" data-item-id="([^"]+)"', page.text)
    assert tag and tag.group(1) == "http://testserver/widget.js" and ctx.catalog.get(tag.group(2))
    assert client.get("/examples/..%2Fpyproject.toml").status_code == 404


def test_the_chat_page_is_served_offline(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    # "/" is tastebud's own Gradio chat page: Gradio writes the Blocks' title into the config it
    # embeds (the browser tab title is set from it), along with the page's components
    found = re.search(r"window\.gradio_config = (\{.*?\});?\s*</script>", html, re.S)
    assert found, "no Gradio app config in the page at /"
    config = json.loads(found.group(1))
    assert config["title"] == "tastebud" and config["components"]
    for host in ["googletagmanager", "fonts.googleapis", "cdn.jsdelivr", "unpkg.com", "huggingface.co"]:
        assert host not in html
