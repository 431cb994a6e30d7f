"""Wires settings, models and the catalog together: the one place that constructs them."""

from __future__ import annotations

import functools
import logging
import time

import faiss
import torch

from bot.config import Settings
from bot.context import Context
from bot.models import load_embedder
from bot.sessions import SessionStore, StoreBase
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
    load_learned(ctx, settings)
    if settings.zh_embedder:
        from bot.understand.zh_fallback import load_matcher

        ctx.lexicon.zh_fallback = load_matcher(ctx.lexicon.counts, settings.cache_dir)
    if settings.llm_understanding:
        from bot.llm_understand import load_extractor

        ctx.llm_extract = load_extractor(settings.llm, ctx.lexicon, cache_dir=settings.cache_dir,
                                         threads=settings.threads)
    if settings.rerank:
        ctx.reranker = load_reranker(settings)
    if settings.reply_llm != "off":
        from bot.llm_reply import LLMReplyWriter

        items = ctx.catalog.items.values()
        ctx.reply_writer = LLMReplyWriter.from_pretrained(
            settings.reply_llm, {t.lower() for i in items for t in i.tags}, {i.id: i.title for i in items},
            cache_dir=settings.cache_dir, threads=settings.rerank_threads, budget_s=settings.reply_budget_s,
            others_busy=lambda: ctx.turns_running() > 0, others_waiting=lambda: ctx.turns_waiting() > 0)
    if settings.explainer != "off":
        from bot.llm_explain import LLMExplainer

        items = ctx.catalog.items.values()
        genres = {t.lower() for i in items for t in i.tags}
        titles = {i.id: i.title for i in items}
        ctx.explainer = LLMExplainer.from_pretrained(settings.explainer, genres, titles,
                                                     cache_dir=settings.cache_dir, threads=settings.threads)
    set_threads(settings.threads)
    return ctx


def load_learned(ctx: Context, settings: Settings) -> None:
    """The learned dialogue query and neighbour contexts; a missing or mismatched file leaves the
    signal out with a warning instead of stopping the app."""
    from retrieval.neighbours import Neighbours
    from retrieval.query_head import QueryHead

    model_id = getattr(ctx.catalog.embedder, "model_id", None)
    if settings.query_head is not None:
        try:
            ctx.query_head = QueryHead.from_pretrained(settings.query_head, model_id)
        except (FileNotFoundError, ValueError) as e:
            log.warning("learned dialogue query off: %s", e)
    if settings.neighbours_file is not None:
        try:
            ctx.neighbours = Neighbours.load(settings.neighbours_file, model_id)
        except (FileNotFoundError, ValueError) as e:
            log.warning("neighbour dialogues off: %s", e)


def load_reranker(settings: Settings):
    """The LoRA reranker, or None (retrieval's order, with a warning) when its adapter is missing."""
    from bot.rerank import LLMReranker

    try:
        reranker = LLMReranker.from_pretrained(settings.adapter, cache_dir=settings.cache_dir,
                                               threads=settings.rerank_threads,
                                               precision=settings.rerank_precision,
                                               max_in_flight=settings.rerank_max_in_flight)
    except FileNotFoundError as err:
        log.warning("%s; the reranker is off and picks keep retrieval's order", err)
        return None
    log.info("reranker: %s, adapter %s, mode %s, %s, %d threads", reranker.model_id, reranker.adapter,
             reranker.mode, reranker.precision, reranker.threads)
    return reranker


def bulk_encoder(settings: Settings, embedder, progress: bool = True):
    """How the index embeds what it lacks: shard by shard here, or on Ray (identical vectors)."""
    from retrieval.embedding import embed_local, embed_ray

    batch, shard = settings.embed_batch_size, settings.embed_shard_size
    if settings.embed_engine == "local":
        return lambda texts: embed_local(embedder, texts, batch, shard, progress)
    if settings.embed_engine != "ray":
        raise ValueError(f"embed_engine must be local or ray, not {settings.embed_engine!r}")
    # each Ray worker loads its own embedder with one thread (one worker per CPU)
    factory = functools.partial(load_embedder, settings.embedder, threads=1, cache_dir=settings.cache_dir)
    return lambda texts: embed_ray(factory, embedder.model_id, embedder.dim, texts, settings.shards_dir,
                                   batch_size=batch, shard_size=shard, address=settings.ray_address,
                                   num_cpus=settings.build_threads, progress=progress)


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
        bulk_encode=bulk_encoder(settings, embedder, progress),
        compressed_min=settings.compressed_index_min,
        index_shards=settings.index_shards,
    )
    set_threads(settings.threads)
    log.info("catalog ready: %d items in %.1fs", len(catalog), time.perf_counter() - t0)
    return catalog


def open_sessions(settings: Settings) -> StoreBase:
    """The session store the settings name: PostgreSQL for `sessions_url`, else the SQLite file."""
    url = settings.sessions_url
    if url and url.split(":", 1)[0] in ("postgresql", "postgres"):
        from bot.sessions_pg import PgSessionStore

        return PgSessionStore(url, store_message_text=settings.log_message_text,
                              idle_hours=settings.session_idle_hours)
    if url:
        raise ValueError(f"sessions_url must start with postgresql://, not {url.split(':', 1)[0]!r}")
    return SessionStore(settings.sessions_path, store_message_text=settings.log_message_text,
                        idle_hours=settings.session_idle_hours)
