"""The package's layers: every module imports only from its own layer or the layers below it.

Every import is read from the source (function-level ones included). Imports inside an
`if TYPE_CHECKING:` block are annotations only, never executed, and are left out.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "ecosystem"
#: The web app's modules, installed as `ecosystem.visualisation` (see pyproject.toml).
APP = ROOT / "visualisation"

#: Bottom first. A module may import from its own layer and the layers before it.
LAYERS = [
    "names",
    "scenario",
    "world",
    "population",
    "agents",
    "market",
    "metrics",
    "model",
    "runner",
    "experiments",
    "workshop",  # the room game: runs models, reads experiments
    "cli",
    "visualisation",  # the web app (the repository's visualisation/ folder, installed here)
]
#: Heavy dependencies that may be imported inside a function, where they are used: the
#: sensitivity samplers, the Dask client, and the HTML report (it loads matplotlib, which
#: would add about a second to every `ecosystem` command).
LAZY_ALLOWED = ("SALib", "distributed", "ecosystem.experiments.report")


def module_name(path: Path) -> str:
    if path.is_relative_to(APP):
        parts = ("ecosystem", "visualisation", *path.relative_to(APP).with_suffix("").parts)
    else:
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int | None:
    """Layer index of an `ecosystem...` module; None for the package root itself.

    A name the root re-exports (`from ecosystem import run`) counts as the runner's layer,
    the highest the root imports from.
    """
    parts = module.split(".")
    if len(parts) < 2:
        return None
    if parts[1] not in LAYERS:
        return LAYERS.index("runner")
    return LAYERS.index(parts[1])


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every executed import of a module."""
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> list[tuple[str, int, bool]]:
    """Imports of `source`, a module of `package`; `from a import b` also lists `a.b`."""
    tree = ast.parse(source)
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other, in_function)
                continue
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                found.append((base, child.lineno, in_function))
                if base.startswith("ecosystem"):  # the names may be submodules
                    found.extend((f"{base}.{a.name}", child.lineno, in_function)
                                 for a in child.names)
            visit(child, nested)

    visit(tree, False)
    return found


MODULES = sorted(PACKAGE.rglob("*.py")) + sorted(APP.rglob("*.py"))


def test_every_subpackage_is_a_known_layer():
    tops = {module_name(p).split(".")[1] for p in MODULES if module_name(p) != "ecosystem"}
    assert tops == set(LAYERS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_upward_import(path):
    own = layer_of(module_name(path))
    if own is None:  # the package root re-exports the public API from every layer
        return
    upward = [(name, line) for name, line, _ in imports(path)
              if name.startswith("ecosystem.") and layer_of(name) is not None
              and layer_of(name) > own]
    assert not upward, f"{module_name(path)} imports from a higher layer: {upward}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_function_level_import_but_optional_heavy_ones(path):
    hidden = [(name, line) for name, line, in_function in imports(path)
              if in_function and not name.startswith(LAZY_ALLOWED)]
    assert not hidden, f"{module_name(path)} imports inside functions: {hidden}"


def test_no_import_cycle():
    graph = {module_name(p): {n for n, _, _ in imports(p) if n.startswith("ecosystem.")}
             for p in MODULES}
    modules = set(graph)
    edges = {m: {n if n in modules else n.rsplit(".", 1)[0] for n in targets} & modules
             for m, targets in graph.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def walk(node: str, trail: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(edges[node] - {node}):
            # a package's __init__ re-exporting its own modules is not a cycle of behaviour
            if node.startswith(nxt + ".") or nxt.startswith(node + "."):
                continue
            if state.get(nxt) == 1:
                cycle.extend(trail + [node, nxt])
                return True
            if state.get(nxt) is None and walk(nxt, trail + [node]):
                return True
        state[node] = 2
        return False

    for start in sorted(modules):
        if state.get(start) is None and walk(start, []):
            break
    assert not cycle, " -> ".join(cycle)


def test_the_checker_finds_upward_hidden_and_type_only_imports():
    source = ("from typing import TYPE_CHECKING\n"
              "from ecosystem.market import contracts\n"
              "if TYPE_CHECKING:\n    from ecosystem.model import EcosystemModel\n"
              "def f():\n    import json\n")
    found = imports_in(source, "ecosystem.world")
    assert ("ecosystem.market", 2, False) in found
    assert ("ecosystem.market.contracts", 2, False) in found
    assert ("json", 6, True) in found
    assert not any(name.startswith("ecosystem.model") for name, _, _ in found)
    assert layer_of("ecosystem.market.contracts") > layer_of("ecosystem.world.units")
