"""Hostile question bank files: only QuestionBankError, with a message, ever escapes."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from survey.errors import QuestionBankError
from survey.questions.bank import (
    BANK_DIR,
    load_template,
    parse_template,
)

PULSE = yaml.safe_load((BANK_DIR / "pulse-check.yaml").read_text(encoding="utf-8"))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def _problems(action: Callable[[], object]) -> list[str] | None:
    """The problems of a refused bank, or ``None`` if it was accepted."""
    try:
        action()
    except QuestionBankError as error:
        return error.problems
    return None


def _load(tmp: Path, text: str | bytes) -> list[str] | None:
    path = tmp / "bank.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return _problems(lambda: load_template(path))


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.text(max_size=300) | st.binary(max_size=200))
# PyYAML raises ValueError for a date that does not exist, not a YAMLError.
@example("key: 2020-13-45")
@example("created: 2026-02-30\nquestions: []")
@example("\ufeffkey: x\n\tversion: 1")
@example("&a [*a, *a]")
@example("[" * 800)
@example("!!python/object:os.system {}")
@example(b"\xff\xfekey: x")
def test_any_file_text_gives_a_bank_or_our_error(tmp_path: Path, text: str) -> None:
    problems = _load(tmp_path, text)
    if problems is not None:
        assert problems
        assert all(p.startswith("bank.yaml") and p.strip() for p in problems)


def test_a_date_that_does_not_exist_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text("key: pulse\nreviewed: 2026-02-30\n", encoding="utf-8")
    with pytest.raises(QuestionBankError) as refused:
        load_template(path)
    assert refused.value.problems == [
        "bank.yaml: a value in the file cannot be read (day is out of range for month)"
    ]


def _paths(node: Any, trail: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [trail]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*trail, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*trail, index))
    return found


PULSE_PATHS = _paths(PULSE)[1:]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(PULSE_PATHS), values | st.just("__delete__")),
        min_size=1,
        max_size=4,
    )
)
def test_a_shipped_bank_with_fields_broken_gives_a_bank_or_our_error(
    changes: list[tuple[tuple[Any, ...], Any]],
) -> None:
    raw = copy.deepcopy(PULSE)
    for trail, value in changes:
        node = raw
        try:
            for step in trail[:-1]:
                node = node[step]
            if value == "__delete__":
                del node[trail[-1]]
            else:
                node[trail[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    problems = _problems(lambda: parse_template(raw, source="bank.yaml"))
    if problems is not None:
        assert problems
        assert all(p.startswith("bank.yaml") for p in problems), problems
