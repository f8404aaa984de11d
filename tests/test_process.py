"""The one path from an input to rows: failures are data at every stage, and every entry point
reads bytes the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

import communique.process
from communique.documents import read_document
from communique.documents.decode import decode
from communique.errors import InputNotFound
from communique.process import process
from communique.sources import Item, ItemError, read_items

TEXT = "President Xi Jinping held talks with President Emmanuel Macron of France in Paris."


def test_an_input_becomes_a_document_a_readout_and_rows() -> None:
    out = process(Item(origin="a", raw=TEXT, published="2024-05-06"))
    assert out.failure is None and out.readout is not None
    rows = out.rows()
    assert rows["documents"][0]["origin"] == "a" and rows["events"]
    assert out.key == f"sha:{out.document.id}"  # type: ignore[union-attr]


def test_failures_are_data_at_every_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    unread = process(ItemError("x.txt", InputNotFound("no such file")))
    assert unread.failure is not None and unread.failure.stage == "read"
    assert unread.failure.message == "x.txt: E001 no such file" and unread.rows() == {}
    empty = process(Item(origin="e.txt", raw="Print\n"))
    assert empty.failure is not None and empty.failure.stage == "ingest"
    assert empty.failure.raw == "Print\n" and "E003" in empty.failure.error

    def broken(doc: object, **options: object) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(communique.process, "extract_document", broken)
    crashed = process(Item(origin="c", raw=TEXT))
    assert crashed.failure is not None and crashed.failure.stage == "extract"
    assert crashed.failure.error == "RuntimeError: a bug"
    assert crashed.rows()["documents"][0]["readout"] is None  # the document is kept


def test_a_stored_document_is_not_extracted_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(communique.process, "extract_document", None)  # would fail if called
    out = process(Item(origin="a", raw=TEXT), stored=lambda key, doc_id, extractor: True)
    assert out.unchanged and out.readout is None


@pytest.mark.parametrize(
    ("data", "charset", "text"),
    [
        ("Sébastien".encode(), None, "Sébastien"),
        (b"\xef\xbb\xbfS\xc3\xa9bastien", None, "Sébastien"),  # a byte-order mark
        ("Sébastien".encode("cp1252"), None, "Sébastien"),  # not UTF-8: Windows-1252
        ("Sébastien".encode("latin-1"), "iso-8859-1", "Sébastien"),  # as the server declares
        (b"S\x81b", None, "S\ufffdb"),  # neither: replaced, never an error
        (b"abc", "no-such-charset", "abc"),
    ],
)
def test_one_decoding_policy(data: bytes, charset: str | None, text: str) -> None:
    assert decode(data, charset) == text


def test_a_file_reads_the_same_through_sources_and_read_document(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Minister Wang Yi met Minister Sébastien Lecornu in Paris.".encode("cp1252"))
    [item] = list(read_items([str(path)]))
    assert isinstance(item, Item)
    via_sources = process(item).document
    assert via_sources is not None and via_sources == read_document(path)
    assert "Sébastien" in via_sources.text
