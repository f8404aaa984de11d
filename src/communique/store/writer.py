"""Writing documents and their extractions; replacing them; recording failures."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from communique.model import Document, Readout
from communique.store.db import Database
from communique.store.merge import countries_key, link_event, refresh_counts


@dataclass(frozen=True, slots=True)
class Item:
    """One input on its way into the store: where it came from and its raw content."""

    origin: str  # file path, "corpus.jsonl.gz#key", URL, "archive.warc.gz#uri"
    raw: str
    fmt: str | None = None  # text | html | markdown; sniffed when None
    url: str | None = None
    published: Any = None
    title: str | None = None
    source: str | None = None


def item_document(item: Item) -> Document:
    """The Document of an input item (raises CommuniqueError when it cannot be made)."""
    from communique.ingest import make_document

    return make_document(
        item.raw,
        url=item.url,
        published=item.published,
        title=item.title,
        source=item.source,
        fmt=item.fmt,
        name=item.origin,
    )


def safe_extract(doc: Document) -> tuple[Readout | None, str | None]:
    """The extraction, or the error that stopped it: a bug in the extractor must not stop a
    batch, and the document is kept either way."""
    from communique.extractor import extract_document

    try:
        return extract_document(doc), None
    except Exception as exc:  # the extractor's own bug: recorded, the run goes on
        return None, f"{type(exc).__name__}: {exc}"


def document_key(doc: Document) -> str:
    """A document's identity: its URL when known, else its content hash."""
    return doc.url or f"sha:{doc.id}"


def failure_key(origin: str, stage: str) -> str:
    return hashlib.sha256(f"{origin}|{stage}".encode()).hexdigest()[:24]


def record_failure(
    db: Database, origin: str, stage: str, error: str, raw: str | None, doc_key: str | None = None
) -> None:
    db.execute(
        "INSERT INTO failures (key, origin, doc_key, stage, error, raw) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET error = excluded.error, raw = excluded.raw, "
        "doc_key = excluded.doc_key",
        (failure_key(origin, stage), origin, doc_key, stage, error, raw),
    )


def clear_failures(db: Database, origin: str) -> None:
    db.execute("DELETE FROM failures WHERE origin = ?", (origin,))


def existing(db: Database, key: str) -> dict[str, Any] | None:
    rows = db.query("SELECT id, extractor FROM documents WHERE key = ?", (key,))
    return rows[0] if rows else None


def add_actor_stats(db: Database, actors: list[dict[str, Any]], day: str | None) -> None:
    """Count one more document for each named actor of a newly stored document."""
    rows = [
        (a["entity"], a["kind"], a["country"] or "", a["mentions"], day, day)
        for a in actors
        if a["named"]
    ]
    if rows:
        db.executemany(
            "INSERT INTO actor_stats (entity, kind, country, documents, mentions, first_seen, "
            "last_seen) VALUES (?, ?, ?, 1, ?, ?, ?) ON CONFLICT (entity, kind, country) DO UPDATE "
            "SET documents = actor_stats.documents + 1, "
            "mentions = actor_stats.mentions + excluded.mentions, "
            "first_seen = CASE WHEN actor_stats.first_seen IS NULL "
            "OR excluded.first_seen < actor_stats.first_seen THEN excluded.first_seen "
            "ELSE actor_stats.first_seen END, "
            "last_seen = CASE WHEN actor_stats.last_seen IS NULL "
            "OR excluded.last_seen > actor_stats.last_seen THEN excluded.last_seen "
            "ELSE actor_stats.last_seen END",
            rows,
        )


def recount_actor_stats(db: Database, keys: list[tuple[str, str, str]]) -> None:
    """Recompute the statistics of some actors from the stored documents (after a deletion)."""
    for entity, kind, country in keys:
        row = db.query(
            "SELECT COUNT(DISTINCT a.doc_key) AS n, SUM(a.mentions) AS m, "
            "MIN(d.published_date) AS first, MAX(d.published_date) AS last "
            "FROM actors a JOIN documents d ON d.key = a.doc_key "
            "WHERE a.entity = ? AND a.kind = ? AND COALESCE(a.country, '') = ? AND a.named = 1",
            (entity, kind, country),
        )[0]
        if not row["n"]:
            db.execute(
                "DELETE FROM actor_stats WHERE entity = ? AND kind = ? AND country = ?",
                (entity, kind, country),
            )
        else:
            db.execute(
                "UPDATE actor_stats SET documents = ?, mentions = ?, first_seen = ?, last_seen = ? "
                "WHERE entity = ? AND kind = ? AND country = ?",
                (row["n"], row["m"], row["first"], row["last"], entity, kind, country),
            )


def delete_document(db: Database, key: str) -> None:
    """Remove a document and everything extracted from it (canonical events and actor
    statistics are recounted)."""
    stats = [
        (r["entity"], r["kind"], r["country"] or "")
        for r in db.query(
            "SELECT DISTINCT entity, kind, country FROM actors WHERE doc_key = ? AND named = 1",
            (key,),
        )
    ]
    cids = [
        r["canonical_id"]
        for r in db.query(
            "SELECT DISTINCT canonical_id FROM events WHERE doc_key = ? AND canonical_id IS NOT NULL",
            (key,),
        )
    ]
    db.execute("DELETE FROM search WHERE doc_key = ?", (key,))
    db.execute("DELETE FROM participants WHERE doc_key = ?", (key,))
    db.execute("DELETE FROM documents WHERE key = ?", (key,))
    refresh_counts(db, cids)
    recount_actor_stats(db, stats)


def write_document(
    db: Database, item: Item, doc: Document, readout: Readout | None, extractor: str
) -> str:
    """Insert a document (and its extraction, when there is one). Returns its key."""
    key = document_key(doc)
    published_date = doc.published[:10] if doc.published else None
    db.execute(
        "INSERT INTO documents (key, id, url, title, published, published_date, source, "
        "source_country, language, text, raw, raw_format, origin, extractor, readout) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            key,
            doc.id,
            doc.url,
            doc.title,
            doc.published,
            published_date,
            readout.document.source if readout else doc.source,
            readout.document.source_country if readout else doc.source_country,
            doc.language,
            doc.text,
            item.raw,
            item.fmt,
            item.origin,
            extractor if readout else None,
            _compact_readout(readout) if readout else None,
        ),
    )
    db.execute(
        "INSERT INTO search (doc_key, ref, title, body) VALUES (?, ?, ?, ?)",
        (key, "document", doc.title or "", doc.text),
    )
    if readout is not None:
        _write_readout(db, key, readout)
    return key


def _compact_readout(r: Readout) -> str:
    """Readout JSON without the document text, which the row already holds."""
    data = r.to_dict()
    data["document"]["text"] = None
    return json.dumps(data, ensure_ascii=False)


def readout_json(row: dict[str, Any]) -> str:
    """The full Readout JSON of a stored document row (text put back)."""
    data = json.loads(row["readout"])
    data["document"]["text"] = row["text"]
    return json.dumps(data, ensure_ascii=False)


def readout_rows(key: str, r: Readout) -> dict[str, list[dict[str, Any]]]:
    """The rows an extraction contributes to each table (shared by the store and `batch`)."""
    actors = {a.id: a for a in r.actors}
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in ROW_TABLES}
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
        evidence = r.text[ev.start : ev.end] if ev else None
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
                "countries": countries_key(act + rec),
                "actor_countries": countries_key(act),
                "recipient_countries": countries_key(rec),
                "persons": json.dumps(persons, ensure_ascii=False),
                "evidence": evidence,
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
                        }
                    )
        if evidence:
            out["search"].append(
                {"doc_key": key, "ref": f"event:{e.id}", "title": "", "body": evidence}
            )
    for ag in r.agreements:
        out["agreements"].append(
            {
                "doc_key": key,
                "agreement_id": ag.id,
                "title": ag.title,
                "parties": countries_key(list(ag.parties)),
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


ROW_TABLES = (
    "actors",
    "events",
    "participants",
    "search",
    "agreements",
    "topics",
    "initiatives",
    "relationships",
)


def _write_readout(db: Database, key: str, r: Readout) -> None:
    rows = readout_rows(key, r)
    for table in ROW_TABLES:
        insert_rows(db, table, rows[table])
    add_actor_stats(db, rows["actors"], r.document.published[:10] if r.document.published else None)
    touched = [link_event(db, row, r.document.source) for row in rows["events"]]
    refresh_counts(db, sorted({c for c in touched if c is not None}))


def insert_rows(db: Database, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    db.executemany(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [tuple(row[c] for c in cols) for row in rows],
    )
