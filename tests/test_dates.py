from datetime import date

from communique.extractor.dates import find_dates, local_publication_date
from communique.extractor.language import get_language


def resolve(text: str, ref: date) -> date | None:
    found = find_dates(text, 0, len(text), ref, get_language("en"))
    assert found, text
    return found[0].date


def test_today_is_the_publishers_day_not_utc() -> None:
    # stamped 02:44 UTC on 25 March: still 24 March in Washington
    ref = local_publication_date("2022-03-25T02:44:00+00:00", "America/New_York")
    assert ref == date(2022, 3, 24)
    assert resolve("The Secretary spoke today with", ref) == date(2022, 3, 24)


def test_weekday_that_is_the_publication_day_is_that_day() -> None:
    wednesday = date(2023, 5, 17)
    assert resolve("They met on Wednesday.", wednesday) == wednesday
    assert resolve("They met on Monday.", wednesday) == date(2023, 5, 15)
    assert resolve("They met last Wednesday.", wednesday) == date(2023, 5, 10)


def test_month_and_day_take_the_nearest_year() -> None:
    assert resolve("On December 30, the ministers spoke", date(2024, 1, 2)) == date(2023, 12, 30)
    assert resolve("On the afternoon of May 17, 2023, talks", date(2024, 1, 2)) == date(2023, 5, 17)
    assert resolve("on 5 March 2026 in Moscow", date(2026, 3, 6)) == date(2026, 3, 5)


def test_yesterday_and_naive_timestamps() -> None:
    ref = local_publication_date("2023-05-17T23:40:00", "Asia/Shanghai")
    assert ref == date(2023, 5, 17)
    assert resolve("met yesterday", ref) == date(2023, 5, 16)
