"""Pieces black would leave as they are (but for quotes), recognised without running black.

A piece (generator/chunks.py) is in black's layout when each statement is one of:

- `class Name(Base, ...):` at module level with a one-line docstring and nothing else (the
  docstring's text without backslashes, quotes at its ends or surrounding spaces);
- a one-line simple statement of names, decimal numbers as repr() writes them (`-1`,
  `0.25`, `1e-05`: black's own spelling of them), plain strings without
  backslashes, calls, subscripts, displays, `|`, `.`, `,`, `:` and `=`, spaced exactly as
  black spaces them: black has nothing to split, nothing to move, and makes single-quoted
  strings double-quoted (`normalize_string_quotes`, for a body with no quote or backslash);
- a bare triple-quoted string statement without backslashes: first in a def's body it must
  already be what black's docstring rule makes of it; elsewhere (an attribute docstring)
  black changes nothing in it, however long (there is no bracket to split at);
- a decorator, and a def whose parameters stand one a line, at least two, each ending in a
  comma (black's left-hand split keeps `def name(` and `) -> T:` and sends each parameter
  through its rules alone), or whose def line fits with one parameter at most; then its body.

Nothing may follow a def in its block, and no blank line stand inside the piece (trailing
ones are dropped, as black drops them): black's blank lines are left to chunks.py. A line in
that language that is too long is a Hole: black must split it, and does so for the line
alone (format.py gives it black with other holes of its kind). Anything else (comments,
grouping parentheses, slices, dict displays, operators, keywords, trailing commas, tabs,
non-ASCII code) sends the piece to black. tests/test_layout.py compares with black every
piece this module settles in the golden clients and corpus samples.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from functools import lru_cache

from generator import layout_split
from generator.chunks import WRAPPERS, depth_of
from generator.format import LINE_LENGTH

_TOKEN = re.compile(
    r"""(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e-?[0-9]+)?)"""
    r"""|(?P<string>'[^'"\\\n]*'|"[^'"\\\n]*"|"[^"\\\n]*"|'[^'\\\n]*')"""
    r"""|(?P<op>[\[\](){},:=|.])|(?P<space> )"""
)
_OPEN, _CLOSE = "([{", ")]}"
_KEYWORDS = frozenset(keyword.kwlist) - {"None", "True", "False"}
_CLASS_LINE = re.compile(r"class ([A-Za-z_][A-Za-z0-9_]*)(\((.*)\))?:")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DEF = re.compile(r"(async )?def ([A-Za-z_][A-Za-z0-9_]*)\((.*)")
_TAIL = re.compile(r"\)(?: -> (.+?))?:( \.\.\.)?")
_RETURNS = ("return ", "return await ")
_DOCSTRING = re.compile(r'"""([^"\\\s]|[^"\\\s][^"\\\n]*[^"\\\s])"""')


@dataclass(frozen=True)
class Hole:
    """A line in the token language too long to stand: black splits it, and splits it the
    same in any statement list (kind "statement") or parameter list ("parameter") at the
    same indent, as it formats each statement, and each parameter of a def split one a
    line, on its own. format.py has black format holes many at a time (combine.py)."""

    kind: str
    indent: int
    text: str


def settled(source: str) -> str | None:
    """black's output for `source` when it is sure to be `source` with its quotes made
    double and its trailing blank lines dropped; None when black must look."""
    lines = shaped(source)
    if lines is None or any(isinstance(line, Hole) for line in lines):
        return None
    return "\n".join(map(str, lines)) + "\n"


def shaped(source: str) -> list[str | Hole] | None:
    """black's output for `source`, a line at a time, but for the holes black must fill."""
    text = source.rstrip("\n")
    depth = depth_of(source)
    head = WRAPPERS[depth]
    lines = text[len(head) :].split("\n")
    if not text or not lines[0]:
        return None
    if not depth and lines[0].startswith("class "):
        klass = _class_lines(lines[0])
        if klass is None or len(lines) < 2 or lines[1][:4] != "    ":
            return None
        if lines[1][4:].startswith(("'", '"')):  # a docstring, alone (chunks.py cuts after it)
            if len(lines) == 2 and _DOCSTRING.fullmatch(lines[1][4:]):
                return [*klass, lines[1]]
            end = _string_statement_end(lines, 1, 4) if lines[1][4:].startswith('"""') else None
            value = "\n".join(lines[1:]) if end == len(lines) else ""
            return [*klass, *lines[1:]] if value and _docstring(value[4:], "    ") == value[4:] else None
        body: list[str | Hole] = [*klass]  # fields first: no blank line before them
        return body if _block(lines, 1, "    ", body, first=False) == len(lines) else None
    out: list[str | Hole] = [line for line in head.split("\n") if line]
    if not depth:
        return out if layout_blocks.module(lines, out) else None
    # A string first in the piece would be a docstring to black, with blank lines after it.
    if lines[0].lstrip().startswith(("'", '"')) or _block(lines, 0, "    " * depth, out, first=True) != len(lines):
        return None
    return out


def _block(lines: list[str], index: int, indent: str, out: list[str | Hole], first: bool) -> int:
    """Statements at `indent` from `index` on, respelt into `out`; the index of the first
    line not taken (a line of another indent ends the block)."""
    after_def = after_import = False
    while index < len(lines):
        line = lines[index]
        if not line and after_import and index + 1 < len(lines) and _plain_after_import(lines[index + 1], indent):
            out.append("")  # black keeps one blank line after an import in a block (at most one there)
            index, after_import = index + 1, False
            line = lines[index]
        if not line.startswith(indent) or line[len(indent) : len(indent) + 1] in ("", " ") or after_def:
            return index  # a blank line, the end of the block, or what black puts blank lines before
        if after_import and not line[len(indent) :].startswith(("import ", "from ")):
            return index  # black puts a blank line between
        taken = _statement_lines(lines, index, indent, out, first)
        if taken is None:
            return index
        after_def = line[len(indent) :].startswith(("def ", "async def "))
        after_import = bool(indent) and line[len(indent) :].startswith(("import ", "from "))
        index, first = taken, False
    return index


def _plain_after_import(line: str, indent: str) -> bool:
    """Whether `line` is a simple statement of the block at `indent` (not an import, a
    definition, a comment or a string), before which black keeps the user's one blank line
    after an import (`EmptyLineTracker`: `before or 1`, at most 1 inside a block)."""
    body = line[len(indent) :]
    return line.startswith(indent) and body[:1] not in ("", " ", "#", "'", '"', "@") and not body.startswith(
        ("import ", "from ", "def ", "async def ", "class "))


def _statement_lines(lines: list[str], index: int, indent: str, out: list[str | Hole], first: bool) -> int | None:
    body = lines[index][len(indent) :]
    if body.startswith('"""'):
        end = _string_statement_end(lines, index, len(indent))
        if end is None:
            return None
        value = "\n".join(lines[index:end])[len(indent) :]
        if first and _docstring(value, indent) != value:  # first in its block: a docstring
            return None
        out.extend(lines[index:end])
        return end
    if body.startswith("@"):
        code, comment = layout_blocks.comment(body)
        expression = _statement(code[1:])
        if expression is None or "=" in expression or len(lines[index]) > LINE_LENGTH or not body.isascii():
            return None
        out.append(f"{indent}@{expression}{comment}")
        return index + 1
    if body.startswith(("def ", "async def ")):
        return _function(lines, index, indent, out)
    if body.startswith(("import ", "from ")):
        return layout_blocks.import_lines(lines, index, indent, out)
    if body[-1] in "([{":
        return layout_blocks.exploded(lines, index, indent, out, "")
    if body.startswith(_RETURNS) and indent:  # `return X` that fits: black keeps it as it is
        prefix = _RETURNS[1] if body.startswith(_RETURNS[1]) else _RETURNS[0]
        returned = _statement(body[len(prefix) :]) if body.isascii() and len(lines[index]) <= LINE_LENGTH else None
        if returned is None:
            return None
        out.append(indent + prefix + returned)
        return index + 1
    normal = _statement(body) if body.isascii() else None  # width: one column a character
    if normal is None:
        return layout_blocks.commented(lines, index, indent, out)
    out.extend([indent + normal] if len(lines[index]) <= LINE_LENGTH else _hole("statement", len(indent), normal))
    return index + 1


def _function(lines: list[str], index: int, indent: str, out: list[str | Hole]) -> int | None:
    """A def whose parameters stand one a line with a trailing comma (black's left-hand
    split keeps `def name(` and `) -> T:` and puts each parameter, a line each, through
    its rules again), or whose def line fits with one parameter at most; then its body,
    one level in."""
    line = lines[index]
    match = _DEF.fullmatch(line[len(indent) :])
    if match is None or match.group(2) in _KEYWORDS or not line.isascii():
        return None
    start = len(out)
    if len(line) > LINE_LENGTH:  # black splits only a def without parameters here
        tail = _tail(match.group(3)) if match.group(3).startswith(")") else None
        split = None if tail is None else layout_split.bare_returns(line[: line.index("(") + 1], tail)
        if split is None:
            return None
        out.extend(split)
        return _body_after(lines, index + 1, indent, out, start)
    rest = match.group(3)
    if rest == "":  # parameters one a line
        out.append(line)
        index += 1
        while index < len(lines) and lines[index].startswith(indent + "    "):
            parameter = _parameter(lines[index][len(indent) + 4 :])
            if parameter is None or not lines[index].isascii():
                return _undo(out, start)
            short = len(lines[index]) <= LINE_LENGTH
            out.extend([f"{indent}    {parameter}"] if short else _hole("parameter", len(indent) + 4, parameter))
            index += 1
        # one parameter and a comma is no magic trailing comma to black: at least two
        tail = _tail(lines[index][len(indent) :]) if index < len(lines) and len(out) - start > 2 else None
        tails = None if tail is None else [indent + tail] if len(indent) + len(tail) <= LINE_LENGTH else (
            layout_split.returns(len(indent), tail))
        if tails is None:
            return _undo(out, start)
        out.extend(tails)
    else:
        parameter, _, after = rest.partition(")")
        tail = _tail(")" + after)
        if tail is None or parameter and not _NAME.fullmatch(parameter):
            return None
        out.append(f"{line[: line.index('(') + 1]}{parameter}{tail}")
    return _body_after(lines, index + 1, indent, out, start)


def _body_after(lines: list[str], index: int, indent: str, out: list[str | Hole], start: int) -> int | None:
    if str(out[-1]).endswith(": ..."):
        return index
    after_body = _block(lines, index, indent + "    ", out, first=True)
    return after_body if after_body > index else _undo(out, start)


def _hole(kind: str, indent: int, text: str) -> list[str | Hole]:
    """black's lines for a line too long, where layout_split.py knows them; else a Hole."""
    lines = layout_split.split(kind, indent, text)
    return [Hole(kind, indent, text)] if lines is None else list(lines)


def _undo(out: list[str | Hole], start: int) -> int | None:
    del out[start:]
    return None


def _parameter(text: str) -> str | None:
    if text == "*,":
        return text
    if not text.endswith(",") or text.startswith("*"):
        return None
    respelt = _statement(text[:-1])
    if respelt is None:
        return None
    return respelt + ","


def _tail(text: str) -> str | None:
    """`) -> T:` or `):`, with ` ...` for a stub, respelt; None if not black's."""
    match = _TAIL.fullmatch(text)
    if match is None:
        return None
    returns = match.group(1)
    if returns is not None:
        returns = _statement(returns)
        if returns is None or "=" in returns:
            return None
    return ")" + (f" -> {returns}" if returns else "") + ":" + (match.group(2) or "")


def _docstring(value: str, indent: str) -> str | None:
    """black's docstring rule (linegen.visit_STRING) for a triple-double-quoted string
    without prefix or backslash, first in its block at `indent`."""
    from black.strings import fix_multiline_docstring

    body = value[3:-3]
    if not body:
        return value
    body = fix_multiline_docstring(body, indent) if "\n" in value else body.strip()
    if not body:
        return None  # black writes one space
    if body[0] == '"':
        body = " " + body
    if body[-1] == '"':
        body += " "
    lines = body.splitlines()
    last = len(lines[-1]) if not body.endswith("\n") else 0
    if len(lines) > 1 and last + 3 > LINE_LENGTH:
        return None  # black moves the closing quotes, depending on the source
    return '"""' + body + '"""'


def _string_statement_end(lines: list[str], index: int, indent: int) -> int | None:
    """The line after a triple-quoted string statement starting at `index`, or None when
    it holds a backslash or does not end its line."""
    body = lines[index][indent + 3 :]
    at = index
    while True:
        if "\\" in body:
            return None
        close = body.find('"""')
        if close >= 0:
            return at + 1 if close + 3 == len(body) else None
        at += 1
        if at >= len(lines):
            return None
        body = lines[at]


def _class_lines(line: str) -> list[str] | None:
    """The class line, or black's split of it when too long: its bases on a line of their
    own (the right-hand split at its parentheses, no comma added), when they fit there."""
    match = _CLASS_LINE.fullmatch(line)
    if match is None or match.group(1) in _KEYWORDS or not line.isascii():
        return None
    if match.group(2) is None or match.group(3) == "":
        return None  # black drops empty parentheses; no bases: rare, left to black
    args = _statement(match.group(3))
    if args is None or "=" in args or ":" in args:
        return None
    head = f"class {match.group(1)}("
    if len(head) + len(args) + 2 <= LINE_LENGTH:
        return [f"{head}{args}):"]
    if 4 + len(args) > LINE_LENGTH:
        return None  # the head may be too long: black has no other bracket to split at
    return [head, f"    {args}", "):"]


@lru_cache(maxsize=1 << 16)  # the same lines recur in every method and model (signature tails, fields)
def _statement(body: str, inside: str = "") -> str | None:
    """`body` with double quotes when it is spelt as black spells it; else None. `inside`:
    the bracket an item of an exploded bracket stands in (layout_blocks.exploded)."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    for match in _TOKEN.finditer(body):
        if match.start() != pos:
            return None  # a character outside the language
        pos = match.end()
        kind = match.lastgroup or ""
        tokens.append((kind, match.group()))
    if pos != len(body):
        return None
    return _respell(tokens, inside)


def _respell(tokens: list[tuple[str, str]], inside: str = "") -> str | None:
    """Rebuild the statement with black's spacing; None unless the spacing was black's."""
    out: list[str] = []
    stack = [inside] if inside else []
    commas = [-1] * len(stack)  # a tuple's commas so far, for each bracket open (-1: no tuple)
    previous = ("op", inside) if inside else ("", "")
    spaced = False  # a space stood before the current token
    for kind, text in tokens:
        if kind == "space":
            if spaced:
                return None
            spaced = True
            continue
        expected = _space_before(previous, (kind, text), len(stack))
        if expected is None and text == ")" and previous[1] == "," and not spaced and commas and commas[-1] == 1:
            expected = False  # a one-tuple `(x,)`: black keeps its comma, which is not magic
        if expected is None or expected != spaced:
            return None
        if kind == "name" and text in _KEYWORDS:
            return None
        if kind == "string" and text[0] == "'" and '"' not in text:
            text = '"' + text[1:-1] + '"'
        if kind != "op":
            pass
        elif text in _OPEN:
            stack.append(text)
            tuple_ = text == "(" and previous[0] != "name" and previous[1] not in _CLOSE  # no call
            commas.append(0 if tuple_ else -1)
        elif text in _CLOSE:
            if not stack or _CLOSE.index(text) != _OPEN.index(stack.pop()) or len(stack) < bool(inside):
                return None
            commas.pop()
        elif text == ":" and stack and (stack[-1] != "{" or previous[1] == "{"):
            return None  # a slice or a lambda: black's spacing rules vary (a dict's are plain)
        elif text == "," and not stack:
            return None  # a bare tuple
        elif text == "," and commas[-1] >= 0:
            commas[-1] += 1
        out.append(" " * spaced + text)
        previous, spaced = (kind, text), False
    if len(stack) != bool(inside) or spaced or previous[1] in (",", "=", ":", "|", "."):
        return None
    return "".join(out)


def _space_before(previous: tuple[str, str], current: tuple[str, str], depth: int) -> bool | None:
    """Whether black puts a space between the two tokens; None where it is not sure here."""
    pkind, ptext = previous
    kind, text = current
    if not pkind:
        return False if kind in ("name", "number", "string") else None
    if text == "(" and kind == "op" and pkind != "name" and ptext not in _CLOSE:
        # inside brackets black keeps parentheses (tuples); at statement level it may drop them
        return ptext in (",", ":") if depth and ptext in (",", ":", "=", *_OPEN) else None
    if kind == "op" and text in _CLOSE:
        return None if ptext == "," else False  # a trailing comma is magic to black (see _respell)
    if ptext == "," or ptext == "|" or text == "|":
        return True
    if text == "=":  # at depth 0 an assignment, inside brackets a keyword argument
        # (a string before it at depth 0: a quoted annotation, `x: "T" = v`)
        return not depth if pkind == "name" or (not depth and (ptext in _CLOSE or pkind == "string")) else None
    if ptext == "=":
        return not depth
    if ptext == ":":
        return True
    if text in (",", ":"):
        return False
    if text == ".":
        return False if pkind in ("name", "string") or ptext in _CLOSE else None
    if ptext == ".":
        return False if kind == "name" else None
    if text == "(":
        return False if pkind == "name" or ptext in _CLOSE else None  # calls only
    if kind == "op" and text in "[{":
        if pkind == "name" or ptext in _CLOSE:
            return False if text == "[" else None
        return False if ptext in _OPEN else None
    if pkind == "op" and ptext in _OPEN:
        return False
    return None  # two names, a string after a string: not ours


from generator import layout_blocks  # last: it builds on the rules above
