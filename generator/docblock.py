"""Docstrings rendered as black writes them (render.py's `docstring_at` filter), so that the
formatter's fast path (layout.py) takes the piece holding them instead of running black.

black's docstring rule (linegen `visit_STRING`, strings `fix_multiline_docstring`) for the
first string of a block at `indent`: the first line stripped, the common indentation of
the other lines replaced by the block's, trailing spaces dropped, a space put between the
text and a quote at either end, and the closing quotes on a line of their own when the last
line with them would be too long. An operation whose docstring starts with `Args:` has its
argument lines indented one level more than `Args:`, so black moves them: they are written
here where black puts them. Text with a backslash or a tab is left as the template wrote
it (black's rule there depends on escapes and tab stops): black still formats it.
"""

from __future__ import annotations

import re
import sys

from generator.format import LINE_LENGTH

_LINE_BREAK = re.compile(r"\r\n|[\r\n]")


def at(text: str, indent: int) -> str:
    """What stands between the triple quotes of a docstring at `indent` whose text is
    `text` (already escaped, docstring_body), in black's layout; as Jinja's indent() writes
    it where black's rule would not give the same again (black then formats it)."""
    from jinja2.filters import do_indent

    pad = " " * indent
    written = do_indent(text, indent)  # exactly what the template wrote before (blank lines bare)
    if "\\" in text or "\t" in text:
        return written
    once = _rule(written, pad)
    return once if once is not None and _rule(once, pad) == once else written


def _rule(written: str, pad: str) -> str | None:
    """black's docstring rule once, or None where it is not written here."""
    if not written:
        return None
    body = _fix_multiline(written, pad) if "\n" in written else written.strip()
    if not body:
        return None  # black writes a single space
    if body[0] == '"':
        body = " " + body
    if body[-1] == '"':
        body += " "
    lines = body.splitlines()
    last = len(lines[-1]) if not body.endswith("\n") else 0
    if len(lines) > 1 and last + 3 > LINE_LENGTH and len(pad) + 3 <= LINE_LENGTH:
        return body if written.endswith("\n") else body + "\n" + pad
    return body


def _fix_multiline(docstring: str, prefix: str) -> str:
    """black.strings.fix_multiline_docstring, for text without tabs."""
    lines = _LINE_BREAK.split(docstring)
    indent = sys.maxsize
    for line in lines[1:]:
        stripped = line.lstrip()
        if stripped:
            indent = min(indent, len(line) - len(stripped))
    trimmed = [lines[0].strip()]
    if indent < sys.maxsize:
        last = len(lines) - 2
        for index, line in enumerate(lines[1:]):
            stripped = line[indent:].rstrip()
            trimmed.append(prefix + stripped if stripped or index == last else "")
    return "\n".join(trimmed)
