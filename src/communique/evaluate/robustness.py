"""The robustness suite: seeded synthetic readouts whose main encounter is known, and their scorer.

:func:`generate` builds readouts from the phrasings in ``robustness.yaml`` (beside this module),
drawing every dimension (how the principal and the counterpart are written, the lead's verb and
voice, an adverbial of time, place, manner or occasion in one of four positions, a distractor,
the layout) at random from a seeded generator, so a seed always gives the same variants. Each
:class:`Variant` carries its text, the metadata a caller would pass (publication date, publisher
country), what a careful reader codes as the main encounter (:class:`Expectation`) and the labels
of the dimension values it was built from, so failures can be grouped.

:func:`score` runs an extractor over the variants and reports how often the main encounter is
right, each part of it separately, the date, invented encounters (a reported encounter with a
country outside the variant's allowed set) and the failures per dimension value.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from communique.errors import CommuniqueError
from communique.evaluate.scorer import name_tokens, same_person
from communique.model import Readout, kind_group
from communique.resources import load_tsv, load_yaml

__all__ = [
    "DIMENSIONS",
    "Expectation",
    "Outcome",
    "Party",
    "RobustnessReport",
    "Variant",
    "dimension_values",
    "extract_variant",
    "generate",
    "office_terms",
    "score",
    "score_one",
    "summarize",
]

DIMENSIONS = (
    "publisher",
    "principal_role",
    "principal_form",
    "counterpart_form",
    "counterpart_name",
    "lead",
    "voice",
    "group",
    "adverbial",
    "adverbial_type",
    "adverbial_position",
    "pair_order",
    "distractor",
    "distractor_position",
    "wrap",
    "line_end",
    "layout",
)

WINDOW = (dt.date(2023, 1, 1), dt.date(2025, 9, 30))
_SCORED_KINDS = frozenset({"talks", "meeting", "call", "visit", "summit", "message"})
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SLOT = re.compile(r"\{(\w+)\}")
_APPOSITIVE = "\x00"  # marks the end of an appositive counterpart ("X, Prime Minister of Y")


# ------------------------------------------------------------------------------------------------
# What a variant is


@dataclass(frozen=True, slots=True)
class Party:
    """One side of the expected main encounter."""

    country: str
    name: str | None  # the person's name; None when only an office (or "I") is given
    office: str | None = None


@dataclass(frozen=True, slots=True)
class Expectation:
    """What a careful reader codes as the main encounter of a variant."""

    group: str  # "call" or "in-person" (model.kind_group)
    principal: Party  # the publisher's side
    counterpart: Party
    date: str  # ISO date of the encounter
    allowed: frozenset[str]  # countries (and organisation codes) a reported encounter may have


@dataclass(frozen=True, slots=True)
class Variant:
    id: int
    text: str
    published: str
    source_country: str
    expect: Expectation
    dims: dict[str, str] = field(hash=False)
    width: int | None = None  # the wrap width, for wrapped layouts


# ------------------------------------------------------------------------------------------------
# The data


@dataclass(frozen=True, slots=True)
class _Country:
    iso3: str
    iso2: str
    name: str  # as written after "of" ("the Netherlands")
    long: str | None  # "the Republic of Estonia"
    demonym: str | None
    capital: str | None
    region: str | None


@dataclass(frozen=True, slots=True)
class _Known:
    country: str
    title: str
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class _Data:
    raw: dict[str, Any]
    countries: dict[str, _Country]
    pool: tuple[str, ...]  # counterpart countries
    known: tuple[_Known, ...]
    people_tokens: frozenset[str]


_LONG_PREFIXES = (
    "Republic",
    "Kingdom",
    "Commonwealth",
    "State of",
    "Federal",
    "United",
    "Islamic",
    "People",
    "Socialist",
    "Democratic",
    "Principality",
    "Grand Duchy",
    "Sultanate",
    "Hashemite",
    "Plurinational",
    "Swiss",
    "Arab Republic",
    "Italian",
    "French",
    "Portuguese",
    "Hellenic",
    "Slovak",
    "Lebanese",
    "Argentine",
    "Eastern",
    "Independent",
    "Co-operative",
)
_OFFICE = re.compile(
    r"^(President|Prime Minister|Foreign Minister|Chancellor) of (?:the )?([^()]+?) "
    r"(\d{4})(-(\d{4})?)?$"
)


def _load_spec() -> dict[str, Any]:
    text = resources.files("communique.evaluate").joinpath("robustness.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@functools.cache
def _data() -> _Data:
    raw = _load_spec()
    region_of = {c: r for r, cs in raw["counterpart_countries"].items() for c in cs}
    needed = set(region_of) | set(raw["publishers"]) | set(raw["third_singles"])
    needed |= {c for pair in raw["third_pairs"] for c in pair}
    needed |= {s["country"] for s in raw["special_offices"]}
    the = set(raw["the"])
    countries: dict[str, _Country] = {}
    names_of: dict[str, set[str]] = {}
    for row in load_tsv("countries.tsv"):
        iso3 = row["iso3"]
        names_of[iso3] = {row["name"], *(row["names"] or "").split("|")}
        if iso3 not in needed:
            continue
        alts = [a for a in (row["names"] or "").split("|") if a]
        long = raw["long"].get(iso3)
        if long is None:
            for alt in alts:
                if alt.startswith(_LONG_PREFIXES) and "," not in alt and "(" not in alt:
                    long = "the " + alt
                    break
        name = ("the " if iso3 in the else "") + row["name"]
        countries[iso3] = _Country(
            iso3=iso3,
            iso2=row["iso2"],
            name=name,
            long=long,
            demonym=raw["demonym"].get(iso3) or (row["demonyms"] or "").split("|")[0] or None,
            capital=row["capital"] or None,
            region=region_of.get(iso3),
        )
    pool = tuple(c for c in region_of if c in countries)
    known = []
    tokens: set[str] = set()
    for person in load_yaml("people.yaml"):
        for form in [person["name"], *(person.get("forms") or [])]:
            tokens |= name_tokens(form)
        if person["country"] not in region_of:
            continue
        known.extend(office_terms(person, names_of[person["country"]]))
    return _Data(raw, countries, pool, tuple(known), frozenset(tokens))


def office_terms(person: dict[str, Any], country_names: set[str]) -> list[_Known]:
    """The terms of a ``people.yaml`` person as head of state or government or foreign minister
    of their own country ("President of France 2017-"; "Chancellor of the Exchequer" is none)."""
    out = []
    for office in person.get("offices") or []:
        m = _OFFICE.match(office)
        if m and m.group(2) in country_names:
            start = int(m.group(3))
            end = int(m.group(5)) if m.group(5) else (9999 if m.group(4) else start)
            out.append(_Known(person["country"], m.group(1), person["name"], start, end))
    return out


def dimension_values() -> dict[str, tuple[str, ...]]:
    """Every value each dimension can take (what 5,000 variants are expected to cover)."""
    raw = _data().raw
    forms = raw["counterpart_forms"]
    return {
        "publisher": tuple(raw["publishers"]),
        "principal_role": ("head", "foreign"),
        "principal_form": tuple(raw["principal_forms"]),
        "counterpart_form": tuple(forms),
        "counterpart_name": tuple(dict.fromkeys(n for f in forms.values() for n in f["names"])),
        "lead": tuple(t["id"] for t in raw["leads"]),
        "voice": tuple(dict.fromkeys(t["voice"] for t in raw["leads"])),
        "group": ("call", "in-person"),
        "adverbial": tuple(a["id"] for a in raw["adverbials"]),
        "adverbial_type": tuple(dict.fromkeys(a["type"] for a in raw["adverbials"])),
        "adverbial_position": ("none", *raw["positions"]),
        "pair_order": ("none", "principal_first", "counterpart_first"),
        "distractor": tuple(d["id"] for d in raw["distractors"]),
        "distractor_position": ("none", "lead_clause", "lead_sentence", "body"),
        "wrap": tuple(raw["wraps"]),
        "line_end": tuple(raw["line_ends"]),
        "layout": tuple(raw["layouts"]),
    }


# ------------------------------------------------------------------------------------------------
# Rendering


def _fill(template: str, values: dict[str, str], lowerable: frozenset[str] = frozenset()) -> str:
    """Fill ``{slot}``s. A capitalised slot name capitalises its value at a sentence start; after
    a non-empty ``{a_initial}`` the next word loses its capital if it is in ``lowerable``."""
    out: list[str] = []
    pos = 0
    lower_next = False

    def emit(piece: str, capitalise: bool = False) -> None:
        nonlocal lower_next
        if not piece:
            return
        if lower_next:
            first = re.match(r"\w+", piece)
            if first and first.group(0) in lowerable:
                piece = piece[0].lower() + piece[1:]
            lower_next = False
        elif capitalise and _at_sentence_start(out):
            piece = piece[0].upper() + piece[1:]
        out.append(piece)

    for m in _SLOT.finditer(template):
        emit(template[pos : m.start()])
        name = m.group(1)
        value = values[name[0].lower() + name[1:]]
        emit(value, capitalise=name[0].isupper())
        if name == "a_initial" and value:
            lower_next = True
        pos = m.end()
    emit(template[pos:])
    return "".join(out)


def _at_sentence_start(out: list[str]) -> bool:
    for piece in reversed(out):
        stripped = piece.rstrip(" ")
        if stripped:
            return stripped[-1] in ".!?\n"
    return True


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _close_appositives(text: str) -> str:
    """Close an appositive with a comma when the sentence goes on ("X, Prime Minister of Y, and
    I spoke"), drop the mark otherwise."""
    text = re.sub(_APPOSITIVE + r"(?= \w)", ",", text)
    return text.replace(_APPOSITIVE, "")


def _date_text(d: dt.date, style: str, ref: dt.date | None = None) -> str:
    text = (
        f"{_MONTHS[d.month - 1]} {d.day}" if style == "mdy" else f"{d.day} {_MONTHS[d.month - 1]}"
    )
    if ref is not None and ref.year != d.year:
        text += f", {d.year}" if style == "mdy" else f" {d.year}"
    return text


def _flag(iso2: str) -> str:
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in iso2.upper())


# ------------------------------------------------------------------------------------------------
# Generation


@dataclass
class _Counterpart:
    country: str
    name: str | None
    title: str | None
    text: str
    gender: str | None = None
    org: str | None = None


class _Builder:
    def __init__(self, data: _Data, rng: random.Random) -> None:
        self.d = data
        self.raw = data.raw
        self.rng = rng
        self.lowerable = frozenset(self.raw["lowercase_after_initial"])

    # the parts ----------------------------------------------------------------------------------
    def principal(self) -> tuple[str, str, dict[str, Any], dt.date]:
        publisher = self.rng.choice(list(self.raw["publishers"]))
        principals = self.raw["publishers"][publisher]["principals"]
        role = self.rng.choice(sorted({p["role"] for p in principals}))
        person = self.rng.choice([p for p in principals if p["role"] == role])
        start = max(person["from"], WINDOW[0])
        end = min(person["to"], WINDOW[1])
        published = start + dt.timedelta(days=self.rng.randint(0, (end - start).days))
        return publisher, role, person, published

    def invented_name(self, region: str) -> tuple[str, str]:
        pools = self.raw["invented_names"][region]
        gender = self.rng.choice(("m", "f"))
        return f"{self.rng.choice(pools[gender])} {self.rng.choice(pools['surnames'])}", gender

    def counterpart(
        self, form_id: str, publisher: str, year: int
    ) -> tuple[_Counterpart, str, bool]:
        form = self.raw["counterpart_forms"][form_id]
        kind = self.rng.choice(form["names"])
        d = self.d
        rng = self.rng
        if kind == "special":
            spec = rng.choice([s for s in self.raw["special_offices"] if s["country"] != publisher])
            holder, holder_gender = rng.choice(spec["names"]), None
            if spec.get("region") and rng.random() < 0.4:
                holder, holder_gender = self.invented_name(spec["region"])
            text = _fill(rng.choice(spec["texts"]), {"name": holder})
            counterpart = _Counterpart(spec["country"], holder, None, text, holder_gender)
            return counterpart, "special", ", " in text
        needs_long = bool(form.get("needs_long"))
        candidates = [c for c in d.pool if c != publisher]
        if needs_long:
            candidates = [c for c in candidates if d.countries[c].long]
        if form_id in ("demonym_title_name", "office_demonym", "president_elect"):
            candidates = [c for c in candidates if d.countries[c].demonym]
        if form_id == "president_elect":
            candidates = [c for c in candidates if c not in self.raw["no_president"]]
        chair = None
        if form_id == "chair_role":
            chair = rng.choice(self.raw["chairs"])
            candidates = [c for c in candidates if c in chair["members"]]
        name: str | None = None
        gender: str | None = None
        allowed = set(candidates)
        people = [k for k in d.known if k.country in allowed and k.start <= year <= k.end]
        if chair is not None:  # chairs are heads of state or government
            people = [k for k in people if k.title != "Foreign Minister"]
        if kind == "known" and not people:  # no one the lexicon knows (a small organisation)
            kind = "invented"
        if kind == "known":
            person = rng.choice(people)
            country, title, name = person.country, person.title, person.name
        else:
            country = rng.choice(candidates)
            region = d.countries[country].region or "western_europe"
            if kind == "invented":
                name, gender = self.invented_name(region)
                title = rng.choice(self.titles(country, self.raw["invented_titles"]))
            else:
                title = rng.choice(self.titles(country, self.raw["office_titles"]))
            if chair is not None:
                title = rng.choice(self.titles(country, ["President", "Prime Minister"]))
        title = form.get("title", title)
        c = d.countries[country]
        org = None
        values = {
            "title": title,
            "name": name or "",
            "country": c.name,
            "long": c.long or c.name,
            "demonym": c.demonym or "",
            "year": str(year),
            "org": "",
        }
        if chair is not None:
            values["org"], org = chair["text"], chair["org"]
        template = rng.choice(form["texts"]) if "texts" in form else form["text"]
        text = _fill(template, values)
        return _Counterpart(country, name, title, text, gender, org), kind, ", " in text

    def titles(self, country: str, titles: list[str]) -> list[str]:
        """The titles among ``titles`` that the country's offices have."""
        out = []
        for title in titles:
            if "President" in title and country in self.raw["no_president"]:
                continue
            if title == "Vice President" and country not in self.raw["vice_president"]:
                continue
            if "Prime Minister" in title:
                if country in self.raw["no_prime_minister"]:
                    continue
                if country in self.raw["chancellor"]:
                    head, deputy = self.raw["chancellor"][country]
                    title = deputy if title.startswith("Deputy") else head
            out.append(title)
        return out

    def adverbial(self, lead: dict[str, Any], no_dates: bool) -> tuple[dict[str, Any], str]:
        """An adverbial that fits the lead, and its position (``no_dates``: leave out written
        dates, which a counterpart opening with a year would run into)."""
        slots = [p for p in self.raw["positions"] if "{a_" + p + "}" in lead["text"]]
        fits = []
        for a in self.raw["adverbials"]:
            if no_dates and a.get("date") == "explicit":
                continue
            if a["type"] == "none":
                fits.append((a, ["none"]))
                continue
            if a["type"] not in lead.get("types", []):
                continue
            speak = "speak" in lead.get("tags", [])
            if lead["group"] not in a.get("groups", ["call", "in-person"]) and not (
                a.get("speak") and speak
            ):
                continue
            if "speak" in a.get("tags", []) and not speak:
                continue
            if a.get("host") and lead.get("host", "principal") not in (a["host"], "either"):
                continue
            positions = [p for p in slots if p in a.get("positions", self.raw["positions"])]
            if positions:
                fits.append((a, positions))
        adverbial, positions = self.rng.choice(fits)
        return adverbial, self.rng.choice(positions)

    # one variant --------------------------------------------------------------------------------
    def variant(self, index: int) -> Variant:
        raw, rng, d = self.raw, self.rng, self.d
        publisher, role, person, published = self.principal()
        pub = d.countries[publisher]
        style = raw["publishers"][publisher]["date_style"]
        lead = rng.choice(raw["leads"])
        forms = list(raw["principal_forms"])
        if lead.get("first_person") is False:
            forms.remove("first_person")
        p_form = rng.choice(forms)
        c_form = rng.choice(list(raw["counterpart_forms"]))
        cp, c_kind, appositive = self.counterpart(c_form, publisher, published.year)
        cc = d.countries[cp.country]
        adverbial, position = self.adverbial(lead, no_dates=c_form == "chair_role")

        group = lead["group"]
        if adverbial.get("speak") and "speak" in lead.get("tags", []):
            group = "in-person"
        host = lead.get("host", "principal") if group == "in-person" else "principal"
        if host == "either":
            host = adverbial.get("host") or rng.choice(("principal", "counterpart"))
        host_country = pub if host == "principal" else cc

        # the encounter's date, and the adverbial's words
        date = published
        rule = adverbial.get("date")
        if rule == -1:
            date = published - dt.timedelta(days=1)
        elif rule == "weekday":
            date = published - dt.timedelta(days=rng.randint(0, 6))
        elif rule == "explicit":
            date = published - dt.timedelta(days=rng.randint(0, 3))
        summit = rng.choice([s for s in raw["summits"] if publisher in s["publishers"]])
        gender = person["gender"]
        first = p_form == "first_person"
        p_poss = "my" if first else ("her" if gender == "f" else "his")
        if host == "principal":
            venue = raw["publishers"][publisher]["venue" if role == "head" else "foreign_venue"]
        else:
            venue = rng.choice(raw["venues"])
        a_values = {
            "weekday": _WEEKDAYS[date.weekday()],
            "day": str(date.day),
            "month": _MONTHS[date.month - 1],
            "year": str(date.year),
            "city": host_country.capital or host_country.name,
            "venue": venue,
            "summit": summit["text"],
            "celebration": rng.choice(raw["celebrations"]),
            "p_poss": p_poss,
            "c_country": cc.name,
        }
        a_text = _fill(adverbial.get("text", ""), a_values)

        # the principal
        principal = {
            "title_name": f"{person['title']} {person['name']}",
            "title_surname": f"{person['short']} {person['surname']}",
            "name_only": person["name"],
            "office": person["office"],
            "office_of_country": person["office_of"],
            "first_person": "I",
        }[p_form]
        p_named = p_form in ("title_name", "title_surname", "name_only")
        c_text = cp.text + (_APPOSITIVE if appositive else "")
        if first:
            pair, order = f"{c_text} and I", "counterpart_first"
        elif rng.random() < 0.5:
            pair, order = f"{principal} and {c_text}", "principal_first"
        else:
            pair, order = f"{c_text} and {principal}", "counterpart_first"
        if "{pair}" not in lead["text"].lower():
            order = "none"

        # a distractor
        distractor = rng.choice(raw["distractors"])
        d_positions = []
        if "clause" in distractor and lead["subject"] in distractor.get("agent", [lead["subject"]]):
            d_positions.append("lead_clause")
        if "sentence" in distractor:
            d_positions += ["lead_sentence", "body"]
        d_position = rng.choice(d_positions) if d_positions else "none"
        allowed = {publisher, cp.country}
        if adverbial["type"] == "occasion" and "{summit}" in adverbial.get("text", ""):
            allowed.add(summit["org"])
        if cp.org:
            allowed.add(cp.org)
        pairs = [p for p in raw["third_pairs"] if not allowed & set(p)]
        t2, t3 = rng.choice(pairs)
        t1 = rng.choice([c for c in raw["third_singles"] if c not in allowed | {t2, t3}])
        past_city_country = rng.choice((pub, cc))
        c_mention = cp.name or cp.text
        values: dict[str, str] = {
            "principal": principal,
            "principal_obj": "me" if first else principal,
            "p_poss": p_poss,
            "p_ref": "I" if first else person["office"],
            "p_capital": pub.capital or pub.name,
            "p_country": pub.name,
            "counterpart": c_text,
            "pair": pair,
            "c_demonym": cc.demonym or cc.name,
            "c_country": cc.name,
            "c_obj": "her" if cp.gender == "f" else "him",
            "c_mention": c_mention,
            "topic": rng.choice(raw["topics"]),
            "a_initial": "",
            "a_preverb": "",
            "a_postverb": "",
            "a_final": "",
            "purpose": "",
            "clause": "",
            "congratulation": rng.choice(raw["congratulations"]),
            "t1": d.countries[t1].name,
            "t2": d.countries[t2].name,
            "t3": d.countries[t3].name,
            "past_city": past_city_country.capital or past_city_country.name,
            "past_year": str(date.year - rng.randint(1, 2)),
            "past_date": _date_text(date - dt.timedelta(days=rng.randint(5, 60)), style, date),
            "future_date": _date_text(
                published + dt.timedelta(days=rng.randint(2, 40)), style, published
            ),
            "day_name": rng.choice(raw["day_names"]),
        }
        values["goal"] = _fill(rng.choice(raw["goals"]), values)
        if position == "initial":
            values["a_initial"] = _cap(a_text) + ", "
        elif position != "none":
            values["a_" + position] = " " + a_text
        if rng.random() < 0.5:
            values["purpose"] = " to discuss " + rng.choice(raw["topics"])
        if d_position == "lead_clause":
            values["clause"] = _fill(distractor["clause"], values)

        paragraphs = _fill(lead["text"], values, self.lowerable).split("\n\n")
        lead_extra = []
        if c_form == "country_elsewhere":
            lead_extra.append(_fill(raw["elsewhere"], values))
        body = []
        fillers = [
            f for f in raw["fillers"] if not (f.get("reveals") and c_form == "country_elsewhere")
        ]
        for filler in rng.sample(fillers, rng.randint(1, 3)):
            values["topic"] = rng.choice(raw["topics"])
            body.append(_fill(filler["text"], values))
        if d_position == "lead_sentence":
            lead_extra.append(_fill(distractor["sentence"], values))
        elif d_position == "body":
            body.insert(rng.randint(0, len(body)), _fill(distractor["sentence"], values))
        paragraphs[-1] = " ".join([paragraphs[-1], *lead_extra])

        dims = {
            "publisher": publisher,
            "principal_role": role,
            "principal_form": p_form,
            "counterpart_form": c_form,
            "counterpart_name": c_kind,
            "lead": lead["id"],
            "voice": lead["voice"],
            "group": group,
            "adverbial": adverbial["id"],
            "adverbial_type": adverbial["type"],
            "adverbial_position": position,
            "pair_order": order,
            "distractor": distractor["id"],
            "distractor_position": d_position,
            "wrap": rng.choice(raw["wraps"]),
            "line_end": rng.choice(raw["line_ends"]),
            "layout": rng.choice(raw["layouts"]),
        }
        heading = _fill(rng.choice(raw["headings"][group]), {"counterpart": cp.text})
        place = (host_country if group == "in-person" else pub).capital or pub.name
        text, width = _layout(
            rng,
            raw,
            dims,
            paragraphs,
            body,
            heading=heading,
            counterpart=cp.text,
            flags=_flag(pub.iso2) + _flag(cc.iso2),
            place=place,
            group=group,
        )
        expect = Expectation(
            group=group,
            principal=Party(publisher, person["name"] if p_named else None, person["title"]),
            counterpart=Party(cp.country, cp.name, cp.title),
            date=date.isoformat(),
            allowed=frozenset(allowed),
        )
        return Variant(index, text, published.isoformat(), publisher, expect, dims, width)


def _layout(
    rng: random.Random,
    raw: dict[str, Any],
    dims: dict[str, str],
    lead: list[str],
    body: list[str],
    *,
    heading: str,
    counterpart: str,
    flags: str,
    place: str,
    group: str,
) -> tuple[str, int | None]:
    """The readout's text in the variant's layout; returns it with the wrap width."""
    layout = dims["layout"]
    lead = [_close_appositives(p) for p in lead]
    body = [_close_appositives(p) for p in body]
    # body sentences: one paragraph each, or two to a paragraph
    body_pars: list[str] = []
    for sentence in body:
        if body_pars and rng.random() < 0.3:
            body_pars[-1] += " " + sentence
        else:
            body_pars.append(sentence)
    top: list[str] = []
    bottom: list[str] = []
    glue = "\n\n"
    if layout == "markdown":
        top.append(f"**{heading}**")
        for variant in (counterpart, _cap(counterpart)):
            if variant in lead[-1]:
                lead[-1] = lead[-1].replace(variant, f"**{variant}**", 1)
                break
        marker = rng.choice(("-", "*"))
        body_pars = ["\n".join(f"{marker} {s}" for s in body)]
        bottom.append("\\###")
    elif layout == "title_line":
        top.append(heading)
    elif layout == "breadcrumb":
        top.append(rng.choice(raw["breadcrumbs"]))
    elif layout == "place_line":
        top.append(place)
        if rng.random() < 0.5:
            lead[0] = place + "\n" + lead[0]
            top.pop()
    elif layout == "emoji":
        mark = rng.choice([flags, *raw["emoji"][group]])
        lead[0] = f"{mark} {lead[0]}"
        body_pars[-1] += " " + rng.choice(raw["emoji"]["tail"])
    paragraphs = top + lead + body_pars + bottom
    if layout == "nbsp":
        paragraphs = [_nbsp(rng, p) for p in paragraphs]
    elif layout == "soft_hyphen":
        paragraphs = _soft_hyphens(rng, paragraphs)
    width = None
    if dims["wrap"] != "none":
        width = rng.randint(50, 90)
        paragraphs = [_wrap(p, width, dims["wrap"] == "hyphenate") for p in paragraphs]
    text = glue.join(paragraphs) + "\n"
    if dims["line_end"] == "crlf":
        text = text.replace("\n", "\r\n")
    return text, width


def _nbsp(rng: random.Random, text: str) -> str:
    return "".join("\u00a0" if c == " " and rng.random() < 0.35 else c for c in text)


def _soft_hyphens(rng: random.Random, paragraphs: list[str]) -> list[str]:
    """Soft hyphens inside long words (about half of them, and at least one)."""
    long_word = re.compile(r"[^\W\d_]{8,}")
    spots = [
        (i, m.start(), m.end()) for i, p in enumerate(paragraphs) for m in long_word.finditer(p)
    ]
    chosen = {s for s in spots if rng.random() < 0.5} or set(spots[:1])
    out = []
    for i, p in enumerate(paragraphs):
        for _, start, end in sorted((s for s in chosen if s[0] == i), reverse=True):
            cut = (start + end) // 2
            p = p[:cut] + "\u00ad" + p[cut:]
        out.append(p)
    return out


def _wrap(paragraph: str, width: int, hyphenate: bool) -> str:
    """Hard-wrap each line of a paragraph at ``width`` (breaking at spaces; with ``hyphenate``,
    a word of six letters or more that does not fit is split with a hyphen, leaving at least
    three letters on each line, as typeset exports do)."""
    out = []
    for line in paragraph.split("\n"):
        indent = "  " if re.match(r"[-*] ", line) else ""
        current = ""
        for word in line.split(" "):
            if not current:
                current = word
            elif len(current) + 1 + len(word) <= width:
                current += " " + word
            else:
                room = width - len(current) - 2
                letters = len(re.match(r"[^\W\d_]*", word).group(0))  # type: ignore[union-attr]
                if hyphenate and letters >= 6 and 3 <= room <= letters - 3:
                    out.append(f"{current} {word[:room]}-")
                    current = indent + word[room:]
                else:
                    out.append(current)
                    current = indent + word
        out.append(current)
    return "\n".join(out)


def generate(n: int = 5000, seed: int = 1) -> list[Variant]:
    """``n`` synthetic readouts, the same ones for the same seed."""
    builder = _Builder(_data(), random.Random(seed))
    return [builder.variant(i) for i in range(n)]


# ------------------------------------------------------------------------------------------------
# Scoring

RATES = (
    "main",
    "counterpart_country",
    "kind",
    "principal",
    "counterpart_name",
    "principal_name",
    "date",
    "invented",
)


@dataclass
class Outcome:
    """How one variant fared."""

    variant: Variant
    checks: dict[str, bool]  # counterpart_country, kind, principal, counterpart_name, ...
    invented: list[str]  # "<kind>:<country>" for each reported encounter outside the allowed set
    got: str = ""  # the main encounter found, in brief
    error: str | None = None

    @property
    def main(self) -> bool:
        return all(
            self.checks.get(k, True)
            for k in ("counterpart_country", "kind", "principal", "counterpart_name")
        )

    @property
    def failed(self) -> bool:
        return not self.main or bool(self.invented)

    def reasons(self) -> list[str]:
        out = [k for k, ok in self.checks.items() if not ok and k != "date"]
        if self.invented:
            out.append("invented " + " ".join(self.invented))
        if self.error:
            out.append(self.error)
        return out


@dataclass
class RobustnessReport:
    outcomes: list[Outcome]

    def rates(self) -> dict[str, tuple[int, int]]:
        """name -> (hits, total); for ``invented`` the hits are variants with an invented
        encounter."""
        out: dict[str, tuple[int, int]] = {}
        n = len(self.outcomes)
        out["main"] = (sum(o.main for o in self.outcomes), n)
        for name in RATES[1:-1]:
            scored = [o.checks[name] for o in self.outcomes if name in o.checks]
            out[name] = (sum(scored), len(scored))
        out["invented"] = (sum(bool(o.invented) for o in self.outcomes), n)
        return out

    def rate(self, name: str) -> float:
        hits, total = self.rates()[name]
        return hits / total if total else (0.0 if name == "invented" else 1.0)

    def by_dimension(self) -> dict[str, dict[str, tuple[int, int]]]:
        """dimension -> value -> (failed variants, variants)."""
        # the dimensions of the variants' own suite (English: DIMENSIONS), in their order
        dims = tuple(dict.fromkeys(d for o in self.outcomes for d in o.variant.dims))
        fails: dict[str, Counter[str]] = {d: Counter() for d in dims}
        totals: dict[str, Counter[str]] = {d: Counter() for d in dims}
        for o in self.outcomes:
            for dim, value in o.variant.dims.items():
                totals[dim][value] += 1
                fails[dim][value] += o.failed
        return {
            dim: {v: (fails[dim][v], t) for v, t in sorted(totals[dim].items())} for dim in dims
        }

    def worst(self, k: int = 15, min_support: int = 10) -> list[tuple[str, str, int, int]]:
        """The ``k`` dimension values with the highest failure rate: (dimension, value, failed,
        total)."""
        rows = [
            (dim, value, f, t)
            for dim, values in self.by_dimension().items()
            for value, (f, t) in values.items()
            if t >= min_support and f
        ]
        rows.sort(key=lambda r: (-r[2] / r[3], -r[2]))
        return rows[:k]

    def examples(self, dim: str, value: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.failed and o.variant.dims[dim] == value]

    def to_dict(self) -> dict[str, Any]:
        return {
            "variants": len(self.outcomes),
            "rates": {
                k: {"rate": round(h / t, 4) if t else None, "hits": h, "total": t}
                for k, (h, t) in self.rates().items()
            },
            "dimensions": {
                dim: {v: {"failed": f, "total": t} for v, (f, t) in values.items()}
                for dim, values in self.by_dimension().items()
            },
        }


def extract_variant(variant: Variant) -> Readout:
    """Run the package's extractor on a variant, with the metadata a caller would give."""
    import communique

    return communique.extract(
        variant.text, published=variant.published, source_country=variant.source_country
    )


def score(
    variants: Iterable[Variant], extract_fn: Callable[[Variant], Readout] | None = None
) -> RobustnessReport:
    """Extract every variant (``extract_fn``, by default :func:`extract_variant`) and score the
    main encounter against its expectation."""
    fn = extract_fn or extract_variant
    outcomes = []
    for v in variants:
        try:
            readout = fn(v)
        except CommuniqueError as exc:
            checks = {k: False for k in ("counterpart_country", "kind", "principal", "date")}
            outcomes.append(Outcome(v, checks, [], error=f"error: {exc}"))
            continue
        outcomes.append(score_one(v, readout))
    return RobustnessReport(outcomes)


def score_one(variant: Variant, readout: Readout) -> Outcome:
    exp = variant.expect
    invented = []
    for e in readout.encounters:
        if e.timing != "reported" or e.kind not in _SCORED_KINDS:
            continue
        for c in readout.countries_of(e.actors + e.recipients):
            if c not in exp.allowed:
                invented.append(f"{e.kind}:{c}")
    main = readout.main_event
    checks: dict[str, bool] = {}
    if main is None:
        checks = {k: False for k in ("counterpart_country", "kind", "principal", "date")}
        if exp.counterpart.name:
            checks["counterpart_name"] = False
        if exp.principal.name:
            checks["principal_name"] = False
        return Outcome(variant, checks, invented, got="no main encounter")
    ids = main.actors + main.recipients
    countries = set(readout.countries_of(ids))
    # a person as written and by the lexicon's canonical name ("马克龙": Emmanuel Macron)
    persons = [
        (name, a.country)
        for a in (readout.actor(i) for i in ids)
        if a.kind == "person" and a.named
        for name in dict.fromkeys((a.name, a.canonical))
        if name
    ]
    checks["counterpart_country"] = exp.counterpart.country in countries
    checks["kind"] = kind_group(main.kind) == exp.group
    checks["principal"] = exp.principal.country in countries
    if exp.counterpart.name:
        want = (exp.counterpart.name, exp.counterpart.country)
        checks["counterpart_name"] = any(_same_person(want, p) for p in persons)
    if exp.principal.name:
        want = (exp.principal.name, exp.principal.country)
        checks["principal_name"] = any(_same_person(want, p) for p in persons)
    checks["date"] = (main.date or "")[:10] == exp.date
    got = f"{main.kind} {sorted(countries)} {main.date} {[p[0] for p in persons]}"
    return Outcome(variant, checks, invented, got=got)


_NAME_PARTS = re.compile(r"[\s·•‧\-－]+")


def _same_person(want: tuple[str | None, str | None], got: tuple[str | None, str | None]) -> bool:
    """:func:`~communique.evaluate.scorer.same_person`, and for names in a script without Latin
    letters ("阿莫卢克斯", "卡洛斯·门多萨") the same country and a shared part of the name."""
    if same_person(want, got):
        return True
    if want[1] != got[1] or name_tokens(want[0]) or not want[0] or not got[0]:
        return False
    parts = {p for p in _NAME_PARTS.split(want[0]) if len(p) > 1}
    return bool(parts & set(_NAME_PARTS.split(got[0])))


def summarize(report: RobustnessReport, show: int = 15) -> str:
    """A plain-text summary: the rates, then the worst dimension values with an example each."""
    lines = [f"{len(report.outcomes)} variants"]
    for name, (hits, total) in report.rates().items():
        rate = hits / total if total else float("nan")
        lines.append(f"  {name:<20} {rate:7.3f}  ({hits}/{total})")
    if not show:
        return "\n".join(lines)
    lines.append("")
    lines.append(f"worst {show} dimension values (failed/total):")
    for dim, value, failed, total in report.worst(show):
        lines.append(f"  {dim}={value}: {failed}/{total} ({failed / total:.2f})")
    return "\n".join(lines)
