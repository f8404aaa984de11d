"""Statements: who expressed which stance (data/stances.yaml) to or about whom."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from communique.extractor.actors import ActorTable, EntityRef
from communique.extractor.lexicon import StemFinder
from communique.extractor.text import Sentence
from communique.resources import load_yaml

_CLAUSE_BREAK = re.compile(r";|, (?:while|whereas|but)\b|\. ")
_NEGATION = re.compile(r"\b(?:not|never|no longer|neither|nor)\s+(?:\w+\s+)?$", re.I)


@dataclass(frozen=True, slots=True)
class Stance:
    id: str
    cameo: str
    plover: str
    goldstein: float
    patterns: tuple[re.Pattern[str], ...]


@dataclass
class StatementDraft:
    stance: Stance
    subject: list[EntityRef]
    target: list[EntityRef]
    sentence: Sentence
    trigger: tuple[int, int]


@functools.cache
def stances() -> tuple[Stance, ...]:
    data: dict[str, Any] = load_yaml("stances.yaml")
    return tuple(
        Stance(
            id=key,
            cameo=str(v["cameo"]),
            plover=v["plover"],
            goldstein=float(v["goldstein"]),
            patterns=tuple(re.compile(p, re.IGNORECASE) for p in v["patterns"]),
        )
        for key, v in data.items()
        if key != "prefilter"
    )


@functools.cache
def _stance_prefilter() -> StemFinder:
    """Word stems every stance pattern contains (data/stances.yaml `prefilter`)."""
    return StemFinder(load_yaml("stances.yaml")["prefilter"])


@functools.cache
def _stance_stems() -> dict[str, frozenset[str]]:
    """For each stance, the prefilter stems its patterns spell."""
    stems = [s.lower() for s in load_yaml("stances.yaml")["prefilter"]]
    return {
        st.id: frozenset(x for x in stems if any(x in rx.pattern.lower() for rx in st.patterns))
        for st in stances()
    }


def statements_in_sentence(
    text: str, sentence: Sentence, actors: ActorTable, last_subject: list[EntityRef]
) -> list[StatementDraft]:
    """At most one statement per clause: the first stance (in file order) whose pattern matches."""
    out: list[StatementDraft] = []
    found = _stance_prefilter().stems(sentence.text)
    if not found:
        return out
    stem_map = _stance_stems()
    candidates = [st for st in stances() if stem_map[st.id] & found]
    if not actors.refs_between(sentence.start, sentence.end) and not last_subject:
        return out
    clauses = _clauses(sentence)
    for c_start, c_end in clauses:
        clause = text[c_start:c_end]
        for stance in candidates:
            m = None
            for rx in stance.patterns:
                m = rx.search(clause)
                if m:
                    break
            if m is None:
                continue
            t_start, t_end = c_start + m.start(), c_start + m.end()
            if _NEGATION.search(text[max(c_start, t_start - 20) : t_start]):
                break
            refs_before = [
                r for r in actors.refs_between(sentence.start, t_start) if r.kind != "initiative"
            ]
            subject = _subject(refs_before, last_subject)
            owner = _possessor(text, refs_before, t_start)
            if owner is not None and not (subject and subject[0].kind == "plural"):
                subject = [owner]
            if not subject:
                break
            after = actors.refs_between(t_end, c_end)
            subj_keys = {r.country for r in subject if r.kind != "plural"}
            target = [
                r
                for r in after
                if r.kind in ("person", "state", "org", "initiative")
                and r.country
                and r.country not in subj_keys
            ][:1]
            out.append(StatementDraft(stance, subject, target, sentence, (t_start, t_end)))
            break
    return out


def _possessor(text: str, refs: list[EntityRef], pos: int) -> EntityRef | None:
    """ "the PRC's support for Russia": the stance belongs to the possessor, not the speaker."""
    for r in reversed(refs):
        if r.kind not in ("person", "state", "org"):
            continue
        between = text[r.end : pos]
        if re.fullmatch(r"'s?\s+(?:[a-z\-]+\s+){0,2}", between):
            return r
        break
    return None


def _clauses(sentence: Sentence) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in _CLAUSE_BREAK.finditer(sentence.text):
        out.append((sentence.start + pos, sentence.start + m.start()))
        pos = m.end()
    out.append((sentence.start + pos, sentence.end))
    return out


def _subject(refs_before: list[EntityRef], last_subject: list[EntityRef]) -> list[EntityRef]:
    """The grammatical subject: the first actor reference of the sentence (a pronoun or plural
    reference resolved by the caller via ``last_subject`` / the main encounter)."""
    for r in refs_before:
        if r.kind in ("person", "state", "org"):
            return [r]
        if r.kind == "plural":
            return [r]
        if r.kind == "pronoun":
            return last_subject[:1] if last_subject else []
    return []
