"""Publication dates from the many spellings sources use (ISO 8601, RFC 822, plain dates)."""

from __future__ import annotations

import email.utils
import re
from datetime import date, datetime

from communique.errors import BadMetadata
from communique.vocab import MONTHS

_LONG = re.compile(r"^(?:[A-Za-z]+,?\s+)?([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_LONG_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$")


def normalize_published(value: object, *, source: str | None = None) -> str | None:
    """An ISO 8601 string (date, or datetime with offset when one was given) or ``None``.

    Raises :class:`BadMetadata` (E010) for a value that is not a date in any known spelling.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise BadMetadata(
            f"the publication date is {type(value).__name__}, not a date; "
            "give it as ISO 8601 (2023-05-17)",
            source=source,
        )
    try:
        text = str(value).strip()
    except ValueError:  # an integer with thousands of digits
        text = "(a number too long to write)"
    if len(text) > 100:
        text = text[:100] + "..."
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(text)
        if parsed is not None:
            return parsed.isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for rx, order in ((_LONG, "mdy"), (_LONG_DMY, "dmy")):
        m = rx.match(text)
        if m:
            if order == "mdy":
                month, day, year = MONTHS.get(m[1].lower(), 0), int(m[2]), int(m[3])
            else:
                day, month, year = int(m[1]), MONTHS.get(m[2].lower(), 0), int(m[3])
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                break
    raise BadMetadata(
        f"cannot read the publication date {text!r}; "
        "give it as ISO 8601 (2023-05-17 or 2023-05-17T23:40:00+08:00)",
        source=source,
    )
