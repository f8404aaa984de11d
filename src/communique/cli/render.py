"""How rows look on a terminal and in a CSV file.

A terminal table shows the columns a person reads (:data:`TABLES`), fits in 80 columns, and
never breaks an id or a name: ids are shortened (``--format csv`` and ``json`` have them in
full), people are listed one per line, and a name too long for its column ends in "…" rather
than wrapping. CSV joins lists (``CHN KAZ``, ``Xi Jinping; Kassym-Jomart Tokayev``) and spreads
nested values over columns of their own (``last_date``); JSON keeps lists as lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

Row = dict[str, Any]
SHORT_ID = 8  # characters of an id a table shows
UNDATED = "undated"


# -- values as text -----------------------------------------------------------------------------
def names(value: Any) -> list[str]:
    """The names of a list of people (dicts with a ``name``, or plain strings)."""
    return [v["name"] if isinstance(v, dict) else str(v) for v in value or ()]


def flat(value: Any) -> str:
    """A value as one CSV cell: lists joined, counts as ``key:n``."""
    if value is None:
        return ""
    if isinstance(value, list):
        if any(isinstance(v, dict) for v in value):
            return "; ".join(names(value))
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k}:{v}" for k, v in value.items())
    return str(value)


def flat_row(row: Row) -> Row:
    """A row for CSV: a nested record (``last``) spread over ``last_date``, ``last_kind``...,
    every other value :func:`flat`."""
    out: Row = {}
    for key, value in row.items():
        if isinstance(value, dict) and not all(isinstance(v, int) for v in value.values()):
            for sub, v in value.items():
                out[f"{key}_{sub}"] = flat(v)
        elif value is None and key == "last":
            out.update({"last_date": "", "last_kind": "", "last_persons": ""})
        else:
            out[key] = flat(value)
    return out


def short(value: Any) -> str:
    return "" if value is None else str(value)[:SHORT_ID]


def day(value: Any) -> str:
    return str(value) if value else UNDATED


def lines(value: Any) -> str:
    """One name or code per line (a name never wraps inside)."""
    return "\n".join(names(value))


def years(row: Row) -> str:
    parts = [f"{y}:{n}" for y, n in (row.get("by_year") or {}).items()]
    if row.get("undated"):
        parts.append(f"{UNDATED}:{row['undated']}")
    return " ".join(parts)


def last(value: Any) -> str:
    if not value:
        return ""
    return f"{day(value.get('date'))} {value.get('kind') or ''}".strip()


# -- table columns ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Col:
    key: str
    header: str | None = None
    show: Callable[[Any], str] | None = None  # the cell's text from the value
    row: Callable[[Row], str] | None = None  # or from the whole row
    wrap: bool = True  # False: one line, cut with "…" when it does not fit
    min_width: int | None = None
    max_width: int | None = None
    justify: str = "left"

    def text(self, r: Row) -> str:
        if self.row is not None:
            return self.row(r)
        value = r.get(self.key)
        return self.show(value) if self.show else flat(value)


def _id(key: str = "id") -> Col:
    return Col(key, show=short, wrap=False, min_width=SHORT_ID)


def _n(key: str, header: str | None = None) -> Col:
    return Col(key, header, wrap=False, justify="right")


_PEOPLE = Col("persons", "people", show=lines, wrap=False, min_width=14, max_width=28)
TABLES: dict[str, tuple[Col, ...]] = {
    "events": (
        _id(),
        Col("date", show=day, wrap=False, min_width=10),
        Col("kind", wrap=False),
        Col("countries", "states", min_width=7),
        Col("organizations", "orgs", min_width=4),
        _PEOPLE,
        Col("place", min_width=10, max_width=18),
        _n("sources", "src"),
    ),
    "statements": (
        Col("date", show=day, wrap=False, min_width=10),
        Col("stance", wrap=False),
        Col("actor", min_width=4),
        Col("target", min_width=4),
        Col("evidence", min_width=20),
        Col("document", "doc", show=short, wrap=False, min_width=SHORT_ID),
    ),
    "actors": (
        Col("name", wrap=False, min_width=14, max_width=30),
        Col("kind", wrap=False),
        Col("country", wrap=False),
        Col("organization", "org", wrap=False),
        _n("documents", "docs"),
        _n("mentions"),
        Col("first_seen", "first", show=day, wrap=False),
        Col("last_seen", "last", show=day, wrap=False),
    ),
    "relations": (
        Col("counterpart", "with", wrap=False),
        _n("encounters", "enc"),
        Col("by_kind", "by kind", min_width=8),
        Col("by_year", "by year", row=years, min_width=8),
        Col("last", show=last, min_width=10),
        Col("relationship", min_width=12),
        _n("agreements", "agr"),
    ),
    "search": (
        Col("date", show=day, wrap=False, min_width=10),
        Col("title", min_width=16),
        Col("snippet", min_width=24),
        Col("document", "doc", show=short, wrap=False, min_width=SHORT_ID),
    ),
    "failures": (
        Col("origin", min_width=12),
        Col("stage", wrap=False),
        Col("error", min_width=24),
    ),
}
"""The columns of each listing's terminal table (CSV and JSON have every column)."""


def print_table(
    console: Console, rows: list[Row], columns: tuple[Col, ...] | None, title: str = ""
) -> None:
    if columns is None:
        columns = tuple(Col(k) for k in rows[0])
    # a column with nothing to show on this page gives its width to the others
    columns = tuple(c for c in columns if c.justify == "right" or any(c.text(r) for r in rows))
    table = Table(
        title=title or None,
        title_justify="left",
        header_style="bold underline",
        box=None,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    for c in columns:
        table.add_column(
            c.header or c.key,
            no_wrap=not c.wrap,
            overflow="ellipsis" if not c.wrap else "fold",
            min_width=c.min_width,
            max_width=c.max_width,
            justify=c.justify,  # type: ignore[arg-type]
        )
    for r in rows:
        table.add_row(*(Text(c.text(r)) for c in columns))
    console.print(table)
