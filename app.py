"""tastebud: tell it what you like, get a few real movies, books or albums.

Run `bash scripts/start.sh` (sets everything up, then serves on http://127.0.0.1:7860),
or `python app.py` once installed. On Hugging Face Spaces this file is the entry point.
"""

from __future__ import annotations

import os

# Set before gradio/numpy load: no analytics calls, and one BLAS thread (see bot.recommender.set_threads).
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import gradio as gr  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.recommender import Recommender, open_catalog  # noqa: E402
from bot.render import card_markdown  # noqa: E402
from retrieval import Filters  # noqa: E402

EXAMPLES = [
    "a mind-bending sci-fi movie",
    "a feel-good comedy for a family night",
    "a gothic novel with a ghost in it",
    "some chilled electronic music for working",
]
DOMAIN_CHOICES = ["any", "movie", "book", "music"]


def reply_text(rec: Recommender, message: str, domain: str) -> str:
    message = message.strip()
    if not message:
        return "Tell me something you like — a film, a book, a mood — and I'll suggest a few."
    filters = None if domain == "any" else Filters(domain=domain)
    hits = rec.recommend(message, k=5, filters=filters)
    if not hits:
        return "I couldn't find anything for that in the catalog. Could you say it another way?"
    cards = "\n\n".join(card_markdown(n, hit.item) for n, hit in enumerate(hits, start=1))
    return f"Here are a few picks from the catalog:\n\n{cards}"


def build_app(rec: Recommender) -> gr.Blocks:
    with gr.Blocks(title="tastebud") as demo:
        gr.Markdown("## tastebud\nTell me what you like and I'll pick a few real movies, books or albums.")
        domain = gr.Radio(DOMAIN_CHOICES, value="any", label="Looking for")
        chat = gr.Chatbot(height=520, label="Chat", sanitize_html=True)
        box = gr.Textbox(placeholder="e.g. a mind-bending sci-fi movie", label="Message", autofocus=True)
        with gr.Row():
            send = gr.Button("Send", variant="primary")
            reset = gr.Button("Start over")
        gr.Examples(EXAMPLES, inputs=box)

        def respond(message: str, history: list, dom: str):
            history = list(history or [])
            history.append({"role": "user", "content": message})
            history.append({"role": "assistant", "content": reply_text(rec, message, dom)})
            return "", history

        box.submit(respond, [box, chat, domain], [box, chat])
        send.click(respond, [box, chat, domain], [box, chat])
        reset.click(lambda: ("", []), None, [box, chat])
    return demo


def launch(settings: Settings | None = None, host: str | None = None, port: int | None = None) -> None:
    settings = settings or Settings.from_env()
    rec = Recommender(open_catalog(settings))
    build_app(rec).queue(default_concurrency_limit=4).launch(
        server_name=host or settings.host, server_port=port or settings.port, footer_links=["api"]
    )


if __name__ == "__main__":
    launch()
