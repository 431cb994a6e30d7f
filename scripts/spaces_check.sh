#!/usr/bin/env bash
# Install and start tastebud the way Hugging Face Spaces does, then ask it something:
#   1. copy the committed files (git archive HEAD) into a temp dir, as Spaces checks out the repo;
#   2. a clean venv there, `pip install -r requirements.txt` (timed; the venv's size is measured);
#   3. `python app.py` with GRADIO_SERVER_NAME=0.0.0.0 and GRADIO_SERVER_PORT set, as Spaces sets them;
#      the first start embeds and indexes the demo catalog into a fresh .cache (as a Space's cold start);
#   4. wait until /api/health answers, POST a chat turn to /api/chat, check that picks come back, then a
#      second turn in Chinese (its explanations are Chinese); then stop the app and delete the temp dir.
# What differs from Spaces (printed at the end too): Spaces builds its own image (Python from the README's
# python_version, its own pip, and packages of its own such as gradio at sdk_version), and takes torch
# from wherever the Space's PIP_EXTRA_INDEX_URL points (PyTorch's CPU index, set by its owner). Here
# torch==2.13.0 comes from a local copy of the CPU wheel through pip's own configuration (find-links), and
# the other packages from PyPI. (--as-spaces and the --extra-index-url filter below are kept for a
# requirements file that names an index; this repository's does not.)
#
# usage: bash scripts/spaces_check.sh [--as-spaces] [--keep]
#   --as-spaces  use requirements.txt exactly as it is (a machine that reaches PyTorch's index)
#   --keep       keep the temp dir (venv, cache, app log) and print where it is
# env: PYTHON (default python3.11, else python3), SPACES_CHECK_TIMEOUT (seconds to wait for the app, 3600)
set -euo pipefail
cd "$(dirname "$0")/.."

as_spaces=0 keep=0
for arg in "$@"; do
  case "$arg" in
    --as-spaces) as_spaces=1 ;;
    --keep) keep=1 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
TIMEOUT=${SPACES_CHECK_TIMEOUT:-3600}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tastebud-spaces.XXXXXX")
APP_PID=""
cleanup() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  if [ "$keep" = 1 ]; then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "==> copying the committed files ($(git rev-parse --short HEAD)) to $WORK/app"
mkdir -p "$WORK/app"
git archive HEAD | tar -x -C "$WORK/app"
cd "$WORK/app"
if [ "$as_spaces" = 1 ]; then
  cp requirements.txt "$WORK/requirements.txt"
else
  grep -v '^--extra-index-url' requirements.txt > "$WORK/requirements.txt"
  echo "    (without requirements.txt's --extra-index-url line: torch's CPU wheel comes from pip's local config)"
fi

echo "==> clean venv with $("$PY" --version)"
"$PY" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
echo "    $("$VPY" -m pip --version)"
echo "==> pip install -r requirements.txt"
start=$(date +%s)
"$VPY" -m pip install --no-cache-dir -q -r "$WORK/requirements.txt"
install_s=$(( $(date +%s) - start ))
venv_size=$(du -sh "$WORK/venv" | cut -f1)
packages=$("$VPY" -m pip list --format=freeze | wc -l)
torch_version=$("$VPY" -c 'import torch; print(torch.__version__, "cuda" if torch.version.cuda else "cpu")')
unwanted=$("$VPY" -m pip list --format=freeze | grep -iE '^(nvidia-|llama[-_]cpp|llm==|triton==)' || true)
echo "    installed in ${install_s} s: ${packages} packages, venv ${venv_size}, torch ${torch_version}"
if [ -n "$unwanted" ]; then
  echo "FAIL: packages the app never uses were installed:"; echo "$unwanted"; exit 1
fi

PORT=$("$VPY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "==> python app.py with GRADIO_SERVER_NAME=0.0.0.0 GRADIO_SERVER_PORT=$PORT (first start builds the index)"
start=$(date +%s)
GRADIO_SERVER_NAME=0.0.0.0 GRADIO_SERVER_PORT=$PORT "$VPY" app.py > "$WORK/app.log" 2>&1 &
APP_PID=$!
until curl -fsS "http://127.0.0.1:$PORT/api/health" > /dev/null 2>&1; do
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    echo "FAIL: the app exited; the end of its log:"; tail -30 "$WORK/app.log"; exit 1
  fi
  if [ $(( $(date +%s) - start )) -gt "$TIMEOUT" ]; then
    echo "FAIL: not listening after $TIMEOUT s; the end of its log:"; tail -30 "$WORK/app.log"; exit 1
  fi
  sleep 5
done
listen_s=$(( $(date +%s) - start ))
echo "    listening after ${listen_s} s: $(grep -m1 'tastebud: chat at' "$WORK/app.log" || true)"

ask() {  # ask MESSAGE [SESSION]: POST one turn, print the answer's JSON
  "$VPY" - "$PORT" "$@" <<'PY'
import json, sys, time, urllib.request
port, message = sys.argv[1], sys.argv[2]
body = {"message": message} | ({"session_id": sys.argv[3]} if len(sys.argv) > 3 else {})
req = urllib.request.Request(f"http://127.0.0.1:{port}/api/chat", json.dumps(body).encode(),
                             {"Content-Type": "application/json"})
t = time.monotonic()
with urllib.request.urlopen(req, timeout=300) as r:
    answer = json.load(r)
answer["_seconds"] = round(time.monotonic() - t, 2)
print(json.dumps(answer))
PY
}
check() {  # check JSON LANG: picks came back (print them); in Chinese the explanations are Chinese
  "$VPY" - "$@" <<'PY'
import json, re, sys
answer, lang = json.loads(sys.argv[1]), sys.argv[2]
recs = answer.get("recommendations") or []
print(f"    {answer['_seconds']} s, {len(recs)} picks; reply: {answer['reply'][:100]}")
for r in recs:
    print(f"      - {r['title']} ({r.get('year') or '–'}): {r['explanation']}")
assert len(recs) >= 3, "fewer than 3 picks came back"
if lang == "zh":
    for r in recs:
        rest = r["explanation"]
        for name in sorted(r["creators"], key=len, reverse=True):
            rest = rest.replace(name, "")
        assert not re.search(r"[A-Za-z]", rest), f"English left in a Chinese explanation: {r['explanation']}"
PY
}
echo "==> POST /api/chat: a mind-bending sci-fi movie"
first=$(ask "a mind-bending sci-fi movie")
check "$first" en
session=$("$VPY" -c 'import json, sys; print(json.loads(sys.argv[1])["session_id"])' "$first")
echo "==> POST /api/chat (same session): 来点老一点的 (something older, in Chinese)"
second=$(ask "来点老一点的" "$session")
check "$second" zh

echo "==> POST /api/chat/stream (same session): a heist movie with a clever twist (the reply the LLM writes)"
"$VPY" - "$PORT" "$session" <<'PY'
import json, sys, time, urllib.request
port, session = sys.argv[1], sys.argv[2]
body = {"message": "a heist movie with a clever twist", "session_id": session}
req = urllib.request.Request(f"http://127.0.0.1:{port}/api/chat/stream", json.dumps(body).encode(),
                             {"Content-Type": "application/json"})
t, first, picks, done = time.monotonic(), None, None, None
with urllib.request.urlopen(req, timeout=300) as r:
    for line in r:
        event = json.loads(line)
        if event["event"] == "answer":
            picks = time.monotonic() - t
            assert len(event["recommendations"]) >= 3, "fewer than 3 picks came back"
        elif event["event"] == "reply" and first is None:
            first = time.monotonic() - t
        elif event["event"] == "done":
            done = event["reply"]
total = time.monotonic() - t
print(f"    picks after {picks:.2f} s, first word of the reply after {first:.2f} s, whole after {total:.2f} s")
print(f"    reply: {done}")
with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=30) as r:
    health = json.load(r)
print(f"    reranker: {health['reranker']}; reply writer: {health['reply_writer']}")
assert done, "no reply"
PY

cat <<EOF
==> spaces check passed
    install: ${install_s} s, ${packages} packages, venv ${venv_size}, torch ${torch_version}
    first start until listening (index built from scratch): ${listen_s} s
    requirements: $([ "$as_spaces" = 1 ] && echo "as committed" || echo "without the --extra-index-url line")
    differs from Spaces: Spaces builds its own image (Python from python_version, its own pip and packages,
    e.g. gradio at sdk_version) on its own machine; here a venv on this machine, packages from PyPI or
    pip's local mirror and torch's CPU wheel from a local copy; the index is built on this machine's cores.
EOF
