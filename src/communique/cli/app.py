"""The ``communique`` command: every command registered here, explicitly, in help order."""

from __future__ import annotations

from typing import Annotated

import typer

from communique.cli.evaluate import evaluate
from communique.cli.extract import extract
from communique.cli.ingest import batch, ingest, load, reprocess
from communique.cli.query import actors, events, export, failures, relations, search
from communique.cli.schema import schema
from communique.cli.serve import serve
from communique.version import __version__

app = typer.Typer(
    name="communique",
    help=(
        "Structured, source-grounded event data from diplomatic readouts.\n\n"
        "Examples:\n\n"
        "  communique extract readout.txt\n\n"
        "  communique extract --format json page.html\n\n"
        "  communique extract --format jsonl dir/ a.md b.txt -\n\n"
        "  communique schema > readout.schema.json\n\n"
        "  communique evaluate tests/gold/\n\n"
        "  communique ingest corpus.jsonl.gz --text-field content_html\n\n"
        "  communique events --country CHN --with KAZ --since 2023-01-01"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


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


COMMANDS = (
    extract,
    schema,
    evaluate,
    ingest,
    events,
    actors,
    relations,
    search,
    failures,
    export,
    reprocess,
    batch,
    load,
    serve,
)
for command in COMMANDS:
    app.command()(command)
