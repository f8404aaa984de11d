"""The store's tables: one column spec per table, and the rows of a document and its extraction.

Everything that names a table's columns derives from :data:`TABLES`: the store's INSERT statements,
the Parquet schema of ``communique batch``, the CSV/Parquet exports and the tests' dumps. The
``CREATE TABLE`` statements are the numbered migrations of :mod:`communique.store.schema` (a
released migration is never edited); a test checks that a migrated database has exactly these
columns. To add a column: a new migration, a :class:`Column` here, and its value in the row
builder below.

Pure (no database, no extractor): processing an input makes rows without loading the store. List columns are stored through the codec at the end of this
module (``",CHN,KAZ,"`` for codes, a JSON array for names).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from communique.model import Document, Readout

Row = dict[str, Any]
Rows = dict[str, list[Row]]
ColumnType = Literal["text", "int", "real"]
ARROW_TYPES: dict[str, str] = {"text": "string", "int": "int64", "real": "float64"}
"""The Arrow (Parquet) type of each column type: ``getattr(pyarrow, ARROW_TYPES[type])()``."""
Role = Literal["data", "index", "log"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: ColumnType = "text"
    derived: bool = False  # filled in by the store (merge, keys), not by the rows of a document
    export: bool = True  # a column of the table's CSV/Parquet export (tables that are exported)


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    role: Role = "data"  # data: what was read and extracted; index: derived for search; log
    carried: bool = False  # its rows come from processing a document (and travel in `batch`)
    export_order: str | None = None  # ORDER BY of its CSV/Parquet export; None: not exported

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def row_columns(self) -> tuple[Column, ...]:
        """The columns a document's rows carry (the store derives the others)."""
        return tuple(c for c in self.columns if not c.derived)

    @property
    def export(self) -> tuple[Column, ...]:
        """The columns of the table's CSV/Parquet export."""
        return tuple(c for c in self.columns if c.export)

    @property
    def export_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.export)

    def insert_sql(self) -> str:
        names = [c.name for c in self.row_columns]
        marks = ", ".join("?" for _ in names)
        return f"INSERT INTO {self.name} ({', '.join(names)}) VALUES ({marks})"

    def export_sql(self) -> str:
        return (
            f"SELECT {', '.join(self.export_columns)} FROM {self.name} ORDER BY {self.export_order}"
        )


def _c(spec: str, **kw: Any) -> tuple[Column, ...]:
    """Columns from a space-separated list; ``name:int`` / ``name:real`` give the type."""
    out = []
    for word in spec.split():
        name, _, typ = word.partition(":")
        out.append(Column(name, typ or "text", **kw))  # type: ignore[arg-type]
    return tuple(out)


DOCUMENTS = Table(
    "documents",
    _c("key id url title published published_date source source_country language")
    + _c("text raw raw_format", export=False)
    + _c("origin extractor")
    + _c("readout", export=False),
    carried=True,
    export_order="key",
)
ACTORS = Table(
    "actors",
    _c("doc_key actor_id name kind country canonical named:int titles mentions:int")
    + _c("entity", export=False),
    carried=True,
    export_order="doc_key, actor_id",
)
EVENTS = Table(
    "events",
    _c("doc_key event_id")
    + _c("canonical_id", derived=True)
    + _c(
        "kind timing date location_name location_country lat:real lon:real occasion stance cameo "
        "plover plover_mode goldstein:real countries actor_countries recipient_countries persons "
        "evidence"
    )
    + _c("ev_start:int ev_end:int", export=False),
    carried=True,
    export_order="doc_key, event_id",
)
PARTICIPANTS = Table(
    "participants", _c("doc_key event_id actor_id role name kind country sector"), carried=True
)
AGREEMENTS = Table(
    "agreements",
    _c("doc_key agreement_id title parties date topics"),
    carried=True,
    export_order="doc_key, agreement_id",
)
TOPICS = Table("topics", _c("doc_key topic"), carried=True)
INITIATIVES = Table("initiatives", _c("doc_key name"), carried=True)
RELATIONSHIPS = Table("relationships", _c("doc_key country_a country_b label"), carried=True)
CANONICAL_EVENTS = Table(
    "canonical_events",
    _c(
        "id kind kind_group date countries persons location_name location_country lat:real "
        "lon:real occasion n_reports:int n_sources:int",
        derived=True,
    )
    + _c("kinds url", derived=True, export=False),
    export_order="id",
)
FAILURES = Table(
    "failures",
    _c("key", derived=True) + _c("origin doc_key stage error raw"),
    carried=True,
)
SEARCH = Table("search", _c("doc_key ref title body"), role="index")
ACTOR_STATS = Table(
    "actor_stats",
    _c("entity kind country documents:int mentions:int first_seen last_seen", derived=True),
    role="index",
)
RUNS = Table(
    "runs",
    _c(
        "id:int started_at finished_at command seen:int added:int updated:int unchanged:int "
        "failed:int",
        derived=True,
    ),
    role="log",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        DOCUMENTS,
        ACTORS,
        EVENTS,
        PARTICIPANTS,
        AGREEMENTS,
        TOPICS,
        INITIATIVES,
        RELATIONSHIPS,
        CANONICAL_EVENTS,
        FAILURES,
        SEARCH,
        ACTOR_STATS,
        RUNS,
    )
}
DATA_TABLES = tuple(name for name, t in TABLES.items() if t.role == "data")
EXPORTED_TABLES = tuple(name for name, t in TABLES.items() if t.export_order)
# the tables an extraction adds rows to, in the order they are written
EXTRACTION_TABLES = (
    "actors",
    "events",
    "participants",
    "agreements",
    "topics",
    "initiatives",
    "relationships",
)


# -- rows ------------------------------------------------------------------------------------------
def document_key(doc: Document) -> str:
    """A document's identity in the store: its URL when known, else its content hash."""
    return doc.url or f"sha:{doc.id}"


def failure_key(origin: str, stage: str) -> str:
    return hashlib.sha256(f"{origin}|{stage}".encode()).hexdigest()[:24]


def document_row(
    doc: Document,
    readout: Readout | None,
    *,
    raw: str | None,
    raw_format: str | None,
    origin: str,
    extractor: str | None,
) -> Row:
    """The ``documents`` row of a document (with its extraction when there is one)."""
    return {
        "key": document_key(doc),
        "id": doc.id,
        "url": doc.url,
        "title": doc.title,
        "published": doc.published,
        "published_date": doc.published[:10] if doc.published else None,
        "source": readout.document.source if readout else doc.source,
        "source_country": readout.document.source_country if readout else doc.source_country,
        "language": doc.language,
        "text": doc.text,
        "raw": raw,
        "raw_format": raw_format,
        "origin": origin,
        "extractor": extractor if readout else None,
        "readout": compact_readout(readout) if readout else None,
    }


def failure_row(origin: str, stage: str, error: str, raw: str | None, doc_key: str | None) -> Row:
    return {"origin": origin, "doc_key": doc_key, "stage": stage, "error": error, "raw": raw}


def document_rows(document: Row, readout: Readout | None) -> Rows:
    """Every row one stored document contributes: its ``documents`` row and, when it was
    extracted, the rows of its extraction (:data:`EXTRACTION_TABLES`)."""
    rows: Rows = {"documents": [document]}
    if readout is not None:
        rows.update(readout_rows(document["key"], readout))
    return rows


def readout_rows(key: str, r: Readout) -> Rows:
    """The rows an extraction contributes to each of :data:`EXTRACTION_TABLES`."""
    actors = {a.id: a for a in r.actors}
    out: Rows = {name: [] for name in EXTRACTION_TABLES}
    for a in r.actors:
        out["actors"].append(
            {
                "doc_key": key,
                "actor_id": a.id,
                "name": a.name,
                "kind": a.kind,
                "country": a.country,
                "canonical": a.canonical,
                "named": int(a.named),
                "titles": json.dumps(list(a.titles), ensure_ascii=False),
                "mentions": len(a.mentions),
                "entity": a.canonical or a.name,
            }
        )
    for e in r.events:
        act = r.countries_of(e.actors)
        rec = [c for c in r.countries_of(e.recipients) if c not in act]
        persons = sorted(
            {
                actors[i].canonical or actors[i].name
                for i in e.actors + e.recipients
                if i in actors and actors[i].kind == "person" and actors[i].named
            }
        )
        ev = e.evidence[0] if e.evidence else None
        out["events"].append(
            {
                "doc_key": key,
                "event_id": e.id,
                "kind": e.kind,
                "timing": e.timing,
                "date": e.date,
                "location_name": e.location.name if e.location else None,
                "location_country": e.location.country if e.location else None,
                "lat": e.location.lat if e.location else None,
                "lon": e.location.lon if e.location else None,
                "occasion": e.occasion,
                "stance": e.stance,
                "cameo": e.cameo,
                "plover": e.plover,
                "plover_mode": e.plover_mode,
                "goldstein": e.goldstein,
                "countries": codes_key(act + rec),
                "actor_countries": codes_key(act),
                "recipient_countries": codes_key(rec),
                "persons": names_json(persons),
                "evidence": r.text[ev.start : ev.end] if ev else None,
                "ev_start": ev.start if ev else None,
                "ev_end": ev.end if ev else None,
            }
        )
        for role, ids in (("actor", e.actors), ("recipient", e.recipients)):
            for i in ids:
                who = actors.get(i)
                if who is not None:
                    out["participants"].append(
                        {
                            "doc_key": key,
                            "event_id": e.id,
                            "actor_id": i,
                            "role": role,
                            "name": who.name,
                            "kind": who.kind,
                            "country": who.country,
                            "sector": e.sector_of(i) or who.sector,
                        }
                    )
    for ag in r.agreements:
        out["agreements"].append(
            {
                "doc_key": key,
                "agreement_id": ag.id,
                "title": ag.title,
                "parties": codes_key(ag.parties),
                "date": ag.date,
                "topics": ",".join(ag.topics),
            }
        )
    out["topics"] = [{"doc_key": key, "topic": t} for t in dict.fromkeys(t.id for t in r.topics)]
    out["initiatives"] = [
        {"doc_key": key, "name": n} for n in dict.fromkeys(i.name for i in r.initiatives)
    ]
    out["relationships"] = [
        {"doc_key": key, "country_a": c[0], "country_b": c[1], "label": label}
        for c, label in dict.fromkeys(
            ((rel.countries[0], rel.countries[-1]), rel.label) for rel in r.relationships
        )
    ]
    return out


def search_rows(rows: Rows) -> tuple[list[Row], list[Row]]:
    """The search index's rows for a document's rows: the document itself (title and text), and
    each event's evidence sentence."""
    documents = [
        {"doc_key": d["key"], "ref": "document", "title": d["title"] or "", "body": d["text"]}
        for d in rows["documents"]
    ]
    evidence = [
        {
            "doc_key": e["doc_key"],
            "ref": f"event:{e['event_id']}",
            "title": "",
            "body": e["evidence"],
        }
        for e in rows.get("events", ())
        if e["evidence"]
    ]
    return documents, evidence


# -- the documents.readout column: Readout JSON without the text the row already holds ----------
def compact_readout(r: Readout) -> str:
    data = r.to_dict()
    data["document"]["text"] = None
    return json.dumps(data, ensure_ascii=False)


def readout_dict(readout: str, text: str) -> dict[str, Any]:
    """The Readout JSON (as a dict) of a stored ``readout`` column, its text put back."""
    data: dict[str, Any] = json.loads(readout)
    data["document"]["text"] = text
    return data


def readout_of(row: Row) -> Readout | None:
    """The Readout of a ``documents`` row (None when it was not extracted)."""
    if not row["readout"]:
        return None
    return Readout.from_dict(readout_dict(row["readout"], row["text"]))


# -- list columns --------------------------------------------------------------------------------
def codes_key(codes: Iterable[str]) -> str:
    """``",CHN,KAZ,"``: sorted, comma-delimited, found with ``LIKE`` :func:`code_pattern`."""
    unique = sorted(set(codes))
    return "," + ",".join(unique) + "," if unique else ","


def codes_of(key: str) -> list[str]:
    """The codes of a :func:`codes_key` value."""
    return [c for c in key.strip(",").split(",") if c]


def codes_text(key: str) -> str:
    """``"CHN KAZ"``: a :func:`codes_key` value as people read it."""
    return " ".join(codes_of(key))


def code_pattern(code: str) -> str:
    """The ``LIKE`` pattern of the :func:`codes_key` values that hold ``code``."""
    return f"%,{code},%"


def names_json(names: list[str]) -> str:
    """A list of names (``persons``), stored as a JSON array."""
    return json.dumps(names, ensure_ascii=False)


def names_of(value: str | None) -> list[str]:
    return list(json.loads(value or "[]"))


def names_text(value: str | None) -> str:
    """``"Xi Jinping; Kassym-Jomart Tokayev"``."""
    return "; ".join(names_of(value))
