"""The rule language: every rule's examples, the syntax, user rule folders, layout-proof reading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import communique
from communique.documents import make_document
from communique.errors import RuleError
from communique.extractor import explain
from communique.extractor.analysis import get_grammar
from communique.extractor.language import get_language
from communique.extractor.rules import Encoded, RuleSet, compile_rule
from communique.resources import data_dir_files

LANG = get_language("en")
GRAMMAR = get_grammar(LANG)
# every language with rules of its own (data/rules/<lang>/), and whose readouts its examples are
# by default: a plain-string example in rules/en is a US readout, in rules/zh a Chinese one, in
# rules/ru a Kremlin one
RULE_LANGUAGES = {
    code: publisher
    for code, publisher in {"en": "USA", "zh": "CHN", "ru": "RUS"}.items()
    if data_dir_files(f"rules/{code}")
}
ALL_RULES = [
    (code, rs.name, r)
    for code in RULE_LANGUAGES
    for rs in get_grammar(get_language(code)).all
    for r in rs.rules
    # the converted PETRARCH rules are checked on their generated examples by
    # tests/test_cameo_rules.py; the project's own event rules (cameo-0-readouts.yaml) are here
    if not re.fullmatch(r"rules/en/cameo(-\d+)?\.yaml", r.source)
]


def _examples(rule: object, code: str = "en") -> list[tuple[str, str]]:
    """(text, publisher country) of each example; a plain string is a readout of the language's
    default publisher."""
    default = RULE_LANGUAGES.get(code, "USA")
    return [
        (e, default) if isinstance(e, str) else (e["text"], e.get("source_country", default))
        for e in rule.examples  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize(
    ("code", "set_name", "rule"), ALL_RULES, ids=[f"{c}:{r.id}" for c, _, r in ALL_RULES]
)
def test_every_rule_codes_its_examples(code: str, set_name: str, rule: object) -> None:
    examples = _examples(rule, code)
    assert examples, f"rule {rule.id} has no examples"  # type: ignore[attr-defined]
    for text, publisher in examples:
        doc = make_document(text, published="2024-05-14", source_country=publisher, language=code)
        fired = {f.rule for f in explain(doc)}
        assert rule.id in fired, (rule.id, text, sorted(fired))  # type: ignore[attr-defined]
        if set_name == "encounters":
            readout = communique.extract(doc)
            kinds = {e.kind for e in readout.encounters}
            assert rule.get("kind") in kinds, (rule.id, text, kinds)  # type: ignore[attr-defined]
        if set_name == "cameo" and rule.get("cameo") not in (None, "010") and not rule.get("topic"):  # type: ignore[attr-defined]
            # an event rule's example is coded as an event by this rule
            coded = {e.rule for e in communique.extract(doc).statements}
            assert rule.id in coded, (rule.id, text, sorted(r for r in coded if r))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("code", "set_name", "rule"),
    [(c, n, r) for c, n, r in ALL_RULES if r.get("counterexamples")],
    ids=[f"{c}:{r.id}" for c, _, r in ALL_RULES if r.get("counterexamples")],
)
def test_no_rule_fires_on_its_counterexamples(code: str, set_name: str, rule: object) -> None:
    for text in rule.get("counterexamples"):  # type: ignore[attr-defined]
        doc = make_document(
            text, published="2024-05-14", source_country=RULE_LANGUAGES[code], language=code
        )
        assert rule.id not in {f.rule for f in explain(doc)}, (rule.id, text)  # type: ignore[attr-defined]


def _match(pattern: str, sentence: str) -> list[list[str]]:
    rule = compile_rule({"id": "t", "pattern": pattern}, LANG)
    tokens = LANG.tokenize(sentence)
    return [
        [t.text for t in tokens[m.start : m.end]]
        for m in Encoded(tokens).matches(RuleSet("t", [rule], LANG).candidates(sentence))
    ]


def test_a_word_in_a_rule_matches_its_inflections() -> None:
    assert _match("hold talks", "They held talks.") == [["held", "talks"]]
    assert _match("hold talks", "She is holding talks.") == [["holding", "talks"]]
    assert _match('"held" talks', "They hold talks.") == []


def test_gaps_are_bounded_and_stop_at_clause_breaks() -> None:
    assert _match("speak ~3 with", "He spoke this morning with her.") == [
        ["spoke", "this", "morning", "with"]
    ]
    assert _match("speak ~2 with", "He spoke early this morning with her.") == []
    assert _match("speak ~6 with", "He spoke; then with her.") == []
    assert _match("speak ~6 with", "He spoke about trade with her.") == []


def test_classes_alternatives_negation_and_groups() -> None:
    assert _match("@phone call", "a telephone call") == [["telephone", "call"]]
    assert _match("(phone | video) call", "a video call") == [["video", "call"]]
    assert _match("speak to !@press", "spoke to reporters") == []
    assert _match("speak to !@press", "spoke to Ana") == [["spoke", "to"]]
    assert _match("@occasion_head&<CAP>", "a summit and the Summit") == [["Summit"]]


def test_slots_name_where_the_parties_are() -> None:
    rule = compile_rule({"id": "t", "pattern": "{b} receive @det? call from {a}"}, LANG)
    tokens = LANG.tokenize("Wang Yi received a call from Penny Wong.")
    (m,) = Encoded(tokens).matches([rule])
    assert m.side("b") == "left" and m.side("a") == "right"
    assert [t.text for t in tokens[m.start : m.end]] == ["received", "a", "call", "from"]


@pytest.mark.parametrize(
    "bad", ["hold (talks", "hold talks)", "@no_such_class", "<NOPE>", "hold | | talks ~x"]
)
def test_a_malformed_pattern_is_a_clear_error(bad: str) -> None:
    with pytest.raises(RuleError, match="E401 rule 'bad'"):
        compile_rule({"id": "bad", "pattern": bad}, LANG)


def test_a_user_rule_folder_adds_a_phrasing_without_python(tmp_path: Path) -> None:
    text = "President Alvarez conferred by carrier pigeon with Prime Minister Okafor of Nigeria."
    before = communique.extract(text, source_country="USA", published="2024-05-14")
    assert before.main_event is None
    (tmp_path / "encounters.yaml").write_text(
        "- id: message.pigeon\n"
        "  kind: message\n"
        '  pattern: "{a} confer by carrier pigeon with {b}"\n'
        '  examples: ["The King conferred by carrier pigeon with the Emir."]\n',
        encoding="utf-8",
    )
    after = communique.extract(
        text, source_country="USA", published="2024-05-14", rules=[str(tmp_path)]
    )
    assert after.main_event is not None
    assert after.main_event.kind == "message" and after.main_event.rule == "message.pigeon"
    assert after.countries_of(after.main_event.actors + after.main_event.recipients) == [
        "USA",
        "NGA",
    ]


def test_a_missing_user_rule_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="no such rule folder"):
        communique.extract("text", rules=[str(tmp_path / "nope")])
