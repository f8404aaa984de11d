"""A Readout in a notebook (``_repr_html_``): the text with every actor mention marked and
labelled, the facts listed, each linked to its evidence. Checked as HTML here and rendered in
Debian's Chromium (the way Jupyter shows an output: the HTML inside a page), where a click on a
fact's link lights up its sentence, with no script at all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import communique
from communique.documents import read_document
from communique.model import Readout
from test_browser import CHROMIUM_ARGS, SHOTS, chromium

HOSTILE = (
    "Secretary Antony J. Blinken spoke today with Estonian Foreign Minister Urmas Reinsalu "
    '<img src=x onerror="window.__pwned=2"> about <script>window.__pwned=3</script> security.'
)


class Tags(HTMLParser):
    """Every start tag with its attributes, and whether the elements nest properly."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br",):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    tags.close()
    return tags


@pytest.fixture(scope="module")
def talks(examples: Path) -> Readout:
    return communique.extract(read_document(examples / "chn-mfa-talks.txt"))


def test_the_html_marks_every_mention_and_links_every_fact(talks: Readout) -> None:
    html = talks._repr_html_()
    tags = parse(html)
    assert tags.balanced and not tags.stack
    assert not any(t == "script" for t, _ in tags.tags)
    assert not any(k.startswith("on") for _, attrs in tags.tags for k in attrs)
    marks = [a for t, a in tags.tags if t == "mark"]
    assert {m["data-actor"] for m in marks} == {a.id for a in talks.actors if a.mentions}
    assert len(marks) >= sum(len(a.mentions) for a in talks.actors)
    ids = {a["id"] for _, a in tags.tags if a.get("id")}
    links = [a["href"] for t, a in tags.tags if t == "a"]
    assert links and all(href.startswith("#") and href[1:] in ids for href in links)
    facts = [a for t, a in tags.tags if t == "li"]
    assert len(facts) >= len(talks.events) + len(talks.agreements)
    assert talks._repr_html_() != html, "each rendering has ids of its own (two in a notebook)"


def test_user_text_is_escaped() -> None:
    r = communique.extract(HOSTILE, title="<b>title</b>", published="2021-06-01")
    html = r._repr_html_()
    assert "<script>" not in html and "<img" not in html and "<b>title" not in html
    assert "&lt;script&gt;window.__pwned=3&lt;/script&gt;" in html


@pytest.fixture(scope="module")
def chrome() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


def show(chrome: Any, readouts: list[Readout], shot: str) -> Any:
    page = chrome.new_page(viewport={"width": 1100, "height": 900})
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    cells = "".join(f'<div class="output_html">{r._repr_html_()}</div>' for r in readouts)
    page.set_content(f"<!doctype html><html><body>{cells}</body></html>")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    return page


def test_it_renders_in_chromium_and_a_click_lights_up_the_evidence(
    chrome: Any, talks: Readout
) -> None:
    page = show(chrome, [talks], "notebook-readout")
    text = page.evaluate(
        """() => { const t = document.querySelector('.cq-text').cloneNode(true);
                   t.querySelectorAll('.cq-label').forEach(l => l.remove());
                   return t.textContent; }"""
    )
    assert text == talks.text, "the marked text is the readout's text, unchanged"
    assert page.locator("mark.cq-ent").count() >= sum(len(a.mentions) for a in talks.actors)
    xi = page.locator('mark.cq-ent[data-actor="p1"]').first
    assert xi.inner_text().startswith("Xi Jinping") and "PERSON CHN" in xi.inner_text()
    event = talks.events[0]
    link = page.locator(f'li[data-event="{event.id}"] a.cq-link').first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("location.hash") == target
    lit = page.locator(".cq-ev:target")
    assert lit.count() == 1
    shown = page.evaluate(
        """() => { const t = document.querySelector('.cq-ev:target').cloneNode(true);
                   t.querySelectorAll('.cq-label').forEach(l => l.remove());
                   return t.textContent; }"""
    )
    assert shown == talks.evidence_text(event.evidence[0])
    background = lit.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(253, 230, 138)"
    page.screenshot(path=str(SHOTS / "notebook-evidence.png"), full_page=True)
    assert page.errors == []
    page.close()


def test_hostile_text_stays_text_in_chromium(chrome: Any, talks: Readout) -> None:
    hostile = communique.extract(HOSTILE, title="<script>window.__pwned=1</script>")
    page = show(chrome, [hostile, talks], "notebook-hostile")
    assert page.evaluate("window.__pwned === undefined")
    assert "<script>" in page.inner_text(".cq-head strong")
    assert re.search(r"onerror", page.inner_text(".cq-text"))
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), "two readouts in one page share no id"
    assert page.errors == []
    page.close()
