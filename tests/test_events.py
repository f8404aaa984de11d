"""Sentence-level event coding (communique.extractor.events): what each sentence's events are,
with their codes, parties and sectors, on small sentences written for these tests."""

from __future__ import annotations

import pytest

import communique
from communique.extractor.events import event_data, person_sector
from communique.model import Event, Readout


def _extract(text: str, publisher: str | None = "USA") -> Readout:
    if publisher is None:
        return communique.extract(text, published="2024-05-14", source="wire")
    return communique.extract(text, published="2024-05-14", source_country=publisher)


def _coded(r: Readout) -> list[tuple[str | None, str | None, tuple[str, ...], tuple[str, ...]]]:
    """(CAMEO, PLOVER, source countries, target countries) of each statement event."""
    return [
        (e.cameo, e.plover, tuple(r.countries_of(e.actors)), tuple(r.countries_of(e.recipients)))
        for e in r.statements
    ]


def _stances(r: Readout) -> set[tuple[str | None, tuple[str, ...], tuple[str, ...]]]:
    return {
        (e.stance, tuple(r.countries_of(e.actors)), tuple(r.countries_of(e.recipients)))
        for e in r.statements
    }


def test_a_sentence_gets_its_cameo_and_plover_codes_source_target_and_goldstein() -> None:
    r = _extract("Germany imposed sanctions on Iran.", publisher=None)
    (e,) = r.statements
    assert (e.cameo, e.plover, e.stance) == ("163", "SANCTION", "sanction")
    assert r.countries_of(e.actors) == ["DEU"] and r.countries_of(e.recipients) == ["IRN"]
    assert e.goldstein == -8.0 and e.rule
    assert r.evidence_text(e.evidence[0]) == "Germany imposed sanctions on Iran."


@pytest.mark.parametrize(
    "text",
    [
        "Russia did not agree to the proposal.",  # negated
        "Will China support the resolution?",  # a question
        "The ministers may impose sanctions on Iran.",  # only possible
        "The President congratulated the team on winning the World Cup.",  # sports: a discard
    ],
)
def test_what_did_not_happen_is_not_coded(text: str) -> None:
    assert _extract(text, publisher=None).statements == ()


def test_an_if_clause_is_not_coded_but_its_main_clause_is() -> None:
    r = _extract("The United States will impose sanctions on Russia if it invades Ukraine.")
    assert _coded(r) == [("1312", "THREATEN", ("USA",), ("RUS",))]


def test_intended_cooperation_is_an_intent_code() -> None:
    assert _coded(_extract("Japan will provide humanitarian aid to Turkey.", None)) == [
        ("033", "AGREE", ("JPN",), ("TUR",))
    ]
    (e,) = _extract("France is ready to deliver food aid to Lebanon.", None).statements
    assert e.plover == "AGREE" and e.cameo.startswith("03")


def test_what_another_party_must_do_is_a_demand_of_the_speaker() -> None:
    r = _extract("Secretary Blinken said that Russia must withdraw its forces from Ukraine.")
    assert _stances(r) == {("demand", ("USA",), ("RUS",))}
    (e,) = r.statements
    assert (e.cameo, e.plover) == ("100", "REQUEST")


def test_what_a_demand_is_about_is_part_of_it() -> None:
    r = _extract("China demanded that the United States cancel the sale of weapons.", None)
    assert _coded(r) == [("100", "REQUEST", ("CHN",), ("USA",))]


def test_reported_speech_belongs_to_the_speaker() -> None:
    r = _extract("Switzerland said it had expelled two Russian diplomats.", None)
    assert [(p, s, t) for _, p, s, t in _coded(r)] == [("SANCTION", ("CHE",), ("RUS",))]


def test_we_and_unattributed_statements_are_the_publishers() -> None:
    r = _extract("We condemn the attack by Russia on Ukraine.")
    assert _stances(r) == {("condemn", ("USA",), ("RUS",))}
    r = _extract("Commitment was reaffirmed to the sovereignty and territorial integrity of Syria.")
    assert ("support", ("USA",), ("SYR",)) in _stances(r)


def test_the_two_sides_are_the_main_encounters_parties() -> None:
    r = _extract(
        "Secretary Blinken met with Foreign Minister Zbigniew Rau of Poland in Warsaw. "
        "The two sides agreed to deepen cooperation. Both sides condemned Russia."
    )
    assert _stances(r) == {
        ("agree", ("USA", "POL"), ()),  # a joint AGREE: each side's target is the other
        ("condemn", ("USA", "POL"), ("RUS",)),
    }


def test_support_for_a_countrys_sovereignty_targets_that_country() -> None:
    r = _extract(
        "Secretary Blinken reaffirmed U.S. support for Ukraine's sovereignty and territorial "
        "integrity."
    )
    assert _stances(r) == {("support", ("USA",), ("UKR",))}


def test_a_coordinated_predicate_keeps_its_subject() -> None:
    r = _extract(
        "Moscow welcomes the fact that Uganda held elections and reaffirms its readiness to "
        "strengthen relations with Uganda."
    )
    assert ("cooperate", ("RUS",), ("UGA",)) in _stances(r)


def test_nouns_are_not_read_as_verbs() -> None:
    # "support" after "in", "trade" in a list, "forces" after a possessive
    r = _extract(
        "The minister spoke in support of the plan and listed political, trade and cultural "
        "ties with its forces.",
        None,
    )
    assert all(e.cameo is None or not e.cameo.startswith(("05", "06", "17")) for e in r.statements)


def test_a_party_named_after_an_indefinite_article_modifies_a_noun() -> None:
    # "a Chilean request", "an EU appeal": the noun is what is turned down, not Chile's verb
    r = _extract("Bolivia rejected a Chilean request to reopen the border talks.", None)
    assert [(p, s, t) for _, p, s, t in _coded(r)] == [("REJECT", ("BOL",), ("CHL",))]
    r = _extract("Serbia dismissed an EU appeal for new elections.", None)
    assert [p for _, p, _, _ in _coded(r)] == ["REJECT"]


def test_a_demand_verb_is_a_request_whatever_is_demanded() -> None:
    # PETRARCH's demand block gives "demanded support" an appeal's code (022), which PLOVER drops
    for text in (
        "Armenia demanded more support from its allies.",
        "The opposition in Georgia demanded early elections.",
        "Pakistan demanded an emergency meeting of the Security Council.",
    ):
        assert [p for _, p, _, _ in _coded(_extract(text, None))] == ["REQUEST"], text


def test_a_refusal_is_coded_and_what_is_refused_is_part_of_it() -> None:
    r = _extract("Hungary refused to admit refugees from Serbia.", None)
    assert _coded(r) == [("120", "REJECT", ("HUN",), ("SRB",))]
    r = _extract("Ankara said it would not accept the Greek proposal.", None)
    assert [p for _, p, _, _ in _coded(r)] == ["REJECT"]


def test_halting_aid_or_talks_reduces_relations() -> None:
    r = _extract("Sweden suspended its development aid to Zimbabwe.", None)
    assert _coded(r) == [("162", "SANCTION", ("SWE",), ("ZWE",))]
    r = _extract("Kosovo broke off talks with Serbia.", None)
    assert [(p, t) for _, p, _, t in _coded(r)] == [("SANCTION", ("SRB",))]


def test_a_sentence_that_names_the_past_is_still_coded() -> None:
    # PETRARCH's look-back discards ("years ago", "World War II") are not applied; its sports and
    # entertainment discards are
    r = _extract("Norway granted asylum to the Iranian activists who fled two years ago.", None)
    assert [(p, t) for _, p, _, t in _coded(r)] == [("AID", ("IRN",))]
    r = _extract("Poland demanded that Germany pay reparations for World War II.", None)
    assert [p for _, p, _, _ in _coded(r)] == ["REQUEST"]


def test_accepting_demands_is_a_concession_and_accepting_a_plan_an_agreement() -> None:
    r = _extract("Togo accepted demands from Ghana to reopen the border.", None)
    assert [(p, t) for _, p, _, t in _coded(r)] == [("CONCEDE", ("GHA",))]
    r = _extract("Armenia accepted a French plan for new talks.", None)
    assert [p for _, p, _, _ in _coded(r)] == ["AGREE"]


def test_withdrawing_a_mission_is_a_sanction_and_announced_a_threat() -> None:
    r = _extract("Uruguay withdrew its peacekeepers from Haiti.", None)
    assert _coded(r) == [("1661", "SANCTION", ("URY",), ("HTI",))]
    r = _extract("Canada said it will withdraw its observers from Haiti.", None)
    assert [p for _, p, _, _ in _coded(r)] == ["THREATEN"]


def test_a_noun_that_is_also_a_verb_form_does_not_start_a_new_predicate() -> None:
    # "and Ukrainian forces": the subject of what must be done, not a verb "forces"
    r = _extract("Germany said that Russian and Ukrainian forces must protect civilians.", None)
    assert _coded(r) == [("100", "REQUEST", ("DEU",), ("RUS", "UKR"))]


def test_a_verb_with_its_own_auxiliary_is_no_content_of_an_apposition() -> None:
    # the apposition's "ally ... against" does not swallow the main verb "has refused"
    r = _extract(
        "Egypt, a firm ally of Jordan against the militants, has refused to open its border "
        "with Gaza.",
        None,
    )
    assert "REJECT" in [p for _, p, _, _ in _coded(r)]


def test_summoning_an_envoy_to_protest_is_an_official_complaint() -> None:
    r = _extract(
        "The foreign ministry of Georgia summoned the Russian ambassador to protest the border "
        "incident.",
        None,
    )
    assert _coded(r) == [("114", "ACCUSE", ("GEO",), ("RUS",))]


def test_a_past_participle_before_by_is_no_verb_of_the_clause() -> None:
    # "traders suspected by Niger": a reduced relative clause, not Chad suspecting Niger
    r = _extract("Chad handed over two traders suspected by Niger of smuggling.", None)
    assert "ACCUSE" not in [p for _, p, _, _ in _coded(r)]


def test_opposing_a_plan_is_a_rejection_and_strikes_and_blockades_protests() -> None:
    r = _extract("Serbia opposed the deployment of Kosovo police in the north.", None)
    assert [p for _, p, _, _ in _coded(r)] == ["REJECT"]
    r = _extract("Farmers in Poland blocked the border crossings to Ukraine.", None)
    assert [(c, p) for c, p, _, _ in _coded(r)] == [("144", "PROTEST")]


def test_a_coordinated_predicate_with_its_auxiliary_keeps_the_subject() -> None:
    r = _extract(
        "Austria opened its embassy in Kyiv but has refused entry to Russian diplomats.", None
    )
    assert ("120", "REJECT", ("AUT",), ("RUS",)) in _coded(r)


def test_a_declared_truce_and_a_surrender_are_retreats() -> None:
    r = _extract("The rebels in Myanmar declared a unilateral ceasefire with the army.", None)
    assert [(c, p) for c, p, _, _ in _coded(r)] == [("0871", "RETREAT")]


def test_a_party_after_an_article_and_an_adjective_modifies_a_noun() -> None:
    # "a key U.S. ally": "ally" is a noun, not the United States allying against anyone
    r = _extract(
        "Chile, a key U.S. ally against drug cartels, has refused to extradite the suspects."
    )
    assert [(c, p, s) for c, p, s, _ in _coded(r)] == [("120", "REJECT", ("CHL",))]


def test_an_attempt_is_not_coded_as_done() -> None:
    assert _extract("Qatar tried to broker a truce between Sudan and Chad.", None).statements == ()


def test_the_same_dyad_and_code_twice_in_a_sentence_is_one_event() -> None:
    r = _extract(
        "Russia condemned Ukraine's attack and condemned Ukraine's shelling of Kursk.", None
    )
    assert _coded(r) == [("111", "ACCUSE", ("RUS",), ("UKR",))]


def test_parties_carry_their_sectors() -> None:
    r = _extract("Israeli troops shelled the town.", None)
    (e,) = r.statements
    assert e.sector_of("ISR") == "MIL"
    r = _extract("Foreign Minister Sergey Lavrov condemned the strikes on Iran.", "RUS")
    (e,) = r.statements
    lavrov = r.actor(e.actors[0])
    assert lavrov.sector == "GOV" and e.sector_of(lavrov.id) == "GOV"
    assert person_sector(("Minister of Defence",)) == "GOV"
    assert person_sector(("Army Chief",)) == "MIL"


def test_statements_are_events_of_the_readout_json_with_their_sectors() -> None:
    r = _extract("Israeli troops shelled the town.", None)
    data = r.to_dict()
    (event,) = [e for e in data["events"] if e["kind"] == "statement"]
    assert event["sectors"] == {"ISR": "MIL"} and event["plover"] == "ASSAULT"
    again = Readout.from_dict(data)
    assert again.statements[0].sectors == (("ISR", "MIL"),)


def test_stances_follow_codes_and_words() -> None:
    data = event_data()
    assert data.stance("111", {"condemned"}) == "condemn"
    assert data.stance("111", {"criticised"}) == "criticize"
    assert data.stance("051", {"thanked"}) == "praise"
    assert data.stance("051", {"backed"}) == "support"
    assert data.stance("0331", set()) == "aid"
    assert data.stance("190", set()) is None  # a fight has no stance of the taxonomy


def test_sanctions_are_plover_sanction_as_the_manual_says() -> None:
    data = event_data()
    row = data.code("163")
    assert row is not None and (row.plover, row.plover_mode) == ("SANCTION", "discontinue")
    # the CAMEO table itself stays the official one (tests/test_cameo_rules.py)


def test_without_statements_the_readout_has_no_statement_events() -> None:
    from communique.documents import make_document
    from communique.extractor import extract_document

    doc = make_document("Germany imposed sanctions on Iran.", source="wire")
    assert extract_document(doc, statements=False).statements == ()
    assert all(isinstance(e, Event) for e in extract_document(doc).statements)
