"""REST API, version 1: the CLI's listings with the same filters, pagination, extraction, and
token-protected ingest."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from communique.errors import CommuniqueError
from communique.store.db import Database
from communique.store.queries import Filters
from communique.web import data
from communique.web.app import DB, ApiError, not_found, require_token

router = APIRouter(prefix="/api/v1", tags=["api"])


def filters(
    country: str | None = Query(None, description="A participant country (ISO3)", max_length=12),
    with_: str | None = Query(
        None, alias="with", description="A counterpart (ISO3)", max_length=12
    ),
    person: str | None = Query(None, description="Part of a participant's name", max_length=100),
    kind: str | None = Query(
        None, description="talks, meeting, call, visit, summit, message, statement"
    ),
    stance: str | None = Query(None, description="A stance of statements"),
    topic: str | None = Query(None, description="A topic id"),
    since: str | None = Query(None, description="From this date (ISO 8601)", max_length=10),
    until: str | None = Query(None, description="Up to this date (ISO 8601)", max_length=10),
    publisher: str | None = Query(None, description="Publisher name or its ISO3", max_length=100),
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> Filters:
    return Filters(
        country=country,
        with_=with_,
        person=person,
        kind=kind,
        stance=stance,
        topic=topic,
        since=since,
        until=until,
        publisher=publisher,
        limit=limit,
        offset=offset,
    )


FILTERS = Depends(filters)


def page(items: list[dict[str, Any]], f: Filters) -> dict[str, Any]:
    return {
        "items": items,
        "limit": f.limit,
        "offset": f.offset,
        "next_offset": f.offset + f.limit if len(items) == f.limit else None,
    }


@router.get("/events", summary="Encounters (canonical, with their number of sources) or statements")
def list_events(f: Filters = FILTERS, db: Database = DB) -> dict[str, Any]:
    from communique.store.queries import events

    return page(events(db, f), f)


@router.get("/actors", summary="Actors across documents, most frequent first")
def list_actors(
    f: Filters = FILTERS,
    actor_kind: str | None = Query(None, alias="actor_kind"),
    db: Database = DB,
) -> dict[str, Any]:
    from communique.store.queries import actors

    return page(actors(db, f, actor_kind), f)


@router.get("/documents", summary="Stored documents, newest first")
def list_documents(f: Filters = FILTERS, db: Database = DB) -> dict[str, Any]:
    return page(data.documents(db, f, f.offset), f)


@router.get("/documents/{doc_id}", summary="One document with its Readout JSON")
def get_document(doc_id: str, db: Database = DB) -> dict[str, Any]:
    found = data.document_page(db, doc_id)
    if found is None:
        raise not_found(f"no document {doc_id}")
    d = found["document"]
    readout = found["readout"]
    if readout is not None:
        readout["document"]["text"] = d["text"]
    return {
        "id": d["id"],
        "key": d["key"],
        "url": d["url"],
        "title": d["title"],
        "published": d["published"],
        "readout": readout,
    }


@router.get("/agreements", summary="Agreements signed or witnessed")
def list_agreements(f: Filters = FILTERS, db: Database = DB) -> dict[str, Any]:
    return page(data.agreements(db, f, f.offset), f)


@router.get("/relations/{iso3}", summary="A country's counterparts at a glance")
def get_relations(iso3: str, f: Filters = FILTERS, db: Database = DB) -> dict[str, Any]:
    from communique.store.queries import relations

    return {"country": iso3.upper(), "items": relations(db, iso3, f)}


@router.get("/search", summary="Full-text search over documents and evidence")
def search(
    q: str = Query(..., min_length=1, max_length=200),
    limit: int = Query(20, ge=1, le=100),
    db: Database = DB,
) -> dict[str, Any]:
    from communique.store.queries import search as run_search

    return {"query": q, "items": run_search(db, q, limit)}


class ExtractRequest(BaseModel):
    text: str = Field(
        ..., description="Plain text, HTML or Markdown of one readout", max_length=1_000_000
    )
    url: str | None = None
    published: str | None = None
    source: str | None = None
    title: str | None = None


@router.post("/extract", summary="Extract a Readout from text or HTML (nothing is stored)")
def extract(body: ExtractRequest) -> dict[str, Any]:
    import communique

    try:
        r = communique.extract(
            body.text, url=body.url, published=body.published, source=body.source, title=body.title
        )
    except CommuniqueError as exc:
        raise ApiError(422, "unreadable_input", str(exc)) from exc
    return r.to_dict()


@router.post(
    "/documents", status_code=201, summary="Store a document and its extraction (needs the token)"
)
def add_document(body: ExtractRequest, request: Request, db: Database = DB) -> dict[str, Any]:
    require_token(request)
    from communique.store import Item, Store

    store = Store.on(db)
    origin = body.url or "api"
    summary = store.ingest(
        [
            Item(
                origin=origin,
                raw=body.text,
                url=body.url,
                published=body.published,
                title=body.title,
                source=body.source,
            )
        ],
        command="api",
    )
    if summary.failed and not summary.added and not summary.updated:
        raise ApiError(422, "unreadable_input", summary.failures[0][1])
    rows = db.query("SELECT id, key FROM documents WHERE origin = ? ORDER BY key", (origin,))
    return {
        "added": summary.added,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "documents": rows,
    }
