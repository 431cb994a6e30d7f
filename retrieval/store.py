"""Items in SQLite (via sqlite-utils), with an FTS5 index on titles and creators."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from retrieval.items import Item

_WORD = re.compile(r"\w+", re.UNICODE)
# Words too common to identify a title; without this "the matrix" matches every "The ...".
_STOPWORDS = frozenset({
    "a", "an", "and", "the", "of", "in", "on", "at", "to", "for", "from", "with", "by", "or", "is", "are",
    "was", "were", "be", "i", "me", "my", "we", "you", "it", "this", "that", "like", "loved", "love", "liked",
    "enjoyed", "watched", "read",
})


def _to_row(item: Item, origin: str) -> dict:
    row = item.to_dict()
    row["origin"] = origin
    row["creators"] = json.dumps(row["creators"], ensure_ascii=False)
    row["tags"] = json.dumps(row["tags"], ensure_ascii=False)
    row["content_hash"] = item.content_hash()
    row["prior"] = item.prior  # always present, so an upsert also clears a prior that is gone
    return row


def _from_row(row: dict) -> Item:
    return Item(
        id=row["id"],
        domain=row["domain"],
        title=row["title"],
        year=row["year"],
        creators=tuple(json.loads(row["creators"] or "[]")),
        tags=tuple(json.loads(row["tags"] or "[]")),
        description=row["description"] or "",
        url=row["url"] or "",
        license=row["license"] or "",
        prior=row.get("prior"),
    )


def fts_query(text: str) -> str:
    """Turn free text into a safe FTS5 query: every word quoted, any may match.

    Quoting each token means user text can never be parsed as FTS syntax.
    """
    words = [w for w in _WORD.findall(text.lower()) if (len(w) > 1 or w.isdigit()) and w not in _STOPWORDS]
    return " OR ".join(f'"{w}"' for w in words[:32])


class ItemStore:
    """The catalog's durable copy. Reads are served from memory by the caller."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection shared by Gradio's worker threads, guarded by a lock.
        conn = sqlite3.connect(self.path, check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        self.db.enable_wal()
        self._lock = threading.Lock()
        self._ensure_schema()

    def _ensure_schema(self) -> None:
        if "items" not in self.db.table_names():
            self.db["items"].create(
                {
                    "id": str,
                    "domain": str,
                    "title": str,
                    "year": int,
                    "creators": str,
                    "tags": str,
                    "description": str,
                    "url": str,
                    "license": str,
                    "content_hash": str,
                    "origin": str,  # "file" (synced from the catalog file) or "ingest"
                    "prior": float,
                },
                pk="id",
            )
            self.db["items"].create_index(["domain"])
            self.db["items"].enable_fts(["title", "creators"], create_triggers=True)
        elif "prior" not in self.db["items"].columns_dict:
            # A store made before items had priors: add the column; Catalog.open re-syncs the values.
            self.db["items"].add_column("prior", float)
        if "meta" not in self.db.table_names():
            self.db["meta"].create({"key": str, "value": str}, pk="key")

    # metadata -------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self._lock:
            rows = list(self.db.query("select value from meta where key = ?", [key]))
        return rows[0]["value"] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        with self._lock, self.db.conn:
            self.db["meta"].upsert({"key": key, "value": value}, pk="key")

    # items ----------------------------------------------------------------
    def count(self) -> int:
        with self._lock:
            return self.db["items"].count

    def upsert(self, items: Iterable[Item], origin: str = "ingest") -> int:
        rows = [_to_row(i, origin) for i in items]
        with self._lock, self.db.conn:
            self.db["items"].upsert_all(rows, pk="id", batch_size=1000)
        return len(rows)

    def replace_origin(self, items: Iterable[Item], origin: str) -> int:
        """Replace every item of this origin by `items`, in one transaction.

        Items of another origin are kept, and win when an id is in both.
        """
        rows = [_to_row(i, origin) for i in items]
        with self._lock, self.db.conn:
            self.db.execute("delete from items where origin = ?", [origin])
            self.db["items"].insert_all(rows, pk="id", batch_size=1000, ignore=True)
        return len(rows)

    def replace_all(self, items: Iterable[Item], origin: str = "ingest") -> int:
        """Make the table hold exactly these items, in one transaction."""
        rows = [_to_row(i, origin) for i in items]
        with self._lock, self.db.conn:
            self.db.execute("delete from items")
            self.db["items"].insert_all(rows, pk="id", batch_size=1000)
        return len(rows)

    def delete(self, ids: Iterable[str]) -> None:
        with self._lock, self.db.conn:
            for item_id in ids:
                self.db.execute("delete from items where id = ?", [item_id])

    def all_items(self) -> list[Item]:
        with self._lock:
            return [_from_row(r) for r in self.db.query("select * from items order by rowid")]

    def find_titles(self, text: str, limit: int = 10, domain: str | None = None) -> list[tuple[Item, float]]:
        """Full-text lookup on title and creators; best (lowest bm25) first."""
        query = fts_query(text)
        if not query:
            return []
        sql = (
            "select items.*, bm25(items_fts, 10.0, 1.0) as rank from items_fts "
            "join items on items.rowid = items_fts.rowid where items_fts match ?"
        )
        args: list = [query]
        if domain:
            sql += " and items.domain = ?"
            args.append(domain)
        sql += " order by rank limit ?"
        args.append(limit)
        with self._lock:
            rows = list(self.db.query(sql, args))
        return [(_from_row(r), float(r["rank"])) for r in rows]

    def close(self) -> None:
        self.db.conn.close()
