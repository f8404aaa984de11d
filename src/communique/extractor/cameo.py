"""The CAMEO data converted from PETRARCH and PLOVER (scripts/convert_petrarch.py), loaded once.

- :func:`cameo_rules`: the rule set ``rules/<lang>/cameo*.yaml`` (CAMEO verb patterns; each rule
  carries ``cameo``, ``plover``, ``plover_mode``, ``plover_context``, ``goldstein``, ``source``);
- :func:`code_table`: ``cameo.tsv``, every CAMEO code with its name, Goldstein value and PLOVER
  2021 type, mode and context;
- :func:`agents`: ``lang/<lang>/agents.yaml``, agent phrases -> CAMEO agent codes (sectors);
- :func:`discards`: ``lang/<lang>/discards.yaml``, phrases of stories and sentences not to code.

The rules name word classes of ``lang/<lang>/cameo-classes.yaml`` (PETRARCH's synonym sets and
each verb block's verb forms). A token carries a class only if the language it was tokenised with
knows the class; the language loader reads every ``classes*.yaml`` of a language, so the
extractor's one tokenisation of a sentence serves the CAMEO rules and all the others.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from communique.extractor.language import Language, get_language
from communique.extractor.rules import RuleSet, rule_set
from communique.resources import data_exists, load_tsv, load_yaml


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    plover: str | None
    plover_mode: str | None
    plover_context: str | None
    note: str


def cameo_language(code: str = "en") -> Language:
    """The language the CAMEO rules are compiled for: the package's own, whose loader reads
    every ``classes*.yaml`` of the language (``cameo-classes.yaml`` included)."""
    return get_language(code)


def cameo_rules(lang: Language | None = None, user_dirs: tuple[str, ...] = ()) -> RuleSet:
    """The CAMEO rules, compiled once per language (most specific first, as the files order;
    user rules first, a user rule with a package rule's id replacing it)."""
    return rule_set("cameo", lang or cameo_language(), user_dirs)


@functools.cache
def code_table() -> dict[str, CameoCode]:
    """``cameo.tsv``: CAMEO code -> name, Goldstein value, PLOVER type, mode and context."""
    rows = [r for r in load_tsv("cameo.tsv") if not r["code"].startswith("#")]
    return {
        r["code"]: CameoCode(
            r["code"],
            r["name"],
            float(r["goldstein"]),
            r["plover"] or None,
            r["plover_mode"] or None,
            r["plover_context"] or None,
            r["note"],
        )
        for r in rows
    }


@functools.cache
def agents(code: str = "en") -> dict[str, str]:
    """Agent phrase (lowercase; ``~`` where words may stand between) -> CAMEO agent codes."""
    name = f"lang/{code}/agents.yaml"
    if not data_exists(name):
        return {}
    return {str(k): str(v) for k, v in (load_yaml(name).get("agents") or {}).items()}


@functools.cache
def sectors(code: str = "en") -> frozenset[str]:
    """The agent codes that are sectors (GOV, MIL, COP ...), not religions."""
    name = f"lang/{code}/agents.yaml"
    if not data_exists(name):
        return frozenset()
    return frozenset(str(k) for k in load_yaml(name).get("sectors") or {})


def sector_of(agent_codes: str, code: str = "en") -> str | None:
    """The sector an agent's codes give (``GOVMIL`` -> ``GOV``; ``MUSREB`` -> ``REB``)."""
    known = sectors(code)
    for group in re.findall("[A-Z]{3}", agent_codes):
        if group in known:
            return str(group)
    return None


@dataclass(frozen=True)
class Discards:
    story: re.Pattern[str]
    sentence: re.Pattern[str]

    def story_discarded(self, text: str) -> str | None:
        m = self.story.search(_norm(text))
        return m.group(1) if m else None

    def sentence_discarded(self, text: str) -> str | None:
        m = self.sentence.search(_norm(text))
        return m.group(1) if m else None


def _norm(text: str) -> str:
    return " " + re.sub(r"\s+", " ", text.lower())


def _discard_regex(section: dict[str, Any]) -> re.Pattern[str]:
    stems = [re.escape(str(s)) for s in section.get("stems") or ()]
    words = [re.escape(str(w)) + r"(?![^\W_])" for w in section.get("words") or ()]
    alts = sorted(stems + words, key=len, reverse=True) or ["(?!x)x"]
    return re.compile(r"(?<![^\W_])(" + "|".join(alts) + ")")


@functools.cache
def discards(code: str = "en") -> Discards:
    """PETRARCH's discard phrases: a story or sentence naming one is not coded."""
    data = load_yaml(f"lang/{code}/discards.yaml") or {}
    return Discards(
        _discard_regex(data.get("story") or {}), _discard_regex(data.get("sentence") or {})
    )
