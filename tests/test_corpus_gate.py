"""The corpus gate: extraction quality on the gold annotations may not fall below its floors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from communique.documents.corpus import FieldMap
from communique.evaluate import check_floors, evaluate, load_floors
from communique.evaluate.gold import CONFIG_FILES
from communique.evaluate.titles import evaluate_titles, title_floor_problems

GOLD = Path(__file__).resolve().parent / "gold"


def test_gold_covers_all_four_sources_and_sixty_documents() -> None:
    files = [p for p in GOLD.rglob("*.yaml") if p.name not in CONFIG_FILES]
    sources = {p.parent.name for p in files}
    assert {"seed", "state-department", "russia-mfa", "plover-gsr"} <= sources
    assert len(files) >= 61


def test_extraction_meets_every_pinned_floor(corpus: Path) -> None:
    report = evaluate(GOLD, corpus=corpus)
    assert not report.failures
    problems = check_floors(report, load_floors(GOLD / "floors.yaml"))
    assert problems == []


TITLED = yaml.safe_load((GOLD / "titles.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(TITLED))
def test_body_extraction_agrees_with_titles_above_pinned_floors(corpus: Path, name: str) -> None:
    spec = TITLED[name]
    report = evaluate_titles(
        corpus / name, FieldMap(**spec["fieldmap"]), title_line=bool(spec.get("title_line"))
    )
    assert report.labelled >= 40
    assert title_floor_problems(report, spec["floors"]) == []
