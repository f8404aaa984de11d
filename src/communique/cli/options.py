"""What the commands share: consoles, output formats and the rows printer, the store they open,
and every option that more than one command takes, declared once (the filters' help comes from
:mod:`communique.queries.filters`). Options that always go together (a corpus's field map) come
as a bundle: one parameter of the command, several options on the command line."""

from __future__ import annotations

import csv
import dataclasses
import functools
import inspect
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from communique.cli.render import TABLES, flat_row, print_table
from communique.documents.corpus import FieldMap
from communique.documents.limits import DEFAULT_LIMITS, Limits
from communique.queries.filters import FILTERS, Filters

if TYPE_CHECKING:
    from communique.store import Store

err = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def error(message: str) -> None:
    """An error line on stderr (``message`` is printed as it is, never as markup)."""
    err.print(f"[red]error[/red]: {escape(message)}", highlight=False)


# -- output ----------------------------------------------------------------------------------------
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table, csv, json or jsonl.")
]
LimitOption = Annotated[int, typer.Option("--limit", "-n", help="At most this many rows.")]


def emit(
    rows: list[dict[str, Any]], fmt: OutputFormat, title: str = "", table: str | None = None
) -> None:
    """Rows in the requested format: a table on a terminal (the columns of ``TABLES[table]``,
    :mod:`communique.cli.render`), or csv (lists joined) / json / jsonl (lists as lists)."""
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt is OutputFormat.jsonl:
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif fmt is OutputFormat.csv:
        flat = [flat_row(r) for r in rows]
        if flat:
            names = list(dict.fromkeys(k for r in flat for k in r))
            w = csv.DictWriter(sys.stdout, fieldnames=names, lineterminator="\n")
            w.writeheader()
            w.writerows(flat)
    else:
        console = Console()
        if not rows:
            console.print(f"{title}: no rows" if title else "no rows", highlight=False)
            return
        print_table(console, rows, TABLES.get(table or ""), title)


# -- the store -------------------------------------------------------------------------------------
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="COMMUNIQUE_DB",
        help="SQLite file or postgresql:// URL [default: ./communique.db].",
    ),
]


def open_store(db: str | None) -> Store:
    """The store ``--db`` names (created or migrated), or exit 2 with the reason."""
    from communique.store import Store, StoreError

    try:
        return Store(db)
    except StoreError as exc:
        err.print(f"[red]error[/red]: {exc}", highlight=False)
        raise typer.Exit(2) from exc


# -- the filters of listings -----------------------------------------------------------------------
def _help(name: str) -> str:
    text = FILTERS[name].help
    return text if text.endswith(".") else text + "."


CountryOption = Annotated[str | None, typer.Option("--country", "-c", help=_help("country"))]
WithOption = Annotated[str | None, typer.Option("--with", "-w", help=_help("with_"))]
OrganizationOption = Annotated[
    str | None, typer.Option("--organization", "--org", help=_help("organization"))
]
PersonOption = Annotated[str | None, typer.Option("--person", "-p", help=_help("person"))]
KindOption = Annotated[str | None, typer.Option("--kind", "-k", help=_help("kind"))]
StanceOption = Annotated[str | None, typer.Option("--stance", help=_help("stance"))]
TopicOption = Annotated[str | None, typer.Option("--topic", help=_help("topic"))]
SinceOption = Annotated[str | None, typer.Option("--since", help=_help("since"))]
UntilOption = Annotated[str | None, typer.Option("--until", help=_help("until"))]
PublisherOption = Annotated[str | None, typer.Option("--publisher", help=_help("publisher"))]
FILTER_OPTIONS: dict[str, Any] = {
    "country": CountryOption,
    "with_": WithOption,
    "organization": OrganizationOption,
    "person": PersonOption,
    "kind": KindOption,
    "stance": StanceOption,
    "topic": TopicOption,
    "since": SinceOption,
    "until": UntilOption,
    "publisher": PublisherOption,
}
"""Each filter of :class:`Filters` as an option, by field name (help from its declaration)."""
NO_FILTERS = Filters()


def filter_options(*names: str) -> Callable[[F], F]:
    """The named filters (all when none are named) as options, in the place of the command's
    ``f: Filters = NO_FILTERS`` parameter."""
    chosen = names or tuple(FILTERS)
    return bundle("f", {n: FILTER_OPTIONS[n] for n in chosen}, lambda **values: Filters(**values))


# -- inputs ----------------------------------------------------------------------------------------
SourceOption = Annotated[str | None, typer.Option(help="Publisher name or domain for every input.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


def _corpus_option(text: str) -> Any:
    return Annotated[str | None, typer.Option(help=text)]


def bundle(
    placeholder: str,
    options: dict[str, Any],
    make: Callable[..., Any],
    defaults: dict[str, Any] | None = None,
) -> Callable[[F], F]:
    """A decorator: the command's parameter ``placeholder`` becomes the ``options`` (name ->
    ``Annotated`` type, defaulting to ``defaults`` or None) on the command line, at its place,
    and the command receives ``make(**their values)`` in it."""
    defaults = defaults or {}
    extra = [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=defaults.get(name), annotation=kind
        )
        for name, kind in options.items()
    ]

    def decorate(command: F) -> F:
        signature = inspect.signature(command, eval_str=True)
        params: list[inspect.Parameter] = []
        for p in signature.parameters.values():
            if p.name == placeholder:
                params.extend(extra)
            else:
                params.append(p.replace(kind=inspect.Parameter.KEYWORD_ONLY))

        @functools.wraps(command)
        def run(**values: Any) -> Any:
            values[placeholder] = make(**{name: values.pop(name) for name in options})
            return command(**values)

        run.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]

    return decorate


_FIELD_OPTIONS: dict[str, tuple[str, Any]] = {  # FieldMap field: (parameter, option)
    "text": ("text_field", _corpus_option("Corpus field with the text or HTML.")),
    "title": ("title_field", _corpus_option("Corpus field with the title.")),
    "date": ("date_field", _corpus_option("Corpus field with the publication date.")),
    "url": ("url_field", _corpus_option("Corpus field with the document's URL.")),
    "key": ("key_field", _corpus_option("Corpus field that identifies a record.")),
    "url_template": (
        "url_template",
        _corpus_option('URL built from record fields, e.g. "https://t.me/MFARussia/{message_id}".'),
    ),
    "source": ("source", SourceOption),
}
fieldmap_options = bundle(
    "fieldmap",
    dict(_FIELD_OPTIONS.values()),
    lambda **values: FieldMap(**{f: values[p] for f, (p, _) in _FIELD_OPTIONS.items()}),
)
"""How the records of a corpus map to documents (``ingest``, ``batch``): the command takes a
``fieldmap: FieldMap = ALL_FIELDS`` parameter."""
ALL_FIELDS = FieldMap()  # the usual field names (the placeholder's default)
NO_LIMITS = DEFAULT_LIMITS  # the default limits (the placeholder's default)


# -- limits ----------------------------------------------------------------------------------------
_LIMIT_OPTIONS: dict[str, Any] = {
    "max_chars": Annotated[
        int,
        typer.Option(
            min=1, help="Most characters one document's raw input may have; a longer one fails."
        ),
    ],
    "max_bytes": Annotated[
        int,
        typer.Option(min=1, help="Most bytes read from one file or archive, after decompression."),
    ],
    "max_depth": Annotated[
        int, typer.Option(min=1, help="Most nesting levels of one JSON record.")
    ],
    "fetch_bytes": Annotated[int, typer.Option(min=1, help="Most bytes of one HTTP response.")],
    "fetch_seconds": Annotated[
        float, typer.Option(min=0.1, help="Seconds one HTTP fetch may take, start to end.")
    ],
    "allow_private": Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Fetch links (of feeds, pages, redirects) to loopback, private and link-local "
            "addresses too.",
        ),
    ],
    "fetch_links": Annotated[
        bool,
        typer.Option(
            "--fetch-links",
            help="Fetch the page of every feed entry, even one that carries its own content.",
        ),
    ],
}


limit_options = bundle(
    "limits",
    _LIMIT_OPTIONS,
    lambda **values: Limits(**values),
    {f.name: f.default for f in dataclasses.fields(Limits)},
)
"""The limits of reading (documents/limits.py) as options: the command takes a
``limits: Limits = DEFAULT_LIMITS`` parameter. Defaults are documented in ``--help``."""


LanguageOption = Annotated[
    str | None,
    typer.Option(help="Read every input in this language (en, zh, ru); default: by script."),
]
RulesOption = Annotated[
    list[str] | None,
    typer.Option(help="A folder of your own rule files, read first (repeatable)."),
]
