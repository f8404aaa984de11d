"""The API's response shapes (pydantic, at the edge): what ``/api/v1/openapi.json`` documents and
what every response is checked against before it is sent. Lists are lists; a code list holds
ISO3 codes (``countries``) or organisation codes (``organizations``), never both."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, WithJsonSchema

from communique.model import ENCOUNTER_KINDS, KIND_GROUPS
from communique.readout_schema import readout_schema

EncounterKind = Literal[ENCOUNTER_KINDS]  # type: ignore[valid-type]
KindGroup = Literal[KIND_GROUPS]  # type: ignore[valid-type]
CodeKind = Literal["state", "organization"]
Iso3 = Annotated[str, Field(description="ISO 3166-1 alpha-3 code of a state")]
OrgCode = Annotated[str, Field(description="Code of an organisation (data/organizations.yaml)")]
Date = Annotated[str | None, Field(description="ISO 8601 date; null when the text gives none")]

ReadoutJson = Annotated[
    dict[str, Any],
    WithJsonSchema(readout_schema(inline=True)),
    Field(description="Readout JSON, schema communique/readout@1 (docs/readout.schema.json)"),
]


class Shape(BaseModel):
    """A response shape (keys the handler adds beyond it are dropped, never sent)."""


class Person(Shape):
    id: str = Field(description="Stable id of the person across documents (as in /actors)")
    name: str
    country: Iso3 | None = None
    organization: OrgCode | None = Field(None, description="For an organisation's officials")


class Page(Shape):
    total: int = Field(description="Rows that match, over all pages")
    limit: int
    offset: int
    next: str | None = Field(description="The next page's URL (path and query); null on the last")
    next_offset: int | None = Field(description="The next page's offset; null on the last")


class EventItem(Shape):
    id: str = Field(description="Canonical event id (one real encounter, several reports)")
    date: Date
    kind: EncounterKind
    countries: list[Iso3]
    organizations: list[OrgCode]
    persons: list[Person]
    place: str | None
    occasion: str | None
    sources: int = Field(description="Distinct publishers that reported it")
    reports: int
    url: str | None = Field(description="One report's URL")


class StatementItem(Shape):
    kind: Literal["statement"]
    date: Date
    stance: str | None
    actor: list[str] = Field(description="Codes of the speakers' states or organisations")
    target: list[str] = Field(description="Codes of those it is addressed to or about")
    cameo: str | None
    goldstein: float | None
    evidence: str | None
    document: str
    url: str | None


class EventPage(Page):
    items: list[Annotated[EventItem | StatementItem, Field(discriminator="kind")]]


class ActorItem(Shape):
    id: str
    name: str
    kind: Literal["person", "state", "organization"]
    country: Iso3 | None
    organization: OrgCode | None
    documents: int
    mentions: int
    first_seen: Date
    last_seen: Date


class ActorPage(Page):
    items: list[ActorItem]


class DocumentItem(Shape):
    id: str
    title: str | None
    date: Date
    source: str | None
    source_country: Iso3 | None
    url: str | None


class DocumentPage(Page):
    items: list[DocumentItem]


class DocumentDetail(Shape):
    id: str
    key: str = Field(description="The store's key: the URL, else sha:<content id>")
    url: str | None
    title: str | None
    published: str | None
    source: str | None
    source_country: Iso3 | None
    readout: ReadoutJson | None


class AgreementItem(Shape):
    title: str
    parties: list[Iso3]
    organizations: list[OrgCode]
    date: Date
    topics: list[str]
    document: str
    url: str | None


class AgreementPage(Page):
    items: list[AgreementItem]


class LastEncounter(Shape):
    date: Date
    kind: KindGroup
    persons: list[str]


class Counterpart(Shape):
    counterpart: str
    counterpart_kind: CodeKind
    name: str
    encounters: int = Field(description="= sum(by_kind) = sum(by_year) + undated")
    by_kind: dict[str, int]
    by_year: dict[str, int]
    undated: int = Field(description="Encounters whose readouts give no date")
    last: LastEncounter | None = Field(description="The latest dated one, else an undated one")
    relationship: str | None = Field(description="The latest relationship label")
    agreements: int


class RelationsResponse(Shape):
    code: str
    kind: CodeKind | None
    name: str
    encounters: int = Field(description="Encounters with any counterpart, each counted once")
    undated: int
    counterparts: list[Counterpart] = Field(description="States")
    organizations: list[Counterpart]


class SearchHit(Shape):
    date: Date
    title: str | None
    snippet: str = Field(description="Matched words in [brackets]")
    document: str | None
    score: float
    url: str


class SearchResponse(Shape):
    query: str
    limit: int
    items: list[SearchHit]


class StoredDocument(Shape):
    id: str
    key: str


class IngestResult(Shape):
    added: int
    updated: int
    unchanged: int
    documents: list[StoredDocument]


class ErrorBody(Shape):
    status: int
    code: str
    message: str


class ErrorEnvelope(Shape):
    error: ErrorBody


def error_response(description: str) -> dict[str, Any]:
    """An error response of the OpenAPI document: the envelope, with what the status means."""
    return {"model": ErrorEnvelope, "description": description}


ERRORS: dict[int | str, dict[str, Any]] = {
    status: error_response(text)
    for status, text in (
        (404, "Not found"),
        (413, "Request body too large"),
        (422, "Invalid request or unreadable input"),
        (500, "Internal error"),
    )
}
"""The error responses every endpoint may give, all in the one envelope."""
