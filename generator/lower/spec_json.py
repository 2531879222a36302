"""The document a package publishes (`openapi.json`), indented, reusing an earlier run's pieces.

`json.dumps` with `indent` runs in pure Python: a few tenths of a second for a 4 MB document,
after an edit to one schema of it. The text is the same as `json.dumps(data, indent=2,
sort_keys=True, ensure_ascii=False)`, put together here from pieces: the entries `DEPTH`
levels down (`paths` -> `/pets`, `components` -> `schemas` -> `Pet`) are kept by the digest
of their compact JSON (which the C encoder makes quickly and which differs whenever the
value does), indented for level 0; a piece sits deeper by adding indentation after each of
its line breaks (JSON text has none inside a string). Anything unusual (a key that is no
string) is left to `json.dumps` as a whole.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from typing import Any

from generator import memo

DEPTH = 3  # levels assembled here: the document, its sections, their entries
INDENT = "  "
MIN_PIECES = 200  # fewer: the whole text is as quick, and not worth a cache entry


def dumps(data: Any, origin: str) -> str:
    """`json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)`; `origin` names
    the cache entry (one per document, overwritten by each run)."""
    if not _cuttable(data, 1) or _count(data, 1) < MIN_PIECES:
        return _whole(data)
    slot = memo.key("spec-json", origin)
    try:
        payload = memo.read("spec-json", slot)
        known = marshal.loads(payload) if payload is not None else {}
    except (ValueError, EOFError, TypeError):
        known = {}
    pieces = _Pieces(known if isinstance(known, dict) else {})
    text = pieces.text(data, 1)
    if pieces.made:  # something new: keep this run's pieces (and only those)
        memo.write("spec-json", slot, marshal.dumps(pieces.used))
    return text


def _whole(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def _cuttable(value: Any, depth: int) -> bool:
    """A mapping with string keys, and so each mapping it holds above DEPTH."""
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        return False
    return depth >= DEPTH or all(_cuttable(v, depth + 1) for v in value.values() if isinstance(v, dict))


def _count(value: Any, depth: int) -> int:
    if not isinstance(value, dict) or not value or depth >= DEPTH:
        return 1
    return sum(_count(v, depth + 1) for v in value.values())


class _Pieces:
    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.used: dict[str, str] = {}
        self.made = 0

    def text(self, value: Any, depth: int) -> str:
        """`value` as at level `depth - 1` of the document, its first line unindented."""
        if depth > DEPTH or not isinstance(value, dict) or not value:
            return self._piece(value).replace("\n", "\n" + INDENT * (depth - 1))
        inner = INDENT * depth
        entries = [
            f"{inner}{json.dumps(key, ensure_ascii=False)}: {self.text(value[key], depth + 1)}"
            for key in sorted(value)
        ]
        return "{\n" + ",\n".join(entries) + "\n" + INDENT * (depth - 1) + "}"

    def _piece(self, value: Any) -> str:
        compact = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(compact.encode("utf-8", "surrogatepass")).hexdigest()
        text = self.known.get(digest)
        if text is None:
            text = _whole(value)
            self.made += 1
        self.used[digest] = text
        return text
