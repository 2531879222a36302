"""Deviations real vendor specs have that do not stop a client from being generated.

openapi-pydantic validates strictly and does not know JSON Schema's boolean schemas (valid
in OpenAPI 3.1). Before validation a copy of the document is adjusted (copy-on-write, only
along the changed paths), and each adjustment that hides a real deviation is reported as a
warning with its pointer. Validation and lowering both read the adjusted copy.
"""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Level, pointer_join
from generator.merge import HTTP_METHODS, ClientSpec
from generator.tolerate_paths import path_defects
from generator.tolerate_values import schema_defects, tag_defects

_ONE_SCHEMA = ("items", "not", "additionalProperties", "contains", "if", "then", "else",
               "propertyNames", "unevaluatedItems", "unevaluatedProperties", "additionalItems")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_DATA_KEYS = ("example", "examples", "default", "const", "enum")
_STATUS = re.compile(r"^(?:default|[1-5][0-9][0-9]|[1-5]XX)$")


class Tolerance:
    def __init__(self, client: ClientSpec, version: tuple[int, int]) -> None:
        self.client = client
        self.version = version
        self.fixes: list[tuple[list[str], Any]] = []
        self.warnings: list[Any] = []

    def run(self) -> dict[str, Any]:
        data = self.client.data
        if not isinstance(data.get("paths"), dict) and "webhooks" not in data and "components" not in data:
            self._warn("the document has no 'paths': there is nothing to generate", "")
        if "paths" not in data:
            self.fixes.append((["paths"], {}))
            if self.version < (3, 1):
                self._warn("required field 'paths' is missing; only models are generated", "")
        info = data.get("info")
        if not isinstance(info, dict) or "title" not in info or "version" not in info:
            self._warn("'info' needs 'title' and 'version'", "/info")
            base = info if isinstance(info, dict) else {}
            self.fixes.append((["info"], {"title": self.client.name, "version": "0", **base}))
        elif isinstance(info.get("version"), (int, float)) and not isinstance(info["version"], bool):
            self._warn("'info.version' is a number; quote it to keep it a string", "/info/version")
            self.fixes.append((["info", "version"], str(info["version"])))
        self._walk(data, [])
        tag_defects(self, data)
        path_defects(self, data)
        return _apply(data, self.fixes)

    def _warn(self, message: str, pointer: str) -> None:
        self.warnings.append(self.client.diagnostic(Level.WARNING, message, pointer))

    def warn(self, message: str, parts: list[str]) -> None:
        self._warn(message, _pointer(parts))

    def _walk(self, node: Any, parts: list[str]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("example", "examples") or key.startswith("x-"):
                    continue
                if key == "schema" or parts[-1:] == ["schemas"] and parts[-2:-1] == ["components"]:
                    self._schema(value, [*parts, key])
                elif key == "responses" and parts[-1:] and parts[-1] in HTTP_METHODS and isinstance(value, dict):
                    self._statuses(value, [*parts, key])
                    self._walk(value, [*parts, key])
                else:
                    self._walk(value, [*parts, key])
        elif isinstance(node, list):
            for index, value in enumerate(node):
                self._walk(value, [*parts, str(index)])

    def _statuses(self, responses: dict[str, Any], parts: list[str]) -> None:
        """Response keys are a status (404), a range (4XX) or `default`; a different case
        of those is read as meant, anything else is left out."""
        for key, response in responses.items():
            if _STATUS.match(key):
                continue
            meant = key.lower() if key.lower() == "default" else key.upper()
            if _STATUS.match(meant) and meant not in responses:
                self._warn(f"response key {key!r} is read as {meant!r}", _pointer([*parts, key]))
                self.fixes.append(([*parts, meant], response))
            else:
                self._warn(f"response key {key!r} is not a status code (200), a range (2XX) or "
                           "'default'; the response is left out", _pointer([*parts, key]))
            self.fixes.append(([*parts, key], None))

    def _schema(self, node: Any, parts: list[str]) -> None:
        if isinstance(node, bool):
            if self.version >= (3, 1):  # JSON Schema's true/false, which the validator lacks
                self.fixes.append((parts, {} if node else {"not": {}}))
            return
        if not isinstance(node, dict):
            return
        kinds = node.get("type", "")
        if kinds is None or isinstance(kinds, list) and None in kinds:
            # YAML reads an unquoted `null` as null, not as the type name "null".
            self._warn("type null is unquoted (YAML null); read as the type 'null'", _pointer([*parts, "type"]))
            fixed = "null" if kinds is None else ["null" if k is None else k for k in kinds]
            self.fixes.append(([*parts, "type"], fixed))
        if node.get("enum") == []:
            self._warn("empty 'enum' (no value would be valid); it is ignored", _pointer([*parts, "enum"]))
            self.fixes.append(([*parts, "enum"], None))
        schema_defects(self, node, parts)
        for key in _ONE_SCHEMA:
            if key in node:
                self._schema(node[key], [*parts, key])
        for key in _SCHEMA_MAPS:
            if isinstance(node.get(key), dict):
                for name, value in node[key].items():
                    self._schema(value, [*parts, key, name])
        for key in _SCHEMA_LISTS:
            if isinstance(node.get(key), list):
                for index, value in enumerate(node[key]):
                    self._schema(value, [*parts, key, str(index)])


def _pointer(parts: list[str]) -> str:
    return pointer_join("", *parts)


def _apply(data: dict[str, Any], fixes: list[tuple[list[str], Any]]) -> dict[str, Any]:
    """A copy of `data` with each fix applied (None deletes); shares untouched subtrees."""
    if not fixes:
        return data
    root: Any = dict(data)
    for parts, value in fixes:
        node = root
        for index, part in enumerate(parts[:-1]):
            child = node[int(part)] if isinstance(node, list) else node[part]
            child = list(child) if isinstance(child, list) else dict(child)
            if isinstance(node, list):
                node[int(part)] = child
            else:
                node[part] = child
            node = child
        last = parts[-1]
        if isinstance(node, list):
            node[int(last)] = value
        elif value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return root
