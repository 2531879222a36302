"""A synthetic OpenAPI document of N operations and N schemas, for the scaling series.

Each schema is an object with a handful of typed properties (bounded strings, enums,
integers, a date-time, a nullable field, a reference to the next schema of its group of
ten and a list of them); operations alternate list/create/get/update/delete over resources grouped ten
to a tag, with path and query parameters, request bodies and documented errors. Deterministic:
the same N gives the same bytes.

    python bench/synth.py 1000 > specs/synth.json
"""

from __future__ import annotations

import json
import sys
from typing import Any

KINDS = ("list", "create", "get", "update", "delete")


def schema(i: int, n: int) -> dict[str, Any]:
    # References stay within groups of ten (small cycles, as real APIs have): one chain
    # through every schema would measure clientgen's recursion, not its speed.
    group = i - i % 10
    other = f"Thing{group + (i + 1 - group) % min(10, n - group)}"
    return {
        "type": "object",
        "description": f"Thing number {i}.",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "string", "maxLength": 64},
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "status": {"type": "string", "enum": ["active", "archived", f"state_{i % 7}"]},
            "count": {"type": "integer", "minimum": 0},
            "score": {"type": "number", "nullable": True},
            "created_at": {"type": "string", "format": "date-time"},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "next": {"$ref": f"#/components/schemas/{other}"},
            "related": {"type": "array", "items": {"$ref": f"#/components/schemas/{other}"}},
        },
    }


def operation(i: int, n: int) -> tuple[str, str, dict[str, Any]]:
    resource, kind = i // len(KINDS), KINDS[i % len(KINDS)]
    thing = f"#/components/schemas/Thing{i % n}"
    collection = f"/v1/resource{resource}"
    item_id = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}}
    ok: dict[str, Any] = {"description": "ok", "content": {"application/json": {"schema": {"$ref": thing}}}}
    op: dict[str, Any] = {
        "operationId": f"{kind}_resource{resource}",
        "summary": f"{kind.title()} resource {resource}",
        "tags": [f"group{resource // 10}"],
        "responses": {"200": ok, "404": {"description": "missing", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
    }
    body = {"required": True, "content": {"application/json": {"schema": {"$ref": thing}}}}
    if kind == "list":
        op["parameters"] = [
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
            {"name": "cursor", "in": "query", "schema": {"type": "string"}},
        ]
        ok["content"]["application/json"]["schema"] = {"type": "array", "items": {"$ref": thing}}
        return collection, "get", op
    if kind == "create":
        op["requestBody"] = body
        return collection, "post", op
    op["parameters"] = [item_id]
    if kind == "update":
        op["requestBody"] = body
    if kind == "delete":
        op["responses"]["204"] = {"description": "deleted"}
        del op["responses"]["200"]
    return f"{collection}/{{item_id}}", {"get": "get", "update": "patch", "delete": "delete"}[kind], op


def document(n: int) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for i in range(n):
        path, method, op = operation(i, n)
        paths.setdefault(path, {})[method] = op
    schemas = {f"Thing{i}": schema(i, n) for i in range(n)}
    schemas["Error"] = {"type": "object", "properties": {"message": {"type": "string"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Synthetic {n}", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


if __name__ == "__main__":
    json.dump(document(int(sys.argv[1])), sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")
