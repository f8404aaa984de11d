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


def delete_document(db: Database, key: str) -> None:
    """Remove a document and everything extracted from it (canonical events are recounted)."""
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


def _write_readout(db: Database, key: str, r: Readout) -> None:
    actors = {a.id: a for a in r.actors}
    db.executemany(
        "INSERT INTO actors (doc_key, actor_id, name, kind, country, canonical, named, titles, "
        "mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                key,
                a.id,
                a.name,
                a.kind,
                a.country,
                a.canonical,
                int(a.named),
                json.dumps(list(a.titles), ensure_ascii=False),
                len(a.mentions),
            )
            for a in r.actors
        ],
    )
    event_rows = []
    participant_rows = []
    search_rows = []
    for e in r.events:
        act = [c for c in r.countries_of(e.actors)]
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
        row = {
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
        event_rows.append(row)
        for role, ids in (("actor", e.actors), ("recipient", e.recipients)):
            for i in ids:
                a = actors.get(i)
                if a is not None:
                    participant_rows.append((key, e.id, i, role, a.name, a.kind, a.country))
        if evidence:
            search_rows.append((key, f"event:{e.id}", "", evidence))
    cols = list(event_rows[0]) if event_rows else []
    if event_rows:
        db.executemany(
            f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [tuple(row[c] for c in cols) for row in event_rows],
        )
    db.executemany(
        "INSERT INTO participants (doc_key, event_id, actor_id, role, name, kind, country) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        participant_rows,
    )
    db.executemany(
        "INSERT INTO search (doc_key, ref, title, body) VALUES (?, ?, ?, ?)", search_rows
    )
    db.executemany(
        "INSERT INTO agreements (doc_key, agreement_id, title, parties, date, topics) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (key, a.id, a.title, countries_key(list(a.parties)), a.date, ",".join(a.topics))
            for a in r.agreements
        ],
    )
    db.executemany(
        "INSERT INTO topics (doc_key, topic) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(key, t.id) for t in r.topics],
    )
    db.executemany(
        "INSERT INTO initiatives (doc_key, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(key, i.name) for i in r.initiatives],
    )
    db.executemany(
        "INSERT INTO relationships (doc_key, country_a, country_b, label) VALUES (?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        [(key, rel.countries[0], rel.countries[-1], rel.label) for rel in r.relationships],
    )
    source = r.document.source
    for row in event_rows:
        link_event(db, row, source)
