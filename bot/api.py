"""The HTTP face of tastebud: a FastAPI app with the JSON API, the widget, and the chat page.

    POST   /api/chat              {session_id?, message, item_id?, domain?} -> reply, understood, picks
    POST   /api/feedback          {session_id, item_id, liked}              -> updated understanding
    POST   /api/tags/remove       {session_id, kind, value}                 -> picks without that tag
    POST   /api/sessions          -> a new session id
    DELETE /api/sessions/{id}     "forget me": every row of the session is deleted
    GET    /widget.js             the embeddable chat bubble (bot/web/)
    GET    /docs                  OpenAPI docs;  /  the Gradio chat page (bot/ui.py)

Every error is JSON `{"error": "..."}` with a 4xx status; user text never causes a 500.
Text fields in responses are plain text: render them as text, never as HTML.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, StreamingResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from bot.config import REPO_ROOT, Settings
from bot.context import Context
from bot.explain import explain_stream
from bot.ranking import Recommendation
from bot.render import plain, safe_url, source_label
from bot.reply import reply_stream, reply_text, reply_written
from bot.sessions import StoreBase, UnknownSession
from bot.tags import understood_tags
from bot.turns import Turn, chat_turn, remove_tag
from bot.ui import CSS, QUICK_REPLIES, build_app

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent / "web"
EXAMPLES_DIR = REPO_ROOT / "examples"
# The address the example page's script tag is written with; served pages get the real one.
EXAMPLE_BASE = "http://127.0.0.1:7860"
# Chat events the Gradio queue runs at once. Turns are CPU-bound and hold the GIL, so more only adds
# waiting: 20 sessions x 3 turns gave p95 3.6 s with 1, 4.3 s with 4 and 4.1 s with 16
# (bench/results/load.json; close, one run each). Raise it if the slow LLM explainer is switched on.
GRADIO_CONCURRENCY = 1
# With the LLM writing replies, an event spends seconds waiting for its reply's words, not computing:
# with 1, every other chat's picks would wait behind that reply (bench/results/load_20_chats.json).
GRADIO_CONCURRENCY_WRITING = 4
# Worker threads for the JSON API (anyio's default is 40): 50 sessions x 10 turns on 2 cores gave
# p95 756 ms with 4 against 1,441 ms with 40 and 1,036 ms with 1 (bench/load_test.py).
API_THREADS = 4
TagKind = Literal["likes", "liked_items", "dislikes", "people", "rejected", "disliked_items", "domain",
                  "year_min", "year_max", "creators", "excluded_creators", "novelty"]


# -- request and response bodies -------------------------------------------------------------


class ChatRequest(BaseModel):
    session_id: str | None = Field(None, description="omit to start a new conversation")
    message: str = Field("", description="what the user said; may be empty when item_id is given")
    item_id: str | None = Field(None, description='a catalog id to start from: "more like this"')
    domain: Literal["any", "movie", "book", "music"] | None = Field(None, description="limit the domain")


class FeedbackRequest(BaseModel):
    session_id: str
    item_id: str
    liked: bool


class TagRequest(BaseModel):
    session_id: str
    kind: TagKind
    value: str | None = None


class TagOut(BaseModel):
    kind: str
    value: str
    label: str = Field(description="in the user's language")
    group: str = Field(description='"Liking", "Avoiding" or "Limits"')
    group_label: str = Field("", description="the group in the user's language")


class Card(BaseModel):
    rank: int
    id: str
    title: str
    year: int | None
    domain: str
    creators: list[str]
    genres: list[str]
    description: str
    explanation: str
    url: str | None = Field(description="the source of the facts (http or https only)")
    source: str = Field(description='the link\'s text, naming the source: "Wikipedia: Arrival (film)"')
    license: str


class ChatResponse(BaseModel):
    session_id: str
    answer: int = Field(description="1 for the conversation's first answer, then 2, 3...")
    reply: str
    note: str
    understood: dict
    tags: list[TagOut]
    recommendations: list[Card]
    quick_replies: list[str]


class FeedbackResponse(BaseModel):
    session_id: str
    item_id: str
    liked: bool
    understood: dict
    tags: list[TagOut]


class SessionCreated(BaseModel):
    session_id: str


class SessionDeleted(BaseModel):
    session_id: str
    deleted: bool
    rows_deleted: dict[str, int]


class ApiError(BaseModel):
    error: str


# -- the app ---------------------------------------------------------------------------------


def origin_regex(patterns: str) -> str:
    """Allowed origins as one regex: "https://a.example,http://localhost:*" ("*" matches any run of
    characters except "/", so a port or a subdomain; "*" alone allows every origin)."""
    parts = [p.strip().rstrip("/") for p in patterns.split(",") if p.strip()]
    if "*" in parts:
        return ".*"
    return "|".join(re.escape(p).replace(r"\*", "[^/]*") for p in parts) or "(?!)"


def card(rank: int, rec: Recommendation, explanation: str) -> Card:
    i = rec.item
    return Card(rank=rank, id=i.id, title=plain(i.title), year=i.year, domain=i.domain,
                creators=[plain(c) for c in i.creators], genres=[plain(t) for t in i.tags],
                description=plain(i.description, 300), explanation=plain(explanation),
                url=safe_url(i.url), source=source_label(i), license=plain(i.license))


def create_app(settings: Settings, ctx: Context, store: StoreBase | None = None) -> FastAPI:
    """The server: JSON API + widget + the Gradio chat page at "/", sharing one session store."""
    import gradio as gr

    if store is None:
        from bot.runtime import open_sessions

        store = open_sessions(settings)  # SQLite by default, PostgreSQL with TASTEBUD_SESSIONS_URL
    # FastAPI's own /docs page loads Swagger UI from a CDN; FastAPIOffline serves a packaged copy.
    @contextlib.asynccontextmanager
    async def lifespan(_app):
        # the limiter belongs to the running event loop, so it is set once the loop runs
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = API_THREADS
        # turns waiting for a worker count as load (Context.turns_waiting): API calls for a thread,
        # chat-page events in the Gradio queue
        def api_waiting() -> int:
            return limiter.statistics().tasks_waiting

        def page_waiting() -> int:
            return chat_events_waiting(blocks)

        ctx.queues.extend([api_waiting, page_waiting])
        yield
        ctx.queues.remove(api_waiting)
        ctx.queues.remove(page_waiting)

    api = FastAPIOffline(title="tastebud", version="0.1.0", static_url="/docs-assets", lifespan=lifespan,
                         swagger_ui_parameters={"validatorUrl": None},  # no call out to a validator
                         description="A conversational recommender over a fixed catalog of movies, books "
                                     "and music.")
    api.add_middleware(CORSMiddleware, allow_origin_regex=origin_regex(settings.allowed_origins),
                       allow_methods=["GET", "POST", "DELETE"], allow_headers=["Content-Type"], max_age=600)
    errors = {404: {"model": ApiError}, 422: {"model": ApiError}}

    @api.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)

    @api.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors():
            if e.get("type") == "json_invalid":
                parts.append("the request body is not valid JSON")
                continue
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
            parts.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
        return JSONResponse({"error": "; ".join(parts) or "invalid request"}, status_code=422)

    def session(session_id: str) -> str:
        if not store.exists(session_id):
            raise HTTPException(404, "unknown session: it may have been deleted; "
                                     "leave out session_id to start a new conversation")
        return session_id

    def respond(turn: Turn) -> ChatResponse:
        result = turn.result
        cards = []
        for n, rec in enumerate(result.recommendations, start=1):
            texts = list(explain_stream(rec, result.state, ctx.explainer))  # cumulative: the last is whole
            cards.append(card(n, rec, texts[-1] if texts else rec.explanation))
        return ChatResponse(session_id=turn.session_id, answer=turn.answer, reply=reply_text(result),
                            note=result.note, understood=result.understood,
                            tags=[TagOut(**t.__dict__) for t in understood_tags(result.state, ctx)],
                            recommendations=cards, quick_replies=QUICK_REPLIES if cards else [])

    @api.post("/api/chat", response_model=ChatResponse, responses=errors, tags=["chat"])
    def chat(body: ChatRequest) -> ChatResponse:
        """One turn: what the user said (or an item to start from) in, a reply and picks out. The reply
        is the template; `/api/chat/stream` streams the one the LLM writes."""
        return respond(run_turn(body))

    @api.post("/api/chat/stream", responses=errors, tags=["chat"],
              response_class=StreamingResponse)
    def chat_stream(body: ChatRequest) -> StreamingResponse:
        """One turn, streamed as JSON lines: first `{"event": "answer", ...}` (the /api/chat answer, picks
        included, with the template reply, and `reply_pending`: true when an LLM reply follows), then
        `{"event": "reply", "text": ...}` each time the written reply grows (the whole text so far), and
        last `{"event": "done", "reply": ...}` with the reply to keep: the LLM's, or the template when
        the grounding checker refused it or time ran out."""
        turn = run_turn(body)
        first = respond(turn)
        pending = reply_written(turn.result, ctx.reply_writer)

        def lines():
            answer = {"event": "answer", **first.model_dump(), "reply_pending": pending}
            yield json.dumps(answer, ensure_ascii=False) + "\n"
            text = first.reply
            if turn.result.recommendations:
                for text in reply_stream(turn.result, body.message.strip(), ctx.reply_writer):
                    yield json.dumps({"event": "reply", "text": plain(text)}, ensure_ascii=False) + "\n"
            yield json.dumps({"event": "done", "reply": plain(text)}, ensure_ascii=False) + "\n"

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    def run_turn(body: ChatRequest) -> Turn:
        message = body.message.strip()
        if len(message) > settings.max_message_chars:
            raise HTTPException(422, f"message is {len(message)} characters; "
                                     f"the limit is {settings.max_message_chars}")
        if not message and not body.item_id:
            raise HTTPException(422, "message is empty: say what you like, or pass item_id")
        if body.item_id and ctx.catalog.get(body.item_id) is None:
            raise HTTPException(404, f"item_id {body.item_id[:80]!r} is not in the catalog")
        sid = session(body.session_id) if body.session_id else store.create()
        try:
            turn = chat_turn(store, ctx, sid, message, domain=body.domain, item_id=body.item_id,
                             source="api", log_text=settings.log_message_text)
        except UnknownSession as err:  # forgotten between the check and the turn
            raise HTTPException(404, "unknown session") from err
        return turn

    @api.post("/api/feedback", response_model=FeedbackResponse, responses=errors, tags=["chat"])
    def give_feedback(body: FeedbackRequest) -> FeedbackResponse:
        """Thumbs up (liked=true) or down on an item; the next answer takes it into account."""
        session(body.session_id)
        if ctx.catalog.get(body.item_id) is None:
            raise HTTPException(404, f"item_id {body.item_id[:80]!r} is not in the catalog")
        try:
            state = store.record_feedback(body.session_id, body.item_id, body.liked)
        except UnknownSession as err:
            raise HTTPException(404, "unknown session") from err
        return FeedbackResponse(session_id=body.session_id, item_id=body.item_id, liked=body.liked,
                                understood=state.summary(),
                                tags=[TagOut(**t.__dict__) for t in understood_tags(state, ctx)])

    @api.post("/api/tags/remove", response_model=ChatResponse, responses=errors, tags=["chat"])
    def drop_tag(body: TagRequest) -> ChatResponse:
        """Remove one understood tag (as listed in `tags`) and recommend again."""
        session(body.session_id)
        turn = remove_tag(store, ctx, body.session_id, body.kind, body.value, source="api")
        if turn is None:
            raise HTTPException(404, f"no {body.kind} tag {str(body.value)[:80]!r} in this conversation")
        return respond(turn)

    @api.post("/api/sessions", response_model=SessionCreated, status_code=201, tags=["sessions"])
    def new_session() -> SessionCreated:
        return SessionCreated(session_id=store.create())

    @api.delete("/api/sessions/{session_id}", response_model=SessionDeleted, responses=errors,
                tags=["sessions"])
    def forget(session_id: str) -> SessionDeleted:
        """Forget me: delete the session, its turns, what it was shown and its feedback."""
        session(session_id)
        rows = store.count_rows(session_id)
        store.forget(session_id)
        return SessionDeleted(session_id=session_id, deleted=True, rows_deleted=rows)

    @api.get("/api/health", tags=["sessions"])
    def health() -> dict:
        rr = ctx.reranker
        reranker = {"on": rr is not None} | ({"precision": rr.precision, "turns_reranked": rr.scored,
                                             "turns_skipped_busy": rr.skipped} if rr is not None else {})
        w = ctx.reply_writer
        writer = {"on": w is not None} | ({"written": w.stats.written, "refused": w.stats.rejected,
                                          "late": w.stats.late, "skipped_busy": w.stats.skipped,
                                          "gave_way": w.stats.gave_way}
                                         if w is not None else {})
        return {"ok": True, "items": len(ctx.catalog), "reranker": reranker, "reply_writer": writer}

    @api.get("/widget.js", include_in_schema=False)
    def widget_js() -> FileResponse:
        return FileResponse(WEB_DIR / "widget.js", media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=300"})

    @api.get("/widget.css", include_in_schema=False)
    def widget_css() -> FileResponse:
        return FileResponse(WEB_DIR / "widget.css", media_type="text/css",
                            headers={"Cache-Control": "public, max-age=300"})

    @api.get("/examples/{name}", include_in_schema=False)
    def example_page(name: str, request: Request) -> HTMLResponse:
        pages = {p.name: p for p in EXAMPLES_DIR.glob("*.html")}
        if name not in pages:
            raise HTTPException(404, f"no example page {name[:80]!r}")
        base = str(request.base_url).rstrip("/")
        return HTMLResponse(pages[name].read_text(encoding="utf-8").replace(EXAMPLE_BASE, base))

    limit = GRADIO_CONCURRENCY if ctx.reply_writer is None else GRADIO_CONCURRENCY_WRITING
    blocks = build_app(ctx, store, settings).queue(default_concurrency_limit=limit)
    # run_history off: Gradio would otherwise keep every message in the browser's storage.
    return gr.mount_gradio_app(api, blocks, path="/", footer_links=[], run_history=False, css=CSS,
                               show_error=True)


def chat_events_waiting(blocks) -> int:
    """Chat-page events queued behind the running ones. Gradio's queue object is private: its length
    (what its /queue/status reports) is read defensively, and a test holds it on the installed version."""
    queue = getattr(blocks, "_queue", None)
    return len(queue) if queue is not None else 0


def listen_address(settings: Settings, environ: Mapping[str, str] | None = None) -> tuple[str, int]:
    """Where the server listens. First what was asked of tastebud itself (--host/--port, or
    TASTEBUD_HOST/TASTEBUD_PORT), then Gradio's variables, which Hugging Face Spaces sets
    (GRADIO_SERVER_NAME=0.0.0.0, GRADIO_SERVER_PORT=7860), then 127.0.0.1:7860. A setting equal to
    its default counts as not given unless its TASTEBUD_ variable is set."""
    import os

    env = os.environ if environ is None else environ
    default = Settings()
    host, port = settings.host, settings.port
    if host == default.host and "TASTEBUD_HOST" not in env and env.get("GRADIO_SERVER_NAME"):
        host = env["GRADIO_SERVER_NAME"]
    if port == default.port and "TASTEBUD_PORT" not in env and env.get("GRADIO_SERVER_PORT"):
        raw = env["GRADIO_SERVER_PORT"]
        if not raw.strip().isdigit():
            raise ValueError(f"GRADIO_SERVER_PORT={raw!r} is not a port number")
        port = int(raw)
    return host, port


def serve(settings: Settings | None = None) -> None:
    """Serve the whole product (chat page, JSON API, widget) with uvicorn."""
    import uvicorn

    from bot.runtime import build_context, open_catalog

    settings = settings or Settings.from_env()
    host, port = listen_address(settings)
    ctx = build_context(settings, open_catalog(settings))
    app = create_app(settings, ctx)
    print(f"tastebud: chat at http://{host}:{port}/  (API docs /docs, widget /widget.js)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
