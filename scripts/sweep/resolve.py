"""Local `$ref`s in a client's openapi.json (clientgen brings every external ref inside)."""

from __future__ import annotations

from typing import Any

MAX_HOPS = 50


def pointer_get(doc: Any, pointer: str) -> Any:
    """The value at a `#/a/b~1c` JSON pointer; KeyError if there is none."""
    node = doc
    for raw in pointer.lstrip("#").split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def resolve(doc: Any, node: Any) -> Any:
    """Follow `$ref` chains; a dangling or external ref gives `{}` (anything)."""
    for _ in range(MAX_HOPS):
        if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
            return node
        ref = node["$ref"]
        if not ref.startswith("#"):
            return {}
        try:
            node = pointer_get(doc, ref)
        except (KeyError, IndexError, ValueError, TypeError):
            return {}
    return {}


def escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
