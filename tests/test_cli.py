"""The real command line, run as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "communique"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("communique ")
    helptext = run("extract", "--help").stdout
    assert "--format" in helptext and "stdin" in helptext


def test_jsonl_one_readout_per_input_in_order_and_stdin(examples: Path) -> None:
    res = run(
        "extract",
        "--format",
        "jsonl",
        str(examples / "xinhua-wire.txt"),
        "-",
        str(examples / "russia-mfa-call.txt"),
        stdin="Secretary Blinken met with Indian Foreign Minister Subrahmanyam Jaishankar.",
    )
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 3
    assert "Xinhua" in rows[0]["document"]["text"]
    assert "Jaishankar" in rows[1]["document"]["text"]
    assert "Lavrov" in rows[2]["document"]["text"]
    assert all(r["schema"] == "communique/readout@1" for r in rows)


def test_directory_input_is_recursive_and_sorted(examples: Path, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("xinhua-wire.txt", "white-house-readout.md"):
        (tmp_path / "sub" / name).write_bytes((examples / name).read_bytes())
    (tmp_path / "notes.bin").write_bytes(b"\x00")
    res = run("extract", "-f", "jsonl", str(tmp_path))
    assert res.returncode == 0, res.stderr
    titles = [json.loads(x)["document"]["title"] for x in res.stdout.splitlines()]
    assert len(titles) == 2


def test_unreadable_input_is_named_and_the_batch_goes_on(examples: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    res = run("extract", "-f", "jsonl", str(missing), str(examples / "xinhua-wire.txt"))
    assert res.returncode == 1
    assert "missing.txt" in res.stderr and "E001" in res.stderr
    assert len(res.stdout.splitlines()) == 1


def test_json_and_table_formats(examples: Path) -> None:
    res = run("extract", "--format", "json", str(examples / "chn-mfa-talks.txt"))
    data = json.loads(res.stdout)
    assert data["events"][0]["kind"] == "talks"
    table = run("extract", str(examples / "chn-mfa-talks.txt"))
    assert table.returncode == 0
    assert "talks" in table.stdout and "Tokayev" in table.stdout


def test_glob_input(examples: Path) -> None:
    res = run("extract", "-f", "jsonl", str(examples / "russia-*.txt"))
    assert res.returncode == 0
    assert len(res.stdout.splitlines()) == 2


def test_evaluate_reports_fields_and_fails_below_floors(corpus: Path, tmp_path: Path) -> None:
    floors = tmp_path / "floors.yaml"
    floors.write_text("encounters: 1.01\n")
    res = run(
        "evaluate",
        str(ROOT / "tests/gold/seed"),
        "--corpus-root",
        str(corpus),
        "--format",
        "json",
        "--floors",
        str(floors),
    )
    assert res.returncode == 1
    assert "below its floor" in res.stderr
    data = json.loads(res.stdout)
    assert data["documents"] == 1
    assert data["fields"]["encounters"]["f1"] > 0.5


def test_explain_lists_the_rules_that_matched_and_their_words(tmp_path: Path) -> None:
    path = tmp_path / "zh.txt"
    path.write_text("国家主席习近平在巴厘岛会见法国总统马克龙。", encoding="utf-8")
    res = run("explain", "--set", "encounters", str(path))
    assert res.returncode == 0, res.stderr
    assert "(zh)" in res.stdout and "meeting.met" in res.stdout and "会见" in res.stdout
    assert "place.in" not in res.stdout  # only the set asked for
    missing = run("explain", str(tmp_path / "nothing.txt"))
    assert missing.returncode == 1 and "nothing.txt" in missing.stderr


def test_language_and_user_rules_options(tmp_path: Path) -> None:
    path = tmp_path / "zh.txt"
    path.write_text("国家主席习近平在巴厘岛会见法国总统马克龙。", encoding="utf-8")
    read = json.loads(run("extract", "-f", "json", str(path)).stdout)
    assert read["document"]["language"] == "zh" and read["events"]
    forced = json.loads(run("extract", "-f", "json", "--language", "en", str(path)).stdout)
    assert forced["document"]["language"] == "en" and not forced["events"]
    # a user rule folder: a phrasing the package does not know ("chatted with") becomes a call
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "encounters-mine.yaml").write_text(
        'rules:\n  - id: call.chatted\n    kind: call\n    pattern: "{a} chat ~3 with {b}"\n'
        '    examples: ["The Secretary chatted with Foreign Minister Wong of Australia."]\n',
        encoding="utf-8",
    )
    text = tmp_path / "en.txt"
    text.write_text("Secretary Blinken chatted today with Foreign Minister Wong of Australia.\n")
    plain = json.loads(run("extract", "-f", "json", str(text)).stdout)
    mine = json.loads(run("extract", "-f", "json", "--rules", str(rules), str(text)).stdout)
    assert not [e for e in plain["events"] if e["kind"] == "call"]
    assert [e["rule"] for e in mine["events"] if e["kind"] == "call"] == ["call.chatted"]
