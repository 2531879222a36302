"""JSON Schema validation of values against an OpenAPI document's schemas (the sweep's mock).

An OpenAPI 3.0 document's schemas are not JSON Schema: `nullable: true` adds null, a boolean
`exclusiveMinimum` modifies `minimum`. `Checker` rewrites a copy of the document into JSON
Schema 2020-12 once (3.1 documents already are), registers it, and validates any value against
the schema at a JSON pointer, `$ref`s followed through the registry. Violations come out in
Prism's `sl-violations` form, so the sweep's classifier reads them the same.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_URI = "urn:clientgen-sweep:openapi"
MAX_VIOLATIONS = 10
# Formats checked: those every validator reads alike. IDNA (`idn-*`) rules differ between
# IDNA 2003 and 2008 (`Bücher.example` passes one, not the other), so they are not.
FORMATS = FormatChecker(["date", "email", "ipv4", "ipv6", "regex", "uuid"])


def json_schema(node: Any) -> Any:
    """A copy of a 3.0 document (or part) with its schemas' 3.0 forms in JSON Schema form."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: json_schema(value) for key, value in node.items()}
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), bool):
            exclusive = out.pop(bound)
            if exclusive and limit in out:
                out[bound] = out.pop(limit)
    if out.pop("nullable", False) is True:
        return _nullable(out)
    out.pop("nullable", None)
    return out


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str) and not any(k in schema for k in ("$ref", "allOf", "oneOf", "anyOf")):
        schema["type"] = [kind, "null"]
        if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


class Checker:
    """Validates values against the schemas of one document."""

    def __init__(self, doc: dict[str, Any]) -> None:
        converted = doc if str(doc.get("openapi", "")).startswith("3.1") else json_schema(doc)
        resource = Resource.from_contents(converted, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(DOCUMENT_URI, resource)
        self._validators: dict[str, Draft202012Validator] = {}

    def violations(self, pointer: str, value: Any, location: list[Any]) -> list[dict[str, Any]]:
        """Prism-style violations of `value` against the schema at `pointer` ("#/...")."""
        validator = self._validators.get(pointer)
        if validator is None:
            validator = Draft202012Validator(
                {"$ref": DOCUMENT_URI + pointer}, registry=self.registry,
                format_checker=FORMATS)
            self._validators[pointer] = validator
        found = []
        for error in validator.iter_errors(value):
            found.append({"location": [*location, *error.absolute_path], "severity": "Error",
                          "code": str(error.validator), "message": _message(error)})
            if len(found) >= MAX_VIOLATIONS:
                break
        return found


def _message(error: Any) -> str:
    """jsonschema's message, with the offending value cut short (a Stripe object is long)."""
    text = str(error.message)
    if error.validator in ("oneOf", "anyOf", "allOf", "not"):  # Prism names the keyword
        text = f"must match the {error.validator} schemas: {text}"
    return text if len(text) <= 300 else text[:300] + "..."
