"""The package as users get it: ``python -m build`` makes an sdist and, from it, a wheel; twine
accepts both; the wheel installs into a fresh virtual environment and runs there offline, far
from the source tree, with its data, templates, vendored assets and licences; one version
everywhere, and a changelog that names it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import communique
from communique.version import __version__

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def sh(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    res = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )
    assert res.returncode == 0, f"{args}: {res.stdout[-2000:]}\n{res.stderr[-3000:]}"
    return res.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # without isolation: the build tools are the dev extras' (pinned), nothing is downloaded
    sh(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT)
    return out


def test_build_gives_an_sdist_and_a_wheel_that_twine_accepts(dist: Path) -> None:
    names = sorted(p.name for p in dist.iterdir())
    assert names == [
        f"communique-{__version__}-py3-none-any.whl",
        f"communique-{__version__}.tar.gz",
    ]
    assert "PASSED" in sh(sys.executable, "-m", "twine", "check", "--strict", *dist.iterdir())


def test_the_wheel_holds_data_assets_and_licences(dist: Path) -> None:
    wheel = next(dist.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    src = ROOT / "src"
    wanted = [
        p.relative_to(src).as_posix()
        for p in src.joinpath("communique").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    missing = [n for n in wanted if n not in names]
    assert not missing, f"files of the package left out of the wheel: {missing[:10]}"
    licences = {n.rsplit("/", 1)[-1] for n in names if "/licenses/" in n}
    assert "LICENSE" in licences and "echarts.LICENSE" in licences
    metadata = zipfile.ZipFile(wheel).read(f"communique-{__version__}.dist-info/METADATA")
    text = metadata.decode()
    assert f"Version: {__version__}" in text and "Provides-Extra: pandas" in text


def test_the_wheel_installs_and_runs_offline_in_a_fresh_venv(
    dist: Path, tmp_path: Path, examples: Path
) -> None:
    venv = tmp_path / "venv"
    sh(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    site = Path(
        sh(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    # install the wheel alone, from the file, never from an index
    sh(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-index",
        "--no-deps",
        next(dist.glob("*.whl")),
    )
    # its dependencies come from this environment's site-packages (no network: nothing is
    # fetched); communique itself only from the wheel
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "NO_PROXY": "*",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
    }
    where = sh(python, "-c", "import communique; print(communique.__file__)", cwd=away, env=env)
    assert where.startswith(str(site)), where
    cli = venv / "bin" / "communique"
    assert sh(cli, "--version", cwd=away, env=env).strip() == f"communique {__version__}"
    readout = json.loads(
        sh(cli, "extract", "-f", "json", examples / "chn-mfa-talks.txt", cwd=away, env=env)
    )
    assert readout["events"][0]["kind"] == "talks"
    assert sh(cli, "schema", cwd=away, env=env) == (ROOT / "docs/readout.schema.json").read_text()
    db = tmp_path / "store.db"
    sh(cli, "ingest", examples, "--db", db, "--quiet", cwd=away, env=env)
    script = f"""
import communique
from fastapi.testclient import TestClient
from communique.settings import Settings
from communique.web.app import create_app
client = TestClient(create_app(Settings(db={str(db)!r})))
for path in ("/", "/country/CHN", "/static/vendor/echarts.min.js", "/static/vendor/countries-110m.json",
             "/docs", "/api/v1/events", "/api/v1/openapi.json"):
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
frame = communique.open({str(db)!r}).events(country="CHN").to_pandas()
assert len(frame) > 0
print("ok")
"""
    assert sh(python, "-c", script, cwd=away, env=env).strip() == "ok"


def test_one_version_and_a_changelog_that_names_it() -> None:
    assert communique.__version__ == __version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[?(\d+\.\d+\.\d+)\]?", changelog, re.M)
    assert released and released[0] == __version__, "the newest release in CHANGELOG.md"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and "communique.version.__version__" in pyproject
    written = [
        p
        for p in (ROOT / "src").rglob("*.py")
        if re.search(rf"""['"]{re.escape(__version__)}['"]""", p.read_text(encoding="utf-8"))
    ]
    assert written == [ROOT / "src/communique/version.py"], written
    assert os.sep not in __version__
