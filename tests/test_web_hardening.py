"""What one request may cost and what a response gives away (issue 11), in process: security
headers on every kind of response, every bad parameter a 4xx in the envelope, the concurrency
and body limits, query time limits on both engines, bounded search words, safe links."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from communique.errors import QueryTimeout
from communique.queries.listings import MAX_TERMS, search, search_terms
from communique.runners.ingest import ingest
from communique.settings import Settings
from communique.sources import Item, read_items
from communique.store import Store
from communique.store.db import Database
from communique.web.app import create_app
from communique.web.deps import is_weblink
from hostile import GOOD
from store_helpers import fresh_url
from web_helpers import call


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> str:
    path = str(tmp_path_factory.mktemp("wh") / "w.db")
    s = Store(path)
    ingest(s, read_items([str(examples)]))
    ingest(s, [Item(origin=f"d{i}", raw=f"{GOOD[i % 3]} ({i})") for i in range(30)])
    s.close()
    return path


@pytest.fixture(scope="module")
def app(db: str) -> Any:
    return create_app(Settings(db=db, api_token="t0ken"))


@pytest.fixture(scope="module")
def doc_id(app: Any) -> str:
    return str(call(app, "GET", "/api/v1/documents?limit=1").json()["items"][0]["id"])


def test_every_response_carries_the_security_headers(app: Any, doc_id: str) -> None:
    @app.get("/api/v1/crash-for-the-test")
    def crash() -> None:
        raise RuntimeError("boom")

    responses = [
        call(app, "GET", "/"),
        call(app, "GET", f"/documents/{doc_id}"),
        call(app, "GET", "/docs"),
        call(app, "GET", "/static/app.js"),
        call(app, "GET", "/api/v1/events"),
        call(app, "GET", "/nowhere"),
        call(app, "GET", "/api/v1/events?limit=0"),
        call(app, "POST", "/api/v1/extract", content=b"x" * (3 << 20)),
        call(app, "GET", "/api/v1/crash-for-the-test"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 200, 404, 422, 413, 500]
    for r in responses:
        csp = r.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "script-src 'self';" in csp, r.url
        assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-frame-options"] == "DENY"


def test_no_page_has_an_inline_script(app: Any, doc_id: str) -> None:
    import re

    for path in ("/", "/events", "/actors", "/country/CHN", "/map/CHN", "/network",
                 "/search?q=talks", f"/documents/{doc_id}", "/docs"):  # fmt: skip
        html = call(app, "GET", path).text
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
        for attrs, body in scripts:
            assert "src=" in attrs or "application/json" in attrs, (path, attrs, body[:80])
        assert not re.search(r"\son[a-z]+\s*=", html), path  # no inline event handlers
        assert "style=" not in html, path


BAD = [
    ("/api/v1/events", {"limit": "0"}),
    ("/api/v1/events", {"limit": "1000001"}),
    ("/api/v1/events", {"limit": "abc"}),
    ("/api/v1/events", {"offset": "-1"}),
    ("/api/v1/events", {"offset": str(2**63)}),
    ("/api/v1/events", {"offset": str(10**400)}),
    ("/api/v1/events", {"offset": "1e3"}),
    ("/api/v1/events", {"since": "abc"}),
    ("/api/v1/events", {"since": "2023-02-30"}),
    ("/api/v1/events", {"until": "20231"}),
    ("/api/v1/events", {"kind": "picnic"}),
    ("/api/v1/events", {"country": "X" * 13}),
    ("/api/v1/actors", {"offset": str(2**64)}),
    ("/api/v1/documents", {"offset": str(2**63)}),
    ("/api/v1/documents", {"since": "yesterday"}),
    ("/api/v1/agreements", {"offset": str(2**63)}),
    ("/api/v1/relations/CHN", {"since": "\x00"}),
    ("/api/v1/search", {}),
    ("/api/v1/search", {"q": ""}),
    ("/api/v1/search", {"q": "x" * 201}),
    ("/api/v1/search", {"q": "talks", "limit": "0"}),
    ("/search", {"q": "x" * 201}),
    ("/events", {"since": "abc"}),
    ("/network", {"limit": "1"}),
    ("/network", {"persons": "perhaps"}),
    ("/country/CHN", {"until": "2024-99-01"}),
]


@pytest.mark.parametrize(("path", "params"), BAD, ids=[f"{p}{q}" for p, q in BAD])
def test_a_bad_parameter_is_a_422(app: Any, path: str, params: dict[str, str]) -> None:
    r = call(app, "GET", path, params=params)
    assert r.status_code == 422, r.text
    if path.startswith("/api/"):
        error = r.json()["error"]
        assert error["status"] == 422 and error["code"] == "invalid_request" and error["message"]
    else:
        assert "text/html" in r.headers["content-type"]


def test_odd_but_valid_parameters_answer_200(app: Any) -> None:
    for path, params in (
        ("/api/v1/events", {"since": "2023", "until": "2024-05"}),
        ("/api/v1/events", {"country": "%_%", "person": "' OR 1=1 --"}),
        ("/api/v1/search", {"q": 'NEAR("a" "b") OR * ^ "'}),
        ("/api/v1/search", {"q": "\u0000\u202e\ufeff"}),
        ("/api/v1/relations/%25", {}),
        ("/api/v1/documents/" + "x" * 5000, {}),
        ("/country/<script>", {}),
        ("/search", {"q": "-- ; DROP TABLE documents"}),
    ):
        r = call(app, "GET", path, params=params)
        assert r.status_code in (200, 404), (path, params, r.status_code)


def test_extractions_beyond_the_limit_get_a_503(db: str) -> None:
    app = create_app(Settings(db=db), max_extractions=1)
    text = "\n\n".join(GOOD * 300)

    async def go() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=60) as c:
            return list(
                await asyncio.gather(
                    *(c.post("/api/v1/extract", json={"text": text}) for _ in range(4))
                )
            )

    statuses = sorted(r.status_code for r in asyncio.run(go()))
    assert statuses[0] == 200 and statuses[-1] == 503, statuses
    busy = next(r for r in asyncio.run(go()) if r.status_code == 503)
    assert busy.json()["error"]["code"] == "overloaded"
    # the listings are not extractions: they are still served
    assert call(app, "GET", "/api/v1/events").status_code == 200


def test_a_chunked_body_over_the_limit_is_refused_as_it_arrives(db: str) -> None:
    app = create_app(Settings(db=db), max_body=100_000)
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(1000):
            sent += 10_000
            yield b"x" * 10_000

    r = call(
        app, "POST", "/api/v1/extract", content=body(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    assert sent < 1_000_000  # refused while the client was still sending


def test_a_query_past_its_time_limit_is_a_503(db: str) -> None:
    app = create_app(Settings(db=db))

    @app.get("/api/v1/slow-for-the-test")
    @app.get("/slow-for-the-test")
    def slow() -> None:
        raise QueryTimeout("the query ran past 10 s; narrow it")

    r = call(app, "GET", "/api/v1/slow-for-the-test")
    assert r.status_code == 503 and r.json()["error"]["code"] == "timeout"
    page = call(app, "GET", "/slow-for-the-test")
    assert page.status_code == 503 and "text/html" in page.headers["content-type"]


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_queries_stop_at_their_time_limit(engine: str, tmp_path: Path) -> None:
    url = fresh_url(engine, tmp_path)
    db = Database(url, query_timeout=0.2)
    slow = (
        "SELECT pg_sleep(5)"
        if engine == "postgresql"
        else "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        "SELECT COUNT(*) FROM (SELECT i FROM n LIMIT 1000000000)"
    )
    import time

    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="E303"):
        db.query(slow)
    assert time.monotonic() - started < 3
    assert db.scalar("SELECT 1") == 1  # the connection is still usable
    db.close()


def test_search_words_are_deduplicated_and_capped(db: str) -> None:
    assert search_terms("Talks talks TALKS visa") == ["talks", "visa"]
    many = " ".join(f"w{i}" for i in range(100))
    assert len(search_terms(many)) == MAX_TERMS
    assert search_terms("x" * 10_000) == ["x" * 64]
    s = Store(db)
    once = search(s.db, "talks")
    assert search(s.db, " ".join(["talks"] * 500)) == once
    assert search(s.db, "talks", limit=2) == once[:2]
    s.close()


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://www.state.gov/x/", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG/A", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("https://a.org/\nx", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("file:///etc/passwd", False),
        ("vbscript:x", False),
        ("//evil.example/x", False),
        ("https:", False),
        ("http://[::1", False),
        (None, False),
        (5, False),
    ],
)
def test_only_http_urls_become_links(url: object, link: bool) -> None:
    assert is_weblink(url) is link
