"""Cut a Python module into pieces black formats alone, and glue black's pieces back.

black's output for a module is the concatenation of its output for each piece, joined by
the blank lines black puts between them, provided the cuts stand where black's blank-line
rule does not look at what the user wrote (black's `EmptyLineTracker`, non-stub mode):

- before a `def`/`class`/decorator that is not the first statement of its block, after a
  statement whose last line is not a one-line stub (`def f(): ...`, where black keeps the
  user's count): black puts 2 blank lines at module level, 1 inside a class;
- after a `def`/`class` (same stub proviso), before any statement that is not a bare string
  (which, first in a piece, black would take for a module docstring): 2 and 1 again;
- nothing but blank lines between the two statements (no comment to attach to either).

Cuts are made at module level and between the statements of a module-level class (such a
piece is formatted inside a stand-in `class _C:` line, then that line is dropped). A module
with form feeds, carriage returns, tabs or `fmt:` directives is not cut. tests/test_format.py
compares the glued result with black's output for whole files.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass

WRAPPER = "class _C:\n"
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Piece:
    text: str
    depth: int  # 0: module level; 1: inside a class (formatted under WRAPPER)
    blank_before: int  # blank lines black puts before it (0 for the first piece)

    @property
    def source(self) -> str:
        """What black is given."""
        return WRAPPER + self.text if self.depth else self.text


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
    starts: list[tuple[int, int, int]] = []  # (0-based first line, depth, blank lines before)
    body = module.body
    for index, node in enumerate(body):
        if index and _cuttable(body[index - 1], node, lines, 0):
            starts.append((_first_line(node) - 1, 0, 2))
        if isinstance(node, ast.ClassDef):
            inner = node.body
            starts += [
                (_first_line(b) - 1, 1, 1)
                for a, b in itertools.pairwise(inner)
                if _cuttable(a, b, lines, 4)
            ]
    return _pieces(lines, starts) if starts else whole


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
        if piece.depth:
            if not text.startswith(WRAPPER):
                return None
            text = text[len(WRAPPER) :]
        if out:
            out.append("\n" * piece.blank_before)
        out.append(text)
    return "".join(out)


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None) or []
    return min([node.lineno, *(d.lineno for d in decorators)])


def _cuttable(a: ast.stmt, b: ast.stmt, lines: list[str], indent: int) -> bool:
    start, end = _first_line(b), a.end_lineno or a.lineno
    if start <= end or _indent(lines[start - 1]) != indent:
        return False
    if any(line.strip() for line in lines[end : start - 1]):
        return False  # a comment between them: black may move blank lines around it
    if _ends_in_stub(a):
        return False
    if isinstance(b, _DEFS):
        return True
    string = isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant) and isinstance(b.value.value, str | bytes)
    return isinstance(a, _DEFS) and not string


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _ends_in_stub(node: ast.stmt) -> bool:
    """Is the statement's last line a definition whose body is `...` (black writes it on
    one line and keeps the user's 0 or 1 blank lines after it)? Classes too, to be safe."""
    end = node.end_lineno
    for sub in ast.walk(node):
        if isinstance(sub, _DEFS) and sub.end_lineno == end and len(sub.body) == 1:
            only = sub.body[0]
            if isinstance(only, ast.Expr) and isinstance(only.value, ast.Constant) and only.value.value is Ellipsis:
                return True
    return False
