"""The REST API and the dashboard over a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from communique.runners.ingest import ingest
from communique.sources import Item, read_items
from communique.store import Store
from web_helpers import running_server

PAIRS = Path(__file__).parent / "fixtures" / "pairs"
HOSTILE_TITLE = "<script>window.__pwned = 1</script> <b>Bold</b> & co"
HOSTILE_TEXT = (
    "Secretary Antony J. Blinken spoke today with Estonian Foreign Minister Urmas Reinsalu "
    '<img src=x onerror="window.__pwned=2"> about <script>window.__pwned=3</script> security.'
)


ORGANISATIONS = [  # encounters with organisations: dated, and one undated
    (
        "https://www.fmprc.gov.cn/eng/sco.html",
        "2024-07-04",
        "Chinese President Xi Jinping met with SCO Secretary-General Zhang Ming in Astana.",
    ),
    (
        "https://www.fmprc.gov.cn/eng/un.html",
        "2024-05-03",
        "UN Secretary-General Antonio Guterres met with Chinese President Xi Jinping in Beijing.",
    ),
    (
        None,
        None,
        "NATO Secretary General Jens Stoltenberg held talks with German Chancellor Olaf Scholz.",
    ),
]


def fill(db: str, examples: Path) -> None:
    store = Store(db)
    ingest(store, read_items([str(examples), str(PAIRS)]))
    ingest(
        store,
        [
            Item(origin=f"org-{i}", raw=text, fmt="text", url=url, published=day)
            for i, (url, day, text) in enumerate(ORGANISATIONS)
        ],
    )
    ingest(
        store,
        [
            Item(
                origin="hostile",
                raw=HOSTILE_TEXT,
                fmt="text",
                title=HOSTILE_TITLE,
                url="https://www.state.gov/hostile/",
                published="2021-06-01",
            ),
            Item(
                origin="script-url",
                raw="Secretary Antony J. Blinken spoke today with Italian Foreign Minister "
                "Antonio Tajani about the G7.",
                fmt="text",
                title="A readout whose URL is a script",
                url="javascript:window.__pwned=4",
                published="2021-06-02",
            ),
        ],
    )
    store.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("api") / "api.db")
    fill(db, examples)
    with running_server(db) as base:
        yield base


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("w") / "w.db")
    with running_server(db, token="s3cret") as base:
        yield base


def test_listings_filter_and_paginate(site: str) -> None:
    r = httpx.get(f"{site}/api/v1/events", params={"country": "CHN", "limit": 2})
    assert r.status_code == 200
    body = r.json()
    assert len(body["items"]) == 2 and body["next_offset"] == 2
    assert all("CHN" in e["countries"] for e in body["items"])
    nxt = httpx.get(f"{site}/api/v1/events", params={"country": "CHN", "limit": 2, "offset": 2})
    assert {e["id"] for e in nxt.json()["items"]}.isdisjoint({e["id"] for e in body["items"]})
    for path in ("/api/v1/actors", "/api/v1/documents", "/api/v1/agreements"):
        assert httpx.get(site + path).json()["items"], path
    rel = httpx.get(f"{site}/api/v1/relations/KAZ").json()
    assert any(x["counterpart"] == "CHN" for x in rel["counterparts"])
    hits = httpx.get(f"{site}/api/v1/search", params={"q": "visa exemption"}).json()
    assert "items" in hits


def test_document_and_error_envelope(site: str) -> None:
    doc = httpx.get(f"{site}/api/v1/documents").json()["items"][0]
    one = httpx.get(f"{site}/api/v1/documents/{doc['id']}").json()
    assert one["readout"]["schema"] == "communique/readout@1" and one["readout"]["document"]["text"]
    missing = httpx.get(f"{site}/api/v1/documents/nope")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {"status": 404, "code": "not_found", "message": "no document nope"}
    }
    bad = httpx.get(f"{site}/api/v1/events", params={"limit": 0})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    unknown = httpx.get(f"{site}/api/v1/nothing-here")
    assert unknown.status_code == 404 and "error" in unknown.json()


def test_extract_endpoint(site: str) -> None:
    r = httpx.post(
        f"{site}/api/v1/extract",
        json={
            "text": "President Xi Jinping held talks with President Emmanuel Macron of France in Paris.",
            "published": "2024-05-06",
        },
    )
    assert r.status_code == 200
    e = r.json()["events"][0]
    assert e["kind"] == "talks" and e["date"] == "2024-05-06"
    empty = httpx.post(f"{site}/api/v1/extract", json={"text": "   "})
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "unreadable_input"
    huge = httpx.post(
        f"{site}/api/v1/extract",
        content=b"x" * (3 * 1024 * 1024),
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "too_large"


def test_writes_need_a_configured_token(site: str, writable: str) -> None:
    doc = {
        "text": "Foreign Minister Wang Yi met with Pakistani Foreign Minister Ishaq Dar in "
        "Beijing.",
        "url": "https://www.fmprc.gov.cn/eng/x.html",
        "published": "2024-05-15",
    }
    ro = httpx.post(f"{site}/api/v1/documents", json=doc)
    assert ro.status_code == 403 and ro.json()["error"]["code"] == "read_only"
    anon = httpx.post(f"{writable}/api/v1/documents", json=doc)
    assert anon.status_code == 401
    wrong = httpx.post(
        f"{writable}/api/v1/documents", json=doc, headers={"Authorization": "Bearer no"}
    )
    assert wrong.status_code == 401
    ok = httpx.post(
        f"{writable}/api/v1/documents", json=doc, headers={"Authorization": "Bearer s3cret"}
    )
    assert ok.status_code == 201 and ok.json()["added"] == 1
    events = httpx.get(f"{writable}/api/v1/events", params={"with": "PAK"}).json()["items"]
    assert events and "CHN" in events[0]["countries"]


def test_cors_is_off_by_default(site: str) -> None:
    r = httpx.get(f"{site}/api/v1/events", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in r.headers


def test_openapi_and_offline_docs(site: str) -> None:
    spec = httpx.get(f"{site}/api/v1/openapi.json").json()
    assert "/api/v1/events" in spec["paths"] and "/api/v1/extract" in spec["paths"]
    page = httpx.get(f"{site}/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in page and "cdn" not in page.lower()


def test_every_page_has_a_json_twin(site: str) -> None:
    for path in (
        "/",
        "/events",
        "/actors",
        "/country/CHN",
        "/map/CHN",
        "/network",
        "/search?q=talks",
    ):
        html = httpx.get(site + path)
        assert html.status_code == 200 and "text/html" in html.headers["content-type"], path
        sep = "&" if "?" in path else "?"
        twin = httpx.get(f"{site}{path}{sep}format=json")
        assert twin.headers["content-type"].startswith("application/json"), path
        assert twin.json() is not None


def test_user_text_is_escaped(site: str) -> None:
    found = httpx.get(f"{site}/api/v1/documents", params={"publisher": "state"}).json()["items"]
    doc = next(d for d in found if d["title"] == HOSTILE_TITLE)
    html = httpx.get(f"{site}/documents/{doc['id']}").text
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    results = httpx.get(f"{site}/search", params={"q": "Reinsalu"}).text
    assert "<script>window.__pwned" not in results


def test_a_chinese_readout_stored_and_shown_in_its_own_text(writable: str) -> None:
    text = "央视网消息：国家主席习近平5日在人民大会堂会见法国总统马克龙。"
    auth = {"Authorization": "Bearer s3cret"}
    r = httpx.post(
        f"{writable}/api/v1/documents",
        json={
            "text": text,
            "url": "https://tv.cctv.com/2024/05/05/x.shtml",
            "published": "2024-05-05",
        },
        headers=auth,
    )
    assert r.status_code == 201, r.text
    docs = httpx.get(f"{writable}/api/v1/documents").json()["items"]
    doc = next(d for d in docs if "cctv" in (d.get("url") or ""))
    page = httpx.get(f"{writable}/documents/{doc['id']}").text
    # the original text, its evidence and actors marked where the rules found them
    assert '<span class="ev"' in page and ">马克龙</mark>" in page and ">习近平</mark>" in page
    readout = httpx.get(f"{writable}/api/v1/documents/{doc['id']}").json()["readout"]
    assert readout["document"]["language"] == "zh"
    assert {a["canonical"] for a in readout["actors"] if a["kind"] == "person"} >= {
        "Xi Jinping",
        "Emmanuel Macron",
    }
    forced = httpx.post(f"{writable}/api/v1/extract", json={"text": text, "language": "en"})
    assert forced.status_code == 200 and forced.json()["events"] == []
