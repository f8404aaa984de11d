"""Commands that fill a store or a batch output: ``ingest``, ``reprocess``, ``batch``, ``load``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from communique.cli.options import (
    ALL_FIELDS,
    NO_LIMITS,
    DbOption,
    QuietOption,
    err,
    fieldmap_options,
    limit_options,
    open_store,
)
from communique.documents.corpus import FieldMap
from communique.documents.limits import MAX_CHARS, Limits

if TYPE_CHECKING:
    from communique.runners.batch import BatchSummary
    from communique.runners.ingest import Summary


@limit_options
@fieldmap_options
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files, folders, JSONL/CSV corpora, URLs, feeds, WARC files."),
    ],
    db: DbOption = None,
    fieldmap: FieldMap = ALL_FIELDS,
    limits: Limits = NO_LIMITS,
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
    items = read_items(inputs, fieldmap, limits)
    if quiet or not sys.stderr.isatty():
        summary = run_ingest(store, items, limits=limits)
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

            summary = run_ingest(store, items, progress=hook, limits=limits)
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
    max_chars: Annotated[
        int,
        typer.Option(
            min=1, help="Most characters one document's raw input may have; a longer one fails."
        ),
    ] = MAX_CHARS,
) -> None:
    """Re-extract stored documents after an upgrade (those of another extractor version). Each
    document's new extraction replaces the old one in one commit: a killed run loses nothing and
    a rerun finishes it. The exit code is 1 if any document failed."""
    from communique.runners.ingest import reprocess as run_reprocess

    store = open_store(db)
    summary = run_reprocess(store, everything=everything, limits=Limits(max_chars=max_chars))
    store.close()
    err.print(summary.line(), highlight=False)
    if summary.failed:
        raise typer.Exit(1)


@limit_options
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
    partition_size: Annotated[int, typer.Option(min=1, help="Documents per partition.")] = 500,
    dashboard_address: Annotated[
        str,
        typer.Option(
            help="Where the local cluster's Dask dashboard listens (host:port; port 0: any "
            "free one). Loopback only unless you name another address."
        ),
    ] = "127.0.0.1:0",
    fieldmap: FieldMap = ALL_FIELDS,
    limits: Limits = NO_LIMITS,
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
        read_items(inputs, fieldmap, limits),
        out,
        scheduler=scheduler,
        workers=workers,
        partition_size=partition_size,
        progress=show,
        on_start=started,
        limits=limits,
        dashboard_address=dashboard_address,
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
    """Bring a `batch` output into the store (with the cross-report merge), idempotently. The
    exit code is 1 if the output holds failures."""
    from communique.runners.ingest import load as run_load

    if not (out / "documents").is_dir():
        err.print(f"[red]error[/red]: {out} is not a `communique batch` output (no documents/)")
        raise typer.Exit(2)
    store = open_store(db)
    summary = run_load(store, out)
    store.close()
    err.print(summary.line(), highlight=False)
    if summary.failed:
        raise typer.Exit(1)
