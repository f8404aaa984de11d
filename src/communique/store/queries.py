"""Questions users ask of a store, with the same filters on every listing."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from communique.store.db import Database


@dataclass(frozen=True, slots=True)
class Filters:
    country: str | None = None  # a participant (or the actor of a statement)
    with_: str | None = None  # a counterpart
    person: str | None = None  # part of a participant's name
    kind: str | None = None  # talks | meeting | call | visit | summit | message | statement
    stance: str | None = None
    topic: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    publisher: str | None = None  # publisher name (part of) or its ISO3 country
    limit: int = 50
    offset: int = 0


def _like(code: str) -> str:
    return f"%,{code.upper()},%"


def add_range(where: list[str], params: list[Any], f: Filters, column: str) -> None:
    """The ``since``/``until`` conditions of a listing on one date column."""
    if f.since:
        where.append(f"{column} >= ?")
        params.append(f.since)
    if f.until:
        where.append(f"{column} <= ?")
        params.append(f.until)


def events(db: Database, f: Filters) -> list[dict[str, Any]]:
    """Encounters as canonical events (one row per real encounter, with its number of sources);
    with ``stance`` or ``kind == "statement"``, statements as reported."""
    if f.stance or f.kind == "statement":
        return statements(db, f)
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    if f.country:
        where.append("ce.countries LIKE ?")
        params.append(_like(f.country))
    if f.with_:
        where.append("ce.countries LIKE ?")
        params.append(_like(f.with_))
    if f.person:
        where.append("LOWER(ce.persons) LIKE ?")
        params.append(f"%{f.person.lower()}%")
    add_range(where, params, f, "ce.date")
    if f.kind:
        where.append("ce.kinds LIKE ?")
        params.append(f"%,{f.kind},%")
    report_conds, report_params = [], []
    if f.topic:
        report_conds.append(
            "EXISTS (SELECT 1 FROM topics t WHERE t.doc_key = e.doc_key AND t.topic = ?)"
        )
        report_params.append(f.topic)
    if f.publisher:
        report_conds.append("(LOWER(d.source) LIKE ? OR d.source_country = ?)")
        report_params.extend([f"%{f.publisher.lower()}%", f.publisher.upper()])
    if report_conds:
        where.append(
            "EXISTS (SELECT 1 FROM events e JOIN documents d ON d.key = e.doc_key "
            f"WHERE e.canonical_id = ce.id AND {' AND '.join(report_conds)})"
        )
        params.extend(report_params)
    rows = db.query(
        "SELECT ce.id, ce.date, ce.kind, ce.countries, ce.persons, ce.location_name AS place, "
        "ce.occasion, ce.n_sources AS sources, ce.n_reports AS reports, ce.url "
        f"FROM canonical_events ce WHERE {' AND '.join(where)} "
        "ORDER BY ce.date DESC, ce.id LIMIT ? OFFSET ?",
        (*params, f.limit, f.offset),
    )
    for r in rows:
        r["countries"] = r["countries"].strip(",").replace(",", " ")
        r["persons"] = "; ".join(json.loads(r["persons"] or "[]"))
    return rows


def statements(db: Database, f: Filters) -> list[dict[str, Any]]:
    where, params = ["e.kind = 'statement'"], []
    if f.stance:
        where.append("e.stance = ?")
        params.append(f.stance)
    if f.country:
        where.append("e.actor_countries LIKE ?")
        params.append(_like(f.country))
    if f.with_:
        where.append("e.recipient_countries LIKE ?")
        params.append(_like(f.with_))
    if f.person:
        where.append("LOWER(e.persons) LIKE ?")
        params.append(f"%{f.person.lower()}%")
    add_range(where, params, f, "e.date")
    if f.topic:
        where.append("EXISTS (SELECT 1 FROM topics t WHERE t.doc_key = e.doc_key AND t.topic = ?)")
        params.append(f.topic)
    if f.publisher:
        where.append("(LOWER(d.source) LIKE ? OR d.source_country = ?)")
        params.extend([f"%{f.publisher.lower()}%", f.publisher.upper()])
    rows = db.query(
        "SELECT e.date, e.stance, e.actor_countries AS actor, e.recipient_countries AS target, "
        "e.cameo, e.goldstein, e.evidence, d.url FROM events e JOIN documents d ON d.key = e.doc_key "
        f"WHERE {' AND '.join(where)} ORDER BY e.date DESC, e.doc_key, e.event_id LIMIT ? OFFSET ?",
        (*params, f.limit, f.offset),
    )
    for r in rows:
        r["actor"] = r["actor"].strip(",").replace(",", " ")
        r["target"] = r["target"].strip(",").replace(",", " ")
    return rows


def actors(db: Database, f: Filters, kind: str | None = None) -> list[dict[str, Any]]:
    """Actors across documents, one row per entity, with how often they appear (from the
    statistics kept at write time, unless a date, publisher or name filter asks for a count)."""
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    if not (f.since or f.until or f.publisher or f.person):
        if f.country:
            where.append("country = ?")
            params.append(f.country.upper())
        if kind:
            where.append("kind = ?")
            params.append(kind)
        rows = db.query(
            "SELECT entity AS name, kind, country, documents, mentions, first_seen, last_seen "
            f"FROM actor_stats WHERE {' AND '.join(where)} "
            "ORDER BY documents DESC, name LIMIT ? OFFSET ?",
            (*params, f.limit, f.offset),
        )
        for r in rows:
            r["country"] = r["country"] or None
        return rows
    if f.country:
        where.append("a.country = ?")
        params.append(f.country.upper())
    if kind:
        where.append("a.kind = ?")
        params.append(kind)
    if f.person:
        where.append("LOWER(a.name) LIKE ?")
        params.append(f"%{f.person.lower()}%")
    add_range(where, params, f, "d.published_date")
    if f.publisher:
        where.append("(LOWER(d.source) LIKE ? OR d.source_country = ?)")
        params.extend([f"%{f.publisher.lower()}%", f.publisher.upper()])
    return db.query(
        "SELECT a.entity AS name, a.kind, a.country, "
        "COUNT(DISTINCT a.doc_key) AS documents, SUM(a.mentions) AS mentions, "
        "MIN(d.published_date) AS first_seen, MAX(d.published_date) AS last_seen "
        "FROM actors a JOIN documents d ON d.key = a.doc_key "
        f"WHERE a.named = 1 AND {' AND '.join(where)} "
        "GROUP BY a.entity, a.kind, a.country "
        "ORDER BY documents DESC, name LIMIT ? OFFSET ?",
        (*params, f.limit, f.offset),
    )


def relations(db: Database, country: str, f: Filters) -> list[dict[str, Any]]:
    """A country's counterparts at a glance: encounters by kind and year, the last one, the
    latest relationship label, agreements."""
    country = country.upper()
    where, params = ["countries LIKE ?"], [_like(country)]
    add_range(where, params, f, "date")
    rows = db.query(
        "SELECT id, date, kind_group, countries, persons FROM canonical_events "
        f"WHERE {' AND '.join(where)}",
        params,
    )
    per: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"encounters": 0, "by_kind": Counter(), "by_year": Counter(), "last": None}
    )
    for r in rows:
        for other in r["countries"].strip(",").split(","):
            if other == country or (f.with_ and other != f.with_.upper()):
                continue
            p = per[other]
            p["encounters"] += 1
            p["by_kind"][r["kind_group"]] += 1
            if r["date"]:
                p["by_year"][r["date"][:4]] += 1
            if r["date"] and (p["last"] is None or r["date"] > p["last"][0]):
                p["last"] = (r["date"], r["kind_group"], "; ".join(json.loads(r["persons"])))
    labels = db.query(
        "SELECT r.country_a, r.country_b, r.label, MAX(d.published_date) AS published_date "
        "FROM relationships r JOIN documents d ON d.key = r.doc_key "
        "WHERE r.country_a = ? OR r.country_b = ? "
        "GROUP BY r.country_a, r.country_b, r.label ORDER BY published_date, r.label",
        (country, country),
    )
    latest_label: dict[str, str] = {}
    for lab in labels:
        other = lab["country_b"] if lab["country_a"] == country else lab["country_a"]
        latest_label[other] = lab["label"]
    agreements = db.query(
        "SELECT parties, COUNT(*) AS n FROM agreements WHERE parties LIKE ? GROUP BY parties",
        (_like(country),),
    )
    n_agreements: Counter[str] = Counter()
    for a in agreements:
        for other in a["parties"].strip(",").split(","):
            if other and other != country:
                n_agreements[other] += a["n"]
    out = []
    for other, p in per.items():
        out.append(
            {
                "counterpart": other,
                "encounters": p["encounters"],
                "by_kind": " ".join(f"{k}:{v}" for k, v in sorted(p["by_kind"].items())),
                "by_year": " ".join(f"{y}:{v}" for y, v in sorted(p["by_year"].items())),
                "last": " ".join(x for x in (p["last"] or ()) if x),
                "relationship": latest_label.get(other, ""),
                "agreements": n_agreements.get(other, 0),
            }
        )
    out.sort(key=lambda r: (-r["encounters"], r["counterpart"]))
    return out[: f.limit]


def search(
    db: Database, query: str, limit: int = 20, marks: tuple[str, str] = ("[", "]")
) -> list[dict[str, Any]]:
    """Full text over documents and evidence sentences, best first, one row per document;
    ``marks`` surround the matched words in the snippets."""
    terms = re.findall(r"\w+", query, flags=re.UNICODE)
    if not terms:
        return []
    if db.dialect == "postgresql":
        rows = db.query(
            "SELECT s.doc_key, s.ref, ts_rank(s.tsv, q) AS score, "
            "ts_headline('english', s.body, q, 'MaxFragments=1, MaxWords=24, MinWords=10, "
            "StartSel=\x02, StopSel=\x03') AS snippet "
            "FROM search s, websearch_to_tsquery('english', ?) q WHERE s.tsv @@ q "
            "ORDER BY score DESC, s.doc_key LIMIT ?",
            (query, limit * 5),
        )
    else:
        phrase = " ".join(f'"{t}"' for t in terms)
        rows = db.query(
            "SELECT doc_key, ref, -bm25(search, 0, 0, 4.0, 1.0) AS score, "
            "snippet(search, 3, char(2), char(3), ' ... ', 16) AS snippet "
            "FROM search WHERE search MATCH ? ORDER BY bm25(search, 0, 0, 4.0, 1.0), doc_key LIMIT ?",
            (phrase, limit * 5),
        )
    best: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["doc_key"] not in best:
            best[r["doc_key"]] = r
    keys = list(best)[:limit]
    if not keys:
        return []
    meta = {
        d["key"]: d
        for d in db.query(
            f"SELECT key, id, title, url, published_date FROM documents WHERE key IN ({', '.join('?' for _ in keys)})",
            keys,
        )
    }
    out = []
    for k in keys:
        d = meta.get(k, {})
        out.append(
            {
                "date": d.get("published_date"),
                "title": d.get("title"),
                "snippet": re.sub(r"\s+", " ", best[k]["snippet"] or "")
                .replace("\x02", marks[0])
                .replace("\x03", marks[1]),
                "document": d.get("id"),
                "score": round(float(best[k]["score"]), 3),
                "url": d.get("url") or k,
            }
        )
    return out


def failures(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    return db.query(
        "SELECT origin, stage, error FROM failures ORDER BY origin, stage LIMIT ?", (limit,)
    )
