"""Filling a store: inputs through :func:`communique.process.process` into it (``ingest``), its
own documents again after an upgrade (``reprocess``), or a ``batch`` output (``load``).

Work goes in batches: the inputs of a batch are read and extracted first, outside any
transaction (a slow document holds no lock), then the batch is written in one transaction, run
again while another writer holds the database (:meth:`communique.store.Store.write`). A document
is replaced by its new extraction in the same commit that removes the old one, so a run killed
at any point loses at most the batch it was writing, never a stored document, and a rerun
completes it: ids are derived from content, never from row counters. Every failure is recorded
with its stage, origin and raw input, and the run goes on; a document the store refuses (stage
``store``) is one more failure, the rest of its batch is written.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from communique.documents.limits import DEFAULT_LIMITS, Limits
from communique.process import EXTRACTOR, process
from communique.runners.parquet import read_rows
from communique.sources import Item, ItemError
from communique.store import Store
from communique.store.db import is_busy
from communique.tables import Row, Rows, document_rows, failure_row, readout_of

T = TypeVar("T")
KEPT = 1000  # failures and stored documents a summary lists (all are counted)


@dataclass
class Summary:
    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    started: float = field(default_factory=time.perf_counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    documents: list[tuple[str, str]] = field(default_factory=list)  # (key, id) stored or unchanged

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


@dataclass
class _Step:
    """What one input asks of the store, prepared outside the transaction."""

    origin: str
    rows: Rows | None = None  # the document's rows to put
    failures: list[Row] = field(default_factory=list)
    raw: str | None = None  # kept with a failure to store
    unchanged: tuple[str, str] | None = None


@dataclass
class _Tally:
    added: int = 0
    updated: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    documents: list[tuple[str, str]] = field(default_factory=list)


def ingest(
    store: Store,
    items: Iterable[Item | ItemError],
    *,
    progress: ProgressHook | None = None,
    batch: int = 100,
    command: str = "ingest",
    limits: Limits = DEFAULT_LIMITS,
    force: bool = False,
) -> Summary:
    """Store every item: new documents are added, changed ones replace their old extraction,
    unchanged ones are skipped (not even extracted; ``force`` extracts them again)."""
    stored = None if force else store.holds

    def prepare(item: Item | ItemError) -> _Step:
        outcome = process(item, stored=stored, limits=limits)
        step = _Step(outcome.origin, raw=outcome.item.raw if outcome.item else None)
        if outcome.unchanged and outcome.document is not None:
            step.unchanged = (outcome.key or "", outcome.document.id)
            return step
        failure = outcome.failure_row()
        if failure is not None:
            step.failures.append(failure)
        if outcome.document is not None:
            step.rows = outcome.rows()
        return step

    return _run(store, command, items, prepare, progress, batch)


def reprocess(
    store: Store,
    *,
    progress: ProgressHook | None = None,
    everything: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    batch: int = 100,
) -> Summary:
    """Re-extract stored documents (those from another extractor version, or all). Each new
    extraction replaces the old one in one commit: a killed reprocess leaves every document
    (with its old or its new extraction), and a rerun finishes the work."""
    keys = store.keys(not_from=None if everything else EXTRACTOR)
    return ingest(
        store,
        _stored_items(store, keys),
        progress=progress,
        command="reprocess",
        limits=limits,
        force=True,
        batch=batch,
    )


def _stored_items(store: Store, keys: list[str]) -> Iterator[Item]:
    for key in keys:
        rows = store.db.query(
            "SELECT origin, raw, raw_format, url, published, title, source, text FROM documents "
            "WHERE key = ?",
            (key,),
        )
        if not rows:
            continue  # removed meanwhile by another writer
        row = rows[0]
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
    with_document = {d["origin"] for d in read_rows(out, "documents", columns=["origin"])}

    def steps() -> Iterator[Row | _Step]:
        yield from read_rows(out, "documents")
        for origin, fails in failures.items():  # inputs that made no document
            if origin not in with_document:
                yield _Step(origin, failures=fails)

    def prepare(document: Row | _Step) -> _Step:
        if isinstance(document, _Step):
            return document
        step = _Step(document["origin"], raw=document.get("raw"))
        if store.holds(document["key"], document["id"], document["extractor"]):
            step.unchanged = (document["key"], document["id"])
            return step
        step.failures = failures.get(document["origin"], [])
        step.rows = document_rows(document, readout_of(document))
        return step

    return _run(store, "load", steps(), prepare, progress, batch)


def _run(
    store: Store,
    command: str,
    items: Iterable[T],
    prepare: Callable[[T], _Step],
    progress: ProgressHook | None,
    batch: int,
) -> Summary:
    """Each batch of ``items`` prepared (read, extracted) outside any transaction, then written
    in one transaction (run again while the database is busy); the run is recorded."""
    summary = Summary()
    run_id = store.start_run(command)
    for chunk in _chunks(items, batch):
        steps = []
        for item in chunk:
            steps.append(prepare(item))
            summary.seen += 1
            if progress is not None:
                progress(summary)
        tally = store.write(functools.partial(_write, store, steps))
        for step in steps:
            if step.unchanged is not None:
                summary.unchanged += 1
                _keep(summary.documents, step.unchanged)
        summary.added += tally.added
        summary.updated += tally.updated
        summary.failed += tally.failed
        for origin_error in tally.failures:
            _keep(summary.failures, origin_error)
        for doc in tally.documents:
            _keep(summary.documents, doc)
        if progress is not None:
            progress(summary)
    store.finish_run(
        run_id,
        seen=summary.seen,
        added=summary.added,
        updated=summary.updated,
        unchanged=summary.unchanged,
        failed=summary.failed,
    )
    return summary


def _write(store: Store, steps: list[_Step]) -> _Tally:
    """Write a batch (inside its transaction): each step in a savepoint, so that a document the
    store refuses becomes a failure (stage ``store``) and the rest of the batch is written."""
    tally = _Tally()
    for step in steps:
        try:
            with store.savepoint():
                for failure in step.failures:
                    _fail(store, tally, failure)
                if step.rows is not None:
                    document = step.rows["documents"][0]
                    if store.put(step.rows):
                        tally.updated += 1
                    else:
                        tally.added += 1
                    tally.documents.append((document["key"], document["id"]))
        except Exception as exc:
            if is_busy(exc):
                raise  # the whole batch is tried again
            error = f"{type(exc).__name__}: {exc}"[:1000]
            key = step.rows["documents"][0]["key"] if step.rows else None
            _fail(store, tally, failure_row(step.origin, "store", error, step.raw, key))
    return tally


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    pending: list[T] = []
    for item in items:
        pending.append(item)
        if len(pending) >= size:
            yield pending
            pending = []
    if pending:
        yield pending


def _keep(kept: list[tuple[str, str]], entry: tuple[str, str]) -> None:
    if len(kept) < KEPT:
        kept.append(entry)


def _fail(store: Store, tally: _Tally, failure: Row) -> None:
    """Record a failure (the run goes on) and count it."""
    store.record_failure(
        failure["origin"], failure["stage"], failure["error"], failure["raw"], failure["doc_key"]
    )
    tally.failed += 1
    tally.failures.append((failure["origin"], failure["error"]))
