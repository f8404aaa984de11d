"""Scale-out on Dask: :func:`communique.process.process` mapped over partitions of the inputs,
written as partitioned Parquet tables (:mod:`communique.runners.parquet`), then loaded into a store
(:func:`communique.runners.ingest.load`).

Layout of an output folder::

    OUT/_partitions/part-00000.json    manifest of a finished partition (written last)
    OUT/documents/part-00000.parquet   one row per document (with its raw input and Readout JSON)
    OUT/actors/  events/  participants/  agreements/  topics/  initiatives/  relationships/
    OUT/failures/part-00000.parquet    inputs that could not be read, cleaned or extracted

A partition is the N items that follow each other in the input; its id is its position and a
hash of its items' origins. A rerun skips partitions whose manifest exists with the same hash, so
a killed run started again completes with the same output as one that was never interrupted.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique.documents.limits import DEFAULT_LIMITS, Limits
from communique.process import process
from communique.runners.parquet import BATCH_TABLES, write_part
from communique.sources import Item, ItemError


@dataclass(frozen=True, slots=True)
class Partition:
    number: int
    digest: str
    items: list[Item | ItemError]

    @property
    def name(self) -> str:
        return f"part-{self.number:05d}"


def partitions(items: Iterable[Item | ItemError], size: int) -> Iterator[Partition]:
    chunk: list[Item | ItemError] = []
    number = 0
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield _partition(number, chunk)
            number += 1
            chunk = []
    if chunk:
        yield _partition(number, chunk)


def _partition(number: int, items: list[Item | ItemError]) -> Partition:
    h = hashlib.sha256()
    for it in items:
        h.update(it.origin.encode())
        h.update(b"\0")
        if isinstance(it, Item):
            h.update(hashlib.sha256(it.raw.encode()).digest())
    return Partition(number, h.hexdigest()[:16], items)


def done(out: Path, part: Partition) -> bool:
    manifest = out / "_partitions" / f"{part.name}.json"
    if not manifest.exists():
        return False
    try:
        return bool(json.loads(manifest.read_text())["digest"] == part.digest)
    except (ValueError, KeyError):
        return False


def process_partition(part: Partition, out: str, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Process one partition and write its tables (runs on a Dask worker; pure but for the
    files it writes, which appear atomically)."""
    started = time.perf_counter()
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in BATCH_TABLES}
    for item in part.items:
        outcome = process(item, limits=limits)
        failure = outcome.failure_row()
        if failure is not None:
            rows["failures"].append(failure)
        for table, table_rows in outcome.rows().items():
            rows[table].extend(table_rows)
    _write_partition(Path(out), part, rows)
    return {
        "partition": part.name,
        "documents": len(rows["documents"]),
        "failed": len(rows["failures"]),
        "seconds": time.perf_counter() - started,
    }


def _write_partition(out: Path, part: Partition, rows: dict[str, list[dict[str, Any]]]) -> None:
    for table in BATCH_TABLES:
        write_part(out / table, part.name, table, rows[table])
    manifest = out / "_partitions"
    manifest.mkdir(parents=True, exist_ok=True)
    tmp = manifest / f".{part.name}.json.tmp"
    tmp.write_text(
        json.dumps(
            {"digest": part.digest, "items": len(part.items), "documents": len(rows["documents"])}
        )
    )
    os.replace(tmp, manifest / f"{part.name}.json")


@dataclass
class BatchSummary:
    partitions: int = 0
    skipped: int = 0
    documents: int = 0
    failed: int = 0
    seconds: float = 0.0
    dashboard: str | None = None

    def line(self) -> str:
        rate = self.documents / self.seconds if self.seconds else 0.0
        return (
            f"{self.partitions} partitions ({self.skipped} already done), {self.documents} "
            f"documents in {self.seconds:.1f}s ({rate:.0f}/s), {self.failed} failed"
        )


def run_batch(
    items: Iterable[Item | ItemError],
    out: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    partition_size: int = 500,
    progress: Callable[[BatchSummary], None] | None = None,
    on_start: Callable[[BatchSummary], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    dashboard_address: str = "127.0.0.1:0",
) -> BatchSummary:
    """Map extraction over partitions on Dask (a LocalCluster unless ``scheduler`` is given).
    A local cluster listens on 127.0.0.1 only, its dashboard on ``dashboard_address``."""
    from dask.distributed import Client, LocalCluster, as_completed

    out.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary()
    started = time.perf_counter()
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=dashboard_address,
            silence_logs=40,
        )
        client = Client(cluster)
    try:
        summary.dashboard = client.dashboard_link
        if on_start is not None:
            on_start(summary)
        futures = []
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        for part in partitions(items, partition_size):
            summary.partitions += 1
            if done(out, part):
                summary.skipped += 1
                continue
            futures.append(client.submit(process_partition, part, str(out), limits, pure=False))
            # keep the client's memory bounded: a few partitions in flight per worker
            while len([f for f in futures if not f.done()]) >= 3 * n_workers:
                time.sleep(0.02)
                _collect(futures, summary, started, progress)
        for f in as_completed(futures):
            _account(f.result(), summary, started, progress)
        futures.clear()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _collect(
    futures: list[Any],
    summary: BatchSummary,
    started: float,
    progress: Callable[[BatchSummary], None] | None,
) -> None:
    for f in [f for f in futures if f.done()]:
        futures.remove(f)
        _account(f.result(), summary, started, progress)


def _account(
    result: dict[str, Any],
    summary: BatchSummary,
    started: float,
    progress: Callable[[BatchSummary], None] | None,
) -> None:
    summary.documents += result["documents"]
    summary.failed += result["failed"]
    summary.seconds = time.perf_counter() - started
    if progress is not None:
        progress(summary)
