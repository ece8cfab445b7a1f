"""Dependencies point one way: bot -> analytics -> survey (DESIGN.md, Layout)."""

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
        "survey/roster.py",
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
