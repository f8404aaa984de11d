"""``communique extract``: Readouts of inputs, printed (nothing is stored)."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from communique.cli.options import (
    NO_LIMITS,
    LanguageOption,
    OutputFormat,
    RulesOption,
    err,
    error,
    limit_options,
)
from communique.cli.render import Col, print_table
from communique.documents.limits import Limits
from communique.errors import CommuniqueError
from communique.model import Readout


@limit_options
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")],
    fmt: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="table (default on a terminal), json, jsonl."),
    ] = OutputFormat.table,
    published: Annotated[
        str | None, typer.Option(help="Publication date (ISO 8601) for every input.")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Source URL (decides the publisher).")] = None,
    source: Annotated[
        str | None, typer.Option(help="Publisher name or domain, e.g. state.gov.")
    ] = None,
    language: LanguageOption = None,
    rules: RulesOption = None,
    limits: Limits = NO_LIMITS,
) -> None:
    """Extract encounters, agreements, statements and topics from readouts.

    One Readout per input, in input order. An input that cannot be read is reported on stderr
    and the rest go on; the exit code is 1 if any failed.
    """
    from communique.process import process
    from communique.sources import FieldMap, Item, read_items

    out = Console()
    failed = 0
    readouts: list[Readout] = []
    for item in read_items(inputs, FieldMap(source=source), limits):
        if isinstance(item, Item):
            item = dataclasses.replace(
                item,
                url=url or item.url,
                published=published or item.published,
                source=source or item.source,
                language=language or item.language,
            )
        outcome = process(item, limits=limits, rules=tuple(rules or ()))
        if outcome.failure is not None or outcome.readout is None:
            failed += 1
            error(outcome.failure.message if outcome.failure else outcome.origin)
            continue
        readout = outcome.readout
        if fmt is OutputFormat.jsonl:
            sys.stdout.write(readout.to_json(indent=None) + "\n")
        elif fmt is OutputFormat.table:
            print_readout(out, readout, item.origin)
        else:
            readouts.append(readout)
    if fmt is OutputFormat.json:
        payload = [r.to_dict() for r in readouts]
        sys.stdout.write(
            json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2)
            + "\n"
        )
    if failed:
        err.print(f"{failed} input(s) failed", highlight=False)
        raise typer.Exit(1)


def _names(r: Readout, ids: tuple[str, ...]) -> list[str]:
    out = []
    for i in ids:
        try:
            a = r.actor(i)
        except KeyError:
            out.append(i)
            continue
        out.append(f"{a.name} ({a.country})" if a.kind == "person" and a.country else a.name)
    return out


def publisher_line(r: Readout) -> str:
    """Who published it: the publisher (named by its site's host when it is not one communique
    knows), its country, the date and the document id."""
    d = r.document
    source = d.source or "unknown publisher"
    if d.source_country:
        source += f" ({d.source_country})"
    return f"source: {source}   published: {d.published or 'unknown'}   id: {d.id}"


EXTRACT_TABLE = (
    Col("kind", row=lambda e: e["kind"], wrap=False),
    Col("when", row=lambda e: e["when"], wrap=False, min_width=10),
    Col("who", row=lambda e: e["who"], wrap=False, min_width=16, max_width=32),
    Col("where / occasion", row=lambda e: e["where"], min_width=10),
    Col("codes", row=lambda e: e["codes"], min_width=8),
)
"""The columns of the events table of ``communique extract`` (80 columns wide; a name is never
broken: one participant per line, those addressed after an arrow)."""


def print_readout(console: Console, r: Readout, label: str) -> None:
    d = r.document
    console.rule(Text(d.title or label, style="bold"))
    line = publisher_line(r)
    if len(line) > console.width:  # the id on a line of its own rather than broken
        line = line.replace("   id: ", "\nid: ")
    console.print(line, highlight=False, markup=False)
    rows = []
    for e in r.events:
        when = e.date or "undated"
        if e.timing != "reported":
            when += f"\n({e.timing})"
        kind = e.kind if e.kind != "statement" else f"statement\n{e.stance or ''}".strip()
        where = ", ".join(
            x for x in ((e.location.name if e.location else ""), e.occasion or "") if x
        )
        who = _names(r, e.actors) + [f"→ {n}" for n in _names(r, e.recipients)]
        codes = ""
        if e.cameo and e.goldstein is not None:
            codes = f"{e.cameo} {e.plover or ''} {e.goldstein:+.1f}".replace("  ", " ")
        rows.append(
            {"kind": kind, "when": when, "who": "\n".join(who), "where": where, "codes": codes}
        )
    if rows:
        print_table(console, rows, EXTRACT_TABLE)
    else:
        console.print("no events", highlight=False)
    lines = [f"signed: {a.title}  [{', '.join(a.parties)}]" for a in r.agreements]
    if r.topics:
        lines.append("topics: " + ", ".join(t.id for t in r.topics))
    if r.initiatives:
        lines.append("initiatives: " + ", ".join(i.name for i in r.initiatives))
    lines.extend(f"relationship: {'-'.join(rel.countries)} {rel.label}" for rel in r.relationships)
    if r.attendees:
        lines.append("attendees: " + ", ".join(_names(r, r.attendees)))
    for line in lines:
        console.print(line, highlight=False, markup=False)


def explain(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")],
    language: LanguageOption = None,
    rules: RulesOption = None,
    rule_set: Annotated[
        str | None,
        typer.Option("--set", help="Only this rule set (encounters, contexts, places, ...)."),
    ] = None,
) -> None:
    """Every rule that matched in each input, with the words it matched: why a sentence got its
    codes (docs/rules.md)."""
    from communique.extractor import explain as firings
    from communique.process import document_of
    from communique.sources import FieldMap, Item, read_items

    out = Console()
    failed = 0
    for item in read_items(inputs, FieldMap()):
        if not isinstance(item, Item):
            failed += 1
            error(item.error.naming(item.origin))
            continue
        try:
            doc = document_of(dataclasses.replace(item, language=language or item.language))
        except CommuniqueError as exc:
            failed += 1
            error(exc.naming(item.origin))
            continue
        found = [
            f for f in firings(doc, rules=tuple(rules or ())) if rule_set in (None, f.rule_set)
        ]
        out.print(f"{item.origin} ({doc.language}): {len(found)} rule matches", highlight=False)
        if found:
            rows = [
                {"offset": f.start, "set": f.rule_set, "rule": f.rule, "words": f.text_of(doc.text)}
                for f in found
            ]
            columns = (
                Col("offset", justify="right"),
                Col("set"),
                Col("rule", wrap=False),
                Col("words"),
            )
            print_table(out, rows, columns)
    if failed:
        raise typer.Exit(1)
