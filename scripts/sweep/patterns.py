"""A string matching a JSON-schema `pattern` (an ECMA-262 regex, searched, not anchored).

Walks Python's parse tree of the regex and makes the shortest-ish text for it, then checks
the result with `re.search`; repeats are grown until length bounds are met. Constructs it
cannot honour (lookarounds it ignores, `\\p{...}` Python lacks) fail the check and return
None, so the caller falls back to the schema's examples.
"""

from __future__ import annotations

import re
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

CANDIDATES = "aA0b1_-. xyzZ9~@:/"
CATEGORY_CHAR = {
    c.CATEGORY_DIGIT: "1", c.CATEGORY_NOT_DIGIT: "a", c.CATEGORY_WORD: "a",
    c.CATEGORY_NOT_WORD: "-", c.CATEGORY_SPACE: " ", c.CATEGORY_NOT_SPACE: "a",
}
CATEGORY_TEST = {
    c.CATEGORY_DIGIT: str.isdigit, c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdigit(),
    c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
    c.CATEGORY_SPACE: str.isspace, c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
}


def python_regex(pattern: str) -> str:
    """ECMA named groups `(?<n>` and `\\k<n>` -> Python's `(?P<n>` and `(?P=n)`."""
    pattern = re.sub(r"\(\?<(?![=!])", "(?P<", pattern)  # lookbehinds `(?<=`, `(?<!` stay
    return re.sub(r"\\k<(\w+)>", r"(?P=\1)", pattern)


def matching(pattern: str, min_length: int = 0, max_length: int | None = None, *,
             variant: int = 0) -> str | None:
    """A string that `pattern` matches with min_length <= len <= max_length, else None.

    `variant` > 0 gives other strings (alternatives and repeats taken differently), for
    arrays whose items must be unique."""
    try:
        source = python_regex(pattern)
        tree = _parser.parse(source)
        compiled = re.compile(source)
    except (re.error, RecursionError, OverflowError):
        return None
    for extra in range(max(min_length, 8) + 2):  # repeats grow by one: each length is tried
        try:
            text = _Walker(extra + variant, variant).walk(tree)
        except (RecursionError, ValueError):
            return None
        if len(text) < min_length and not _anchored_end(tree):
            text += "a" * (min_length - len(text))
        fits = len(text) >= min_length and (max_length is None or len(text) <= max_length)
        if fits and compiled.search(text):
            return text
        if max_length is not None and len(text) > max_length:
            return None
    return None


def _anchored_end(tree: Any) -> bool:
    return any(op is c.AT and arg in (c.AT_END, c.AT_END_STRING) for op, arg in list(tree))


class _Walker:
    """Text for a parse tree; each repeat runs its minimum plus `extra` times (within max)."""

    def __init__(self, extra: int, alternative: int = 0) -> None:
        self.extra = extra
        self.alternative = alternative  # which `a|b|c` branch to take (modulo their number)
        self.groups: dict[int, str] = {}

    def walk(self, items: Any) -> str:
        return "".join(self.item(op, arg) for op, arg in items)

    def item(self, op: Any, arg: Any) -> str:
        if op is c.LITERAL:
            return chr(arg)
        if op is c.NOT_LITERAL:
            return "a" if arg != ord("a") else "b"
        if op is c.ANY:
            return "a"
        if op is c.IN:
            return _in_set(arg)
        if op is c.BRANCH:
            return self.walk(arg[1][self.alternative % len(arg[1])])
        if op is c.SUBPATTERN:
            text = self.walk(arg[3])
            if arg[0] is not None:
                self.groups[arg[0]] = text
            return text
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, high, body = arg
            count = low + self.extra if high is c.MAXREPEAT else min(low + self.extra, high)
            return "".join(self.walk(body) for _ in range(count))
        if op is c.GROUPREF:
            return self.groups.get(arg, "")
        if op is getattr(c, "ATOMIC_GROUP", None):
            return self.walk(arg)
        return ""  # AT anchors, lookarounds: nothing to emit


def _in_set(items: Any) -> str:
    """A character in a `[...]` class: its first member, or for `[^...]` a non-member."""
    negated = bool(items) and items[0][0] is c.NEGATE
    if not negated:
        for op, arg in items:
            if op is c.LITERAL:
                return chr(arg)
            if op is c.RANGE:
                return _pick_in_range(*arg)
            if op is c.CATEGORY:
                return CATEGORY_CHAR.get(arg, "a")
        raise ValueError("empty character class")
    for ch in CANDIDATES:
        if not _member(items[1:], ch):
            return ch
    raise ValueError("no character outside the class")


def _pick_in_range(low: int, high: int) -> str:
    """Prefer a letter or digit inside the range: friendlier in URLs and headers."""
    for ch in "a0A1":
        if low <= ord(ch) <= high:
            return ch
    return chr(low)


def _member(items: Any, ch: str) -> bool:
    for op, arg in items:
        if op is c.LITERAL and chr(arg) == ch:
            return True
        if op is c.RANGE and arg[0] <= ord(ch) <= arg[1]:
            return True
        if op is c.CATEGORY and CATEGORY_TEST.get(arg, lambda _: False)(ch):
            return True
    return False
