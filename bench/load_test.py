"""Load test on loopback: the real server (uvicorn, full demo catalog) under concurrent sessions.

    flock /tmp/tastebud-cpu.lock .venv/bin/python -m bench.load_test          # 50 sessions x 10 turns
    .venv/bin/python -m bench.load_test --sessions 5 --turns 3 --limits 4      # a quick look

Each setting starts a fresh server process on a free port with its own sessions file, then
`--sessions` threads each hold one conversation of `--turns` turns through POST /api/chat, all
starting together. Session i asks for its own domain and genre first; every later answer must keep
that session's domain, its liked facets, its answer counter and never repeat a pick: a state that
leaked between sessions would break one of these. Reported per setting: errors, leaks, p50/p95/max
latency, throughput. What is varied is what bounds concurrency in the server: the thread pool that
runs the API's sync endpoints (anyio's limiter, 40 by default) and, for the chat page, the Gradio
queue's default_concurrency_limit (driven through its /chat event over HTTP, as the page sends it).
Results: bench/results/load.json. The whole run is bounded by --deadline seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "load.json"

# (domain, first message, the liked facet it must produce)
OPENERS = [
    ("movie", "a horror movie", "horror"), ("book", "a mystery novel", "mystery"),
    ("music", "some jazz music", "jazz"), ("movie", "a western film", "western"),
    ("book", "a science fiction book", "science fiction"), ("music", "an electronic album", "electronic"),
    ("movie", "a romantic comedy movie", "romance"), ("book", "a book of poetry", "poetry"),
    ("movie", "an animated movie", "animated"), ("music", "some rock music", "rock"),
]
FOLLOW_UPS = ["another one", "something older", "more like the first one", "not these", "something newer",
              "another one", "more like the second one", "other options", "another one"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the server side ----------------------------------------------------------------------


def serve(port: int, api_threads: int, gradio_concurrency: int) -> None:
    """Run the product as scripts/start.sh does, with the two concurrency bounds set."""
    import asyncio

    import anyio.to_thread
    import uvicorn

    import bot.api
    from bot.config import Settings
    from bot.runtime import build_context, open_catalog

    settings = Settings.from_env()
    ctx = build_context(settings, open_catalog(settings, progress=False))
    bot.api.GRADIO_CONCURRENCY = bot.api.GRADIO_CONCURRENCY_WRITING = gradio_concurrency
    app = bot.api.create_app(settings, ctx)

    async def main() -> None:
        # the limiter belongs to the running event loop, so it is set from inside it
        anyio.to_thread.current_default_thread_limiter().total_tokens = api_threads
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
        await uvicorn.Server(config).serve()

    asyncio.run(main())


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    sessions_file: Path


def start_server(tmp: Path, api_threads: int = 40, gradio_concurrency: int = 4, timeout: float = 180,
                 sessions: Path | None = None) -> Server:
    """A server process on a free port (its log under tmp); `sessions` reuses a sessions file."""
    import httpx

    port = free_port()
    sessions = sessions or tmp / f"sessions-{port}.db"
    env = {**os.environ, "TASTEBUD_SESSIONS_FILE": str(sessions), "OPENBLAS_NUM_THREADS": "1",
           "GRADIO_ANALYTICS_ENABLED": "False"}
    log = open(tmp / f"server-{port}.log", "w+b")  # noqa: SIM115 - lives as long as the server; a file, not a pipe: a full pipe would block the server
    cmd = [sys.executable, "-m", "bench.load_test", "--serve", str(port), "--api-threads", str(api_threads),
           "--gradio-concurrency", str(gradio_concurrency)]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited: {log.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return Server(proc, url, sessions)
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start in time")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


# -- the client side ----------------------------------------------------------------------


@dataclass
class Run:
    latencies_ms: list[float] = field(default_factory=list)
    picks_ms: list[float] = field(default_factory=list)  # chat page: until the picks are on screen
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float | None = None, error: str | None = None, leak: str | None = None,
            picks_ms: float | None = None) -> None:
        with self.lock:
            if ms is not None:
                self.latencies_ms.append(ms)
            if picks_ms is not None:
                self.picks_ms.append(picks_ms)
            if error:
                self.errors.append(error)
            if leak:
                self.leaks.append(leak)


def conversation(url: str, i: int, turns: int, run: Run, start: threading.Event, deadline: float) -> None:
    """One session's turns; every answer is checked against this session's own state."""
    import httpx

    domain, opener, facet = OPENERS[i % len(OPENERS)]
    messages = [opener] + [FOLLOW_UPS[(i + t) % len(FOLLOW_UPS)] for t in range(turns - 1)]
    sid, seen, likes = None, set(), None
    start.wait()
    with httpx.Client(base_url=url, timeout=120) as client:
        for n, message in enumerate(messages, start=1):
            if time.monotonic() > deadline:
                run.add(error=f"s{i} t{n}: deadline passed")
                return
            body = {"message": message, **({"session_id": sid} if sid else {})}
            t0 = time.perf_counter()
            try:
                r = client.post("/api/chat", json=body)
            except httpx.HTTPError as err:
                run.add(error=f"s{i} t{n}: {type(err).__name__}: {err}")
                return
            run.add(ms=1000 * (time.perf_counter() - t0))
            if r.status_code != 200:
                run.add(error=f"s{i} t{n}: HTTP {r.status_code} {r.text[:200]}")
                return
            data = r.json()
            sid = sid or data["session_id"]
            got = data["understood"]
            problems = []
            if data["session_id"] != sid:
                problems.append(f"session id changed to {data['session_id'][:6]}")
            if data["answer"] != n:
                problems.append(f"answer {data['answer']} on turn {n}")
            if got["constraints"]["domain"] != domain:
                problems.append(f"domain {got['constraints']['domain']} not {domain}")
            if n == 1:
                likes = got["likes"]
                if facet not in likes:
                    problems.append(f"first turn likes {likes}, expected {facet}")
            elif got["likes"] != likes:
                problems.append(f"likes changed {likes} -> {got['likes']}")
            ids = [c["id"] for c in data["recommendations"]]
            if any(c["domain"] != domain for c in data["recommendations"]):
                problems.append("a pick from another domain")
            if seen & set(ids):
                problems.append(f"repeated picks {sorted(seen & set(ids))[:2]}")
            seen |= set(ids)
            for p in problems:
                run.add(leak=f"s{i} t{n} ({message!r}): {p}")


def drive_api(url: str, sessions: int, turns: int, budget_s: float) -> dict:
    run, start = Run(), threading.Event()
    deadline = time.monotonic() + budget_s
    threads = [threading.Thread(target=conversation, args=(url, i, turns, run, start, deadline))
               for i in range(sessions)]
    for t in threads:
        t.start()
    t0 = time.perf_counter()
    start.set()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return summary(run, sessions * turns, wall)


def chat_fn_index(url: str) -> int:
    """The chat page's /chat event, as the page's message box triggers it."""
    import httpx

    config = httpx.get(url + "/config", timeout=30).json()
    return next(d["id"] for d in config["dependencies"] if d.get("api_name") == "chat")


def gradio_conversation(url: str, i: int, turns: int, run: Run, start: threading.Event,
                        fn_index: int = 0) -> None:
    """One chat-page session through the Gradio queue, speaking its protocol as the page does: join
    the queue with the message, then read the event's stream of updates. Raw httpx rather than
    gradio_client, whose polling threads and diff bookkeeping took 0.8 of this machine's 2 cores
    (8.3 CPU s in a 10 s run of 20 sessions) away from the server being measured."""
    import uuid

    import httpx

    domain, opener, _ = OPENERS[i % len(OPENERS)]
    session = uuid.uuid4().hex[:11]  # one Gradio session: the conversation is its server-side state
    start.wait()
    with httpx.Client(base_url=url + "/gradio_api", timeout=180) as client:
        for n, message in enumerate([opener] + FOLLOW_UPS[: turns - 1], start=1):
            t0 = time.perf_counter()
            picks_ms, final = None, None
            marker = f'data-answer=\\"{n}\\"'  # this turn's answer is on the page (JSON-escaped)
            try:
                # inputs: the message, the page's two states (kept by the server), the domain selector
                body = {"data": [message, None, None, "any"], "fn_index": fn_index, "session_hash": session,
                        "event_data": None, "trigger_id": None}
                event = client.post("/queue/join", json=body).raise_for_status().json()["event_id"]
                with client.stream("GET", "/queue/data", params={"session_hash": session}) as stream:
                    for line in stream.iter_lines():
                        if event not in line:
                            continue
                        if picks_ms is None and marker in line:
                            picks_ms = 1000 * (time.perf_counter() - t0)
                        if '"process_completed"' in line:
                            final = json.loads(line[len("data:"):])
                            break
                if final is None or not final.get("success"):
                    raise RuntimeError(f"no answer: {str(final)[:200]}")
                dom = final["output"]["data"][5]  # outputs: box, chat, 2 states, tags, domain, ...
            except Exception as err:  # any failure of the queue is an error to count
                run.add(error=f"g{i} t{n}: {type(err).__name__}: {str(err)[:200]}")
                return
            run.add(ms=1000 * (time.perf_counter() - t0), picks_ms=picks_ms)
            if dom != domain:
                run.add(leak=f"g{i} t{n}: domain {dom} not {domain}")


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time used so far by this process (all its threads), or by another process on Linux."""
    if pid is None:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drive_gradio(url: str, sessions: int, turns: int, server_pid: int | None = None) -> dict:
    """One chat-page user alone first (the baseline), then `sessions` at once on the same server."""
    fn = chat_fn_index(url)
    alone, go = Run(), threading.Event()
    go.set()
    for i in range(4):  # 12 turns alone: the p95 of 6 moved the ratio by half a point run to run
        gradio_conversation(url, i, turns, alone, go, fn)
    baseline = _picks(alone.picks_ms)
    run, start = Run(), threading.Event()
    threads = [threading.Thread(target=gradio_conversation, args=(url, i, turns, run, start, fn))
               for i in range(sessions)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    t0, driver0, server0 = time.perf_counter(), cpu_seconds(), cpu_seconds(server_pid) if server_pid else 0.0
    start.set()
    for t in threads:
        t.join()
    out = summary(run, sessions * turns, time.perf_counter() - t0)
    # the load generator shares the machine with the server: what each used is part of the result
    out["cpu_s"] = {"driver": round(cpu_seconds() - driver0, 1)}
    if server_pid:
        out["cpu_s"]["server"] = round(cpu_seconds(server_pid) - server0, 1)
    if baseline and "picks_p95_ms" in out:
        out["single_user"] = {"errors": len(alone.errors), "picks_p50_ms": baseline["picks_p50_ms"],
                              "picks_p95_ms": baseline["picks_p95_ms"],
                              "p50_ms": summary(alone, 0, 1).get("p50_ms")}
        out["picks_p95_vs_single_user"] = round(out["picks_p95_ms"] / baseline["picks_p95_ms"], 2)
    return out


def _picks(ms: list[float]) -> dict:
    """Time until the picks were on the chat page (the answer's second output), when measured."""
    v = sorted(ms)
    return {"picks_n": len(v), "picks_p50_ms": round(statistics.median(v), 1),
            "picks_p95_ms": round(v[int(0.95 * (len(v) - 1))], 1)} if v else {}


def summary(run: Run, requests: int, wall: float) -> dict:
    v = sorted(run.latencies_ms)
    lat = {"p50_ms": round(statistics.median(v), 1), "p95_ms": round(v[int(0.95 * (len(v) - 1))], 1),
           "max_ms": round(v[-1], 1)} if v else {}
    return {"requests": requests, "answered": len(v), "errors": len(run.errors),
            "error_examples": run.errors[:5],
            "leaks": len(run.leaks), "leak_examples": run.leaks[:5], **lat, **_picks(run.picks_ms),
            "wall_s": round(wall, 1),
            "turns_per_s": round(len(v) / wall, 2) if wall else None}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    p.add_argument("--api-threads", type=int, default=40)
    p.add_argument("--gradio-concurrency", type=int, default=4)
    p.add_argument("--sessions", type=int, default=50)
    p.add_argument("--turns", type=int, default=10)
    p.add_argument("--limits", default="1,4,40", help="API thread-pool sizes to try")
    p.add_argument("--gradio-limits", default="1,4,16", help="Gradio queue limits to try ('' to skip)")
    p.add_argument("--gradio-sessions", type=int, default=20)
    p.add_argument("--gradio-turns", type=int, default=3)
    p.add_argument("--deadline", type=float, default=900, help="seconds for the whole run")
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    if args.serve:
        serve(args.serve, args.api_threads, args.gradio_concurrency)
        return 0

    import httpx

    end = time.monotonic() + args.deadline
    out: dict = {"machine": {"cpus": os.cpu_count(), "load_avg_at_start": os.getloadavg()},
                 "sessions": args.sessions, "turns": args.turns, "api": {}, "gradio": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for limit in [int(x) for x in args.limits.split(",") if x]:
            server = start_server(Path(tmp), api_threads=limit, gradio_concurrency=4)
            try:
                budget = max(30.0, end - time.monotonic())
                alone = drive_api(server.url, 1, args.turns, budget)  # the same server, one user first
                res = drive_api(server.url, args.sessions, args.turns, budget)
                health = httpx.get(server.url + "/api/health", timeout=30).json()
            finally:
                stop_server(server)
            res["single_user"] = {k: alone[k] for k in ("errors", "p50_ms", "p95_ms")}
            res["p95_vs_single_user"] = round(res["p95_ms"] / alone["p95_ms"], 2) if alone["p95_ms"] else None
            res["reranker"] = health.get("reranker")
            out["api"][str(limit)] = res
            print(f"API, thread pool {limit}: {json.dumps(res)}", flush=True)
        for limit in [int(x) for x in args.gradio_limits.split(",") if x]:
            if time.monotonic() > end - 60:
                out["gradio"][str(limit)] = {"skipped": "out of time"}
                continue
            server = start_server(Path(tmp), api_threads=40, gradio_concurrency=limit)
            try:
                res = drive_gradio(server.url, args.gradio_sessions, args.gradio_turns, server.proc.pid)
            finally:
                stop_server(server)
            out["gradio"][str(limit)] = res
            print(f"Gradio queue, concurrency {limit}: {json.dumps(res)}", flush=True)
    ok_api = {k: v for k, v in out["api"].items() if not v["errors"] and not v["leaks"]}
    ok_gr = {k: v for k, v in out["gradio"].items() if "p95_ms" in v and not v["errors"] and not v["leaks"]}
    out["chosen"] = {
        "api_threads": min(ok_api, key=lambda k: ok_api[k]["p95_ms"]) if ok_api else None,
        "gradio_concurrency": min(ok_gr, key=lambda k: ok_gr[k]["p95_ms"]) if ok_gr else None,
        "rule": "lowest p95 among settings with 0 errors and 0 leaks",
    }
    out["machine"]["load_avg_at_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"chosen: {out['chosen']}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
