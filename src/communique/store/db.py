"""A thin layer over SQLite (embedded default) and PostgreSQL (shared use): one SQL dialect.

SQL is written once with ``?`` placeholders; PostgreSQL gets ``%s``. Rows come back as dicts.

Writers share a store: :meth:`Database.write` runs a unit of work in one transaction and runs it
again, after a randomised, growing pause, when the database is busy (SQLite's write lock held by
another process past the busy timeout, a PostgreSQL deadlock or a row another writer just
inserted). A ``query_timeout`` bounds every read (a PostgreSQL ``statement_timeout``, a SQLite
statement interrupted by a watchdog thread) and raises :class:`QueryTimeout` (E303).
"""

from __future__ import annotations

import contextlib
import heapq
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from communique.errors import QueryTimeout, StoreError, StoreUnavailable
from communique.settings import settings

T = TypeVar("T")
BUSY_TIMEOUT = 10.0  # seconds a SQLite writer waits for the write lock before a retry
WRITE_ATTEMPTS = 12  # tries of one unit of work on a busy database (about two minutes in all)


def database_url(explicit: str | None = None) -> str:
    """``--db``, else ``COMMUNIQUE_DB``, else ``./communique.db``."""
    return explicit or settings().db


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


class Database:
    """One connection; ``transaction()`` groups writes; reads and writes take ``?`` parameters."""

    def __init__(self, url: str, *, query_timeout: float | None = None) -> None:
        self.url = url
        self.dialect = "postgresql" if is_postgres(url) else "sqlite"
        self.query_timeout = query_timeout
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
            self._conn = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
            self._conn.row_factory = sqlite3.Row
            self._conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            self._retrying(lambda: self._conn.execute("PRAGMA journal_mode=WAL"))
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
        if query_timeout and self.dialect == "postgresql":
            self._conn.execute(f"SET statement_timeout = {max(1, int(query_timeout * 1000))}")
        self._depth = 0
        self._savepoints = 0

    @contextmanager
    def _timed(self) -> Iterator[None]:
        """A read bounded by ``query_timeout``: its interruption is a QueryTimeout. PostgreSQL
        cancels it itself (``statement_timeout``); a SQLite statement is interrupted by the
        watchdog thread (``sqlite3_interrupt``, made for that: a Python progress handler would
        take the GIL every few thousand steps of every query)."""
        if not self.query_timeout:
            yield
            return
        token = _WATCHDOG.arm(self.query_timeout, self._conn) if self.dialect == "sqlite" else None
        try:
            yield
        except Exception as exc:
            if _is_timeout(exc):
                raise QueryTimeout(
                    f"the query ran past {self.query_timeout:g} s; narrow it (fewer words, "
                    "a date range, a smaller page)"
                ) from exc
            raise
        finally:
            if token is not None:
                _WATCHDOG.disarm(token)

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
        with self._timed():
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
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._depth = 0
            raise
        try:
            yield
        except BaseException:
            if self._conn.in_transaction:  # SQLite may have rolled back already (a full disk)
                self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")
        finally:
            self._depth = 0

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside a transaction: the work of the block is undone alone when it raises."""
        if not self._depth:
            with self.transaction():
                yield
            return
        if self.dialect == "postgresql":
            with self._conn.transaction():
                yield
            return
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute(f"ROLLBACK TO {name}")
                self._conn.execute(f"RELEASE {name}")
            raise
        else:
            self._conn.execute(f"RELEASE {name}")

    def write(self, work: Callable[[], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
        """``work()`` in one transaction, run again when the database is busy (see the module's
        notes). ``work`` must be safe to repeat: only its committed run counts. Inside an open
        transaction it simply runs (the outer one is retried, if anything)."""
        if self._depth:
            return work()

        def once() -> T:
            with self.transaction():
                return work()

        return self._retrying(once, attempts)

    def _retrying(self, work: Callable[[], T], attempts: int = WRITE_ATTEMPTS) -> T:
        delay = 0.05
        for attempt in range(attempts):
            try:
                return work()
            except Exception as exc:
                if attempt == attempts - 1 or not is_busy(exc):
                    raise
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 5.0)
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self._conn.close()


class _Watchdog:
    """One thread that interrupts SQLite statements past their deadline. A late interrupt is
    harmless: SQLite ignores it when no statement of the connection runs."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.heap: list[tuple[float, int, Any]] = []
        self.live: set[int] = set()
        self.count = 0
        self.thread: threading.Thread | None = None

    def arm(self, seconds: float, conn: Any) -> int:
        with self.cond:
            self.count += 1
            token = self.count
            heapq.heappush(self.heap, (time.monotonic() + seconds, token, conn))
            self.live.add(token)
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self._run, name="sqlite-watchdog", daemon=True
                )
                self.thread.start()
            self.cond.notify()
            return token

    def disarm(self, token: int) -> None:
        with self.cond:
            self.live.discard(token)

    def _run(self) -> None:
        while True:
            with self.cond:
                while self.heap and self.heap[0][1] not in self.live:
                    heapq.heappop(self.heap)  # finished in time
                if not self.heap:
                    self.cond.wait()
                    continue
                deadline, token, conn = self.heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self.cond.wait(wait)
                    continue
                heapq.heappop(self.heap)
                self.live.discard(token)
            with contextlib.suppress(Exception):  # a connection closed meanwhile
                conn.interrupt()


_WATCHDOG = _Watchdog()


def is_busy(exc: BaseException) -> bool:
    """A database busy with another writer: worth trying the same work again."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return "locked" in text or "busy" in text
    name = type(exc).__name__
    return name in (
        "SerializationFailure",
        "DeadlockDetected",
        "LockNotAvailable",
        "UniqueViolation",
    )


def _is_timeout(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        return "interrupted" in str(exc).lower()
    return type(exc).__name__ == "QueryCanceled"


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
