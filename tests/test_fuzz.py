"""Property tests on hostile input (issue 11): whatever the text, ``communique.extract`` returns a
Readout or raises a CommuniqueError, ``process`` returns an Outcome whose rows a store accepts,
the corpus readers never stop on a record, and no API parameter gets a 5xx."""

from __future__ import annotations

import asyncio
import json
import string
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import communique
from communique.documents.corpus import FieldMap, read_records
from communique.documents.limits import Limits
from communique.errors import CommuniqueError
from communique.process import process
from communique.runners.ingest import ingest
from communique.settings import Settings
from communique.sources import Item
from communique.sources.files import corpus_items
from communique.store import Store
from hostile import GOOD

FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# text that looks like readouts and text that looks like nothing: every Unicode category,
# control characters, markup, and pieces of real sentences
WORDS = st.sampled_from(
    [*" ".join(GOOD).split(), "\n", "\n\n", "<p>", "</p>", "<div>", "---", "#", "**", "\x00",
     "\ud800", "\u202e", "\ufeff", "&amp;", "&#0;", "<script>", "{", "}", "[", "]", '"', "\\"]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=400),
    st.lists(WORDS, max_size=120).map(" ".join),
    st.text(alphabet=string.printable, max_size=400),
)


@FUZZ
@given(text=TEXTS, published=st.one_of(st.none(), st.text(max_size=30)))
def test_extract_returns_a_readout_or_a_named_error(text: str, published: str | None) -> None:
    try:
        r = communique.extract(text, published=published)
    except CommuniqueError:
        return
    json.loads(r.to_json())  # and the Readout is valid JSON
    for a in r.actors:
        for span in a.mentions:
            assert 0 <= span.start <= span.end <= len(r.document.text)


ANY = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@FUZZ
@given(
    raw=TEXTS,
    url=ANY,
    title=ANY,
    published=ANY,
    source=ANY,
    fmt=st.sampled_from([None, "text", "html", "markdown"]),
)
def test_process_never_raises_and_its_rows_are_storable(
    tmp_path_factory: pytest.TempPathFactory,
    raw: str,
    url: Any,
    title: Any,
    published: Any,
    source: Any,
    fmt: str | None,
) -> None:
    item = Item(
        origin="fuzz", raw=raw, url=url, title=title, published=published, source=source, fmt=fmt
    )
    outcome = process(item, limits=Limits(max_chars=300))
    assert outcome.document is not None or outcome.failure is not None
    store = _store(tmp_path_factory)
    s = ingest(store, [item], limits=Limits(max_chars=300), force=True)
    assert s.seen == 1 and s.failed + s.added + s.updated >= 1
    assert not any(stage == "store" for stage in _stages(store))


_STORE: dict[str, Store] = {}


def _store(factory: pytest.TempPathFactory) -> Store:
    if "s" not in _STORE:
        _STORE["s"] = Store(str(factory.mktemp("fuzz") / "f.db"))
    return _STORE["s"]


def _stages(store: Store) -> list[str]:
    return [r["stage"] for r in store.db.query("SELECT stage FROM failures")]


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".jsonl", ".csv", ".json"]))
@example(data=b"\xfe\xff\x00\x00\x00\x00\x00", suffix=".jsonl")  # UTF-16 cut in a character
def test_corpus_readers_never_stop_on_a_record(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("c") / f"corpus{suffix}"
    path.write_bytes(data)
    limits = Limits(max_chars=100, max_depth=8)
    try:
        for rec in read_records(path, FieldMap(), limits):
            assert (rec.value is None) != (rec.error is None)
    except CommuniqueError:
        pass  # a file that is no corpus at all: one failure
    for it in corpus_items(path, FieldMap(), limits):
        assert it.origin.startswith(str(path))


# -- every API parameter -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> Any:
    from communique.sources import read_items
    from communique.web.app import create_app

    db = str(tmp_path_factory.mktemp("api") / "a.db")
    s = Store(db)
    ingest(s, read_items([str(examples)]))
    s.close()
    return create_app(Settings(db=db, api_token="t"))


ROUTES = [
    ("GET", "/api/v1/events", ["country", "with", "person", "kind", "stance", "topic", "since", "until", "publisher", "limit", "offset"]),
    ("GET", "/api/v1/actors", ["country", "actor_kind", "person", "since", "limit", "offset"]),
    ("GET", "/api/v1/documents", ["country", "publisher", "since", "until", "limit", "offset"]),
    ("GET", "/api/v1/agreements", ["country", "with", "since", "until", "limit", "offset"]),
    ("GET", "/api/v1/relations/{x}", ["with", "since", "until", "limit"]),
    ("GET", "/api/v1/documents/{x}", []),
    ("GET", "/api/v1/search", ["q", "limit"]),
    ("GET", "/", ["format"]),
    ("GET", "/events", ["country", "with", "kind", "since", "until", "limit", "offset", "format"]),
    ("GET", "/actors", ["country", "kind", "limit", "format"]),
    ("GET", "/country/{x}", ["since", "until", "format"]),
    ("GET", "/map/{x}", ["since", "until", "format"]),
    ("GET", "/network", ["since", "until", "kind", "country", "persons", "limit", "format"]),
    ("GET", "/search", ["q", "format"]),
    ("GET", "/documents/{x}", ["format"]),
]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", "0", "-1", "1e9", "NaN", "2023-02-30", "9999-99-99", "%", "_", "'", '"',
                     "\x00", "talks", "CHN", "json", "true", "a" * 300]),
)  # fmt: skip


@FUZZ
@given(route=st.sampled_from(ROUTES), data=st.data())
def test_no_api_parameter_gets_a_5xx(
    app: Any, route: tuple[str, str, list[str]], data: Any
) -> None:
    method, path, names = route
    if "{x}" in path:
        segment = data.draw(st.text(max_size=30)) or "x"
        path = path.replace("{x}", quote(segment, safe=""))
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    params = {name: data.draw(VALUES) for name in chosen}
    r = asyncio.run(_get(app, method, path, params))
    assert r.status_code < 500, (path, params, r.text[:300])
    if r.status_code >= 400 and (path.startswith("/api/") or params.get("format") == "json"):
        assert set(r.json()["error"]) == {"status", "code", "message"}


@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        st.recursive(
            st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
            lambda children: (
                st.lists(children, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["text", "url", "published", "title", "source", "x"]),
                    children,
                    max_size=5,
                )
            ),
            max_leaves=12,
        ).map(lambda v: json.dumps(v).encode()),
    )
)
def test_no_extraction_body_gets_a_5xx(app: Any, body: bytes) -> None:
    for path, headers in (
        ("/api/v1/extract", {}),
        ("/api/v1/documents", {"Authorization": "Bearer t"}),
    ):
        r = asyncio.run(_post(app, path, body, headers))
        assert r.status_code < 500, (path, body[:200], r.text[:300])


async def _get(app: Any, method: str, path: str, params: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, path, params=params)


async def _post(app: Any, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(
            path, content=body, headers={"content-type": "application/json", **headers}
        )
