"""Listings users ask of a store (the CLI's, the API's, the dashboard's and the Python handle's),
with the same filters on every one.

Rows hold lists as lists (``countries: ["CHN", "KAZ"]``, ``persons: [{"id", "name", "country",
"organization"}]``); a CSV or a terminal table joins them when it prints. States and
organisations are apart: ``countries`` holds ISO3 codes, ``organizations`` the codes of
``data/organizations.yaml`` (:mod:`communique.queries.codes`).

Each paged listing has a ``*_query(f)`` that gives its :class:`Select` (the page's rows and the
number of rows that match, for an API's ``total``) and a plain function that gives the page.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from communique.queries.codes import code_kind, code_name, is_organization, split_codes
from communique.queries.filters import Filters, Where, paged
from communique.store.db import Database
from communique.tables import code_pattern, codes_of, names_of

Row = dict[str, Any]
UNDATED = "undated"
"""How a missing date is shown (tables, pages): the event happened, the readout did not say
when."""


@dataclass
class Select:
    """A listing's SELECT (its WHERE clause is ``where``) and what turns its rows into the
    listing's (``finish``)."""

    sql: str
    where: Where
    finish: Callable[[Database, list[Row]], list[Row]] = field(default=lambda db, rows: rows)

    def rows(self, db: Database, f: Filters) -> list[Row]:
        """The page ``f`` asks for (``limit``, ``offset``)."""
        return self.finish(db, paged(db, self.sql, self.where, f))

    def total(self, db: Database) -> int:
        """How many rows match, over all pages."""
        n = db.scalar(f"SELECT COUNT(*) AS n FROM ({self.sql}) counted", self.where.params)
        return int(n or 0)


# -- ids and people -----------------------------------------------------------------------------
def actor_key(name: str, kind: str, code: str | None) -> str:
    """A stable id of an actor across documents (its name, kind and country or organisation):
    the same in events' ``persons`` and in the actors listing."""
    digest = hashlib.sha256(f"{kind}|{code or ''}|{name}".encode()).hexdigest()
    return "a" + digest[:11]


def belonging(code: str | None) -> dict[str, str | None]:
    """``{"country", "organization"}`` of an actor whose code is ``code``."""
    if is_organization(code):
        return {"country": None, "organization": code}
    return {"country": code or None, "organization": None}


def person(name: str, code: str | None) -> Row:
    return {"id": actor_key(name, "person", code), "name": name, **belonging(code)}


def _persons(db: Database, rows: list[Row], id_column: str, by: str) -> None:
    """Replace each row's ``persons`` (a JSON array of names) by the people with their ids and
    countries, read from the participants of the events ``by`` (``canonical_id`` or
    ``doc_key || event_id``) equal to the row's ``id_column``."""
    keys = sorted({r[id_column] for r in rows if r.get(id_column)})
    countries: dict[Any, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found = db.query(
            f"SELECT {by} AS ref, a.entity AS name, a.country FROM events e "
            "JOIN participants p ON p.doc_key = e.doc_key AND p.event_id = e.event_id "
            "JOIN actors a ON a.doc_key = p.doc_key AND a.actor_id = p.actor_id "
            f"WHERE {by} IN ({marks}) AND a.kind = 'person' AND a.named = 1",
            chunk,
        )
        for r in found:
            countries[r["ref"]][r["name"]][r["country"] or ""] += 1
    for r in rows:
        seen = countries.get(r.get(id_column), {})
        people = []
        for name in names_of(r["persons"]):
            votes = seen.get(name)
            code = votes.most_common(1)[0][0] if votes else None
            people.append(person(name, code or None))
        r["persons"] = people


# -- events and statements ----------------------------------------------------------------------
EVENT_COLUMNS = (
    "id",
    "date",
    "kind",
    "countries",
    "organizations",
    "persons",
    "place",
    "occasion",
    "sources",
    "reports",
    "url",
)


def events_query(f: Filters) -> Select:
    """Encounters as canonical events (one row per real encounter, with its number of sources);
    with ``stance`` or ``kind == "statement"``, statements as reported."""
    if f.stance or f.kind == "statement":
        return statements_query(f)
    where = Where().code("ce.countries", f.country).code("ce.countries", f.with_)
    where.code("ce.countries", f.organization)
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

    def finish(db: Database, rows: list[Row]) -> list[Row]:
        _persons(db, rows, "id", "e.canonical_id")
        out = []
        for r in rows:
            states, organizations = split_codes(codes_of(r["codes"]))
            out.append(
                {
                    **{k: r[k] for k in ("id", "date", "kind")},
                    "countries": states,
                    "organizations": organizations,
                    **{k: r[k] for k in EVENT_COLUMNS[5:]},
                }
            )
        return out

    return Select(
        "SELECT ce.id, ce.date, ce.kind, ce.countries AS codes, ce.persons, "
        "ce.location_name AS place, ce.occasion, ce.n_sources AS sources, "
        "ce.n_reports AS reports, ce.url "
        f"FROM canonical_events ce WHERE {where.sql} ORDER BY ce.date DESC, ce.id",
        where,
        finish,
    )


def events(db: Database, f: Filters) -> list[Row]:
    return events_query(f).rows(db, f)


def statements_query(f: Filters) -> Select:
    where = Where("e.kind = 'statement'")
    if f.stance:
        where.add("e.stance = ?", f.stance)
    where.code("e.actor_countries", f.country).code("e.recipient_countries", f.with_)
    where.code("e.countries", f.organization)
    where.person(f, "e.persons").dates(f, "e.date").topic(f, "e.doc_key")
    where.publisher(f, "d.source", "d.source_country")

    def finish(db: Database, rows: list[Row]) -> list[Row]:
        for r in rows:
            r["actor"] = codes_of(r["actor"])
            r["target"] = codes_of(r["target"])
        return rows

    return Select(
        "SELECT 'statement' AS kind, e.date, e.stance, e.actor_countries AS actor, "
        "e.recipient_countries AS target, e.cameo, e.goldstein, e.evidence, d.id AS document, "
        "d.url FROM events e JOIN documents d ON d.key = e.doc_key "
        f"WHERE {where.sql} ORDER BY e.date DESC, e.doc_key, e.event_id",
        where,
        finish,
    )


def statements(db: Database, f: Filters) -> list[Row]:
    return statements_query(f).rows(db, f)


# -- actors -------------------------------------------------------------------------------------
def actors_query(f: Filters, kind: str | None = None) -> Select:
    """Actors across documents, one row per entity, with how often they appear (from the
    statistics kept at write time, unless a date, publisher or name filter asks for a count).
    ``country`` is a state's ISO3 code; an organisation's people (and the organisation itself)
    have its code in ``organization``."""

    def finish(db: Database, rows: list[Row]) -> list[Row]:
        out = []
        for r in rows:
            code = r["country"] or None  # actor_stats stores '' for "no country"
            out.append(
                {
                    "name": r["name"],
                    "kind": r["kind"],
                    **belonging(code),
                    **{k: r[k] for k in ("documents", "mentions", "first_seen", "last_seen")},
                    "id": actor_key(r["name"], r["kind"], code),
                }
            )
        return out

    code = (f.country or f.organization or "").upper() or None
    if not (f.since or f.until or f.publisher or f.person):
        where = Where()
        if code:
            where.add("country = ?", code)
        if kind:
            where.add("kind = ?", kind)
        return Select(
            "SELECT entity AS name, kind, country, documents, mentions, first_seen, last_seen "
            f"FROM actor_stats WHERE {where.sql} ORDER BY documents DESC, name",
            where,
            finish,
        )
    where = Where("a.named = 1")
    if code:
        where.add("a.country = ?", code)
    if kind:
        where.add("a.kind = ?", kind)
    where.person(f, "a.name").dates(f, "d.published_date")
    where.publisher(f, "d.source", "d.source_country")
    return Select(
        "SELECT a.entity AS name, a.kind, a.country, "
        "COUNT(DISTINCT a.doc_key) AS documents, SUM(a.mentions) AS mentions, "
        "MIN(d.published_date) AS first_seen, MAX(d.published_date) AS last_seen "
        "FROM actors a JOIN documents d ON d.key = a.doc_key "
        f"WHERE {where.sql} GROUP BY a.entity, a.kind, a.country ORDER BY documents DESC, name",
        where,
        finish,
    )


def actors(db: Database, f: Filters, kind: str | None = None) -> list[Row]:
    return actors_query(f, kind).rows(db, f)


# -- relations ----------------------------------------------------------------------------------
@dataclass
class Relations:
    """A state's (or an organisation's) counterparts at a glance. Each counterpart's summary
    adds up: ``encounters == sum(by_kind.values()) == sum(by_year.values()) + undated``; the
    encounters of all counterparts are in ``encounters`` (an encounter of three parties counts
    once here and once for each of its two counterparts)."""

    code: str
    kind: str | None  # state | organization | None (an unknown code)
    name: str
    encounters: int
    undated: int
    counterparts: list[Row]  # states
    organizations: list[Row]

    def rows(self) -> list[Row]:
        """Every counterpart, states first: one table (a CSV)."""
        return [*self.counterparts, *self.organizations]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "name": self.name,
            "encounters": self.encounters,
            "undated": self.undated,
            "counterparts": self.counterparts,
            "organizations": self.organizations,
        }


def relations(db: Database, code: str, f: Filters) -> Relations:
    """A country's (or an organisation's) counterparts: per counterpart, encounters by kind and
    by year (undated ones counted apart), the last one, the latest relationship label,
    agreements. States and organisations are listed apart; ``limit`` and ``offset`` apply to
    each list."""
    code = code.upper()
    where = Where().code("countries", code).dates(f, "date")
    rows = db.query(
        f"SELECT id, date, kind_group, countries, persons FROM canonical_events WHERE {where.sql}",
        where.params,
    )
    per: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "encounters": 0,
            "by_kind": Counter(),
            "by_year": Counter(),
            "undated": 0,
            "last": None,
        }
    )
    wanted = {c.upper() for c in (f.with_, f.organization) if c}
    encounters = undated = 0
    for r in rows:
        counted = False
        for other in codes_of(r["countries"]):
            if other == code or (wanted and other not in wanted):
                continue
            counted = True
            p = per[other]
            p["encounters"] += 1
            p["by_kind"][r["kind_group"]] += 1
            if r["date"]:
                p["by_year"][r["date"][:4]] += 1
            else:
                p["undated"] += 1
            last = p["last"]
            if last is None or (r["date"] or "") > (last["date"] or ""):
                p["last"] = {
                    "date": r["date"],
                    "kind": r["kind_group"],
                    "persons": names_of(r["persons"]),
                }
        if counted:
            encounters += 1
            undated += not r["date"]
    labels = db.query(
        "SELECT r.country_a, r.country_b, r.label, MAX(d.published_date) AS published_date "
        "FROM relationships r JOIN documents d ON d.key = r.doc_key "
        "WHERE r.country_a = ? OR r.country_b = ? "
        "GROUP BY r.country_a, r.country_b, r.label ORDER BY published_date, r.label",
        (code, code),
    )
    latest_label: dict[str, str] = {}
    for lab in labels:
        other = lab["country_b"] if lab["country_a"] == code else lab["country_a"]
        latest_label[other] = lab["label"]
    agreements = db.query(
        "SELECT parties, COUNT(*) AS n FROM agreements WHERE parties LIKE ? GROUP BY parties",
        (code_pattern(code),),
    )
    n_agreements: Counter[str] = Counter()
    for a in agreements:
        for other in codes_of(a["parties"]):
            if other != code:
                n_agreements[other] += a["n"]
    states: list[Row] = []
    organizations: list[Row] = []
    for other, p in per.items():
        kind = "organization" if is_organization(other) else "state"
        row = {
            "counterpart": other,
            "counterpart_kind": kind,
            "name": code_name(other),
            "encounters": p["encounters"],
            "by_kind": dict(sorted(p["by_kind"].items())),
            "by_year": dict(sorted(p["by_year"].items())),
            "undated": p["undated"],
            "last": p["last"],
            "relationship": latest_label.get(other),
            "agreements": n_agreements.get(other, 0),
        }
        (organizations if kind == "organization" else states).append(row)
    for part in (states, organizations):
        part.sort(key=lambda r: (-r["encounters"], r["counterpart"]))
    window = slice(f.offset, f.offset + f.limit)
    return Relations(
        code=code,
        kind=code_kind(code),
        name=code_name(code),
        encounters=encounters,
        undated=undated,
        counterparts=states[window],
        organizations=organizations[window],
    )


# -- search and failures ------------------------------------------------------------------------
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
) -> list[Row]:
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


def failures(db: Database, limit: int = 100) -> list[Row]:
    return db.query(
        "SELECT origin, stage, error FROM failures ORDER BY origin, stage LIMIT ?", (limit,)
    )
