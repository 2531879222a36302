"""`pattern`s as the generated client checks them: in linear time wherever possible.

JSON Schema patterns are ECMA-262 regular expressions. Most translate to the syntax of
Rust's `regex` crate, which pydantic-core runs in time linear in the input, so a value no
server or caller chooses can make a check run for ages (`^(a+)+$` on `aaaa...b`). Rust's
engine has no lookaround and no backreferences. A pattern that opens with lookaheads
(`^(?=.*[0-9])(?!admin)[a-z0-9]+$`, the usual form of password and name rules) is the same
as several patterns anchored at the start, each one Rust can run: `Lookaheads` in the
client's `_base.py` checks them together. Any other pattern needing backtracking is left to
the server, with a warning: on a backtracking engine a value can make it run for ages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
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
        elif not in_class and char == "{":
            quantifier = _QUANTIFIER.match(pattern, index)
            if quantifier:
                out.append(quantifier.group())
                index = quantifier.end()
                continue
            char = "\\{"  # ECMA reads a brace that starts no quantifier as itself; Rust refuses it
        elif not in_class and char == "}":
            char = "\\}"
        out.append(char)
        index += 1
    return "".join(out)


_QUANTIFIER = re.compile(r"\{[0-9]+(?:,[0-9]*)?\}")


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


@dataclass(frozen=True)
class Split:
    """A pattern as Rust patterns that must match (`required`) and must not (`refused`)."""

    required: tuple[str, ...]
    refused: tuple[str, ...]


def split_lookaheads(pattern: str) -> Split | None:
    """`^(?=A)(?!B)R` as: `^(?:A)` and `^(?:R)` match, `^(?:B)` does not; each in Rust's
    syntax and linear. None for any other shape (lookaround elsewhere, lookbehind,
    backreferences, an alternative `|` outside the lookaheads) or a part Rust refuses."""
    if not pattern.startswith("^"):
        return None
    index = 1
    required: list[str] = []
    refused: list[str] = []
    while pattern.startswith(("(?=", "(?!"), index):
        end = _group_end(pattern, index)
        if end is None:
            return None
        (required if pattern[index + 2] == "=" else refused).append(pattern[index + 3 : end - 1])
        index = end
    rest = pattern[index:]
    if not (required or refused) or _top_level_bar(rest):
        return None
    parts = [rust_pattern(f"^(?:{part})") for part in (*required, rest)]
    others = [rust_pattern(f"^(?:{part})") for part in refused]
    if not all(linear(p) for p in (*parts, *others)):
        return None
    return Split(tuple(parts), tuple(others))


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """Each character outside escapes and classes, with the group depth after it."""
    depth, in_class, index = 0, False, start
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            depth += (char == "(") - (char == ")")
            yield index, char, depth
        index += 1


def _group_end(pattern: str, start: int) -> int | None:
    """The index just past the group opening at `start` (escapes and classes skipped)."""
    return next((i + 1 for i, char, depth in _structure(pattern, start) if char == ")" and depth == 0), None)


def _top_level_bar(pattern: str) -> bool:
    """Whether `|` splits the pattern itself (not only a group or a class in it)."""
    return any(char == "|" and depth == 0 for _, char, depth in _structure(pattern))


def lookaheads(annotated: PyType, pattern: str, split: Split) -> PyType:
    """`annotated` checked against a pattern that opens with lookaheads, in linear time."""
    args = [repr(pattern), repr(split.required)]
    if split.refused:
        args.append(f"refused={split.refused!r}")
    return pytypes.wrap(
        "Annotated[", annotated, f", Lookaheads({', '.join(args)})]",
        imports=("Annotated", "Lookaheads"), form=None,
    )
