"""`pattern`s as the generated client checks them: in linear time wherever possible.

JSON Schema patterns are ECMA-262 regular expressions. Most translate to the syntax of
Rust's `regex` crate, which pydantic-core runs in time linear in the input, so a value no
server or caller chooses can make a check run for ages (`^(a+)+$` on `aaaa...b`). Patterns
that need backtracking (lookaround, backreferences) are checked with Python's `re` on
arguments only (`RequestPattern` in the client's `_base.py`), never on what a server sends.
"""

from __future__ import annotations

from functools import cache

from generator.ir import PyType
from generator.lower import pytypes

# ECMA's classes are ASCII; Rust's (like Python's) are Unicode unless told otherwise.
_CLASSES = {"d": "0-9", "w": "0-9A-Za-z_"}
_NEGATED = {"D": "[^0-9]", "W": "[^0-9A-Za-z_]"}


def rust_pattern(pattern: str) -> str:
    """An ECMA-262 pattern in Rust regex syntax (which may still refuse it)."""
    out: list[str] = []
    in_class, index = False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            out.append(_escape(pattern[index + 1], in_class))
            index += 2
            continue
        if in_class and char == "]":  # ECMA: `[]` is an empty class, which Rust refuses
            in_class = False
        elif not in_class and char == "[":
            in_class = True
        out.append(char)
        index += 1
    return "".join(out)


def _escape(letter: str, in_class: bool) -> str:
    if letter in _CLASSES:
        return _CLASSES[letter] if in_class else f"[{_CLASSES[letter]}]"
    if letter in _NEGATED:
        return _NEGATED[letter]  # a nested class, which Rust allows inside a class too
    if letter in "bB":
        return "\\x08" if in_class else f"(?-u:\\{letter})"
    return "\\" + letter


@cache
def linear(pattern: str) -> bool:
    """Whether pydantic-core's Rust engine (linear time) accepts the pattern."""
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern, regex_engine="rust-regex"))
    except SchemaError:
        return False
    return True


def request_only(annotated: PyType, pattern: str) -> PyType:
    """`annotated` with a pattern only Python's `re` can check, on arguments only."""
    return pytypes.wrap(
        "Annotated[", annotated, f", RequestPattern({pattern!r})]",
        imports=("Annotated", "RequestPattern"), form=None,
    )
