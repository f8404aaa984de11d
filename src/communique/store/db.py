"""A thin layer over SQLite (embedded default) and PostgreSQL (shared use): one SQL dialect.

SQL is written once with ``?`` placeholders; PostgreSQL gets ``%s``. Rows come back as dicts.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from communique.errors import StoreError, StoreUnavailable
from communique.settings import settings


def database_url(explicit: str | None = None) -> str:
    """``--db``, else ``COMMUNIQUE_DB``, else ``./communique.db``."""
    return explicit or settings().db


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


class Database:
    """One connection; ``transaction()`` groups writes; reads and writes take ``?`` parameters."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.dialect = "postgresql" if is_postgres(url) else "sqlite"
        self._conn: Any
        if self.dialect == "postgresql":
            try:
                import psycopg
            except ImportError as exc:  # pragma: no cover - a dependency of the package
                raise StoreError("psycopg is not installed; pip install 'psycopg[binary]'") from exc
            try:
                self._conn = psycopg.connect(url, autocommit=True)
            except psycopg.Error as exc:
                raise StoreUnavailable(
                    f"cannot connect to {_redact(url)}: {exc}".strip()
                    + "; check that the server runs and the URL's user, password and database"
                ) from exc
        else:
            path = Path(url.removeprefix("sqlite:///").removeprefix("sqlite://"))
            if path.parent and not path.parent.exists():
                raise StoreUnavailable(f"no folder {path.parent} for the database file {path}")
            self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA busy_timeout=10000")
        self._depth = 0

    # -- statements ----------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        if self.dialect == "postgresql":
            return re.sub(r"\?", "%s", sql.replace("%", "%%"))
        return sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        if self.dialect == "postgresql":
            with self._conn.cursor() as cur:
                cur.executemany(self._sql(sql), [tuple(r) for r in rows])
        else:
            self._conn.executemany(sql, [tuple(r) for r in rows])

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        if self.dialect == "postgresql":
            with self._conn.cursor() as cur:
                cur.execute(self._sql(sql), tuple(params))
                if cur.description is None:
                    return []
                names = [d.name for d in cur.description]
                return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        cur = self._conn.execute(sql, tuple(params))
        return [dict(row) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.query(sql, params)
        if not rows:
            return None
        return next(iter(rows[0].values()))

    def script(self, sql: str) -> None:
        """Several statements separated by ``;`` on their own lines."""
        for stmt in [s.strip() for s in re.split(r";\s*\n", sql) if s.strip()]:
            self._conn.execute(stmt)

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        if self.dialect == "postgresql":
            try:
                with self._conn.transaction():
                    yield
            finally:
                self._depth = 0
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")
        finally:
            self._depth = 0

    def close(self) -> None:
        self._conn.close()


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
