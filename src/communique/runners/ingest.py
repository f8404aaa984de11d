"""Filling a store: inputs through :func:`communique.process.process` into it (``ingest``), its
own documents again after an upgrade (``reprocess``), or a ``batch`` output (``load``).

Work is committed in batches, so a killed run loses at most one batch and a rerun completes it:
ids are derived from content, never from row counters. Failures are recorded and the run goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from communique.process import EXTRACTOR, process
from communique.runners.parquet import read_rows
from communique.sources import Item, ItemError
from communique.store import Store
from communique.tables import Row, Rows, document_rows, readout_of

T = TypeVar("T")


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


def ingest(
    store: Store,
    items: Iterable[Item | ItemError],
    *,
    progress: ProgressHook | None = None,
    batch: int = 100,
    command: str = "ingest",
) -> Summary:
    """Store every item: new documents are added, changed ones replace their old extraction,
    unchanged ones are skipped (not even extracted)."""

    def one(item: Item | ItemError, summary: Summary) -> None:
        summary.seen += 1
        outcome = process(item, stored=store.holds)
        if outcome.unchanged:
            summary.unchanged += 1
            return
        failure = outcome.failure_row()
        if failure is not None:
            _fail(store, summary, failure)
        if outcome.document is not None:
            _put(store, summary, outcome.rows())

    return _run(store, command, items, one, progress, batch)


def reprocess(
    store: Store, *, progress: ProgressHook | None = None, everything: bool = False
) -> Summary:
    """Re-extract stored documents (those from another extractor version, or all)."""
    keys = store.keys(not_from=None if everything else EXTRACTOR)
    return ingest(store, _stored_items(store, keys), progress=progress, command="reprocess")


def _stored_items(store: Store, keys: list[str]) -> Iterator[Item]:
    for key in keys:
        row = store.stored_input(key)
        # remove first so that the item is re-extracted even when its content is the same
        with store.transaction():
            store.delete(key)
        yield Item(
            origin=row["origin"],
            raw=row["raw"] or row["text"],
            fmt=row["raw_format"],
            url=row["url"],
            published=row["published"],
            title=row["title"],
            source=row["source"],
        )


def load(
    store: Store, out: Path, *, progress: ProgressHook | None = None, batch: int = 100
) -> Summary:
    """Bring the Parquet output of ``communique batch`` into the store, with the cross-report
    merge, idempotently (the rules of ingest: unchanged documents are skipped)."""
    failures: dict[str, list[Row]] = {}
    for f in read_rows(out, "failures"):
        failures.setdefault(f["origin"], []).append(f)
    with_document: set[str] = set()  # origins that made a document

    def one(document: Row, summary: Summary) -> None:
        summary.seen += 1
        with_document.add(document["origin"])
        if store.holds(document["key"], document["id"], document["extractor"]):
            summary.unchanged += 1
            return
        for f in failures.get(document["origin"], []):
            _fail(store, summary, f)
        _put(store, summary, document_rows(document, readout_of(document)))

    def leftovers(summary: Summary) -> None:
        """Failures of inputs that made no document (unreadable records, say)."""
        with store.transaction():
            for origin, fails in failures.items():
                if origin in with_document:
                    continue
                for f in fails:
                    summary.seen += 1
                    _fail(store, summary, f)

    return _run(store, "load", read_rows(out, "documents"), one, progress, batch, leftovers)


def _run(
    store: Store,
    command: str,
    items: Iterable[T],
    one: Callable[[T, Summary], None],
    progress: ProgressHook | None,
    batch: int,
    after: Callable[[Summary], None] | None = None,
) -> Summary:
    """``one`` on every item, committed in batches of ``batch``, recorded as a run."""
    summary = Summary()
    run_id = store.start_run(command)
    for chunk in _chunks(items, batch):
        with store.transaction():
            for item in chunk:
                one(item, summary)
                if progress is not None:
                    progress(summary)
    if after is not None:
        after(summary)
    store.finish_run(
        run_id,
        seen=summary.seen,
        added=summary.added,
        updated=summary.updated,
        unchanged=summary.unchanged,
        failed=summary.failed,
    )
    return summary


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    pending: list[T] = []
    for item in items:
        pending.append(item)
        if len(pending) >= size:
            yield pending
            pending = []
    if pending:
        yield pending


def _put(store: Store, summary: Summary, rows: Rows) -> None:
    if store.put(rows):
        summary.updated += 1
    else:
        summary.added += 1


def _fail(store: Store, summary: Summary, failure: Row) -> None:
    """Record a failure (the run goes on) and count it."""
    store.record_failure(
        failure["origin"], failure["stage"], failure["error"], failure["raw"], failure["doc_key"]
    )
    summary.failed += 1
    summary.failures.append((failure["origin"], failure["error"]))
