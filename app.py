"""tastebud: tell it what you like, get a few real movies, books or albums.

Run `bash scripts/start.sh` (sets everything up, then serves on http://127.0.0.1:7860),
or `python app.py` once installed; on Hugging Face Spaces this file is the entry point.
One server (bot/api.py) serves the chat page (bot/ui.py), the JSON API and the widget.
"""

import os

# Set before gradio/numpy load: no analytics calls, and one BLAS thread (see bot.runtime.set_threads).
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from bot.api import serve  # noqa: E402

if __name__ == "__main__":
    serve()
