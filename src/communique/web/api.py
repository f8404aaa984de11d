"""REST API, version 1: the CLI's listings with the same filters, pagination, extraction, and
token-protected ingest.

Every response has a declared shape (:mod:`communique.web.schemas`), so
``/api/v1/openapi.json`` documents it and client generators can use it; listings are pages with
``total`` and a ``next`` link; reads carry an ETag and Cache-Control (:mod:`communique.web.caching`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from communique import extract as extract_readout
from communique.errors import ApiCode, CommuniqueError
from communique.queries import dashboard
from communique.queries.filters import Filters
from communique.queries.listings import Select, actors_query, events_query, relations
from communique.queries.listings import search as run_search
from communique.runners.ingest import ingest
from communique.sources import Item
from communique.store import Store
from communique.store.db import Database
from communique.web.caching import CachedRoute
from communique.web.deps import DB, ApiError, filter_params, not_found, require_token
from communique.web.schemas import (
    ERRORS,
    ActorPage,
    AgreementPage,
    DocumentDetail,
    DocumentPage,
    EventPage,
    IngestResult,
    ReadoutJson,
    RelationsResponse,
    SearchResponse,
    error_response,
)

router = APIRouter(prefix="/api/v1", tags=["api"], route_class=CachedRoute, responses=ERRORS)
READ: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the ETag sent in If-None-Match is still current"}
}
"""What a read may answer besides its page (:mod:`communique.web.caching`)."""
FILTERS = Depends(filter_params())


def page(request: Request, db: Database, select: Select, f: Filters) -> dict[str, Any]:
    """One page of a listing: its items, the number of rows over all pages, and the next
    page's URL (path and query, the same filters, the next offset) unless this is the last."""
    items = select.rows(db, f)
    total = select.total(db)
    following = f.offset + f.limit if f.offset + f.limit < total else None
    link = None
    if following is not None:
        url = request.url.include_query_params(offset=following)
        link = f"{url.path}?{url.query}"
    return {
        "total": total,
        "limit": f.limit,
        "offset": f.offset,
        "next": link,
        "next_offset": following,
        "items": items,
    }


@router.get(
    "/events",
    responses=READ,
    response_model=EventPage,
    summary="Encounters (canonical, with their number of sources) or statements",
)
def list_events(request: Request, f: Filters = FILTERS, db: Database = DB) -> dict[str, Any]:
    return page(request, db, events_query(f), f)


@router.get(
    "/actors",
    responses=READ,
    response_model=ActorPage,
    summary="Actors across documents, most frequent first",
)
def list_actors(
    request: Request,
    f: Filters = FILTERS,
    actor_kind: str | None = Query(
        None, alias="actor_kind", description="person, state or organization", max_length=20
    ),
    db: Database = DB,
) -> dict[str, Any]:
    return page(request, db, actors_query(f, actor_kind), f)


@router.get(
    "/documents",
    responses=READ,
    response_model=DocumentPage,
    summary="Stored documents, newest first",
)
def list_documents(request: Request, f: Filters = FILTERS, db: Database = DB) -> dict[str, Any]:
    return page(request, db, dashboard.documents_query(f), f)


@router.get(
    "/documents/{doc_id}",
    responses=READ,
    response_model=DocumentDetail,
    summary="One document with its Readout JSON",
)
def get_document(doc_id: str, db: Database = DB) -> dict[str, Any]:
    found = dashboard.document_page(db, doc_id)
    if found is None:
        raise not_found(f"no document {doc_id}")
    d = found["document"]
    return {
        **{k: d[k] for k in ("id", "key", "url", "title", "published", "source")},
        "source_country": d["source_country"],
        "readout": found["readout"],
    }


@router.get(
    "/agreements",
    responses=READ,
    response_model=AgreementPage,
    summary="Agreements signed or witnessed",
)
def list_agreements(request: Request, f: Filters = FILTERS, db: Database = DB) -> dict[str, Any]:
    return page(request, db, dashboard.agreements_query(f), f)


@router.get(
    "/relations/{code}",
    responses=READ,
    response_model=RelationsResponse,
    summary="A state's (or an organisation's) counterparts at a glance, states and organisations apart",
)
def get_relations(code: str, f: Filters = FILTERS, db: Database = DB) -> dict[str, Any]:
    found = relations(db, code, f)
    if found.kind is None and not found.encounters:
        raise not_found(f"no state or organisation {code.upper()}")
    return found.to_dict()


@router.get(
    "/search",
    responses=READ,
    response_model=SearchResponse,
    summary="Full-text search over documents and evidence",
)
def search(
    q: str = Query(..., min_length=1, max_length=200),
    limit: int = Query(20, ge=1, le=100),
    db: Database = DB,
) -> dict[str, Any]:
    return {"query": q, "limit": limit, "items": run_search(db, q, limit)}


class ExtractRequest(BaseModel):
    text: str = Field(
        ..., description="Plain text, HTML or Markdown of one readout", max_length=1_000_000
    )
    url: str | None = None
    published: str | None = None
    source: str | None = None
    title: str | None = None
    language: str | None = Field(
        None,
        description="Read the text in this language (en, zh, ru) instead of the one its script shows",
        max_length=8,
    )


@router.post(
    "/extract",
    response_model=ReadoutJson,
    summary="Extract a Readout from text or HTML (nothing is stored)",
)
def extract(body: ExtractRequest) -> dict[str, Any]:
    try:
        r = extract_readout(
            body.text,
            url=body.url,
            published=body.published,
            source=body.source,
            title=body.title,
            language=body.language,
        )
    except CommuniqueError as exc:
        raise ApiError(422, ApiCode.UNREADABLE_INPUT, str(exc)) from exc
    return r.to_dict()


@router.post(
    "/documents",
    status_code=201,
    response_model=IngestResult,
    summary="Store a document and its extraction (needs the token)",
    responses={
        401: error_response("No token, or not the operator's"),
        403: error_response("The server is read-only (started without a token)"),
    },
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
                language=body.language,
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
