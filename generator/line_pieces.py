"""The line of a JSON pointer in a large YAML text, from the one entry that holds it.

A diagnostic names the line its value starts on. Composing a whole 3 MB document to learn
that takes about a second; a large document's warnings would cost that on every build. The
text is cut as decode_pieces.py cuts it (`components` -> `schemas` -> `Pet`, `paths` ->
`/pets` -> `get`), and only the entry holding the pointer is composed, its lines counted
from where it starts. Anything the cutting cannot vouch for answers None, and the caller
composes the whole text as before; so does a pointer whose nearest known ancestor lies
above that entry.
"""

from __future__ import annotations

from typing import Any

import yaml

from generator.decode import _Walk
from generator.decode_pieces import _UNSAFE, DEPTH, _Cutter, _Unsure
from generator.diagnostics import pointer_join, pointer_parts
from generator.sources import _index_lines


class Lines:
    """Lines of pointers in one YAML text (1-based, as in the text), entry by entry."""

    def __init__(self, text: str) -> None:
        self.text = text if text.endswith("\n") else text + "\n"
        self.usable = _UNSAFE.search(text) is None
        self._cutter = _Cutter(self.text, {}, _Walk(0))
        self._entries: dict[tuple[int, int], list[tuple[str, int, int, str]]] = {}
        self._pieces: dict[int, dict[str, int]] = {}

    def line_of(self, pointer: str) -> int | None:
        """The line where the value at `pointer` (or its nearest ancestor) starts, or None:
        ask the whole text."""
        keys = pointer_parts(pointer)
        if not self.usable or not keys:
            return None
        try:
            return self._line(keys)
        except (_Unsure, yaml.YAMLError, RecursionError, ValueError, IndexError):
            return None

    def _line(self, keys: list[str]) -> int | None:
        lo, hi = 0, len(self.text)
        start = end = 0
        for depth, key in enumerate(keys[:DEPTH], start=1):
            found = [(s, e, inline) for k, s, e, inline in self._level(lo, hi) if k == key]
            if len(found) > 1:
                return None  # a duplicate key: decoding the whole text reports it
            if not found:  # the nearest ancestor is the entry above (the root: the whole text)
                return self.text.count("\n", 0, start) + 1 if depth > 1 else None
            (start, end, inline), = found
            if depth < len(keys) and depth < DEPTH:
                if inline and not inline.startswith("#"):
                    raise _Unsure  # a value on the key's line: no block mapping to cut
                lo, hi = self.text.index("\n", start) + 1, end
        first = self.text.count("\n", 0, start) + 1
        if len(keys) <= DEPTH:
            return first  # a key line: where its value is said to start
        lines = self._piece(start, end, keys[: DEPTH - 1])
        for cut in range(len(keys), DEPTH, -1):
            line = lines.get(pointer_join("", *keys[:cut]))
            if line is not None:
                return first + line - 1
        return first

    def _level(self, lo: int, hi: int) -> list[tuple[str, int, int, str]]:
        """(key, start, end, what follows the key on its line) of each entry of the block
        mapping in text[lo:hi]."""
        if (lo, hi) not in self._entries:
            entries = []
            for start, end, match in self._cutter._entries(lo, hi):
                line_end = self.text.index("\n", start) + 1
                node = yaml.compose(self.text[start:line_end], Loader=_Loader)
                if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
                    raise _Unsure
                entries.append((_key(node.value[0][0]), start, end, (match[3] or "").strip()))
            self._entries[(lo, hi)] = entries
        return self._entries[(lo, hi)]

    def _piece(self, start: int, end: int, parents: list[str]) -> dict[str, int]:
        """Lines within one entry (counted from its first line), by full pointer."""
        if start not in self._pieces:
            node = yaml.compose(self.text[start:end], Loader=_Loader)
            if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
                raise _Unsure
            lines: dict[str, int] = {}
            _index_lines(node, lines, pointer_join("", *parents), _key)
            self._pieces[start] = lines
        return self._pieces[start]


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _key(node: yaml.Node) -> str:
    """A key as sources._index_lines spells it by default; only scalars (another node's
    text would hold its position in the piece, not in the whole text)."""
    if not isinstance(node, yaml.ScalarNode):
        raise _Unsure
    return str(node.value)
