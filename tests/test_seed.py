"""The seed readout (../shared/corpus/seed): every fact the project was created to extract."""

from __future__ import annotations

from pathlib import Path

import pytest

import communique
from communique import Readout
from communique.documents import read_document


@pytest.fixture(scope="module")
def seed(corpus: Path) -> Readout:
    return communique.extract(read_document(corpus / "seed" / "000_3e7d9b0fb8ba22a7.txt"))


def people(r: Readout, ids: tuple[str, ...]) -> dict[str, str | None]:
    return {r.actor(i).name: r.actor(i).country for i in ids}


def test_talks_between_xi_and_tokayev_in_xian(seed: Readout) -> None:
    e = seed.main_event
    assert e is not None and e.kind == "talks" and e.timing == "reported"
    assert people(seed, e.actors + e.recipients) == {
        "Xi Jinping": "CHN",
        "Kassym-Jomart Tokayev": "KAZ",
    }
    assert e.date == "2023-05-17"
    assert e.location is not None and e.location.name == "Xi'an" and e.location.country == "CHN"
    assert e.location.lat is not None and 34 < e.location.lat < 35


def test_state_visit_visitor_and_host(seed: Readout) -> None:
    visit = next(e for e in seed.encounters if e.kind == "visit")
    assert visit.visit_type == "state"
    assert seed.countries_of(visit.actors) == ["KAZ"]
    assert seed.countries_of(visit.recipients) == ["CHN"]
    assert visit.cameo == "042"


def test_agreements(seed: Readout) -> None:
    titles = {a.title: set(a.parties) for a in seed.agreements}
    joint = next(t for t in titles if t.startswith("Joint Statement"))
    visa = next(t for t in titles if "visa exemption" in t)
    assert titles[joint] == titles[visa] == {"CHN", "KAZ"}


def test_support_statements(seed: Readout) -> None:
    found = {
        (e.stance, tuple(seed.countries_of(e.actors)), tuple(seed.countries_of(e.recipients)))
        for e in seed.statements
    }
    assert ("support", ("CHN",), ("KAZ",)) in found  # sovereignty and territorial integrity
    assert ("support", ("KAZ",), ("CHN",)) in found  # the Global Initiatives
    assert all(e.plover == "SUPPORT" for e in seed.statements if e.stance == "support")


def test_initiatives_relationship_topics(seed: Readout) -> None:
    names = {i.name for i in seed.initiatives}
    assert {
        "Belt and Road Initiative",
        "Global Development Initiative",
        "Global Security Initiative",
        "Global Civilization Initiative",
    } <= names
    assert [(r.countries, r.label) for r in seed.relationships] == [
        (("CHN", "KAZ"), "permanent comprehensive strategic partnership")
    ]
    topics = {t.id for t in seed.topics}
    assert {
        "trade",
        "investment",
        "agriculture",
        "energy",
        "transport",
        "digital",
        "tourism",
        "people_to_people",
        "subnational",
        "culture",
        "media",
    } <= topics


def test_attendees_are_chinese_officials(seed: Readout) -> None:
    assert people(seed, seed.attendees) == {"Cai Qi": "CHN", "Wang Yi": "CHN", "Qin Gang": "CHN"}


def test_no_word_is_taken_for_a_person(seed: Readout) -> None:
    persons = {a.name for a in seed.actors if a.kind == "person"}
    assert persons == {"Xi Jinping", "Kassym-Jomart Tokayev", "Cai Qi", "Wang Yi", "Qin Gang"}


def test_every_fact_points_into_its_sentence(seed: Readout) -> None:
    e = seed.main_event
    assert e is not None
    assert "held talks" in seed.evidence_text(e.evidence[-1]) or "Talks" in seed.evidence_text(
        e.evidence[0]
    )
    for a in seed.actors:
        for m in a.mentions:
            assert seed.text[m.start : m.end].strip()
