"""The web application: a versioned REST API (/api/v1) and a dashboard whose every listing page
has a JSON twin (``?format=json``). Server-rendered pages, a little JavaScript, and every asset
served from the package: nothing comes from a CDN.

:func:`create_app` assembles it: settings, middleware, the error handlers and the routers of
:mod:`communique.web.api` and :mod:`communique.web.pages` (which depend on
:mod:`communique.web.deps`, never on this module).
"""

from __future__ import annotations

import logging
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from communique.errors import ApiCode
from communique.settings import Settings, settings
from communique.version import __version__
from communique.web.api import router as api_router
from communique.web.deps import ApiError, Connections, envelope
from communique.web.pages import not_found_page
from communique.web.pages import router as page_router

MAX_BODY = 2 * 1024 * 1024  # bytes a request may carry (readouts are small)
log = logging.getLogger("communique.web")


def create_app(config: Settings | None = None, *, max_body: int = MAX_BODY) -> FastAPI:
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
    app.state.connections = Connections(config.db)
    static = resources.files("communique.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    if config.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware, allow_origins=list(config.cors_origins), allow_methods=["GET", "POST"]
        )

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Any) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_body:
            return envelope(413, ApiCode.TOO_LARGE, f"request body over {max_body} bytes")
        return await call_next(request)  # type: ignore[no-any-return]

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return envelope(exc.status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or exc.status_code != 404:
            code = {404: ApiCode.NOT_FOUND, 405: ApiCode.METHOD_NOT_ALLOWED}.get(
                exc.status_code, ApiCode.HTTP_ERROR
            )
            return envelope(exc.status_code, code, str(exc.detail))
        return not_found_page(request, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return envelope(422, ApiCode.INVALID_REQUEST, f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        # the details are for the operator's log, not for clients
        log.exception("%s %s failed", request.method, request.url.path, exc_info=exc)
        return envelope(
            500, ApiCode.INTERNAL_ERROR, "internal error; the server's log has the details"
        )

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/v1/openapi.json",
            title="communique API",
            swagger_js_url="/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    app.include_router(api_router)
    app.include_router(page_router)
    return app
