"""The column spec is the store's schema: a migrated database has exactly its tables and columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.store import Store
from communique.tables import TABLES
from store_helpers import fresh_url


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_the_spec_names_every_column_of_every_table(engine: str, tmp_path: Path) -> None:
    store = Store(fresh_url(engine, tmp_path))
    for name, table in TABLES.items():
        row = store.db.query(f"SELECT * FROM {name} LIMIT 0")
        if store.db.dialect == "postgresql":
            columns = {
                r["column_name"]
                for r in store.db.query(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                    (name,),
                )
            } - {"tsv"}  # the search index's generated column
        else:
            columns = {r["name"] for r in store.db.query(f"PRAGMA table_info({name})")}
        assert row == [] and columns == set(table.names), name
    store.close()
