"""Decode a large YAML document piece by piece, reusing the pieces an earlier run decoded.

An edit to one schema of a 4 MB document changes one piece of it; parsing all of it again
takes seconds. The document's block mappings are cut, down to DEPTH levels (`components` ->
`schemas` -> `Pet`, `paths` -> `/pets` -> `get`), at the lines that start their entries;
each piece is decoded on its own (decode.py's loader and checks) and kept by the digest of
its text. The outcome must be what decoding the whole text gives, so anything this cutting
cannot vouch for returns None and the caller decodes the whole text, which also reports
any error with its line: a piece that does not parse (an alias to an anchor in another
piece, a quoted scalar running into the next entry), an unusual line at a cut level,
duplicate keys, directives, document markers, tabs in indentation, unusual line breaks.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from typing import Any

import yaml

from generator.decode import MAX_VALUES, DecodeError, _Loader, _Walk

DEPTH = 3  # levels cut: the document, its sections, their entries
_UNSAFE = re.compile(r"^(?:---|\.\.\.|%)|^ *\t|[\r\x85\u2028\u2029\ufeff]", re.MULTILINE)
# A key line: a quoted key, or a plain one (not starting with an indicator), then ":".
_KEY = re.compile(
    r"""( *)("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s#'"\-?:,\[\]{}&*!|>%@`][^\n]*?)[ \t]*:(?:[ \t]+(.*))?$"""
)


class _Unsure(Exception):
    """This text cannot be cut safely: decode it whole."""


def decode(text: str, known: dict[str, Any]) -> tuple[Any, dict[str, Any]] | None:
    """The document and the pieces it was made of (digest -> decoded piece), reusing
    `known`; None when the text must be decoded whole."""
    if _UNSAFE.search(text):
        return None
    text = text if text.endswith("\n") else text + "\n"
    cutter = _Cutter(text, known, _Walk(MAX_VALUES + len(text)))
    try:
        data = cutter.mapping(0, len(text), 1)
    except (_Unsure, DecodeError, yaml.YAMLError, RecursionError, ValueError):
        return None
    return data, cutter.used


_FIRST = re.compile(r"^( *)[^ \n#].*$", re.MULTILINE)  # the next line with content


@cache
def _outdented(indent: int) -> re.Pattern[str]:
    """Lines with content indented at most `indent` (comment lines too: skipped), each
    matched with the line break before it: a pattern starting with a literal character is
    searched for several times faster than one starting with `^`."""
    return re.compile(rf"\n( {{0,{indent}}})([^ \n][^\n]*)")


@cache
def _outdented_first(indent: int) -> re.Pattern[str]:
    """The same, for the first line (no line break before it)."""
    return re.compile(rf"( {{0,{indent}}})([^ \n][^\n]*)")


def _lines(text: str, indent: int, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """(start, indentation, line) of each line of text[lo:hi] (lo starts a line) whose
    content is indented at most `indent`."""
    found = []
    first = _outdented_first(indent).match(text, lo, hi)
    if first is not None:
        found.append((lo, len(first[1]), first[0]))
    for line in _outdented(indent).finditer(text, lo, hi):
        found.append((line.start() + 1, len(line[1]), line[0][1:]))
    return found


class _Cutter:
    def __init__(self, text: str, known: dict[str, Any], walk: _Walk) -> None:
        self.text = text
        self.known = known
        self.walk = walk
        self.used: dict[str, Any] = {}

    def mapping(self, lo: int, hi: int, depth: int) -> dict[str, Any]:
        """The block mapping in text[lo:hi], its entries at `depth`."""
        found: dict[str, Any] = {}
        for start, end, match in self._entries(lo, hi):
            key, value = self._entry(start, end, match, depth)
            if key in found:
                raise _Unsure  # a duplicate: the whole text's decoding reports it
            found[key] = value
        return found

    def _entries(self, lo: int, hi: int) -> list[tuple[int, int, re.Match[str]]]:
        """(start, end, key match) of each entry; every content line at the entries'
        indentation must start one (or be an item of a sequence at that indentation)."""
        first = _FIRST.search(self.text, lo, hi)
        if first is None:
            raise _Unsure
        indent = len(first[1])
        starts: list[tuple[int, re.Match[str]]] = []
        for start, width, text in _lines(self.text, indent, lo, hi):
            rest = text[width:]
            if rest.startswith("#"):
                continue
            if width < indent:
                raise _Unsure
            if rest == "-" or rest.startswith("- "):  # `key:` then a sequence at its indentation
                if not starts:
                    raise _Unsure
                continue
            match = _KEY.fullmatch(text)
            if match is None or match[2] == "<<":
                raise _Unsure
            starts.append((start, match))
        bounds = [start for start, _ in starts[1:]] + [hi]
        return [(start, end, match) for (start, match), end in zip(starts, bounds, strict=True)]

    def _entry(self, start: int, end: int, match: re.Match[str], depth: int) -> tuple[str, Any]:
        inline = (match[3] or "").strip()
        line_end = start + len(match[0]) + 1
        child = _FIRST.search(self.text, line_end, end) if depth < DEPTH else None
        nested = (child is not None and (not inline or inline.startswith("#"))
                  and len(child[1]) > len(match[1]) and _KEY.fullmatch(child[0]) is not None)
        if not nested:
            return self._piece(self.text[start:end], depth)
        key, _ = self._piece(self.text[start:line_end], depth)  # `key:` alone: its key
        return key, self.mapping(line_end, end, depth + 1)

    def _piece(self, text: str, depth: int) -> tuple[str, Any]:
        digest = hashlib.sha256(f"{depth}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
        decoded = self.known.get(digest)
        if decoded is None:
            raw = yaml.load(text, Loader=_Loader)
            if not isinstance(raw, dict) or len(raw) != 1:
                raise _Unsure
            decoded = self.walk.value(raw, depth - 1)
        self.used[digest] = decoded
        ((key, value),) = decoded.items()
        return key, value
