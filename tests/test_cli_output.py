"""What people see on a terminal: tables that fit 80 columns with short ids and unbroken names,
undated encounters shown as undated, relations that add up with organisations apart, CSV that
joins lists and JSON that keeps them, publishers named, titles that are titles."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from communique.store.db import Database
from communique.tables import names_of
from test_api import fill

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, columns: int = 80, db: str | None = None) -> str:
    env = dict(os.environ, COLUMNS=str(columns), TERM="dumb")
    if db:
        env["COMMUNIQUE_DB"] = db
    res = subprocess.run(
        [sys.executable, "-m", "communique", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    return res.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "cli.db")
    fill(path, examples)
    return path


def people(db: str) -> set[str]:
    store = Database(db)
    rows = store.query("SELECT persons FROM canonical_events")
    store.close()
    return {n for r in rows for n in names_of(r["persons"])}


@pytest.mark.parametrize("columns", [80, 120])
def test_the_events_table_fits_and_never_breaks_a_name_or_an_id(db: str, columns: int) -> None:
    out = run("events", "--limit", "100", columns=columns, db=db)
    lines = out.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= columns
    for name in people(db):
        if len(name) <= 28:
            assert any(name in line for line in lines), f"{name!r} is broken or missing"
    ids = json.loads(run("events", "-f", "json", "--limit", "100", db=db))
    for e in ids:
        assert e["id"][:8] in out and e["id"] not in out
    assert "undated" in out
    header = next(line for line in lines if line.startswith("id "))
    assert "states" in header and "orgs" in header and "url" not in header


def test_csv_joins_lists_and_json_keeps_them(db: str) -> None:
    rows = list(csv.DictReader(io.StringIO(run("events", "-f", "csv", db=db))))
    kaz = next(r for r in rows if r["countries"] == "CHN KAZ")
    assert "Xi Jinping" in kaz["persons"].split("; ")
    sco = next(r for r in rows if r["organizations"] == "SCO")
    assert sco["countries"] == "CHN"
    data = json.loads(run("events", "-f", "json", "--organization", "SCO", db=db))
    assert data and data[0]["organizations"] == ["SCO"] and data[0]["countries"] == ["CHN"]
    assert {p["name"] for p in data[0]["persons"]} == {"Xi Jinping", "Zhang Ming"}


def test_relations_add_up_and_show_organisations_apart(db: str) -> None:
    out = run("relations", "CHN", db=db)
    states, _, orgs = out.partition("China (CHN): organisations")
    assert "China (CHN):" in states and "undated" in states
    assert "SCO" not in states and "SCO" in orgs and "UN" in orgs
    deu = next(line for line in states.splitlines() if line.startswith("DEU"))
    assert "undated:1" in deu, "an undated encounter is counted as such"
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80
    data = json.loads(run("relations", "CHN", "-f", "json", db=db))
    assert data["code"] == "CHN" and data["kind"] == "state"
    for row in data["counterparts"] + data["organizations"]:
        assert row["encounters"] == sum(row["by_year"].values()) + row["undated"]
    table = list(csv.DictReader(io.StringIO(run("relations", "CHN", "-f", "csv", db=db))))
    assert {r["counterpart_kind"] for r in table} == {"state", "organization"}
    assert "last_date" in table[0] and "by_kind" in table[0]


def test_extract_table_fits_80_columns_and_names_the_publisher(examples: Path) -> None:
    out = run("extract", str(examples / "chn-mfa-talks.txt"))
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Kassym-Jomart Tokayev (KAZ)" in out
    assert "source: unknown publisher (CHN)" in out and "?" not in out.splitlines()[1]
    hosted = run(
        "extract",
        "--url",
        "https://www.example.org/news/1",
        str(examples / "russia-mfa-call.txt"),
    )
    assert "source: example.org" in hosted


def test_a_by_line_is_not_a_title(examples: Path) -> None:
    data = json.loads(run("extract", "-f", "json", str(examples / "negative-press-statement.txt")))
    assert data["document"]["title"] == "DPRK Ballistic Missile Launch"


def test_other_tables_fit_80_columns(db: str) -> None:
    for args in (
        ("actors", "--limit", "30"),
        ("actors", "--kind", "organization"),
        ("events", "--kind", "statement"),
        ("search", "joint statement"),
        ("relations", "SCO"),
    ):
        out = run(*args, db=db)
        assert max(len(line.rstrip()) for line in out.splitlines()) <= 80, args
    orgs = json.loads(run("actors", "--kind", "organization", "-f", "json", db=db))
    assert orgs and all(a["country"] is None and a["organization"] for a in orgs)
