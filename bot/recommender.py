"""Wires settings, models and the catalog together, and answers a request.

The full dialogue manager (interest tags kept across turns) builds on
`open_catalog` and `Recommender.recommend`; this module stays the one place
that knows how the pieces are constructed.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

import faiss
import torch

from bot.config import Settings
from bot.models import load_embedder
from retrieval import Catalog, Filters, Hit

log = logging.getLogger(__name__)

_DOMAIN_WORDS = {
    "movie": r"movies?|films?|cinema|watch",
    "book": r"books?|novels?|reads?|reading|authors?",
    "music": r"music|albums?|songs?|tracks?|listen|bands?|artists?",
}


def set_threads(n: int) -> None:
    """Thread counts are chosen on purpose: on 2-core VMs, 2 threads ran 3-10x slower than 1 under load."""
    torch.set_num_threads(max(1, n))
    faiss.omp_set_num_threads(max(1, n))


def open_catalog(settings: Settings, progress: bool = True) -> Catalog:
    """Load the embedder and the catalog; build or refresh the index if needed."""
    set_threads(settings.build_threads)
    t0 = time.perf_counter()
    embedder = load_embedder(settings.embedder, threads=settings.build_threads)
    catalog = Catalog.open(
        settings.db_path,
        settings.index_dir,
        embedder,
        catalog_file=settings.catalog_file,
        exact_max=settings.exact_index_max,
        batch_size=settings.embed_batch_size,
        progress=progress,
    )
    set_threads(settings.threads)
    log.info("catalog ready: %d items in %.1fs", len(catalog), time.perf_counter() - t0)
    return catalog


def guess_domain(text: str) -> str | None:
    """The domain a request names, if exactly one is named."""
    found = [d for d, pattern in _DOMAIN_WORDS.items() if re.search(rf"\b(?:{pattern})\b", text, re.I)]
    return found[0] if len(found) == 1 else None


@dataclass
class Recommender:
    catalog: Catalog

    def recommend(self, text: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        text = " ".join(text.split())[:2000]
        if not text:
            return []
        if filters is None:
            filters = Filters(domain=guess_domain(text))
        return self.catalog.search(text, k, filters)
