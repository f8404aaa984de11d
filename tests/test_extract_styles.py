"""Extraction behaviour on small inputs written for these tests, one per readout style."""

from __future__ import annotations

from pathlib import Path

import communique
from communique import Readout
from communique.documents import read_document


def main(r: Readout) -> tuple[str, list[tuple[str, str | None]], str | None]:
    e = r.main_event
    assert e is not None, "no main encounter"
    people = [(r.actor(i).name, r.actor(i).country) for i in e.actors + e.recipients]
    return e.kind, people, e.date


def test_state_department_call_today_with_discussed_countries() -> None:
    r = communique.extract(
        "The following is attributable to Spokesperson Ned Price:\n"
        "Secretary of State Antony J. Blinken spoke today with Estonian Foreign Minister "
        "Eva-Maria Liimets. They discussed Russia's military build-up near Ukraine and "
        "coordination within NATO.",
        published="Tue, 25 Jan 2022 02:10:00 +0000",
        url="https://www.state.gov/secretary-blinkens-call-with-estonian-foreign-minister/",
    )
    kind, people, when = main(r)
    assert kind == "call"
    assert ("Antony J. Blinken", "USA") in people and ("Eva-Maria Liimets", "EST") in people
    assert when == "2022-01-24"  # "today" in Washington
    countries = {c for e in r.encounters for c in r.countries_of(e.actors + e.recipients)}
    assert countries == {"USA", "EST"}  # Russia and Ukraine were only discussed
    assert all(r.actor(i).name != "Ned Price" for e in r.encounters for i in e.actors)


def test_russian_telegram_call_with_flags_and_hashtags() -> None:
    r = communique.extract(
        "🇷🇺🇦🇿 📞 On March 4, Foreign Minister of Russia Sergey Lavrov and Minister of "
        "Foreign Affairs of the Republic of Azerbaijan Jeyhun Bayramov held a telephone "
        "conversation.\n\nThe Ministers discussed the #SouthCaucasus agenda.\n\n#RussiaAzerbaijan",
        published="2026-03-04T15:20:00+00:00",
        url="https://t.me/MFARussia/99999",
    )
    kind, people, when = main(r)
    assert kind == "call"
    assert {c for _, c in people} == {"RUS", "AZE"}
    assert when == "2026-03-04"


def test_chinese_readout_talks_visit_signing_and_attendees() -> None:
    r = communique.extract(
        "On the afternoon of June 12, 2024, President Xi Jinping held talks in Beijing with "
        "President Mohamed Ould Ghazouani of Mauritania, who is on a state visit to China.\n\n"
        "After the talks, the two heads of state witnessed the signing of cooperation documents "
        "on trade, agriculture and health.\n\nCai Qi and Wang Yi were present at the talks.",
        published="2024-06-12 21:00",
        url="https://www.fmprc.gov.cn/eng/zxxx/x.html",
    )
    kind, people, when = main(r)
    assert kind == "talks" and when == "2024-06-12"
    assert {c for _, c in people} == {"CHN", "MRT"}
    assert r.main_event is not None and r.main_event.location is not None
    assert r.main_event.location.name == "Beijing" and r.main_event.location.lat is not None
    visits = [e for e in r.encounters if e.kind == "visit"]
    assert visits and r.countries_of(visits[0].actors) == ["MRT"]
    assert r.countries_of(visits[0].recipients) == ["CHN"]
    assert visits[0].visit_type == "state"
    assert r.agreements and set(r.agreements[0].parties) == {"CHN", "MRT"}
    assert {"trade", "agriculture", "health"} <= set(r.agreements[0].topics)
    attendees = {r.actor(i).name: r.actor(i).country for i in r.attendees}
    assert attendees == {"Cai Qi": "CHN", "Wang Yi": "CHN"}


def test_wire_story_weekday_and_place() -> None:
    r = communique.extract(
        "ANKARA, Oct 3 (Reuters) - Turkish Foreign Minister Hakan Fidan met his Iraqi "
        "counterpart Fuad Hussein in Ankara on Tuesday, the ministry said.",
        published="2023-10-04",
    )
    kind, people, when = main(r)
    assert kind == "meeting"
    assert {c for _, c in people} == {"TUR", "IRQ"}
    assert when == "2023-10-03"


def test_past_and_planned_encounters_are_separate() -> None:
    r = communique.extract(
        "President Joe Biden spoke today with President Emmanuel Macron of France. The call "
        "follows their April 2 telephone call. President Biden invited President Macron to visit "
        "Washington next year.",
        published="2024-05-20",
        url="https://www.whitehouse.gov/briefing-room/x/",
    )
    kinds = [(e.kind, e.timing) for e in r.encounters]
    assert kinds[0] == ("call", "reported")
    assert ("call", "past") in kinds
    assert ("visit", "planned") in kinds
    past = next(e for e in r.encounters if e.timing == "past")
    assert past.date == "2024-04-02"


def test_a_statement_that_discusses_countries_invents_no_encounter() -> None:
    r = communique.extract(
        "The United States condemns the missile launch by the DPRK. We call on Pyongyang to "
        "return to dialogue and we stand with our allies Japan and the Republic of Korea.",
        published="2024-03-18",
        url="https://www.state.gov/dprk-launch/",
    )
    assert r.encounters == ()
    stances = {(e.stance, tuple(r.countries_of(e.actors))) for e in r.statements}
    assert ("condemn", ("USA",)) in stances


def test_words_are_not_people() -> None:
    r = communique.extract(
        "Home > China News\nThe two sides agreed to open a Luban Workshop under the BRI and to "
        "expand cooperation with China News Service.",
        published="2024-01-01",
    )
    assert not [a for a in r.actors if a.kind == "person"]


def test_examples_main_encounters(examples: Path) -> None:
    expected = {
        "chn-mfa-talks.txt": ("talks", {"CHN", "KAZ"}),
        "state-dept-call.txt": ("call", {"USA", "JPN"}),
        "white-house-readout.md": ("meeting", {"USA", "DEU"}),
        "russia-mfa-call.txt": ("call", {"RUS", "TUR"}),
        "russia-mfa-message.txt": ("message", {"RUS", "ARE"}),
        "xinhua-wire.txt": ("meeting", {"CHN", "DEU"}),
        "reuters-wire.txt": ("meeting", {"USA", "IDN"}),
        "planned-visit.txt": (None, {"PER", "CHN"}),
    }
    for name, (kind, countries) in expected.items():
        r = communique.extract(read_document(examples / name))
        e = r.main_event
        assert e is not None, name
        if kind:
            assert e.kind == kind, name
        assert set(r.countries_of(e.actors + e.recipients)) == countries, name
    negative = communique.extract(read_document(examples / "negative-press-statement.txt"))
    assert negative.encounters == ()
