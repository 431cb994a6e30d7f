"""What a user sees in real Chromium on the chat page: from pressing Enter to their message in the
chat, to the picks' cards, and to the end of the written reply, for one conversation per domain.

    bash scripts/start.sh &                                   # the product, as served
    .venv/bin/python -m bench.page_timing http://127.0.0.1:7860

Times are taken inside the page (performance.now() at the key press, a MutationObserver for the
message, the answer's first card, and the reply's aria-busy going away). Needs Debian's chromium
(scripts/setup.sh). Results: bench/results/page_timing.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "page_timing.json"
CHROMIUM = "/usr/bin/chromium"
CONVERSATIONS = [
    ["a heist movie with a clever twist", "something older", "no violence"],
    ["a gothic novel with a ghost", "another one", "shorter please"],
    ["some chilled electronic music", "more like the second one"],
    ["我想看一部感人的家庭电影", "来点老一点的"],
]
# set at the key press; filled by a MutationObserver as the page changes
WATCH = """([n, said]) => {
  if (window.__obs) window.__obs.disconnect();
  const t = window.__t = {start: performance.now(), shown: null, picks: null, reply: null};
  const check = () => {
    const chat = document.querySelector('#chat'); if (!chat) return;
    const now = performance.now();
    if (t.shown === null && chat.innerText.includes(said)) t.shown = now - t.start;
    const turn = chat.querySelector(`.tb-turn[data-answer="${n}"]`);
    if (t.picks === null && turn && turn.querySelector('.tb-card')) t.picks = now - t.start;
    const reply = turn && turn.querySelector('.tb-reply');
    if (t.reply === null && reply && !reply.hasAttribute('aria-busy') && reply.innerText.trim().length > 12)
      t.reply = now - t.start;
  };
  window.__obs = new MutationObserver(check);
  window.__obs.observe(document.body, {subtree: true, childList: true, characterData: true,
                                       attributes: true, attributeFilter: ['aria-busy']});
}"""


def run(url: str) -> dict:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for conversation in CONVERSATIONS:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "/")
            box = page.locator("#message textarea")
            box.wait_for()
            for n, said in enumerate(conversation, start=1):
                box.fill(said)
                page.evaluate(WATCH, [n, said])
                box.press("Enter")
                page.wait_for_function("() => window.__t.reply !== null", timeout=60_000)
                t = page.evaluate("() => window.__t")
                rows.append({"said": said, "answer": n, "message_ms": round(t["shown"] or -1),
                             "picks_ms": round(t["picks"]), "reply_done_ms": round(t["reply"])})
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
            page.close()
        browser.close()

    def p50(key: str) -> float:
        return round(statistics.median(r[key] for r in rows))

    return {"url_kind": "local", "turns": len(rows), "message_p50_ms": p50("message_ms"),
            "picks_p50_ms": p50("picks_ms"), "picks_max_ms": max(r["picks_ms"] for r in rows),
            "reply_done_p50_ms": p50("reply_done_ms"), "target_picks_p50_ms": 800, "rows": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url", help="the running app, e.g. http://127.0.0.1:7860")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    out = run(args.url.rstrip("/"))
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in out.items() if k != "rows"}), f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
