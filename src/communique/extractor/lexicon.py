"""The lexicons (data/*.tsv, data/*.yaml) compiled once into Aho-Corasick automata.

Entity surface forms (countries, capitals, demonyms, organisations, titles, people, initiatives,
places) are matched case-sensitively on word boundaries; topic keywords case-insensitively.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from communique.extractor.language import Language, Token, get_language
from communique.resources import data_exists, load_tsv, load_yaml

# kinds of lexicon entry
COUNTRY = "country"  # a country name
CAPITAL = "capital"  # a capital, used for its government ("Beijing", "Washington")
DEMONYM = "demonym"  # "Chinese", "Kazakh"
ORG = "org"
TITLE = "title"
PERSON = "person"
INITIATIVE = "initiative"
PLACE = "place"
RELATION = "relation"  # a partnership label ("comprehensive strategic partnership")


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str
    key: str  # ISO3 / org code / canonical title / person name / initiative name / place name
    extra: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    entries: tuple[Entry, ...]

    def first(self, *kinds: str) -> Entry | None:
        for e in self.entries:
            if e.kind in kinds:
                return e
        return None


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str
    lat: float | None
    lon: float | None
    population: int = 0


@dataclass
class Lexicon:
    automaton: Any
    topic_automaton: Any
    country_names: dict[str, str] = field(default_factory=dict)  # ISO3 -> common name
    capitals: dict[str, Place] = field(default_factory=dict)  # ISO3 -> capital place
    timezones: dict[str, str] = field(default_factory=dict)
    iso2: dict[str, str] = field(default_factory=dict)  # ISO2 -> ISO3 (for flag emoji)
    org_names: dict[str, str] = field(default_factory=dict)
    title_roles: dict[str, str] = field(default_factory=dict)  # canonical title -> role
    people: dict[str, str] = field(default_factory=dict)  # person name -> country
    surnames: dict[str, set[str]] = field(default_factory=dict)  # last name -> person names
    # country -> (office, first year, last year or None, person name), from people.yaml
    offices: dict[str, list[tuple[str, int, int | None, str]]] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)  # place name -> place
    person_offices: dict[str, list[str]] = field(default_factory=dict)  # name -> offices held
    initiative_owner: dict[str, str | None] = field(default_factory=dict)
    office_words: frozenset[str] = frozenset()
    stopwords: frozenset[str] = frozenset()
    # how forms are matched: "surface" on word boundaries (English), "anywhere" (Chinese: no
    # spaces), "lemma" on the words' dictionary forms (Russian: "Президентом Турции")
    matching: str = "surface"
    lang: Language | None = None
    # forms of one country's short name that several countries share (Chinese 巴): ISO3s
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def find(self, text: str) -> list[Match]:
        """Leftmost-longest, non-overlapping entity matches (on word boundaries where words are
        separated)."""
        if self.matching == "lemma":
            return self._find_lemmas(text, self.automaton)
        return _select(_iter_matches(self.automaton, text, text, self.matching == "surface"))

    def find_topics(self, text: str) -> list[tuple[int, int, str]]:
        if self.matching == "lemma":
            matches = self._find_lemmas(text, self.topic_automaton)
        else:
            low = text.lower()
            if len(low) != len(text):
                low = "".join(c.lower()[:1] or c for c in text)
            matches = _select(
                _iter_matches(self.topic_automaton, low, low, self.matching == "surface")
            )
        return [(m.start, m.end, e.key) for m in matches for e in m.entries]

    def _find_lemmas(self, text: str, automaton: Any) -> list[Match]:
        """Matches on two readings of the text, each word in its text form and in its first
        dictionary form (lowercase, "ё" as "е"), mapped back to the words' spans."""
        if self.lang is None or len(automaton) == 0:
            return []
        tokens = [t for t in self.lang.tokenize(text) if t.text[:1].isalnum()]
        found: list[Match] = []
        for reading in (_surface_reading, _lemma_reading):
            parts: list[str] = []
            starts: list[int] = []
            pos = 0
            for t in tokens:
                word = reading(t)
                starts.append(pos)
                parts.append(word)
                pos += len(word) + 1
            joined = " ".join(parts)
            for end_idx, (form_len, entries) in automaton.iter(joined):
                a, b = end_idx - form_len + 1, end_idx + 1
                if (a > 0 and joined[a - 1] != " ") or (b < len(joined) and joined[b] != " "):
                    continue
                i = bisect.bisect_left(starts, a)
                j = bisect.bisect_left(starts, b) - 1
                if i < len(tokens) and starts[i] == a and j >= i:
                    found.append(Match(tokens[i].start, tokens[j].end, entries))
        return _select(found)


class StemFinder:
    """Which of a few word stems occur in a text (case-insensitive), with Aho-Corasick: a cheap
    first test before running the slower patterns that contain those stems."""

    def __init__(self, stems: list[str]) -> None:
        self.automaton = ahocorasick.Automaton()
        for stem in stems:
            self.automaton.add_word(stem.lower(), stem.lower())
        self.automaton.make_automaton()

    def stems(self, text: str) -> set[str]:
        return {stem for _, stem in self.automaton.iter(text.lower())}


def _boundary_ok(text: str, start: int, end: int) -> bool:
    """No letter or digit glued to either side ("China-Kazakhstan" and "China's" still match)."""
    if start > 0:
        prev = text[start - 1]
        if prev.isalnum() or prev == "_":
            return False
    if end < len(text):
        nxt = text[end]
        if nxt.isalnum() or nxt == "_":
            return False
        if nxt == "-" and end + 1 < len(text) and text[end + 1].islower():
            return False  # "Cho Hyun-dong" is not "Cho Hyun"
    return True


def _iter_matches(automaton: Any, haystack: str, text: str, bounded: bool = True) -> list[Match]:
    out: list[Match] = []
    if len(automaton) == 0:
        return out
    for end_idx, (form_len, entries) in automaton.iter(haystack):
        start = end_idx - form_len + 1
        end = end_idx + 1
        if not bounded or _boundary_ok(text, start, end):
            out.append(Match(start, end, entries))
    return out


def _surface_reading(t: Token) -> str:
    return t.lower.replace("ё", "е")


def _lemma_reading(t: Token) -> str:
    return (t.lemmas[1] if len(t.lemmas) > 1 else t.lower).replace("ё", "е")


def _select(matches: list[Match]) -> list[Match]:
    matches.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Match] = []
    last_end = -1
    for m in matches:
        if m.start >= last_end:
            out.append(m)
            last_end = m.end
    return out


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


_OFFICE = re.compile(r"^(?P<office>.+?)\s+(?P<start>(?:19|20)\d\d)\s*-\s*(?P<end>(?:19|20)\d\d)?")


def _optional_yaml(name: str) -> list[Any]:
    try:
        return list(load_yaml(name) or [])
    except FileNotFoundError:
        return []


@functools.cache
def get_lexicon(code: str = "en") -> Lexicon:
    """The lexicon of language ``code`` (once per process): the shared facts of the package's
    data files (ISO codes, capitals, offices held, coordinates) and the language's forms (English:
    the data files' own names; other languages: ``data/lang/<code>/lexicon.yaml``)."""
    lang = get_language(code)
    forms: dict[str, list[Entry]] = {}
    english = code == "en"

    def add(form: str, entry: Entry) -> None:
        form = form.strip()
        if len(form) < (2 if english else 1):
            return
        bucket = forms.setdefault(form, [])
        if entry not in bucket:
            bucket.append(entry)

    def add_en(form: str, entry: Entry) -> None:
        if english:
            add(form, entry)

    lex = Lexicon(automaton=None, topic_automaton=None, lang=lang)
    lex.matching = str(lang.words.get("lexicon_matching") or "surface")
    for row in load_tsv("countries.tsv"):
        iso3 = row["iso3"]
        lex.country_names[iso3] = row["name"]
        lex.iso2[row["iso2"]] = iso3
        if row.get("timezone"):
            lex.timezones[iso3] = row["timezone"]
        for form in [row["name"], *_split(row.get("names"))]:
            add_en(form, Entry(COUNTRY, iso3))
            if form.startswith("the "):
                add_en(form[4:], Entry(COUNTRY, iso3))
        for form in _split(row.get("demonyms")):
            add_en(form, Entry(DEMONYM, iso3))
            if form.endswith(("an", "i")) and " " not in form:
                add_en(form + "s", Entry(DEMONYM, iso3))  # "Tunisians", "Emiratis"
        if row.get("capital"):
            try:
                cap = Place(row["capital"], iso3, float(row["lat"]), float(row["lon"]))
            except (TypeError, ValueError):
                cap = Place(row["capital"], iso3, None, None)
            lex.capitals[iso3] = cap
            for form in [row["capital"], *_split(row.get("capital_names"))]:
                add_en(form, Entry(CAPITAL, iso3))
                lex.places.setdefault(form, cap)
    for org in load_yaml("organizations.yaml") or []:
        code_ = org["code"]
        lex.org_names.setdefault(code_, org.get("name", code_))
        for form in [org.get("name", ""), *(org.get("forms") or [])]:
            if form and (english or form.isupper()):  # acronyms ("NATO", "BRICS") anywhere
                add(form, Entry(ORG, code_, (org.get("name", code_),)))

    def qualified(form: str) -> bool:
        """A title form that starts with a country or organisation ("U.S. Secretary of State"):
        the qualifier is matched on its own, so that it gives the holder's country."""
        words = form.split(" ")
        for n in range(1, min(4, len(words))):
            head = " ".join(words[:n])
            if any(e.kind in (COUNTRY, DEMONYM, ORG) for e in forms.get(head, ())):
                return True
        return False

    for t in load_yaml("titles.yaml") or []:
        lex.title_roles[t["title"]] = t.get("role", "official")
        for form in [t["title"], *(t.get("forms") or [])]:
            if english and not qualified(form):
                add(form, Entry(TITLE, t["title"], (t.get("role", "official"),)))
    family_first = frozenset(load_yaml("lang/en/words.yaml").get("family_name_first") or ())
    for p in _optional_yaml("people.yaml"):
        lex.people[p["name"]] = p["country"]
        for office in p.get("offices") or []:
            om = _OFFICE.match(str(office))
            if om:
                end = int(om["end"]) if om["end"] else None
                lex.offices.setdefault(p["country"], []).append(
                    (om["office"].strip().lower(), int(om["start"]), end, p["name"])
                )
        for form in [p["name"], *(p.get("forms") or [])]:
            add_en(form, Entry(PERSON, p["name"], (p["country"],)))
            if not english or not form.count(" "):
                continue
            family = form.split(" ")[0] if p["country"] in family_first else form.split(" ")[-1]
            if len(family) > 1:
                lex.surnames.setdefault(family, set()).add(p["name"])
        for office in p.get("offices") or []:
            lex.person_offices.setdefault(p["name"], []).append(str(office).lower())
    for i in load_yaml("initiatives.yaml") or []:
        lex.initiative_owner[i["name"]] = i.get("owner")
        for form in [i["name"], *(i.get("forms") or [])]:
            add_en(form, Entry(INITIATIVE, i["name"], (i.get("owner"),)))
    for row in load_tsv("places.tsv"):
        try:
            place = Place(
                row["name"],
                row["iso3"],
                float(row["lat"]),
                float(row["lon"]),
                int(float(row.get("population") or 0)),
            )
        except (TypeError, ValueError):
            continue
        for form in [row["name"], *_split(row.get("names"))]:
            if form[:1].isupper():
                lex.places.setdefault(form, place)
                add_en(form, Entry(PLACE, place.name))
    names = load_yaml(f"lang/{code}/names.yaml") if data_exists(f"lang/{code}/names.yaml") else {}
    lex.office_words = frozenset((names or {}).get("office_words", ()))
    lex.stopwords = frozenset((names or {}).get("not_names", ()))
    topic_forms: dict[str, list[Entry]] = {}
    if english:
        for topic, keywords in (load_yaml("topics.yaml") or {}).items():
            for kw in keywords or []:
                topic_forms.setdefault(str(kw).lower(), []).append(Entry("topic", topic))
    else:
        _add_language_forms(lex, code, add, topic_forms)

    lex.automaton = _automaton(lex, forms)
    lex.topic_automaton = _automaton(lex, topic_forms)
    if lang.dictionary is not None:
        lang.dictionary.add([*forms, *topic_forms])  # the text is cut at the lexicon's words
    return lex


def _automaton(lex: Lexicon, forms: dict[str, list[Entry]]) -> Any:
    """An Aho-Corasick automaton of the forms; where forms are matched on their words'
    dictionary forms (``lemma``), each form under its text reading and its lemma reading."""
    auto = ahocorasick.Automaton()
    keyed: dict[str, list[Entry]] = {}
    for form, entries in forms.items():
        keys = [form]
        if lex.matching == "lemma" and lex.lang is not None:
            tokens = [t for t in lex.lang.tokenize(form) if t.text[:1].isalnum()]
            keys = [
                " ".join(_surface_reading(t) for t in tokens),
                " ".join(_lemma_reading(t) for t in tokens),
            ]
        for key in keys:
            if not key:
                continue
            bucket = keyed.setdefault(key, [])
            bucket.extend(e for e in entries if e not in bucket)
    for key, entries in keyed.items():
        auto.add_word(key, (len(key), tuple(entries)))
    if keyed:
        auto.make_automaton()
    return auto


def _add_language_forms(
    lex: Lexicon,
    code: str,
    add: Callable[[str, Entry], None],
    topic_forms: dict[str, list[Entry]],
) -> None:
    """The forms of ``data/lang/<code>/lexicon.yaml``, keyed to the shared ids."""
    if not data_exists(f"lang/{code}/lexicon.yaml"):
        return
    data: dict[str, Any] = load_yaml(f"lang/{code}/lexicon.yaml") or {}
    for iso3, names in (data.get("countries") or {}).items():
        for form in names or ():
            add(str(form), Entry(COUNTRY, iso3))
    for iso3, names in (data.get("demonyms") or {}).items():
        for form in names or ():
            add(str(form), Entry(DEMONYM, iso3))
    # a country's one-character short name: "哈方" (the Kazakh side), "中哈" (China and
    # Kazakhstan: the second country); a short name several countries share is ambiguous
    shorts: dict[str, list[str]] = {}
    for iso3, short in (data.get("country_short") or {}).items():
        shorts.setdefault(str(short), []).append(iso3)
    home = shorts.get("中", [None])[0]
    for short, isos in shorts.items():
        for iso3 in isos:
            add(f"{short}方", Entry(COUNTRY, iso3))
            if iso3 != home and home is not None:
                add(f"中{short}", Entry(DEMONYM, iso3))
        if len(isos) > 1:
            lex.ambiguous[f"{short}方"] = tuple(isos)
            lex.ambiguous[f"中{short}"] = tuple(isos)
    for title, names in (data.get("titles") or {}).items():
        role = lex.title_roles.get(title, "official")
        for form in names or ():
            add(str(form), Entry(TITLE, title, (role,)))
    for name, spec in (data.get("people") or {}).items():
        country = spec.get("country")
        lex.people.setdefault(name, country)
        for form in spec.get("forms") or ():
            add(str(form), Entry(PERSON, name, (country,)))
    for org, names in (data.get("organizations") or {}).items():
        for form in names or ():
            add(str(form), Entry(ORG, org, (lex.org_names.get(org, org),)))
    for name, names in (data.get("initiatives") or {}).items():
        owner = lex.initiative_owner.setdefault(name, None)
        for form in names or ():
            add(str(form), Entry(INITIATIVE, name, (owner,)))
    for label, names in (data.get("relationships") or {}).items():
        for form in names or ():
            add(str(form), Entry(RELATION, label))
    for topic, keywords in (data.get("topics") or {}).items():
        for kw in keywords or ():
            topic_forms.setdefault(str(kw).lower(), []).append(Entry("topic", topic))
    for name, spec in (data.get("places") or {}).items():
        country = spec.get("country")
        known = lex.places.get(name)
        place = known or Place(name, country, None, None)
        for form in spec.get("forms") or ():
            lex.places.setdefault(str(form), place)
            add(str(form), Entry(PLACE, name))
