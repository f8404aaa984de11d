"""The web application: a versioned REST API (/api/v1) and a dashboard whose every listing page
has a JSON twin (``?format=json``). Server-rendered pages, a little JavaScript, and every asset
served from the package: nothing comes from a CDN."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from communique import __version__
from communique.store.db import Database, database_url
from communique.store.schema import migrate

MAX_BODY = 2 * 1024 * 1024  # bytes a request may carry (readouts are small)


@dataclass(frozen=True)
class Settings:
    db_url: str
    token: str | None = None  # writes need it; without one the API is read-only
    cors_origins: tuple[str, ...] = ()
    max_body: int = MAX_BODY


def api_token(explicit: str | None = None) -> str | None:
    """The operator's write token: given, ``COMMUNIQUE_API_TOKEN``, or the first line of the file
    named by ``COMMUNIQUE_API_TOKEN_FILE``."""
    if explicit:
        return explicit
    if os.environ.get("COMMUNIQUE_API_TOKEN"):
        return os.environ["COMMUNIQUE_API_TOKEN"]
    path = os.environ.get("COMMUNIQUE_API_TOKEN_FILE")
    if path and Path(path).is_file():
        line = Path(path).read_text(encoding="utf-8").strip().splitlines()
        return line[0].strip() if line else None
    return None


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def envelope(status: int, code: str, message: str) -> JSONResponse:
    """The one error shape of the API: ``{"error": {"status", "code", "message"}}``."""
    return JSONResponse(
        {"error": {"status": status, "code": code, "message": message}}, status_code=status
    )


class _Connections:
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


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings(db_url=database_url(), token=api_token())
    app = FastAPI(
        title="communique",
        version=__version__,
        description="Structured, source-grounded event data from diplomatic readouts.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.connections = _Connections(settings.db_url)
    static = resources.files("communique.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"]
        )

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Any) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body:
            return envelope(413, "too_large", f"request body over {settings.max_body} bytes")
        return await call_next(request)  # type: ignore[no-any-return]

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return envelope(exc.status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or exc.status_code != 404:
            code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
            return envelope(exc.status_code, code, str(exc.detail))
        from communique.web.pages import not_found_page

        return not_found_page(request, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return envelope(422, "invalid_request", f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        return envelope(500, "internal_error", f"{type(exc).__name__}: {exc}")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/v1/openapi.json",
            title="communique API",
            swagger_js_url="/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    from communique.web.api import router as api_router
    from communique.web.pages import router as page_router

    app.include_router(api_router)
    app.include_router(page_router)
    return app


def get_db(request: Request) -> Iterator[Database]:
    yield request.app.state.connections.get()


DB = Depends(get_db)


def require_token(request: Request) -> None:
    expected = request.app.state.settings.token
    if not expected:
        raise ApiError(
            403,
            "read_only",
            "this server is read-only: set COMMUNIQUE_API_TOKEN (or COMMUNIQUE_API_TOKEN_FILE) "
            "before starting it to allow writes",
        )
    given = request.headers.get("authorization", "")
    if given != f"Bearer {expected}":
        raise ApiError(
            401, "unauthorized", "send the operator's token as 'Authorization: Bearer <token>'"
        )


def not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=what)
