"""The rule files are data: check they stay consistent as people edit them."""

from __future__ import annotations

import re
from pathlib import Path

from communique.extractor.cameo import code_table
from communique.extractor.events import event_data
from communique.extractor.lexicon import get_lexicon
from communique.resources import load_yaml


def test_stances_name_cameo_codes_and_match_the_taxonomy() -> None:
    doc = Path("docs/taxonomy.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| ([a-z_]+) \| .* \| (?:\d|0)", doc, re.M))
    table = code_table()
    data = load_yaml("stances.yaml")
    assert set(data) == {st.id for st in event_data().stances}
    for name, spec in data.items():
        assert name in documented, name
        assert spec["codes"], name
        for code in spec["codes"]:
            assert any(c.startswith(code) for c in table), (name, code)
        assert table[str(spec["cameo"])].goldstein == float(spec["goldstein"]), name


def test_every_stance_is_reachable_from_a_code() -> None:
    data = event_data()
    for st in data.stances:
        code = str(load_yaml("stances.yaml")[st.id]["cameo"])
        assert data.stance(code, set(st.words) or {"x"}) == st.id, st.id


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
