"""The error catalogue: every code in one place, each class its own code, codes never written
into messages by hand."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from communique import errors
from communique.errors import CommuniqueError, InputNotFound, StoreError, StoreUnavailable

SRC = Path(__file__).resolve().parent.parent / "src" / "communique"


def classes() -> list[type[CommuniqueError]]:
    return [
        c
        for c in vars(errors).values()
        if isinstance(c, type) and issubclass(c, CommuniqueError) and c is not CommuniqueError
    ]


def test_every_code_is_documented_once_and_has_one_class() -> None:
    documented = re.findall(r"^(E\d{3})  ", errors.__doc__ or "", re.M)
    codes = [c.code for c in classes()]
    assert len(codes) == len(set(codes)), "two classes share a code"
    assert sorted(documented) == sorted(codes)


def test_a_message_starts_with_the_code_of_its_class() -> None:
    assert str(StoreUnavailable("no folder x")).startswith("E302 no folder")
    assert StoreUnavailable("x").code == "E302" and isinstance(StoreUnavailable("x"), StoreError)
    assert str(InputNotFound("Elsewhere", source="a.txt")) == "a.txt: E001 Elsewhere"


def test_errors_cross_processes_unchanged() -> None:
    for exc in (InputNotFound("no such file"), InputNotFound("no such file", source="a.txt")):
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc) and str(back) == str(exc) and back.source == exc.source


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_no_code_is_written_into_a_message(path: Path) -> None:
    """Codes come from the exception classes: a literal "E001 ..." in a message drifts."""
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"""["']E\d{3} """, text), f"{path}: use the class's code instead"
