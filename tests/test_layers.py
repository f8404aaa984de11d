"""The package's structure: layers that only point down, and no import circles.

``LAYERS`` is the one declaration of the layer order (docs/architecture.md draws it). A unit is a
top-level module or package of ``communique`` (``__init__`` is the facade, ``communique.extract``).
A unit may import its own modules and any unit of a lower layer; never one of its own layer (peers
stay independent) or of a higher one. Every import counts, also those inside functions and under
``TYPE_CHECKING``: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "communique"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("version", "errors", "vocab", "lines", "resources", "data"),  # leaves
    ("settings", "model"),  # the environment read once; the Readout contract and its kinds
    ("documents", "extractor", "tables", "readout_schema"),  # raw -> Document -> Readout -> rows
    ("sources",),  # inputs -> items (no database)
    ("store",),  # persistence only
    ("process", "queries", "exports"),  # the one path; reading a store; the store as files
    ("runners", "analysis"),  # ingest/reprocess/load and batch; the read-only handle
    ("__init__",),  # the facade: communique.extract(), communique.open()
    ("evaluate",),  # the gold scorer and the robustness suite, clients of the facade
    ("web", "cli"),  # thin edges: HTTP and the command line
    ("__main__",),  # python -m communique
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def imports(path: Path, module: str, known: set[str]) -> Iterator[tuple[str, int]]:
    """``(imported communique module, line)`` for every import in a file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "communique":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            if base.split(".")[0] != "communique":
                continue
            yield base, node.lineno
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    yield f"{base}.{alias.name}", node.lineno


def graph() -> dict[str, list[tuple[str, int]]]:
    found = modules()
    known = set(found)
    return {m: [(t, n) for t, n in imports(p, m, known) if t != m] for m, p in found.items()}


def rank(u: str) -> int:
    for i, layer in enumerate(LAYERS):
        if u in layer:
            return i
    raise AssertionError(f"{u!r} is in no layer: add it to LAYERS (and docs/architecture.md)")


def test_every_unit_has_a_layer() -> None:
    units = {unit(m) for m in modules()}
    for u in sorted(units):
        rank(u)
    declared = {u for layer in LAYERS for u in layer}
    assert not declared - units, f"LAYERS names units that do not exist: {declared - units}"


def test_imports_only_point_down() -> None:
    bad = []
    for module, targets in graph().items():
        mine = unit(module)
        for target, line in targets:
            theirs = unit(target)
            if theirs == mine:
                continue
            if rank(theirs) > rank(mine):
                bad.append(f"{module}:{line} imports {target} (a higher layer)")
            elif rank(theirs) == rank(mine):
                bad.append(f"{module}:{line} imports {target} (a peer of the same layer)")
    assert not bad, "\n".join(bad)


def test_no_import_circles() -> None:
    edges = {m: sorted({t for t, _ in ts}) for m, ts in graph().items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    assert not circles, f"import circles: {circles}"


def test_the_check_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text(
        "def f():\n    from communique.store import db\n    from . import tables\n",
        encoding="utf-8",
    )
    found = list(imports(source, "communique.queries.x", {"communique.store.db"}))
    assert ("communique.store", 2) in found and ("communique.store.db", 2) in found
    assert ("communique.queries", 3) in found
