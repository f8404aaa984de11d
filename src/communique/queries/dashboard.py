"""What the dashboard and the API read from a store, beyond the CLI's listings."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from communique.queries.filters import Filters, Where, decoded, paged
from communique.queries.listings import events
from communique.store.db import Database
from communique.tables import (
    code_pattern,
    codes_of,
    codes_text,
    names_of,
    names_text,
    readout_dict,
)


def overview(db: Database) -> dict[str, Any]:
    counts = {
        "documents": db.scalar("SELECT COUNT(*) FROM documents"),
        "encounters": db.scalar("SELECT COUNT(*) FROM canonical_events"),
        "reports": db.scalar("SELECT COUNT(*) FROM events WHERE canonical_id IS NOT NULL"),
        "statements": db.scalar("SELECT COUNT(*) FROM events WHERE kind = 'statement'"),
        "agreements": db.scalar("SELECT COUNT(*) FROM agreements"),
        "failures": db.scalar("SELECT COUNT(*) FROM failures"),
    }
    dyads = db.query(
        "SELECT countries, COUNT(*) AS encounters, MAX(date) AS last FROM canonical_events "
        "GROUP BY countries ORDER BY encounters DESC, countries LIMIT 12"
    )
    publishers = db.query(
        "SELECT COALESCE(source, '(unknown)') AS publisher, source_country AS country, "
        "COUNT(*) AS documents, MAX(published_date) AS latest FROM documents "
        "GROUP BY COALESCE(source, '(unknown)'), source_country ORDER BY documents DESC LIMIT 12"
    )
    return {
        "counts": counts,
        "latest": events(db, Filters(limit=12)),
        "dyads": decoded(dyads, countries=codes_text),
        "publishers": publishers,
    }


def country_page(db: Database, country: str, f: Filters) -> dict[str, Any]:
    """Timeline of encounters by kind per counterpart, agreements, labels over time, topics."""
    country = country.upper()
    where = Where().code("countries", country).dates(f, "date")
    rows = db.query(
        "SELECT id, date, kind_group, kind, countries, persons, n_sources FROM canonical_events "
        f"WHERE {where.sql} ORDER BY date",
        where.params,
    )
    timeline = []
    per_counterpart: Counter[str] = Counter()
    for r in rows:
        for other in codes_of(r["countries"]):
            if other != country:
                per_counterpart[other] += 1
                timeline.append(
                    {
                        "date": r["date"],
                        "counterpart": other,
                        "kind": r["kind_group"],
                        "persons": names_text(r["persons"]),
                        "sources": r["n_sources"],
                        "id": r["id"],
                    }
                )
    agreements = db.query(
        "SELECT a.title, a.parties, a.date, d.url, d.id AS doc FROM agreements a "
        "JOIN documents d ON d.key = a.doc_key WHERE a.parties LIKE ? "
        "ORDER BY a.date DESC, a.title LIMIT 50",
        (code_pattern(country),),
    )
    labels = db.query(
        "SELECT r.country_a, r.country_b, r.label, MIN(d.published_date) AS first, "
        "MAX(d.published_date) AS last, COUNT(*) AS mentions FROM relationships r "
        "JOIN documents d ON d.key = r.doc_key WHERE r.country_a = ? OR r.country_b = ? "
        "GROUP BY r.country_a, r.country_b, r.label ORDER BY first, r.label",
        (country, country),
    )
    for lab in labels:
        lab["counterpart"] = lab["country_b"] if lab["country_a"] == country else lab["country_a"]
    topics = db.query(
        "SELECT t.topic, COUNT(DISTINCT t.doc_key) AS documents FROM topics t "
        "WHERE t.doc_key IN (SELECT e.doc_key FROM events e WHERE e.canonical_id IN "
        "(SELECT id FROM canonical_events WHERE countries LIKE ?)) "
        "GROUP BY t.topic ORDER BY documents DESC, t.topic LIMIT 20",
        (code_pattern(country),),
    )
    return {
        "country": country,
        "timeline": timeline,
        "counterparts": [{"country": c, "encounters": n} for c, n in per_counterpart.most_common()],
        "agreements": decoded(agreements, parties=codes_text),
        "relationships": labels,
        "topics": topics,
    }


def network(db: Database, f: Filters, persons: bool) -> dict[str, Any]:
    """Who meets whom: nodes and weighted edges from canonical encounters."""
    where = Where().dates(f, "date")
    if f.kind:
        where.add("kinds LIKE ?", code_pattern(f.kind))
    where.code("countries", f.country)
    rows = db.query(
        f"SELECT countries, persons FROM canonical_events WHERE {where.sql}", where.params
    )
    weights: Counter[tuple[str, str]] = Counter()
    degree: Counter[str] = Counter()
    for r in rows:
        nodes = sorted(set(names_of(r["persons"]))) if persons else sorted(codes_of(r["countries"]))
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                weights[(a, b)] += 1
                degree[a] += 1
                degree[b] += 1
    top = {n for n, _ in degree.most_common(f.limit if f.limit else 150)}
    edges = [
        {"source": a, "target": b, "weight": w}
        for (a, b), w in sorted(weights.items())
        if a in top and b in top
    ]
    return {
        "nodes": [{"id": n, "degree": degree[n]} for n in sorted(top)],
        "edges": edges,
    }


def map_counts(db: Database, country: str, f: Filters) -> dict[str, Any]:
    country = country.upper()
    where = Where().code("countries", country).dates(f, "date")
    counts: dict[str, int] = defaultdict(int)
    for r in db.query(f"SELECT countries FROM canonical_events WHERE {where.sql}", where.params):
        for other in codes_of(r["countries"]):
            if other != country:
                counts[other] += 1
    return {"country": country, "counts": dict(sorted(counts.items()))}


def document_page(db: Database, doc_id: str) -> dict[str, Any] | None:
    rows = db.query(
        "SELECT key, id, url, title, published, source, source_country, text, readout "
        "FROM documents WHERE id = ? ORDER BY key LIMIT 1",
        (doc_id,),
    )
    if not rows:
        return None
    d = rows[0]
    readout = readout_dict(d["readout"], d["text"]) if d["readout"] else None
    return {"document": d, "readout": readout}


def documents(db: Database, f: Filters) -> list[dict[str, Any]]:
    where = Where().publisher(f, "source", "source_country").dates(f, "published_date")
    if f.country:
        where.add(
            "key IN (SELECT doc_key FROM events WHERE countries LIKE ?)",
            code_pattern(f.country.upper()),
        )
    return paged(
        db,
        "SELECT id, title, published_date AS date, source, source_country, url FROM documents "
        f"WHERE {where.sql} ORDER BY published_date DESC, key",
        where,
        f,
    )


def agreements(db: Database, f: Filters) -> list[dict[str, Any]]:
    where = Where().code("a.parties", f.country).code("a.parties", f.with_).dates(f, "a.date")
    rows = paged(
        db,
        "SELECT a.title, a.parties, a.date, a.topics, d.id AS document, d.url FROM agreements a "
        f"JOIN documents d ON d.key = a.doc_key WHERE {where.sql} ORDER BY a.date DESC, a.title",
        where,
        f,
    )
    return decoded(rows, parties=codes_text)
