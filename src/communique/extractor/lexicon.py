"""The lexicons (data/*.tsv, data/*.yaml) compiled once into Aho-Corasick automata.

Entity surface forms (countries, capitals, demonyms, organisations, titles, people, initiatives,
places) are matched case-sensitively on word boundaries; topic keywords case-insensitively.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from communique.resources import load_tsv, load_yaml

# kinds of lexicon entry
COUNTRY = "country"  # a country name
CAPITAL = "capital"  # a capital, used for its government ("Beijing", "Washington")
DEMONYM = "demonym"  # "Chinese", "Kazakh"
ORG = "org"
TITLE = "title"
PERSON = "person"
INITIATIVE = "initiative"
PLACE = "place"


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
    lat: float
    lon: float
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

    def find(self, text: str) -> list[Match]:
        """Leftmost-longest, non-overlapping entity matches on word boundaries."""
        return _select(_iter_matches(self.automaton, text, text))

    def find_topics(self, text: str) -> list[tuple[int, int, str]]:
        low = text.lower()
        if len(low) != len(text):
            low = "".join(c.lower()[:1] or c for c in text)
        out = []
        for m in _select(_iter_matches(self.topic_automaton, low, low)):
            for e in m.entries:
                out.append((m.start, m.end, e.key))
        return out


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


def _iter_matches(automaton: Any, haystack: str, text: str) -> list[Match]:
    out: list[Match] = []
    if len(automaton) == 0:
        return out
    for end_idx, (form_len, entries) in automaton.iter(haystack):
        start = end_idx - form_len + 1
        end = end_idx + 1
        if _boundary_ok(text, start, end):
            out.append(Match(start, end, entries))
    return out


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
def get_lexicon() -> Lexicon:
    """Build (once per process) the lexicon from the package's data files."""
    forms: dict[str, list[Entry]] = {}

    def add(form: str, entry: Entry) -> None:
        form = form.strip()
        if len(form) < 2:
            return
        bucket = forms.setdefault(form, [])
        if entry not in bucket:
            bucket.append(entry)

    lex = Lexicon(automaton=None, topic_automaton=None)
    for row in load_tsv("countries.tsv"):
        iso3 = row["iso3"]
        lex.country_names[iso3] = row["name"]
        lex.iso2[row["iso2"]] = iso3
        if row.get("timezone"):
            lex.timezones[iso3] = row["timezone"]
        for form in [row["name"], *_split(row.get("names"))]:
            add(form, Entry(COUNTRY, iso3))
            if form.startswith("the "):
                add(form[4:], Entry(COUNTRY, iso3))
        for form in _split(row.get("demonyms")):
            add(form, Entry(DEMONYM, iso3))
            if form.endswith(("an", "i")) and " " not in form:
                add(form + "s", Entry(DEMONYM, iso3))  # "Tunisians", "Emiratis"
        if row.get("capital"):
            try:
                cap = Place(row["capital"], iso3, float(row["lat"]), float(row["lon"]))
            except (TypeError, ValueError):
                cap = Place(row["capital"], iso3, 0.0, 0.0)
            lex.capitals[iso3] = cap
            for form in [row["capital"], *_split(row.get("capital_names"))]:
                add(form, Entry(CAPITAL, iso3))
                lex.places.setdefault(form, cap)
    for org in load_yaml("organizations.yaml") or []:
        code = org["code"]
        lex.org_names.setdefault(code, org.get("name", code))
        for form in [org.get("name", ""), *(org.get("forms") or [])]:
            if form:
                add(form, Entry(ORG, code, (org.get("name", code),)))

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
            if not qualified(form):
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
            add(form, Entry(PERSON, p["name"], (p["country"],)))
            if not form.count(" "):
                continue
            family = form.split(" ")[0] if p["country"] in family_first else form.split(" ")[-1]
            if len(family) > 1:
                lex.surnames.setdefault(family, set()).add(p["name"])
        for office in p.get("offices") or []:
            lex.person_offices.setdefault(p["name"], []).append(str(office).lower())
    for i in load_yaml("initiatives.yaml") or []:
        lex.initiative_owner[i["name"]] = i.get("owner")
        for form in [i["name"], *(i.get("forms") or [])]:
            add(form, Entry(INITIATIVE, i["name"], (i.get("owner"),)))
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
                add(form, Entry(PLACE, place.name))
    words = load_yaml("lang/en/names.yaml") or {}
    lex.office_words = frozenset(words.get("office_words", ()))
    lex.stopwords = frozenset(words.get("not_names", ()))

    auto = ahocorasick.Automaton()
    for form, entries in forms.items():
        auto.add_word(form, (len(form), tuple(entries)))
    auto.make_automaton()
    lex.automaton = auto

    topic_auto = ahocorasick.Automaton()
    topic_forms: dict[str, list[Entry]] = {}
    for topic, keywords in (load_yaml("topics.yaml") or {}).items():
        for kw in keywords or []:
            topic_forms.setdefault(str(kw).lower(), []).append(Entry("topic", topic))
    for form, entries in topic_forms.items():
        topic_auto.add_word(form, (len(form), tuple(entries)))
    if topic_forms:
        topic_auto.make_automaton()
    lex.topic_automaton = topic_auto
    return lex
