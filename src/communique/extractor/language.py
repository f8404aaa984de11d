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
from communique.resources import data_dir_files, data_exists, load_tsv, load_yaml

# a token: initials ("U.S."), numbers ("17", "2023-05-17", "1st"), words with inner hyphens and
# apostrophes ("Kassym-Jomart", "O'Brien"), a possessive "'s", "n't", or any other character
_EN_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|[A-Z]\.(?= [A-Z][a-z])|\d+(?:[.,:/\-]\d+)*(?:st|nd|rd|th)?|"
    r"[^\W\d_]+(?:-[^\W\d_]+)*(?:'(?!s\b|t\b)[^\W\d_]+)*(?:-\d+)?|'s\b|n't\b|\S"
)
# a character of a script written without spaces (CJK ideographs, kana, full-width forms): one
# token on its own where the dictionary knows no word
_UNSPACED_CHAR = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
)
_UNSPACED_SPLIT = re.compile(rf"{_UNSPACED_CHAR.pattern}|(?:(?!{_UNSPACED_CHAR.pattern}).)+")
# a word as the lexicon reads it on dictionary forms: letters and digits, inner hyphens kept
# ("Касым-Жомарт", "российско-оманские"); any other character separates words
_WORD_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# word-like text (lowercase) for the sentence prefilter
WORDS = re.compile(r"[^\W\d_]+")
_BREAK_PUNCT = frozenset(".!?;:\u3002\uff01\uff1f\uff1b\uff1a")
_PROPER = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn", "Trad"})
_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "acc2", "loc2"})


class Token(NamedTuple):
    start: int
    end: int
    text: str
    lower: str
    lemmas: tuple[str, ...]  # the forms a rule word may name: the word and its dictionary forms
    tags: frozenset[str]
    code: str  # the token as the rule engine reads it (token_code), before the extractor's tags


SEP = "\x1f"
_new_tuple = tuple.__new__


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
    # the morphological analyser behind ``morphology`` (Russian: pymorphy3), for grammemes
    analyser: Any = None
    # class -> grammemes: a word is of the class when every parse of it has one of them
    # ("состоится", "проведут": @future)
    grammeme_classes: dict[str, frozenset[str]] = field(default_factory=dict)
    # case -> (ending, replacement): a foreign name's nominative where the analyser knows no
    # noun reading in that case ("Хурэлсухом" -> "Хурэлсух")
    name_endings: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    # -- word lists -------------------------------------------------------------------------
    def _set(self, key: str) -> frozenset[str]:
        return frozenset(str(w) for w in self.words.get(key) or ())

    @functools.cached_property
    def anonymous_subjects(self) -> frozenset[str]:
        """Subjects no party names ("各方", "多国"): what they say is coded for no one."""
        return self._set("anonymous_subjects")

    @functools.cached_property
    def unspaced(self) -> bool:
        """Whether words are written without spaces between them (Chinese)."""
        return self.dictionary is not None

    @functools.cached_property
    def terminators(self) -> str:
        """Full stops that end a sentence with no space after them ("。！？")."""
        return str(self.words.get("sentence_terminators") or "")

    @functools.cached_property
    def joiners(self) -> tuple[str, ...]:
        """Words that join two parties in text without spaces ("和", "、")."""
        return tuple(str(w) for w in self.words.get("joiners") or ())

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
        """Every form of every weekday (a weekday of ``words.yaml`` is a word or a list of its
        forms, Monday first)."""
        return tuple(self.weekday_index)

    @functools.cached_property
    def weekday_index(self) -> dict[str, int]:
        """A weekday's form -> its number (Monday 0)."""
        out: dict[str, int] = {}
        for n, day in enumerate(self.words.get("weekdays") or ()):
            for form in day if isinstance(day, list) else [day]:
                out.setdefault(str(form).lower(), n)
        return out

    @functools.cached_property
    def weekday_prefixes(self) -> dict[str, str]:
        """ "on Friday", "last Friday", "next Friday": the prefix and what it does."""
        return {
            str(k).lower(): str(v) for k, v in (self.words.get("weekday_prefixes") or {}).items()
        }

    @functools.cached_property
    def relative_days(self) -> dict[str, int | None]:
        """ "yesterday": -1; a period with no single day ("this week"): None."""
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
    def publisher_roles(self) -> frozenset[str]:
        """Roles whose holder, named first with no nationality, tells whose readout it is (the
        principal roles unless the language says more)."""
        return self._set("publisher_roles") or self.principal_roles

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
    def and_words(self) -> frozenset[str]:
        """Conjunctions that join two coordinated parties ("and", "&"; Russian "и")."""
        return frozenset(w.lower() for w in self._set("and_words")) or frozenset({"and", "&"})

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
        """The classes of a word; where the language has a morphology, a class names dictionary
        forms and every inflection of them belongs to it ("телефонным": @phone)."""
        hit = self._class_cache.get(lower)
        if hit is None:
            forms = self.lemmas(lower) if self.morphology is not None else (lower,)
            found: set[str] = set()
            for form in forms:
                found |= self._class_index.get(form, frozenset())
            if self.grammeme_classes and self.analyser is not None:
                parses = self.analyser.grammemes(lower)
                for c, wanted in self.grammeme_classes.items():
                    if parses and all(p & wanted for p in parses):
                        found.add(c)
            hit = frozenset(found)
            self._class_cache[lower] = hit
        return hit

    @functools.cached_property
    def _class_index(self) -> dict[str, frozenset[str]]:
        """Word -> the classes that list it (built once: a language has hundreds of classes)."""
        index: dict[str, set[str]] = {}
        for name, words in self.classes.items():
            for w in words:
                index.setdefault(w, set()).add(name)
        return {w: frozenset(names) for w, names in index.items()}

    def cases(self, word: str) -> frozenset[str]:
        """The grammatical cases a noun may be in ("Президентом": ablt); empty without a
        morphology."""
        if self.analyser is None:
            return frozenset()
        out: set[str] = set()
        for g in self.analyser.grammemes(word.lower()):
            if "NOUN" in g or "ADJF" in g:
                out.update(g & _CASES)
        return frozenset(out)

    def nominative_name(self, name: str, cases: frozenset[str]) -> str:
        """A personal name written in ``cases`` (those of the title before it) in the
        nominative, each word and each hyphenated part as the text capitalises it ("Ахмедом
        Шараа" -> "Ахмед Шараа"); the name itself without a morphology or a case."""
        if self.analyser is None or not cases:
            return name
        out = []
        for word in name.split(" "):
            parts = []
            for part in word.split("-"):
                if not part[:1].isupper() or part.isupper():
                    parts.append(part)  # particles ("бен", "аль") and initials stay
                    continue
                base = self.analyser.inflect_name(part, cases)
                if base is None:
                    base = part
                    for case in sorted(cases):
                        for ending, repl in self.name_endings.get(case, ()):
                            if len(part) > len(ending) + 2 and part.endswith(ending):
                                base = part[: len(part) - len(ending)] + repl
                                break
                        if base != part:
                            break
                parts.append(base[:1].upper() + base[1:])
            out.append("-".join(parts))
        return " ".join(out)

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
            # Token(start, end, s, *known), without the call of its __new__
            out.append(_new_tuple(Token, (*m.span(), s, *known)))
        return out

    def word_spans(self, text: str) -> list[tuple[int, int, str]]:
        """The words and numbers of a text as (start, end, text), without their lemmas and
        tags: what the lexicon reads on dictionary forms (its forms are cut alike)."""
        if self.dictionary is not None:
            return [(t.start, t.end, t.text) for t in self.tokenize(text) if t.text[:1].isalnum()]
        return [(m.start(), m.end(), m.group()) for m in _WORD_TOKEN.finditer(text)]

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
                if len(piece) > 1 and _UNSPACED_CHAR.search(piece):
                    # no dictionary word: one token a character (a Latin run stays whole)
                    for cm in _UNSPACED_SPLIT.finditer(piece):
                        ch = cm.group()
                        known = forms.get(ch) or self._form(ch)
                        out.append(Token(m.start() + cm.start(), m.start() + cm.end(), ch, *known))
                    continue
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
            self._class_cache.clear()
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
            f"no language data for {code!r}: add data/lang/{code}/words.yaml (see docs/rules.md)"
        )
    words: dict[str, Any] = dict(load_yaml(f"lang/{code}/words.yaml") or {})
    if data_exists(f"lang/{code}/names.yaml"):
        words.update(load_yaml(f"lang/{code}/names.yaml") or {})
    lang = Language(code=code, words=words, irregular=_load_lemma_table(code))
    morph: dict[str, Any] = {}
    if data_exists(f"lang/{code}/classes.yaml"):
        morph = load_yaml(f"lang/{code}/classes.yaml") or {}
    # every class file of the language: classes.yaml and the generated ones beside it
    # (cameo-classes.yaml: PETRARCH's synonym sets), so that one tokenisation serves every rule
    for name in _class_files(code):
        for cls, value in ((load_yaml(name) or {}).get("classes") or {}).items():
            if isinstance(value, str):
                lang.macros[cls] = value
            else:
                lang.classes[cls] = frozenset(str(w).lower() for w in value)
    lang.suffix_rules = tuple((str(a), str(b or "")) for a, b in morph.get("suffixes") or ())
    known: set[str] = set()
    for lemmas in lang.irregular.values():
        known.update(lemmas)
    lang.known_lemmas = known
    if words.get("morphology") == "pymorphy3":
        lang.analyser = _Pymorphy(code)
        lang.morphology = lang.analyser.normal_forms
    lang.grammeme_classes = {
        str(k): frozenset(str(g) for g in v) for k, v in (morph.get("grammemes") or {}).items()
    }
    lang.name_endings = {
        str(case): tuple((str(a), str(b or "")) for a, b in pairs)
        for case, pairs in (morph.get("name_endings") or {}).items()
    }
    if words.get("segmenter") == "dictionary":
        cut = [*(words.get("dictionary") or ()), *(words.get("anonymous_subjects") or ())]
        lang.dictionary = _Dictionary(str(w) for w in cut)
    return lang


def _class_files(code: str) -> list[str]:
    """``lang/<code>/classes.yaml`` last (its classes win), after any ``*classes*.yaml`` beside it."""
    files = [
        f
        for f in data_dir_files(f"lang/{code}")
        if f.endswith(".yaml") and "classes" in f.rsplit("/", 1)[-1]
    ]
    return sorted(files, key=lambda f: f.endswith("/classes.yaml"))


class _Pymorphy:
    """pymorphy3 (its dictionaries ship on PyPI, offline): every parse of a word, once."""

    def __init__(self, code: str) -> None:
        import pymorphy3

        self.morph = pymorphy3.MorphAnalyzer(lang=code)
        self._cache: dict[str, tuple[tuple[str, ...], tuple[frozenset[str], ...]]] = {}
        self._names: dict[tuple[str, frozenset[str]], str | None] = {}
        self._proper: dict[str, str | None] = {}

    def _analyse(self, word: str) -> tuple[tuple[str, ...], tuple[frozenset[str], ...]]:
        hit = self._cache.get(word)
        if hit is None:
            forms: list[str] = []
            tags: list[frozenset[str]] = []
            parses = self.morph.parse(word)
            # a word that can be a preposition, a conjunction or a particle reads as one first
            # ("после" is "after" before it is the locative of "посол")
            parses.sort(key=lambda p: not ({"PREP", "CONJ", "PRCL"} & p.tag.grammemes))
            for parse in parses:
                nf = parse.normal_form.replace("ё", "е")
                if nf not in forms:
                    forms.append(nf)
                tags.append(frozenset(parse.tag.grammemes))
            hit = (tuple(forms), tuple(tags))
            if len(self._cache) < 500_000:
                self._cache[word] = hit
        return hit

    def normal_forms(self, word: str) -> tuple[str, ...]:
        """The normal forms pymorphy3 gives a word (every parse; "ё" read as "е")."""
        return self._analyse(word)[0]

    def grammemes(self, word: str) -> tuple[frozenset[str], ...]:
        """The grammemes of each parse of a word ("состоится": VERB, perf, futr ...)."""
        return self._analyse(word)[1]

    def proper_normal_form(self, word: str) -> str | None:
        """The normal form of a word read as a proper name (a place, a first name, a surname,
        an organisation), when pymorphy3 has such a reading: "Того" is the country, not "тот"."""
        hit = self._proper.get(word, "")
        if hit == "":
            hit = next(
                (
                    p.normal_form.replace("ё", "е")
                    for p in self.morph.parse(word)
                    if _PROPER & p.tag.grammemes
                ),
                None,
            )
            if len(self._proper) < 200_000:
                self._proper[word] = hit
        return hit

    def inflect_name(self, word: str, cases: frozenset[str]) -> str | None:
        """A name's word in the nominative, read as a noun in one of ``cases`` (the case of
        the title it stands in apposition to: "Президентом ... Ахмедом" -> "ахмед"); None when
        no noun parse is in those cases."""
        key = (word, cases)
        if key in self._names:
            return self._names[key]
        found = self._inflect_name(word, cases)
        if len(self._names) < 100_000:
            self._names[key] = found
        return found

    def _inflect_name(self, word: str, cases: frozenset[str]) -> str | None:
        best = None
        for parse in self.morph.parse(word.lower()):
            tag = parse.tag
            if tag.POS != "NOUN" or tag.case not in cases:
                continue
            rank = (not ({"Name", "Surn", "Patr"} & set(tag.grammemes)), -parse.score)
            if best is None or rank < best[0]:
                best = (rank, parse)
        if best is None:
            return None
        nominative = best[1].inflect({"nomn", "sing"}) or best[1].inflect({"nomn"})
        return str(nominative.word if nominative is not None else best[1].normal_form)


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
