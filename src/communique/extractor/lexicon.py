"""The lexicons (data/*.tsv, data/*.yaml) compiled once into Aho-Corasick automata.

Entity surface forms (countries, capitals, demonyms, organisations, titles, people, initiatives,
places) are matched case-sensitively on word boundaries; topic keywords case-insensitively.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from communique.extractor.language import Language, get_language
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
WORD = "word"  # a word that is no entity, though it contains the form of one
DOCUMENT = "document"  # a kind of signed document ("联合声明": Joint Statement)


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
    person_forms: set[str] = field(default_factory=set)  # every spelling of a known person
    spellings: dict[str, set[str]] = field(default_factory=dict)  # person -> their spellings
    has_relations: bool = False  # partnership labels are lexicon entries (not English patterns)
    # person name -> how the language cites them (the first form of lexicon.yaml: "Си Цзиньпин")
    written: dict[str, str] = field(default_factory=dict)
    # people's names under a third reading, each word without its case ending
    # (words.yaml `name_stem_endings`): foreign names the morphology does not know ("Бадрой
    # Гунбой", "Бадре Гунбе" and "Бадра Гунба" all read "бадр гунб")
    stem_automaton: Any = None
    stem_endings: tuple[str, ...] = ()
    _word_readings: dict[str, tuple[str, str, str, int, int, int]] = field(default_factory=dict)
    _last: Any = None  # the last text read on lemmas and its readings

    def find(self, text: str) -> list[Match]:
        """Leftmost-longest, non-overlapping entity matches (on word boundaries where words are
        separated)."""
        if self.matching == "lemma":
            return self._find_lemmas(text, self.automaton)
        found = _select(_iter_matches(self.automaton, text, text, self.matching == "surface"))
        return self._disambiguate(text, found) if self.ambiguous else found

    def _disambiguate(self, text: str, matches: list[Match]) -> list[Match]:
        """A short name several countries share ("巴方": Pakistan's side, or Brazil's ...) is the
        country the text names in full, or a person of which it names; with none or several such
        countries, it is no mention at all."""
        named: set[str] = set()
        for m in matches:
            if text[m.start : m.end] in self.ambiguous:
                continue
            for e in m.entries:
                if e.kind in (COUNTRY, DEMONYM):
                    named.add(e.key)
                elif e.kind == PERSON and e.extra and e.extra[0]:
                    named.add(str(e.extra[0]))
        out = []
        for m in matches:
            isos = self.ambiguous.get(text[m.start : m.end])
            if isos is None:
                out.append(m)
                continue
            hits = [i for i in isos if i in named]
            if len(hits) == 1:
                keep = tuple(
                    e for e in m.entries if e.kind not in (COUNTRY, DEMONYM) or e.key == hits[0]
                )
                out.append(Match(m.start, m.end, keep))
        return out

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
        dictionary form (lowercase, "ё" as "е"), and people's names on a third (their words'
        stems), mapped back to the words' spans."""
        if self.lang is None or len(automaton) == 0:
            return []
        words, joined, starts = self._readings(text)
        found: list[Match] = []
        readings = [(joined[0], automaton), (joined[1], automaton)]
        if automaton is self.automaton and self.stem_automaton is not None:
            readings.append((joined[2], self.stem_automaton))
        for k, (line, auto) in enumerate(readings):
            at = starts[k]
            # a line and every key are padded with spaces: a key matches whole words only
            for end_idx, (form_len, entries, proper) in auto.iter(line):
                a, b = end_idx - form_len + 2, end_idx
                i = bisect.bisect_left(at, a)
                j = bisect.bisect_left(at, b) - 1
                if i < len(words) and at[i] == a and j >= i:
                    if proper and not words[i][2][:1].isupper():
                        continue  # a name is capitalised: "Того" (Togo), not "того"
                    found.append(Match(words[i][0], words[j][1], entries))
        found.extend(self._compound_parts(words, automaton, found))
        return _select(found)

    def _readings(
        self, text: str
    ) -> tuple[list[tuple[int, int, str]], tuple[str, str, str], tuple[list[int], ...]]:
        """The text's words and its three readings (surface, lemma, stem) with each word's
        offset in them; the last text's are kept (entities and topics read the same text)."""
        last = self._last
        if last is not None and last[0] is text:
            kept: tuple[list[tuple[int, int, str]], tuple[str, str, str], tuple[list[int], ...]]
            kept = last[1]
            return kept
        assert self.lang is not None
        words = self.lang.word_spans(text)
        cache = self._word_readings
        for _, _, w in words:
            if w not in cache:
                cache[w] = self._word_reading(w)
        rs = [cache[w] for _, _, w in words]
        lines = []
        starts = []
        for k in range(3):
            lines.append(" " + " ".join(map(operator.itemgetter(k), rs)) + " ")
            # each word's offset in the line: a space, the lengths before it, a space after each
            widths = map(operator.itemgetter(k + 3), rs)
            starts.append(list(itertools.accumulate(widths, initial=1)))
        if len(cache) > 200_000:
            cache.clear()
        out = (words, (lines[0], lines[1], lines[2]), (starts[0], starts[1], starts[2]))
        self._last = (text, out)
        return out

    def _word_reading(self, word: str) -> tuple[str, str, str, int, int, int]:
        """A word's three readings and the width each takes in its line (with its space)."""
        assert self.lang is not None
        low = word.lower()
        surface = low.replace("ё", "е")
        lemma, stem = _dictionary_form(self.lang, word), self._stem(surface)
        return surface, lemma, stem, len(surface) + 1, len(lemma) + 1, len(stem) + 1

    def _stem(self, low: str) -> str:
        """A word without its case endings, stripped until none is left (so that a nominative
        that happens to end like a case ending, "Фаттах", and its inflections, "Фаттахом", meet
        on one stem)."""
        stripped = True
        while stripped:
            stripped = False
            for ending in self.stem_endings:
                if len(low) > len(ending) + 2 and low.endswith(ending):
                    low = low[: -len(ending)]
                    stripped = True
                    break
        return low

    def _stem_reading(self, word: str) -> str:
        """A word without its case ending (only people's names are read so: "Бен" and "бен",
        "Заидом" and "Заид" read alike)."""
        return self._stem(word.lower().replace("ё", "е"))

    def _compound_parts(
        self, words: list[tuple[int, int, str]], automaton: Any, found: list[Match]
    ) -> list[Match]:
        """The parts of hyphenated compounds that no whole form covers, each a form of its own:
        "российско-оманские" is "российско" (RUS) and "оманские" (OMN)."""
        if self.lang is None:
            return []
        covered = [(m.start, m.end) for m in found]
        out = []
        for start, _, word in words:
            if "-" not in word or any(s <= start < e for s, e in covered):
                continue
            pos = start
            for part in word.split("-"):
                low = part.lower().replace("ё", "е")
                if part:
                    lemmas = self.lang.lemmas(low)
                    for key in dict.fromkeys((low, *(x.replace("ё", "е") for x in lemmas[1:2]))):
                        hit = automaton.get(f" {key} ", None)
                        if hit is not None and not (hit[2] and not part[:1].isupper()):
                            out.append(Match(pos, pos + len(part), hit[1]))
                            break
                pos += len(part) + 1
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


def _iter_matches(automaton: Any, haystack: str, text: str, bounded: bool = True) -> list[Match]:
    out: list[Match] = []
    if len(automaton) == 0:
        return out
    for end_idx, (form_len, entries, _proper) in automaton.iter(haystack):
        start = end_idx - form_len + 1
        end = end_idx + 1
        if not bounded or _boundary_ok(text, start, end):
            out.append(Match(start, end, entries))
    return out


def _dictionary_form(lang: Language, word: str) -> str:
    """A word's first dictionary form; a capitalised word's as a proper name where the
    morphology has that reading ("Того": того, the country; "Чада": чад)."""
    low = word.lower()
    if word[:1].isupper() and lang.analyser is not None:
        proper = lang.analyser.proper_normal_form(low)
        if proper:
            return str(proper)
    lemmas = lang.lemmas(low)
    return (lemmas[1] if len(lemmas) > 1 else low).replace("ё", "е")


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
        _add_language_forms(lex, code, add, topic_forms, forms)

    lex.automaton = _automaton(lex, forms)
    lex.stem_endings = tuple(
        sorted((str(e) for e in lang.words.get("name_stem_endings") or ()), key=len, reverse=True)
    )
    if lex.matching == "lemma" and lex.stem_endings:
        people = {f: es for f, es in forms.items() if any(e.kind == PERSON for e in es)}
        lex.stem_automaton = _automaton(lex, people, lex._stem_reading)
    lex.topic_automaton = _automaton(lex, topic_forms)
    if lang.dictionary is not None:
        lang.dictionary.add([*forms, *topic_forms])  # the text is cut at the lexicon's words
    return lex


def _automaton(
    lex: Lexicon,
    forms: dict[str, list[Entry]],
    reading: Callable[[str], str] | None = None,
) -> Any:
    """An Aho-Corasick automaton of the forms; where forms are matched on their words'
    dictionary forms (``lemma``), each form under its text reading and its lemma reading (or
    under the one ``reading`` given)."""
    auto = ahocorasick.Automaton()
    keyed: dict[str, list[Entry]] = {}
    lower: set[str] = set()  # keys some form of which is written in lowercase
    for form, entries in forms.items():
        keys = [form]
        if lex.matching == "lemma" and lex.lang is not None:
            # a form's words cut as the text's are (Language.word_spans)
            words = [w for _, _, w in lex.lang.word_spans(form)]
            if reading is not None:
                keys = [" ".join(reading(w) for w in words)]
            else:
                keys = [
                    " ".join(w.lower().replace("ё", "е") for w in words),
                    " ".join(_dictionary_form(lex.lang, w) for w in words),
                ]
        for key in keys:
            if not key:
                continue
            bucket = keyed.setdefault(key, [])
            bucket.extend(e for e in entries if e not in bucket)
            if not form[:1].isupper():
                lower.add(key)
    for key, entries in keyed.items():
        # a name written with a capital (a country, a person, a place) matches only where the
        # text capitalises it (read on dictionary forms, "Того" would match "того")
        proper = lex.matching == "lemma" and key not in lower
        if lex.matching == "lemma":
            key = f" {key} "  # whole words only: the lines read are padded alike
        auto.add_word(key, (len(key), tuple(entries), proper))
    if keyed:
        auto.make_automaton()
    return auto


def _add_language_forms(
    lex: Lexicon,
    code: str,
    add: Callable[[str, Entry], None],
    topic_forms: dict[str, list[Entry]],
    forms: dict[str, list[Entry]],
) -> None:
    """The forms of ``data/lang/<code>/lexicon.yaml``, keyed to the shared ids."""
    if not data_exists(f"lang/{code}/lexicon.yaml"):
        return
    family_first = (
        frozenset(lex.lang.words.get("family_name_first") or ()) if lex.lang else frozenset()
    )
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
            # an office whose form names its state ("председатель КНР"): the state comes along
            words = str(form).split(" ")
            state = next(
                (
                    e.key
                    for n in range(1, len(words))
                    for e in forms.get(" ".join(words[n:]), ())
                    if e.kind == COUNTRY
                ),
                None,
            )
            add(str(form), Entry(TITLE, title, (role, state) if state else (role,)))
    for name, spec in (data.get("people") or {}).items():
        country = spec.get("country")
        lex.people.setdefault(name, country)
        for form in spec.get("forms") or ():
            lex.written.setdefault(name, str(form))
            add(str(form), Entry(PERSON, name, (country,)))
            lex.person_forms.add(str(form))
            lex.spellings.setdefault(name, set()).add(str(form))
            words = str(form).split(" ")
            if len(words) > 1:
                # the family name alone ("Президент Путин"): first where the country's people
                # are named family name first, else last
                family = words[0] if country in family_first else words[-1]
                lex.surnames.setdefault(family, set()).add(name)
    for org, names in (data.get("organizations") or {}).items():
        for form in names or ():
            add(str(form), Entry(ORG, org, (lex.org_names.get(org, org),)))
    for name, names in (data.get("initiatives") or {}).items():
        owner = lex.initiative_owner.setdefault(name, None)
        for form in names or ():
            add(str(form), Entry(INITIATIVE, name, (owner,)))
    for label, names in (data.get("documents") or {}).items():
        for form in names or ():
            add(str(form), Entry(DOCUMENT, label))
    for label, names in (data.get("relationships") or {}).items():
        lex.has_relations = True
        for form in names or ():
            add(str(form), Entry(RELATION, label))
    for topic, keywords in (data.get("topics") or {}).items():
        for kw in keywords or ():
            topic_forms.setdefault(str(kw).lower(), []).append(Entry("topic", topic))
    # words that contain an entity's form without being one ("主席国", a presidency, holds the
    # office word "主席"): matched so that the longer word wins, and read as nothing
    for form in data.get("not_entities") or ():
        add(str(form), Entry(WORD, str(form)))
    for name, spec in (data.get("places") or {}).items():
        country = spec.get("country")
        # a place inside a city (a venue, a palace) stands for the city it names in `within`
        # ("人民大会堂": Beijing), where encounters are counted, and takes its coordinates
        where = str(spec.get("within") or name)
        known = lex.places.get(where) or lex.places.get(name)
        place = known or Place(where, country, None, None)
        lex.places.setdefault(name, place)
        for form in spec.get("forms") or ():
            lex.places.setdefault(str(form), place)
            add(str(form), Entry(PLACE, name))
