#!/usr/bin/env bash
# Set up if needed, then serve tastebud on the demo catalog (offline): one uvicorn server on
# port 7860 (TASTEBUD_PORT or --port) with the chat page at /, the JSON API under /api
# (docs at /docs) and the embeddable widget at /widget.js.
# The first start also builds the search index (a few minutes, with progress bars).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-browser
exec .venv/bin/python -m bot.cli serve "$@"
