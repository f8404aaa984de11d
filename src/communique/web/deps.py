"""What the API's and the pages' handlers depend on: a database connection per server thread,
the write token, the listing filters as query parameters, and the API's one error shape."""

from __future__ import annotations

import hmac
import inspect
import threading
from collections.abc import Callable, Iterator

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from communique.errors import ApiCode
from communique.queries.filters import FILTERS, Filters
from communique.store.db import Database
from communique.store.schema import migrate


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
    shared between threads)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.local = threading.local()
        first = Database(url)
        migrate(first)
        self.local.db = first

    def get(self) -> Database:
        db = getattr(self.local, "db", None)
        if db is None:
            db = Database(self.url)
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
            "offset", inspect.Parameter.KEYWORD_ONLY, default=Query(0, ge=0), annotation=int
        ),
    ]

    def read(**values: str | int | None) -> Filters:
        if blank:
            values = {k: (v if v != "" else None) for k, v in values.items()}
        return Filters(**values)  # type: ignore[arg-type]

    read.__signature__ = inspect.Signature(parameters, return_annotation=Filters)  # type: ignore[attr-defined]
    return read
