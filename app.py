"""tastebud: tell it what you like, get a few real movies, books or albums.

Run `bash scripts/start.sh` (sets everything up, then serves on http://127.0.0.1:7860),
or `python app.py` once installed. On Hugging Face Spaces this file is the entry point.
"""

from __future__ import annotations

import os

# Set before gradio/numpy load: no analytics calls, and one BLAS thread (see bot.runtime.set_threads).
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import gradio as gr  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.manager import Context, StepResult, step  # noqa: E402
from bot.render import card_markdown, md_escape  # noqa: E402
from bot.reply import reply_text  # noqa: E402
from bot.runtime import build_context, open_catalog  # noqa: E402
from bot.state import DialogueState  # noqa: E402

EXAMPLES = [
    "a mind-bending sci-fi movie",
    "a feel-good comedy for a family night, nothing scary",
    "a gothic novel with a ghost in it",
    "some chilled electronic music for working",
]
DOMAIN_CHOICES = ["any", "movie", "book", "music"]
HELLO = "Tell me something you like — a film, a book, an album, a mood — and I'll suggest a few."


def answer(result: StepResult) -> str:
    cards = "\n\n".join(card_markdown(n, r.item, r.explanation)
                        for n, r in enumerate(result.recommendations, start=1))
    return md_escape(reply_text(result)) + ("\n\n" + cards if cards else "")


def understood_markdown(state: DialogueState) -> str:
    s = state.summary()
    c = s["constraints"]
    limits = [c["domain"] or ""]
    if c["year_min"] or c["year_max"]:
        limits.append(f"{c['year_min'] or '…'}–{c['year_max'] or '…'}")
    limits += [f"by {n}" for n in c["creators"]]
    rows = [
        ("Liking", s["likes"]),
        ("Avoiding", s["dislikes"]),
        ("Limits", [x for x in limits if x]),
    ]
    return "\n".join(f"**{k}:** {md_escape(', '.join(v)) if v else '—'}  " for k, v in rows)


def build_app(ctx: Context) -> gr.Blocks:
    with gr.Blocks(title="tastebud") as demo:
        gr.Markdown("## tastebud\nTell me what you like and I'll pick a few real movies, books or albums.")
        state = gr.State(DialogueState().to_json())
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(height=560, label="Chat", sanitize_html=True, placeholder=HELLO)
                box = gr.Textbox(placeholder="e.g. a mind-bending sci-fi movie", label="Message",
                                 autofocus=True)
                with gr.Row():
                    send = gr.Button("Send", variant="primary")
                    reset = gr.Button("Start over")
                gr.Examples(EXAMPLES, inputs=box)
            with gr.Column(scale=1):
                domain = gr.Radio(DOMAIN_CHOICES, value="any", label="Looking for")
                understood = gr.Markdown(understood_markdown(DialogueState()), label="What I understood")

        def respond(message: str, history: list, state_json: str, dom: str):
            current = DialogueState.from_json(state_json)
            if dom != "any":
                current.constraints.domain = dom
            result = step(current, message or "", ctx)
            history = [*(history or []), {"role": "user", "content": md_escape(message or "")},
                       {"role": "assistant", "content": answer(result)}]
            return "", history, result.state.to_json(), understood_markdown(result.state)

        outputs = [box, chat, state, understood]
        box.submit(respond, [box, chat, state, domain], outputs)
        send.click(respond, [box, chat, state, domain], outputs)
        reset.click(lambda: ("", [], DialogueState().to_json(), understood_markdown(DialogueState()), "any"),
                    None, [*outputs, domain])
    return demo


def launch(settings: Settings | None = None, host: str | None = None, port: int | None = None) -> None:
    settings = settings or Settings.from_env()
    ctx = build_context(settings, open_catalog(settings))
    build_app(ctx).queue(default_concurrency_limit=4).launch(
        server_name=host or settings.host, server_port=port or settings.port, footer_links=["api"]
    )


if __name__ == "__main__":
    launch()
