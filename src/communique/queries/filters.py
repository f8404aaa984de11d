"""The filters every listing takes (CLI options, API and page parameters are made from this one
declaration), the builder of the WHERE clauses that apply them, and the listings' paging."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from communique.model import ENCOUNTER_KINDS
from communique.tables import code_pattern

if TYPE_CHECKING:
    from communique.store.db import Database


def _filter(text: str, max_length: int | None = None) -> Any:
    return field(default=None, metadata={"help": text, "max_length": max_length})


@dataclass(frozen=True, slots=True)
class Filters:
    country: str | None = _filter("A participant country (ISO3)", 12)
    with_: str | None = _filter("A counterpart country (ISO3)", 12)
    organization: str | None = _filter("An organisation taking part (SCO, ASEAN, UN, ...)", 16)
    person: str | None = _filter("Part of a participant's name", 100)
    kind: str | None = _filter(", ".join((*ENCOUNTER_KINDS, "statement")))
    stance: str | None = _filter("A stance (statements): support, condemn, ...")
    topic: str | None = _filter("A topic id (docs/taxonomy.md)")
    since: str | None = _filter("From this date (ISO 8601)", 10)  # inclusive
    until: str | None = _filter("Up to this date (ISO 8601)", 10)
    publisher: str | None = _filter("Publisher name (part of) or its ISO3 country", 100)
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class FilterSpec:
    name: str  # the Filters field
    param: str  # its name in URLs and on the command line (--with)
    help: str
    max_length: int | None


FILTERS: dict[str, FilterSpec] = {
    f.name: FilterSpec(f.name, f.name.rstrip("_"), f.metadata["help"], f.metadata["max_length"])
    for f in fields(Filters)
    if "help" in f.metadata
}
"""Each filter's name, parameter, help and longest accepted value, by Filters field."""


class Where:
    """The conditions of a WHERE clause and their parameters, in order."""

    def __init__(self, *conditions: str) -> None:
        self.conditions = list(conditions)
        self.params: list[Any] = []

    def __bool__(self) -> bool:
        return bool(self.conditions)

    @property
    def sql(self) -> str:
        return " AND ".join(self.conditions) or "1 = 1"

    def add(self, condition: str, *params: Any) -> Where:
        self.conditions.append(condition)
        self.params.extend(params)
        return self

    def code(self, column: str, code: str | None) -> Where:
        """``column`` (a list of codes, ``",CHN,KAZ,"``) holds ``code``."""
        if code:
            self.add(f"{column} LIKE ?", code_pattern(code.upper()))
        return self

    def dates(self, f: Filters, column: str) -> Where:
        """The ``since``/``until`` range on one date column."""
        if f.since:
            self.add(f"{column} >= ?", f.since)
        if f.until:
            self.add(f"{column} <= ?", f.until)
        return self

    def person(self, f: Filters, column: str) -> Where:
        if f.person:
            self.add(f"LOWER({column}) LIKE ?", f"%{f.person.lower()}%")
        return self

    def publisher(self, f: Filters, source: str, country: str) -> Where:
        """The publisher's name contains ``publisher``, or its country is that ISO3 code."""
        if f.publisher:
            self.add(
                f"(LOWER({source}) LIKE ? OR {country} = ?)",
                f"%{f.publisher.lower()}%",
                f.publisher.upper(),
            )
        return self

    def topic(self, f: Filters, doc_key: str) -> Where:
        if f.topic:
            self.add(
                f"EXISTS (SELECT 1 FROM topics t WHERE t.doc_key = {doc_key} AND t.topic = ?)",
                f.topic,
            )
        return self


# -- listing helpers -------------------------------------------------------------------------------
def paged(db: Database, sql: str, where: Where, f: Filters) -> list[dict[str, Any]]:
    """The rows of ``sql`` (a SELECT whose WHERE clause is ``where.sql``), the page ``f`` asks
    for (``limit``, ``offset``)."""
    return db.query(f"{sql} LIMIT ? OFFSET ?", (*where.params, f.limit, f.offset))


def decoded(rows: list[dict[str, Any]], **columns: Callable[[Any], Any]) -> list[dict[str, Any]]:
    """``rows`` with the named list columns decoded for people (``countries=codes_text``)."""
    for r in rows:
        for column, decode in columns.items():
            r[column] = decode(r[column])
    return rows
