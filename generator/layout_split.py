"""black's split of a too-long annotated field or parameter (layout.Hole), written out for
the shapes the generator makes, so that black need not run for them.

A hole is `name: ANNOTATION[ = VALUE]` (a model field at any indent) or the same with a
trailing comma (a parameter of a def split one a line), already in black's spacing. black
(linegen.rhs, `_maybe_split_omitting_optional_parens`) puts invisible parentheses around
the annotation and, in a statement, around the value, then splits at the last bracket pair:

- a statement whose head `name: ANNOTATION = (` fits: the value alone goes in parentheses
  (the split right after `=`, `_prefer_split_rhs_oop_over_rhs`);
- an annotation of two or more `|` operands: it goes in parentheses (more than one
  delimiter: the optional parentheses are kept, `can_omit_invisible_parens`);
- an annotation `X[...]`: the split is at its own brackets.

Inside brackets a line that does not fit is split at its delimiters of highest priority
(commas, then `|`; a comma split ends in a trailing comma; a line's own trailing comma is
no delimiter), then, for a line with no such delimiter, at its last bracket pair, its head
kept on the first line. Anything else (one
`|` beside a bracket at either end, a head too long, a value that is not one token, a line
with nothing to split) is None: black splits it (format.py). tests/test_layout.py compares
this with black for every hole of the golden clients and corpus documents.
"""

from __future__ import annotations

import re
from functools import cache

from generator.format import LINE_LENGTH

_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): ")
_ATOM = re.compile(r"""[A-Za-z_][A-Za-z0-9_.]*|[0-9]+|"[^"]*"|'[^']*'""")
_OPEN, _CLOSE = "([{", ")]}"
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_NAME_ONLY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING_OR_NAME = r"""(?:[A-Za-z_][A-Za-z0-9_]*|"[^"\\]*"|'[^'\\]*')"""
_DOTTED_OR_STRING = r"""(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*|"[^"\\]*"|'[^'\\]*')"""
# What black leaves long inside brackets, having nothing to split at: an item of atoms
# (`"key": "value",`, as layout_blocks'), or an operand that is a name or a string.
_UNSPLITTABLE = re.compile(rf"{_STRING_OR_NAME}(?:: {_STRING_OR_NAME})?,|(?:\| )?{_DOTTED_OR_STRING},?")


def split(kind: str, indent: int, text: str) -> list[str] | None:
    """black's lines for the hole `text` at `indent`, or None where black must look."""
    match = _NAME.match(text)
    if match is None:
        return None
    name, rest, comma = match.group(1), text[match.end() :], ""
    if kind == "parameter":
        if not rest.endswith(","):
            return None
        rest, comma = rest[:-1], ","
    parts = _top(rest, " = ")
    if parts is None or len(parts) > 2:
        return None
    annotation, value = parts[0], parts[1] if len(parts) == 2 else None
    pad = " " * indent
    if value is not None and not _ATOM.fullmatch(value):
        return _value(indent, f"{name}: {annotation} = ", value) if kind == "statement" else None
    if value is not None and kind == "statement" and indent + len(f"{name}: {annotation} =") <= LINE_LENGTH - 2:
        if indent + 4 + len(value) > LINE_LENGTH:
            return None
        return [f"{pad}{name}: {annotation} = (", f"{pad}    {value}", f"{pad})"]
    tail = (f" = {value}" if value is not None else "") + comma
    operands = _top(annotation, " | ")
    if operands is None:
        return None
    if len(operands) >= 2:
        if len(operands) == 2 and (annotation[0] in _OPEN or annotation[-1] in _CLOSE):
            return None  # one delimiter and a bracket at an end: black's rule weighs lengths
        body = _body(annotation, indent + 4)
        return None if body is None else [f"{pad}{name}: (", *body, f"{pad}){tail}"]
    at = _opening(annotation)
    if at is None or annotation[-1] != "]" or at == 0 or not annotation[at - 1].isalnum() and annotation[at - 1] != "_":
        return None
    head = f"{pad}{name}: {annotation[: at + 1]}"
    body = _body(annotation[at + 1 : -1], indent + 4)
    if body is None or len(head) > LINE_LENGTH:
        return None
    return [head, *body, f"{pad}]{tail}"]


def _value(indent: int, head: str, value: str) -> list[str] | None:
    """black's lines for `name: T = VALUE` too long, T a plain name (`X: TypeAlias = ...`):
    black puts invisible parentheses around the value; with two or more `|` operands at
    its top they stay, made visible, the value split inside them; with none, they are
    omitted (`can_omit_invisible_parens`: no delimiter) and the split is at the value's
    own brackets, `name[...]` (`_prefer_split_rhs_oop_over_rhs`: no bracket before `=`)."""
    if not _DOTTED.fullmatch(head[head.index(": ") + 2 : -3]):
        return None  # brackets in the annotation: black weighs the two splits
    pad = " " * indent
    operands = _top(value, " | ")
    if operands is None or len(operands) == 2:
        return None
    if len(operands) > 2:
        body = _body(value, indent + 4)
        return None if body is None or indent + len(head) + 1 > LINE_LENGTH else [f"{pad}{head}(", *body, f"{pad})"]
    at = _opening(value)
    if at is None or value[-1] != "]" or not _NAME_ONLY.fullmatch(value[:at]):
        return None
    first = f"{pad}{head}{value[: at + 1]}"
    body = _body(value[at + 1 : -1], indent + 4)
    return None if body is None or len(first) > LINE_LENGTH else [first, *body, f"{pad}]"]


def returns(indent: int, tail: str) -> list[str] | None:
    """black's lines for `) -> X[...]:` (with ` ...` for a stub) too long, the tail of a def
    split one parameter a line: black omits the optional parentheses around a return
    annotation with no delimiter of its own and splits at its last bracket pair, the
    contents a line, or split in turn, one level in. Other annotations: None."""
    stub = " ..." if tail.endswith(": ...") else ""
    annotation = tail[len(") -> ") : len(tail) - len(stub) - 1]
    operands = _top(annotation, " | ")
    at = _opening(annotation)
    if tail.startswith(") -> ") and operands is not None and len(operands) > 1:
        return _parenthesized(" " * indent + ")", annotation, indent, stub)
    if not tail.startswith(") -> ") or operands is None or len(operands) > 1 or at is None:
        return None
    if annotation[-1] != "]" or at == 0 or not (annotation[at - 1].isalnum() or annotation[at - 1] == "_"):
        return None
    pad = " " * indent
    head = f"{pad}) -> {annotation[: at + 1]}"
    body = _body(annotation[at + 1 : -1], indent + 4)
    if body is None or len(head) > LINE_LENGTH:
        return None
    return [head, *body, f"{pad}]:{stub}"]


def bare_returns(head: str, tail: str) -> list[str] | None:
    """black's lines for `def name() -> X:` too long (`head` is `def name(` at its indent,
    `tail` is `) -> X:`, with ` ...` for a stub) when X fits on a line of its own: black's
    left-hand split makes the return annotation's invisible parentheses visible. Where X
    must be split further black's choice depends on more than its length: None."""
    indent = len(head) - len(head.lstrip())
    stub = " ..." if tail.endswith(": ...") else ""
    annotation = tail[len(") -> ") : len(tail) - len(stub) - 1]
    if not tail.startswith(") -> ") or not annotation or annotation[0] in "'\"":
        return None  # a long string annotation goes through black's rhs instead
    first = _parenthesized(head + ")", annotation, indent, stub)
    if first is not None or indent + 4 + len(annotation) <= LINE_LENGTH:
        return first
    return _second_pass(head + ")", annotation, indent, stub)


def _parenthesized(head: str, annotation: str, indent: int, stub: str) -> list[str] | None:
    """`HEAD -> (`, the annotation split inside, `):`: black's split of a return annotation
    it keeps in parentheses (the left-hand split of a def without parameters, or a union
    at the top of the tail line: more than one operand, no bracket at an end, so
    `can_omit_invisible_parens` says no). None where the split adds a comma: black's
    second pass then sees it as a magic trailing comma and splits otherwise."""
    if annotation[0] in _OPEN or annotation[0] in "'\"" or annotation[-1] in ")}":
        return None
    body = _body(annotation, indent + 4)
    if body is None or "".join(body).count(",") != annotation.count(","):
        return None
    pad = " " * indent
    return [f"{head} -> (", *body, f"{pad}):{stub}"]


def _second_pass(head: str, annotation: str, indent: int, stub: str) -> list[str] | None:
    """A def without parameters whose return annotation `X[...]` black splits in
    parentheses adding a comma: its second pass takes that comma as magic and splits the
    def at its right-hand side, at X's brackets. The same lines, one level out, as long
    as the first pass exploded the same brackets (compared here); else None."""
    at = _opening(annotation)
    if at is None or annotation[-1] != "]" or not _NAME_ONLY.fullmatch(annotation[:at]):
        return None
    first = _body(annotation, indent + 4)
    second = _body(annotation[at + 1 : -1], indent + 4)
    if first is None or second is None or len(first) < 3 or len(head) + 4 + at + 1 > LINE_LENGTH:
        return None
    if [line.strip() for line in first[1:-1]] != [line.strip() for line in second]:
        return None
    pad = " " * indent
    return [f"{head} -> {annotation[: at + 1]}", *second, f"{pad}]:{stub}"]


def _body(text: str, indent: int) -> list[str] | None:
    """The lines of a bracket's contents at `indent` (black's delimiter split)."""
    if indent + len(text) <= LINE_LENGTH:
        return [" " * indent + text]
    items = _top(text, ", ")
    if items is None:
        return None
    if len(items) == 1:
        return _line(text, indent)  # split at its operands or its last bracket pair
    out: list[str] = []
    for item in items:
        lines = _line(item + ",", indent)
        if lines is None:
            return None
        out += lines
    return out


def inside(indent: int, text: str) -> list[str] | None:
    """black's lines for `text`, an item with its comma inside brackets too long for its
    line, or None where black must look."""
    return _line(text, indent)


def _line(text: str, indent: int) -> list[str] | None:
    """One line inside brackets: as it is if it fits, else split at its last bracket pair."""
    pad = " " * indent
    if indent + len(text) <= LINE_LENGTH:
        return [pad + text]
    comma = "," if text.endswith(",") else ""
    core = text[: len(text) - len(comma)]
    operands = _top(core, " | ")  # black's delimiter split leaves the trailing comma out
    if operands is None:
        return None
    if len(operands) > 1:
        out: list[str] = []
        for index, operand in enumerate(operands):
            last = comma if index == len(operands) - 1 else ""
            lines = _line(("| " if index else "") + operand + last, indent)
            if lines is None:
                return None
            out += lines
        return out
    at = _opening(core)
    if at is None:  # nothing to split: black leaves it long
        return [pad + text] if _UNSPLITTABLE.fullmatch(text) else None
    head = core[: at + 1]
    if at == 0 or not (core[at - 1].isalnum() or core[at - 1] == "_"):
        return _display(head, core[at + 1 : -1], core[-1] + comma, indent)
    body = _body(core[at + 1 : -1], indent + 4)
    if body is None or indent + len(head) > LINE_LENGTH:
        return None
    return [pad + head, *body, pad + core[-1] + comma]


def _display(head: str, contents: str, closing: str, indent: int) -> list[str] | None:
    """A tuple, list or dict display (alone, or a dict entry's value) split at its brackets:
    black puts its items one a line with a trailing comma when there are two or more
    (`linegen.should_split_line`: a display is always exploded); else None."""
    items = _top(contents, ", ")
    if head[:-1] and not head.endswith(": " + head[-1]) or items is None or len(items) < 2:
        return None
    if indent + len(head) > LINE_LENGTH:
        return None
    out = [" " * indent + head]
    for item in items:
        lines = _line(item + ",", indent + 4)
        if lines is None:
            return None
        out += lines
    return [*out, " " * indent + closing]


def _top(text: str, separator: str) -> list[str] | None:
    """`text` cut at `separator` outside brackets and strings (None: unbalanced)."""
    parts: list[str] = []
    depth = start = 0
    for match in _scanner(separator).finditer(text):
        token = match.group()
        if token[0] in "'\"":
            if len(token) == 1:
                return None  # a string not closed
        elif token in _OPEN:
            depth += 1
        elif token in _CLOSE:
            depth -= 1
        elif not depth:
            parts.append(text[start : match.start()])
            start = match.end()
    if depth:
        return None
    parts.append(text[start:])
    return parts


@cache
def _scanner(separator: str) -> re.Pattern[str]:
    """Strings (whole), a quote left open, brackets, and the separator, in one pass."""
    return re.compile(r"""'[^']*'|"[^"]*"|['"]|[()\[\]{}]|""" + re.escape(separator))


def _opening(text: str) -> int | None:
    """Where the bracket closing `text` opens, or None when `text` ends in none."""
    if not text or text[-1] not in _CLOSE:
        return None
    depth, quote = 0, ""
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in _CLOSE:
            depth += 1
        elif char in _OPEN:
            depth -= 1
            if not depth:
                return index
    return None
