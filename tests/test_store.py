"""The corpus store on SQLite and PostgreSQL: ingest, idempotence, replacement, failures,
cross-report merge, queries and exports."""

from __future__ import annotations

import csv
import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from communique.exports import export
from communique.queries import listings as q
from communique.runners.ingest import ingest, reprocess
from communique.sources import Item, read_items
from communique.store import Store
from store_helpers import dump, fresh_url

ENGINES = ["sqlite", "postgresql"]
PAIRS = Path(__file__).parent / "fixtures" / "pairs"


@pytest.fixture(params=ENGINES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    s = Store(fresh_url(request.param, tmp_path))
    yield s
    s.close()


def test_ingest_is_idempotent(store: Store, examples: Path) -> None:
    first = ingest(store, read_items([str(examples)]))
    assert first.added == 10 and first.failed == 0
    before = dump(store)
    again = ingest(store, read_items([str(examples)]))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 10)
    assert dump(store) == before
    assert store.db.scalar("SELECT COUNT(*) FROM documents") == 10


def test_changed_content_replaces_its_extraction(store: Store) -> None:
    url = "https://www.state.gov/a-readout/"
    v1 = "Secretary Antony J. Blinken spoke today with Estonian Foreign Minister Urmas Reinsalu."
    v2 = "Secretary Antony J. Blinken met today with Latvian Foreign Minister Edgars Rinkevics."
    ingest(store, [Item(origin="a", raw=v1, url=url, published="2021-06-01")])
    s = ingest(store, [Item(origin="a", raw=v2, url=url, published="2021-06-01")])
    assert (s.added, s.updated) == (0, 1)
    assert store.db.scalar("SELECT COUNT(*) FROM documents") == 1
    countries = {r["countries"] for r in store.db.query("SELECT countries FROM canonical_events")}
    assert countries == {",LVA,USA,"}


def test_failures_are_recorded_and_the_run_goes_on(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "1", "text": "President Xi Jinping met President Emmanuel Macron of France in Paris.",'
        ' "date": "2024-05-06"}\nnot json\n{"id": "3", "text": "   "}\n',
        encoding="utf-8",
    )
    binary = tmp_path / "x.html"
    binary.write_bytes(b"\x00\x01")
    empty = tmp_path / "empty.txt"
    empty.write_text("Print\n", encoding="utf-8")  # nothing left after cleaning
    s = ingest(
        store, read_items([str(bad), str(binary), str(empty), str(tmp_path / "missing.txt")])
    )
    assert s.added == 1 and s.failed == 5
    rows = q.failures(store.db)
    assert {r["stage"] for r in rows} == {"read", "ingest"}
    assert any("missing.txt" in r["origin"] and "E001" in r["error"] for r in rows)
    assert any(r["origin"].endswith("#3") for r in rows)
    assert any(r["origin"].endswith("empty.txt") and "E003" in r["error"] for r in rows)
    raw = store.db.scalar("SELECT raw FROM failures WHERE origin LIKE ?", ("%empty.txt",))
    assert raw == "Print\n"  # the raw input is kept even though it could not be used


def _ingest_pairs(store: Store) -> dict[str, str]:
    manifest = yaml.safe_load((PAIRS / "manifest.yaml").read_text(encoding="utf-8"))
    entries = manifest if isinstance(manifest, list) else manifest.get("files", manifest)
    items = []
    labels = {}
    for m in entries:
        path = PAIRS / m["file"]
        fmt = "markdown" if path.suffix == ".md" else "text"
        items.append(
            Item(
                origin=m["file"],
                raw=path.read_text("utf-8"),
                fmt=fmt,
                url=m.get("url"),
                published=str(m["published"]),
            )
        )
        labels[m["file"]] = m["event"]
    s = ingest(store, items)
    assert s.failed == 0, s.failures
    return labels


def test_reports_of_one_encounter_become_one_canonical_event(store: Store) -> None:
    labels = _ingest_pairs(store)
    rows = store.db.query(
        "SELECT d.origin, e.canonical_id FROM events e JOIN documents d ON d.key = e.doc_key "
        "WHERE e.canonical_id IS NOT NULL AND e.timing = 'reported'"
    )
    by_file: dict[str, set[str]] = {}
    for r in rows:
        by_file.setdefault(r["origin"], set()).add(r["canonical_id"])
    main = {f: sorted(ids)[0] for f, ids in by_file.items() if len(ids) == 1}
    groups: dict[str, set[str]] = {}
    for f, label in labels.items():
        assert f in by_file, f"no encounter stored for {f}"
        groups.setdefault(label, set()).update(by_file[f])
    for label in ("a", "b", "c", "d"):
        files = [f for f, lab in labels.items() if lab == label]
        shared = set.intersection(*(by_file[f] for f in files))
        assert shared, f"reports of event {label} were not merged: {[by_file[f] for f in files]}"
    # distractors stay apart from the encounters they resemble
    assert not (groups["e"] & groups["a"])
    assert not (groups["f"] & groups["c"])
    merged = store.db.query("SELECT n_sources FROM canonical_events WHERE n_sources >= 2")
    assert len(merged) >= 4
    assert main  # at least one file reports exactly one encounter


def test_past_encounter_links_to_its_own_date(store: Store) -> None:
    ingest(
        store,
        [
            Item(
                origin="call",
                url="https://www.whitehouse.gov/a/",
                published="2024-04-02",
                raw="President Joe Biden spoke today with President Emmanuel Macron of France.",
            ),
            Item(
                origin="later",
                url="https://www.whitehouse.gov/b/",
                published="2024-05-20",
                raw="President Joe Biden met today with President Emmanuel Macron of France in "
                "Paris. The meeting follows their April 2 telephone call.",
            ),
        ],
    )
    linked = store.db.query(
        "SELECT d.origin, e.timing, c.date FROM events e JOIN documents d ON d.key = e.doc_key "
        "JOIN canonical_events c ON c.id = e.canonical_id WHERE e.kind = 'call'"
    )
    assert {(r["origin"], r["timing"], r["date"]) for r in linked} == {
        ("call", "reported", "2024-04-02"),
        ("later", "past", "2024-04-02"),
    }
    assert store.db.scalar("SELECT n_reports FROM canonical_events WHERE kind = 'call'") == 2


def test_one_call_reported_in_two_languages_is_one_canonical_event(store: Store) -> None:
    ingest(
        store,
        [
            Item(
                origin="beijing",
                url="https://tv.cctv.com/2024/04/02/a.shtml",
                published="2024-04-03",
                raw="央视网消息：4月2日晚，国家主席习近平应约同美国总统拜登通电话。",
            ),
            Item(
                origin="washington",
                url="https://www.whitehouse.gov/c/",
                published="2024-04-02",
                raw="President Joe Biden spoke today with President Xi Jinping of China.",
            ),
        ],
    )
    rows = store.db.query(
        "SELECT d.origin, d.language, c.n_sources, c.persons FROM events e "
        "JOIN documents d ON d.key = e.doc_key JOIN canonical_events c ON c.id = e.canonical_id "
        "WHERE e.kind = 'call'"
    )
    assert {(r["origin"], r["language"]) for r in rows} == {("beijing", "zh"), ("washington", "en")}
    assert {r["n_sources"] for r in rows} == {2}
    assert store.db.scalar("SELECT COUNT(*) FROM canonical_events WHERE kind_group = 'call'") == 1
    assert "Xi Jinping" in rows[0]["persons"] and "Joe Biden" in rows[0]["persons"]


def test_queries_filter_and_answer(store: Store, examples: Path) -> None:
    _ingest_pairs(store)
    ingest(store, read_items([str(examples)]))
    rows = q.events(store.db, q.Filters(country="CHN", with_="KAZ"))
    assert rows and all("CHN" in r["countries"] and "KAZ" in r["countries"] for r in rows)
    assert any(r["sources"] >= 2 for r in rows)
    calls = q.events(store.db, q.Filters(kind="call", since="2024-03-01", until="2024-03-31"))
    assert calls and all(r["date"].startswith("2024-03") for r in calls)
    people = q.actors(store.db, q.Filters(country="RUS"), "person")
    assert people[0]["name"] in ("Sergey Lavrov", "Vladimir Putin")
    rel = {r["counterpart"]: r for r in q.relations(store.db, "CHN", q.Filters()).counterparts}
    assert rel["KAZ"]["encounters"] >= 1 and "partnership" in rel["KAZ"]["relationship"]
    assert rel["KAZ"]["agreements"] >= 1
    hits = q.search(store.db, "visa exemption")
    found = q.search(store.db, "joint statement")
    assert found and "[" in found[0]["snippet"]
    assert hits == [] or hits[0]["title"]
    names = {
        r["name"] for r in store.db.query("SELECT name FROM participants WHERE kind = 'person'")
    }
    assert {"Kassym-Jomart Tokayev", "Xi Jinping", "Sergey Lavrov", "Hakan Fidan"} <= names
    statements = q.events(store.db, q.Filters(stance="support"))
    assert all(r["stance"] == "support" for r in statements)


def test_exports_are_readable(store: Store, examples: Path, tmp_path: Path) -> None:
    _ingest_pairs(store)
    ingest(store, read_items([str(examples)]))
    out = tmp_path / "out"
    readouts = export(store.db, "jsonl", out)[0]
    lines = readouts.read_text(encoding="utf-8").splitlines()
    assert len(lines) == store.db.scalar("SELECT COUNT(*) FROM documents")
    assert json.loads(lines[0])["schema"] == "communique/readout@1"
    for path in export(store.db, "csv", out):
        with path.open(encoding="utf-8") as fh:
            assert next(csv.reader(fh))
    import pyarrow.parquet as pq

    tables = {p.stem: pq.read_table(p) for p in export(store.db, "parquet", out)}
    assert tables["events"].num_rows == store.db.scalar("SELECT COUNT(*) FROM events")
    plover = [json.loads(x) for x in export(store.db, "plover", out)[0].read_text().splitlines()]
    assert plover and {"event", "source", "target", "date", "url"} <= set(plover[0])
    plover_2021 = {
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
        "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    }  # fmt: skip
    assert all(p["event"] in plover_2021 for p in plover)
    # statements carry their parties' sectors as PETRARCH/Phoenix users read them
    statements = [p for p in plover if p["cameo"] and not p["cameo"].startswith("04")]
    assert statements
    assert any(a["sector"] == "GOV" for p in statements for a in p["source"])
    with export(store.db, "cameo", out)[0].open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert rows and rows[0]["root_code"] and rows[0]["quad_class"] in ("1", "2", "3", "4")
    codes = {r["source_code"] for r in rows if r["kind"] == "statement"}
    assert codes and all(
        re.fullmatch(r"[A-Z]{2,6}(GOV|MIL|COP|JUD|OPP|LEG|MED|IGO)?", c) for c in codes
    )
    assert any(c.endswith("GOV") for c in codes)
    graph = ET.parse(export(store.db, "graphml", out)[0])
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    edges = graph.getroot().findall(".//g:edge", ns)
    assert any(e.get("source") == "CHN" and e.get("target") == "KAZ" for e in edges)


def test_reprocess_gives_the_same_store(store: Store, examples: Path) -> None:
    ingest(store, read_items([str(examples)]))
    before = dump(store)
    s = reprocess(store, everything=True)
    assert s.seen == 10 and s.failed == 0
    assert dump(store) == before


def test_gzip_jsonl_corpus_with_field_mapping(store: Store, tmp_path: Path) -> None:
    from communique.documents.corpus import FieldMap

    path = tmp_path / "c.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(
            json.dumps(
                {
                    "link": "https://www.state.gov/x/",
                    "body_html": "<p>Secretary Antony J. Blinken spoke today with Indian External "
                    "Affairs Minister Subrahmanyam Jaishankar.</p>",
                    "when": "Tue, 25 Jan 2022 02:10:00 +0000",
                    "headline": "Call",
                }
            )
            + "\n"
        )
    s = ingest(
        store,
        read_items(
            [str(path)], FieldMap(text="body_html", date="when", title="headline", url="link")
        ),
    )
    assert s.added == 1
    row = store.db.query("SELECT date, countries FROM events WHERE kind = 'call'")[0]
    assert row == {"date": "2022-01-24", "countries": ",IND,USA,"}
