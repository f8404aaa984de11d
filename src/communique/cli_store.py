"""Store commands of the command line: ingest, query, search, export, reprocess."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from communique.cli import OutputFormat, app, err

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="COMMUNIQUE_DB",
        help="SQLite file or postgresql:// URL [default: ./communique.db].",
    ),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table, csv, json or jsonl.")
]
LimitOption = Annotated[int, typer.Option("--limit", "-n", help="At most this many rows.")]
CountryOption = Annotated[
    str | None, typer.Option("--country", "-c", help="A participant country (ISO3).")
]
WithOption = Annotated[
    str | None, typer.Option("--with", "-w", help="A counterpart country (ISO3).")
]
PersonOption = Annotated[
    str | None, typer.Option("--person", "-p", help="Part of a participant's name.")
]
KindOption = Annotated[
    str | None,
    typer.Option("--kind", "-k", help="talks, meeting, call, visit, summit, message, statement."),
]
StanceOption = Annotated[
    str | None, typer.Option("--stance", help="A stance (statements): support, condemn, ...")
]
TopicOption = Annotated[str | None, typer.Option("--topic", help="A topic id (docs/taxonomy.md).")]
SinceOption = Annotated[str | None, typer.Option("--since", help="From this date (ISO 8601).")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Up to this date (ISO 8601).")]
PublisherOption = Annotated[
    str | None, typer.Option("--publisher", help="Publisher name (part of) or its ISO3 country.")
]


TextFieldOption = Annotated[str | None, typer.Option(help="Corpus field with the text or HTML.")]
TitleFieldOption = Annotated[str | None, typer.Option(help="Corpus field with the title.")]
DateFieldOption = Annotated[
    str | None, typer.Option(help="Corpus field with the publication date.")
]
UrlFieldOption = Annotated[str | None, typer.Option(help="Corpus field with the document's URL.")]
KeyFieldOption = Annotated[str | None, typer.Option(help="Corpus field that identifies a record.")]
UrlTemplateOption = Annotated[
    str | None,
    typer.Option(help='URL built from record fields, e.g. "https://t.me/MFARussia/{message_id}".'),
]
SourceOption = Annotated[str | None, typer.Option(help="Publisher name or domain for every input.")]


def _fieldmap(**kw: Any) -> Any:
    from communique.ingest.corpus import FieldMap

    return FieldMap(**kw)


def _store(db: str | None) -> Any:
    from communique.store import Store, StoreError

    try:
        return Store(db)
    except StoreError as exc:
        err.print(f"[red]error[/red]: {exc}", highlight=False)
        raise typer.Exit(2) from exc


def emit(rows: list[dict[str, Any]], fmt: OutputFormat, title: str = "") -> None:
    """Rows in the requested format: a table on a terminal, or csv / json / jsonl."""
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt is OutputFormat.jsonl:
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif fmt is OutputFormat.csv:
        if rows:
            w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    else:
        console = Console()
        if not rows:
            console.print("no rows")
            return
        table = Table(title=title or None, header_style="bold")
        for col in rows[0]:
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(*(Text("" if v is None else str(v)) for v in r.values()))
        console.print(table)


def _filters(**kw: Any) -> Any:
    from communique.store.queries import Filters

    return Filters(**kw)


@app.command()
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files, folders, JSONL/CSV corpora, URLs, feeds, WARC files."),
    ],
    db: DbOption = None,
    text_field: TextFieldOption = None,
    title_field: TitleFieldOption = None,
    date_field: DateFieldOption = None,
    url_field: UrlFieldOption = None,
    key_field: KeyFieldOption = None,
    url_template: UrlTemplateOption = None,
    source: SourceOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Store documents and their extractions. Idempotent: a second run changes nothing; a changed
    document replaces its extraction. Failures are recorded (see `communique failures`) and the
    run goes on; the exit code is 1 if any input failed.

    Example: communique ingest corpus.jsonl.gz --text-field content_html --date-field pubDate
    """
    from communique.sources import read_items

    store = _store(db)
    fm = _fieldmap(
        text=text_field,
        title=title_field,
        date=date_field,
        url=url_field,
        key=key_field,
        url_template=url_template,
        source=source,
    )
    items = read_items(inputs, fm)
    if quiet or not sys.stderr.isatty():
        summary = store.ingest(items)
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

            def hook(s: Any) -> None:
                rate = s.seen / s.seconds if s.seconds else 0.0
                bar.update(task, completed=s.seen, rate=rate, failed=s.failed)

            summary = store.ingest(items, progress=hook)
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


@app.command()
def events(
    db: DbOption = None,
    country: CountryOption = None,
    with_: WithOption = None,
    person: PersonOption = None,
    kind: KindOption = None,
    stance: StanceOption = None,
    topic: TopicOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    publisher: PublisherOption = None,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = 50,
) -> None:
    """Encounters, one row per real-world event with its number of sources (statements with
    --stance or --kind statement). Example: communique events --country CHN --with KAZ --since 2023-01-01"""
    from communique.store import queries

    store = _store(db)
    f = _filters(
        country=country,
        with_=with_,
        person=person,
        kind=kind,
        stance=stance,
        topic=topic,
        since=since,
        until=until,
        publisher=publisher,
        limit=limit,
    )
    emit(queries.events(store.db, f), fmt, "encounters" if not stance else "statements")


@app.command()
def actors(
    db: DbOption = None,
    country: CountryOption = None,
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help="person, state or organization.")
    ] = None,
    person: PersonOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    publisher: PublisherOption = None,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = 50,
) -> None:
    """Actors across all documents, most frequent first. Example: communique actors --country RUS --kind person"""
    from communique.store import queries

    store = _store(db)
    f = _filters(
        country=country, person=person, since=since, until=until, publisher=publisher, limit=limit
    )
    emit(queries.actors(store.db, f, kind), fmt, "actors")


@app.command()
def relations(
    country: Annotated[str, typer.Argument(help="ISO3 code of the country.")],
    db: DbOption = None,
    with_: WithOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = 50,
) -> None:
    """A country's counterparts: encounters by kind and year, the last one, the latest
    relationship label, agreements. Example: communique relations CHN"""
    from communique.store import queries

    store = _store(db)
    f = _filters(with_=with_, since=since, until=until, limit=limit)
    emit(queries.relations(store.db, country, f), fmt, f"relations of {country.upper()}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words to find, e.g. "visa exemption".')],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = 20,
) -> None:
    """Full-text search over documents and evidence sentences, ranked, with snippets."""
    from communique.store import queries

    store = _store(db)
    emit(queries.search(store.db, query, limit), fmt, f"search: {query}")


@app.command()
def failures(
    db: DbOption = None, fmt: FormatOption = OutputFormat.table, limit: LimitOption = 100
) -> None:
    """Inputs that failed (document, stage, error)."""
    from communique.store import queries

    store = _store(db)
    emit(queries.failures(store.db, limit), fmt, "failures")


@app.command()
def export(
    out: Annotated[Path, typer.Argument(help="Folder to write into.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, csv, parquet, plover, cameo or graphml.")
    ] = "jsonl",
    db: DbOption = None,
) -> None:
    """Export the store (formats documented in docs/exports.md)."""
    from communique.store.export import export as run_export

    if fmt not in ("jsonl", "csv", "parquet", "plover", "cameo", "graphml"):
        err.print(f"[red]error[/red]: unknown export format {fmt!r}", highlight=False)
        raise typer.Exit(2)
    store = _store(db)
    for path in run_export(store.db, fmt, out):
        err.print(f"wrote {path}", highlight=False)


@app.command()
def reprocess(
    db: DbOption = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Re-extract every document, not only older extractions.")
    ] = False,
) -> None:
    """Re-extract stored documents after an upgrade (those of another extractor version)."""
    store = _store(db)
    summary = store.reprocess(everything=everything)
    err.print(summary.line(), highlight=False)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
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
    text_field: TextFieldOption = None,
    title_field: TitleFieldOption = None,
    date_field: DateFieldOption = None,
    url_field: UrlFieldOption = None,
    key_field: KeyFieldOption = None,
    url_template: UrlTemplateOption = None,
    source: SourceOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Extract a large corpus on Dask (all local cores, or an existing cluster) into partitioned
    Parquet tables. Resumable: a rerun skips finished partitions.

    Example: communique batch 'corpus/*.jsonl.gz' --out events.parquet/ --text-field content_html
    """
    from communique.batch import run_batch
    from communique.sources import read_items

    fm = _fieldmap(
        text=text_field,
        title=title_field,
        date=date_field,
        url=url_field,
        key=key_field,
        url_template=url_template,
        source=source,
    )

    def started(s: Any) -> None:
        if s.dashboard:
            err.print(f"Dask dashboard: {s.dashboard}", highlight=False)

    def show(s: Any) -> None:
        if not quiet:
            rate = s.documents / s.seconds if s.seconds else 0.0
            err.print(
                f"\r{s.partitions - s.skipped} partitions submitted, {s.documents} documents, "
                f"{rate:.0f}/s, {s.failed} failed",
                end="",
                highlight=False,
            )

    summary = run_batch(
        read_items(inputs, fm),
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


@app.command()
def load(
    out: Annotated[Path, typer.Argument(help="Output folder of `communique batch`.")],
    db: DbOption = None,
) -> None:
    """Bring a `batch` output into the store (with the cross-report merge), idempotently."""
    if not (out / "documents").is_dir():
        err.print(f"[red]error[/red]: {out} is not a `communique batch` output (no documents/)")
        raise typer.Exit(2)
    store = _store(db)
    summary = store.load(out)
    err.print(summary.line(), highlight=False)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    cors: Annotated[
        list[str] | None,
        typer.Option(
            help="Allow cross-origin requests from this origin (repeatable). Off by default."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(help="Server worker processes.")] = 1,
) -> None:
    """The REST API (/api/v1, docs at /docs) and the dashboard, with uvicorn. Writes through
    the API need a token: set COMMUNIQUE_API_TOKEN or COMMUNIQUE_API_TOKEN_FILE."""
    import os

    import uvicorn

    from communique.store.db import database_url

    os.environ["COMMUNIQUE_DB"] = database_url(db)
    if cors:
        os.environ["COMMUNIQUE_CORS"] = ",".join(cors)
    _store(db).close()  # create or migrate the database, and fail early on a bad URL
    err.print(f"communique dashboard on http://{host}:{port}/ (API docs at /docs)", highlight=False)
    uvicorn.run(
        "communique.web.main:app", host=host, port=port, workers=workers, log_level="warning"
    )
