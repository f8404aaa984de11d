"""Exports of a store: Readout JSON Lines, CSV and Parquet tables (their columns from
:mod:`communique.tables`), PLOVER JSON Lines, a CAMEO/GDELT-style TSV and a GraphML network.
Formats are documented in docs/exports.md; a new one is a function here and a name in FORMATS."""

from __future__ import annotations

import csv
import json
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from communique.store.db import Database
from communique.tables import (
    ARROW_TYPES,
    EXPORTED_TABLES,
    TABLES,
    codes_of,
    names_of,
    readout_dict,
)

FORMATS = ("jsonl", "csv", "parquet", "plover", "cameo", "graphml")
QUAD_CLASS = {
    **dict.fromkeys(range(1, 6), 1),
    **dict.fromkeys(range(6, 10), 2),
    **dict.fromkeys(range(10, 15), 3),
    **dict.fromkeys(range(15, 21), 4),
}
CAMEO_COLUMNS = [
    "date",
    "source_code",
    "source_name",
    "target_code",
    "target_name",
    "cameo",
    "root_code",
    "quad_class",
    "goldstein",
    "kind",
    "location",
    "location_country",
    "lat",
    "lon",
    "url",
    "doc_key",
    "event_id",
]


def export(db: Database, fmt: str, out: Path) -> list[Path]:
    """Write ``fmt`` into the folder ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        return [_readouts(db, out / "readouts.jsonl")]
    if fmt in ("csv", "parquet"):
        return [_table(db, name, out / f"{name}.{fmt}", fmt) for name in EXPORTED_TABLES]
    if fmt == "plover":
        return [_plover(db, out / "events.plover.jsonl")]
    if fmt == "cameo":
        return [_cameo(db, out / "events.cameo.tsv")]
    if fmt == "graphml":
        return [
            _graphml(db, out / "countries.graphml", persons=False),
            _graphml(db, out / "persons.graphml", persons=True),
        ]
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def _readouts(db: Database, path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in db.query(
            "SELECT readout, text FROM documents WHERE readout IS NOT NULL ORDER BY key"
        ):
            data = readout_dict(row["readout"], row["text"])
            fh.write(json.dumps(data, ensure_ascii=False) + "\n")
    return path


def _table(db: Database, name: str, path: Path, fmt: str) -> Path:
    spec = TABLES[name]
    rows = db.query(spec.export_sql())
    cols = spec.export_columns
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=cols)
            w.writeheader()
            w.writerows(rows)
        return path
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c.name, getattr(pa, ARROW_TYPES[c.type])()) for c in spec.export])
    pq.write_table(pa.table({c: [r.get(c) for r in rows] for c in cols}, schema=schema), path)
    return path


def _event_actors(db: Database) -> dict[tuple[str, str], dict[str, list[dict[str, Any]]]]:
    out: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
    for p in db.query(
        "SELECT doc_key, event_id, role, name, kind, country, sector FROM participants "
        "ORDER BY doc_key, event_id, role, actor_id"
    ):
        out.setdefault((p["doc_key"], p["event_id"]), {"actor": [], "recipient": []})[
            p["role"]
        ].append(p)
    return out


def _events_for_export(db: Database) -> list[dict[str, Any]]:
    return db.query(
        "SELECT e.*, d.url, d.source, d.published_date FROM events e "
        "JOIN documents d ON d.key = e.doc_key WHERE e.timing = 'reported' "
        "ORDER BY e.date, e.doc_key, e.event_id"
    )


def _sector(p: dict[str, Any]) -> str:
    """The party's sector as PETRARCH/Phoenix code it (GOV, MIL, COP ...): the one the event's
    sentence or the person's office gives; else GOV for a named official, IGO for an
    organisation, none for a state."""
    if p.get("sector"):
        return str(p["sector"])
    return "GOV" if p["kind"] == "person" else ("IGO" if p["kind"] == "organization" else "")


def _plover(db: Database, path: Path) -> Path:
    parts = _event_actors(db)
    topics: dict[str, list[str]] = {}
    for t in db.query("SELECT doc_key, topic FROM topics ORDER BY doc_key, topic"):
        topics.setdefault(t["doc_key"], []).append(t["topic"])
    with path.open("w", encoding="utf-8") as fh:
        for e in _events_for_export(db):
            if not e["plover"]:
                continue  # a CAMEO code PLOVER drops (01x statements, 02x appeals)
            who = parts.get((e["doc_key"], e["event_id"]), {"actor": [], "recipient": []})
            record = {
                "id": f"{e['doc_key']}#{e['event_id']}",
                "date": e["date"],
                "event": e["plover"],
                "mode": e["plover_mode"],
                "context": topics.get(e["doc_key"], []),
                "source": [
                    {"actorText": p["name"], "code": p["country"], "sector": _sector(p)}
                    for p in who["actor"]
                ],
                "target": [
                    {"actorText": p["name"], "code": p["country"], "sector": _sector(p)}
                    for p in who["recipient"]
                ],
                "text": e["evidence"],
                "location": (
                    {
                        "name": e["location_name"],
                        "country": e["location_country"],
                        "lat": e["lat"],
                        "lon": e["lon"],
                    }
                    if e["location_name"]
                    else None
                ),
                "cameo": e["cameo"],
                "goldstein": e["goldstein"],
                "url": e["url"],
                "publication": e["source"],
                "canonicalEvent": e["canonical_id"],
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _cameo(db: Database, path: Path) -> Path:
    parts = _event_actors(db)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(CAMEO_COLUMNS)
        for e in _events_for_export(db):
            who = parts.get((e["doc_key"], e["event_id"]), {"actor": [], "recipient": []})
            blank = {"country": "", "name": "", "kind": ""}
            src = who["actor"][:1] or [blank]
            # a joint encounter ("A and B held talks") is the dyad A-B
            tgt = who["recipient"][:1] or who["actor"][1:2] or [blank]
            root = int(e["cameo"][:2]) if e["cameo"] else 0
            w.writerow(
                [
                    e["date"] or "",
                    _code(src[0]),
                    src[0]["name"],
                    _code(tgt[0]),
                    tgt[0]["name"],
                    e["cameo"] or "",
                    f"{root:02d}" if root else "",
                    QUAD_CLASS.get(root, ""),
                    e["goldstein"] if e["goldstein"] is not None else "",
                    e["kind"],
                    e["location_name"] or "",
                    e["location_country"] or "",
                    e["lat"] if e["lat"] is not None else "",
                    e["lon"] if e["lon"] is not None else "",
                    e["url"] or "",
                    e["doc_key"],
                    e["event_id"],
                ]
            )
    return path


def _code(p: dict[str, Any]) -> str:
    """PETRARCH/Phoenix-style actor code: the country and the party's sector (``USAGOV``,
    ``RUSMIL``; an organisation's own code, ``UN``, with its sector where the sentence gives
    one)."""
    if not p.get("country"):
        return ""
    sector = p.get("sector") or ("GOV" if p.get("kind") == "person" else "")
    return str(p["country"]) + str(sector)


def _graphml(db: Database, path: Path, *, persons: bool) -> Path:
    weights: Counter[tuple[str, str]] = Counter()
    node_country: dict[str, str] = {}
    for ce in db.query("SELECT id, countries, persons FROM canonical_events ORDER BY id"):
        if persons:
            names = names_of(ce["persons"])
            for p in db.query(
                "SELECT DISTINCT name, country FROM participants p JOIN events e "
                "ON e.doc_key = p.doc_key AND e.event_id = p.event_id "
                "WHERE e.canonical_id = ? AND p.kind = 'person'",
                (ce["id"],),
            ):
                node_country.setdefault(p["name"], p["country"] or "")
            nodes = sorted(set(names))
        else:
            nodes = sorted(codes_of(ce["countries"]))
            for c in nodes:
                node_country.setdefault(c, c)
        for a, b in combinations(nodes, 2):
            weights[(a, b)] += 1
    with path.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        fh.write('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
        fh.write('  <key id="country" for="node" attr.name="country" attr.type="string"/>\n')
        fh.write('  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>\n')
        fh.write('  <graph id="encounters" edgedefault="undirected">\n')
        for node in sorted({n for pair in weights for n in pair}):
            fh.write(
                f'    <node id="{escape(node, {chr(34): "&quot;"})}"><data key="country">'
                f"{escape(node_country.get(node, ''))}</data></node>\n"
            )
        for (a, b), w in sorted(weights.items()):
            q = {chr(34): "&quot;"}
            fh.write(
                f'    <edge source="{escape(a, q)}" target="{escape(b, q)}">'
                f'<data key="weight">{w}</data></edge>\n'
            )
        fh.write("  </graph>\n</graphml>\n")
    return path
