"""Readout styles of offices outside the development corpus (tests/fixtures/styles.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import communique
from communique.evaluate.scorer import name_tokens

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "styles.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_main_encounter(case: dict[str, Any]) -> None:
    r = communique.extract(case["text"], url=case.get("url"), published=case["published"])
    want = case["expect"]
    e = r.main_event
    assert e is not None, "no main encounter"
    assert e.kind == want["kind"]
    ids = e.actors + e.recipients
    assert set(r.countries_of(ids)) == set(want["countries"])
    names = [r.actor(i).name for i in ids if r.actor(i).kind == "person"]
    for person in want["people"]:
        assert any(name_tokens(person) & name_tokens(n) for n in names), (person, names)
    assert e.date == want["date"]
    if "place" in want:
        assert e.location is not None and e.location.name == want["place"]
