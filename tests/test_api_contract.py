"""The API's contract, against a real uvicorn server on 127.0.0.1: the OpenAPI document is valid
and documents a shape for every response, and every response the server gives (pages, details,
errors) validates against it. Lists are lists, states and organisations are apart, pages have a
total and a next link, reads have an ETag."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_spec_validator import validate
from werkzeug.datastructures import Headers, ImmutableMultiDict

from test_api import fill
from web_helpers import running_server


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("contract") / "c.db")
    fill(db, examples)
    with running_server(db) as base:
        yield base


@pytest.fixture(scope="module")
def spec(site: str) -> dict[str, Any]:
    document: dict[str, Any] = httpx.get(f"{site}/api/v1/openapi.json").json()
    return document


@pytest.fixture(scope="module")
def openapi(spec: dict[str, Any]) -> OpenAPI:
    return OpenAPI.from_dict(spec)


class Request:
    """An httpx request as openapi-core reads it."""

    def __init__(self, request: httpx.Request) -> None:
        url = urlsplit(str(request.url))
        self.host_url = f"{url.scheme}://{url.netloc}"
        self.path = url.path
        self.method = request.method.lower()
        self.body = request.content or None
        self.content_type = request.headers.get("content-type", "application/json")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qs(url.query)),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict(),
        )


class Response:
    def __init__(self, response: httpx.Response) -> None:
        self.data = response.content
        self.status_code = response.status_code
        self.content_type = response.headers.get("content-type", "")
        self.headers = Headers(dict(response.headers))


class Checked:
    """Requests whose responses are validated against the OpenAPI document as they come."""

    def __init__(self, site: str, openapi: OpenAPI, paths: list[str]) -> None:
        self.site, self.openapi, self.paths = site, openapi, paths
        self.seen: set[tuple[str, str, int]] = set()

    def __call__(self, method: str, path: str, **kw: Any) -> httpx.Response:
        r = httpx.request(method, self.site + path, **kw)
        self.openapi.validate_response(Request(r.request), Response(r))
        for template in self.paths:  # which documented path this was
            if _matches(template, urlsplit(path).path):
                self.seen.add((template, method.lower(), r.status_code))
        return r


def _matches(template: str, path: str) -> bool:
    a, b = template.strip("/").split("/"), path.strip("/").split("/")
    return len(a) == len(b) and all(x == y or x.startswith("{") for x, y in zip(a, b, strict=True))


@pytest.fixture
def api(site: str, openapi: OpenAPI, spec: dict[str, Any]) -> Checked:
    return Checked(site, openapi, list(spec["paths"]))


def test_the_openapi_document_is_valid_and_types_every_response(spec: dict[str, Any]) -> None:
    validate(spec)
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            ok = next(s for s in op["responses"] if s.startswith("2"))
            schema = op["responses"][ok]["content"]["application/json"]["schema"]
            assert schema != {} and (schema.get("$ref") or schema.get("properties")), (
                f"{method.upper()} {path} documents no response shape"
            )
            for status in ("404", "422"):
                error = op["responses"][status]["content"]["application/json"]["schema"]
                assert error["$ref"].endswith("/ErrorEnvelope"), (method, path, status)
    person = spec["components"]["schemas"]["Person"]["properties"]
    assert {"id", "name", "country"} <= set(person)
    event = spec["components"]["schemas"]["EventItem"]["properties"]
    assert event["countries"]["type"] == "array" and event["persons"]["type"] == "array"
    page = spec["components"]["schemas"]["EventPage"]["properties"]
    assert {"total", "next", "items"} <= set(page)


def test_every_endpoint_answers_in_its_documented_shape(api: Checked, spec: dict[str, Any]) -> None:
    doc_id = api("GET", "/api/v1/documents", params={"limit": 1}).json()["items"][0]["id"]
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/api/v1/events", {}),
        ("GET", "/api/v1/events", {"params": {"country": "CHN", "limit": 2}}),
        ("GET", "/api/v1/events", {"params": {"organization": "SCO"}}),
        ("GET", "/api/v1/events", {"params": {"kind": "statement"}}),
        ("GET", "/api/v1/events", {"params": {"stance": "condemn", "since": "2024-01-01"}}),
        ("GET", "/api/v1/actors", {}),
        ("GET", "/api/v1/actors", {"params": {"actor_kind": "organization"}}),
        ("GET", "/api/v1/actors", {"params": {"since": "2024-01-01", "person": "xi"}}),
        ("GET", "/api/v1/documents", {"params": {"publisher": "CHN"}}),
        ("GET", f"/api/v1/documents/{doc_id}", {}),
        ("GET", "/api/v1/agreements", {"params": {"country": "CHN"}}),
        ("GET", "/api/v1/relations/CHN", {}),
        ("GET", "/api/v1/relations/SCO", {}),
        ("GET", "/api/v1/search", {"params": {"q": "joint statement"}}),
        ("POST", "/api/v1/extract", {"json": {"text": "Xi Jinping met Emmanuel Macron."}}),
        # errors, all in the one envelope
        ("GET", "/api/v1/documents/nope", {}),
        ("GET", "/api/v1/relations/XYZ", {}),
        ("GET", "/api/v1/events", {"params": {"limit": 0}}),
        ("GET", "/api/v1/search", {"params": {"q": ""}}),
        ("POST", "/api/v1/extract", {"json": {"text": "   "}}),
        ("POST", "/api/v1/documents", {"json": {"text": "Xi Jinping met Emmanuel Macron."}}),
    ]
    for method, path, kw in calls:
        r = api(method, path, **kw)
        assert r.status_code < 500, (method, path, r.text)
    documented = {(p, m) for p, ops in spec["paths"].items() for m in ops}
    answered = {(p, m) for p, m, _ in api.seen}
    assert documented <= answered, f"not exercised: {documented - answered}"
    assert {s for *_, s in api.seen} >= {200, 403, 404, 422}


def test_lists_are_lists_and_organisations_are_not_countries(api: Checked) -> None:
    items = api("GET", "/api/v1/events", params={"limit": 100}).json()["items"]
    for e in items:
        assert isinstance(e["countries"], list) and isinstance(e["organizations"], list)
        assert all(len(c) == 3 for c in e["countries"])
        for p in e["persons"]:
            assert set(p) == {"id", "name", "country", "organization"}
    sco = next(e for e in items if "SCO" in e["organizations"])
    assert sco["countries"] == ["CHN"] and "SCO" not in sco["countries"]
    zhang = next(p for p in sco["persons"] if p["name"] == "Zhang Ming")
    assert zhang["country"] is None and zhang["organization"] == "SCO"
    xi = next(p for p in sco["persons"] if p["name"] == "Xi Jinping")
    assert xi["country"] == "CHN"
    actor_ids = {
        a["id"] for a in api("GET", "/api/v1/actors", params={"limit": 1000}).json()["items"]
    }
    assert xi["id"] in actor_ids, "a person's id in an event is their id in /actors"
    rel = api("GET", "/api/v1/relations/CHN").json()
    assert "SCO" not in {c["counterpart"] for c in rel["counterparts"]}
    assert {o["counterpart"] for o in rel["organizations"]} >= {"SCO", "UN"}
    assert all(o["counterpart_kind"] == "organization" for o in rel["organizations"])
    agreements = api("GET", "/api/v1/agreements").json()["items"]
    assert agreements and all(isinstance(a["parties"], list) for a in agreements)


def test_pages_have_a_total_and_a_next_link_to_the_end(api: Checked) -> None:
    first = api("GET", "/api/v1/events", params={"limit": 3}).json()
    total, seen, link = first["total"], [e["id"] for e in first["items"]], first["next"]
    assert total > 3 and link and "offset=3" in link and "limit=3" in link
    while link:
        page = api("GET", link).json()
        seen += [e["id"] for e in page["items"]]
        link = page["next"]
    assert len(seen) == len(set(seen)) == total
    filtered = api("GET", "/api/v1/events", params={"country": "CHN", "limit": 1}).json()
    assert "country=CHN" in filtered["next"] and filtered["total"] < total


def test_reads_have_an_etag_and_answer_304_when_unchanged(site: str) -> None:
    r = httpx.get(f"{site}/api/v1/events", params={"limit": 5})
    assert r.headers["cache-control"] == "no-cache" and r.headers["etag"].startswith('"')
    again = httpx.get(
        f"{site}/api/v1/events", params={"limit": 5}, headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""
    other = httpx.get(f"{site}/api/v1/events", params={"limit": 6})
    assert other.headers["etag"] != r.headers["etag"]
    stale = httpx.get(
        f"{site}/api/v1/events", params={"limit": 5}, headers={"If-None-Match": '"old"'}
    )
    assert stale.status_code == 200
    missing = httpx.get(f"{site}/api/v1/documents/nope")
    assert "etag" not in missing.headers


def test_an_organisation_has_its_own_page_never_a_country_page(site: str) -> None:
    moved = httpx.get(f"{site}/country/SCO", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"].endswith("/organization/SCO")
    page = httpx.get(f"{site}/country/SCO", follow_redirects=True)
    assert page.status_code == 200 and "Shanghai Cooperation Organisation" in page.text
    twin = httpx.get(f"{site}/organization/SCO", params={"format": "json"}).json()
    assert twin["organization"] == "SCO" and [s["country"] for s in twin["states"]] == ["CHN"]
    assert httpx.get(f"{site}/organization/CHN", follow_redirects=False).status_code == 308
    assert httpx.get(f"{site}/map/UN", follow_redirects=False).status_code == 308
    assert httpx.get(f"{site}/country/XYZ").status_code == 404
    china = httpx.get(f"{site}/country/CHN")
    assert 'href="/organization/SCO"' in china.text and 'href="/country/SCO"' not in china.text
    events = httpx.get(f"{site}/events").text
    assert 'href="/country/SCO"' not in events and 'href="/organization/SCO"' in events
    graph = httpx.get(f"{site}/network", params={"format": "json"}).json()
    kinds = {n["id"]: n["kind"] for n in graph["graph"]["nodes"]}
    assert kinds["SCO"] == "organization" and kinds["CHN"] == "state"
    world = httpx.get(f"{site}/map/CHN", params={"format": "json"}).json()
    assert "SCO" not in world["counts"] and world["organizations"]["SCO"] == 1


def test_undated_encounters_are_shown_as_undated(site: str) -> None:
    events = httpx.get(f"{site}/events").text
    assert 'class="muted undated">undated<' in events
    china = httpx.get(f"{site}/country/CHN").text
    assert "undated (the readouts give no date)" in china
    overview = httpx.get(f"{site}/").text
    assert 'id="undated-count"' in overview
