"""The store: documents and their extractions in SQLite (default) or PostgreSQL. Persistence
only: it writes and deletes the rows it is given (:mod:`communique.tables`), keeps the
search index, the actor statistics and the cross-report merge up to date, and records failures
and runs. Reading inputs and extracting are the runners' business (:mod:`communique.runners`).

>>> from communique.store import Store
>>> from communique.runners.ingest import ingest
>>> store = Store("communique.db")            # or "postgresql://user:pw@host/db"
>>> summary = ingest(store, items)            # idempotent; failures are recorded, not raised
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from communique.errors import StoreError
from communique.store.db import Database, database_url
from communique.store.schema import migrate
from communique.store.writer import (
    clear_failures,
    delete_document,
    existing,
    record_failure,
    write_rows,
)
from communique.tables import Rows

__all__ = ["Database", "Store", "StoreError", "database_url"]
T = TypeVar("T")


class Store:
    def __init__(self, url: str | None = None, *, query_timeout: float | None = None) -> None:
        self.db = Database(database_url(url), query_timeout=query_timeout)
        try:
            migrate(self.db)
        except BaseException:
            self.db.close()
            raise

    @classmethod
    def on(cls, db: Database) -> Store:
        """A store over an open (already migrated) database connection."""
        store = cls.__new__(cls)
        store.db = db
        return store

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.db.transaction():
            yield

    def write(self, work: Callable[[], T]) -> T:
        """``work()`` in one transaction, run again while the database is busy with another
        writer (:meth:`Database.write`)."""
        return self.db.write(work)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside a transaction: the block's writes are undone alone when it raises."""
        with self.db.savepoint():
            yield

    # -- documents -------------------------------------------------------------------------------
    def holds(self, key: str, doc_id: str, extractor: str | None) -> bool:
        """Whether the store holds this document (same key and content) from this extractor."""
        old = existing(self.db, key)
        return old is not None and old["id"] == doc_id and old["extractor"] == extractor

    def put(self, rows: Rows) -> bool:
        """Store one document's rows (:func:`communique.tables.document_rows`), replacing
        the document with the same key and its extraction; returns whether one was replaced. An
        extracted document clears the failures recorded for its input. Call it inside a
        transaction: the old rows go and the new ones come in the same commit."""
        document = rows["documents"][0]
        replaced = existing(self.db, document["key"]) is not None
        if replaced:
            delete_document(self.db, document["key"])
        write_rows(self.db, rows)
        if document["readout"] is not None:
            clear_failures(self.db, document["origin"])
        return replaced

    def delete(self, key: str) -> None:
        delete_document(self.db, key)

    def keys(self, *, not_from: str | None = None) -> list[str]:
        """Keys of the stored documents, in order; with ``not_from``, only those that extractor
        did not extract."""
        if not_from is None:
            rows = self.db.query("SELECT key FROM documents ORDER BY key")
        else:
            rows = self.db.query(
                "SELECT key FROM documents WHERE extractor IS NULL OR extractor <> ? ORDER BY key",
                (not_from,),
            )
        return [r["key"] for r in rows]

    def stored_input(self, key: str) -> dict[str, Any]:
        """What a stored document was read from: its origin, raw input and metadata."""
        return self.db.query(
            "SELECT origin, raw, raw_format, url, published, title, source, text FROM documents "
            "WHERE key = ?",
            (key,),
        )[0]

    def record_failure(
        self, origin: str, stage: str, error: str, raw: str | None, doc_key: str | None = None
    ) -> None:
        """Record an input that failed at a stage (read, ingest, extract); a later failure of the
        same input at the same stage replaces it."""
        record_failure(self.db, origin, stage, error, raw, doc_key)

    # -- runs ------------------------------------------------------------------------------------
    def start_run(self, command: str) -> int:
        now = datetime.now(UTC).isoformat(timespec="seconds")

        def insert() -> int:
            return int(
                self.db.scalar(
                    "INSERT INTO runs (started_at, command) VALUES (?, ?) RETURNING id",
                    (now, command),
                )
            )

        return self.db.write(insert)

    def finish_run(
        self, run_id: int, *, seen: int, added: int, updated: int, unchanged: int, failed: int
    ) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self.db.write(
            lambda: self.db.execute(
                "UPDATE runs SET finished_at = ?, seen = ?, added = ?, updated = ?, unchanged = ?, "
                "failed = ? WHERE id = ?",
                (now, seen, added, updated, unchanged, failed, run_id),
            )
        )
