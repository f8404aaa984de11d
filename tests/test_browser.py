"""The dashboard in a real headless Chromium (Debian's, installed by scripts/browser.sh; driven
by Playwright, which never downloads a browser here). Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_api import fill
from web_helpers import ROOT, running_server

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(os.environ.get("COMMUNIQUE_ARTIFACTS", ROOT / "artifacts")) / "screenshots"


def chromium() -> str:
    path = os.environ.get("COMMUNIQUE_CHROMIUM") or shutil.which("chromium")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("no Chromium: scripts/test.sh installs Debian's chromium")
        pytest.skip("no Chromium (run scripts/browser.sh)")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("browser") / "b.db")
    fill(db, examples)
    with running_server(db) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    ctx.close()


def visit(page: Any, url: str, shot: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)


@pytest.mark.parametrize(
    ("path", "shot", "rendered"),
    [
        ("/", "overview", None),
        ("/events?country=CHN", "events", None),
        ("/actors", "actors", None),
        ("/country/CHN", "country", "country"),
        ("/map/CHN", "map", "map"),
        ("/network", "network", "network"),
        ("/network?persons=true", "network-people", "network"),
        ("/search?q=joint+statement", "search", None),
        ("/docs", "api-docs", None),
    ],
)
def test_page_loads_without_errors_and_draws_its_data(
    page: Any, site: str, path: str, shot: str, rendered: str | None
) -> None:
    visit(page, site + path, shot)
    if rendered:
        page.wait_for_function(f"document.body.dataset.rendered === '{rendered}'", timeout=15000)
        assert int(page.evaluate("document.body.dataset.count")) > 0
    if shot == "api-docs":
        page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert page.errors == []


def test_charts_map_and_graph_hold_data(page: Any, site: str) -> None:
    visit(page, site + "/country/KAZ", "country-kaz")
    page.wait_for_function("document.body.dataset.rendered === 'country'")
    points = page.evaluate(
        "window.communiqueCharts.timeline.getOption().series.reduce((n, s) => n + s.data.length, 0)"
    )
    assert points >= 2
    visit(page, site + "/map/KAZ", "map-kaz")
    page.wait_for_function("document.body.dataset.rendered === 'map'")
    shaded = page.evaluate("window.communiqueCharts.map.getOption().series[0].data.length")
    assert shaded >= 2
    visit(page, site + "/network", "network-countries")
    page.wait_for_function("document.body.dataset.rendered === 'network'")
    assert page.evaluate("window.communiqueGraph.edges().length") > 0
    assert page.errors == []


def test_clicking_an_event_highlights_its_evidence(page: Any, site: str) -> None:
    visit(page, site + "/search?q=joint+statement", "search-before-document")
    page.click("#results a")
    page.wait_for_function("document.body.dataset.rendered === 'document'")
    assert page.locator("#text .hl").count() == 0
    first = page.locator("button.fact").first
    event_id = first.get_attribute("data-event")
    first.click()
    lit = page.locator("#text .hl")
    assert lit.count() > 0
    assert all(
        event_id in (lit.nth(i).get_attribute("data-events") or "").split()
        for i in range(lit.count())
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "document-highlight.png"), full_page=True)
    assert page.errors == []


def test_hostile_document_renders_as_text(page: Any, site: str) -> None:
    visit(page, site + "/search?q=Reinsalu", "search-hostile")
    page.click("#results a")
    page.wait_for_function("document.body.dataset.rendered === 'document'")
    assert page.evaluate("window.__pwned === undefined")
    assert "<script>" in page.inner_text("h1")
    assert page.errors == []


def test_a_script_url_is_no_link_and_inline_script_is_refused(page: Any, site: str) -> None:
    visit(page, site + "/search?q=Tajani+G7", "search-script-url")
    page.click("#results a")
    page.wait_for_function("document.body.dataset.rendered === 'document'")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.startswith(("/", "http://", "https://")) for h in hrefs), hrefs
    assert "javascript:window.__pwned=4" in page.inner_text("main")  # shown as text
    # the page's policy refuses any script that is not a file of /static
    blocked = page.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener('securitypolicyviolation', () => resolve(true));
            const s = document.createElement('script');
            s.textContent = 'window.__pwned = 5';
            document.body.appendChild(s);
            setTimeout(() => resolve(false), 1000);
        })"""
    )
    assert blocked and page.evaluate("window.__pwned === undefined")
