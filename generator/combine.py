"""Many pieces in one black call: black's cost is largely per call, pieces are small.

Pieces of one depth are written one after the other, a marker statement between each two
(`_clientgen_cut_ = 0`, under the one stand-in head of their depth, chunks.WRAPPERS), and
black's output is cut at the markers again. black formats each logical line on its own,
so a piece comes out as it would alone; only blank lines look at the line before, and a
piece's first line never starts with a string (chunks.py does not cut there), so the blank
lines around each marker, the only ones that can differ, are dropped. Pieces holding a
comment (black attaches a comment to the statement after it, here a marker) or the
marker's name are formatted alone.
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
    return "#" not in text and "_clientgen_cut_" not in text and not _STRING_FIRST.match(body.lstrip())


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
