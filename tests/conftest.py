"""Shared fixtures: the real packaged embedder, and small real catalogs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parent.parent
DEMO_CATALOG = REPO / "data" / "catalog.jsonl.gz"


CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium as the issue prescribes; without the networking flags it keeps calling out.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def free_port():
    """A function returning a free loopback port, for servers the tests start."""
    import socket

    def pick() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    return pick


@pytest.fixture(scope="session")
def serve_app(free_port):
    """A context manager serving an ASGI app with uvicorn in a thread, as scripts/start.sh does;
    it yields the base URL once the server is up and stops it on exit."""
    import contextlib
    import threading
    import time

    import uvicorn

    @contextlib.contextmanager
    def serve(app):
        port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
        srv = uvicorn.Server(config)
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not srv.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            srv.should_exit = True
            thread.join(timeout=10)

    return serve


@pytest.fixture(scope="session")
def serve_pages():
    """A context manager serving fixed HTML pages ({path: html}; 404 elsewhere) on their own origin
    (localhost, not 127.0.0.1), as a shop's page would be; it yields the base URL."""
    import contextlib
    import http.server
    import threading

    @contextlib.contextmanager
    def serve(pages: dict[str, str]):
        class Page(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the stdlib's name
                body = pages.get(self.path, "").encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        srv = http.server.ThreadingHTTPServer(("localhost", 0), Page)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        try:
            yield f"http://localhost:{srv.server_address[1]}"
        finally:
            srv.shutdown()
            srv.server_close()

    return serve


@pytest.fixture(scope="session")
def browser():
    """Real headless Chromium driven by Playwright, shared by the browser tests."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup.sh as root (installs Debian chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


BROWSER_SHOTS = REPO / "test-output" / "browser"
BROWSER_WAIT_MS = 90_000  # generous: the CPU is shared; these are waits, not timing checks


@pytest.fixture
def page(browser):
    """A fresh 1280x900 page whose waits are generous; the test fails if it called out to the internet.
    Screenshots go to test-output/browser/ (BROWSER_SHOTS)."""
    from urllib.parse import urlparse

    BROWSER_SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(BROWSER_WAIT_MS)
    outside: list[str] = []

    def check(request) -> None:
        if urlparse(request.url).hostname not in ("127.0.0.1", "localhost", None):
            outside.append(request.url)

    pg.on("request", check)
    yield pg
    context.close()
    assert outside == [], f"the page called out to the internet: {outside[:5]}"


class CountingEmbedder:
    """The real embedder, counting how many texts it was asked to encode."""

    def __init__(self, inner, model_id: str | None = None):
        self.inner = inner
        self.model_id = model_id or inner.model_id
        self.dim = inner.dim
        self.encoded = 0

    def encode(self, texts, batch_size=64, show_progress=False):
        self.encoded += len(texts)
        return self.inner.encode(texts, batch_size=batch_size, show_progress=show_progress)


@pytest.fixture(scope="session")
def real_embedder():
    from bot.models import load_embedder

    return load_embedder("packaged", threads=1)


@pytest.fixture
def embedder(real_embedder):
    return CountingEmbedder(real_embedder)


@pytest.fixture(scope="session")
def demo_items():
    """A deterministic slice of the shipped demo catalog: real items from every domain."""
    from retrieval import read_items

    items = read_items(DEMO_CATALOG).items
    by_domain: dict[str, list] = {}
    for item in items:
        by_domain.setdefault(item.domain, []).append(item)
    # every 40th movie/book and every 15th album: ~780 real items, embedded in ~10 s
    picked = by_domain["movie"][::40] + by_domain["book"][::40] + by_domain["music"][::15]
    return picked


@pytest.fixture(scope="session")
def catalog_items():
    """The whole demo catalog's items (no index): what the understanding layer is built from."""
    if not DEMO_CATALOG.exists():
        pytest.skip(f"demo catalog missing: {DEMO_CATALOG.relative_to(REPO)}")
    from retrieval.items import read_items

    return read_items(DEMO_CATALOG).items


@pytest.fixture(scope="session")
def lexicon(catalog_items):
    from bot.understand import Lexicon

    return Lexicon.from_items(catalog_items)


@pytest.fixture(scope="session")
def linker(catalog_items):
    from bot.understand import title_index_linker

    return title_index_linker(catalog_items)


@pytest.fixture(scope="session")
def understand(lexicon, linker):
    """`extract` over the demo catalog's lexicon and titles; files that need a fixed reference year or a
    domain hint define their own."""
    from bot.understand import extract

    return lambda text, **kw: extract(text, lexicon, linker, **kw)


@pytest.fixture(scope="session")
def full_catalog():
    """The whole demo catalog with its index, as the app opens it (built by scripts/test.sh first)."""
    from bot.config import Settings
    from bot.runtime import open_catalog

    return open_catalog(Settings.from_env(), progress=True)


@pytest.fixture(scope="session")
def ctx(full_catalog):
    from bot.config import Settings
    from bot.context import Context

    return Context.build(full_catalog, Settings.from_env().interactions_file)


# -- a real PostgreSQL server for the session-store tests ------------------------------------------


def _pg_bindir() -> Path | None:
    import glob

    found = glob.glob("/usr/lib/postgresql/*/bin")
    for d in sorted(found, key=lambda p: int(p.split("/")[-2]), reverse=True):
        if Path(d, "initdb").exists() and Path(d, "pg_ctl").exists():
            return Path(d)
    return None


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server on a unix socket in a temp dir, for this test session only.

    Debian's postgresql package (scripts/setup.sh installs it); as root the server runs as the
    `postgres` user, since initdb refuses root. Stopped and deleted at the end of the session."""
    import shutil
    import subprocess
    import tempfile

    bindir = _pg_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL is missing: run scripts/setup.sh as root (installs Debian's postgresql)")
    base = Path(tempfile.mkdtemp(prefix="tastebud-pg-"))  # short: a socket path must fit 107 bytes
    data = base / "data"
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(base, "postgres", "postgres")
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []

    def run(*cmd: str) -> None:
        subprocess.run([*prefix, *cmd], check=True, capture_output=True, timeout=120)

    port = 54321
    run(str(bindir / "initdb"), "-D", str(data), "-U", "tastebud", "--auth=trust", "-E", "UTF8", "--no-sync")
    opts = f"-k {base} -c listen_addresses='' -p {port} -c fsync=off -c synchronous_commit=off"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-o", opts, "-w", "start")
    try:
        yield f"postgresql://tastebud@/postgres?host={base}&port={port}"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty database on the test server; dropped afterwards."""
    import secrets

    import psycopg

    name = "t_" + secrets.token_hex(6)
    with psycopg.connect(pg_server, autocommit=True) as con:
        con.execute(f"create database {name}")
    yield pg_server.replace("/postgres?", f"/{name}?")
    with psycopg.connect(pg_server, autocommit=True) as con:
        con.execute(f"drop database if exists {name} with (force)")


@pytest.fixture(scope="session")
def ray_local():
    """One small local Ray instance shared by the Ray tests (2 CPUs, no dashboard), shut down after."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=200 * 2**20)
    yield ray
    ray.shutdown()


def chat(ctx, *turns: str, k: int | None = None, state=None) -> list:
    """One conversation through `bot.manager.step`: the StepResult of every turn, in order."""
    from bot.manager import step
    from bot.state import DialogueState

    state, out = state or DialogueState(), []
    for text in turns:
        result = step(state, text, ctx, k=k)
        out.append(result)
        state = result.state
    return out
