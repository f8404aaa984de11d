"""A language as data: the words of ``data/lang/<code>/`` and how its text splits into tokens.

The engine is language-neutral. Everything it knows about English (abbreviations, months,
honorifics, name particles, pronouns, negation, word classes, irregular forms) is read from
``data/lang/en/``; a language is added by adding its folder. A :class:`Language` gives tokens
with their lemmas (the dictionary forms a rule is written on: "spoke", "speaks" and "speaking"
are all ``speak``) and their word classes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from communique.errors import RuleError
from communique.resources import data_exists, load_tsv, load_yaml

# a token: initials ("U.S."), numbers ("17", "2023-05-17", "1st"), words with inner hyphens and
# apostrophes ("Kassym-Jomart", "O'Brien"), a possessive "'s", "n't", or any other character
_EN_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|[A-Z]\.(?= [A-Z][a-z])|\d+(?:[.,:/\-]\d+)*(?:st|nd|rd|th)?|"
    r"[^\W\d_]+(?:-[^\W\d_]+)*(?:'(?!s\b|t\b)[^\W\d_]+)*(?:-\d+)?|'s\b|n't\b|\S"
)
# word-like text (lowercase) for the sentence prefilter
WORDS = re.compile(r"[^\W\d_]+")
_BREAK_PUNCT = frozenset(".!?;:")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    lower: str
    lemmas: tuple[str, ...]  # the forms a rule word may name: the word and its dictionary forms
    tags: frozenset[str]


@dataclass(eq=False)
class Language:
    """The words of one language (``data/lang/<code>/words.yaml`` and friends)."""

    code: str
    words: dict[str, Any]
    irregular: dict[str, tuple[str, ...]] = field(default_factory=dict)  # form -> lemmas
    suffix_rules: tuple[tuple[str, str], ...] = ()  # (ending, replacement) to find a lemma
    classes: dict[str, frozenset[str]] = field(default_factory=dict)  # class -> lowercase words
    macros: dict[str, str] = field(default_factory=dict)  # class -> pattern
    known_lemmas: set[str] = field(default_factory=set)
    _lemma_cache: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _class_cache: dict[str, frozenset[str]] = field(default_factory=dict)

    # -- word lists -------------------------------------------------------------------------
    def _set(self, key: str) -> frozenset[str]:
        return frozenset(str(w) for w in self.words.get(key) or ())

    @functools.cached_property
    def abbreviations(self) -> frozenset[str]:
        return self._set("abbreviations")

    @functools.cached_property
    def continuers(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self._set("continuers"))

    @functools.cached_property
    def months(self) -> dict[str, int]:
        return {
            str(name).lower(): int(num)
            for num, names in (self.words.get("months") or {}).items()
            for name in names
        }

    @functools.cached_property
    def weekdays(self) -> tuple[str, ...]:
        return tuple(str(w).lower() for w in self.words.get("weekdays") or ())

    @functools.cached_property
    def weekday_prefixes(self) -> dict[str, str]:
        """"on Friday", "last Friday", "next Friday": the prefix and what it does."""
        return {str(k).lower(): str(v) for k, v in (self.words.get("weekday_prefixes") or {}).items()}

    @functools.cached_property
    def relative_days(self) -> dict[str, int | None]:
        """"yesterday": -1; a period with no single day ("this week"): None."""
        return {
            str(k).lower(): (None if v is None else int(v))
            for k, v in (self.words.get("relative_days") or {}).items()
        }

    @functools.cached_property
    def honorifics(self) -> frozenset[str]:
        return self._set("honorifics")

    @functools.cached_property
    def honorific_phrases(self) -> tuple[str, ...]:
        return tuple(sorted(self._set("honorific_phrases"), key=len, reverse=True))

    @functools.cached_property
    def name_particles(self) -> tuple[str, ...]:
        return tuple(str(w) for w in self.words.get("name_particles") or ())

    @functools.cached_property
    def hyphen_particles(self) -> tuple[str, ...]:
        return tuple(str(w) for w in self.words.get("hyphen_particles") or ())

    @functools.cached_property
    def title_connectors(self) -> frozenset[str]:
        return self._set("title_connectors")

    @functools.cached_property
    def title_prepositions(self) -> frozenset[str]:
        return self._set("title_prepositions")

    @functools.cached_property
    def qualifiers(self) -> frozenset[str]:
        return self._set("qualifiers")

    @functools.cached_property
    def junior(self) -> frozenset[str]:
        return self._set("junior")

    @functools.cached_property
    def role_words(self) -> dict[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in (self.words.get("role_words") or {}).items()}

    @functools.cached_property
    def principal_roles(self) -> frozenset[str]:
        return self._set("principal_roles")

    @functools.cached_property
    def pronouns(self) -> frozenset[str]:
        return self._set("pronouns")

    @functools.cached_property
    def first_person(self) -> frozenset[str]:
        return self._set("first_person")

    @functools.cached_property
    def plural_references(self) -> tuple[str, ...]:
        return tuple(sorted(self._set("plural_references"), key=len, reverse=True))

    @functools.cached_property
    def negation(self) -> tuple[str, ...]:
        return tuple(sorted(self._set("negation"), key=len, reverse=True))

    @functools.cached_property
    def coordination(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self._set("coordination"))

    @functools.cached_property
    def common(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self._set("common"))

    @functools.cached_property
    def office_words(self) -> frozenset[str]:
        return self._set("office_words")

    @functools.cached_property
    def not_names(self) -> frozenset[str]:
        return self._set("not_names")

    @functools.cached_property
    def break_words(self) -> frozenset[str]:
        """Capitalised words that never continue a name: sentence openers, months, weekdays."""
        cal = {m.capitalize() for m in self.months if len(m) > 3} | {
            d.capitalize() for d in self.weekdays
        }
        return self._set("break_words") | frozenset(cal)

    # -- tokens and lemmas ------------------------------------------------------------------
    def lemmas(self, lower: str) -> tuple[str, ...]:
        """The word itself and every dictionary form of it that the rules name."""
        hit = self._lemma_cache.get(lower)
        if hit is not None:
            return hit
        out = [lower]
        for lemma in self.irregular.get(lower, ()):
            if lemma not in out:
                out.append(lemma)
        for ending, repl in self.suffix_rules:
            if len(lower) > len(ending) + 1 and lower.endswith(ending):
                cand = lower[: len(lower) - len(ending)] + repl
                if cand in self.known_lemmas and cand not in out:
                    out.append(cand)
        result = tuple(out)
        self._lemma_cache[lower] = result
        return result

    def word_classes(self, lower: str) -> frozenset[str]:
        hit = self._class_cache.get(lower)
        if hit is None:
            hit = frozenset(c for c, ws in self.classes.items() if lower in ws)
            self._class_cache[lower] = hit
        return hit

    def tokenize(self, text: str, start: int = 0, end: int | None = None) -> list[Token]:
        """Tokens of ``text[start:end]`` with offsets into ``text``, lemmas and shape tags."""
        out = []
        lemmas = self.lemmas
        classes = self.word_classes
        for m in _EN_TOKEN.finditer(text, start, len(text) if end is None else end):
            s = m.group()
            low = s.lower()
            tags = set(classes(low))
            c = s[0]
            if c.isalpha():
                if c.isupper():
                    tags.add("cap")
                    if len(s) > 1 and s.isupper():
                        tags.add("upper")
                elif c.islower():
                    tags.add("low")
            elif c.isdigit():
                tags.add("num")
                if len(s) == 4 and s[:2] in ("19", "20") and s.isdigit():
                    tags.add("year")
            elif s in _BREAK_PUNCT:
                tags.add("brk")
            elif s == ",":
                tags.add("comma")
            else:
                tags.add("punct")
            out.append(Token(m.start(), m.end(), s, low, lemmas(low), frozenset(tags)))
        return out

    def add_known_lemmas(self, words: set[str]) -> None:
        """Words the rules name as lemmas; a token's lemmas are looked up among them."""
        new = words - self.known_lemmas
        if new:
            self.known_lemmas |= new
            self._lemma_cache.clear()


def _load_lemma_table(code: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    name = f"lang/{code}/lemmas.tsv"
    if not data_exists(name):
        return {}
    for row in load_tsv(name):
        out.setdefault(row["form"].lower(), []).append(row["lemma"].lower())
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def get_language(code: str = "en") -> Language:
    """The language ``code`` from ``data/lang/<code>/`` (loaded once per process)."""
    if not data_exists(f"lang/{code}/words.yaml"):
        raise RuleError(
            f"no language data for {code!r}: add data/lang/{code}/words.yaml "
            "(see docs/rules.md)"
        )
    words: dict[str, Any] = dict(load_yaml(f"lang/{code}/words.yaml") or {})
    if data_exists(f"lang/{code}/names.yaml"):
        words.update(load_yaml(f"lang/{code}/names.yaml") or {})
    lang = Language(code=code, words=words, irregular=_load_lemma_table(code))
    morph: dict[str, Any] = {}
    if data_exists(f"lang/{code}/classes.yaml"):
        morph = load_yaml(f"lang/{code}/classes.yaml") or {}
    for name, value in (morph.get("classes") or {}).items():
        if isinstance(value, str):
            lang.macros[name] = value
        else:
            lang.classes[name] = frozenset(str(w).lower() for w in value)
    lang.suffix_rules = tuple((str(a), str(b or "")) for a, b in morph.get("suffixes") or ())
    known: set[str] = set()
    for lemmas in lang.irregular.values():
        known.update(lemmas)
    lang.known_lemmas = known
    return lang
