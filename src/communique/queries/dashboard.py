"""What the dashboard and the API read from a store, beyond the CLI's listings.

Summaries add up: every breakdown shown with a total sums to it, with the undated encounters and
the rest ("other publishers") counted in parts of their own (``tests/test_summaries.py``).
States and organisations are apart: a state's page lists the organisations it met in a table of
their own, an organisation has its own page (:func:`organization_page`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from communique.queries.codes import code_kind, code_name, is_organization, split_codes
from communique.queries.filters import Filters, Where
from communique.queries.listings import Select, events
from communique.store.db import Database
from communique.tables import code_pattern, codes_of, names_of, readout_dict

Row = dict[str, Any]
TOP = 12  # rows of the overview's tables


def overview(db: Database) -> dict[str, Any]:
    counts = {
        "documents": db.scalar("SELECT COUNT(*) FROM documents"),
        "encounters": db.scalar("SELECT COUNT(*) FROM canonical_events"),
        "undated": db.scalar("SELECT COUNT(*) FROM canonical_events WHERE date IS NULL"),
        "reports": db.scalar("SELECT COUNT(*) FROM events WHERE canonical_id IS NOT NULL"),
        "statements": db.scalar("SELECT COUNT(*) FROM events WHERE kind = 'statement'"),
        "agreements": db.scalar("SELECT COUNT(*) FROM agreements"),
        "failures": db.scalar("SELECT COUNT(*) FROM failures"),
    }
    counts = {k: int(v or 0) for k, v in counts.items()}
    dyads = db.query(
        "SELECT countries, COUNT(*) AS encounters, MAX(date) AS last FROM canonical_events "
        f"GROUP BY countries ORDER BY encounters DESC, countries LIMIT {TOP}"
    )
    for d in dyads:
        d["countries"], d["organizations"] = split_codes(codes_of(d["countries"]))
    publishers = db.query(
        "SELECT COALESCE(source, '(unknown)') AS publisher, source_country AS country, "
        "COUNT(*) AS documents, MAX(published_date) AS latest FROM documents "
        "GROUP BY COALESCE(source, '(unknown)'), source_country "
        "ORDER BY documents DESC, publisher"
    )
    shown = publishers[:TOP]
    rest = publishers[TOP:]
    if rest:
        shown.append(
            {
                "publisher": f"({len(rest)} other publishers)",
                "country": None,
                "documents": sum(p["documents"] for p in rest),
                "latest": max((p["latest"] for p in rest if p["latest"]), default=None),
            }
        )
    return {
        "counts": counts,
        "latest": events(db, Filters(limit=TOP)),
        "dyads": dyads,
        "publishers": shown,
    }


def _encounters_of(db: Database, code: str, f: Filters) -> list[Row]:
    where = Where().code("countries", code).dates(f, "date")
    return db.query(
        "SELECT id, date, kind_group, kind, countries, persons, location_name AS place, "
        f"n_sources FROM canonical_events WHERE {where.sql} ORDER BY date, id",
        where.params,
    )


def country_page(db: Database, country: str, f: Filters) -> dict[str, Any]:
    """A state's timeline of encounters by kind per counterpart state, the organisations it met,
    agreements, labels over time, topics. The timeline has a row per encounter and counterpart
    (dated or not: the chart draws the dated ones, the page lists the others);
    ``counterparts`` sums it up."""
    country = country.upper()
    timeline: list[Row] = []
    per_counterpart: Counter[str] = Counter()
    per_organization: Counter[str] = Counter()
    encounters = undated = 0
    for r in _encounters_of(db, country, f):
        encounters += 1
        undated += not r["date"]
        states, organizations = split_codes(c for c in codes_of(r["countries"]) if c != country)
        for org in organizations:
            per_organization[org] += 1
        for other in states:
            per_counterpart[other] += 1
            timeline.append(
                {
                    "date": r["date"],
                    "counterpart": other,
                    "kind": r["kind_group"],
                    "persons": names_of(r["persons"]),
                    "sources": r["n_sources"],
                    "organizations": organizations,
                    "id": r["id"],
                }
            )
    agreements = db.query(
        "SELECT a.title, a.parties, a.date, d.url, d.id AS doc FROM agreements a "
        "JOIN documents d ON d.key = a.doc_key WHERE a.parties LIKE ? "
        "ORDER BY a.date DESC, a.title LIMIT 50",
        (code_pattern(country),),
    )
    for a in agreements:
        a["parties"], a["organizations"] = split_codes(codes_of(a["parties"]))
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
        "name": code_name(country),
        "encounters": encounters,
        "undated": undated,
        "timeline": timeline,
        "counterparts": [
            {"country": c, "name": code_name(c), "encounters": n}
            for c, n in per_counterpart.most_common()
        ],
        "organizations": [
            {"organization": c, "name": code_name(c), "encounters": n}
            for c, n in per_organization.most_common()
        ],
        "agreements": agreements,
        "relationships": labels,
        "topics": topics,
    }


def organization_page(db: Database, code: str, f: Filters) -> dict[str, Any]:
    """An organisation's encounters (with the states and people that took part), the states it
    met, how many each, and agreements it is a party to."""
    code = code.upper()
    rows = _encounters_of(db, code, f)
    per_state: Counter[str] = Counter()
    items = []
    for r in reversed(rows):  # newest first
        states, organizations = split_codes(c for c in codes_of(r["countries"]) if c != code)
        per_state.update(states)
        items.append(
            {
                "id": r["id"],
                "date": r["date"],
                "kind": r["kind"],
                "countries": states,
                "organizations": organizations,
                "persons": names_of(r["persons"]),
                "place": r["place"],
                "sources": r["n_sources"],
            }
        )
    agreements = db.query(
        "SELECT a.title, a.parties, a.date, d.id AS doc FROM agreements a "
        "JOIN documents d ON d.key = a.doc_key WHERE a.parties LIKE ? "
        "ORDER BY a.date DESC, a.title LIMIT 50",
        (code_pattern(code),),
    )
    for a in agreements:
        a["parties"], a["organizations"] = split_codes(codes_of(a["parties"]))
    return {
        "organization": code,
        "name": code_name(code),
        "encounters": len(items),
        "undated": sum(1 for i in items if not i["date"]),
        "events": items,
        "states": [
            {"country": c, "name": code_name(c), "encounters": n}
            for c, n in per_state.most_common()
        ],
        "agreements": agreements,
    }


def network(db: Database, f: Filters, persons: bool) -> dict[str, Any]:
    """Who meets whom: nodes (``kind``: state, organization or person) and weighted edges from
    canonical encounters."""
    where = Where().dates(f, "date")
    if f.kind:
        where.add("kinds LIKE ?", code_pattern(f.kind))
    where.code("countries", f.country).code("countries", f.organization)
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

    def kind(node: str) -> str:
        if persons:
            return "person"
        return "organization" if is_organization(node) else "state"

    return {
        "nodes": [{"id": n, "kind": kind(n), "degree": degree[n]} for n in sorted(top)],
        "edges": edges,
    }


def map_counts(db: Database, country: str, f: Filters) -> dict[str, Any]:
    """Encounters per counterpart state (what the map shades), and those with organisations
    apart (they have no place on a map). ``encounters`` counts each encounter once."""
    country = country.upper()
    counts: dict[str, int] = defaultdict(int)
    organizations: dict[str, int] = defaultdict(int)
    rows = _encounters_of(db, country, f)
    for r in rows:
        states, orgs = split_codes(c for c in codes_of(r["countries"]) if c != country)
        for other in states:
            counts[other] += 1
        for other in orgs:
            organizations[other] += 1
    return {
        "country": country,
        "name": code_name(country),
        "encounters": len(rows),
        "counts": dict(sorted(counts.items())),
        "organizations": dict(sorted(organizations.items())),
    }


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


def documents_query(f: Filters) -> Select:
    where = Where().publisher(f, "source", "source_country").dates(f, "published_date")
    for code in (f.country, f.organization):
        if code:
            where.add(
                "key IN (SELECT doc_key FROM events WHERE countries LIKE ?)",
                code_pattern(code.upper()),
            )
    return Select(
        "SELECT id, title, published_date AS date, source, source_country, url FROM documents "
        f"WHERE {where.sql} ORDER BY published_date DESC, key",
        where,
    )


def documents(db: Database, f: Filters) -> list[Row]:
    return documents_query(f).rows(db, f)


def agreements_query(f: Filters) -> Select:
    where = Where().code("a.parties", f.country).code("a.parties", f.with_)
    where.code("a.parties", f.organization).dates(f, "a.date")

    def finish(db: Database, rows: list[Row]) -> list[Row]:
        for r in rows:
            r["parties"], r["organizations"] = split_codes(codes_of(r["parties"]))
            r["topics"] = [t for t in (r["topics"] or "").split(",") if t]
        return rows

    return Select(
        "SELECT a.title, a.parties, a.date, a.topics, d.id AS document, d.url FROM agreements a "
        f"JOIN documents d ON d.key = a.doc_key WHERE {where.sql} ORDER BY a.date DESC, a.title",
        where,
        finish,
    )


def agreements(db: Database, f: Filters) -> list[Row]:
    return agreements_query(f).rows(db, f)


def page_kind(code: str) -> str | None:
    """Which page a code has: ``country`` (a state), ``organization``, or None (unknown)."""
    kind = code_kind(code.upper())
    return {"state": "country", "organization": "organization"}.get(kind or "")
