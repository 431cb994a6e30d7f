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
def browser():
    """Real headless Chromium driven by Playwright, shared by the browser tests."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup.sh as root (installs Debian chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


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
