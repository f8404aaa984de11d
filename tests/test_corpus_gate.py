"""The corpus gate: extraction quality on the gold annotations may not fall below its floors."""

from __future__ import annotations

from pathlib import Path

from communique.evaluate import check_floors, evaluate, load_floors

GOLD = Path(__file__).resolve().parent / "gold"


def test_gold_covers_all_four_sources_and_sixty_documents() -> None:
    files = [p for p in GOLD.rglob("*.yaml") if p.name not in ("corpora.yaml", "floors.yaml")]
    sources = {p.parent.name for p in files}
    assert {"seed", "state-department", "russia-mfa", "plover-gsr"} <= sources
    assert len(files) >= 61


def test_extraction_meets_every_pinned_floor(corpus: Path) -> None:
    report = evaluate(GOLD, corpus=corpus)
    assert not report.failures
    problems = check_floors(report, load_floors(GOLD / "floors.yaml"))
    assert problems == []
