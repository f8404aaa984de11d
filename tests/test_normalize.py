from hypothesis import given
from hypothesis import strategies as st

from communique.documents.normalize import normalize_text


@given(st.text())
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_quotes_spaces_and_blank_lines_are_normalised() -> None:
    raw = "Xi\u2019an  \u201cNew\u201d\u00a0era\r\n\n\n\nNext  line "
    assert normalize_text(raw) == 'Xi\'an "New" era\n\nNext line'


def test_hashtag_marks_are_dropped_but_words_kept() -> None:
    assert normalize_text("Sergey #Lavrov met ( #ECOWAS) head") == "Sergey Lavrov met (ECOWAS) head"
    assert normalize_text("price #1 and a&#39;b") == "price #1 and a&#39;b"
