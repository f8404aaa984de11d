"""Commands that read a store: ``events``, ``actors``, ``relations``, ``search``, ``failures``
and ``export``."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from communique.cli.options import (
    NO_FILTERS,
    CountryOption,
    DbOption,
    FormatOption,
    LimitOption,
    OutputFormat,
    emit,
    err,
    filter_options,
    open_store,
)
from communique.queries.filters import Filters


@filter_options()
def events(
    db: DbOption = None,
    f: Filters = NO_FILTERS,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = 50,
) -> None:
    """Encounters, one row per real-world event with its number of sources (statements with
    --stance or --kind statement). Example: communique events --country CHN --with KAZ --since 2023-01-01"""
    from communique.queries import listings

    store = open_store(db)
    rows = listings.events(store.db, dataclasses.replace(f, limit=limit))
    listing = "statements" if f.stance or f.kind == "statement" else "events"
    emit(rows, fmt, "encounters" if listing == "events" else "statements", listing)


@filter_options("person", "since", "until", "publisher")
def actors(
    db: DbOption = None,
    country: CountryOption = None,
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help="person, state or organization.")
    ] = None,
    f: Filters = NO_FILTERS,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = 50,
) -> None:
    """Actors across all documents, most frequent first. Example: communique actors --country RUS --kind person"""
    from communique.queries import listings

    store = open_store(db)
    f = dataclasses.replace(f, country=country, limit=limit)
    emit(listings.actors(store.db, f, kind), fmt, "actors", "actors")


@filter_options("with_", "organization", "since", "until")
def relations(
    country: Annotated[
        str, typer.Argument(help="ISO3 code of the country (or an organisation's code).")
    ],
    db: DbOption = None,
    f: Filters = NO_FILTERS,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = 50,
) -> None:
    """A country's counterparts, states and organisations apart: encounters by kind and year
    (undated ones counted as such), the last one, the latest relationship label, agreements.
    Example: communique relations CHN"""
    from communique.queries import listings

    store = open_store(db)
    found = listings.relations(store.db, country, dataclasses.replace(f, limit=limit))
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(found.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is not OutputFormat.table:
        emit(found.rows(), fmt)
        return
    who = f"{found.name} ({found.code})" if found.name != found.code else found.code
    undated = f", {found.undated} undated" if found.undated else ""
    emit(
        found.counterparts,
        fmt,
        f"{who}: {found.encounters} encounters{undated}; states",
        "relations",
    )
    if found.organizations:
        emit(found.organizations, fmt, f"{who}: organisations", "relations")


def search(
    query: Annotated[str, typer.Argument(help='Words to find, e.g. "visa exemption".')],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = 20,
) -> None:
    """Full-text search over documents and evidence sentences, ranked, with snippets."""
    from communique.queries import listings

    store = open_store(db)
    emit(listings.search(store.db, query, limit), fmt, f"search: {query}", "search")


def failures(
    db: DbOption = None, fmt: FormatOption = OutputFormat.table, limit: LimitOption = 100
) -> None:
    """Inputs that failed (document, stage, error)."""
    from communique.queries import listings

    store = open_store(db)
    emit(listings.failures(store.db, limit), fmt, "failures", "failures")


def export(
    out: Annotated[Path, typer.Argument(help="Folder to write into.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, csv, parquet, plover, cameo or graphml.")
    ] = "jsonl",
    db: DbOption = None,
) -> None:
    """Export the store (formats documented in docs/exports.md)."""
    from communique.exports import FORMATS
    from communique.exports import export as run_export

    if fmt not in FORMATS:
        err.print(f"[red]error[/red]: unknown export format {fmt!r}", highlight=False)
        raise typer.Exit(2)
    store = open_store(db)
    for path in run_export(store.db, fmt, out):
        err.print(f"wrote {path}", highlight=False)
