"""The SMP package's modules import one another without a cycle (each layer only the ones before it)."""

import ast
from pathlib import Path

import truce.forecast.smp.run  # noqa: F401 - the package imports

PACKAGE = Path(__import__("truce").__file__).parent / "forecast" / "smp"


def imports_within_package(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("truce.forecast.smp."):
            found.add(node.module.rsplit(".", 1)[1])
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as a list of nodes, or None (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_sees_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_smp_modules_import_without_a_cycle():
    graph = {path.stem: imports_within_package(path) for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    assert {"options", "elections", "state", "challenges", "bargains", "run"} <= set(graph)
    assert find_cycle(graph) is None
