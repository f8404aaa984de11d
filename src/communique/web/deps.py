"""What the API's and the pages' handlers depend on: a database connection per server thread,
the write token, the listing filters as query parameters, and the API's one error shape.

Every parameter is checked here, before any query runs: a bad one is a 422 in the error
envelope (``limit`` and ``offset`` in their bounds, ``since``/``until`` ISO 8601 dates, ``kind``
an event kind), never a 500 and never a silently empty answer.
"""

from __future__ import annotations

import hmac
import inspect
import re
import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from communique.errors import ApiCode
from communique.model import EVENT_KINDS
from communique.queries.filters import FILTERS, Filters
from communique.queries.listings import MAX_QUERY
from communique.store.db import Database
from communique.store.schema import migrate

MAX_OFFSET = 1_000_000  # rows a listing may skip (deeper pages: communique export)
QUERY_TIMEOUT = 10.0  # seconds one query of a request may run
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
SEARCH_QUERY: Any = Query("", max_length=MAX_QUERY, description="Words to find")


class ApiError(Exception):
    def __init__(self, status: int, code: ApiCode, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def envelope(status: int, code: ApiCode, message: str) -> JSONResponse:
    """The one error shape of the API: ``{"error": {"status", "code", "message"}}``."""
    return JSONResponse(
        {"error": {"status": status, "code": str(code), "message": message}}, status_code=status
    )


def not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=what)


class Connections:
    """One database connection per server thread (sqlite3 and psycopg connections are not to be
    shared between threads), each query bounded by ``query_timeout`` seconds."""

    def __init__(self, url: str, query_timeout: float | None = QUERY_TIMEOUT) -> None:
        self.url = url
        self.query_timeout = query_timeout
        self.local = threading.local()
        first = Database(url, query_timeout=query_timeout)
        migrate(first)
        self.local.db = first

    def get(self) -> Database:
        db = getattr(self.local, "db", None)
        if db is None:
            db = Database(self.url, query_timeout=self.query_timeout)
            self.local.db = db
        return db


def get_db(request: Request) -> Iterator[Database]:
    yield request.app.state.connections.get()


DB = Depends(get_db)


def require_token(request: Request) -> None:
    """Writes need the operator's token (``Authorization: Bearer <token>``), compared in constant
    time; a server started without one is read-only."""
    expected = request.app.state.settings.api_token
    if not expected:
        raise ApiError(
            403,
            ApiCode.READ_ONLY,
            "this server is read-only: set COMMUNIQUE_API_TOKEN (or COMMUNIQUE_API_TOKEN_FILE) "
            "before starting it to allow writes",
        )
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {expected}".encode()):
        raise ApiError(
            401,
            ApiCode.UNAUTHORIZED,
            "send the operator's token as 'Authorization: Bearer <token>'",
        )


def filter_params(
    *names: str, limit: int = 50, min_limit: int = 1, max_limit: int = 1000, blank: bool = False
) -> Callable[..., Filters]:
    """A dependency that reads the named filters (all when none are named), ``limit`` and
    ``offset`` from the query string into :class:`Filters`, with the help and length limits the
    filters declare. ``blank``: an empty value (a form's empty field) means no filter."""
    specs = [FILTERS[n] for n in names] if names else list(FILTERS.values())
    parameters = [
        inspect.Parameter(
            spec.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=Query(
                None,
                alias=spec.param if spec.param != spec.name else None,
                description=spec.help,
                max_length=spec.max_length,
            ),
            annotation=str | None,
        )
        for spec in specs
    ]
    parameters += [
        inspect.Parameter(
            "limit",
            inspect.Parameter.KEYWORD_ONLY,
            default=Query(limit, ge=min_limit, le=max_limit),
            annotation=int,
        ),
        inspect.Parameter(
            "offset",
            inspect.Parameter.KEYWORD_ONLY,
            default=Query(0, ge=0, le=MAX_OFFSET),
            annotation=int,
        ),
    ]

    def read(**values: str | int | None) -> Filters:
        if blank:
            values = {k: (v if v != "" else None) for k, v in values.items()}
        for name in ("since", "until"):
            checked_date(FILTERS[name].param, values.get(name))  # type: ignore[arg-type]
        kind = values.get("kind")
        if kind is not None and kind not in EVENT_KINDS:
            raise ApiError(
                422,
                ApiCode.INVALID_REQUEST,
                f"kind: {str(kind)[:40]!r} is not an event kind; use one of "
                + ", ".join(EVENT_KINDS),
            )
        return Filters(**values)  # type: ignore[arg-type]

    read.__signature__ = inspect.Signature(parameters, return_annotation=Filters)  # type: ignore[attr-defined]
    return read


def checked_date(param: str, value: str | None) -> None:
    """A date parameter is ISO 8601 (2023, 2023-05 or 2023-05-17) or absent; else a 422."""
    if value is None:
        return
    m = _DATE.match(value)
    ok = m is not None
    if m is not None:
        try:
            date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
        except ValueError:
            ok = False
    if not ok:
        raise ApiError(
            422,
            ApiCode.INVALID_REQUEST,
            f"{param}: {value[:40]!r} is not a date; give it as ISO 8601 (2023-05-17, 2023-05 "
            "or 2023)",
        )


def is_weblink(value: object) -> bool:
    """Whether a stored URL may become a link on a page: an absolute http(s) URL (never
    ``javascript:``, ``data:`` or ``file:``) with nothing a browser would read otherwise."""
    if not isinstance(value, str) or not value.lower().startswith(("http://", "https://")):
        return False
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
