from pathlib import Path

import pytest

from communique.documents import make_document, read_document
from communique.documents.corpus import FieldMap, Record, RecordError, iter_corpus
from communique.documents.publishers import publisher_from_url
from communique.errors import BadMetadata, EmptyInput, InputNotFound, UnsupportedInput


@pytest.mark.parametrize(
    ("url", "country"),
    [
        ("https://www.state.gov/secretary-blinkens-call/", "USA"),
        ("https://www.whitehouse.gov/briefing-room/x", "USA"),
        ("http://en.kremlin.ru/events/president/news/1", "RUS"),
        ("https://mid.ru/en/foreign_policy/news/2/", "RUS"),
        ("https://t.me/MFARussia/28587", "RUS"),
        ("https://www.fmprc.gov.cn/eng/zxxx/202305/t1.html", "CHN"),
        ("https://kz.china-embassy.gov.cn/eng/x.htm", "CHN"),
    ],
)
def test_publisher_country_from_url(url: str, country: str) -> None:
    pub = publisher_from_url(url)
    assert pub is not None and pub.country == country


def test_unknown_url_has_no_publisher() -> None:
    assert publisher_from_url("https://example.org/a") is None


def test_html_page_loses_navigation_and_footer(examples: Path) -> None:
    doc = read_document(examples / "state-visit-page.html")
    assert doc.title and "Putin" in doc.title
    assert doc.published and doc.published.startswith("2024-05-16")
    assert "paid a state visit" in doc.text
    for boilerplate in ("Copyright", "Contact us", "Home >"):
        assert boilerplate not in doc.text


def test_markdown_front_matter_gives_metadata(examples: Path) -> None:
    doc = read_document(examples / "white-house-readout.md")
    assert doc.title and doc.title.startswith("Readout of President Joe Biden")
    assert doc.published == "2024-02-09"
    assert doc.url and "whitehouse.gov" in doc.url
    assert doc.source_country == "USA"
    assert not doc.text.startswith("---")


def test_scraped_text_timestamp_and_breadcrumb(examples: Path) -> None:
    doc = read_document(examples / "chn-mfa-talks.txt")
    assert doc.published == "2024-07-03T22:15:00"
    assert not doc.text.startswith("Home")
    assert doc.title and "Tokayev" in doc.title


def test_wire_dateline_names_the_agency(examples: Path) -> None:
    doc = read_document(examples / "xinhua-wire.txt")
    assert doc.source == "Xinhua"
    assert doc.source_country == "CHN"


def test_caller_overrides_win() -> None:
    doc = make_document(
        "Minister A met Minister B.", published="2020-01-02", url="https://www.state.gov/x"
    )
    assert doc.published == "2020-01-02" and doc.source_country == "USA"


def test_bad_inputs_raise_named_errors(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound, match="E001") as e:
        read_document(tmp_path / "nope.txt")
    assert "nope.txt" in str(e.value)
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(UnsupportedInput, match="E004"):
        read_document(binary)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    with pytest.raises(EmptyInput, match="E003"):
        read_document(empty)
    with pytest.raises(BadMetadata, match="E010"):
        make_document("Some text here.", published="the day after tomorrow")


def test_corpus_records_and_bad_records_both_come_back(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"id": "a", "text": "Minister A met Minister B.", "date": "2024-01-02"}\n'
        "not json\n"
        '{"id": "c", "body": ""}\n',
        encoding="utf-8",
    )
    items = list(iter_corpus(path, FieldMap(key="id")))
    assert isinstance(items[0], Record) and items[0].key == "a"
    assert isinstance(items[1], RecordError) and "E020" in str(items[1].error)
    assert isinstance(items[2], RecordError) and items[2].key == "c"
