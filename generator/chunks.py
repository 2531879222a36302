"""Cut a Python module into pieces black formats alone, and glue black's pieces back.

black's output for a module is the concatenation of its output for each piece, joined by
the blank lines black puts between them, provided the cuts stand where black's blank-line
rule (black's `EmptyLineTracker`, non-stub mode) gives a count known from the two sides:

- before a `def`/`class`/decorator that is not the first statement of its block: black puts
  2 blank lines at module level, 1 inside a class; after a one-line stub (`def f(): ...`)
  the same if the user left any, else none (overloads); after a stub class: no cut;
- after a `def`/`class` (not a stub), before any statement that is not a bare string
  (which, first in a piece, black would take for a docstring): 2 and 1 again;
- between two simple statements of a class body (a field and the next, not after an
  import, not before a string): the user's blank lines, at most 1; exactly 1 after the
  class docstring (its `after` line);
- in a method, between its docstring and the next simple statement: the user's, at most 1;
- nothing but blank lines between the two statements (no comment to attach to either).

A class-body piece is formatted under a stand-in `class _C:` line, a method-body piece
under `class _C:` and `def _f(self):` (WRAPPERS), then those lines are dropped. A module
with form feeds, carriage returns, tabs or `fmt:` directives is not cut. tests/test_format.py
compares the glued result with black's output for whole files.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass
from typing import Any

WRAPPER = "class _C:\n"
WRAPPERS = ("", WRAPPER, WRAPPER + "    def _f(self):\n")  # by depth: what stands above a piece
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BLOCKS = (ast.If, ast.For, ast.While, ast.With, ast.Try)
_PLAIN = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Pass)  # no import: black's own rule after one


@dataclass(frozen=True)
class Piece:
    text: str
    depth: int  # 0: module level; 1: inside a class; 2: inside a method (see WRAPPERS)
    blank_before: int  # blank lines black puts before it (0 for the first piece)

    @property
    def source(self) -> str:
        """What black is given."""
        return WRAPPERS[self.depth] + self.text


def depth_of(source: str) -> int:
    """The depth of a piece from what black is given (Piece.source)."""
    return 2 if source.startswith(WRAPPERS[2]) else 1 if source.startswith(WRAPPER) else 0


def split(source: str) -> list[Piece]:
    """The pieces of `source`; one piece (the whole text) when it cannot be cut safely."""
    whole = [Piece(source, 0, 0)]
    if any(c in source for c in "\f\r\t") or "fmt:" in source:
        return whole
    try:
        module = ast.parse(source)
    except (SyntaxError, ValueError):
        return whole  # black reports it
    lines = source.splitlines(keepends=True)
    if len(lines) != source.count("\n") + (not source.endswith("\n")):
        return whole  # a line break only str.splitlines sees (NEL, U+2028): ast counts lines apart
    starts: list[tuple[int, int, int]] = []  # (0-based first line, depth, blank lines before)
    body = module.body
    for index, node in enumerate(body):
        blank = _cut(body[index - 1], node, lines, 0) if index else None
        if blank is not None:
            starts.append((_first_line(node) - 1, 0, blank))
        if isinstance(node, ast.ClassDef):
            starts += _class_cuts(node.body, lines)
    return _pieces(lines, starts) if starts else whole


def _class_cuts(inner: list[ast.stmt], lines: list[str]) -> list[tuple[int, int, int]]:
    starts = []
    for index, b in enumerate(inner):
        if index:
            a = inner[index - 1]
            blank = _cut(a, b, lines, 4)
            if blank is None:
                blank = _simple_cut(a, b, lines, first=index == 1)
            if blank is not None:
                starts.append((_first_line(b) - 1, 1, blank))
        starts += _method_cut(b, lines)
    return starts


def _method_cut(node: ast.stmt, lines: list[str]) -> list[tuple[int, int, int]]:
    """A method's body after its docstring, as a piece of its own: between a function
    docstring and the next statement black keeps the user's blank lines, at most 1."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or len(node.body) < 2:
        return []
    doc, after = node.body[0], node.body[1]
    if not _is_string(doc) or _is_string(after) or isinstance(after, _DEFS):
        return []
    start, end = after.lineno, doc.end_lineno or doc.lineno
    if start <= end or _indent(lines[start - 1]) != 8 or _first_line(after) != after.lineno:
        return []
    gap = lines[end : start - 1]
    if any(line.strip() for line in gap):
        return []
    return [(start - 1, 2, min(len(gap), 1))]


def _simple_cut(a: ast.stmt, b: ast.stmt, lines: list[str], first: bool) -> int | None:
    """Blank lines black puts between two simple statements of a class body (a field and
    the next), or None where the cut is not safe. Between them black keeps the user's
    blank lines, at most 1; after a class docstring it puts exactly 1 (the docstring's
    `after` line, less nothing). No cut after an import (black's import rule) or before a
    string (which would be first in its piece, a docstring to black)."""
    simple = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Pass)
    if not isinstance(a, simple) or not isinstance(b, simple) or _is_string(b):
        return None
    start, end = b.lineno, a.end_lineno or a.lineno
    if start <= end or _indent(lines[start - 1]) != 4:
        return None
    gap = lines[end : start - 1]
    if any(line.strip() for line in gap):
        return None
    if _is_string(a):
        return 1 if first else min(len(gap), 1)
    return min(len(gap), 1)


def _is_string(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str | bytes)


def _pieces(lines: list[str], starts: list[tuple[int, int, int]]) -> list[Piece]:
    """Class-body pieces run until the next cut; a module-level cut ends the class."""
    bounds = [*starts, (len(lines), 0, 0)]
    pieces = [Piece("".join(lines[: starts[0][0]]), 0, 0)]
    for (start, depth, blank), (end, _, _) in itertools.pairwise(bounds):
        pieces.append(Piece("".join(lines[start:end]), depth, blank))
    return pieces


def join(pieces: list[Piece], formatted: list[str]) -> str | None:
    """black's output for the whole module from its output for each piece (None: a piece
    came back in an unexpected shape, so the caller formats the module whole)."""
    out: list[str] = []
    for piece, text in zip(pieces, formatted):
        head = WRAPPERS[piece.depth]
        if not text.startswith(head):
            return None
        text = text[len(head) :]
        if out:
            out.append("\n" * piece.blank_before)
        out.append(text)
    return "".join(out)


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None) or []
    return min([node.lineno, *(d.lineno for d in decorators)])


def _cut(a: ast.stmt, b: ast.stmt, lines: list[str], indent: int) -> int | None:
    """Blank lines black puts between two statements where either is a definition, or
    None where no cut is safe."""
    start, end = _first_line(b), a.end_lineno or a.lineno
    if start <= end or _indent(lines[start - 1]) != indent:
        return None
    gap = lines[end : start - 1]
    if any(line.strip() for line in gap):
        return None  # a comment between them: black may move blank lines around it
    full = 1 if indent else 2
    stub = _ends_in_stub(a)
    if stub:
        # After a one-line `def ...: ...` black keeps no blank line where the user left
        # none (overloads), else puts the usual count; after a stub class it is not sure.
        return (full if gap else 0) if stub == "def" and isinstance(b, _DEFS) else None
    if isinstance(b, _DEFS):
        return full
    if isinstance(a, _DEFS):
        return full if not _is_string(b) else None
    # Before a block (`if not TYPE_CHECKING:` holding a def) after a plain statement at
    # module level, black keeps the user's blank lines, at most 2: one piece for the
    # statements above, which the fast path can settle (layout.py), one for the block.
    if not indent and isinstance(b, _BLOCKS) and isinstance(a, _PLAIN) and not _is_string(a):
        return min(len(gap), 2)
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _ends_in_stub(node: ast.stmt) -> str | None:
    """"def" or "class" when the statement's last line is a definition whose body is `...`
    (black writes it on one line, and what follows depends on the user's blank lines).
    Only the statements ending on that line are looked at: the last of each block down."""
    end = node.end_lineno
    current: ast.AST | None = node
    while current is not None:
        if isinstance(current, _DEFS) and len(current.body) == 1:
            only = current.body[0]
            if isinstance(only, ast.Expr) and isinstance(only.value, ast.Constant) and only.value.value is Ellipsis:
                return "class" if isinstance(current, ast.ClassDef) else "def"
        last: Any = None
        for field in ("body", "handlers", "orelse", "finalbody", "cases"):
            block = getattr(current, field, None)
            if field == "cases" and block:  # a match_case has no position: its last statement
                block = block[-1].body
            if isinstance(block, list) and block and (last is None or block[-1].end_lineno >= last.end_lineno):
                last = block[-1]
        current = last if last is not None and last.end_lineno == end else None
    return None
