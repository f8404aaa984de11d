"""Date expressions in readouts, resolved against the publication date in the publisher's zone."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from communique.extractor.language import Language


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.cache
def date_pattern(lang: Language) -> re.Pattern[str]:
    """Date expressions of the language: "17 May 2023", "May 17", "on Wednesday", "yesterday"
    (months, weekdays and relative days are the words of data/lang/<lang>/words.yaml). A language
    that writes dates with numbers and markers ("7月5日") gives its own ``date_pattern`` there,
    with the groups ``num_year``, ``num_month``, ``num_day`` and ``rel``."""
    own = lang.words.get("date_pattern")
    if own:
        return re.compile(str(own))
    month = rf"(?P<month>{_alt(lang.months)})\.?"
    relative = _alt(lang.relative_days)
    # every date starts with a digit or the first letter of one of these words: a cheap test
    # before the alternation (twice as fast on readouts)
    words = [*lang.months, *lang.weekdays, *lang.relative_days, *lang.weekday_prefixes]
    first = "".join(sorted({c for w in words for c in (w[0].lower(), w[0].upper())}))
    return re.compile(
        rf"(?=[\d{re.escape(first)}])\b(?:"
        + month
        + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?"
        + r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
        + month.replace("month", "month2")
        + r"(?:,?\s+(?P<year2>(?:19|20)\d\d))?"
        + r"|(?P<iso>(?:19|20)\d\d-\d\d-\d\d)"
        + rf"|(?P<rel>{relative})"
        + rf"|(?:(?P<wprefix>{_alt(lang.weekday_prefixes)}) )?(?P<weekday>{_alt(lang.weekdays)})"
        # "Wednesday, 6 December" is dated by the day and month that follow
        + rf"(?!,? (?:\d{{1,2}}\b|(?:{_alt(lang.months)})\b))"
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


def find_dates(
    text: str, start: int, end: int, ref: date | None, lang: Language
) -> list[DateMention]:
    """Date expressions between ``start`` and ``end`` of ``text``, resolved against ``ref``."""
    out = []
    for m in date_pattern(lang).finditer(text, start, end):
        resolved, relative, explicit_year = _resolve(m, ref, lang)
        out.append(DateMention(m.start(), m.end(), resolved, relative, explicit_year))
    return out


def _resolve(m: re.Match[str], ref: date | None, lang: Language) -> tuple[date | None, bool, bool]:
    g = m.groupdict()
    if g.get("num_day"):
        return _numeric(g, ref)
    if g.get("iso"):
        try:
            return date.fromisoformat(g["iso"]), False, True
        except ValueError:
            return None, False, True
    if g.get("rel"):
        offset = lang.relative_days.get(g["rel"].lower())
        if ref is None or offset is None:
            return None, True, False  # no publication day, or "this week"
        return ref + timedelta(days=offset), True, False
    if g.get("weekday"):
        if ref is None:
            return None, True, False
        target = lang.weekday_index[g["weekday"].lower()]
        prefix = (g["wprefix"] or "").lower()
        delta = (ref.weekday() - target) % 7
        if lang.weekday_prefixes.get(prefix) == "next":
            return ref + timedelta(days=(target - ref.weekday()) % 7 or 7), True, False
        if lang.weekday_prefixes.get(prefix) == "last" and delta == 0:
            delta = 7
        # a weekday that is the publication day is that day; otherwise the most recent one
        return ref - timedelta(days=delta), True, False
    month_name = g["month"] or g["month2"]
    day = int(g["day"] or g["day2"])
    year_text = g["year"] or g["year2"]
    month = lang.months.get(month_name.lower().rstrip("."), 0)
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
    try:
        return _nearest_year(candidate, ref), False, False
    except ValueError:
        return None, False, False


def _nearest_year(candidate: date, ref: date) -> date:
    """A month and day without a year: the nearest such day to the publication date."""
    if candidate - ref > timedelta(days=183):
        return candidate.replace(year=ref.year - 1)
    if ref - candidate > timedelta(days=183):
        return candidate.replace(year=ref.year + 1)
    return candidate


def _numeric(g: dict[str, str | None], ref: date | None) -> tuple[date | None, bool, bool]:
    """A date written in numbers ("2023年7月5日", "7月5日", "5日"): a missing month is the
    publication month's or, for a day later than the day after publication, the month before."""
    day = int(g["num_day"] or 0)
    year_text, month_text = g.get("num_year"), g.get("num_month")
    if year_text and month_text:
        try:
            return date(int(year_text), int(month_text), day), False, True
        except ValueError:
            return None, False, True
    if ref is None:
        return None, False, False
    if month_text:
        try:
            return _nearest_year(date(ref.year, int(month_text), day), ref), False, False
        except ValueError:
            return None, False, False
    # a day alone: this month's, or last month's when this month's is still ahead (or has none)
    for first in (ref.replace(day=1), (ref.replace(day=1) - timedelta(days=1)).replace(day=1)):
        try:
            candidate = first.replace(day=day)
        except ValueError:
            continue
        if candidate <= ref + timedelta(days=1):
            return candidate, False, False
    return None, False, False
