"""Many pieces in one black call: black's cost is largely per call, pieces are small.

Pieces of one depth are written one after the other, a marker statement between each two
(`_clientgen_cut_ = 0`, under the one stand-in head of their depth, chunks.WRAPPERS), and
black's output is cut at the markers again. black formats each logical line on its own,
so a piece comes out as it would alone; only blank lines look at the line before, and a
piece's first line never starts with a string (chunks.py does not cut there), so the blank
lines around each marker, the only ones that can differ, are dropped. Pieces holding a
comment line first or last (black attaches a comment to the statement after it, here a
marker) or the marker's name are formatted alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from generator.chunks import WRAPPERS, depth_of

MARK = "_clientgen_cut_ = 0"
UNIT_BYTES = 40_000  # code per black call: large enough to amortise black's start-up
_STRING_FIRST = re.compile(r"[rRbBuUfF]*['\"]")


def units(texts: list[str]) -> list[list[str]]:
    """The pieces grouped into black calls: combinable pieces of one depth together."""
    groups: dict[int, list[list[str]]] = {depth: [] for depth in range(len(WRAPPERS))}
    alone: list[list[str]] = []
    sizes = dict.fromkeys(groups, UNIT_BYTES)
    for text in texts:
        depth = depth_of(text)
        if not _combinable(text, depth):
            alone.append([text])
            continue
        if sizes[depth] + len(text) > UNIT_BYTES:
            groups[depth].append([])
            sizes[depth] = 0
        groups[depth][-1].append(text)
        sizes[depth] += len(text)
    return [unit for depth in groups for unit in groups[depth]] + alone


def _combinable(text: str, depth: int) -> bool:
    body = text[len(WRAPPERS[depth]) :]
    if "_clientgen_cut_" in text or _STRING_FIRST.match(body.lstrip()):
        return False
    if "#" not in text:
        return True
    # A comment line first or last would stand next to a marker (black attaches a comment
    # to the statement after it, and moves blank lines around comments before a def);
    # one between statements of the piece is the piece's own. (A line of a string that
    # starts with `#` counts as a comment here: only ever a piece formatted alone.)
    lines = [stripped for line in body.splitlines() if (stripped := line.strip())]
    return not lines[0].startswith("#") and not lines[-1].startswith("#")


def format_unit(unit: list[str], black: Callable[[str], str]) -> list[str] | None:
    """black's output for each piece of `unit` through one call of `black` (None: the
    output did not come apart as expected; the caller formats the pieces alone)."""
    if len(unit) == 1:
        return [black(unit[0])]
    depth = depth_of(unit[0])
    head = WRAPPERS[depth]
    parts = [head]
    for index, text in enumerate(unit):
        if index:
            parts.append("    " * depth + MARK + "\n")
        parts.append(text[len(head) :].rstrip("\n") + "\n")
    return separate(black("".join(parts)), len(unit), depth)


def separate(output: str, count: int, depth: int) -> list[str] | None:
    head = WRAPPERS[depth]
    if not output.startswith(head):
        return None
    body = output[len(head) :]
    marker = "    " * depth + MARK + "\n"
    segments: list[list[str]] = [[]]
    for line in body.splitlines(keepends=True):
        if line == marker:
            segments.append([])
        else:
            segments[-1].append(line)
    if len(segments) != count:
        return None
    return [head + "".join(lines).strip("\n") + "\n" for lines in segments]


def _nest(depth: int) -> str:
    """Stand-in lines that put what follows at `depth` (4 columns a level)."""
    if not depth:
        return ""
    return "class _C:\n" + "".join("    " * level + "def _f(self):\n" for level in range(1, depth))


def hole_source(kind: str, indent: int, texts: list[str]) -> str:
    """One source holding every hole of a kind and indent, a marker between each two:
    statements in a block, parameters in one def split a parameter a line."""
    pad = " " * indent
    if kind == "statement":
        marker = f"{pad}{MARK}\n"
        return _nest(indent // 4) + marker.join(f"{pad}{text}\n" for text in texts)
    outer = indent // 4 - 1
    marker = f"{pad}{MARK.replace(' = ', ': int = ')},\n"
    body = marker.join(f"{pad}{text}\n" for text in texts)
    return f"{_nest(outer)}{'    ' * outer}def _f(\n{body}{'    ' * outer}): ...\n"


def hole_results(kind: str, indent: int, output: str, count: int) -> list[str] | None:
    """black's lines for each hole (no final newline), or None if they did not come apart."""
    pad = " " * indent
    head = _nest(indent // 4) if kind == "statement" else _nest(indent // 4 - 1) + "    " * (indent // 4 - 1) + "def _f(\n"
    tail = "" if kind == "statement" else "    " * (indent // 4 - 1) + "): ...\n"
    if not output.startswith(head) or not output.endswith(tail):
        return None
    body = output[len(head) : len(output) - len(tail)]
    marker = f"{pad}{MARK}\n" if kind == "statement" else f"{pad}{MARK.replace(' = ', ': int = ')},\n"
    segments = [part.strip("\n") for part in body.split(marker)]
    if len(segments) != count or not all(segments):
        return None
    return segments
