"""communique.open(db): a read-only handle with the CLI's listings and filters, each giving
records that round-trip through pandas and Arrow (and Parquet)."""

from __future__ import annotations

import builtins
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import communique
from communique.analysis import SCHEMAS, Records
from communique.errors import MissingExtra, StoreNotReadable
from communique.model import Readout
from store_helpers import fresh_url
from test_api import fill


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> str:
    path = str(tmp_path_factory.mktemp("analysis") / "a.db")
    fill(path, examples)
    return path


@pytest.fixture
def store(db: str) -> Any:
    with communique.open(db) as handle:
        yield handle


def test_listings_take_the_cli_filters(store: Any) -> None:
    every = store.events()
    assert isinstance(every, Records) and len(every) > 10
    china = store.events(country="CHN", since="2024-01-01")
    assert china and all("CHN" in e["countries"] and e["date"] >= "2024-01-01" for e in china)
    assert [e["id"] for e in store.events(country="CHN", with_="KAZ")] == [
        e["id"] for e in store.events(country="CHN", **{"with": "KAZ"})
    ]
    assert store.events(organization="SCO")[0]["organizations"] == ["SCO"]
    assert len(store.events(limit=3)) == 3
    assert store.events(limit=3, offset=3)[0]["id"] == every[3]["id"]
    assert store.events(stance="condemn").kind == "statements"
    assert {a["kind"] for a in store.actors("person")} == {"person"}
    assert store.agreements(country="KAZ")
    assert store.documents(publisher="CHN")
    assert store.search("joint statement")
    rel = store.relations("CHN")
    assert rel.meta["code"] == "CHN" and rel.meta["encounters"] >= len(rel) > 0
    with pytest.raises(TypeError, match="unknown filter cuntry"):
        store.events(cuntry="CHN")


def nones(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows with pandas' missing values (NaN in text columns) as None."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def test_records_round_trip_through_pandas(store: Any) -> None:
    records = store.events()
    frame = records.to_pandas()
    assert list(frame.columns) == SCHEMAS["events"].names and len(frame) == len(records)
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert frame["date"].isna().sum() == sum(1 for r in records if r["date"] is None) > 0
    back = frame.assign(
        date=frame["date"].map(lambda d: None if pd.isna(d) else d.date().isoformat())
    )
    assert nones(back) == list(records)
    monthly = frame.dropna(subset=["date"]).set_index("date").resample("MS").size()
    assert monthly.sum() == len(records) - frame["date"].isna().sum()
    assert nones(records.to_pandas(dates=False)) == list(records)


@pytest.mark.parametrize("listing", ["events", "statements", "actors", "agreements", "documents"])
def test_records_round_trip_through_arrow_and_parquet(
    store: Any, listing: str, tmp_path: Path
) -> None:
    records = getattr(store, listing)()
    table = records.to_arrow()
    assert table.schema == SCHEMAS[records.kind] and table.num_rows == len(records)
    assert table.to_pylist() == list(records)
    pq.write_table(table, tmp_path / "t.parquet")
    assert pq.read_table(tmp_path / "t.parquet").to_pylist() == list(records)


def test_relations_and_search_to_arrow(store: Any) -> None:
    rel = store.relations("CHN").to_arrow()
    assert rel.schema.field("by_year").type == pa.map_(pa.string(), pa.int64())
    assert "SCO" in rel.column("counterpart").to_pylist()
    assert store.search("talks").to_arrow().num_rows > 0
    empty = store.events(country="ATA")
    assert len(empty) == 0 and empty.to_arrow().schema == SCHEMAS["events"]
    assert list(empty.to_pandas().columns) == SCHEMAS["events"].names


def test_a_stored_readout_comes_back(store: Any) -> None:
    doc = store.documents(country="KAZ", limit=1)[0]
    r = store.readout(doc["id"])
    assert isinstance(r, Readout) and r.document.id == doc["id"] and r.events
    assert "<mark" in r._repr_html_()
    with pytest.raises(KeyError):
        store.readout("nope")


def test_the_handle_never_writes(db: str, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    before = copy.read_bytes()
    with communique.open(str(copy)) as handle:
        handle.events()
        with pytest.raises(Exception, match=r"readonly|read-only|query_only|attempt to write"):
            handle.db.execute("DELETE FROM documents")
    assert copy.read_bytes() == before


def test_the_handle_never_writes_postgresql(tmp_path: Path, examples: Path) -> None:
    url = fresh_url("postgresql", tmp_path)
    fill(url, examples)
    with communique.open(url) as handle:
        assert handle.events(country="CHN")
        with pytest.raises(Exception, match="read-only"):
            handle.db.execute("DELETE FROM documents")


def test_what_it_cannot_read_is_named(tmp_path: Path) -> None:
    with pytest.raises(StoreNotReadable, match="E502 no store at"):
        communique.open(str(tmp_path / "missing.db"))
    assert not (tmp_path / "missing.db").exists(), "opening never creates a store"
    other = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(StoreNotReadable, match="not a communique store"):
        communique.open(str(other))


def test_pandas_is_an_optional_extra(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_pandas(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    records = store.events(limit=2)
    with pytest.raises(MissingExtra, match=r"E501 .*communique\[pandas\]"):
        records.to_pandas()
    assert records.to_arrow().num_rows == 2, "Arrow needs nothing more"


def test_docs_analysis_runs_from_a_store_to_a_plot(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every Python block of docs/analysis.md, in order, against a store of the examples."""
    doc = (Path(__file__).resolve().parent.parent / "docs" / "analysis.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    assert len(blocks) >= 5
    shutil.copy(db, tmp_path / "communique.db")
    monkeypatch.chdir(tmp_path)
    scope: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, "docs/analysis.md", "exec"), scope)
    plot = tmp_path / "china-per-month.png"
    assert plot.stat().st_size > 5000
    assert scope["per_month"].to_numpy().sum() == len(scope["dated"]) > 0
    shots = Path(__file__).resolve().parent.parent / "artifacts"
    shots.mkdir(exist_ok=True)
    shutil.copy(plot, shots / "analysis-china-per-month.png")
