"""The command line: a thin layer over the library's pure functions."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from communique import __version__
from communique.errors import CommuniqueError
from communique.model import Readout

app = typer.Typer(
    name="communique",
    help=(
        "Structured, source-grounded event data from diplomatic readouts.\n\n"
        "Examples:\n\n"
        "  communique extract readout.txt\n\n"
        "  communique extract --format json page.html\n\n"
        "  communique extract --format jsonl dir/ a.md b.txt -\n\n"
        "  communique evaluate tests/gold/\n\n"
        "  communique ingest corpus.jsonl.gz --text-field content_html\n\n"
        "  communique events --country CHN --with KAZ --since 2023-01-01"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
err = Console(stderr=True)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"communique {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """communique command line."""


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")],
    fmt: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="table (default on a terminal), json, jsonl."),
    ] = OutputFormat.table,
    published: Annotated[
        str | None, typer.Option(help="Publication date (ISO 8601) for every input.")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Source URL (decides the publisher).")] = None,
    source: Annotated[
        str | None, typer.Option(help="Publisher name or domain, e.g. state.gov.")
    ] = None,
) -> None:
    """Extract encounters, agreements, statements and topics from readouts.

    One Readout per input, in input order. An input that cannot be read is reported on stderr
    and the rest go on; the exit code is 1 if any failed.
    """
    from communique.extractor import extract_document
    from communique.ingest import make_document
    from communique.ingest.corpus import FieldMap
    from communique.sources import read_items
    from communique.store import ItemError

    out = Console()
    failed = 0
    readouts: list[Readout] = []
    for item in read_items(inputs, FieldMap(source=source)):
        try:
            if isinstance(item, ItemError):
                raise CommuniqueError(item.error, source=item.origin)
            doc = make_document(
                item.raw,
                fmt=item.fmt,
                url=url or item.url,
                published=published or item.published,
                title=item.title,
                source=source or item.source,
                name=item.origin,
            )
            readout = extract_document(doc)
        except CommuniqueError as exc:
            failed += 1
            err.print(f"[red]error[/red]: {escape(str(exc))}", highlight=False, markup=True)
            continue
        if fmt is OutputFormat.jsonl:
            sys.stdout.write(readout.to_json(indent=None) + "\n")
        elif fmt is OutputFormat.table:
            print_readout(out, readout, item.origin)
        else:
            readouts.append(readout)
    if fmt is OutputFormat.json:
        payload = [r.to_dict() for r in readouts]
        sys.stdout.write(
            json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2)
            + "\n"
        )
    if failed:
        err.print(f"{failed} input(s) failed", highlight=False)
        raise typer.Exit(1)


def _names(r: Readout, ids: tuple[str, ...]) -> str:
    out = []
    for i in ids:
        try:
            a = r.actor(i)
        except KeyError:
            out.append(i)
            continue
        out.append(f"{a.name} ({a.country})" if a.kind == "person" and a.country else a.name)
    return ", ".join(out)


def print_readout(console: Console, r: Readout, label: str) -> None:
    d = r.document
    console.rule(Text(d.title or label, style="bold"))
    console.print(
        f"source: {d.source or '?'} ({d.source_country or '?'})   published: {d.published or '?'}"
        f"   id: {d.id}",
        highlight=False,
        markup=False,
    )
    table = Table(show_lines=False, header_style="bold")
    for col in ("kind", "when", "who", "with", "where / occasion", "codes"):
        table.add_column(col)
    for e in r.events:
        when = e.date or ""
        if e.timing != "reported":
            when = f"{when} ({e.timing})".strip()
        kind = e.kind if e.kind != "statement" else f"statement: {e.stance}"
        where = ", ".join(
            x for x in ((e.location.name if e.location else ""), e.occasion or "") if x
        )
        table.add_row(
            Text(kind),
            Text(when),
            Text(_names(r, e.actors)),
            Text(_names(r, e.recipients)),
            Text(where),
            f"CAMEO {e.cameo} {e.plover or ''} {e.goldstein:+.1f}"
            if e.cameo and e.goldstein is not None
            else "",
        )
    console.print(table)
    lines = [f"signed: {a.title}  [{', '.join(a.parties)}]" for a in r.agreements]
    if r.topics:
        lines.append("topics: " + ", ".join(t.id for t in r.topics))
    if r.initiatives:
        lines.append("initiatives: " + ", ".join(i.name for i in r.initiatives))
    lines.extend(f"relationship: {'-'.join(rel.countries)} {rel.label}" for rel in r.relationships)
    if r.attendees:
        lines.append("attendees: " + _names(r, r.attendees))
    for line in lines:
        console.print(line, highlight=False, markup=False)


@app.command()
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold annotations (*.yaml).")],
    corpus_root: Annotated[
        Path | None,
        typer.Option(help="Root of the corpus the gold files reference [env COMMUNIQUE_CORPUS]."),
    ] = None,
    floors: Annotated[
        Path | None,
        typer.Option(help="YAML of pinned floors; exit 1 if any figure is below its floor."),
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.table,
    details: Annotated[bool, typer.Option(help="List each document's misses and extras.")] = False,
) -> None:
    """Score extractions against gold annotations: precision, recall and F1 per field."""
    from communique.evaluate import check_floors, load_floors
    from communique.evaluate import evaluate as run_evaluate

    try:
        report = run_evaluate(gold_dir, corpus=corpus_root)
    except CommuniqueError as exc:
        err.print(f"[red]error[/red]: {exc}", highlight=False)
        raise typer.Exit(2) from exc
    data = report.to_dict()
    if fmt is OutputFormat.table:
        console = Console()
        table = Table(title=f"{data['documents']} documents", header_style="bold")
        for col in ("field", "precision", "recall", "F1", "tp", "fp", "fn"):
            table.add_column(col, justify="right" if col != "field" else "left")
        for name, f in data["fields"].items():
            table.add_row(
                name,
                f"{f['precision']:.3f}",
                f"{f['recall']:.3f}",
                f"{f['f1']:.3f}",
                str(f["tp"]),
                str(f["fp"]),
                str(f["fn"]),
            )
        console.print(table)
        rates = Table(title="main encounter of each readout", header_style="bold")
        for col in ("rate", "value", "hits / total"):
            rates.add_column(col)
        for name, r in data["rates"].items():
            value = f"{r['rate']:.3f}" if r["rate"] is not None else "-"
            rates.add_row(name, value, f"{r['hits']} / {r['total']}")
        inv = data["invented"]
        rates.add_row(
            "invented (lower is better)",
            f"{inv['rate']:.3f}",
            f"{inv['documents']} / {inv['total']}",
        )
        console.print(rates)
        if details:
            for res in report.documents:
                lines = [
                    f"  {field}: missed {e['missed']} extra {e['extra']}"
                    for field, e in res.errors.items()
                    if e["missed"] or e["extra"]
                ]
                bad_rates = [k for k, ok in res.rates.items() if not ok]
                if lines or bad_rates or res.invented:
                    console.print(f"[bold]{res.name}[/bold]", highlight=False)
                    if bad_rates:
                        console.print(f"  wrong: {bad_rates}", highlight=False)
                    if res.invented:
                        console.print(f"  invented: {res.invented}", highlight=False)
                    for line in lines:
                        console.print(line, highlight=False, markup=False)
    else:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    for gold, error in report.failures:
        err.print(f"[red]error[/red]: {gold}: {error}", highlight=False)
    if floors is not None:
        problems = check_floors(report, load_floors(floors))
        for p in problems:
            err.print(f"[red]below floor[/red]: {p}", highlight=False)
        if problems:
            raise typer.Exit(1)
    elif report.failures:
        raise typer.Exit(1)


from communique import cli_store as _store_commands  # noqa: E402,F401 - registers commands
