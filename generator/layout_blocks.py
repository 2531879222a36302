"""More of black's layout recognised without black (generator/layout.py): exploded brackets,
trailing comments, and a module's first piece (comments, docstring, imports, blank lines).

- An exploded bracket: a line ending in `(`, `[` or `{`, then its items one a line one level
  in, each ending in a comma (an item may itself be an exploded bracket), then the closing
  bracket alone at the first line's indent (with a comma when it is an item). That comma
  after the last item is magic to black (`Line.has_magic_trailing_comma`) when the bracket
  is a brace, a list, an import's parentheses, or holds at least two items (one item and a
  comma in parentheses or a subscript is a one-tuple or an index, which black may join):
  black then splits at that bracket, one item a line, as it stands. The first line must fit
  and end in the only bracket it leaves open; each item must fit on its line.
- A trailing comment (`code  # text`) on a line that fits, spelt as black spells it.
- At module level (a piece of depth 0): comment lines first, a module docstring, imports
  (`import a.b`, `from .x import a, b`, an import's names exploded), simple statements (one
  too long is a hole: black splits a statement the same wherever it stands, as layout.py's
  holes in blocks), triple-quoted strings after the first statement (no docstring to black:
  it leaves them as they are), and
  `if NAME:` blocks of simple statements, with blank lines black keeps as they are: none
  inside a block or between comment lines; exactly one after the docstring and after the
  last import before other code (black's rule); else at most two.
"""

from __future__ import annotations

import re

from generator import layout, layout_split

_CLOSER = {"(": ")", "[": "]", "{": "}"}
_COMMENT = re.compile(r"  # [ -~]*[!-~]")
_DOTTED = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
_ALIAS = r"[A-Za-z_][A-Za-z0-9_]*(?: as [A-Za-z_][A-Za-z0-9_]*)?"
_IMPORT = re.compile(rf"import {_DOTTED}(?: as [A-Za-z_][A-Za-z0-9_]*)?|from (?:\.*{_DOTTED}|\.+) import {_ALIAS}(?:, {_ALIAS})*")
_FROM = re.compile(rf"from (?:\.*{_DOTTED}|\.+) import \(")
_IF = re.compile(rf"if (?:not )?{_DOTTED}:")
_NAME_ITEM = re.compile(_ALIAS + ",")
_RETURN = "return "
_RETURN_AWAIT = "return await "


def comment(line: str) -> tuple[str, str]:
    """(code, trailing comment) of a line, the comment "" when there is none black keeps
    as it is; a `#` inside a string is no comment (the code must then fail to tokenize)."""
    at = line.find("  # ")
    while at > 0:
        if _COMMENT.fullmatch(line, at) and not line[at + 4 :].startswith(("type:", "fmt:", "yapf:")):
            code = line[:at]
            if code.count('"') % 2 == 0 and code.count("'") % 2 == 0:
                return code, line[at:]
        at = line.find("  # ", at + 1)
    return line, ""


def commented(lines: list[str], index: int, indent: str, out: list[str | layout.Hole]) -> int | None:
    """A one-line simple statement with a trailing comment, on a line that fits."""
    line = lines[index]
    code, note = comment(line[len(indent) :])
    if not note or len(line) > layout.LINE_LENGTH or not line.isascii():
        return None
    normal = layout._statement(code)
    if normal is None:
        return None
    out.append(indent + normal + note)
    return index + 1


def exploded(lines: list[str], index: int, indent: str, out: list[str | layout.Hole], suffix: str,
             inside: str = "") -> int | None:
    """An exploded bracket from `index` (see the module docstring); its closing line ends in
    `suffix` ("," for an item). The index after it, with its lines respelt into `out`."""
    line = lines[index]
    opener = line[-1]
    if len(line) > layout.LINE_LENGTH or not line.isascii():
        return None
    head = _head(line[len(indent) : -1], opener, inside)
    if head is None:
        return None
    start = len(out)
    out.append(indent + head + opener)
    inner = indent + "    "
    index += 1
    if suffix and opener == "(" and _indexes(head):
        hugged = _hugged(lines, index, indent, head, suffix)
        if hugged is not None:
            out += hugged
            return index + 2
    count = 0
    while index < len(lines) and lines[index].startswith(inner) and lines[index][len(inner) : len(inner) + 1] not in ("", " "):
        taken = _item(lines, index, inner, out, opener)
        if taken is None:
            return layout._undo(out, start)
        index, count = taken, count + 1
    closing = _CLOSER[opener] + suffix
    magic = count >= 2 or count == 1 and (opener == "{" or opener == "[" and not _indexes(head))
    if count == 1 and opener == "(" and (len(out) == start + 2 or suffix):
        # One item and a comma in parentheses is no magic comma, but black splits there
        # all the same when the joined line is too long (the last bracket, its head fits);
        # an item black splits itself is too long at one level out too.
        joined = len(indent) + len(head) + len(str(out[-1]).lstrip()) + 2 + len(suffix)
        magic = len(out) > start + 2 or joined > layout.LINE_LENGTH
    if not magic or index >= len(lines) or lines[index] != indent + closing:
        return layout._undo(out, start)
    out.append(indent + closing)
    return index + 1


def _hugged(lines: list[str], index: int, indent: str, head: str, suffix: str) -> list[str | layout.Hole] | None:
    """A call, an item of an exploded bracket, too long for its line, split by black at its
    parentheses with its arguments on one line (they fit there, no trailing comma: black's
    right-hand split of the item keeps them so, `linegen.should_split_line`)."""
    inner = indent + "    "
    if index + 1 >= len(lines) or lines[index + 1] != indent + ")" + suffix:
        return None
    line = lines[index]
    body = line[len(inner) :] if line.startswith(inner) else ""
    if not body or body[0] == " " or body.endswith(",") or len(line) > layout.LINE_LENGTH or not line.isascii():
        return None
    normal = layout._statement(body, "(")
    if normal is None or len(indent) + len(head) + len(normal) + 2 + len(suffix) <= layout.LINE_LENGTH:
        return None  # black would join it
    return [inner + normal, indent + ")" + suffix]


def _item(lines: list[str], index: int, indent: str, out: list[str | layout.Hole], inside: str) -> int | None:
    body = lines[index][len(indent) :]
    if body[-1] in _CLOSER:
        return exploded(lines, index, indent, out, ",", inside)
    if not body.endswith(",") or not body.isascii():
        return None
    normal = layout._statement(body[:-1], inside)
    if normal is None:
        return None
    if len(lines[index]) > layout.LINE_LENGTH:
        # black splits it as any line inside brackets: at its delimiters, then its last bracket
        # (an item with neither, a name or a string, it leaves long)
        split = layout_split.inside(len(indent), normal + ",")
        if split is None:
            return None
        out.extend(split)
        return index + 1
    out.append(f"{indent}{normal},")
    return index + 1


def _head(text: str, opener: str, inside: str) -> str | None:
    """The first line of an exploded bracket, respelt without its opening bracket."""
    prefix = ""
    if text.startswith(_RETURN_AWAIT) and not inside:
        prefix, text = _RETURN_AWAIT, text[len(_RETURN_AWAIT) :]
    elif text.startswith(_RETURN) and not inside:
        prefix, text = _RETURN, text[len(_RETURN) :]
    elif inside and text.endswith("=lambda: "):  # a keyword argument's lambda: `f=lambda: {`
        respelt = layout._statement(text[: -len("lambda: ")] + "x", inside)
        return None if respelt is None else respelt[:-1] + "lambda: "
    if not text:
        return None if prefix or not inside else ""
    if opener == "(" and inside and (not text or text.endswith(("=", ": "))):
        # a tuple as an item, a keyword argument's or a dict value: parentheses black keeps
        respelt = layout._statement(text + "x", inside) if text else ""
        return None if respelt is None or not respelt.endswith("x") and text else prefix + respelt[:-1]
    respelt = layout._statement(text + opener + _CLOSER[opener], inside)
    if respelt is None or not respelt.endswith(opener + _CLOSER[opener]):
        return None
    return prefix + respelt[:-2]


def _indexes(head: str) -> bool:
    """Whether `[` after `head` is a subscript (a name or a closing bracket before it)."""
    return bool(head) and (head[-1].isalnum() or head[-1] in "_)]}")


def module(lines: list[str], out: list[str | layout.Hole]) -> bool:
    """A piece of depth 0 (see the module docstring) respelt into `out`."""
    index = 0
    while index < len(lines) and lines[index].startswith("#"):
        if not (lines[index] == "#" or _COMMENT.fullmatch("  " + lines[index])) or not lines[index].isascii():
            return False  # a comment black respells (`#x`, trailing spaces) or a shebang
        out.append(lines[index])
        index += 1
    previous = ""  # "doc", "import", "" (any other statement) or "start"
    if index < len(lines) and lines[index].startswith('"""'):
        end = layout._string_statement_end(lines, index, 0)
        if end is None:
            return False
        value = "\n".join(lines[index:end])
        if layout._docstring(value, "") != value:
            return False
        out.extend(lines[index:end])
        index, previous = end, "doc"
    elif index < len(lines) and lines[index].startswith(("'", '"')):
        return False
    else:
        previous = "start"
    while index < len(lines):
        blank = 0
        while index < len(lines) and not lines[index]:
            blank += 1
            index += 1
        if index == len(lines):
            break  # trailing blank lines: black drops them (chunks.py puts the right count)
        is_import = _is_import(lines[index])
        if not _blank_kept(previous, is_import, blank):
            return False
        out.extend([""] * blank)
        taken = _top_statement(lines, index, out)
        if taken is None:
            return False
        index, previous = taken, "import" if is_import else ""
    return True


def _blank_kept(previous: str, is_import: bool, blank: int) -> bool:
    if previous == "start":
        return blank == 0
    if previous == "doc":
        return blank == 1
    if previous == "import" and not is_import:
        return blank == 1
    return blank <= 2


def _is_import(line: str) -> bool:
    return line.startswith(("import ", "from "))


def _top_statement(lines: list[str], index: int, out: list[str | layout.Hole]) -> int | None:
    line = lines[index]
    if line.startswith('"""'):  # not first (module() takes a docstring): black leaves it as it is
        end = layout._string_statement_end(lines, index, 0)
        if end is not None:
            out.extend(lines[index:end])
        return end
    if line.startswith((" ", "#", "'", '"', "class ")):
        return None  # definitions are pieces of their own (chunks.py)
    if _is_import(line):
        return import_lines(lines, index, "", out)
    if line.startswith(("@", "def ", "async def ")):
        end = layout._block(lines, index, "", out, first=False)
        return end if end == len(lines) else None  # a definition ends its piece (chunks.py)
    code, _ = comment(line)
    if _IF.fullmatch(code):
        if len(line) > layout.LINE_LENGTH or not line.isascii():
            return None
        start = len(out)
        out.append(line)
        end = layout._block(lines, index + 1, "    ", out, first=False)
        body = lines[index + 1 : end]
        if end == index + 1 or any(b.lstrip().startswith(("def ", "async ", "@", "class ")) for b in body):
            return layout._undo(out, start)  # an empty block, or one with definitions (black's blank lines around them)
        return end
    return layout._statement_lines(lines, index, "", out, first=False)


def import_lines(lines: list[str], index: int, indent: str, out: list[str | layout.Hole]) -> int | None:
    """An import on one line, or a `from` import with its names exploded."""
    line = lines[index]
    if len(line) > layout.LINE_LENGTH or not line.isascii():
        return None
    if _IMPORT.fullmatch(line, len(indent)):
        out.append(line)
        return index + 1
    if not _FROM.fullmatch(line, len(indent)):
        return None
    start = len(out)
    out.append(line)
    index += 1
    count = 0
    inner = indent + "    "
    while index < len(lines) and lines[index].startswith(inner):
        if not _NAME_ITEM.fullmatch(lines[index], len(inner)):  # a name too long stays: no bracket
            return layout._undo(out, start)
        out.append(lines[index])
        index, count = index + 1, count + 1
    if not count or index >= len(lines) or lines[index] != indent + ")":
        return layout._undo(out, start)
    out.append(indent + ")")
    return index + 1
