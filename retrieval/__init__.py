"""Catalog storage and candidate retrieval: SQLite items, FTS title lookup, FAISS search."""

from retrieval.catalog import Catalog, Embedder, Filters, Hit
from retrieval.items import DOMAINS, Item, ReadReport, read_items

__all__ = ["Catalog", "DOMAINS", "Embedder", "Filters", "Hit", "Item", "ReadReport", "read_items"]
