"""States and organisations apart: the store keeps the participants of an event as one list of
codes (``,CHN,KAZ,SCO,``), ISO 3166-1 alpha-3 codes for states and the codes of
``data/organizations.yaml`` for organisations, mechanisms and forums. This module tells which is
which, names them, and splits a list into the two.

A code that is both an ISO3 code and an organisation's code (``NAM``: Namibia and the
Non-Aligned Movement) is read as the state: ISO3 is the contract of Readout JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Literal

from communique.resources import load_tsv, load_yaml

CodeKind = Literal["state", "organization"]


@functools.cache
def state_names() -> dict[str, str]:
    """ISO3 code -> the country's English name."""
    return {row["iso3"]: row["name"] for row in load_tsv("countries.tsv")}


@functools.cache
def organization_names() -> dict[str, str]:
    """Organisation code -> its English name (the entry without a ``body``, else the first)."""
    entries = [e for e in load_yaml("organizations.yaml") or [] if e.get("code")]
    names = {e["code"]: e.get("name") or e["code"] for e in entries if not e.get("body")}
    for e in entries:
        names.setdefault(e["code"], e.get("name") or e["code"])
    return names


def code_kind(code: str) -> CodeKind | None:
    """``state`` for an ISO3 code, ``organization`` for an organisation's code, None for
    neither."""
    if code in state_names():
        return "state"
    if code in organization_names():
        return "organization"
    return None


def is_organization(code: str | None) -> bool:
    return bool(code) and code_kind(code or "") == "organization"


def code_name(code: str) -> str:
    """The English name of a state or an organisation (the code itself when unknown)."""
    return state_names().get(code) or organization_names().get(code) or code


def split_codes(codes: Iterable[str]) -> tuple[list[str], list[str]]:
    """``(states, organizations)`` of a list of codes, each in the given order. A code of
    neither kind (an unknown code) is kept with the states."""
    states: list[str] = []
    organizations: list[str] = []
    for code in codes:
        (organizations if is_organization(code) else states).append(code)
    return states, organizations
