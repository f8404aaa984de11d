"""Sentence-level event coding in Chinese and Russian (data/rules/zh/cameo.yaml,
data/rules/ru/cameo.yaml and their modality.yaml): the same Event records as in English, with
what these languages need of the coder (a subject shared along a chain of clauses, subjects no
party names, a speaker's own words), on small readouts written for these tests."""

from __future__ import annotations

import pytest

import communique
from communique.model import Readout


def _extract(text: str, language: str) -> Readout:
    publisher = {"zh": "CHN", "ru": "RUS"}[language]
    return communique.extract(
        text, published="2024-07-05", source_country=publisher, language=language
    )


def _stances(r: Readout) -> set[tuple[str | None, tuple[str, ...], tuple[str, ...]]]:
    return {
        (e.stance, tuple(r.countries_of(e.actors)), tuple(r.countries_of(e.recipients)))
        for e in r.statements
    }


ZH_TALKS = "2024年7月5日，国家主席习近平在北京同巴西总统卢拉举行会谈。"
RU_TALKS = (
    "5 июля 2024 года Владимир Путин провёл переговоры с Президентом Казахстана "
    "Касым-Жомартом Токаевым. "
)


def test_chinese_statements_carry_codes_source_and_target() -> None:
    r = _extract(ZH_TALKS + "习近平强调，中方坚定支持巴方维护国家主权。中方谴责恐怖主义。", "zh")
    assert ("support", ("CHN",), ("BRA",)) in _stances(r)
    assert ("condemn", ("CHN",), ()) in _stances(r)
    support = next(e for e in r.statements if e.stance == "support")
    assert (support.cameo, support.plover) == ("051", "SUPPORT")
    # the evidence is the sentence, in the original text
    ev = support.evidence[0]
    assert "坚定支持" in r.document.text[ev.start : ev.end]


def test_chinese_clauses_share_the_subject_of_the_first() -> None:
    # "China values ..., supports Brazil ..., is willing to deepen cooperation with Brazil"
    r = _extract(
        ZH_TALKS + "中方高度重视巴西的国际地位，支持巴西发挥更大作用，愿同巴方加强减贫合作。", "zh"
    )
    assert ("support", ("CHN",), ("BRA",)) in _stances(r)
    assert ("cooperate", ("CHN",), ("BRA",)) in _stances(r)
    # the object of the second clause is not the subject of the third
    assert not any(s[1] == ("BRA",) for s in _stances(r))


def test_what_a_subject_no_party_names_says_is_coded_for_no_one() -> None:
    # "All parties agreed ...", "Several countries condemned ...": not the publisher's stance
    r = _extract(ZH_TALKS + "各方一致认为，地区一体化至关重要。多国谴责这次袭击。", "zh")
    assert not r.statements


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("中方不支持单边制裁。", "zh"),
        ("日方会支持这一决议吗？", "zh"),
        ("Россия не поддерживает односторонние санкции.", "ru"),
        ("Поддержит ли Токио эту резолюцию?", "ru"),
    ],
)
def test_negated_and_asked_stances_are_not_coded(text: str, language: str) -> None:
    assert not _extract(text, language).statements


def test_domestic_policy_with_no_party_is_no_diplomatic_event() -> None:
    # "funds support industrial development in poor regions": no one named, no party as target
    assert not _extract("中央财政资金支持脱贫地区发展特色产业。", "zh").statements
    assert not _extract("Мы предлагаем поддержать начинание регионов.", "ru").statements


def test_russian_statements_read_their_inflected_words() -> None:
    r = _extract(
        RU_TALKS + "Владимир Путин отметил, что Россия поддерживает суверенитет Казахстана. "
        "Президент Казахстана поблагодарил Владимира Путина за гостеприимство.",
        "ru",
    )
    assert ("support", ("RUS",), ("KAZ",)) in _stances(r)
    assert ("praise", ("KAZ",), ("RUS",)) in _stances(r)


def test_russian_the_sides_are_the_encounters_parties_but_not_for_its_part() -> None:
    r = _extract(RU_TALKS + "Стороны договорились расширять торговлю.", "ru")
    assert ("agree", ("RUS", "KAZ"), ()) in _stances(r)
    # "со своей стороны" ("for its part") is no reference to both sides
    r = _extract(RU_TALKS + "Россия со своей стороны поддерживает Казахстан.", "ru")
    assert _stances(r) == {("support", ("RUS",), ("KAZ",))}


def test_a_speakers_own_words_are_not_the_principals() -> None:
    # a transcript: "I want to thank you", said by whoever speaks
    r = _extract(RU_TALKS + "Хочу вас за это поблагодарить.", "ru")
    assert not r.statements
    # "thanks to" is no thanks
    r = _extract(RU_TALKS + "Благодаря усилиям Казахстана товарооборот вырос.", "ru")
    assert not r.statements


def test_an_intended_stance_is_an_intent_code() -> None:
    r = _extract("Россия готова поддержать инициативу Казахстана.", "ru")
    assert [(e.cameo, e.plover) for e in r.statements] == [("032", "AGREE")]
    r = _extract("中方愿支持哈方举办明年的峰会。", "zh")
    assert [(e.cameo, e.plover) for e in r.statements] == [("032", "AGREE")]


def test_a_transcripts_turns_speak_for_their_speakers() -> None:
    r = _extract(
        RU_TALKS + "В.Путин: Уважаемый господин Президент! Рад Вас приветствовать в Москве. "
        "К.Токаев: Благодарю Вас за приглашение и гостеприимство.",
        "ru",
    )
    assert ("praise", ("RUS",), ("KAZ",)) in _stances(r)
    assert ("praise", ("KAZ",), ("RUS",)) in _stances(r)


def test_cooperation_named_towards_no_one_is_with_the_other_side() -> None:
    r = _extract(ZH_TALKS + "习近平表示，中方愿进一步深化各领域务实合作。", "zh")
    assert ("cooperate", ("CHN",), ("BRA",)) in _stances(r)
