"""Metadata found in the text itself: timestamp and place-and-date lines, boilerplate lines."""

from __future__ import annotations

import re
from datetime import date, datetime

from communique.vocab import MONTHS

_ISO_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_BOILERPLATE = re.compile(
    r"^(?:Home\s*>.*|<?Suggest To A Friend>?|Print|Share|Close|Top|Back to top|"
    r"Copyright .*|\u00a9.*|All rights reserved\.?|Office of the Spokesperson|"
    r"Media Note|Press Statement|Readout|For Immediate Release)$",
    re.IGNORECASE,
)


_NAME = r"[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){1,4}"
_BYLINE = re.compile(
    rf"^(?:By\s+{_NAME}(?:,?\s+and\s+{_NAME})?|"
    # "Name Surname, [Deputy] [Department] Spokesperson", "..., Press Secretary", "..., Reporter"
    rf"{_NAME},\s+(?:[\w.'\-]+\s+){{0,5}}"
    r"(?i:spokesperson|spokesman|spokeswoman|press\s+secretary|correspondent|reporter|editor|"
    r"writer|contributor)s?)$"
)


def is_byline(line: str) -> bool:
    """A line that names who wrote or said the text ("By Jane Doe", "Matthew Miller, Department
    Spokesperson"): never a title."""
    return bool(_BYLINE.match(line.strip()))


def parse_iso_stamp(line: str) -> datetime | date | None:
    m = _ISO_STAMP.match(line.strip())
    if not m:
        return None
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    try:
        if m[4]:
            return datetime(y, mo, d, int(m[4]), int(m[5]), int(m[6] or 0))
        return date(y, mo, d)
    except ValueError:
        return None


_PLACE_DATE = re.compile(
    r"^(?:[A-Z][\w.'\- ]{1,40},\s+)?(?:[A-Za-z]+day,?\s+)?(?P<month>[A-Z][a-z]+)\.?\s+(?P<day>\d{1,2}),?\s+"
    r"(?P<year>(?:19|20)\d\d)$|^(?:[A-Z][\w.'\- ]{1,40},\s+)?(?P<day2>\d{1,2})\s+(?P<month2>[A-Z][a-z]+)"
    r"\s+(?P<year2>(?:19|20)\d\d)$"
)


def place_date_line(line: str) -> date | None:
    """A heading line that is only a date, or a place and a date ("Beijing, June 28, 2024")."""
    m = _PLACE_DATE.match(line.strip())
    if not m:
        return None
    month = MONTHS.get((m["month"] or m["month2"]).lower(), 0)
    try:
        return date(int(m["year"] or m["year2"]), month, int(m["day"] or m["day2"]))
    except ValueError:
        return None


def is_boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE.match(line.strip()))
