"""Tolerated defects inside schemas and tags, each fixed in the adjusted copy with a warning.

- an `enum` listing a value twice: the repeat is left out;
- a `default` that its own schema refuses (a word for an integer, a value outside the
  `enum`): left out, since a generated default must fit its annotation;
- `properties: {$ref: ...}` (DigitalOcean's documents): the properties of the referenced
  schema were meant, so it is read as `allOf: [{$ref: ...}]`;
- a tag `description` that is not text: left out.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.tolerate import Tolerance

_KINDS: dict[str, type | tuple[type, ...]] = {"string": str, "integer": int, "number": (int, float), "boolean": bool}


def schema_defects(t: Tolerance, node: dict[str, Any], parts: list[str]) -> None:
    _duplicate_enum_values(t, node, parts)
    _invalid_default(t, node, parts)
    _ref_in_properties(t, node, parts)


def tag_defects(t: Tolerance, data: dict[str, Any]) -> None:
    tags = data.get("tags")
    for index, tag in enumerate(tags if isinstance(tags, list) else []):
        if isinstance(tag, dict) and "description" in tag and not isinstance(tag["description"], str):
            where = ["tags", str(index), "description"]
            t.warn(f"the description of tag {tag.get('name')!r} is a {_kind(tag['description'])}, "
                   "not text; it is left out", where)
            t.fixes.append((where, None))


def _duplicate_enum_values(t: Tolerance, node: dict[str, Any], parts: list[str]) -> None:
    values = node.get("enum")
    if not isinstance(values, list):
        return
    first: dict[str, int] = {}
    kept = []
    for index, value in enumerate(values):
        key = _identity(value)
        if key in first:
            t.warn(f"enum value {value!r} is listed twice (also at index {first[key]}); the repeat is "
                   "left out", [*parts, "enum", str(index)])
            continue
        first[key] = index
        kept.append(value)
    if len(kept) < len(values):
        t.fixes.append(([*parts, "enum"], kept))


def _identity(value: Any) -> str:
    """Equal as JSON values: 1 and 1.0 are one number, true and 1 are not."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return type(value).__name__.replace("int", "number").replace("float", "number") + json.dumps(
        value, sort_keys=True)


def _invalid_default(t: Tolerance, node: dict[str, Any], parts: list[str]) -> None:
    if "default" not in node or node["default"] is None:
        return
    value = node["default"]
    problem = None
    enum = node.get("enum")
    kinds = node.get("type")
    kinds = [k for k in kinds if k != "null"] if isinstance(kinds, list) else [kinds]
    if isinstance(enum, list) and enum and _identity(value) not in {_identity(v) for v in enum}:
        problem = "is not one of the enum values"
    elif len(kinds) == 1 and isinstance(kinds[0], str) and kinds[0] in _KINDS and not _fits(value, kinds[0]):
        problem = f"is not a{'n' if kinds[0][0] in 'aeiou' else ''} {kinds[0]}"
    if problem:
        t.warn(f"default {value!r} {problem}; it is left out", [*parts, "default"])
        t.fixes.append(([*parts, "default"], None))


def _fits(value: Any, kind: str) -> bool:
    if isinstance(value, bool):
        return kind == "boolean"
    if kind == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _KINDS[kind])


def _ref_in_properties(t: Tolerance, node: dict[str, Any], parts: list[str]) -> None:
    properties = node.get("properties")
    if not isinstance(properties, dict) or not isinstance(properties.get("$ref"), str):
        return
    ref = properties["$ref"]
    t.warn(f"'properties' holds a $ref ({ref!r}) instead of property schemas; read as "
           "allOf: [{$ref: ...}], the properties of that schema", [*parts, "properties", "$ref"])
    rest = {key: value for key, value in properties.items() if key != "$ref"}
    t.fixes.append(([*parts, "properties"], rest or None))
    all_of = node.get("allOf")
    t.fixes.append(([*parts, "allOf"], [*(all_of if isinstance(all_of, list) else []), {"$ref": ref}]))


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    return "list" if isinstance(value, list) else type(value).__name__
