"""The Readout JSON Schema: generated from the model, printed by ``communique schema``, kept in
docs/readout.schema.json, and matching what the extractor writes (conftest.py also validates
every extraction of the session against it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema

import communique
import communique.extractor
from communique.model import Readout
from communique.readout_schema import readout_schema, schema_json

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "readout.schema.json"


def test_the_docs_file_is_the_generated_schema() -> None:
    assert DOCS.read_text(encoding="utf-8") == schema_json(), (
        "docs/readout.schema.json is out of date: run communique schema --out "
        "docs/readout.schema.json"
    )


def test_communique_schema_prints_it(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "communique", "schema"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert json.loads(out) == readout_schema()
    target = tmp_path / "s.json"
    subprocess.run(
        [sys.executable, "-m", "communique", "schema", "--out", str(target)], check=True, cwd=ROOT
    )
    assert target.read_text(encoding="utf-8") == out


def test_it_is_a_valid_2020_12_schema_of_every_key_the_model_writes(examples: Path) -> None:
    schema = readout_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    r = communique.extract(communique.documents.read_document(examples / "chn-mfa-talks.txt"))
    data = r.to_dict()
    assert set(schema["properties"]) == set(data) == set(schema["required"])
    defs = schema["$defs"]
    for name, value in (
        ("Document", data["document"]),
        ("Actor", data["actors"][0]),
        ("Event", data["events"][0]),
        ("Agreement", data["agreements"][0]),
        ("Relationship", data["relationships"][0]),
        ("Initiative", data["initiatives"][0]),
        ("Location", data["events"][0]["location"]),
    ):
        assert set(defs[name]["properties"]) == set(value), name
    assert defs["Event"]["properties"]["kind"]["enum"][0] == "talks"


def _invalid(data: dict[str, Any]) -> bool:
    return not jsonschema.Draft202012Validator(readout_schema(strict=True)).is_valid(data)


def test_it_rejects_what_breaks_the_contract(examples: Path) -> None:
    good = communique.extract(
        communique.documents.read_document(examples / "chn-mfa-talks.txt")
    ).to_dict()
    assert not _invalid(good)
    for change in (
        lambda d: d.update(schema="communique/readout@2"),
        lambda d: d["events"][0].update(kind="dinner"),
        lambda d: d["events"][0].update(actors="p1 p2"),
        lambda d: d["actors"][0].update(mentions=[[1, 2, 3]]),
        lambda d: d["events"][0]["evidence"][0].update(start=-1),
        lambda d: d["document"].pop("text"),
        lambda d: d["events"][0].update(invented_field=1),
    ):
        bad = json.loads(json.dumps(good))
        change(bad)
        assert _invalid(bad)
    assert not jsonschema.Draft202012Validator(readout_schema()).validate(
        {**good, "added_in_a_later_1_x": True}
    ), "the published schema lets fields be added within version 1"


def test_the_inline_form_has_no_references() -> None:
    text = json.dumps(readout_schema(inline=True))
    assert "$ref" not in text and "$defs" not in text


def test_the_session_validates_every_extraction() -> None:
    """conftest.py wraps the extractor: this process's extract_document checks its output."""
    assert communique.extractor.extract_document.__name__ == "extract_document"
    assert communique.extractor.extract_document.__module__ == "conftest"
    r = communique.extract("Xi Jinping met Emmanuel Macron in Paris.")
    assert isinstance(r, Readout)


def test_cli_output_validates(examples: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "communique", "extract", "-f", "jsonl", str(examples)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    validator = jsonschema.Draft202012Validator(readout_schema(strict=True))
    lines = out.splitlines()
    assert len(lines) >= 10
    for line in lines:
        validator.validate(json.loads(line))
