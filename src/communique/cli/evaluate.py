"""``communique evaluate``: the extractor scored against gold annotations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from communique.cli.options import ALL_FIELDS, OutputFormat, err, error, fieldmap_options
from communique.documents.corpus import FieldMap
from communique.errors import CommuniqueError


@fieldmap_options
def evaluate(
    gold_dir: Annotated[
        Path | None, typer.Argument(help="Folder of gold annotations (*.yaml).")
    ] = None,
    titles: Annotated[
        Path | None,
        typer.Option(
            help="Score a corpus against its own titles instead (no annotation needed): the "
            "body alone is extracted and compared with what each title names."
        ),
    ] = None,
    title_line: Annotated[
        bool,
        typer.Option(help="With --titles: the first line of each text is its title (a heading "
        "is withheld from the body)."),
    ] = False,
    show: Annotated[int, typer.Option(help="With --titles: list this many disagreements.")] = 20,
    fieldmap: FieldMap = ALL_FIELDS,
    corpus_root: Annotated[
        Path | None,
        typer.Option(help="Root of the corpus the gold files reference [env COMMUNIQUE_CORPUS]."),
    ] = None,
    floors: Annotated[
        Path | None,
        typer.Option(help="YAML of pinned floors; exit 1 if any figure is below its floor."),
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.table,
    details: Annotated[bool, typer.Option(help="List each document's misses and extras.")] = False,
) -> None:
    """Score extractions against gold annotations (precision, recall and F1 per field), or,
    with --titles, against the titles of a corpus."""
    from communique.evaluate import check_floors, load_floors
    from communique.evaluate import evaluate as run_evaluate

    if titles is not None:
        _evaluate_titles(titles, fieldmap, title_line, show, fmt, floors)
        return
    if gold_dir is None:
        error("give a folder of gold annotations, or --titles CORPUS")
        raise typer.Exit(2)

    try:
        report = run_evaluate(gold_dir, corpus=corpus_root)
    except CommuniqueError as exc:
        err.print(f"[red]error[/red]: {exc}", highlight=False)
        raise typer.Exit(2) from exc
    data = report.to_dict()
    if fmt is OutputFormat.table:
        console = Console()
        table = Table(title=f"{data['documents']} documents", header_style="bold")
        for col in ("field", "precision", "recall", "F1", "tp", "fp", "fn"):
            table.add_column(col, justify="right" if col != "field" else "left")
        for name, f in data["fields"].items():
            table.add_row(
                name,
                f"{f['precision']:.3f}",
                f"{f['recall']:.3f}",
                f"{f['f1']:.3f}",
                str(f["tp"]),
                str(f["fp"]),
                str(f["fn"]),
            )
        console.print(table)
        rates = Table(title="main encounter of each readout", header_style="bold")
        for col in ("rate", "value", "hits / total"):
            rates.add_column(col)
        for name, r in data["rates"].items():
            value = f"{r['rate']:.3f}" if r["rate"] is not None else "-"
            rates.add_row(name, value, f"{r['hits']} / {r['total']}")
        inv = data["invented"]
        rates.add_row(
            "invented (lower is better)",
            f"{inv['rate']:.3f}",
            f"{inv['documents']} / {inv['total']}",
        )
        console.print(rates)
        if details:
            for res in report.documents:
                lines = [
                    f"  {field}: missed {e['missed']} extra {e['extra']}"
                    for field, e in res.errors.items()
                    if e["missed"] or e["extra"]
                ]
                bad_rates = [k for k, ok in res.rates.items() if not ok]
                if lines or bad_rates or res.invented:
                    console.print(f"[bold]{res.name}[/bold]", highlight=False)
                    if bad_rates:
                        console.print(f"  wrong: {bad_rates}", highlight=False)
                    if res.invented:
                        console.print(f"  invented: {res.invented}", highlight=False)
                    for line in lines:
                        console.print(line, highlight=False, markup=False)
    else:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    for gold, problem in report.failures:
        err.print(f"[red]error[/red]: {gold}: {problem}", highlight=False)
    if floors is not None:
        problems = check_floors(report, load_floors(floors))
        for p in problems:
            err.print(f"[red]below floor[/red]: {p}", highlight=False)
        if problems:
            raise typer.Exit(1)
    elif report.failures:
        raise typer.Exit(1)


def _evaluate_titles(
    path: Path,
    fieldmap: FieldMap,
    title_line: bool,
    show: int,
    fmt: OutputFormat,
    floors: Path | None,
) -> None:
    from communique.evaluate import load_floors
    from communique.evaluate.titles import evaluate_titles, title_floor_problems

    try:
        report = evaluate_titles(path, fieldmap, title_line=title_line)
    except CommuniqueError as exc:
        error(str(exc))
        raise typer.Exit(2) from exc
    data = report.to_dict()
    if fmt is OutputFormat.table:
        console = Console()
        table = Table(
            title=f"{data['labelled']} titled records ({data['unlabelled']} without a usable title)",
            header_style="bold",
        )
        for col in ("field", "agreement", "hits / total"):
            table.add_column(col)
        for name, f in data["fields"].items():
            value = f"{f['rate']:.3f}" if f["rate"] is not None else "-"
            table.add_row(name, value, f"{f['hits']} / {f['total']}")
        inv = data["invented"]
        table.add_row(
            "invented (lower is better)", f"{inv['rate']:.3f}", f"{inv['documents']} / {inv['total']}"
        )
        console.print(table)
        for d in data["disagreements"][:show]:
            console.print(
                f"- {d['title']}\n    wrong {d['wrong']}; got {d['got']} [{d['key']}]",
                highlight=False,
                markup=False,
            )
    else:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    if floors is not None:
        problems = title_floor_problems(report, load_floors(floors))
        for p in problems:
            error(f"below floor: {p}")
        if problems:
            raise typer.Exit(1)
