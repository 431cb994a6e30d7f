"""Wires settings, models and the catalog together: the one place that constructs them."""

from __future__ import annotations

import logging
import time

import faiss
import torch

from bot.config import Settings
from bot.context import Context
from bot.models import load_embedder
from retrieval import Catalog

log = logging.getLogger(__name__)


def set_threads(n: int) -> None:
    """Thread counts are chosen on purpose: on 2-core VMs, 2 threads ran 3-10x slower than 1 under load.
    They are process-wide, so they are set at start-up only, never per request."""
    torch.set_num_threads(max(1, n))
    faiss.omp_set_num_threads(max(1, n))


def build_context(settings: Settings, catalog: Catalog) -> Context:
    """The dialogue context with the settings' scoring; the optional LLM parts join when switched on."""
    ctx = Context.build(catalog, settings.interactions_file, settings.scoring)
    if settings.llm_understanding:
        from bot.llm_understand import load_extractor

        ctx.llm_extract = load_extractor(settings.llm, ctx.lexicon, cache_dir=settings.cache_dir,
                                         threads=settings.threads)
    if settings.rerank:
        ctx.reranker = load_reranker(settings)
    if settings.explainer != "off":
        from bot.llm_explain import LLMExplainer

        items = ctx.catalog.items.values()
        genres = {t.lower() for i in items for t in i.tags}
        titles = {i.id: i.title for i in items}
        ctx.explainer = LLMExplainer.from_pretrained(settings.explainer, genres, titles,
                                                     cache_dir=settings.cache_dir, threads=settings.threads)
    set_threads(settings.threads)
    return ctx


def load_reranker(settings: Settings):
    """The LoRA reranker, or None (retrieval's order, with a warning) when its adapter is missing."""
    from bot.rerank import LLMReranker

    try:
        reranker = LLMReranker.from_pretrained(settings.adapter, cache_dir=settings.cache_dir,
                                               threads=settings.threads)
    except FileNotFoundError as err:
        log.warning("%s; the reranker is off and picks keep retrieval's order", err)
        return None
    log.info("reranker: %s, adapter %s, mode %s", reranker.model_id, reranker.adapter, reranker.mode)
    return reranker


def open_catalog(settings: Settings, progress: bool = True) -> Catalog:
    """Load the embedder and the catalog; build or refresh the index if needed."""
    set_threads(settings.build_threads)
    t0 = time.perf_counter()
    embedder = load_embedder(settings.embedder, threads=settings.build_threads, cache_dir=settings.cache_dir)
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
