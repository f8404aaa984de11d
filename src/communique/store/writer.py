"""Writing a document's rows, replacing and deleting documents, recording failures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from communique.store.db import Database
from communique.store.merge import link_event, refresh_counts
from communique.tables import (
    EXTRACTION_TABLES,
    TABLES,
    Row,
    Rows,
    failure_key,
    search_rows,
)

_INSERTS = {
    name: (table.insert_sql(), tuple(c.name for c in table.row_columns))
    for name, table in TABLES.items()
}


def insert_rows(db: Database, table: str, rows: Sequence[Row]) -> None:
    if not rows:
        return
    sql, names = _INSERTS[table]
    if len(rows) == 1:
        db.execute(sql, tuple(rows[0][n] for n in names))
    else:
        db.executemany(sql, [tuple(row[n] for n in names) for row in rows])


def write_rows(db: Database, rows: Rows) -> None:
    """Insert one document's rows (:func:`communique.tables.document_rows`), index them for
    search, count its actors and link its encounters to canonical events."""
    document = rows["documents"][0]
    doc_search, evidence_search = search_rows(rows)
    insert_rows(db, "documents", rows["documents"])
    insert_rows(db, "search", doc_search)
    for table in EXTRACTION_TABLES:
        insert_rows(db, table, rows.get(table, ()))
        if table == "participants":
            insert_rows(db, "search", evidence_search)
    add_actor_stats(db, rows.get("actors", ()), document["published_date"])
    touched = [link_event(db, row, document["source"]) for row in rows.get("events", ())]
    refresh_counts(db, sorted({c for c in touched if c is not None}))


def existing(db: Database, key: str) -> dict[str, Any] | None:
    rows = db.query("SELECT id, extractor FROM documents WHERE key = ?", (key,))
    return rows[0] if rows else None


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


def add_actor_stats(db: Database, actors: Sequence[Row], day: str | None) -> None:
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
