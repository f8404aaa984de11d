"""``communique evaluate``: the extractor scored against gold annotations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

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
        typer.Option(
            help="With --titles: the first line of each text is its title (a heading "
            "is withheld from the body)."
        ),
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
    plover: Annotated[
        Path | None,
        typer.Option(
            "--plover",
            help="Score sentence-level event coding on PLOVER's gold-standard records "
            "(../shared/corpus/plover-gsr/PLOVER_GSR_CAMEO.txt) instead.",
        ),
    ] = None,
) -> None:
    """Score extractions against gold annotations (precision, recall and F1 per field); or, with
    --titles, against the titles of a corpus; or, with --plover, event coding per PLOVER type
    (recall, precision, source and target accuracy, events per sentence)."""
    from communique.evaluate import check_floors, load_floors
    from communique.evaluate import evaluate as run_evaluate
    from communique.evaluate.gold import gold_sets

    if titles is not None:
        _evaluate_titles(titles, fieldmap, title_line, show, fmt, floors)
        return
    if plover is not None:
        _evaluate_plover(plover, fmt, details, floors)
        return
    if gold_dir is None:
        error("give a folder of gold annotations, --titles CORPUS or --plover FILE")
        raise typer.Exit(2)

    # a subfolder with floors of its own (another language's readouts) is scored apart
    apart = gold_sets(gold_dir)[1:] if gold_dir.is_dir() else []
    try:
        report = run_evaluate(gold_dir, corpus=corpus_root)
        separate = {
            folder.relative_to(gold_dir).as_posix(): run_evaluate(folder, corpus=corpus_root)
            for folder in apart
        }
    except CommuniqueError as exc:
        err.print(f"[red]error[/red]: {exc}", highlight=False)
        raise typer.Exit(2) from exc
    separate = {name: r for name, r in separate.items() if r.documents or r.failures}
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
        _rate_rows(rates, data["rates"], data["invented"])
        console.print(rates)
        if separate:
            console.print(_apart_table(separate))
        if details:
            for res in [d for r in (report, *separate.values()) for d in r.documents]:
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
        if separate:
            data["corpora"] = {name: r.to_dict() for name, r in separate.items()}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    for gold, problem in [f for r in (report, *separate.values()) for f in r.failures]:
        err.print(f"[red]error[/red]: {gold}: {problem}", highlight=False)
    if floors is not None:
        problems = check_floors(report, load_floors(floors))
        for name, r in separate.items():
            own = load_floors(gold_dir / name / "floors.yaml")
            problems += [f"{name}: {p}" for p in check_floors(r, own)]
        for p in problems:
            err.print(f"[red]below floor[/red]: {p}", highlight=False)
        if problems:
            raise typer.Exit(1)
    elif report.failures or any(r.failures for r in separate.values()):
        raise typer.Exit(1)


_APART_FIELDS = ("encounters", "kinds", "participants", "countries", "dates", "places", "stances")
_APART_RATES = (
    "main_found",
    "counterpart_country",
    "kind",
    "counterpart_name",
    "principal",
    "date",
)


def _apart_table(separate: dict[str, Any]) -> Table:
    """Each corpus scored apart: F1 of the encounter fields, the main encounter's rates, the
    share of documents with an invented encounter (rows named by corpus, so that they never read
    as the main tables' rows)."""
    table = Table(title="gold sets scored apart (floors of their own)", header_style="bold")
    for col in ("corpus: field or rate", "value", "documents"):
        table.add_column(col)
    for corpus, report in separate.items():
        d = report.to_dict()
        short = corpus
        for f in _APART_FIELDS:
            table.add_row(f"{short}: {f} (F1)", f"{d['fields'][f]['f1']:.3f}", str(d["documents"]))
        for r in _APART_RATES:
            rate = d["rates"][r]
            value = f"{rate['rate']:.3f}" if rate["rate"] is not None else "-"
            table.add_row(f"{short}: {r}", value, f"{rate['hits']} / {rate['total']}")
        inv = d["invented"]
        table.add_row(
            f"{short}: invented (lower is better)",
            f"{inv['rate']:.3f}",
            f"{inv['documents']} / {inv['total']}",
        )
    return table


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
        _rate_rows(table, data["fields"], data["invented"])
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


def _evaluate_plover(path: Path, fmt: OutputFormat, details: bool, floors: Path | None) -> None:
    from communique.evaluate import load_floors
    from communique.evaluate.plover import DIPLOMATIC, check_plover_floors, evaluate_plover, to_2021

    try:
        report = evaluate_plover(path)
    except CommuniqueError as exc:
        err.print(f"[red]error[/red]: {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if fmt is OutputFormat.table:
        console = Console()

        def pct(x: float | None) -> str:
            return "-" if x is None else f"{x:.2f}"

        table = Table(
            title=f"PLOVER gold standard: {report.all.records} sentences", header_style="bold"
        )
        for col in ("type", "n", "recall", "prec", "src", "tgt", "sector", "ev/s"):
            table.add_column(col, justify="left" if col == "type" else "right", no_wrap=True)
        for row in report.rows():
            name = row.name
            if name in ("diplomatic", "all"):
                label = f"[bold]{name}[/bold]"
            else:
                new = to_2021(name)
                label = name + (f"={new}" if new != name else "")
                label += " *" if name in DIPLOMATIC else ""
            table.add_row(
                label,
                str(row.records),
                pct(row.recall),
                pct(row.precision),
                pct(row.source_accuracy),
                pct(row.target_accuracy),
                pct(row.sector_accuracy),
                pct(row.per_sentence),
            )
        console.print(table)
        console.print(
            "* the diplomatic subset. recall: records where the gold type was coded; prec: events "
            "coded as the type that match their record; src/tgt/sector: right source, target, "
            "sector, of the records found; ev/s: events coded per sentence. GSR (2016) type "
            "names; the 2021 name (=) is accepted.",
            highlight=False,
        )
        if details:
            for res in report.results:
                if (
                    res.hit
                    and res.source_ok is not False
                    and res.target_ok is not False
                    and not res.wrong
                ):
                    continue
                rec = res.record
                problems = []
                if res.error:
                    problems.append(f"error {res.error}")
                if not res.hit:
                    problems.append("missed")
                if res.source_ok is False:
                    problems.append("wrong source")
                if res.target_ok is False:
                    problems.append("wrong target")
                if res.wrong:
                    problems.append(f"{len(res.wrong)} of another type")
                gold_src = "+".join(a.code + (a.sector or "") for a in rec.source) or "-"
                gold_tgt = "+".join(a.code + (a.sector or "") for a in rec.target) or "-"
                console.print(
                    f"[bold]{rec.id}[/bold] {rec.event} {gold_src} -> {gold_tgt}: "
                    + ", ".join(problems),
                    highlight=False,
                )
                console.print(f"  {rec.text}", highlight=False, markup=False)
                for e in res.events:
                    console.print(f"  coded: {e.describe()}", highlight=False, markup=False)
    else:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    for res in report.failures:
        err.print(f"[red]error[/red]: {res.record.id}: {res.error}", highlight=False)
    if floors is not None:
        problems = check_plover_floors(report, load_floors(floors))
        for p in problems:
            err.print(f"[red]below floor[/red]: {p}", highlight=False)
        if problems:
            raise typer.Exit(1)


def _rate_rows(table: Table, rates: dict[str, Any], invented: dict[str, Any]) -> None:
    """A row per rate (value, hits / total), then the invented encounters (a ceiling)."""
    for name, r in rates.items():
        value = f"{r['rate']:.3f}" if r["rate"] is not None else "-"
        table.add_row(name, value, f"{r['hits']} / {r['total']}")
    table.add_row(
        "invented (lower is better)",
        f"{invented['rate']:.3f}",
        f"{invented['documents']} / {invented['total']}",
    )
