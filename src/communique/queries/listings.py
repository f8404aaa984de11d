"""Listings users ask of a store (the CLI's, the API's and the dashboard's), with the same
filters on every one."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from communique.queries.filters import Filters, Where, decoded, paged
from communique.store.db import Database
from communique.tables import code_pattern, codes_of, codes_text, names_text


def events(db: Database, f: Filters) -> list[dict[str, Any]]:
    """Encounters as canonical events (one row per real encounter, with its number of sources);
    with ``stance`` or ``kind == "statement"``, statements as reported."""
    if f.stance or f.kind == "statement":
        return statements(db, f)
    where = Where().code("ce.countries", f.country).code("ce.countries", f.with_)
    where.person(f, "ce.persons").dates(f, "ce.date")
    if f.kind:
        where.add("ce.kinds LIKE ?", code_pattern(f.kind))
    reports = Where().topic(f, "e.doc_key").publisher(f, "d.source", "d.source_country")
    if reports:
        where.add(
            "EXISTS (SELECT 1 FROM events e JOIN documents d ON d.key = e.doc_key "
            f"WHERE e.canonical_id = ce.id AND {reports.sql})",
            *reports.params,
        )
    rows = paged(
        db,
        "SELECT ce.id, ce.date, ce.kind, ce.countries, ce.persons, ce.location_name AS place, "
        "ce.occasion, ce.n_sources AS sources, ce.n_reports AS reports, ce.url "
        f"FROM canonical_events ce WHERE {where.sql} ORDER BY ce.date DESC, ce.id",
        where,
        f,
    )
    return decoded(rows, countries=codes_text, persons=names_text)


def statements(db: Database, f: Filters) -> list[dict[str, Any]]:
    where = Where("e.kind = 'statement'")
    if f.stance:
        where.add("e.stance = ?", f.stance)
    where.code("e.actor_countries", f.country).code("e.recipient_countries", f.with_)
    where.person(f, "e.persons").dates(f, "e.date").topic(f, "e.doc_key")
    where.publisher(f, "d.source", "d.source_country")
    rows = paged(
        db,
        "SELECT e.date, e.stance, e.actor_countries AS actor, e.recipient_countries AS target, "
        "e.cameo, e.goldstein, e.evidence, d.url FROM events e JOIN documents d ON d.key = e.doc_key "
        f"WHERE {where.sql} ORDER BY e.date DESC, e.doc_key, e.event_id",
        where,
        f,
    )
    return decoded(rows, actor=codes_text, target=codes_text)


def actors(db: Database, f: Filters, kind: str | None = None) -> list[dict[str, Any]]:
    """Actors across documents, one row per entity, with how often they appear (from the
    statistics kept at write time, unless a date, publisher or name filter asks for a count)."""
    if not (f.since or f.until or f.publisher or f.person):
        where = Where()
        if f.country:
            where.add("country = ?", f.country.upper())
        if kind:
            where.add("kind = ?", kind)
        rows = paged(
            db,
            "SELECT entity AS name, kind, country, documents, mentions, first_seen, last_seen "
            f"FROM actor_stats WHERE {where.sql} ORDER BY documents DESC, name",
            where,
            f,
        )
        return decoded(rows, country=lambda c: c or None)  # stored as '' for "no country"
    where = Where("a.named = 1")
    if f.country:
        where.add("a.country = ?", f.country.upper())
    if kind:
        where.add("a.kind = ?", kind)
    where.person(f, "a.name").dates(f, "d.published_date")
    where.publisher(f, "d.source", "d.source_country")
    return paged(
        db,
        "SELECT a.entity AS name, a.kind, a.country, "
        "COUNT(DISTINCT a.doc_key) AS documents, SUM(a.mentions) AS mentions, "
        "MIN(d.published_date) AS first_seen, MAX(d.published_date) AS last_seen "
        "FROM actors a JOIN documents d ON d.key = a.doc_key "
        f"WHERE {where.sql} GROUP BY a.entity, a.kind, a.country ORDER BY documents DESC, name",
        where,
        f,
    )


def relations(db: Database, country: str, f: Filters) -> list[dict[str, Any]]:
    """A country's counterparts at a glance: encounters by kind and year, the last one, the
    latest relationship label, agreements."""
    country = country.upper()
    where = Where().code("countries", country).dates(f, "date")
    rows = db.query(
        f"SELECT id, date, kind_group, countries, persons FROM canonical_events WHERE {where.sql}",
        where.params,
    )
    per: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"encounters": 0, "by_kind": Counter(), "by_year": Counter(), "last": None}
    )
    for r in rows:
        for other in codes_of(r["countries"]):
            if other == country or (f.with_ and other != f.with_.upper()):
                continue
            p = per[other]
            p["encounters"] += 1
            p["by_kind"][r["kind_group"]] += 1
            if r["date"]:
                p["by_year"][r["date"][:4]] += 1
            if r["date"] and (p["last"] is None or r["date"] > p["last"][0]):
                p["last"] = (r["date"], r["kind_group"], names_text(r["persons"]))
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
        (code_pattern(country),),
    )
    n_agreements: Counter[str] = Counter()
    for a in agreements:
        for other in codes_of(a["parties"]):
            if other != country:
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


MAX_QUERY = 200  # characters of a search query that are read
MAX_TERMS = 8  # distinct words of a search query that are looked for
MAX_TERM = 64  # characters of one word


def search_terms(query: str) -> list[str]:
    """The words a query looks for: at most :data:`MAX_TERMS` distinct ones (case aside) from
    its first :data:`MAX_QUERY` characters, whatever the query holds (no search syntax)."""
    head = query[:MAX_QUERY]
    if re.match(r"\w", query[MAX_QUERY : MAX_QUERY + 1]):
        head = re.sub(r"\w+$", "", head) or head  # no word cut in two by the limit
    words = re.findall(r"\w+", head, flags=re.UNICODE)
    return list(dict.fromkeys(w.lower()[:MAX_TERM] for w in words))[:MAX_TERMS]


def search(
    db: Database, query: str, limit: int = 20, marks: tuple[str, str] = ("[", "]")
) -> list[dict[str, Any]]:
    """Full text over documents and evidence sentences, best first, one row per document;
    ``marks`` surround the matched words in the snippets.

    The cost is bounded: the query's words are deduplicated and capped (:func:`search_terms`),
    the ranking reads no text, and snippets are made for the rows returned only."""
    terms = search_terms(query)
    if not terms:
        return []
    limit = max(1, min(limit, 1000))
    if db.dialect == "postgresql":
        words = " ".join(terms)
        ranked = db.query(
            "SELECT s.doc_key, s.ref, ts_rank(s.tsv, q) AS score "
            "FROM search s, plainto_tsquery('english', ?) q WHERE s.tsv @@ q "
            "ORDER BY score DESC, s.doc_key, s.ref LIMIT ?",
            (words, limit * 5),
        )
    else:
        phrase = " ".join(f'"{t}"' for t in terms)
        ranked = db.query(
            "SELECT rowid AS ref, doc_key, -bm25(search, 0, 0, 4.0, 1.0) AS score "
            "FROM search WHERE search MATCH ? ORDER BY bm25(search, 0, 0, 4.0, 1.0), doc_key "
            "LIMIT ?",
            (phrase, limit * 5),
        )
    best: dict[str, dict[str, Any]] = {}
    for r in ranked:
        if r["doc_key"] not in best:
            best[r["doc_key"]] = r
    keys = list(best)[:limit]
    if not keys:
        return []
    snippets = _snippets(db, terms, [best[k] for k in keys])
    marks_sql = ", ".join("?" for _ in keys)
    meta = {
        d["key"]: d
        for d in db.query(
            f"SELECT key, id, title, url, published_date FROM documents WHERE key IN ({marks_sql})",
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
                "snippet": re.sub(r"\s+", " ", snippets.get(k) or "")
                .replace("\x02", marks[0])
                .replace("\x03", marks[1]),
                "document": d.get("id"),
                "score": round(float(best[k]["score"]), 3),
                "url": d.get("url") or k,
            }
        )
    return out


def _snippets(db: Database, terms: list[str], rows: list[dict[str, Any]]) -> dict[str, str]:
    """The snippet of each chosen search row, by document key (matches between \\x02 and
    \\x03)."""
    if db.dialect == "postgresql":
        pairs = " OR ".join("(s.doc_key = ? AND s.ref = ?)" for _ in rows)
        params: list[Any] = [" ".join(terms)]
        for r in rows:
            params += [r["doc_key"], r["ref"]]
        found = db.query(
            "SELECT s.doc_key, ts_headline('english', s.body, q, 'MaxFragments=1, MaxWords=24, "
            "MinWords=10, StartSel=\x02, StopSel=\x03') AS snippet "
            f"FROM search s, plainto_tsquery('english', ?) q WHERE {pairs}",
            params,
        )
    else:
        phrase = " ".join(f'"{t}"' for t in terms)
        ids = ", ".join("?" for _ in rows)
        found = db.query(
            "SELECT doc_key, snippet(search, 3, char(2), char(3), ' ... ', 16) AS snippet "
            f"FROM search WHERE search MATCH ? AND rowid IN ({ids})",
            [phrase, *(r["ref"] for r in rows)],
        )
    return {f["doc_key"]: f["snippet"] for f in found}


def failures(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    return db.query(
        "SELECT origin, stage, error FROM failures ORDER BY origin, stage LIMIT ?", (limit,)
    )
