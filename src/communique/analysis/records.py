"""Rows as analysts take them: a list of dicts that turns into a pandas DataFrame or an Arrow
table with one stable schema per listing (lists stay lists, people stay records, an empty result
still has its columns)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

import pyarrow as pa

from communique.errors import MissingExtra

if TYPE_CHECKING:
    import pandas

Row = dict[str, Any]

_S, _I, _F = pa.string(), pa.int64(), pa.float64()
_CODES = pa.list_(_S)
_PERSON = pa.struct([("id", _S), ("name", _S), ("country", _S), ("organization", _S)])
SCHEMAS: dict[str, pa.Schema] = {
    "events": pa.schema(
        [
            ("id", _S),
            ("date", _S),
            ("kind", _S),
            ("countries", _CODES),
            ("organizations", _CODES),
            ("persons", pa.list_(_PERSON)),
            ("place", _S),
            ("occasion", _S),
            ("sources", _I),
            ("reports", _I),
            ("url", _S),
        ]
    ),
    "statements": pa.schema(
        [
            ("kind", _S),
            ("date", _S),
            ("stance", _S),
            ("actor", _CODES),
            ("target", _CODES),
            ("cameo", _S),
            ("goldstein", _F),
            ("evidence", _S),
            ("document", _S),
            ("url", _S),
        ]
    ),
    "actors": pa.schema(
        [
            ("name", _S),
            ("kind", _S),
            ("country", _S),
            ("organization", _S),
            ("documents", _I),
            ("mentions", _I),
            ("first_seen", _S),
            ("last_seen", _S),
            ("id", _S),
        ]
    ),
    "relations": pa.schema(
        [
            ("counterpart", _S),
            ("counterpart_kind", _S),
            ("name", _S),
            ("encounters", _I),
            ("by_kind", pa.map_(_S, _I)),
            ("by_year", pa.map_(_S, _I)),
            ("undated", _I),
            ("last", pa.struct([("date", _S), ("kind", _S), ("persons", pa.list_(_S))])),
            ("relationship", _S),
            ("agreements", _I),
        ]
    ),
    "agreements": pa.schema(
        [
            ("title", _S),
            ("parties", _CODES),
            ("organizations", _CODES),
            ("date", _S),
            ("topics", pa.list_(_S)),
            ("document", _S),
            ("url", _S),
        ]
    ),
    "documents": pa.schema(
        [
            ("id", _S),
            ("title", _S),
            ("date", _S),
            ("source", _S),
            ("source_country", _S),
            ("url", _S),
        ]
    ),
    "search": pa.schema(
        [
            ("date", _S),
            ("title", _S),
            ("snippet", _S),
            ("document", _S),
            ("score", _F),
            ("url", _S),
        ]
    ),
}
"""The Arrow schema of each listing. Dates stay ISO 8601 strings (a readout may give only a
month); :meth:`Records.to_pandas` turns them into datetimes."""

DATE_COLUMNS = ("date", "first_seen", "last_seen")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:
        raise MissingExtra(
            "pandas is not installed; pip install 'communique[pandas]' (or use .to_arrow(), "
            "which needs nothing more)"
        ) from exc
    return pandas


class Records(Sequence[Row]):
    """The rows of a listing (dicts, in order), with :meth:`to_pandas` and :meth:`to_arrow`.
    ``meta`` holds what the listing says about the whole (a relation's totals)."""

    def __init__(self, kind: str, rows: list[Row], meta: dict[str, Any] | None = None) -> None:
        self.kind = kind
        self.rows = rows
        self.meta = meta or {}

    @property
    def schema(self) -> pa.Schema:
        return SCHEMAS[self.kind]

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Records):
            return self.kind == other.kind and self.rows == other.rows
        return self.rows == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Records {self.kind}: {len(self.rows)} rows>"

    def to_arrow(self) -> pa.Table:
        """An Arrow table with the listing's schema (:data:`SCHEMAS`)."""
        names = self.schema.names
        return pa.Table.from_pylist(
            [{k: r.get(k) for k in names} for r in self.rows], schema=self.schema
        )

    def to_pandas(self, *, dates: bool = True) -> pandas.DataFrame:
        """A pandas DataFrame (needs the ``pandas`` extra). Lists stay Python lists and people
        dicts; with ``dates``, the date columns are datetimes (``NaT`` when undated; a month
        alone is its first day)."""
        pd = _pandas()
        frame = pd.DataFrame.from_records(
            [dict(r) for r in self.rows], columns=list(self.schema.names)
        )
        if dates:
            for name in DATE_COLUMNS:
                if name in frame.columns:
                    frame[name] = pd.to_datetime(frame[name], format="ISO8601", errors="coerce")
        return frame
