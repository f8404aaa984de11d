"""The Chinese robustness suite: seeded synthetic readouts in the style of CCTV and Xinhua whose
main encounter is known.

:func:`generate` builds readouts from the phrasings in ``robustness_zh.yaml`` (beside this
module) and the facts of the Chinese lexicon (country names and short forms, the foreign
office-holders it knows, cities), drawing every dimension at random from a seeded generator:
the Chinese principal and how its offices are written, the counterpart (a person the lexicon
knows, a transliterated name it does not, with or without the middle dot, a head of an
organisation; country and office before the name, the name before its office, the name alone),
the lead's verb, the date (how it is written, where it stands, how many days before the
broadcast), the place, the occasion, the dateline, a distractor, and the layout (hard wraps,
CRLF, paragraph breaks, indents). Each :class:`~communique.evaluate.robustness.Variant` carries
what a careful reader codes as the main encounter, scored by
:func:`~communique.evaluate.robustness.score` like the English suite's.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from communique.evaluate.robustness import (
    Expectation,
    Party,
    RobustnessReport,
    Variant,
    office_terms,
    score,
)
from communique.model import Readout
from communique.resources import load_tsv, load_yaml

__all__ = [
    "ZH_DIMENSIONS",
    "dimension_values",
    "extract_variant",
    "generate",
    "score_zh",
]

ZH_DIMENSIONS = (
    "principal",
    "principal_form",
    "counterpart_form",
    "counterpart_name",
    "counterpart_role",
    "lead",
    "group",
    "date_style",
    "date_position",
    "date_local",
    "offset",
    "month_end",
    "place",
    "occasion",
    "dateline",
    "tail",
    "companion",
    "distractor",
    "distractor_position",
    "wrap",
    "line_end",
    "paragraph_break",
    "indent",
    "meta",
)
PRINCIPAL_FORMS = ("full", "office", "courtesy", "name")
COUNTERPART_FORMS = (
    "country_office_name",
    "long_country_office_name",
    "new_office_name",
    "name_office",
    "name_only",
    "org_head",
    "country",
)
COUNTERPART_NAMES = ("known", "known_full", "unknown", "unknown_dotted", "org", "none")
_POSITIONS = {"I": "initial", "D": "subject", "E": "counterpart"}  # where a date stands
_LEADERS = ("head", "government")
_NAMES_COUNTERPART = re.compile(r"\{c(_courtesy)?\}")  # later mentions of the counterpart
_SLOT = re.compile(r"\{(\w+)\}")
_LONG_END = ("共和国", "王国", "联邦", "合众国", "国")


def _load_spec() -> dict[str, Any]:
    text = resources.files("communique.evaluate").joinpath("robustness_zh.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


# ------------------------------------------------------------------------------------------------
# The data


@dataclass(frozen=True, slots=True)
class _Country:
    iso3: str
    name: str  # 法国
    long: str | None  # 法兰西共和国
    short: str | None  # 法 (中法, 法方)
    offices: dict[str, list[str]]  # role -> office words
    cities: tuple[str, ...]  # the lexicon's cities, the capital first


@dataclass(frozen=True, slots=True)
class _KnownZh:
    country: str
    role: str
    canonical: str
    form: str  # the surname form readouts write after the office
    full: str | None  # the full form with the middle dot, where the lexicon has one
    start: int
    end: int


@dataclass(frozen=True)
class _Data:
    """The phrasings, and the facts the generator takes from the Chinese lexicon."""

    raw: dict[str, Any]
    countries: dict[str, _Country]  # the counterparts' countries
    known: tuple[_KnownZh, ...]  # their office-holders the lexicon knows
    names: dict[str, str]  # every country's first Chinese name (third parties)
    forms: frozenset[str]  # every lexicon form of two characters or more
    stops: frozenset[str]  # words that end a name


def _strings(node: Any) -> Iterable[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


@functools.cache
def _data() -> _Data:
    raw = _load_spec()
    lex = load_yaml("lang/zh/lexicon.yaml")
    words = load_yaml("lang/zh/words.yaml")
    cities: dict[str, list[str]] = {}
    for place in lex["places"].values():
        if "city" not in place:  # a venue is in a city
            cities.setdefault(place["country"], []).append(place["forms"][0])
    countries: dict[str, _Country] = {}
    for system, members in raw["countries"].items():
        offices = raw["systems"][system]
        for iso3 in members:
            forms = lex["countries"][iso3]
            longer = [f for f in forms[1:] if f.endswith(_LONG_END) and len(f) > len(forms[0])]
            countries[iso3] = _Country(
                iso3,
                forms[0],
                longer[0] if longer else None,
                lex["country_short"].get(iso3),
                {role: list(words_) for role, words_ in offices.items() if words_},
                tuple(cities.get(iso3, ())),
            )
    names = {iso3: forms[0] for iso3, forms in lex["countries"].items()}
    # the office-holders the lexicon knows by a form no one else has
    holders: dict[str, set[str]] = {}
    for canonical, person in lex["people"].items():
        for form in person["forms"]:
            holders.setdefault(form, set()).add(canonical)
    zh_people = lex["people"]
    names_of: dict[str, set[str]] = {}
    for row in load_tsv("countries.tsv"):
        names_of[row["iso3"]] = {row["name"], *(row["names"] or "").split("|")}
    known = []
    for person in load_yaml("people.yaml"):
        zh = zh_people.get(person["name"])
        if zh is None or person["country"] not in countries:
            continue
        forms = [f for f in zh["forms"] if len(holders[f]) == 1]
        short = [f for f in forms if "·" not in f and len(f) > 1]
        if not short:
            continue
        full = next((f for f in forms if "·" in f), None)
        for term in office_terms(person, names_of[person["country"]]):
            role = raw["known_titles"][term.title]
            if role in countries[person["country"]].offices:
                known.append(
                    _KnownZh(term.country, role, term.name, short[0], full, term.start, term.end)
                )
    forms_ = frozenset(s for s in _strings(lex) if len(s) > 1)
    stops = frozenset(
        str(w) for key in ("name_stops", "dictionary") for w in words.get(key) or () if w
    )
    return _Data(
        raw,
        countries,
        tuple(known),
        names,
        forms_,
        stops,
    )


def dimension_values() -> dict[str, tuple[str, ...]]:
    """Every value each dimension can take (what 2,000 variants are expected to cover)."""
    raw = _data().raw
    return {
        "principal": tuple(p["name"] for p in raw["principals"]),
        "principal_form": PRINCIPAL_FORMS,
        "counterpart_form": COUNTERPART_FORMS,
        "counterpart_name": COUNTERPART_NAMES,
        "counterpart_role": (
            "head",
            "government",
            "foreign",
            "parliament",
            "vice",
            "former",
            "org",
        ),
        "lead": tuple(lead["id"] for lead in raw["leads"]),
        "group": ("in-person", "call", "message"),
        "date_style": tuple(d["style"] for d in raw["dates"]),
        "date_position": ("none", "initial", "subject", "counterpart"),
        "date_local": ("no", "yes"),
        "offset": ("0", "1"),
        "month_end": ("no", "crossed"),
        "place": (*(p["id"] for p in raw["places"]), "summit"),
        "occasion": tuple(o["id"] for o in raw["occasions"]),
        "dateline": tuple(raw["datelines"]),
        "tail": tuple(raw["tails"]),
        "companion": ("none", "spouse"),
        "distractor": tuple(d["id"] for d in raw["distractors"]),
        "distractor_position": ("none", "lead", "body"),
        "wrap": tuple(raw["wraps"]),
        "line_end": tuple(raw["line_ends"]),
        "paragraph_break": tuple(raw["paragraph_breaks"]),
        "indent": tuple(raw["indents"]),
        "meta": tuple(raw["metas"]),
    }


# ------------------------------------------------------------------------------------------------
# Rendering


def _fill(template: str, values: dict[str, str]) -> str:
    return _SLOT.sub(lambda m: values[m.group(1)], template)


def _slots(template: str) -> set[str]:
    return set(_SLOT.findall(template))


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def _wrap(paragraph: str, width: int) -> str:
    """Cut a paragraph into lines of ``width`` characters, anywhere (Chinese breaks lines inside
    words: names, numbers and dates are cut too)."""
    return "\n".join(paragraph[i : i + width] for i in range(0, len(paragraph), width))


# ------------------------------------------------------------------------------------------------
# Generation


@dataclass
class _Counterpart:
    country: str  # ISO3 or an organisation code
    role: str
    office: str  # the Chinese office word
    kind: str  # counterpart_name's value
    name: str | None  # as written in the lead
    later: str  # as written later in the text
    canonical: str | None  # the lexicon's name, for a person it knows
    female: bool = False
    org: dict[str, Any] | None = None

    @property
    def expected_name(self) -> str | None:
        return self.canonical or self.name


@dataclass
class _Draft:
    """A variant while it is drawn."""

    principal: dict[str, Any]
    lead: dict[str, Any]
    dims: dict[str, str]
    values: dict[str, str] = field(
        default_factory=lambda: dict.fromkeys(("I", "D", "E", "L", "A"), "")
    )
    date: dt.date = dt.date.min
    published: dt.date = dt.date.min
    style: dict[str, Any] = field(default_factory=dict)
    cp: _Counterpart = field(default_factory=lambda: _Counterpart("", "", "", "", None, "", None))
    form: str = ""
    p_office: str = ""
    allowed: set[str] = field(default_factory=set)
    taken: set[str] = field(default_factory=set)  # countries a third party may not be
    abroad: bool = False
    unnamed: bool = False
    lead_text: str = ""
    body: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, data: _Data, rng: random.Random) -> None:
        self.d = data
        self.raw = data.raw
        self.rng = rng
        self.given = [g for g in self.raw["transliteration"]["given"] if self._unknown_ok(g)]

    # names --------------------------------------------------------------------------------------
    def _unknown(self, syllables: int, female: bool) -> str:
        t = self.raw["transliteration"]
        for _ in range(200):
            parts = [self.rng.choice(t["first"])]
            parts += [self.rng.choice(t["middle"]) for _ in range(syllables - 2)]
            parts.append(self.rng.choice(t["female_ends"] if female else t["last"]))
            name = "".join(parts)
            if self._unknown_ok(name):
                return name
        raise RuntimeError("no unknown name could be made")  # pragma: no cover

    def _unknown_ok(self, name: str) -> bool:
        """A name that holds no lexicon form and no word that ends a name, and makes none with
        the words around it ("…德" before "国王" would write 德国)."""
        n = len(name)
        subs = {name[i:j] for i in range(n) for j in range(i + 1, n + 1)}
        if any(s in self.d.forms for s in subs if len(s) > 1):
            return False
        if any(s in self.d.stops for s in subs):
            return False
        for word in self.raw["name_neighbours"]:
            for text, cut in ((name + word, n), (word + name, len(word))):
                crossing = {text[i:j] for i in range(cut) for j in range(cut + 1, len(text) + 1)}
                if crossing & self.d.forms:
                    return False
        return True

    def unknown_name(self, dotted: bool) -> tuple[str, str, bool]:
        """(name as written, later mention, female)."""
        female = self.rng.random() < 0.3
        surname = self._unknown(self.rng.choice((3, 3, 4, 4, 5)), female)
        if not dotted:
            return surname, surname, female
        given = self.rng.choice(self.given)
        return f"{given}·{surname}", surname, female

    # the counterpart ----------------------------------------------------------------------------
    def counterpart(
        self, role: str, form: str, year: int, exclude: set[str], lead: dict[str, Any]
    ) -> _Counterpart:
        rng, d = self.rng, self.d
        if form == "org_head":
            org = rng.choice(self.raw["org_heads"])
            return _Counterpart(
                org["org"], "org", org["office"], "org", org["name"], org["name"],
                org["canonical"], org=org,
            )  # fmt: skip
        candidates = [c for c, x in d.countries.items() if c not in exclude and role in x.offices]
        if lead.get("abroad"):
            candidates = [c for c in candidates if d.countries[c].cities]
        allowed = set(candidates)
        known = [
            k
            for k in d.known
            if k.role == role and k.start <= year <= k.end and k.country in allowed
        ]
        if role == "former":  # a head of state or government no longer in office
            leaders = [k for k in d.known if k.role in _LEADERS and k.country in allowed]
            current = {k.canonical for k in leaders if k.start <= year <= k.end}
            known = [k for k in leaders if k.end < year and k.canonical not in current]
        odds = self.raw["names"]
        if known and rng.random() < odds["known"]:
            k = rng.choice(known)
            office = rng.choice(d.countries[k.country].offices[k.role])
            if role == "former":
                office = "前" + office
            if k.full and rng.random() < odds["full"]:
                return _Counterpart(
                    k.country, role, office, "known_full", k.full, k.form, k.canonical
                )
            return _Counterpart(k.country, role, office, "known", k.form, k.form, k.canonical)
        country = rng.choice(candidates)
        office = rng.choice(d.countries[country].offices[role])
        dotted = rng.random() < odds["dotted"]
        name, later, female = self.unknown_name(dotted)
        kind = "unknown_dotted" if dotted else "unknown"
        return _Counterpart(country, role, office, kind, name, later, None, female)

    def render_counterpart(self, cp: _Counterpart, form: str) -> str:
        if cp.org is not None:
            return f"{cp.org['office']}{cp.name}"
        c = self.d.countries[cp.country]
        if form == "long_country_office_name":
            return f"{c.long or c.name}{cp.office}{cp.name}"
        if form == "new_office_name":
            return f"{c.name}新任{cp.office}{cp.name}"
        if form == "name_office":
            return f"{cp.name}{cp.office}"
        if form == "name_only":
            return cp.name or ""
        return f"{c.name}{cp.office}{cp.name}"

    def side(self, cp: _Counterpart) -> tuple[str, str, str]:
        """(the counterpart's side: 法方; the two countries: 中法; its country in full)."""
        if cp.org is not None:
            return f"{cp.org['short']}方面", f"中国同{cp.org['short']}", cp.org["short"]
        c = self.d.countries[cp.country]
        if c.short and len(c.short) <= 2:
            return f"{c.short}方", f"中{c.short}", c.name
        return f"{c.name}方面", f"中国同{c.name}", c.name

    # one variant --------------------------------------------------------------------------------
    def variant(self, index: int) -> Variant:
        rng = self.rng
        principal = rng.choice(self.raw["principals"])
        lead = rng.choice([x for x in self.raw["leads"] if x["tag"] in principal["tags"]])
        v = _Draft(principal, lead, dims={"principal": principal["name"], "lead": lead["id"]})
        v.dims["group"] = lead["group"]
        self.draw_date(v)
        self.draw_counterparts(v)
        self.draw_principal(v)
        self.draw_where(v)
        self.date_words(v)
        self.lead_words(v)
        self.draw_body(v)
        self.draw_distractor(v)
        dateline = self.dateline(v)
        for dim in ("wrap", "line_end", "paragraph_break", "indent", "meta"):
            v.dims[dim] = rng.choice(self.raw[dim + "s"])
        v.dims["tail"] = tail = rng.choice(list(self.raw["tails"]))
        paragraphs = [dateline + v.lead_text, *v.body]
        paragraphs[-1] += _fill(
            self.raw["tails"][tail], {"reporter": rng.choice(self.raw["reporters"])}
        )
        text, width = self.layout(v.dims, paragraphs)
        cp = v.cp
        expect = Expectation(
            group=lead["group"],
            principal=Party("CHN", principal["canonical"], v.p_office),
            counterpart=Party(
                cp.country, None if lead.get("no_name") else cp.expected_name, cp.office
            ),
            date=v.date.isoformat(),
            allowed=frozenset(v.allowed),
        )
        dims = {d: v.dims[d] for d in ZH_DIMENSIONS}
        return Variant(index, text, v.published.isoformat(), "CHN", expect, dims, width)

    def draw_date(self, v: _Draft) -> None:
        """The encounter's day, the publication day 0 or 1 days later (across a month's end in
        about a fifth of the variants), how the day is written and where it stands."""
        raw, rng = self.raw, self.rng
        start, end = (dt.date.fromisoformat(str(x)) for x in raw["window"])
        date = start + dt.timedelta(days=rng.randint(0, (end - start).days))
        month_end = rng.random() < 0.2
        if month_end:  # the last day of its month
            date = (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            date -= dt.timedelta(days=1)
        free = {_POSITIONS[s] for s in _slots(v.lead["text"]) if s in _POSITIONS} | {"none"}
        style = rng.choice([s for s in raw["dates"] if set(s["positions"]) & free])
        offset = 1 if month_end and 1 in style["offset"] else rng.choice(style["offset"])
        v.date, v.style = date, style
        v.published = date + dt.timedelta(days=offset)
        v.dims.update(
            date_style=style["style"],
            date_position=rng.choice([p for p in style["positions"] if p in free]),
            offset=str(offset),
            month_end="crossed" if v.published.month != date.month else "no",
        )

    def draw_counterparts(self, v: _Draft) -> None:
        raw, rng, lead = self.raw, self.rng, v.lead
        roles = dict(v.principal.get("roles") or raw["default_roles"])
        if lead.get("needs") == "state_head":
            roles = {r: w for r, w in roles.items() if r in ("head", "government")} or {"head": 1}
        if not lead.get("in_person"):
            roles.pop("former", None)  # former leaders are met, not called or congratulated
        role = _weighted(rng, roles)
        forms = dict(lead.get("forms") or raw["counterpart_forms"])
        if lead.get("needs") or lead["tag"] in ("visit", "ceremony", "message"):
            forms.pop("org_head", None)
        if lead.get("no_name"):
            forms = {"country_office_name": 1}
        form = _weighted(rng, forms)
        cp = self.counterpart(role, form, v.date.year, {"CHN"}, lead)
        v.cp, v.form = cp, form
        v.allowed = {"CHN", cp.country}
        if lead.get("second"):
            second_role = "head" if cp.org is not None else role
            second = self.counterpart(second_role, "country_office_name", v.date.year,
                                      {"CHN", cp.country}, {})  # fmt: skip
            v.values["C2"] = self.render_counterpart(second, "country_office_name")
            v.allowed.add(second.country)
            v.taken.add(second.country)
        v.taken.add(cp.country)
        v.values["C"] = self.render_counterpart(cp, form)
        v.values["side"], v.values["pair"], v.values["country"] = self.side(cp)
        v.values["c"] = cp.later
        v.values["visit_type"] = raw["visit_types"].get(role, raw["visit_types"]["other"])
        v.values["own_visit"] = v.principal.get("visit", "正式访问")
        if cp.country in self.d.countries and self.d.countries[cp.country].cities:
            v.values["city"] = self.d.countries[cp.country].cities[0]
        unnamed = "{C}" not in lead["text"]
        v.dims.update(
            counterpart_form="country" if unnamed else form,
            counterpart_name="none" if lead.get("no_name") else cp.kind,
            counterpart_role="org" if cp.org is not None else role,
        )

    def draw_principal(self, v: _Draft) -> None:
        p = v.principal
        form = self.rng.choice(PRINCIPAL_FORMS)
        if form == "courtesy" and not p["courtesy"]:
            form = "name"
        office = {
            "full": self.rng.choice(p["full"]),
            "office": self.rng.choice(p["office"]),
            "courtesy": "",
            "name": "",
        }[form]
        v.p_office = office
        v.values["P"] = office + p["name"] + (p["courtesy"] if form == "courtesy" else "")
        spouse = self.raw["spouses"].get(p["name"])
        v.dims["companion"] = "none"
        if spouse and v.lead.get("welcome") and self.rng.random() < 0.4:
            v.values["P"] += f"和夫人{spouse}"
            v.values["C"] += "夫妇"
            v.dims["companion"] = "spouse"
        v.values["p"] = p["name"]
        v.dims["principal_form"] = form

    def draw_where(self, v: _Draft) -> None:
        """The place and the occasion of an in-person encounter, and whether it is abroad."""
        raw, rng, lead, values = self.raw, self.rng, v.lead, v.values
        text = lead["text"]
        occasion: dict[str, Any] = {"id": "none"}
        place: dict[str, Any] = {"id": "none", "text": ""}
        if lead.get("in_person") and not lead.get("welcome"):
            occasions = [
                o
                for o in raw["occasions"]
                if ("attr" not in o or "{A}" in text)
                and ("where" not in o or "{L}" in text)
                and (o.get("needs") != "state" or v.cp.org is None)
                and (not o.get("abroad") or "city" in values)
            ]
            occasion = rng.choice(occasions)
            places = [
                p
                for p in raw["places"]
                if "{L}" in text
                and "where" not in occasion
                and (not p.get("abroad") or ("city" in values and not occasion.get("china")))
            ]
            place = rng.choice(places) if places else place
        elif lead.get("welcome"):
            place = rng.choice([p for p in raw["places"] if p.get("china") or p["id"] == "none"])
        v.abroad = bool(lead.get("abroad") or occasion.get("abroad") or place.get("abroad"))
        if occasion["id"] == "summit_abroad":
            summit = rng.choice(raw["summits"])
            values.update(summit_city=summit["city"], summit=summit["text"])
            v.allowed.add(summit["org"])
            v.abroad = True
            place = {"id": "summit", "text": ""}
        elif occasion["id"] == "forum":
            forum = rng.choice(raw["forums"])
            values["forum"] = forum["text"]
            if forum["org"]:
                v.allowed.add(forum["org"])
        values["china_city"] = rng.choice(raw["china_cities"])
        values["L"] = _fill(occasion.get("where") or place.get("text", ""), values)
        values["A"] = _fill(occasion.get("attr", ""), values)
        v.dims.update(place=place["id"], occasion=occasion["id"])

    def date_words(self, v: _Draft) -> None:
        rng, date = self.rng, v.date
        local = bool(v.abroad and v.style.get("local") and rng.random() < 0.6)
        part = rng.choice(self.raw["parts"])
        text = _fill(
            v.style["text"],
            {
                "y": str(date.year),
                "m": str(date.month),
                "d": str(date.day),
                "part": part,
                "part_opt": part if rng.random() < 0.5 else "",
            },
        )
        if local:
            text = "当地时间" + text
        slot = {"initial": "I", "subject": "D", "counterpart": "E"}.get(v.dims["date_position"])
        if slot is not None:
            v.values[slot] = text + ("，" if slot == "I" else "")
        v.dims["date_local"] = "yes" if local else "no"

    def lead_words(self, v: _Draft) -> None:
        raw, rng, values, cp = self.raw, self.rng, v.values, v.cp
        role = v.dims["counterpart_role"]
        plural = v.principal["plural"]
        if (plural == "两国元首" and role != "head") or (
            plural == "两国总理" and role != "government"
        ):
            plural = "双方"
        values["plural"] = plural
        if "{level}" in v.lead["text"]:
            level = raw["levels"].get(plural)
            if level is None or values["pair"].startswith("中国同"):
                values["pair"], level = "", "双边"
            values["level"] = level
        values["pron"] = "她" if cp.female else ("其" if cp.canonical else "他")
        # "总统先生", "总理女士", "秘书长先生": the counterpart addressed by office
        office = cp.org["title"] if cp.org is not None else cp.office.split("兼")[-1]
        office = office.removeprefix("前")
        values["c_courtesy"] = office + ("女士" if cp.female else "先生")
        values["office"] = cp.office
        values["congrats"] = _fill(rng.choice(raw["congratulations"]), values)
        values["disaster"] = rng.choice(raw["disasters"])
        values["n"] = str(rng.choice((10, 20, 25, 30, 40, 45, 50, 55, 60, 65, 70, 75)))
        v.lead_text = _fill(v.lead["text"], values)

    def draw_body(self, v: _Draft) -> None:
        """One to three paragraphs of speech; one names the counterpart's country in full where
        the lead does not."""
        raw, rng, values = self.raw, self.rng, v.values
        is_org = v.cp.org is not None
        v.unnamed = "{C}" not in v.lead["text"]  # never named: no "{c}表示"
        fillers = [
            f
            for f in raw["fillers"]
            if f.get("org", is_org) == is_org
            and not (v.unnamed and _NAMES_COUNTERPART.search(f["text"]))
            and v.lead["group"] in f.get("groups", [v.lead["group"]])
        ]
        body = rng.sample(fillers, min(rng.randint(1, 3), len(fillers)))
        names_none = v.form in ("name_office", "name_only") and not is_org
        if names_none and not any(f.get("country") for f in body):
            naming = [f for f in fillers if f.get("country")]
            body.insert(rng.randint(0, len(body)), rng.choice(naming))
        for f in body:
            values["topic"], values["topic2"] = rng.sample(raw["topics"], 2)
            v.body.append(_fill(f["text"], values))

    def draw_distractor(self, v: _Draft) -> None:
        raw, rng, lead, values = self.raw, self.rng, v.lead, v.values
        distractor = rng.choice(
            [
                x
                for x in raw["distractors"]
                if (not x.get("in_person") or lead.get("in_person"))
                and (not x.get("principal_travels") or v.abroad)
                and (x.get("org") is not False or v.cp.org is None)
                and not (v.unnamed and _NAMES_COUNTERPART.search(x.get("text", "")))
                and lead["group"] in x.get("groups", [lead["group"]])
            ]
        )
        v.dims.update(distractor=distractor["id"], distractor_position="none")
        if distractor["id"] == "none":
            return
        t1, t2 = rng.choice([p for p in raw["third_pairs"] if not v.taken & set(p)])
        values.update(
            t1=self.d.names[t1],
            t2=self.d.names[t2],
            past=_fill(rng.choice(raw["past"]), {"pm": str(rng.randint(1, 12))}),
            past_city=rng.choice(["北京", values.get("city", "北京")]),
            attendees="、".join(
                rng.sample([a for a in raw["attendees"] if a != values["p"]], rng.randint(1, 3))
            ),
            kind_word="会谈" if lead["tag"] in ("talks", "ceremony") else "会见",
        )
        sentence = _fill(distractor["text"], values)
        if distractor["id"] == "attendees":
            v.dims["distractor_position"] = "body"
            v.body.append(sentence)
        elif rng.random() < 0.5:
            v.dims["distractor_position"] = "lead"
            v.lead_text += sentence
        else:
            v.dims["distractor_position"] = "body"
            v.body.insert(rng.randint(0, len(v.body)), sentence)

    def dateline(self, v: _Draft) -> str:
        raw, rng = self.raw, self.rng
        key = rng.choice(list(raw["datelines"]))
        if key.startswith("xinhua") and v.style.get("no_xinhua"):
            key = "cctv"
        v.dims["dateline"] = key
        city = (v.values.get("summit_city") or v.values.get("city", "北京")) if v.abroad else "北京"
        return _fill(
            raw["datelines"][key],
            {
                "dateline_city": city,
                "m": str(v.date.month),
                "d": str(v.date.day),
                "reporter": rng.choice(raw["reporters"]),
            },
        )

    def layout(self, dims: dict[str, str], paragraphs: list[str]) -> tuple[str, int | None]:
        if dims["indent"] == "fullwidth":
            paragraphs = ["\u3000\u3000" + p for p in paragraphs]
        width = None
        if dims["wrap"] == "hard":
            width = self.rng.randint(20, 40)
            paragraphs = [_wrap(p, width) for p in paragraphs]
        glue = "\n\n" if dims["paragraph_break"] == "blank" else "\n"
        text = glue.join(paragraphs) + "\n"
        if dims["line_end"] == "crlf":
            text = text.replace("\n", "\r\n")
        return text, width


def generate(n: int = 2000, seed: int = 1) -> list[Variant]:
    """``n`` synthetic Chinese readouts, the same ones for the same seed."""
    builder = _Builder(_data(), random.Random(seed))
    return [builder.variant(i) for i in range(n)]


def extract_variant(variant: Variant) -> Readout:
    """Run the package's extractor on a variant with the metadata a caller would give: the
    publication day, and the publisher's country where the variant's ``meta`` says so (the
    language is left to detection)."""
    import communique

    country = variant.source_country if variant.dims.get("meta") == "country" else None
    return communique.extract(variant.text, published=variant.published, source_country=country)


def score_zh(variants: Iterable[Variant]) -> RobustnessReport:
    """:func:`~communique.evaluate.robustness.score` with :func:`extract_variant`."""
    return score(variants, extract_variant)
