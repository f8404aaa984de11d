"""The CAMEO data converted from PETRARCH2 and PLOVER (scripts/convert_petrarch.py).

The rule files are checked at pattern level, with the engine the pipeline uses: every rule
compiles and matches its example, its codes are in cameo.tsv with that table's PLOVER and
Goldstein values, and cameo.tsv agrees with PLOVER's official CAMEO-to-PLOVER table.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from communique.extractor.cameo import (
    agents,
    cameo_language,
    cameo_rules,
    code_table,
    discards,
    sector_of,
)
from communique.extractor.rules import Encoded, RuleMatch, RuleSet, compile_rule
from communique.resources import data_dir_files, load_yaml

ROOT = Path(__file__).resolve().parent.parent
DICTIONARIES = ROOT.parent / "shared" / "dictionaries"
RULE_FILES = [
    f for f in data_dir_files("rules/en") if re.fullmatch(r"rules/en/cameo(-\d+)?\.yaml", f)
]


def _raw_rules() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for f in RULE_FILES:
        out.extend(load_yaml(f))
    return out


def _needs_dictionaries() -> Path:
    if not (DICTIONARIES / "petrarch2" / "CAMEO.2.0.txt").is_file():
        pytest.skip(f"no dictionaries at {DICTIONARIES}")
    return DICTIONARIES


def _converted() -> RuleSet:
    """The converted PETRARCH rules alone (the event rule set also holds the project's own
    readout phrasings, cameo-0-readouts.yaml, read first: tests/test_rules.py checks those)."""
    rules = [r for r in cameo_rules().rules if r.source in RULE_FILES]
    return RuleSet("cameo", rules, cameo_language())


def _winners(sentence: str) -> list[RuleMatch]:
    """The CAMEO matches that survive where rules overlap (the earlier rule wins)."""
    lang = cameo_language()
    rs = _converted()
    cands = rs.candidates(sentence)
    order = {r.id: k for k, r in enumerate(cands)}
    found = sorted(
        Encoded(lang.tokenize(sentence)).matches(cands), key=lambda m: (order[m.rule.id], m.start)
    )
    kept: list[RuleMatch] = []
    for m in found:
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    return kept


@pytest.mark.slow
def test_the_converter_reproduces_the_committed_files_byte_for_byte() -> None:
    dictionaries = _needs_dictionaries()
    res = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "convert_petrarch.py"), "--check",
         "--dictionaries", str(dictionaries)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr


def test_rule_files_are_named_for_the_loader_and_open_with_a_comment() -> None:
    assert RULE_FILES[-1] == "rules/en/cameo.yaml"  # read last: the bare verbs
    for name in [*RULE_FILES, "lang/en/cameo-classes.yaml", "lang/en/agents.yaml"]:
        from communique.resources import data_text

        text = data_text(name)
        assert text.startswith("# "), name
        assert "scripts/convert_petrarch.py" in text.split("\n\n")[0], name


def test_every_rule_compiles_and_matches_its_example() -> None:
    lang = cameo_language()
    bad = []
    raw = _raw_rules()
    assert len(raw) > 3000
    for r in raw:
        rule = compile_rule(r, lang, "cameo")
        (example,) = r["examples"]
        if not list(Encoded(lang.tokenize(example)).matches([rule])):
            bad.append((r["id"], r["pattern"], example))
    assert not bad, bad[:5]


def test_every_example_fires_among_all_the_rules() -> None:
    """Where rules overlap the earlier wins (Analysis.matches): no rule read earlier takes an
    example's words from its rule, so the examples hold in the pipeline too."""
    lost = []
    for r in _converted().rules:
        (example,) = r.examples
        if r.id not in {m.rule.id for m in _winners(example)}:
            lost.append((r.id, example))
    assert not lost, lost[:5]


def test_ids_are_unique_and_every_rule_names_its_source() -> None:
    raw = _raw_rules()
    ids = [r["id"] for r in raw]
    assert len(ids) == len(set(ids))
    for r in raw:
        assert re.fullmatch(r"cameo\.[a-z0-9-]+(\.[a-z0-9-]+)?", r["id"]), r["id"]
        if not r["id"].endswith("-guard"):
            assert r["source"].startswith("PETRARCH2 CAMEO.2.0.txt: "), r["id"]


def test_rule_codes_are_in_the_table_with_its_plover_and_goldstein() -> None:
    table = code_table()
    for r in _raw_rules():
        if r["cameo"] is None:  # PETRARCH's [---]: codes nothing, keeps a bare verb from firing
            assert r["plover"] is None and r["goldstein"] is None, r["id"]
            continue
        code = table[r["cameo"]]
        assert r["goldstein"] == code.goldstein, r["id"]
        assert r["plover"] == code.plover, r["id"]
        assert r["plover_mode"] == code.plover_mode, r["id"]
        assert r["plover_context"] == code.plover_context, r["id"]
        if "cameo_reciprocal" in r:
            assert r["cameo_reciprocal"] in table, r["id"]


def _official_table() -> dict[str, tuple[str, str, str]]:
    text = (_needs_dictionaries() / "plover" / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8")
    out: dict[str, tuple[str, str, str]] = {}
    for line in text.splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,([^,#]*))?(?:,([^#]*))?", line)
        if m and m.group(1) not in out:
            ctx = ";".join(c.strip() for c in (m.group(4) or "").split(";") if c.strip())
            out[m.group(1)] = (m.group(2), (m.group(3) or "").strip(), ctx)
    return out


def test_every_cameo_code_maps_to_plover_per_the_official_table() -> None:
    official = _official_table()
    table = code_table()
    assert set(official) <= set(table)
    for code, c in table.items():
        assert -10.0 <= c.goldstein <= 10.0
        if code in official:
            assert (c.plover, c.plover_mode or "", c.plover_context or "") == official[code], code
        else:
            # the manual's translation table: 01 MAKE PUBLIC STATEMENT and 02 APPEAL are dropped
            assert code[:2] in ("01", "02") and c.plover is None, code
    assert table["040"].plover == "CONSULT" and table["1121"].plover_mode == "allege"
    assert table["100"].plover == "REQUEST" and table["111"].plover == "ACCUSE"
    assert table["163"].plover == "COERCE"  # as PLOVER's table has it, not SANCTION


def test_goldstein_values_agree_with_the_stances_already_coded() -> None:
    table = code_table()
    for key, st in load_yaml("stances.yaml").items():
        if key != "prefilter":
            assert table[str(st["cameo"])].goldstein == float(st["goldstein"]), key


def _codes(sentence: str) -> list[str | None]:
    return [m.rule.get("cameo") for m in _winners(sentence)]


def test_phrasings_get_their_petrarch_codes() -> None:
    assert _codes("Germany met with France.") == ["040"]
    assert _codes("Germany imposed sanctions against France.") == ["163"]
    # PETRARCH's own reading: a demand for a release is an appeal (0253), a demand that someone
    # release prisoners a demand (100) and a release (0841)
    assert _codes("Germany demanded the release of the prisoners.") == ["0253"]
    assert sorted(_codes("Germany demanded that France release the prisoners.")) == ["0841", "100"]
    assert _codes("Germany condemned France.")[0] == "111"


def test_the_noun_guard_keeps_nouns_from_being_coded_as_verbs() -> None:
    kept = _winners("During the meeting, Germany praised France.")
    assert kept[0].rule.id == "cameo.noun-guard"
    assert kept[0].rule.get("cameo") is None
    assert [m.rule.get("cameo") for m in kept[1:]] == ["051"]


def test_slots_name_source_and_target() -> None:
    (m,) = _winners("Germany asked France for financial aid.")
    assert m.side("a") == "left" and m.side("b") == "right"
    assert m.rule.get("cameo") == "0231"


def test_agents_give_sectors() -> None:
    table = agents()
    assert sector_of(table["foreign minister"]) == "GOV"
    assert sector_of(table["troops"]) == "MIL"
    assert sector_of(table["police"]) == "COP"
    assert sector_of("MUSREB") == "REB"  # a religion is not a sector
    data = load_yaml("lang/en/agents.yaml")
    assert {"GOV", "MIL", "COP", "JUD", "OPP", "BUS", "MED", "REB", "LEG"} <= set(data["sectors"])
    assert set(data["religions"]).isdisjoint(data["sectors"])


def test_discards_mark_sports_and_entertainment() -> None:
    d = discards()
    assert d.story_discarded("He scored twice in the World Cup final.") == "world cup"
    assert d.sentence_discarded("The Academy Awards were held on Sunday.") == "academy award"
    assert d.sentence_discarded("It was built in 1939 by the army.") == "1939"
    assert d.sentence_discarded("Germany met France to discuss trade.") is None
