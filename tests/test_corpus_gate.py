"""The corpus gate: extraction quality on the gold annotations may not fall below its floors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from communique.documents.corpus import FieldMap
from communique.evaluate import check_floors, evaluate, load_floors
from communique.evaluate.gold import CONFIG_FILES, gold_sets
from communique.evaluate.plover import check_plover_floors, evaluate_plover
from communique.evaluate.titles import evaluate_titles, title_floor_problems

GOLD = Path(__file__).resolve().parent / "gold"


def test_gold_covers_all_four_sources_and_sixty_documents() -> None:
    files = [p for p in GOLD.rglob("*.yaml") if p.name not in CONFIG_FILES]
    sources = {p.parent.name for p in files}
    assert {"seed", "state-department", "russia-mfa", "plover-gsr"} <= sources
    assert len(files) >= 61


SETS = gold_sets(GOLD)  # English at the top; each language's readouts in a folder of their own


@pytest.mark.parametrize("folder", SETS, ids=[p.relative_to(GOLD).as_posix() or "." for p in SETS])
def test_extraction_meets_every_pinned_floor(corpus: Path, folder: Path) -> None:
    report = evaluate(folder, corpus=corpus)
    assert not report.failures
    problems = check_floors(report, load_floors(folder / "floors.yaml"))
    assert problems == []


def test_every_language_has_thirty_gold_readouts() -> None:
    for folder in SETS[1:]:
        readouts = [
            p
            for p in folder.rglob("*.yaml")
            if p.name not in CONFIG_FILES and "is_readout: true" in p.read_text(encoding="utf-8")
        ]
        assert len(readouts) >= 30, folder


def test_event_coding_meets_its_floors_on_the_plover_gold_standard(corpus: Path) -> None:
    """Sentence-level event coding on PLOVER's gold-standard records (the diplomatic subset and
    all types): floors that only rise, ceilings on events per sentence."""
    report = evaluate_plover(corpus / "plover-gsr" / "PLOVER_GSR_CAMEO.txt")
    assert report.all.records == 322 and not report.failures
    assert check_plover_floors(report, load_floors(GOLD / "plover-floors.yaml")) == []


TITLED = yaml.safe_load((GOLD / "titles.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(TITLED))
def test_body_extraction_agrees_with_titles_above_pinned_floors(corpus: Path, name: str) -> None:
    spec = TITLED[name]
    report = evaluate_titles(
        corpus / name, FieldMap(**spec["fieldmap"]), title_line=bool(spec.get("title_line"))
    )
    assert report.labelled >= 40
    assert title_floor_problems(report, spec["floors"]) == []
