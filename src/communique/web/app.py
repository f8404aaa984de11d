"""The web application: a versioned REST API (/api/v1) and a dashboard whose every listing page
has a JSON twin (``?format=json``). Server-rendered pages, a little JavaScript, and every asset
served from the package: nothing comes from a CDN.

:func:`create_app` assembles it: settings, middleware, the error handlers and the routers of
:mod:`communique.web.api` and :mod:`communique.web.pages` (which depend on
:mod:`communique.web.deps`, never on this module).

What one request may cost is bounded here: a request body is cut at ``max_body`` bytes as they
are read (a chunked upload included, not only a declared Content-Length); at most
``max_concurrency`` requests are served at once and ``max_extractions`` of them extract (the
others get a 503 at once, not a queue); each query runs at most ``query_timeout`` seconds. Every
response carries a strict Content-Security-Policy (scripts and styles from /static only, no
framing) and ``nosniff``/``Referrer-Policy`` headers; an unexpected error is logged with an id
and answered with that id only.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from communique.errors import ApiCode, QueryTimeout
from communique.settings import Settings, settings
from communique.version import __version__
from communique.web.api import router as api_router
from communique.web.deps import QUERY_TIMEOUT, ApiError, Connections, envelope
from communique.web.pages import error_page
from communique.web.pages import router as page_router

MAX_BODY = 2 * 1024 * 1024  # bytes a request may carry (readouts are small)
MAX_CONCURRENCY = 64  # requests served at once; more get a 503
MAX_EXTRACTIONS = max(2, os.cpu_count() or 1)
BODY_SECONDS = 30.0  # seconds a request body may take to arrive  # of those, extractions (POST extract, documents)
HEAVY = (("POST", "/api/v1/extract"), ("POST", "/api/v1/documents"))
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
log = logging.getLogger("communique.web")


class BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes")


async def _send_envelope(send: Send, status: int, code: ApiCode, message: str) -> None:
    response = envelope(status, code, message)
    await send({"type": "http.response.start", "status": status, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})


class Guard:
    """The outer ASGI layer: security headers on every response, the concurrency limits and the
    body limit (counting the bytes actually received, within a deadline)."""

    def __init__(
        self, app: ASGIApp, *, max_body: int, max_concurrency: int, max_extractions: int
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.max_concurrency = max_concurrency
        self.max_extractions = max_extractions
        self.active = 0
        self.extracting = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_body:
            await _send_envelope(
                secured, 413, ApiCode.TOO_LARGE, f"request body over {self.max_body} bytes"
            )
            return
        heavy = (scope.get("method"), scope.get("path")) in HEAVY
        if self.active >= self.max_concurrency or (
            heavy and self.extracting >= self.max_extractions
        ):
            await _send_envelope(
                secured, 503, ApiCode.OVERLOADED, "too many requests at once; try again shortly"
            )
            return
        received = 0
        body_done = False
        deadline = time.monotonic() + BODY_SECONDS

        async def counted() -> Message:
            nonlocal received, body_done
            if body_done:
                return await receive()  # after the body: waiting for a disconnect is fine
            try:
                message = await asyncio.wait_for(receive(), max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                raise StarletteHTTPException(
                    408, f"the request body took over {BODY_SECONDS:g} s"
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
                body_done = not message.get("more_body", False)
            return message

        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await secured(message)

        self.active += 1
        self.extracting += heavy
        try:
            await self.app(scope, counted, tracked)
        except Exception as exc:
            if started:
                return  # answered (a 500 whose error the handler logged with its id)
            error_id = secrets.token_hex(6)
            log.error(
                "error %s: %s %s failed",
                error_id,
                scope.get("method"),
                scope.get("path"),
                exc_info=exc,
            )
            await _send_envelope(
                secured,
                500,
                ApiCode.INTERNAL_ERROR,
                f"internal error {error_id}; the server's log has the details under that id",
            )
        finally:
            self.active -= 1
            self.extracting -= heavy


def create_app(
    config: Settings | None = None,
    *,
    max_body: int = MAX_BODY,
    max_concurrency: int = MAX_CONCURRENCY,
    max_extractions: int = MAX_EXTRACTIONS,
    query_timeout: float | None = QUERY_TIMEOUT,
) -> FastAPI:
    """The application over the store ``config.db`` (default: the environment's settings)."""
    config = config or settings()
    app = FastAPI(
        title="communique",
        version=__version__,
        description="Structured, source-grounded event data from diplomatic readouts.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = config
    app.state.connections = Connections(config.db, query_timeout=query_timeout)
    static = resources.files("communique.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    if config.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware, allow_origins=list(config.cors_origins), allow_methods=["GET", "POST"]
        )
    build = app.build_middleware_stack

    def guarded() -> ASGIApp:
        # the guard wraps everything, Starlette's error middleware included: a 500 gets the
        # security headers too, and an over-limit request is refused before any other work
        return Guard(
            build(),
            max_body=max_body,
            max_concurrency=max_concurrency,
            max_extractions=max_extractions,
        )

    app.build_middleware_stack = guarded  # type: ignore[method-assign]

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.query_params.get("format") == "json"

    def problem(request: Request, status: int, code: ApiCode, message: str) -> Response:
        """The error envelope for the API and JSON twins, an error page for a page."""
        if is_api(request) or status == 413:
            return envelope(status, code, message)
        titles = {404: "Not found", 422: "Bad request", 503: "Busy"}
        return error_page(request, message, status, titles.get(status, "Error"))

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return problem(request, exc.status, exc.code, exc.message)

    @app.exception_handler(QueryTimeout)
    async def too_slow(request: Request, exc: QueryTimeout) -> Response:
        return problem(request, 503, ApiCode.TIMEOUT, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {
            404: ApiCode.NOT_FOUND,
            405: ApiCode.METHOD_NOT_ALLOWED,
            413: ApiCode.TOO_LARGE,
        }.get(exc.status_code, ApiCode.HTTP_ERROR)
        return problem(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return problem(
            request, 422, ApiCode.INVALID_REQUEST, f"{where}: {first.get('msg', 'invalid')}"
        )

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        # the details are for the operator's log, not for clients: the id links the two
        error_id = secrets.token_hex(6)
        log.error(
            "error %s: %s %s failed", error_id, request.method, request.url.path, exc_info=exc
        )
        return envelope(
            500,
            ApiCode.INTERNAL_ERROR,
            f"internal error {error_id}; the server's log has the details under that id",
        )

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        page = resources.files("communique.web").joinpath("templates", "docs.html").read_text()
        return HTMLResponse(page)

    app.include_router(api_router)
    app.include_router(page_router)
    return app
