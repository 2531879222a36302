"""Discriminated unions: which models are their branches, and each branch's tag values.

OpenAPI names a branch's tags in `discriminator.mapping`; without one, the tag is implied.
Specs written by code generators (OpenAI's, FastAPI's) imply it through the branch's own
tag property, a `const` or an `enum`; the standard says the schema's component name. Both
are honoured, in that order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.diagnostics import pointer_join, pointer_parts
from generator.parse import Spec

NO_VALUE = object()
Properties = Callable[[dict[str, Any], str], tuple[dict[str, tuple[Any, str]], set[str]]]


def tagged_branches(spec: Spec) -> dict[str, frozenset[str]]:
    """The pointer of every discriminated union's branch -> its discriminator properties:
    the branch model always sends them, and defaults them where its schema fixes the value."""
    found: dict[str, set[str]] = {}
    # A node's place is kept as (parent's place, key) and spelt as a pointer only for the
    # few nodes with a discriminator: the walk visits every node of the document.
    todo: list[tuple[Any, Any]] = [(spec.data, None)]
    while todo:
        node, place = todo.pop()
        if isinstance(node, list):
            todo.extend((item, (place, i)) for i, item in enumerate(node)
                        if isinstance(item, (dict, list)))  # scalars hold no schema
            continue
        if not isinstance(node, dict):
            continue
        prop = property_name(node)
        if prop is not None:
            pointer = _pointer(place)
            if not node.get("oneOf") and not node.get("anyOf") and pointer.startswith("/components/schemas/"):
                for child in allof_children(spec, pointer):  # 3.0 inheritance: subtypes send the tag
                    found.setdefault(child, set()).add(str(prop))
            for key in ("oneOf", "anyOf"):
                branches = node.get(key)
                for index, branch in enumerate(branches if isinstance(branches, list) else []):
                    target = branch_pointer(branch, pointer_join(pointer, key, index))
                    found.setdefault(target, set()).add(str(prop))
        todo.extend((value, (place, key)) for key, value in node.items() if isinstance(value, (dict, list)))
    return {pointer: frozenset(props) for pointer, props in found.items()}


def _pointer(place: Any) -> str:
    """The JSON pointer of a place kept as nested (parent's place, key) pairs."""
    keys: list[str | int] = []
    while place is not None:
        place, key = place
        keys.append(key)
    return pointer_join("", *reversed(keys))


def property_name(schema: dict[str, Any]) -> str | None:
    discriminator = schema.get("discriminator")
    if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
        return str(discriminator["propertyName"])
    return None


def branch_pointer(branch: Any, pointer: str) -> str:
    """Where a branch's model is defined: its `$ref`'s target, else the branch itself."""
    ref = branch.get("$ref") if isinstance(branch, dict) else None
    return ref[1:] if isinstance(ref, str) and ref.startswith("#") else pointer


def single_value(schema: Any, spec: Spec) -> Any:
    """The one value a schema allows (`const`, or a one-member `enum`), else NO_VALUE."""
    resolved, _ = spec.resolve(schema)
    if not isinstance(resolved, dict):
        return NO_VALUE
    values = [resolved["const"]] if "const" in resolved else resolved.get("enum")
    if isinstance(values, list) and len(values) == 1 and isinstance(values[0], (str, int, bool)):
        return values[0]
    return NO_VALUE


def branch_tags(
    spec: Spec, branch: Any, pointer: str, prop: str, mapping: dict[str, Any], properties: Properties
) -> list[str]:
    """A branch's tag values, the first naming its `Tag`: mapping keys that point at it,
    else the `const`/`enum` of its tag property (through `allOf`), else its component name.
    [] when none can be told."""
    ref = branch.get("$ref") if isinstance(branch, dict) else None
    if isinstance(ref, str):
        from_mapping = [str(k) for k, target in mapping.items() if target in (ref, pointer_parts(ref)[-1])]
        if from_mapping:
            return from_mapping
    resolved, target = spec.resolve(branch)
    if isinstance(resolved, dict):
        found, _ = properties(resolved, target or pointer)
        if prop in found:
            values = _values(found[prop][0], spec)
            if values:
                return values
    if isinstance(ref, str) and ref.startswith("#/components/schemas/") and ref.count("/") == 3:
        return [pointer_parts(ref)[-1]]
    return []


def _values(schema: Any, spec: Spec) -> list[str]:
    resolved, _ = spec.resolve(schema)
    if not isinstance(resolved, dict):
        return []
    options = [o for k in ("anyOf", "oneOf") for o in resolved.get(k) or [] if isinstance(resolved.get(k), list)]
    if options and "const" not in resolved and "enum" not in resolved:
        # `anyOf: [{enum: [item_reference]}, {type: "null"}]`: the tag, or left out
        return [v for option in options for v in _values(option, spec)]
    values = [resolved["const"]] if "const" in resolved else resolved.get("enum")
    if not isinstance(values, list):
        return []
    return [str(v) for v in values if _scalar(v)]


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


class OpenValues:
    """Whether a schema has, or reaches through `$ref`s, an `enum` or `const`: a value a
    response may bring unlisted. Plain unions of such schemas try listed values first."""

    _SKIP = ("example", "examples", "default", "description", "x-examples")

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._known: dict[int, bool] = {}  # by id() of schema objects in the document

    def reaches(self, schema: Any) -> bool:
        seen: set[int] = set()
        stack = [schema]
        found = False
        while stack and not found:
            node = stack.pop()
            if not isinstance(node, (dict, list)) or id(node) in seen:
                continue
            seen.add(id(node))
            if id(node) in self._known:
                found = self._known[id(node)]
            elif isinstance(node, list):
                stack.extend(node)
            elif "enum" in node or "const" in node:
                found = True
            elif isinstance(node.get("$ref"), str):
                stack.append(self.spec.resolve(node)[0])
            else:
                stack.extend(v for k, v in node.items() if k not in self._SKIP)
        if not found:  # nothing reachable from here has one, so neither has anything it saw
            self._known.update(dict.fromkeys(seen, False))
        self._known[id(schema)] = found
        return found


def allof_children(spec: Spec, base: str) -> list[str]:
    """OpenAPI 3.0 inheritance: the components that are a discriminator-bearing object
    schema's subtypes (`Cat: allOf: [$ref: Pet, {...}]`), by their pointers. The mapping's
    targets first, in its order, then every component with the base among its `allOf`."""
    schema, _ = spec.resolve({"$ref": "#" + base})
    if not isinstance(schema, dict) or property_name(schema) is None:
        return []
    components = (spec.data.get("components") or {}).get("schemas") or {}
    mapping = schema["discriminator"].get("mapping")
    found: list[str] = []
    for target in (mapping.values() if isinstance(mapping, dict) else ()):
        if isinstance(target, str):
            pointer = target[1:] if target.startswith("#") else pointer_join("/components/schemas", target)
            if pointer != base and pointer not in found and _inherits(spec, pointer, base):
                found.append(pointer)
    for key in components:
        pointer = pointer_join("/components/schemas", key)
        if pointer != base and pointer not in found and _inherits(spec, pointer, base):
            found.append(pointer)
    return found


def _inherits(spec: Spec, pointer: str, base: str) -> bool:
    schema, _ = spec.resolve({"$ref": "#" + pointer})
    parts = schema.get("allOf") if isinstance(schema, dict) else None
    return isinstance(parts, list) and any(isinstance(p, dict) and p.get("$ref") == "#" + base for p in parts)
