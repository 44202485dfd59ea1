"""The package layering of DESIGN.md holds: no import cycles, lower layers never import higher.

Read from the source with ``ast`` (imports under ``if TYPE_CHECKING:`` are left out: they
never run). A *unit* is a package or module directly under ``octavus_cli``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "octavus_cli"

# What each lower layer must never import.
_SERVICES = {"commands", "output", "management", "session", "workforce", "emulator"}
FORBIDDEN = {
    "errors": _SERVICES | {"platform"},
    "protocol": _SERVICES | {"platform"},
    "platform": _SERVICES | {"lsp"},
    "emulator": (_SERVICES - {"emulator"}) | {"platform", "lsp"},
    "output": (_SERVICES - {"output"}) | {"platform"},
    "skills": _SERVICES,
    "config": _SERVICES | {"platform", "protocol"},
    "settings": _SERVICES | {"platform", "protocol"},
    # Feature packages beside each other: none reaches into a command or a sibling.
    "management": (_SERVICES - {"management"}) | {"lsp"},
    "session": (_SERVICES - {"session", "output"}) | {"lsp"},
    "workforce": (_SERVICES - {"workforce"}) | {"lsp"},
    "lsp": (_SERVICES - {"output"}) | {"platform"},
    # The record decorator is below everything: it imports nothing of ours.
    "records": _SERVICES | {"platform", "protocol", "errors", "config", "skills", "lsp"},
}


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _runtime_imports(tree: ast.Module) -> Iterator[str]:
    """Module names imported at run time (``if TYPE_CHECKING:`` blocks skipped)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        unit = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        targets = graph.setdefault(unit, set())
        for name in _runtime_imports(ast.parse(path.read_text("utf-8"))):
            if name.startswith("octavus_cli.") and _unit(name) != unit:
                targets.add(_unit(name))
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(unit: str) -> None:
        index[unit] = low[unit] = len(index)
        stack.append(unit)
        for target in sorted(graph.get(unit, ())):
            if target not in index:
                visit(target)
                low[unit] = min(low[unit], low[target])
            elif target in stack:
                low[unit] = min(low[unit], index[target])
        if low[unit] == index[unit]:
            component: list[str] = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == unit:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for unit in sorted(graph):
        if unit not in index:
            visit(unit)
    return found


def test_no_import_cycle_between_units() -> None:
    assert _cycles(_graph()) == []


@pytest.mark.parametrize("lower", sorted(FORBIDDEN))
def test_lower_layers_do_not_import_higher_ones(lower: str) -> None:
    assert _graph().get(lower, set()) & FORBIDDEN[lower] == set()


# What output/ may import at run time: the error taxonomy and settings, the models
# of what it renders (findings, rules) and the record decorator. The results of the
# feature packages (management, session, workforce, platform) are typed for the checker only.
OUTPUT_MAY_IMPORT = {"errors", "config", "protocol", "skills", "records"}


def test_output_imports_only_the_models_it_renders() -> None:
    assert _graph().get("output", set()) - OUTPUT_MAY_IMPORT == set()


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
