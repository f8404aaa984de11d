"""Python for analysts: a read-only handle on a store with the CLI's listings and filters, each
giving :class:`~communique.analysis.records.Records` (``.to_pandas()``, ``.to_arrow()``).

>>> import communique
>>> store = communique.open("communique.db")           # or a postgresql:// URL
>>> df = store.events(country="CHN", since="2024-01-01").to_pandas()
>>> store.relations("CHN").to_pandas()[["counterpart", "encounters", "undated"]]
>>> store.readout(store.documents(limit=1)[0]["id"])   # a stored Readout, shown in Jupyter

The handle never writes: a SQLite store is opened with ``PRAGMA query_only``, a PostgreSQL
session is read-only, and a store that would need a migration first is refused (E502) rather
than changed. docs/analysis.md walks from a store to a plot.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

from communique.analysis.records import SCHEMAS, Records
from communique.errors import StoreNotReadable
from communique.model import Readout
from communique.queries import dashboard, listings
from communique.queries.filters import FILTERS, Filters
from communique.store.db import Database, database_url, is_postgres
from communique.store.schema import MIGRATIONS

ALL = 2**62  # "no limit": larger than any store
FILTER_NAMES = tuple(FILTERS)


def _filters(values: dict[str, Any], limit: int | None, offset: int) -> Filters:
    if "with" in values:
        values["with_"] = values.pop("with")
    unknown = sorted(set(values) - set(FILTER_NAMES))
    if unknown:
        raise TypeError(
            f"unknown filter {', '.join(unknown)}; the filters are {', '.join(FILTER_NAMES)}"
        )
    return Filters(**values, limit=ALL if limit is None else limit, offset=offset)


class StoreReader:
    """A read-only view of a store (:func:`communique.open`). Every listing takes the CLI's
    filters as keywords (``country``, ``with_``, ``organization``, ``person``, ``kind``,
    ``stance``, ``topic``, ``since``, ``until``, ``publisher``), ``limit`` (None: every row)
    and ``offset``."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        if not is_postgres(self.url):
            path = Path(self.url.removeprefix("sqlite:///").removeprefix("sqlite://"))
            if not path.is_file():
                raise StoreNotReadable(
                    f"no store at {path}; ingest readouts into it first "
                    "(communique ingest FILES --db PATH)"
                )
        self.db = Database(self.url)
        if self.db.dialect == "postgresql":
            self.db.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        else:
            self.db.execute("PRAGMA query_only = ON")
        self._check_version()

    def _check_version(self) -> None:
        latest = max(number for number, _, _ in MIGRATIONS)
        try:
            version = self.db.scalar("SELECT MAX(version) FROM schema_migrations")
        except Exception as exc:  # no such table: not a communique store
            self.db.close()
            raise StoreNotReadable(
                f"{self.url} is not a communique store (no schema_migrations table); "
                "point communique.open at a database that communique ingest wrote"
            ) from exc
        if int(version or 0) < latest:
            self.db.close()
            raise StoreNotReadable(
                f"the store at {self.url} has schema version {version}, this communique reads "
                f"version {latest}; migrate it once with a command that writes (e.g. "
                "communique events --db ...), then open it again"
            )

    # -- listings ---------------------------------------------------------------------------
    def events(self, *, limit: int | None = None, offset: int = 0, **filters: Any) -> Records:
        """Encounters, one row per real-world encounter (statements with ``stance`` or
        ``kind="statement"``)."""
        f = _filters(filters, limit, offset)
        kind = "statements" if f.stance or f.kind == "statement" else "events"
        return Records(kind, listings.events(self.db, f))

    def statements(self, *, limit: int | None = None, offset: int = 0, **filters: Any) -> Records:
        """Statements (support, condemn, ...) as reported."""
        f = _filters(filters, limit, offset)
        return Records("statements", listings.statements(self.db, f))

    def actors(
        self, kind: str | None = None, *, limit: int | None = None, offset: int = 0, **filters: Any
    ) -> Records:
        """Actors across documents, most frequent first; ``kind``: person, state or
        organization."""
        f = _filters(filters, limit, offset)
        return Records("actors", listings.actors(self.db, f, kind))

    def relations(
        self, code: str, *, limit: int | None = None, offset: int = 0, **filters: Any
    ) -> Records:
        """A state's (or an organisation's) counterparts, states first, then organisations
        (``counterpart_kind``); ``meta`` holds the totals (``encounters``, ``undated``)."""
        found = listings.relations(self.db, code, _filters(filters, limit, offset))
        meta = {
            k: v for k, v in found.to_dict().items() if k not in ("counterparts", "organizations")
        }
        return Records("relations", found.rows(), meta)

    def agreements(self, *, limit: int | None = None, offset: int = 0, **filters: Any) -> Records:
        """Agreements signed or witnessed, newest first."""
        f = _filters(filters, limit, offset)
        return Records("agreements", dashboard.agreements(self.db, f))

    def documents(self, *, limit: int | None = None, offset: int = 0, **filters: Any) -> Records:
        """Stored documents, newest first."""
        f = _filters(filters, limit, offset)
        return Records("documents", dashboard.documents(self.db, f))

    def search(self, query: str, limit: int = 20) -> Records:
        """Full-text search over documents and evidence sentences, best first."""
        return Records("search", listings.search(self.db, query, limit))

    def readout(self, doc_id: str) -> Readout:
        """The stored Readout of a document (its ``id``); in Jupyter it shows its text with the
        actors marked and each fact linked to its evidence."""
        found = dashboard.document_page(self.db, doc_id)
        if found is None or found["readout"] is None:
            raise KeyError(f"no extracted document {doc_id!r} in {self.url}")
        return Readout.from_dict(found["readout"])

    # -- the handle -------------------------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> StoreReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<communique store {self.url} (read-only)>"


def open_store(db: str | None = None) -> StoreReader:
    """A read-only handle on the store ``db`` (a SQLite file or a ``postgresql://`` URL;
    default ``COMMUNIQUE_DB``, else ``./communique.db``)."""
    return StoreReader(db)


__all__ = ["SCHEMAS", "Records", "StoreReader", "open_store"]
