"""The package's layers: every module imports only from its own layer or below, with no cycle.

Imports are read from the source with :mod:`ast`, including imports inside functions
(they run, so they count). Imports under ``if TYPE_CHECKING:`` are left out: they never run
and exist for annotations only (mypy checks them).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "jkenergy"

LAYERS: list[set[str]] = [
    {"errors"},
    {"components", "files"},
    {"network", "specs", "periods", "costs"},
    {"aggregation"},
    {"model"},
    {"results"},
    {"solve"},
    {"analysis", "pypsa_io"},
    {"plot"},
    {"study"},
    {"scenario"},
    {"sweeps"},
    {"cli"},
]
"""Lowest first. The first part of a module's dotted name (``model.storage`` -> ``model``)
says which layer it is in; ``jkenergy/__init__.py`` (the public API) may import anything."""

GENERIC_CORE = {"errors", "components", "files", "network", "specs", "periods", "costs"}
GENERIC_CORE |= {"aggregation"}
"""What the Japan-Korea study may import: the network, never the LP, solver or results."""

LAYER_OF = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _module_name(path: Path, root: Path = SRC) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, root: Path = SRC) -> set[str]:
    """Dotted jkenergy modules (relative to the package) that ``path`` imports at run time."""
    module = _module_name(path, root)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    if module == "":
        package = []
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = [*base, *(node.module.split(".") if node.module else [])]
                if node.module is None:  # from . import a, b
                    found.update(".".join([*target, a.name]) for a in node.names)
                else:
                    found.add(".".join(target))
            elif node.module and node.module.split(".")[0] == "jkenergy":
                rest = node.module.split(".")[1:]
                if rest:
                    found.add(".".join(rest))
                else:
                    found.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "jkenergy" and "." in a.name:
                    found.add(a.name.split(".", 1)[1])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {f for f in found if f and f.split(".")[0] in LAYER_OF}


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}
GRAPH = {name: _imports(path) for name, path in MODULES.items() if name}


def _top(name: str) -> str:
    return name.split(".")[0]


def test_every_module_has_a_layer():
    missing = sorted(n for n in GRAPH if _top(n) not in LAYER_OF)
    assert not missing, f"modules with no layer in tests/test_layers.py: {missing}"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_go_down_only(module):
    mine = LAYER_OF[_top(module)]
    upward = sorted(t for t in GRAPH[module] if LAYER_OF[_top(t)] > mine)
    assert not upward, f"{module} (layer {mine}) imports from higher layers: {upward}"


@pytest.mark.parametrize("module", sorted(n for n in GRAPH if _top(n) == "study"))
def test_the_study_imports_only_the_generic_network(module):
    outside = sorted(t for t in GRAPH[module] if _top(t) != "study" and _top(t) not in GENERIC_CORE)
    assert not outside, f"{module} imports beyond the generic network: {outside}"


def _resolve(target: str) -> str | None:
    """The module a dotted import lands in (``from .model import x`` -> ``model``)."""
    while target and target not in GRAPH:
        target = target.rsplit(".", 1)[0] if "." in target else ""
    return target or None


def test_no_import_cycle():
    edges = {m: {r for t in ts if (r := _resolve(t)) and r != m} for m, ts in GRAPH.items()}
    # a package's __init__ importing its own submodules is not a cycle with them
    for m in edges:
        edges[m] = {t for t in edges[m] if not t.startswith(m + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(edges[m]):
            if state.get(t) == 1:
                cycle = [*stack[stack.index(t) :], t]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if t not in state:
                dfs(t)
        stack.pop()
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            dfs(m)


def test_the_checker_sees_imports_inside_functions_but_not_type_checking(tmp_path):
    fake = tmp_path / "jkenergy"
    (fake / "study").mkdir(parents=True)
    (fake / "network.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from .results import Result\n"
        "def f():\n    from .solve import optimize\n"
    )
    (fake / "study" / "builder.py").write_text("from .. import plot\nfrom . import datasets\n")
    assert _imports(fake / "network.py", fake) == {"solve"}
    assert _imports(fake / "study" / "builder.py", fake) == {"plot", "study.datasets"}
