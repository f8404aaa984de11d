"""The rule files are data: check they stay consistent as people edit them."""

from __future__ import annotations

import re
from pathlib import Path

from communique.extractor.lexicon import get_lexicon
from communique.extractor.statements import stances
from communique.resources import load_yaml


def test_every_stance_pattern_spells_a_prefilter_stem() -> None:
    stems = [s.lower() for s in load_yaml("stances.yaml")["prefilter"]]
    for st in stances():
        for rx in st.patterns:
            assert any(s in rx.pattern.lower() for s in stems), (st.id, rx.pattern)


def test_stances_carry_cameo_and_goldstein() -> None:
    for st in stances():
        assert re.fullmatch(r"\d{3}", st.cameo), st.id
        assert -10.0 <= st.goldstein <= 10.0


def test_topics_match_the_documented_taxonomy() -> None:
    doc = Path("docs/taxonomy.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| ([a-z_]+) \|", doc, re.M))
    assert set(load_yaml("topics.yaml")) <= documented


def test_lexicon_knows_common_names_the_iso_tables_lack() -> None:
    lex = get_lexicon()
    found = {
        m.first("country", "demonym").key for m in lex.find("Turkey, Ivory Coast, Chinese, Kazakh")
    }  # type: ignore[union-attr]
    assert found == {"TUR", "CIV", "CHN", "KAZ"}


def test_word_lists_hold_words_not_yaml_booleans() -> None:
    """YAML reads a bare on, off, yes or no as a boolean: every word must come out a string."""
    import yaml

    def walk(x: object, where: str) -> None:
        assert not isinstance(x, bool), f"{where}: quote the word (YAML read it as {x})"
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, f"{where}.{k}")
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f"{where}[{i}]")

    root = Path("src/communique/data/lang")
    for path in sorted(root.rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))
