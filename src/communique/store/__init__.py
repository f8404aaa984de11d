"""The corpus store: documents and their extractions in SQLite (default) or PostgreSQL.

>>> from communique.store import Store
>>> store = Store("communique.db")            # or "postgresql://user:pw@host/db"
>>> summary = store.ingest(items)             # idempotent; failures are recorded, not raised
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from communique.errors import CommuniqueError
from communique.extractor import EXTRACTOR
from communique.model import Document
from communique.store.db import Database, StoreError, database_url
from communique.store.schema import migrate
from communique.store.writer import (
    Item,
    clear_failures,
    delete_document,
    document_key,
    existing,
    item_document,
    record_failure,
    safe_extract,
    write_document,
)

__all__ = ["Item", "ItemError", "Store", "StoreError", "Summary", "database_url"]


@dataclass(frozen=True, slots=True)
class ItemError:
    """An input that could not even be read (a bad record, an unreachable URL)."""

    origin: str
    error: str
    raw: str | None = None


@dataclass
class Summary:
    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    started: float = field(default_factory=time.perf_counter)
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def line(self) -> str:
        rate = self.seen / self.seconds if self.seconds > 0 else 0.0
        return (
            f"{self.seen} documents in {self.seconds:.1f}s ({rate:.0f}/s): {self.added} added, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.failed} failed"
        )


ProgressHook = Callable[[Summary], None]


class Store:
    def __init__(self, url: str | None = None) -> None:
        self.db = Database(database_url(url))
        migrate(self.db)

    @classmethod
    def on(cls, db: Database) -> Store:
        """A store over an open (already migrated) database connection."""
        store = cls.__new__(cls)
        store.db = db
        return store

    def close(self) -> None:
        self.db.close()

    # -- writing -------------------------------------------------------------------------------
    def ingest(
        self,
        items: Iterable[Item | ItemError],
        *,
        progress: ProgressHook | None = None,
        batch: int = 100,
        command: str = "ingest",
    ) -> Summary:
        """Store every item: new documents are added, changed ones replace their old extraction,
        unchanged ones are skipped. Work is committed in batches, so a killed run loses at most
        one batch and a rerun completes it (ids are content-derived, never row counters)."""
        summary = Summary()
        run_id = self._start_run(command)
        pending: list[Item | ItemError] = []
        for item in items:
            pending.append(item)
            if len(pending) >= batch:
                self._ingest_batch(pending, summary, progress)
                pending = []
        if pending:
            self._ingest_batch(pending, summary, progress)
        self._finish_run(run_id, summary)
        return summary

    def _ingest_batch(
        self, items: list[Item | ItemError], summary: Summary, progress: ProgressHook | None
    ) -> None:
        with self.db.transaction():
            for item in items:
                self._ingest_one(item, summary)
                if progress is not None:
                    progress(summary)

    def _ingest_one(self, item: Item | ItemError, summary: Summary) -> None:
        summary.seen += 1
        if isinstance(item, ItemError):
            self._fail(summary, item.origin, "read", item.error, item.raw)
            return
        try:
            doc = item_document(item)
        except CommuniqueError as exc:
            self._fail(summary, item.origin, "ingest", str(exc), item.raw)
            return
        key = document_key(doc)
        old = existing(self.db, key)
        if old is not None and old["id"] == doc.id and old["extractor"] == EXTRACTOR:
            summary.unchanged += 1
            return
        readout, error = safe_extract(doc)
        if error is not None:
            self._fail(summary, item.origin, "extract", error, None, key)
        if old is not None:
            delete_document(self.db, key)
        write_document(self.db, item, doc, readout, EXTRACTOR)
        if readout is not None:
            clear_failures(self.db, item.origin)
        if old is None:
            summary.added += 1
        else:
            summary.updated += 1

    def load(self, out: Path, *, progress: ProgressHook | None = None, batch: int = 100) -> Summary:
        """Bring the Parquet output of `communique batch` into the store, with the cross-report
        merge, idempotently (the same rules as ingest: unchanged documents are skipped)."""
        from communique.batch import read_parquet_rows

        summary = Summary()
        run_id = self._start_run("load")
        failures: dict[str, list[dict[str, Any]]] = {}
        for f in read_parquet_rows(out, "failures"):
            failures.setdefault(f["origin"], []).append(f)
        seen_origins: set[str] = set()
        pending: list[dict[str, Any]] = []

        def flush() -> None:
            with self.db.transaction():
                for row in pending:
                    seen_origins.add(row["origin"])
                    self._load_one(row, failures.get(row["origin"], []), summary)
                    if progress is not None:
                        progress(summary)
            pending.clear()

        for row in read_parquet_rows(out, "documents"):
            pending.append(row)
            if len(pending) >= batch:
                flush()
        flush()
        with self.db.transaction():
            for origin, fails in failures.items():
                if origin in seen_origins:
                    continue
                for f in fails:
                    summary.seen += 1
                    self._fail(summary, origin, f["stage"], f["error"], f["raw"])
        self._finish_run(run_id, summary)
        return summary

    def _load_one(self, row: dict[str, Any], fails: list[dict[str, Any]], summary: Summary) -> None:
        from communique.model import Readout

        summary.seen += 1
        key = row["key"]
        old = existing(self.db, key)
        if old is not None and old["id"] == row["id"] and old["extractor"] == row["extractor"]:
            summary.unchanged += 1
            return
        readout = None
        if row["readout"]:
            data = json.loads(row["readout"])
            data["document"]["text"] = row["text"]
            readout = Readout.from_dict(data)
        doc = Document(
            text=row["text"],
            id=row["id"],
            url=row["url"],
            title=row["title"],
            published=row["published"],
            source=row["source"],
            source_country=row["source_country"],
            language=row["language"] or "en",
        )
        item = Item(origin=row["origin"], raw=row["raw"], fmt=row["raw_format"], url=row["url"])
        for f in fails:
            self._fail(summary, row["origin"], f["stage"], f["error"], f["raw"], key)
        if old is not None:
            delete_document(self.db, key)
        write_document(self.db, item, doc, readout, row["extractor"] or "")
        if readout is not None:
            clear_failures(self.db, row["origin"])
        if old is None:
            summary.added += 1
        else:
            summary.updated += 1

    def _fail(
        self,
        summary: Summary,
        origin: str,
        stage: str,
        error: str,
        raw: str | None,
        key: str | None = None,
    ) -> None:
        """Record a failure (the run goes on) and count it."""
        record_failure(self.db, origin, stage, error, raw, key)
        summary.failed += 1
        summary.failures.append((origin, error))

    def reprocess(
        self, *, progress: ProgressHook | None = None, everything: bool = False
    ) -> Summary:
        """Re-extract stored documents (those from another extractor version, or all)."""
        where = "" if everything else "WHERE extractor IS NULL OR extractor <> ?"
        params = () if everything else (EXTRACTOR,)
        keys = [
            r["key"]
            for r in self.db.query(f"SELECT key FROM documents {where} ORDER BY key", params)
        ]
        items = (self._stored_item(k) for k in keys)
        return self.ingest(items, progress=progress, command="reprocess")

    def _stored_item(self, key: str) -> Item:
        row = self.db.query(
            "SELECT origin, raw, raw_format, url, published, title, source, text FROM documents "
            "WHERE key = ?",
            (key,),
        )[0]
        # remove first so that the item is re-extracted even when its content is the same
        with self.db.transaction():
            delete_document(self.db, key)
        return Item(
            origin=row["origin"],
            raw=row["raw"] or row["text"],
            fmt=row["raw_format"],
            url=row["url"],
            published=row["published"],
            title=row["title"],
            source=row["source"],
        )

    # -- runs --------------------------------------------------------------------------------
    def _start_run(self, command: str) -> int:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.db.transaction():
            self.db.execute("INSERT INTO runs (started_at, command) VALUES (?, ?)", (now, command))
            return int(self.db.scalar("SELECT MAX(id) FROM runs"))

    def _finish_run(self, run_id: int, s: Summary) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.db.transaction():
            self.db.execute(
                "UPDATE runs SET finished_at = ?, seen = ?, added = ?, updated = ?, unchanged = ?, "
                "failed = ? WHERE id = ?",
                (now, s.seen, s.added, s.updated, s.unchanged, s.failed, run_id),
            )

    # -- reading -------------------------------------------------------------------------------
    def document(self, key: str) -> Document | None:
        rows = self.db.query("SELECT * FROM documents WHERE key = ?", (key,))
        if not rows:
            return None
        r = rows[0]
        return Document(
            text=r["text"],
            id=r["id"],
            url=r["url"],
            title=r["title"],
            published=r["published"],
            source=r["source"],
            source_country=r["source_country"],
            language=r["language"] or "en",
        )
