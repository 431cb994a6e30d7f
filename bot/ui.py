"""The chat page: a Gradio Blocks app. The conversation and the "what I understood" bar are HTML that
bot/view.py renders from plain data (compact cards, thumbs, removable tags) and bot/web/page-*.js wires
to Gradio events; quick replies, the message box, the domain selector, start over and forget me are
Gradio controls. It talks to the dialogue through bot/turns.py and the session store it is given;
bot/api.py mounts it at "/" and never the other way round.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import gradio as gr

from bot.config import Settings
from bot.context import Context
from bot.explain import explain_stream
from bot.i18n import QUICK_REPLIES as QUICK_BY_LANG
from bot.i18n import and_list, t
from bot.manager import StepResult
from bot.render import card_markdown, md_escape
from bot.reply import reply_stream, reply_text, reply_written
from bot.sessions import SessionStore, UnknownSession
from bot.state import DialogueState
from bot.tags import understood_tags
from bot.turns import Turn, chat_turn, refresh
from bot.view import card_data, conversation_html, esc, tags_html

WEB = Path(__file__).resolve().parent / "web"
EXAMPLES = [
    "a mind-bending sci-fi movie",
    "a feel-good comedy for a family night, nothing scary",
    "a gothic novel with a ghost in it",
    "some chilled electronic music for working",
]
QUICK_REPLIES = QUICK_BY_LANG["en"]  # in Chinese after a Chinese message (each is understood as a critique)
DOMAIN_CHOICES = [("Anything", "any"), ("Movies", "movie"), ("Books", "book"), ("Music", "music")]
HELLO = "Tell me something you like — a film, a book, an album, a mood — and I'll suggest a few."
CSS = (WEB / "page.css").read_text(encoding="utf-8")
CHAT_JS = (WEB / "page-chat.js").read_text(encoding="utf-8")
TAGS_JS = (WEB / "page-tags.js").read_text(encoding="utf-8")
_ROWS = {"turns": ("answer", "answers"), "shown": ("shown pick", "shown picks"),
         "feedback": ("thumb", "thumbs")}

REPLY_UPDATE_S = 0.1  # the written reply reaches the page at most this often (see stream_answer)


# -- rendering -----------------------------------------------------------------------------


def answer(result: StepResult) -> str:
    """The whole answer as one Markdown text (used by tests and plain-text views)."""
    cards = "\n\n".join(card_markdown(n, r.item, r.explanation)
                        for n, r in enumerate(result.recommendations, start=1))
    return md_escape(reply_text(result)) + ("\n\n" + cards if cards else "")


def chat_view(turns: list[dict], state: DialogueState | None, notice: str = "", announce: str = "") -> str:
    return conversation_html(turns, state, hello=HELLO, examples=EXAMPLES, notice=notice, announce=announce,
                             lang=state.lang if state is not None else "en")


def waiting_view(turns: list[dict], state: DialogueState | None, message: str) -> str:
    """The chat box while an answer is worked out: what the user said shows at once, under the earlier
    answers (in place of the examples), with "…" for the reply. Not a `.tb-turn`: no answer yet."""
    waiting = (f'<section class="tb-waiting" aria-busy="true"><div class="tb-msg tb-user">'
               f'<span class="tb-who">You:</span> {esc(message)}</div><div class="tb-msg tb-reply">'
               f'<span class="tb-who">tastebud:</span> …</div></section>')
    view = chat_view(turns, state)
    if not turns:
        view = view.replace(view[view.index('<div class="tb-empty">'):view.index("</ul></div>") + 11], "", 1)
    return view.replace('</div><div class="tb-sr"', waiting + '</div><div class="tb-sr"', 1)


def tags_view(state: DialogueState | None, ctx: Context) -> str:
    if state is None:
        return tags_html([])
    return tags_html(understood_tags(state, ctx), state.lang)


def quick_values(state: DialogueState | None) -> list:
    """The quick-reply buttons' texts in the user's language: the text is what a button sends."""
    replies = QUICK_BY_LANG.get(state.lang if state is not None else "en", QUICK_REPLIES)
    return [gr.Button(value=q) for q in replies]


def domain_of(state: DialogueState) -> str:
    return state.constraints.domain or "any"


def deleted_text(rows: dict[str, int]) -> str:
    """What "forget me" deleted, in words: "this conversation, 2 answers, 10 shown picks and 1 thumb"."""
    parts = ["this conversation"] + [f"{rows[t]} {_ROWS[t][rows[t] != 1]}" for t in _ROWS if rows.get(t)]
    return f"Deleted from the server: {and_list(parts)}. Nothing of it is kept."


# -- the app -------------------------------------------------------------------------------


def build_app(ctx: Context, store: SessionStore, settings: Settings | None = None) -> gr.Blocks:
    settings = settings or Settings.from_env()
    limit = settings.max_message_chars

    def stream_answer(turns: list[dict], turn: Turn, said: str | None) -> Iterator[tuple]:
        """First the cards, then the reply as the LLM writes it (or the template at once), then each
        card's explanation as an LLM explainer streams it (template sentences come with the cards).
        Every update re-renders the conversation, so the reply's words are sent at most every 0.1 s:
        under load the renders, not the model, were what slowed everyone's picks."""
        result, state = turn.result, turn.result.state
        recs = result.recommendations
        replies = reply_stream(result, said or "", ctx.reply_writer if said else None)
        written = bool(said) and reply_written(result, ctx.reply_writer)
        streamed = ctx.explainer is not None
        entry = {"answer": turn.answer, "user": said, "reply": "…" if written else next(replies),
                 "writing": written, "lang": state.lang,
                 "cards": [card_data(n, r, "…" if streamed else r.explanation)
                           for n, r in enumerate(recs, start=1)]}
        turns = [*(turns or []), entry]
        rest = (turns, turn.session_id, tags_view(state, ctx), domain_of(state), gr.Row(visible=bool(recs)),
                *quick_values(state))
        yield (chat_view(turns, state), *rest)
        sent = time.monotonic()
        for text in replies:  # the picks are on screen; the reply streams in after them
            entry["reply"] = text
            if time.monotonic() - sent >= REPLY_UPDATE_S:
                sent = time.monotonic()
                yield (chat_view(turns, state), *rest)
        if written:  # the whole reply, no longer marked as being written
            entry["writing"] = False
            yield (chat_view(turns, state), *rest)
        for n, rec in enumerate(recs if streamed else [], start=1):
            for explanation in explain_stream(rec, state, ctx.explainer):
                entry["cards"][n - 1] = card_data(n, rec, explanation)
                yield (chat_view(turns, state), *rest)

    def respond(message: str, turns: list[dict], sid: str | None, dom: str):
        message = (message or "").strip()
        cut = len(message) > limit  # the box stops typing at the limit; a direct API call may not
        message = message[:limit]
        if not message:
            yield "", *nothing
            return
        new = not (sid and store.exists(sid))
        if new:
            sid = store.create()
            turns = []  # a forgotten or expired conversation starts again
        # the message shows in the chat at once, before the answer is ready
        yield "", waiting_view(turns, None if new else store.load(sid), message), *nothing[1:]
        turn = chat_turn(store, ctx, sid, message, domain=dom if new else None,
                         log_text=settings.log_message_text)
        if cut:
            notice = f"I read only the first {limit:,} characters of that"
            turn.result.note = f"{notice}; {turn.result.note}" if turn.result.note else notice
        for out in stream_answer(turns, turn, message):
            yield ("", *out)

    def on_example(evt: gr.EventData, turns: list[dict], sid: str | None, dom: str):
        yield from respond(str(getattr(evt, "text", "") or ""), turns, sid, dom)

    nothing = (gr.skip(),) * (6 + len(QUICK_REPLIES))

    def on_thumb(evt: gr.EventData, turns: list[dict], sid: str | None):
        item_id, liked = getattr(evt, "item", None), getattr(evt, "liked", None)
        if not (sid and isinstance(item_id, str) and isinstance(liked, bool)):
            return gr.skip(), gr.skip()
        try:
            if item_id not in store.shown_in(sid):
                return gr.skip(), gr.skip()  # only items this conversation showed can be rated here
            state = store.record_feedback(sid, item_id, liked)
        except UnknownSession:
            return gr.skip(), gr.skip()
        said = t("noted_up" if liked else "noted_down", state.lang, title=ctx.title_of(item_id))
        return chat_view(turns, state, announce=said), tags_view(state, ctx)

    def on_drop(evt: gr.EventData, turns: list[dict], sid: str | None):
        kind, value = getattr(evt, "kind", None), getattr(evt, "value", None)
        if not (sid and store.exists(sid) and isinstance(kind, str)):
            yield nothing
            return
        state = store.load(sid)
        tag = next((t for t in understood_tags(state, ctx) if t.kind == kind and t.value == value), None)
        if tag is None or not state.remove_tag(kind, value):
            yield nothing
            return
        note = (f"took back the thumbs-down on {ctx.title_of(tag.value)}" if tag.group == "Avoiding"
                and kind in ("rejected", "disliked_items") else f"dropped {tag.label}")
        turn = refresh(store, ctx, sid, state, note)
        yield from stream_answer(turns, turn, None)

    def on_domain(dom: str, turns: list[dict], sid: str | None):
        if not (sid and store.exists(sid)):
            yield nothing  # no conversation yet: the first message reads the selector
            return
        state = store.load(sid)
        state.constraints.domain = None if dom == "any" else dom
        what = dict((v, k) for k, v in DOMAIN_CHOICES)[dom].lower()
        turn = refresh(store, ctx, sid, state, f"now looking for {what}")
        yield from stream_answer(turns, turn, None)

    def start_over(notice: str = ""):
        view = chat_view([], None, notice=notice, announce=notice)
        return ("", view, [], None, tags_view(None, ctx), "any", gr.Row(visible=False), *quick_values(None),
                gr.Row(visible=False))

    def forget_me(sid: str | None):
        if sid and store.exists(sid):
            rows = store.count_rows(sid)
            store.forget(sid)
            return start_over(deleted_text(rows))
        return start_over("There was nothing to delete: no conversation is kept for this page.")

    with gr.Blocks(title="tastebud", analytics_enabled=False) as demo:  # never phones home, however mounted
        gr.Markdown("# tastebud\n<p>Tell me what you like and I'll pick a few real movies, books or albums "
                    "from the catalog.</p>", elem_id="intro")
        sid = gr.State(None)  # the session id; the conversation itself lives in the session store
        turns = gr.State([])  # what the chat box shows, as plain data (bot/view.py renders it)
        with gr.Row(elem_id="layout"):
            with gr.Column(scale=3, elem_id="main"):
                tags = gr.HTML(tags_view(None, ctx), elem_id="understood", js_on_load=TAGS_JS)
                chat = gr.HTML(chat_view([], None), elem_id="chat", js_on_load=CHAT_JS)
                with gr.Row(visible=False, elem_id="quick") as quick:
                    quick_buttons = [gr.Button(q, size="sm", variant="secondary") for q in QUICK_REPLIES]
                with gr.Row(elem_id="compose"):
                    box = gr.Textbox(placeholder="e.g. a mind-bending sci-fi movie", label="Message",
                                     show_label=False, max_length=limit, elem_id="message",
                                     scale=5, container=False)
                    send = gr.Button("Send", variant="primary", elem_id="send", scale=1, min_width=80)
            with gr.Column(scale=1, elem_id="side"):
                domain = gr.Radio(DOMAIN_CHOICES, value="any", label="Looking for", elem_id="domain")
                reset = gr.Button("Start over", size="sm", variant="secondary", elem_id="reset")
                gr.Markdown("Your conversation is kept on this server under a random id until you delete "
                            "it. JSON API: [/docs](/docs).", elem_id="privacy")
                forget = gr.Button("Forget me…", size="sm", variant="secondary", elem_id="forget")
                with gr.Row(visible=False, elem_id="confirm") as confirm:
                    gr.Markdown("Delete this conversation, what it showed you and your thumbs from the "
                                "server? This cannot be undone.", elem_id="confirm-text")
                    yes = gr.Button("Yes, delete it", size="sm", variant="stop", elem_id="confirm-yes")
                    no = gr.Button("Cancel", size="sm", variant="secondary", elem_id="confirm-no")

        outputs = [box, chat, turns, sid, tags, domain, quick, *quick_buttons]
        answer_outputs = [chat, turns, sid, tags, domain, quick, *quick_buttons]
        hidden = {"api_visibility": "undocumented"}
        # One named endpoint for clients; the JSON API in bot/api.py is the documented one.
        box.submit(respond, [box, turns, sid, domain], outputs, api_name="chat")
        send.click(respond, [box, turns, sid, domain], outputs, **hidden)
        chat.example(on_example, [turns, sid, domain], outputs, **hidden)
        chat.thumb(on_thumb, [turns, sid], [chat, tags], **hidden)
        for button in quick_buttons:
            button.click(respond, [button, turns, sid, domain], outputs, **hidden)
        tags.drop(on_drop, [turns, sid], answer_outputs, **hidden)
        domain.input(on_domain, [domain, turns, sid], answer_outputs, **hidden)
        reset.click(start_over, None, [*outputs, confirm], **hidden)
        forget.click(lambda: gr.Row(visible=True), None, [confirm], **hidden)
        no.click(lambda: gr.Row(visible=False), None, [confirm], **hidden)
        yes.click(forget_me, [sid], [*outputs, confirm], **hidden)
    return demo
