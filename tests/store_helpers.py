"""Helpers shared by the store tests: a fresh database per test, on each engine."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from communique.store import Store
from communique.store.db import Database
from communique.tables import DATA_TABLES


def postgres_url() -> str | None:
    return os.environ.get("COMMUNIQUE_TEST_PG")


def fresh_url(engine: str, tmp_path: Path) -> str:
    if engine == "sqlite":
        return str(tmp_path / "store.db")
    url = postgres_url()
    if not url:
        if os.environ.get("CI"):
            pytest.fail("COMMUNIQUE_TEST_PG is not set: scripts/test.sh starts PostgreSQL")
        pytest.skip("no PostgreSQL (run scripts/test.sh, which starts one)")
    db = Database(url)
    db.execute("DROP SCHEMA IF EXISTS public CASCADE")
    db.execute("CREATE SCHEMA public")
    db.close()
    return url


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table, in a stable order (the run log is left out)."""
    out = {}
    for table in DATA_TABLES:
        rows = store.db.query(f"SELECT * FROM {table}")
        out[table] = sorted(tuple(str(v) for v in r.values()) for r in rows)
    return out


def corpus_slice(corpus: Path, out: Path, n: int, bad_line_after: int | None = None) -> Path:
    """The first n State Department releases as a JSON Lines file of the test's own, with an
    unreadable line after record ``bad_line_after`` when asked."""
    import gzip

    src = corpus / "state-department" / "press-releases-2021-2022.jsonl.gz"
    with gzip.open(src, "rt", encoding="utf-8") as fh, out.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(fh):
            if i >= n:
                break
            dst.write(line)
            if i == bad_line_after:
                dst.write("this line is not JSON\n")
    return out
