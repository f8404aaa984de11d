"""Cross-report merge: the same real-world encounter reported by several publishers becomes one
canonical event linked to all its reports.

Two reports are the same encounter when they have a compatible kind (in person / call / message),
the same participant countries, dates at most a day apart and, when both name people, at least
one person in common. The canonical id is a hash of what defines it, so the result does not
depend on database row ids: a rerun or a resumed run gives the same ids.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from communique.model import ENCOUNTER_KINDS, kind_group
from communique.store.db import Database
from communique.tables import codes_key, codes_of, names_json, names_of


def canonical_id(group: str, countries: str, day: str | None) -> str:
    digest = hashlib.sha256(f"{group}|{countries}|{day}".encode()).hexdigest()
    return "ce" + digest[:14]


def _near(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a == b
    try:
        return abs(date.fromisoformat(a) - date.fromisoformat(b)) <= timedelta(days=1)
    except ValueError:
        return a == b


def _surnames(persons: str) -> set[str]:
    return {p.split(" ")[-1].lower() for p in names_of(persons) if p}


def link_event(db: Database, event: dict[str, Any], source: str | None) -> str | None:
    """Link one stored report of an encounter to its canonical event (created if new); the
    caller recounts the canonical events it touched with :func:`refresh_counts`."""
    if event["kind"] not in ENCOUNTER_KINDS or event["timing"] == "planned":
        return None
    if len(codes_of(event["countries"])) < 2:
        return None
    group = kind_group(event["kind"])
    day = event["date"]
    candidates = db.query(
        "SELECT id, date, persons, kind FROM canonical_events "
        "WHERE kind_group = ? AND countries = ? ORDER BY id",
        (group, event["countries"]),
    )
    mine = _surnames(event["persons"])
    target = None
    for cand in candidates:
        if not _near(cand["date"], day):
            continue
        theirs = _surnames(cand["persons"])
        if mine and theirs and not (mine & theirs):
            continue
        target = cand
        break
    if target is None:
        cid = canonical_id(group, event["countries"], day)
        db.execute(
            "INSERT INTO canonical_events (id, kind, kind_group, date, countries, persons, "
            "location_name, location_country, lat, lon, occasion, n_reports, n_sources) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0) ON CONFLICT (id) DO NOTHING",
            (
                cid,
                event["kind"],
                group,
                day,
                event["countries"],
                event["persons"],
                event["location_name"],
                event["location_country"],
                event["lat"],
                event["lon"],
                event["occasion"],
            ),
        )
    else:
        cid = target["id"]
        merged = sorted(set(names_of(target["persons"])) | set(names_of(event["persons"])))
        db.execute(
            "UPDATE canonical_events SET persons = ?, "
            "location_name = COALESCE(location_name, ?), location_country = COALESCE(location_country, ?), "
            "lat = COALESCE(lat, ?), lon = COALESCE(lon, ?), occasion = COALESCE(occasion, ?) "
            "WHERE id = ?",
            (
                names_json(merged),
                event["location_name"],
                event["location_country"],
                event["lat"],
                event["lon"],
                event["occasion"],
                cid,
            ),
        )
    db.execute(
        "UPDATE events SET canonical_id = ? WHERE doc_key = ? AND event_id = ?",
        (cid, event["doc_key"], event["event_id"]),
    )
    return cid


def refresh_counts(db: Database, ids: list[str]) -> None:
    """Recount the reports and distinct publishers of canonical events; drop orphans."""
    for cid in ids:
        reports = db.query(
            "SELECT e.kind, d.url, COALESCE(d.source, d.key) AS source "
            "FROM events e JOIN documents d ON d.key = e.doc_key WHERE e.canonical_id = ?",
            (cid,),
        )
        if not reports:
            db.execute("DELETE FROM canonical_events WHERE id = ?", (cid,))
            continue
        urls = sorted(r["url"] for r in reports if r["url"])
        db.execute(
            "UPDATE canonical_events SET n_reports = ?, n_sources = ?, kinds = ?, url = ? "
            "WHERE id = ?",
            (
                len(reports),
                len({r["source"] for r in reports}),
                codes_key(r["kind"] for r in reports),
                urls[0] if urls else None,
                cid,
            ),
        )
