"""Commands that fill a store or a batch output: ``ingest``, ``reprocess``, ``batch``, ``load``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from communique.cli.options import (
    ALL_FIELDS,
    DbOption,
    QuietOption,
    err,
    fieldmap_options,
    open_store,
)
from communique.documents.corpus import FieldMap

if TYPE_CHECKING:
    from communique.runners.batch import BatchSummary
    from communique.runners.ingest import Summary


@fieldmap_options
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files, folders, JSONL/CSV corpora, URLs, feeds, WARC files."),
    ],
    db: DbOption = None,
    fieldmap: FieldMap = ALL_FIELDS,
    quiet: QuietOption = False,
) -> None:
    """Store documents and their extractions. Idempotent: a second run changes nothing; a changed
    document replaces its extraction. Failures are recorded (see `communique failures`) and the
    run goes on; the exit code is 1 if any input failed.

    Example: communique ingest corpus.jsonl.gz --text-field content_html --date-field pubDate
    """
    from communique.runners.ingest import ingest as run_ingest
    from communique.sources import read_items

    store = open_store(db)
    items = read_items(inputs, fieldmap)
    if quiet or not sys.stderr.isatty():
        summary = run_ingest(store, items)
    else:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed} docs"),
            TextColumn("{task.fields[rate]:.0f}/s"),
            TextColumn("[red]{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("ingesting", total=None, rate=0.0, failed=0)

            def hook(s: Summary) -> None:
                rate = s.seen / s.seconds if s.seconds else 0.0
                bar.update(task, completed=s.seen, rate=rate, failed=s.failed)

            summary = run_ingest(store, items, progress=hook)
    err.print(summary.line(), highlight=False)
    for origin, error in summary.failures[:10]:
        err.print(f"[red]failed[/red]: {origin}: {error}", highlight=False, markup=True)
    if len(summary.failures) > 10:
        err.print(
            f"... and {len(summary.failures) - 10} more: communique failures", highlight=False
        )
    store.close()
    if summary.failed:
        raise typer.Exit(1)


def reprocess(
    db: DbOption = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Re-extract every document, not only older extractions.")
    ] = False,
) -> None:
    """Re-extract stored documents after an upgrade (those of another extractor version)."""
    from communique.runners.ingest import reprocess as run_reprocess

    summary = run_reprocess(open_store(db), everything=everything)
    err.print(summary.line(), highlight=False)
    if summary.failed:
        raise typer.Exit(1)


@fieldmap_options
def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Corpora, folders, files, globs (quote them), WARC archives."),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder of partitioned Parquet tables.")
    ],
    scheduler: Annotated[
        str | None, typer.Option(help="Address of a running Dask scheduler, e.g. tcp://host:8786.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Local worker processes [default: all cores].")
    ] = None,
    partition_size: Annotated[int, typer.Option(help="Documents per partition.")] = 500,
    fieldmap: FieldMap = ALL_FIELDS,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Extract a large corpus on Dask (all local cores, or an existing cluster) into partitioned
    Parquet tables. Resumable: a rerun skips finished partitions.

    Example: communique batch 'corpus/*.jsonl.gz' --out events.parquet/ --text-field content_html
    """
    from communique.runners.batch import run_batch
    from communique.sources import read_items

    def started(s: BatchSummary) -> None:
        if s.dashboard:
            err.print(f"Dask dashboard: {s.dashboard}", highlight=False)

    def show(s: BatchSummary) -> None:
        if not quiet:
            rate = s.documents / s.seconds if s.seconds else 0.0
            err.print(
                f"\r{s.partitions - s.skipped} partitions submitted, {s.documents} documents, "
                f"{rate:.0f}/s, {s.failed} failed",
                end="",
                highlight=False,
            )

    summary = run_batch(
        read_items(inputs, fieldmap),
        out,
        scheduler=scheduler,
        workers=workers,
        partition_size=partition_size,
        progress=show,
        on_start=started,
    )
    if not quiet:
        err.print("")
    err.print(summary.line(), highlight=False)
    if summary.failed:
        raise typer.Exit(1)


def load(
    out: Annotated[Path, typer.Argument(help="Output folder of `communique batch`.")],
    db: DbOption = None,
) -> None:
    """Bring a `batch` output into the store (with the cross-report merge), idempotently."""
    from communique.runners.ingest import load as run_load

    if not (out / "documents").is_dir():
        err.print(f"[red]error[/red]: {out} is not a `communique batch` output (no documents/)")
        raise typer.Exit(2)
    summary = run_load(open_store(db), out)
    err.print(summary.line(), highlight=False)
