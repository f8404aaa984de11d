"""REST API, version 1: the CLI's listings with the same filters, pagination, extraction, and
token-protected ingest."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from communique import extract as extract_readout
from communique.errors import ApiCode, CommuniqueError
from communique.queries import dashboard
from communique.queries.filters import Filters
from communique.queries.listings import actors, events, relations
from communique.queries.listings import search as run_search
from communique.runners.ingest import ingest
from communique.sources import Item
from communique.store import Store
from communique.store.db import Database
from communique.web.deps import DB, ApiError, filter_params, not_found, require_token

router = APIRouter(prefix="/api/v1", tags=["api"])
FILTERS = Depends(filter_params())


def page(items: list[dict[str, Any]], f: Filters) -> dict[str, Any]:
    return {
        "items": items,
        "limit": f.limit,
        "offset": f.offset,
        "next_offset": f.offset + f.limit if len(items) == f.limit else None,
    }


@router.get("/events", summary="Encounters (canonical, with their number of sources) or statements")
def list_events(f: Filters = FILTERS, db: Database = DB) -> dict[str, Any]:
    return page(events(db, f), f)


@router.get("/actors", summary="Actors across documents, most frequent first")
def list_actors(
    f: Filters = FILTERS,
    actor_kind: str | None = Query(None, alias="actor_kind"),
    db: Database = DB,
) -> dict[str, Any]:
    return page(actors(db, f, actor_kind), f)


@router.get("/documents", summary="Stored documents, newest first")
def list_documents(f: Filters = FILTERS, db: Database = DB) -> dict[str, Any]:
    return page(dashboard.documents(db, f), f)


@router.get("/documents/{doc_id}", summary="One document with its Readout JSON")
def get_document(doc_id: str, db: Database = DB) -> dict[str, Any]:
    found = dashboard.document_page(db, doc_id)
    if found is None:
        raise not_found(f"no document {doc_id}")
    d = found["document"]
    return {
        "id": d["id"],
        "key": d["key"],
        "url": d["url"],
        "title": d["title"],
        "published": d["published"],
        "readout": found["readout"],
    }


@router.get("/agreements", summary="Agreements signed or witnessed")
def list_agreements(f: Filters = FILTERS, db: Database = DB) -> dict[str, Any]:
    return page(dashboard.agreements(db, f), f)


@router.get("/relations/{iso3}", summary="A country's counterparts at a glance")
def get_relations(iso3: str, f: Filters = FILTERS, db: Database = DB) -> dict[str, Any]:
    return {"country": iso3.upper(), "items": relations(db, iso3, f)}


@router.get("/search", summary="Full-text search over documents and evidence")
def search(
    q: str = Query(..., min_length=1, max_length=200),
    limit: int = Query(20, ge=1, le=100),
    db: Database = DB,
) -> dict[str, Any]:
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
    try:
        r = extract_readout(
            body.text, url=body.url, published=body.published, source=body.source, title=body.title
        )
    except CommuniqueError as exc:
        raise ApiError(422, ApiCode.UNREADABLE_INPUT, str(exc)) from exc
    return r.to_dict()


@router.post(
    "/documents", status_code=201, summary="Store a document and its extraction (needs the token)"
)
def add_document(body: ExtractRequest, request: Request, db: Database = DB) -> dict[str, Any]:
    require_token(request)
    origin = body.url or "api"
    summary = ingest(
        Store.on(db),
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
        raise ApiError(422, ApiCode.UNREADABLE_INPUT, summary.failures[0][1])
    # the documents this request stored (or found stored), never others of the same origin
    rows = [{"id": doc_id, "key": key} for key, doc_id in summary.documents]
    return {
        "added": summary.added,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "documents": rows,
    }
