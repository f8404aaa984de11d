"""Summaries add up: every breakdown shown with a total sums to it, undated encounters are a part
of their own, and the overview's publishers add up to its documents. Checked for every state and
organisation in a store, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.queries import dashboard
from communique.queries.codes import code_kind
from communique.queries.filters import Filters
from communique.queries.listings import events_query, relations
from communique.store.db import Database
from communique.tables import codes_of
from store_helpers import fresh_url
from test_api import fill

ALL = Filters(limit=10_000)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, examples: Path) -> Database:
    url = fresh_url(request.param, tmp_path)
    fill(url, examples)
    database = Database(url)
    request.addfinalizer(database.close)
    return database


def test_relations_add_up_for_every_state_and_organisation(db: Database) -> None:
    encounters = db.query("SELECT date, countries FROM canonical_events")
    codes = sorted({c for e in encounters for c in codes_of(e["countries"])})
    assert {"SCO", "UN", "NATO", "CHN"} <= set(codes)
    assert any(e["date"] is None for e in encounters), "the store needs undated encounters"
    for code in codes:
        rel = relations(db, code, ALL)
        mine = [e for e in encounters if code in codes_of(e["countries"])]
        assert rel.encounters == len(mine), code
        assert rel.undated == sum(1 for e in mine if e["date"] is None), code
        for row in rel.rows():
            who = f"{code} / {row['counterpart']}"
            assert row["encounters"] == sum(row["by_kind"].values()), who
            assert row["encounters"] == sum(row["by_year"].values()) + row["undated"], who
            assert row["last"] is not None, who
            latest = max(row["by_year"], default=None)
            assert (row["last"]["date"] or "")[:4] == (latest or ""), who
            assert (row["counterpart_kind"] == "organization") == (
                code_kind(row["counterpart"]) == "organization"
            ), who
        assert all(r["counterpart_kind"] == "state" for r in rel.counterparts)
        with_each = sum(r["encounters"] for r in rel.rows())
        pairs = sum(len(set(codes_of(e["countries"])) - {code}) for e in mine)
        assert with_each == pairs, code


def test_pages_add_up(db: Database) -> None:
    codes = {
        c
        for r in db.query("SELECT countries FROM canonical_events")
        for c in codes_of(r["countries"])
    }
    for code in sorted(codes):
        if code_kind(code) == "organization":
            org = dashboard.organization_page(db, code, ALL)
            assert org["encounters"] == len(org["events"])
            assert org["undated"] == sum(1 for e in org["events"] if not e["date"])
            assert sum(s["encounters"] for s in org["states"]) == sum(
                len(e["countries"]) for e in org["events"]
            )
            continue
        page = dashboard.country_page(db, code, ALL)
        world = dashboard.map_counts(db, code, ALL)
        assert sum(c["encounters"] for c in page["counterparts"]) == len(page["timeline"])
        assert sum(world["counts"].values()) == len(page["timeline"]), code
        assert world["encounters"] == page["encounters"]
        assert {o["organization"]: o["encounters"] for o in page["organizations"]} == world[
            "organizations"
        ]
        rel = relations(db, code, ALL)
        assert page["encounters"] == rel.encounters and page["undated"] == rel.undated
        assert {c["country"]: c["encounters"] for c in page["counterparts"]} == {
            r["counterpart"]: r["encounters"] for r in rel.counterparts
        }


def test_the_overview_adds_up(db: Database) -> None:
    view = dashboard.overview(db)
    counts = view["counts"]
    assert sum(p["documents"] for p in view["publishers"]) == counts["documents"]
    listing = events_query(ALL)
    every = listing.rows(db, ALL)
    assert listing.total(db) == len(every) == counts["encounters"]
    assert counts["undated"] == sum(1 for e in every if e["date"] is None) > 0


def test_many_publishers_add_up_with_the_rest_in_one_row(tmp_path: Path) -> None:
    from communique.runners.ingest import ingest
    from communique.sources import Item
    from communique.store import Store

    store = Store(str(tmp_path / "p.db"))
    text = "Secretary Antony Blinken met with Indian Foreign Minister Subrahmanyam Jaishankar."
    items = [
        Item(origin=f"p{i}", raw=f"{text} ({i})", url=f"https://site{i}.example.org/a")
        for i in range(15)
    ]
    ingest(store, items)
    view = dashboard.overview(store.db)
    assert len(view["publishers"]) == dashboard.TOP + 1
    assert view["publishers"][-1]["publisher"] == "(3 other publishers)"
    assert sum(p["documents"] for p in view["publishers"]) == view["counts"]["documents"] == 15
    assert view["publishers"][0]["publisher"].endswith(".example.org"), "named by their host"
    store.close()


def test_codes_tell_states_from_organisations() -> None:
    from communique.queries.codes import code_name, split_codes

    assert split_codes(["CHN", "SCO", "KAZ", "UN"]) == (["CHN", "KAZ"], ["SCO", "UN"])
    assert code_kind("ASEAN") == "organization" and code_kind("DEU") == "state"
    assert code_kind("XYZ") is None
    assert code_name("SCO") == "Shanghai Cooperation Organisation"
    assert code_name("UN") == "United Nations", "the organisation, not one of its bodies"
    # data/organizations.yaml gives NAM (Non-Aligned Movement) and BFA (Boao Forum for Asia)
    # the ISO3 codes of Namibia and Burkina Faso: ISO3 wins, as Readout JSON promises
    assert code_kind("NAM") == "state" and code_kind("BFA") == "state"
