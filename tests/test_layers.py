"""Dependencies point one way: bot -> analytics -> survey (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DYNAMIC_IMPORTS = {"importlib.import_module", "import_module", "__import__"}
CHAT_SDKS = {"slack_bolt", "slack_sdk", "microsoft_agents", "botbuilder"}
FORBIDDEN = {
    "survey": {
        "bot",
        "analytics",
        "fastapi",
        "starlette",
        "pandas",
        "matplotlib",
        *CHAT_SDKS,
    },
    "analytics": {"bot", *CHAT_SDKS},
}


def imported_modules(source: str, *, package: str) -> list[tuple[int, str]]:
    """Every module a source file imports, at any depth, as (line, dotted name).

    Relative imports are resolved against ``package``; ``importlib.import_module``
    and ``__import__`` with a literal name count too.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            found.append((node.lineno, name))
        elif isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            if (
                ast.unparse(node.func) in DYNAMIC_IMPORTS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found.append((node.lineno, first.value))
    return sorted(found)


def modules_of(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def package_of(path: Path) -> str:
    """The package a module's relative imports start from: its folder."""
    return ".".join(path.parent.relative_to(ROOT).parts)


def violations(package: str) -> list[str]:
    forbidden = FORBIDDEN[package]
    found = []
    for path in modules_of(package):
        source = path.read_text(encoding="utf-8")
        for line, name in imported_modules(source, package=package_of(path)):
            if name.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_imports_only_inward(package: str) -> None:
    assert violations(package) == []


def test_the_walk_covers_the_whole_survey_package() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in modules_of("survey")}
    assert {
        "survey/campaigns.py",
        "survey/roster/importing.py",
        "survey/models/responses.py",
        "survey/migrations/env.py",
    } <= names
    assert modules_of("analytics"), "analytics/ has at least its __init__.py"


def test_imports_inside_functions_and_relative_imports_are_seen() -> None:
    source = """
import os
from . import roster
from ..bot import cli

def build():
    import slack_sdk.web
    from fastapi import FastAPI
    importlib.import_module("pandas")
    return FastAPI
"""
    found = imported_modules(source, package="survey.models")
    assert found == [
        (2, "os"),
        (3, "survey.models"),
        (4, "survey.bot"),
        (7, "slack_sdk.web"),
        (8, "fastapi"),
        (9, "pandas"),
    ]


CHANNELS = ("bot.web", "bot.slack", "bot.teams")
"""The three channels are peers: none imports another (bot.app composes them)."""

PACKAGES = ("survey", "analytics", "bot")


def module_name(path: Path) -> str:
    """The dotted name of a module file (a package's ``__init__`` is the package)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Every module of our packages and the modules of ours it imports, at any depth.

    ``from package import name`` counts as importing ``package.name`` when that is
    a module, else the package itself (a name its ``__init__`` defines).
    Migrations are left out: Alembic loads them by file, never by import.
    """
    modules = {
        module_name(path): path
        for package in PACKAGES
        for path in modules_of(package)
        if "migrations" not in path.parts
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(node, package=package_of(path))
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    edges.add(submodule if submodule in modules else base)
        graph[name] = {edge for edge in edges if edge in modules} - {name}
    return graph


def _absolute(node: ast.ImportFrom, *, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(cycles)


def test_no_import_cycles() -> None:
    assert import_cycles(import_graph()) == []


def test_cycle_finder_finds_a_cycle_through_three_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def channel_crossings(graph: dict[str, set[str]]) -> list[str]:
    """Each import from one channel's module into another channel."""

    def channel_of(module: str) -> str | None:
        return next(
            (c for c in CHANNELS if module == c or module.startswith(c + ".")), None
        )

    found = []
    for module, targets in sorted(graph.items()):
        mine = channel_of(module)
        for target in sorted(targets):
            theirs = channel_of(target)
            if mine and theirs and theirs != mine:
                found.append(f"{module} imports {target}")
    return found


def test_channels_never_import_each_other() -> None:
    assert channel_crossings(import_graph()) == []


def test_crossing_finder_sees_a_channel_reaching_into_another() -> None:
    graph = {"bot.slack.posts": {"bot.web.render_html"}, "bot.app": {"bot.web"}}
    assert channel_crossings(graph) == ["bot.slack.posts imports bot.web.render_html"]


def test_survey_keeps_few_top_level_modules() -> None:
    top = sorted(p.name for p in (ROOT / "survey").glob("*.py"))
    assert len(top) <= 20, top
