"""Documented response headers -> one model per operation (`CreatePetHeaders`); and the
warning for header and cookie parameters no serialization is defined for.

A call returns the body; the headers come with `client.with_raw_response(...)`, whose
`headers_as(models.CreatePetHeaders)` validates them into the model. Headers arrive as text,
so a formatted string that does not parse (an HTTP date where the document says
date-time) stays text, and arrays or objects (serialisations vary) stay the raw text.
"""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Diagnostic, Level, pointer_join
from generator.ir import Field, ModelClass, PyType
from generator.lower import names, pytypes
from generator.lower.pytypes import STR
from generator.lower.schemas import STRING_FORMATS, Schemas, _Context
from generator.lower.text import clean, docstring_body
from generator.parse import Spec

# OpenAPI: a response header named Content-Type is ignored (the media type says it).
_IGNORED = {"content-type"}


def headers_model(spec: Spec, schemas: Schemas, op: dict[str, Any], pointer: str, hint: str, method: str) -> PyType | None:
    """The model of the headers the operation's success responses document, if any.

    Headers documented by several success responses merge; one is required only when every
    success response requires it.
    """
    found: dict[str, list[tuple[dict[str, Any], str]]] = {}
    success = 0
    for status, raw in (op.get("responses") or {}).items():
        response, ref_pointer = spec.resolve(raw)
        if not str(status).startswith("2") or not isinstance(response, dict):
            continue
        success += 1
        response_pointer = ref_pointer or pointer_join(pointer, "responses", status)
        for wire, raw_header in (response.get("headers") or {}).items():
            header, header_ref = spec.resolve(raw_header)
            if isinstance(header, dict) and str(wire).lower() not in _IGNORED:
                where = header_ref or pointer_join(response_pointer, "headers", wire)
                found.setdefault(str(wire).lower(), []).append((header, where))
    if not found:
        return None
    name = schemas.names.claim(hint + "Headers")
    field_names = names.Namespace()
    fields = tuple(
        _field(schemas, field_names.claim(names.field_name(wire), "_"), wire, seen, success, name)
        for wire, seen in found.items()
    )
    doc = docstring_body(f"Headers of a successful `{method}` response.\n\nRead them with "
                         f"`client.with_raw_response(client.{method}, ...).headers_as({name})`.")
    schemas.classes[name] = ModelClass(name, fields, doc)
    return pytypes.named(name)


def _field(schemas: Schemas, py_name: str, wire: str, seen: list[tuple[dict[str, Any], str]],
           success: int, owner: str) -> Field:
    header, where = seen[0]
    required = len(seen) == success and all(h.get("required") is True for h, _ in seen)
    annotation = _type(schemas, header, where, owner + names.class_name(wire))
    default = None if required else "None"
    if not required:
        annotation = pytypes.optional(annotation)
    return Field(py_name, wire, annotation, required, default, clean(header.get("description")),
                 header.get("deprecated") is True)


def _type(schemas: Schemas, header: dict[str, Any], pointer: str, hint: str) -> PyType:
    schema = header.get("schema")
    resolved, _ = schemas.spec.resolve(schema)
    if not isinstance(resolved, dict) or _structured(resolved):
        return STR
    if _number_enum(resolved):  # "1" never equals Literal[1]: the plain number type
        schema = {k: v for k, v in resolved.items() if k not in ("enum", "const")}
    annotation = schemas.type_of(schema, _Context(pointer_join(pointer, "schema"), hint))
    if resolved.get("format") not in STRING_FORMATS or annotation.models in ("str", "bytes"):
        return annotation
    # Dates in headers are often HTTP dates whatever the document says: parsed when they
    # parse, else kept as the text.
    either = pytypes.union([annotation, STR])
    return pytypes.wrap("Annotated[", either, ', Field(union_mode="left_to_right")]', ("Annotated", "Field"))


def _number_enum(schema: dict[str, Any]) -> bool:
    enum = schema.get("enum")
    values: list[Any] = enum if isinstance(enum, list) else [schema.get("const")]
    return any(isinstance(v, (int, float)) for v in values)  # bools are ints too


def _structured(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return bool({"array", "object"} & set(kinds)) or "properties" in schema or "items" in schema


def warn_objects_in_header(spec: Spec, param: dict[str, Any], pointer: str,
                           diagnostics: list[Diagnostic]) -> None:
    """A header or cookie parameter whose schema is an array of objects: OpenAPI's `simple`
    and `form` styles define arrays of primitives and flat objects only, so servers read such
    a value in different ways. Say what the client sends, where the parameter is."""
    schema, _ = spec.resolve(param.get("schema"))
    if not isinstance(schema, dict) or not _is_array(schema):
        return
    items, _ = spec.resolve(schema.get("items"))
    if not isinstance(items, dict) or not _is_object(spec, items):
        return
    where = "header" if param.get("in") == "header" else "cookie"
    found = spec.diagnostic(
        Level.WARNING, f"{where} parameter {str(param.get('name'))!r} is an array of objects, which "
        f"OpenAPI gives no serialization in a {where}: the client sends each item as compact JSON, "
        'comma-separated ({"a":1},{"a":2})', pointer_join(pointer, "schema"),
        "describe the parameter with `content: {application/json: {schema: ...}}` to send the "
        "whole array as JSON text, or make its items strings")
    if not any(d.pointer == found.pointer and d.message == found.message for d in diagnostics):
        diagnostics.append(found)  # once, though every operation of a path item shares it


def _is_array(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind) or "items" in schema


def _is_object(spec: Spec, schema: dict[str, Any], depth: int = 0) -> bool:
    """An object, or a union or allOf of schemas that are all objects."""
    kind = schema.get("type")
    if kind == "object" or (isinstance(kind, list) and "object" in kind) or "properties" in schema:
        return True
    for key in ("allOf", "oneOf", "anyOf"):
        parts = [spec.resolve(p)[0] for p in schema.get(key) or []]
        if parts and depth < 20 and all(isinstance(p, dict) and _is_object(spec, p, depth + 1) for p in parts):
            return True
    return False
