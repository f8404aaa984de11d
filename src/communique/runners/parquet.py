"""Partitioned Parquet tables with the store's columns (:mod:`communique.tables`): the output of
``communique batch``, the input of ``communique load``."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from communique.tables import ARROW_TYPES, TABLES, Row

# the tables a batch writes: the rows of processing each input, except the search index the store
# derives from them
BATCH_TABLES = tuple(name for name, t in TABLES.items() if t.carried)


def arrow_schema(table: str) -> Any:
    """The Arrow schema of a carried table's rows."""
    import pyarrow as pa

    return pa.schema(
        [(c.name, getattr(pa, ARROW_TYPES[c.type])()) for c in TABLES[table].row_columns]
    )


def write_part(folder: Path, name: str, table: str, rows: Sequence[Row]) -> None:
    """Write one partition of a table; the file appears atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    folder.mkdir(parents=True, exist_ok=True)
    data = {c: [r.get(c) for r in rows] for c in schema.names}
    tmp = folder / f".{name}.parquet.tmp"
    pq.write_table(pa.table(data, schema=schema), tmp)
    os.replace(tmp, folder / f"{name}.parquet")


def read_rows(out: Path, table: str, columns: list[str] | None = None) -> Iterator[Row]:
    """Rows of one table of a batch output (``columns``: only those), partition by partition,
    in partition order."""
    import pyarrow.parquet as pq

    for path in sorted((out / table).glob("part-*.parquet")):
        yield from pq.read_table(path, columns=columns).to_pylist()
