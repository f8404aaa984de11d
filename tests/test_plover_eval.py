"""Event coding scored on PLOVER's gold-standard records (communique.evaluate.plover)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from communique.evaluate.plover import (
    DIPLOMATIC,
    CodedActor,
    CodedEvent,
    GsrRecord,
    check_plover_floors,
    evaluate_plover,
    parse_lenient_json,
    read_gsr,
    to_2021,
)

ROOT = Path(__file__).resolve().parent.parent
GSR = "plover-gsr/PLOVER_GSR_CAMEO.txt"

# three records in the GSR's own format (trailing commas included), written for these tests
SAMPLE = """[
{"id": "DOC-0001", "event": "DOCUMENT", "eventText": "describes the file",},
{
    "id": "T-DEMAND-0001", "date": "2000-01-01",
    "source": [{"actorText": "Ruritania", "code": "USA", "sector": "GOV"},],
    "target": [{"actorText": "Freedonia", "code": "RUS"}],
    "event": "DEMAND", "eventText": "demanded",
    "text": "The United States demanded that Russia withdraw its troops.",
},
{
    "id": "T-CONSULT-0001", "date": "2000-01-01",
    "source": [{"actorText": "France", "code": "FRA"}, {"actorText": "Japan", "code": "JAP"}],
    "target": "",
    "event": "CONSULT", "eventText": "met",
    "text": "The French and Japanese foreign ministers met in Paris.",
},
{
    "id": "T-DISAPPROVE-0001", "date": "2000-01-01",
    "source": [{"actorText": "the United Nations", "code": "IGO"}],
    "target": [{"actorText": "Iraq", "code": "IRQ", "sector": "***"}],
    "event": "DISAPPROVE", "eventText": "condemned",
    "text": "The United Nations condemned Iraq.",
},
{
    "id": "T-PROTEST-0001", "date": "2000-01-01", "source": [{"actorText": "x", "code": "FRA"}],
    "event": "PROTEST", "eventText": "rained", "text": "It rained in Paris on Tuesday.",
},
]
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "gsr.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def perfect(record: GsrRecord) -> list[CodedEvent]:
    """What a coder that gets everything right returns."""

    def side(actors: tuple) -> tuple[CodedActor, ...]:  # type: ignore[type-arg]
        return tuple(CodedActor(a.country or a.code, a.sector) for a in actors)

    return [CodedEvent(to_2021(record.event), None, None, side(record.source), side(record.target))]


def empty(record: GsrRecord) -> list[CodedEvent]:
    return []


def test_the_lenient_reader_takes_trailing_commas_but_not_inside_strings() -> None:
    assert parse_lenient_json('[{"a": "x, ]", "b": [1, 2,],},]') == [{"a": "x, ]", "b": [1, 2]}]


def test_read_gsr_reads_every_record(corpus: Path) -> None:
    records = read_gsr(corpus / GSR)
    assert len(records) == 322
    types = Counter(r.event for r in records)
    assert types["DEMAND"] == 34 and types["DISAPPROVE"] == 16 and types["FIGHT"] == 17
    assert sum(types[t] for t in DIPLOMATIC) == 175
    first = records[0]
    assert first.id == "PLOVER-GSR01-AGREE-0001" and first.event_2021 == "AGREE"
    assert {a.country for a in first.source} == {"HUN", "ROU"} and first.target == ()
    assert all(r.text and r.date for r in records)


def test_sample_records_and_their_actors(sample: Path) -> None:
    demand, consult, disapprove, protest = read_gsr(sample)
    assert protest.target == ()
    assert demand.event_2021 == "REQUEST"
    assert demand.source[0].sector == "GOV" and demand.target[0].sector is None
    assert [a.country for a in consult.source] == ["FRA", "JPN"]  # CAMEO's JAP is ISO's JPN
    assert consult.target == ()
    assert disapprove.source[0].country is None and disapprove.source[0].code == "IGO"
    assert disapprove.target[0].sector is None  # "***": none


def test_a_perfect_coder_gets_full_marks(corpus: Path) -> None:
    records = read_gsr(corpus / GSR)[::20]
    report = evaluate_plover("", perfect, records=records)
    for row in (report.all, report.diplomatic, *report.types.values()):
        if not row.records:
            continue
        assert row.recall == 1.0, row.name
        assert row.precision == 1.0, row.name
        assert row.source_accuracy in (1.0, None), row.name
        assert row.target_accuracy in (1.0, None), row.name
        assert row.per_sentence == 1.0, row.name
    assert report.all.records == len(records)


def test_an_empty_coder_gets_nothing(sample: Path) -> None:
    report = evaluate_plover(sample, empty)
    assert report.all.records == 4 and report.diplomatic.records == 3
    assert report.all.recall == 0.0 and report.diplomatic.recall == 0.0
    assert report.all.precision is None and report.all.per_sentence == 0.0
    assert report.all.source_accuracy is None


def test_2016_and_2021_names_are_both_accepted(sample: Path) -> None:
    def coder(record: GsrRecord) -> list[CodedEvent]:
        if record.event == "DEMAND":
            return [CodedEvent("REQUEST", source=(CodedActor("USA", "GOV"),))]  # 2021 name
        if record.event == "DISAPPROVE":
            return [
                CodedEvent("DISAPPROVE", cameo="111", source=(CodedActor("UN"),)),  # 2016 name
                CodedEvent("ACCUSE", "investigate", "090", (CodedActor("UN"),)),  # 2021 name
            ]
        if record.event == "CONSULT":
            return [CodedEvent("ACCUSE", "investigate", source=(CodedActor("FRA"),))]  # wrong
        return [CodedEvent("AGREE", source=(CodedActor("FRA"),))]  # wrong

    report = evaluate_plover(sample, coder)
    assert report.types["DEMAND"].recall == 1.0 and report.types["DEMAND"].precision == 1.0
    assert report.types["DEMAND"].sector_accuracy == 1.0
    # both ACCUSE events are right on a DISAPPROVE record; a wrong one with mode investigate
    # counts against INVESTIGATE, the GSR's type for it
    assert report.types["DISAPPROVE"].coded == 2 and report.types["DISAPPROVE"].precision == 1.0
    assert report.types["INVESTIGATE"].coded == 1 and report.types["INVESTIGATE"].precision == 0.0
    assert report.types["DISAPPROVE"].source_accuracy == 1.0  # an organisation for IGO
    assert report.types["DISAPPROVE"].target_accuracy == 0.0  # no target coded
    assert report.types["CONSULT"].recall == 0.0 and report.types["AGREE"].precision == 0.0
    assert report.all.coded == 5 and report.all.correct == 3
    assert report.diplomatic.coded == 4 and report.diplomatic.precision == 0.75  # AGREE: wrong
    assert report.diplomatic.per_sentence == pytest.approx(4 / 3)
    assert report.types["DISAPPROVE"].per_sentence == 2.0


def test_floors_and_ceilings(sample: Path) -> None:
    report = evaluate_plover(sample, perfect)
    assert (
        check_plover_floors(report, {"diplomatic.recall": 0.8, "all.events_per_sentence": 1}) == []
    )
    problems = check_plover_floors(
        evaluate_plover(sample, empty), {"diplomatic.recall": 0.8, "nope.recall": 1}
    )
    assert problems == [
        "diplomatic.recall 0.000 below its floor 0.800",
        "unknown floor 'nope.recall'",
    ]


def test_a_failing_coder_is_a_miss_not_a_crash(sample: Path) -> None:
    def broken(record: GsrRecord) -> list[CodedEvent]:
        raise ValueError("boom")

    report = evaluate_plover(sample, broken)
    assert report.all.recall == 0.0
    assert [r.error for r in report.failures] == ["ValueError: boom"] * 4


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "communique", "evaluate", *args],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip


def test_the_command_prints_the_table_details_and_json(sample: Path, tmp_path: Path) -> None:
    res = _cli("--plover", str(sample), "--details")
    assert res.returncode == 0, res.stderr
    assert "DEMAND=REQUEST *" in res.stdout and "diplomatic" in res.stdout
    assert "T-PROTEST-0001 PROTEST FRA -> -: missed" in res.stdout
    assert "It rained in Paris" in res.stdout
    res = _cli("--plover", str(sample), "--format", "json")
    data = json.loads(res.stdout)
    assert data["records"] == 4 and set(data["types"]) >= {"DEMAND", "CONSULT", "DISAPPROVE"}
    floors = tmp_path / "floors.yaml"
    floors.write_text("all.recall: 1.01\n")
    res = _cli("--plover", str(sample), "--floors", str(floors))
    assert res.returncode == 1 and "below its floor" in res.stderr
    assert _cli().returncode == 2  # neither a gold folder nor --plover


def test_the_extractor_on_the_gsr(corpus: Path) -> None:
    """Today's figures, as a floor that can only rise (the extractor codes a few stances)."""
    report = evaluate_plover(corpus / GSR)
    assert report.all.records == 322 and not report.failures
    assert report.diplomatic.recall >= 0.25 and report.all.recall >= 0.15
