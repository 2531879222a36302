"""Which schemas read differently in requests and in responses.

A property marked `readOnly` is sent by the server only; one marked `writeOnly` by the client
only. A schema with such a property, or one that reaches such a schema through its
properties, items, maps, unions or `allOf` parts, needs a request model of its own.
"""

from __future__ import annotations

from typing import Any

from generator.parse import Spec

_LISTS = ("allOf", "oneOf", "anyOf", "prefixItems")
_SINGLE = ("items", "additionalProperties", "then", "else")


def discriminator_properties(spec: Spec) -> frozenset[str]:
    """Every discriminator's property name in the document: such a property is sent both
    ways even when marked readOnly (without it, a request's union cannot pick a branch)."""
    found: set[str] = set()
    todo: list[Any] = [spec.data]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            discriminator = node.get("discriminator")
            if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
                found.add(discriminator["propertyName"])
            todo.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            todo.extend(v for v in node if isinstance(v, (dict, list)))
    return frozenset(found)


def one_way(name: str, prop: Any, spec: Spec, both_ways: frozenset[str]) -> str | None:
    """"read" or "write" for a property only one side sends (the flag may sit on the
    property or on the schema it references); None for an ordinary one, and for one named
    in `both_ways` (discriminator properties)."""
    if name in both_ways:
        return None
    for schema in (prop, spec.resolve(prop)[0]):
        if isinstance(schema, dict):
            read, write = schema.get("readOnly") is True, schema.get("writeOnly") is True
            if read != write:
                return "read" if read else "write"
    return None


class Directions:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.both_ways = discriminator_properties(spec)
        self._differs: dict[int, bool] = {}  # by id() of a schema object in the document
        self._keep: list[Any] = []  # what the ids above refer to stays alive

    def differs(self, schema: Any) -> bool:
        """Whether `schema` has, or reaches, a readOnly or writeOnly property."""
        if not isinstance(schema, dict):
            return False
        if id(schema) not in self._differs:
            self._explore(schema)
        return self._differs[id(schema)]

    def _explore(self, start: dict[str, Any]) -> None:
        """Every schema reachable from `start` through `$ref`s, settled at once (cycles
        included): a node differs if it has a one-way property or reaches a node that does."""
        graph: dict[int, tuple[bool, list[dict[str, Any]]]] = {}
        stack = [start]
        while stack:
            node = stack.pop()
            if id(node) in graph or id(node) in self._differs:
                continue
            direct, targets = self._scan(node)
            graph[id(node)] = (direct, targets)
            self._keep.append(node)
            stack.extend(targets)
        result = {key: direct for key, (direct, _) in graph.items()}
        changed = True
        while changed:
            changed = False
            for key, (_, targets) in graph.items():
                if not result[key] and any(result.get(id(t), self._differs.get(id(t))) for t in targets):
                    result[key] = changed = True
        self._differs.update(result)

    def _scan(self, schema: dict[str, Any]) -> tuple[bool, list[dict[str, Any]]]:
        """(has a one-way property, the schemas its inline parts `$ref`)."""
        direct, targets = False, []
        todo: list[Any] = [schema]
        while todo:
            node = todo.pop()
            if not isinstance(node, dict):
                continue
            if isinstance(node.get("$ref"), str):
                target, _ = self.spec.resolve(node)
                if isinstance(target, dict):
                    targets.append(target)
                continue
            properties = node.get("properties")
            for name, prop in properties.items() if isinstance(properties, dict) else ():
                direct = direct or one_way(name, prop, self.spec, self.both_ways) is not None
                todo.append(prop)
            todo.extend(node.get(key) for key in _SINGLE)
            for key in _LISTS:
                if isinstance(node.get(key), list):
                    todo.extend(node[key])
        return direct, targets
