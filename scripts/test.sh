#!/usr/bin/env bash
# Set up if needed, then lint and run the test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
# The same first-start step as the app: embed and index the demo catalog if it changed
# (minutes the first time, seconds after). Multi-turn tests run on the real catalog.
.venv/bin/python -m bot.cli index
exec .venv/bin/python -m pytest -q "$@"
