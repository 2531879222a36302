"""Patterns the generated client checks in linear time (generator/lower/patterns.py): leading
lookaheads split into patterns Rust's engine runs; ECMA's literal braces escaped for Rust;
every other shape needing backtracking is left unchecked (None)."""

from __future__ import annotations

import re

import pytest
from pydantic_core import SchemaValidator, ValidationError, core_schema

from generator.lower.patterns import Split, linear, rust_pattern, split_lookaheads


@pytest.mark.parametrize(
    ("pattern", "required", "refused"),
    [
        ("^(?=.*a)(a+)+$", ("^(?:.*a)", "^(?:(a+)+$)"), ()),
        ("^(?!admin)[a-z]+$", ("^(?:[a-z]+$)",), ("^(?:admin)",)),
        ("^(?=.*[A-Z])(?=.*\\d)(?!.*\\s).{8,}$",
         ("^(?:.*[A-Z])", "^(?:.*[0-9])", "^(?:.{8,}$)"), ("^(?:.*\\s)",)),
        ("^(?=[)(])(x|y)", ("^(?:[)(])", "^(?:(x|y))"), ()),  # a `|` in a group, parentheses in a class
    ],
)
def test_leading_lookaheads_are_split(pattern: str, required: tuple[str, ...], refused: tuple[str, ...]) -> None:
    assert split_lookaheads(pattern) == Split(required, refused)


@pytest.mark.parametrize(
    "pattern",
    ["^(?=a)b|c", "(?=a)b", "^a(?=b)", "(?<=a)b", "^(\\w)\\1$", "^(?=(?=a))b", "^(?=a"],
)
def test_other_shapes_are_not_split(pattern: str) -> None:
    assert split_lookaheads(pattern) is None


def _rust_search(pattern: str, text: str) -> bool:
    checker = SchemaValidator(core_schema.str_schema(pattern=pattern, regex_engine="rust-regex"))
    try:
        checker.validate_python(text)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    "pattern", ["^(?=.*a)a+b*$", "^(?!admin)[a-z]+$", "^(?=.*[A-Z])(?=.*[0-9])(?!.*\\s).{4,}$"]
)
@pytest.mark.parametrize("text", ["", "a", "aab", "ba", "admin", "admins", "Ab12", "Ab 12", "abcd", "AB1"])
def test_a_split_pattern_means_what_the_whole_one_does(pattern: str, text: str) -> None:
    split = split_lookaheads(pattern)
    assert split is not None
    held = all(_rust_search(p, text) for p in split.required) and not any(
        _rust_search(p, text) for p in split.refused
    )
    assert held == bool(re.search(pattern.replace("$", "\\Z"), text))


@pytest.mark.parametrize(
    ("pattern", "rust"),
    [("^{[0-9]{4}}$", "^\\{[0-9]{4}\\}$"), ("a{2,}b{,3}", "a{2,}b\\{,3\\}"), ("[{}]{1}", "[{}]{1}")],
)
def test_braces_that_quantify_nothing_are_literal_as_in_ecma(pattern: str, rust: str) -> None:
    assert rust_pattern(pattern) == rust and linear(rust)
