"""Russian readouts: inflected names and titles, nominal and verbal phrasings, dates, places.

Every sentence here is our own, written in the manner of the Kremlin's and the foreign
ministry's Russian readouts; none is copied from a corpus.
"""

from __future__ import annotations

import pytest

import communique
from communique.documents import make_document
from communique.evaluate.titles import parse_title
from communique.extractor.analysis import get_grammar
from communique.extractor.language import get_language
from communique.extractor.lexicon import get_lexicon
from communique.model import Readout

DAY = "2025-03-12"  # a Wednesday


def _extract(text: str, published: str = DAY, **kw: object) -> Readout:
    return communique.extract(text, source_country="RUS", published=published, **kw)  # type: ignore[arg-type]


def _main(r: Readout) -> tuple[str, list[str], str | None]:
    e = r.main_event
    assert e is not None, [(x.kind, x.timing) for x in r.events]
    return e.kind, sorted(r.countries_of(e.actors + e.recipients)), e.date


def _person(r: Readout, canonical: str) -> object:
    found = [a for a in r.actors if a.kind == "person" and a.canonical == canonical]
    assert found, [(a.name, a.canonical) for a in r.actors]
    return found[0]


def test_a_russian_text_is_read_as_russian() -> None:
    doc = make_document("Состоялся телефонный разговор Президента России с Президентом Ирана.")
    assert doc.language == "ru"
    assert _extract(doc.text).document.language == "ru"


@pytest.mark.parametrize(
    ("text", "kind", "countries"),
    [
        # a noun with its holder in the genitive, the counterpart after "с" (instrumental)
        (
            "Состоялся телефонный разговор Владимира Путина с Президентом Франции "
            "Эммануэлем Макроном.",
            "call",
            ["FRA", "RUS"],
        ),
        # a verb with its subject, an adverbial between verb and noun
        (
            "Президент России провёл вчера по телефону переговоры с Премьер-министром Индии "
            "Нарендрой Моди.",
            "call",
            ["IND", "RUS"],
        ),
        (
            "Владимир Путин переговорил по телефону с Президентом Узбекистана Шавкатом Мирзиёевым.",
            "call",
            ["RUS", "UZB"],
        ),
        # the caller is the counterpart, the callee in the dative
        (
            "Президент Франции Эммануэль Макрон позвонил Президенту России Владимиру Путину.",
            "call",
            ["FRA", "RUS"],
        ),
        # talks and a meeting, with the place between subject and verb or before both
        (
            "В Кремле Владимир Путин провёл переговоры с Президентом Египта Абдель Фаттахом "
            "Ас-Сиси.",
            "talks",
            ["EGY", "RUS"],
        ),
        (
            "Президент России встретился в Ново-Огарёве с Премьер-министром Вьетнама Фам Минь "
            "Тинем.",
            "meeting",
            ["RUS", "VNM"],
        ),
        # received: the visitor in the accusative
        (
            "Глава Российского государства принял в Кремле Министра иностранных дел Ирана Аббаса "
            "Аракчи.",
            "meeting",
            ["IRN", "RUS"],
        ),
        # a conversation in person, by its noun
        (
            "Сегодня состоялась беседа Президента России с Эмиром Катара Тамимом бен Хамадом "
            "Аль Тани.",
            "meeting",
            ["QAT", "RUS"],
        ),
        # both parties as the subject of a reciprocal verb
        (
            "Президент России Владимир Путин и Президент Казахстана Касым-Жомарт Токаев "
            "встретились в Астане.",
            "meeting",
            ["KAZ", "RUS"],
        ),
        # compound demonyms: the countries of "российско-индийские"
        (
            "Российско-индийские переговоры Владимира Путина и Нарендры Моди прошли в Москве.",
            "talks",
            ["IND", "RUS"],
        ),
        (
            "Президент России направил послание Президенту Сирии Ахмеду Шараа.",
            "message",
            ["RUS", "SYR"],
        ),
    ],
)
def test_phrasings_code_their_kind_and_both_countries(
    text: str, kind: str, countries: list[str]
) -> None:
    got_kind, got_countries, _ = _main(_extract(text))
    assert (got_kind, got_countries) == (kind, countries)


def test_an_inflected_name_gets_its_canonical_name_and_the_nominative_as_written() -> None:
    text = "Состоялся телефонный разговор Владимира Путина с Президентом Турции Реджепом Тайипом Эрдоганом."
    r = _extract(text)
    erdogan = _person(r, "Recep Tayyip Erdoğan")
    assert erdogan.name == "Реджеп Тайип Эрдоган"  # type: ignore[attr-defined]
    assert erdogan.country == "TUR"  # type: ignore[attr-defined]
    assert "President" in erdogan.titles  # type: ignore[attr-defined]
    # the mention points at the words as the text inflects them
    (span,) = erdogan.mentions  # type: ignore[attr-defined]
    assert text[span.start : span.end] == "Реджепом Тайипом Эрдоганом"
    putin = _person(r, "Vladimir Putin")
    assert putin.name == "Владимир Путин"  # type: ignore[attr-defined]
    e = r.main_event
    assert e is not None and e.rule == "call.phone-noun"
    assert putin.id in e.actors and erdogan.id in e.recipients  # type: ignore[attr-defined]


def test_an_unknown_foreign_name_is_put_in_the_nominative_of_the_title_it_follows() -> None:
    # the instrumental after "с Президентом", the accusative after "принял ... Министра"
    r = _extract("Президент России встретился с Президентом Мальдив Ибрагимом Мохамедом Солихом.")
    (p,) = [a for a in r.actors if a.kind == "person" and a.country == "MDV"]
    assert p.name == "Ибрагим Мохамед Солих" and p.canonical is None
    r = _extract(
        "Президент России принял в Кремле Министра иностранных дел Лаоса Тхонгсавана Фомвихана."
    )
    (p,) = [a for a in r.actors if a.kind == "person" and a.country == "LAO"]
    assert p.name == "Тхонгсаван Фомвихан"


def test_a_bare_title_with_its_country_refers_to_the_office_holder() -> None:
    r = _extract(
        "Президент России провёл телефонный разговор с Президентом Ирана Масудом Пезешкианом."
    )
    _person(r, "Vladimir Putin")  # named from the people lexicon's offices and the date
    assert _main(r)[:2] == ("call", ["IRN", "RUS"])


def test_a_plural_title_is_no_single_office_holder() -> None:
    r = _extract("Президенты обсудили двустороннее сотрудничество.")
    assert not [a for a in r.actors if a.kind == "person"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        (
            "Сегодня Президент России провёл телефонный разговор с Президентом Казахстана "
            "Касым-Жомартом Токаевым.",
            "2025-03-12",
        ),
        (
            "Вчера Президент России провёл телефонный разговор с Президентом Казахстана "
            "Касым-Жомартом Токаевым.",
            "2025-03-11",
        ),
        (
            "В понедельник Президент России встретился с Президентом Казахстана Касым-Жомартом "
            "Токаевым.",
            "2025-03-10",
        ),
        (
            "9 марта Президент России провёл телефонный разговор с Президентом Казахстана "
            "Касым-Жомартом Токаевым.",
            "2025-03-09",
        ),
        (
            "11 марта 2025 года Президент России встретился с Президентом Казахстана Касым-Жомартом "
            "Токаевым.",
            "2025-03-11",
        ),
    ],
)
def test_dates_in_the_genitive_and_relative_days_resolve_against_the_publication_day(
    text: str, date: str
) -> None:
    assert _main(_extract(text))[2] == date


def test_a_date_line_before_the_lead_dates_it_in_moscow_time() -> None:
    # published at 22:30 UTC on 11 March: already 12 March in Moscow
    r = _extract(
        "Состоялся телефонный разговор Президента России с Президентом Ирана Масудом Пезешкианом.",
        published="2025-03-11T22:30:00+00:00",
    )
    assert _main(r)[2] == "2025-03-12"


def test_places_inflected_and_inside_a_city() -> None:
    r = _extract("Владимир Путин встретился в Кремле с Президентом Монголии Ухнагийн Хурэлсухом.")
    e = r.main_event
    assert e is not None and e.location is not None
    assert (e.location.name, e.location.country) == ("Moscow", "RUS")  # the Kremlin is in Moscow
    r = _extract("Председатель КНР Си Цзиньпин прибыл в Москву с государственным визитом.")
    e = r.main_event
    assert e is not None and e.kind == "visit" and e.location is not None
    assert e.location.name == "Moscow" and r.countries_of(e.recipients) == ["RUS"]


def test_the_dateline_place_locates_a_meeting_whose_sentence_names_none() -> None:
    text = (
        "Состоялась встреча Владимира Путина с Президентом Лаоса Тхонглуном Сисулитом. "
        "5 марта 2025 года 15:40 Москва, Кремль Президенты обсудили торговлю."
    )
    e = _extract(text).main_event
    assert e is not None and e.location is not None and e.location.name == "Moscow"


@pytest.mark.parametrize(
    "text",
    [
        "10 мая Президент России проведёт переговоры с Президентом Вьетнама То Ламом.",
        "Завтра состоятся переговоры Владимира Путина с Султаном Омана Хейсамом бен Тареком.",
        "Президент России пригласил Президента Монголии Ухнагийн Хурэлсуха посетить Россию.",
        "Условлено провести встречу Президента России с Президентом Бразилии Лулой да Силвой.",
    ],
)
def test_announced_and_agreed_encounters_are_planned(text: str) -> None:
    r = _extract(text)
    assert r.main_event is None
    assert {e.timing for e in r.encounters} <= {"planned"}


@pytest.mark.parametrize(
    "text",
    [
        "Президент России не встречался с Президентом Франции Эммануэлем Макроном.",
        "Президенты вспомнили переговоры в Пекине в 2024 году с Председателем КНР Си Цзиньпином.",
        "Лидеры обсудили переговоры между Арменией и Азербайджаном.",
        "Я видел реакцию на наш телефонный разговор с Президентом США Дональдом Трампом.",
    ],
)
def test_negated_earlier_and_discussed_encounters_are_not_reported(text: str) -> None:
    assert _extract(text).main_event is None


def test_a_domestic_meeting_is_no_diplomatic_encounter() -> None:
    r = _extract(
        "Владимир Путин провёл рабочую встречу с губернатором Тверской области Игорем Руденей."
    )
    assert r.main_event is None


def test_a_heading_that_runs_into_the_lead_is_a_sentence_of_its_own() -> None:
    title = "Телефонный разговор с Президентом Сербии Александром Вучичем"
    text = f"События {title} Состоялся телефонный разговор Владимира Путина с Президентом Сербии Александром Вучичем."
    doc = make_document(text, title=title, source_country="RUS", published=DAY)
    r = communique.extract(doc)
    e = r.main_event
    assert e is not None and e.kind == "call"
    assert r.countries_of(e.actors + e.recipients) == ["RUS", "SRB"]
    # the evidence is the heading alone and the lead alone, offsets into the text as given
    spans = [text[s.start : s.end] for s in e.evidence]
    assert spans[0] == title
    assert spans[1].startswith("Состоялся телефонный разговор")


def test_a_capitalised_name_matches_only_a_capitalised_word() -> None:
    lex = get_lexicon("ru")
    text = "Того не ждали; в Того прошли выборы."
    found = [(text[m.start : m.end], m.first("country")) for m in lex.find(text)]
    assert [(t, e.key if e else None) for t, e in found] == [("Того", "TGO"), ("Того", "TGO")]
    assert not lex.find("того не ждали")


@pytest.mark.parametrize(
    ("title", "kind", "country", "counterpart"),
    [
        (
            "Телефонный разговор с Президентом Турции Реджепом Тайипом Эрдоганом",
            "call",
            "TUR",
            "Erdoğan",
        ),
        ("Встреча с Министром иностранных дел Китая Ван И", "in-person", "CHN", "Wang"),
        ("Российско-оманские переговоры", "in-person", "OMN", None),
        ("Беседа с Президентом Республики Конго Дени Сассу-Нгессо", "in-person", "COG", "Nguesso"),
    ],
)
def test_kremlin_titles_are_read_as_labels(
    title: str, kind: str, country: str, counterpart: str | None
) -> None:
    label = parse_title(title, get_grammar(get_language("ru")))
    assert label is not None
    assert label.kind == kind and country in label.countries
    assert label.counterpart == counterpart


def test_a_title_in_the_future_labels_nothing() -> None:
    title = "10 мая Владимир Путин проведёт переговоры с Президентом Вьетнама То Ламом"
    assert parse_title(title, get_grammar(get_language("ru"))) is None
