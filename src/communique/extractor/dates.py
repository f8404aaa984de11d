"""Date expressions in readouts, resolved against the publication date in the publisher's zone."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from communique.vocab import MONTHS

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DATE_RX = re.compile(
    r"\b(?:"
    + _MONTH
    + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?"
    + r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTH.replace("month", "month2")
    + r"(?:,?\s+(?P<year2>(?:19|20)\d\d))?"
    + r"|(?P<iso>(?:19|20)\d\d-\d\d-\d\d)"
    + r"|(?P<rel>today|tonight|this (?:morning|afternoon|evening|week)|earlier today|yesterday|"
    + r"the day before yesterday|tomorrow)"
    + r"|(?:on |last |this |next )?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    + r"Sunday)(?! \w+ \d)"
    + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    date: date | None  # None when it cannot be resolved (no publication date)
    relative: bool  # today / weekday / yesterday
    explicit_year: bool


def local_publication_date(published: str | None, timezone: str | None) -> date | None:
    """The publication day in the publisher's own time zone."""
    if not published:
        return None
    try:
        stamp = datetime.fromisoformat(published)
    except ValueError:
        return None
    if stamp.tzinfo is not None and timezone:
        with contextlib.suppress(KeyError, ValueError):
            stamp = stamp.astimezone(ZoneInfo(timezone))
    return stamp.date()


def find_dates(text: str, start: int, end: int, ref: date | None) -> list[DateMention]:
    """Date expressions between ``start`` and ``end`` of ``text``, resolved against ``ref``."""
    out = []
    for m in DATE_RX.finditer(text, start, end):
        resolved, relative, explicit_year = _resolve(m, ref)
        out.append(DateMention(m.start(), m.end(), resolved, relative, explicit_year))
    return out


def _resolve(m: re.Match[str], ref: date | None) -> tuple[date | None, bool, bool]:
    g = m.groupdict()
    if g["iso"]:
        try:
            return date.fromisoformat(g["iso"]), False, True
        except ValueError:
            return None, False, True
    if g["rel"]:
        if ref is None:
            return None, True, False
        rel = g["rel"].lower()
        if "day before" in rel:
            return ref - timedelta(days=2), True, False
        if rel == "yesterday":
            return ref - timedelta(days=1), True, False
        if rel == "tomorrow":
            return ref + timedelta(days=1), True, False
        if rel == "this week":
            return None, True, False
        return ref, True, False
    if g["weekday"]:
        if ref is None:
            return None, True, False
        target = _WEEKDAYS.index(g["weekday"].lower())
        prefix = m.group().lower()
        delta = (ref.weekday() - target) % 7
        if prefix.startswith("next "):
            return ref + timedelta(days=(target - ref.weekday()) % 7 or 7), True, False
        if prefix.startswith("last ") and delta == 0:
            delta = 7
        # a weekday that is the publication day is that day; otherwise the most recent one
        return ref - timedelta(days=delta), True, False
    month_name = g["month"] or g["month2"]
    day = int(g["day"] or g["day2"])
    year_text = g["year"] or g["year2"]
    month = MONTHS.get(month_name.lower().rstrip("."), 0)
    if year_text:
        try:
            return date(int(year_text), month, day), False, True
        except ValueError:
            return None, False, True
    if ref is None:
        return None, False, False
    try:
        candidate = date(ref.year, month, day)
    except ValueError:
        return None, False, False
    # a month and day without a year: the nearest such day to the publication date
    if candidate - ref > timedelta(days=183):
        candidate = candidate.replace(year=ref.year - 1)
    elif ref - candidate > timedelta(days=183):
        try:
            candidate = candidate.replace(year=ref.year + 1)
        except ValueError:
            return None, False, False
    return candidate, False, False
