"""Scripted conversations: `python -m bot --script FILE.json`.

FILE.json is {"turns": ["...", ...]} or a list of such objects; each object is a
fresh session. One JSON object is printed per turn:

    {"session": s, "turn": i, "reply": "...", "understood": {...}, "recommendations": [...]}

with up to 5 recommendations. No input makes it crash: an error becomes a polite
reply in the same shape.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from bot.config import add_setting_flags, settings_from_args  # noqa: E402
from bot.state import DialogueState  # noqa: E402

SORRY = "Sorry, something went wrong on my side with that message. Could you rephrase it?"


def load_script(path: Path) -> list[list[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    sessions = data if isinstance(data, list) else [data]
    out = []
    for n, session in enumerate(sessions):
        if not isinstance(session, dict) or not isinstance(session.get("turns"), list):
            raise ValueError(f"session {n}: expected an object with a list of \"turns\"")
        out.append([t if isinstance(t, str) else json.dumps(t) for t in session["turns"]])
    return out


def run_session(turns: list[str], ctx, session: int = 0):
    from bot.manager import step
    from bot.reply import reply_text

    state = DialogueState()
    for i, text in enumerate(turns):
        try:
            result = step(state, text, ctx)
            state = result.state
            yield {"session": session, "turn": i, "reply": reply_text(result),
                   "understood": result.understood,
                   "recommendations": [r.to_dict() for r in result.recommendations[:5]]}
        except Exception:  # a bug must not end the conversation: answer politely, keep the state
            logging.getLogger(__name__).exception("turn %d failed", i)
            yield {"session": session, "turn": i, "reply": SORRY, "understood": state.summary(),
                   "recommendations": []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--script", type=Path, required=True, help="JSON file with the turns")
    add_setting_flags(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    try:
        sessions = load_script(args.script)
    except (OSError, ValueError) as err:
        print(f"error: cannot read {args.script}: {err}", file=sys.stderr)
        return 2

    from bot.runtime import build_context, open_catalog

    settings = settings_from_args(args)
    ctx = build_context(settings, open_catalog(settings, progress=True))
    for s, turns in enumerate(sessions):
        for row in run_session(turns, ctx, s):
            print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
