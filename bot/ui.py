"""The chat page: a Gradio Blocks app (streamed cards, thumbs, quick replies, the "what I understood"
tags, domain selector, start over, forget me). It talks to the dialogue through bot/turns.py and the
session store it is given; bot/api.py mounts it at "/" and never the other way round.
"""

from __future__ import annotations

from collections.abc import Iterator

import gradio as gr

from bot.config import Settings
from bot.context import Context
from bot.explain import explain_stream
from bot.manager import StepResult
from bot.render import card_markdown, md_escape
from bot.reply import reply_text
from bot.sessions import SessionStore, UnknownSession
from bot.state import DialogueState
from bot.tags import understood_tags
from bot.turns import Turn, chat_turn, refresh

EXAMPLES = [
    "a mind-bending sci-fi movie",
    "a feel-good comedy for a family night, nothing scary",
    "a gothic novel with a ghost in it",
    "some chilled electronic music for working",
]
QUICK_REPLIES = ["More like the first one", "Something older", "Something newer", "Not these"]
DOMAIN_CHOICES = [("Anything", "any"), ("Movies", "movie"), ("Books", "book"), ("Music", "music")]
HELLO = "Tell me something you like — a film, a book, an album, a mood — and I'll suggest a few."
CSS = """
#chat .message-row .message { max-width: 92%; }
#understood label { font-size: 0.95em; }
"""
_SEP = "\u241f"  # joins a tag's kind and value in the checkbox values; cannot occur in either


# -- rendering -----------------------------------------------------------------------------


def answer(result: StepResult) -> str:
    """The whole answer as one Markdown text (used by tests and plain-text views)."""
    cards = "\n\n".join(card_markdown(n, r.item, r.explanation)
                        for n, r in enumerate(result.recommendations, start=1))
    return md_escape(reply_text(result)) + ("\n\n" + cards if cards else "")


def card_message(n: int, rec, explanation: str) -> dict:
    # The item id rides along in the message metadata, so a thumb on this card names its item.
    return {"role": "assistant", "content": card_markdown(n, rec.item, explanation),
            "metadata": {"id": rec.item.id}}


def tag_choices(state: DialogueState, ctx: Context) -> gr.CheckboxGroup:
    tags = understood_tags(state, ctx)
    choices = [(f"{t.group}: {t.label}", f"{t.kind}{_SEP}{t.value}") for t in tags]
    info = "Untick a tag to drop it." if tags else "Nothing yet: tell me what you like."
    return gr.CheckboxGroup(choices=choices, value=[v for _, v in choices], info=info)


def domain_of(state: DialogueState) -> str:
    return state.constraints.domain or "any"


def text_of(content) -> str:
    """A Chatbot message's text (Gradio 6 sends content back as a list of typed parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


# -- the app -------------------------------------------------------------------------------


def build_app(ctx: Context, store: SessionStore, settings: Settings | None = None) -> gr.Blocks:
    settings = settings or Settings.from_env()
    limit = settings.max_message_chars

    def stream_answer(history: list, turn: Turn) -> Iterator[tuple]:
        """First the reply and the cards, then each card's explanation as it streams in."""
        result = turn.result
        text = md_escape(reply_text(result))
        history = [*history, {"role": "assistant", "content": text}]
        first = len(history)
        recs = result.recommendations
        history += [card_message(n, r, "…") for n, r in enumerate(recs, start=1)]
        state = result.state
        view = (turn.session_id, tag_choices(state, ctx), domain_of(state), gr.Row(visible=True))
        yield (history, *view)
        for n, rec in enumerate(recs, start=1):
            for explanation in explain_stream(rec, result.state, ctx.explainer):
                history[first + n - 1] = card_message(n, rec, explanation)
                yield (history, *view)

    def ensure_session(sid: str | None) -> str:
        return sid if sid and store.exists(sid) else store.create()

    def respond(message: str, history: list, sid: str | None, dom: str):
        message = (message or "").strip()
        cut = len(message) > limit  # the box stops typing at the limit; a direct API call may not
        message = message[:limit]
        if not message:
            yield "", history, sid, gr.skip(), gr.skip(), gr.skip()
            return
        new = not (sid and store.exists(sid))
        sid = ensure_session(sid)
        turn = chat_turn(store, ctx, sid, message, domain=dom if new else None,
                         log_text=settings.log_message_text)
        if cut:
            notice = f"I read only the first {limit:,} characters of that"
            turn.result.note = f"{notice}; {turn.result.note}" if turn.result.note else notice
        history = [*(history or []), {"role": "user", "content": md_escape(message)}]
        for out in stream_answer(history, turn):
            yield ("", *out)

    def on_example(evt: gr.SelectData, history: list, sid: str | None, dom: str):
        text = evt.value.get("text", "") if isinstance(evt.value, dict) else ""
        yield from respond(text, history, sid, dom)

    nothing = (gr.skip(),) * 5

    def on_tags(ticked: list[str], history: list, sid: str | None):
        if not (sid and store.exists(sid)):
            yield nothing
            return
        state = store.load(sid)
        dropped = [t for t in understood_tags(state, ctx) if f"{t.kind}{_SEP}{t.value}" not in set(ticked)]
        for t in dropped:
            state.remove_tag(t.kind, t.value)
        if not dropped:
            yield nothing
            return
        turn = refresh(store, ctx, sid, state, "dropped " + ", ".join(t.label for t in dropped))
        yield from stream_answer(history or [], turn)

    def on_domain(dom: str, history: list, sid: str | None):
        if not (sid and store.exists(sid)):
            yield nothing  # no conversation yet: the first message reads the selector
            return
        state = store.load(sid)
        state.constraints.domain = None if dom == "any" else dom
        what = dict((v, k) for k, v in DOMAIN_CHOICES)[dom].lower()
        turn = refresh(store, ctx, sid, state, f"now looking for {what}")
        yield from stream_answer(history or [], turn)

    def on_like(history: list, sid: str | None, data: gr.LikeData):
        history = history or []
        index = data.index if isinstance(data.index, int) else -1
        message = history[index] if 0 <= index < len(history) else {}
        item_id = ((message or {}).get("metadata") or {}).get("id")
        liked = {True: True, "Like": True, False: False, "Dislike": False}.get(data.liked)
        if liked is None or not sid:
            return gr.skip()
        if not item_id:
            gr.Info("Use the thumbs under a single pick to tell me about it.")
            return gr.skip()
        try:
            if item_id not in store.shown_in(sid):
                return gr.skip()  # only items this conversation showed can be rated here
            state = store.record_feedback(sid, item_id, liked)
        except UnknownSession:
            return gr.skip()
        title = ctx.title_of(item_id)
        gr.Info(f"Noted: more like {title}." if liked else f"Noted: no more like {title}.")
        return tag_choices(state, ctx)

    def start_over():
        return "", [], None, tag_choices(DialogueState(), ctx), "any", gr.Row(visible=False)

    def forget_me(sid: str | None):
        if sid and store.forget(sid):
            gr.Info("Done: this conversation and its feedback are deleted from the server.")
        return start_over()

    with gr.Blocks(title="tastebud") as demo:
        gr.Markdown("## tastebud\nTell me what you like and I'll pick a few real movies, books or albums "
                    "from the catalog. Thumbs on a pick teach me; untick a tag to drop it.")
        sid = gr.State(None)  # the session id; the conversation itself lives in the session store
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(height=600, label="Chat", elem_id="chat", placeholder=HELLO,
                                  sanitize_html=True, group_consecutive_messages=False,
                                  feedback_options=("Like", "Dislike"), buttons=["copy"],
                                  examples=[{"text": e} for e in EXAMPLES])
                with gr.Row(visible=False, elem_id="quick") as quick:
                    quick_buttons = [gr.Button(q, size="sm", variant="secondary") for q in QUICK_REPLIES]
                box = gr.Textbox(placeholder="e.g. a mind-bending sci-fi movie", label="Message",
                                 autofocus=True, max_length=limit, elem_id="message")
                with gr.Row():
                    send = gr.Button("Send", variant="primary")
                    reset = gr.Button("Start over")
                    forget = gr.Button("Forget me", variant="stop")
            with gr.Column(scale=1):
                domain = gr.Radio(DOMAIN_CHOICES, value="any", label="Looking for", elem_id="domain")
                tags = gr.CheckboxGroup(label="What I understood", elem_id="understood",
                                        info="Nothing yet: tell me what you like.")
                gr.Markdown("Your conversation is kept on this server under a random id; "
                            "**Forget me** deletes it. JSON API: [/docs](/docs).")

        outputs = [box, chat, sid, tags, domain, quick]
        answer_outputs = [chat, sid, tags, domain, quick]
        # One named endpoint for clients; the JSON API in bot/api.py is the documented one.
        box.submit(respond, [box, chat, sid, domain], outputs, api_name="chat")
        hidden = {"api_visibility": "undocumented"}
        send.click(respond, [box, chat, sid, domain], outputs, **hidden)
        chat.example_select(on_example, [chat, sid, domain], outputs, **hidden)
        for button in quick_buttons:
            button.click(respond, [button, chat, sid, domain], outputs, **hidden)
        tags.input(on_tags, [tags, chat, sid], answer_outputs, **hidden)
        domain.input(on_domain, [domain, chat, sid], answer_outputs, **hidden)
        chat.like(on_like, [chat, sid], [tags], **hidden)
        reset.click(start_over, None, outputs, **hidden)
        chat.clear(start_over, None, outputs, **hidden)  # the chat's own bin icon starts over too
        forget.click(forget_me, [sid], outputs, **hidden)
    return demo
