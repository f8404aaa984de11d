"""The application factory in process: a crash is logged for the operator and answered with a
generic envelope; the write token is checked."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from communique.settings import Settings
from communique.web.app import create_app
from web_helpers import call


def test_a_crash_is_logged_and_answered_without_details(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(db=str(tmp_path / "w.db")))

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    with caplog.at_level(logging.ERROR, logger="communique.web"):
        r = call(app, "GET", "/api/v1/boom")
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "internal_error"
    assert "secret" not in r.text and "RuntimeError" not in r.text
    assert any("secret detail" in (rec.exc_text or str(rec.exc_info)) for rec in caplog.records)


def test_writes_need_the_exact_token(tmp_path: Path) -> None:
    app = create_app(Settings(db=str(tmp_path / "w.db"), api_token="s3cret"))
    doc = {
        "text": "Secretary Antony J. Blinken spoke today with Estonian Foreign Minister Urmas "
        "Reinsalu.",
        "url": "https://www.state.gov/x/",
    }
    for wrong in ("", "Bearer s3cre", "Bearer s3cret2", "bearer s3cret"):
        r = call(app, "POST", "/api/v1/documents", json=doc, headers={"Authorization": wrong})
        assert r.status_code == 401, wrong
    ok = call(
        app, "POST", "/api/v1/documents", json=doc, headers={"Authorization": "Bearer s3cret"}
    )
    assert ok.status_code == 201 and ok.json()["added"] == 1
