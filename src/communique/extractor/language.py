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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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


class Token(NamedTuple):
    start: int
    end: int
    text: str
    lower: str
    lemmas: tuple[str, ...]  # the forms a rule word may name: the word and its dictionary forms
    tags: frozenset[str]
    code: str  # the token as the rule engine reads it (token_code), before the extractor's tags


SEP = "\x1f"


def token_code(lower: str, lemmas: tuple[str, ...], tags: frozenset[str]) -> str:
    """A token encoded for the rule engine (communique.extractor.rules): its lemmas, its form
    and its tags, the tag field left open for the tags the extractor adds."""
    lem = " ".join(lemmas).replace("|", "\u00a6")
    return f" {lem} {SEP}{lower.replace('|', chr(0xA6))}{SEP}|{'|'.join(tags)}|"


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
    _forms: dict[str, tuple[str, tuple[str, ...], frozenset[str], str]] = field(
        default_factory=dict
    )
    # the dictionary forms of a word (Russian: pymorphy3's normal forms), when the language
    # inflects too much for suffix rules
    morphology: Callable[[str], tuple[str, ...]] | None = None
    # words a text without spaces (Chinese) is cut into, longest first; unknown characters
    # stand alone
    dictionary: Any = None

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
        if self.morphology is not None:
            for lemma in self.morphology(lower):
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
        end = len(text) if end is None else end
        if self.dictionary is not None:
            return self._segment(text, start, end)
        out = []
        forms = self._forms
        for m in _EN_TOKEN.finditer(text, start, end):
            s = m.group()
            known = forms.get(s)
            if known is None:
                known = self._form(s)
            out.append(Token(m.start(), m.end(), s, *known))
        return out

    def _segment(self, text: str, start: int, end: int) -> list[Token]:
        """Text without spaces cut into the longest dictionary words (leftmost first); other
        characters of its script stand alone; Latin words and numbers as in English."""
        spans: list[tuple[int, int]] = []
        last = start
        for word_end, length in self.dictionary.iter(text, start, end):
            s0 = word_end - length + 1
            if s0 >= last:
                spans.append((s0, word_end + 1))
                last = word_end + 1
        out = []
        forms = self._forms
        pos = start
        cuts = [*spans, (end, end)]
        for s0, e0 in cuts:
            for m in _EN_TOKEN.finditer(text, pos, s0):
                piece = m.group()
                known = forms.get(piece) or self._form(piece)
                out.append(Token(m.start(), m.end(), piece, *known))
            if e0 > s0:
                piece = text[s0:e0]
                known = forms.get(piece) or self._form(piece)
                out.append(Token(s0, e0, piece, *known))
            pos = e0
        return out

    def _form(self, s: str) -> tuple[str, tuple[str, ...], frozenset[str], str]:
        """What a token's text alone says: its lowercase form, lemmas, classes and shape."""
        low = s.lower()
        tags = set(self.word_classes(low))
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
        lemmas = self.lemmas(low)
        frozen = frozenset(tags)
        known = (low, lemmas, frozen, token_code(low, lemmas, frozen))
        if len(self._forms) < 200_000:
            self._forms[s] = known
        return known

    def add_known_lemmas(self, words: set[str]) -> bool:
        """Words the rules name as lemmas; a token's lemmas are looked up among them. True when
        that changed what some token's lemmas are."""
        new = words - self.known_lemmas
        if new:
            self.known_lemmas |= new
            self._lemma_cache.clear()
            self._forms.clear()
        return bool(new)


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
    if words.get("morphology") == "pymorphy3":
        lang.morphology = _pymorphy_normal_forms(code)
    if words.get("segmenter") == "dictionary":
        lang.dictionary = _Dictionary(str(w) for w in words.get("dictionary") or ())
    return lang


def _pymorphy_normal_forms(code: str) -> Callable[[str], tuple[str, ...]]:
    """The normal forms pymorphy3 gives a word (every parse; "ё" read as "е")."""
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer(lang=code)
    cache: dict[str, tuple[str, ...]] = {}

    def normal_forms(word: str) -> tuple[str, ...]:
        hit = cache.get(word)
        if hit is None:
            forms: list[str] = []
            for parse in morph.parse(word):
                nf = parse.normal_form.replace("ё", "е")
                if nf not in forms:
                    forms.append(nf)
            hit = tuple(forms)
            if len(cache) < 500_000:
                cache[word] = hit
        return hit

    return normal_forms


class _Dictionary:
    """The words a text without spaces is cut into (Aho-Corasick; the longest word at each
    end position). Words are added as the rules and the lexicon name them."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words: set[str] = set()
        self._automaton: Any = None
        self.add(words)

    def add(self, words: Iterable[str]) -> None:
        new = {w for w in words if w and w not in self.words}
        if new:
            self.words |= new
            self._automaton = None

    def iter(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """(end index, length) of the longest word ending at each position, leftmost first."""
        if self._automaton is None:
            import ahocorasick

            auto = ahocorasick.Automaton()
            for w in self.words:
                auto.add_word(w, len(w))
            auto.make_automaton()
            self._automaton = auto
        if not self.words:
            return []
        found: dict[int, int] = {}
        for word_end, length in self._automaton.iter(text, start, end):
            s0 = word_end - length + 1
            if s0 >= start and length > found.get(s0, 0):
                found[s0] = length
        # leftmost-longest: from each start, the longest word; overlaps resolved left to right
        return sorted(((s0 + n - 1, n) for s0, n in found.items()), key=lambda x: x[0] - x[1])
