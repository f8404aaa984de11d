"""HTTP caching of the API's reads: every successful GET answers with an ``ETag`` (a digest of
its body) and ``Cache-Control: no-cache`` (keep it, but ask again: the store changes when
documents are ingested), and a request whose ``If-None-Match`` names the current ETag gets a
``304 Not Modified`` without a body."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

CACHE_CONTROL = "no-cache"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


class CachedRoute(APIRoute):
    """A route whose successful GET responses carry an ETag and Cache-Control, and answer a
    matching ``If-None-Match`` with 304."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            response = await handler(request)
            if request.method not in ("GET", "HEAD") or response.status_code != 200:
                return response
            body = bytes(response.body)
            etag = etag_of(body)
            headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
            if _matches(request.headers.get("if-none-match", ""), etag):
                return Response(status_code=304, headers=headers)
            response.headers.update(headers)
            return response

        return handle
