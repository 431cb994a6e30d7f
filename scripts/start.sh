#!/usr/bin/env bash
# Set up if needed, then serve the chat app on the demo catalog (offline).
# The first start also builds the search index (a few minutes, with progress bars).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m bot.cli serve "$@"
