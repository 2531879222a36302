"""Check one request against its operation, as Prism would (the sweep's mock server).

Parameters (path, query, header, cookie) and the body are decoded back to JSON values by their
`style`/`explode` and `encoding` (scripts/sweep/mock_wire.py), then validated with jsonschema
against the schemas in the document; each problem is a Prism-style violation
(`{"location": ["request", "query", "limit"], "code": "type", "message": ...}`).
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from scripts.sweep.mock_schema import Checker
from scripts.sweep.mock_wire import (
    coerce,
    decode,
    group,
    kind_of,
    multipart_pairs,
    simple,
)
from scripts.sweep.resolve import escape, pointer_get, resolve

IGNORED_HEADERS = {"accept", "content-type", "authorization"}  # OpenAPI: described elsewhere
DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


@dataclass
class Incoming:
    method: str
    path_values: dict[str, str]
    query: list[tuple[str, str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass
class Problem:
    """Why a request is refused before its operation's checks: 415 or 401."""

    status: int
    kind: str  # Prism's problem type: INVALID_CONTENT_TYPE, UNAUTHORIZED
    message: str


def follow(doc: dict[str, Any], raw: Any, pointer: str) -> tuple[Any, str]:
    """An object that may be a `$ref` (parameter, requestBody, response): it and its pointer."""
    for _ in range(20):
        ref = raw.get("$ref") if isinstance(raw, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#"):
            return raw, pointer
        pointer, raw = ref, _at(doc, ref)
    return {}, pointer


def _at(doc: dict[str, Any], pointer: str) -> Any:
    try:
        return pointer_get(doc, pointer)
    except (KeyError, IndexError, ValueError, TypeError):
        return {}


def parameters(doc: dict[str, Any], op_pointer: str) -> list[tuple[dict[str, Any], str]]:
    """The operation's parameters with their pointers, path-level ones it does not override."""
    item_pointer = op_pointer.rsplit("/", 1)[0]
    found: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for where in (item_pointer, op_pointer):
        for index, raw in enumerate(_at(doc, where).get("parameters") or []):
            param, at = follow(doc, raw, f"{where}/parameters/{index}")
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                name = param["name"].lower() if param.get("in") == "header" else param["name"]
                found[(str(param.get("in")), name)] = (param, at)
    return list(found.values())


def security_problem(doc: dict[str, Any], op: dict[str, Any], request: Incoming) -> Problem | None:
    """No requirement of the operation met: Prism's 401 (credentials are only checked present)."""
    requirements = op.get("security", doc.get("security"))
    if not isinstance(requirements, list) or not requirements:
        return None
    schemes = (doc.get("components") or {}).get("securitySchemes") or {}
    for requirement in requirements:
        if not isinstance(requirement, dict) or all(
                _presented(resolve(doc, schemes.get(name)), request) for name in requirement):
            return None
    return Problem(401, "UNAUTHORIZED", "Invalid security scheme used")


def _presented(scheme: Any, request: Incoming) -> bool:
    if not isinstance(scheme, dict):
        return False
    if scheme.get("type") == "apiKey":
        name, where = str(scheme.get("name", "")), scheme.get("in")
        if where == "query":
            return any(key == name for key, _ in request.query)
        if where == "cookie":
            return name in request.cookies
        return name.lower() in request.headers
    authorization = request.headers.get("authorization", "")
    if scheme.get("type") == "http":
        return authorization.lower().startswith(str(scheme.get("scheme", "")).lower() + " ")
    return bool(authorization) or scheme.get("type") == "mutualTLS"


def check(doc: dict[str, Any], checker: Checker, op_pointer: str,
          request: Incoming) -> tuple[list[dict[str, Any]], Problem | None]:
    """Violations of the request, or the problem that stops the check (415)."""
    found: list[dict[str, Any]] = []
    grouped = {"query": group(request.query), "cookie": group(list(request.cookies.items()))}
    declared = parameters(doc, op_pointer)
    grouped["claimed"] = {(str(p.get("in")), str(p["name"])) for p, _ in declared}
    for param, at in declared:
        found += _parameter(doc, checker, param, at, request, grouped)
    op = _at(doc, op_pointer)
    body, problem = _body(doc, checker, op, op_pointer, request)
    return found + body, problem


def _parameter(doc: dict[str, Any], checker: Checker, param: dict[str, Any], at: str,
               request: Incoming, grouped: dict[str, Any]) -> list[dict[str, Any]]:
    where, name = str(param.get("in")), str(param["name"])
    if where == "header" and name.lower() in IGNORED_HEADERS:
        return []
    location = ["request", where, name]
    schema_at, schema = f"{at}/schema", param.get("schema")
    content = param.get("content")
    if schema is None and isinstance(content, dict) and content:
        media = next(iter(content))
        schema_at, schema = f"{at}/content/{escape(media)}/schema", (content[media] or {}).get("schema")
    raw = _raw(doc, param, schema, where, name, request, grouped)
    if raw is None:
        if param.get("required"):
            return [{"location": location, "severity": "Error", "code": "required",
                     "message": f"must have required property '{name}'"}]
        return []
    if schema is None:
        return []
    if content and isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            pass
    return checker.violations(schema_at, coerce(doc, schema, raw), location)


def _raw(doc: dict[str, Any], param: dict[str, Any], schema: Any, where: str, name: str,
         request: Incoming, grouped: dict[str, Any]) -> Any:
    style = str(param.get("style") or DEFAULT_STYLE.get(where, "form"))
    explode = bool(param.get("explode", style == "form"))
    if where == "path":
        text = request.path_values.get(name)
        return None if text is None else simple(doc, schema, urllib.parse.unquote(text), explode=explode)
    if where == "header":
        text = request.headers.get(name.lower())
        return None if text is None else simple(doc, schema, text, explode=explode)
    entries = grouped[where].get(name)
    if not entries and style == "form" and explode and kind_of(doc, schema) == "object":
        return _exploded_object(doc, schema, where, grouped)
    if not entries:
        return None
    if where == "cookie" and kind_of(doc, schema) == "array" and len(entries) == 1:
        style = "simple"  # one cookie `name=a,b` (a Cookie header has no room for `name=a; name=b`)
    return decode(doc, schema, entries, style=style, explode=explode)


def _exploded_object(doc: dict[str, Any], schema: Any, where: str, grouped: dict[str, Any]) -> Any:
    """A `form`, `explode: true` object: each property its own query key or cookie (`a=x&b=y`),
    not under the parameter's name. Its keys are its declared properties and, where the
    schema admits others, every key no other parameter of the operation claims."""
    target = resolve(doc, schema)
    target = target if isinstance(target, dict) else {}
    properties = set(target.get("properties") or {})
    for part in target.get("allOf") or []:
        part = resolve(doc, part)
        properties |= set((part.get("properties") or {}) if isinstance(part, dict) else {})
    open_ended = target.get("additionalProperties", True) is not False
    value = {key: entries[-1][1] for key, entries in grouped[where].items()
             if key in properties or (open_ended and (where, key) not in grouped["claimed"])}
    return value or None


def _body(doc: dict[str, Any], checker: Checker, op: dict[str, Any], op_pointer: str,
          request: Incoming) -> tuple[list[dict[str, Any]], Problem | None]:
    declared, at = follow(doc, op.get("requestBody"), f"{op_pointer}/requestBody")
    content = (declared or {}).get("content") or {} if isinstance(declared, dict) else {}
    sent = request.headers.get("content-type", "")
    if not request.body:
        if isinstance(declared, dict) and declared.get("required"):
            return [{"location": ["request", "body"], "severity": "Error", "code": "required",
                     "message": "Body parameter is required"}], None
        return [], None
    media = _media(content, sent.split(";")[0].strip().lower())
    if media is None:
        return [], Problem(415, "INVALID_CONTENT_TYPE",
                           f"Supported content types: {', '.join(content) or 'none'}")
    entry = content[media] or {}
    schema = entry.get("schema")
    if schema is None:
        return [], None
    value, error = _parsed(doc, schema, entry, sent, request.body)
    if error:
        return [{"location": ["request", "body"], "severity": "Error", "code": "parse",
                 "message": error}], None
    if value is _UNCHECKED:
        return [], None
    return checker.violations(f"{at}/content/{escape(media)}/schema", value, ["request", "body"]), None


_UNCHECKED = object()


def _media(content: dict[str, Any], sent: str) -> str | None:
    if sent in content:
        return sent
    family = sent.split("/")[0] + "/*"
    return family if family in content else "*/*" if "*/*" in content else None


def _parsed(doc: dict[str, Any], schema: Any, entry: dict[str, Any], sent: str,
            body: bytes) -> tuple[Any, str]:
    media = sent.split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        try:
            return json.loads(body), ""
        except ValueError as exc:
            return None, f"Body is not JSON: {exc}"
    if media == "application/x-www-form-urlencoded":
        pairs = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        return _form(doc, schema, entry, pairs), ""
    if media == "multipart/form-data":
        return _form(doc, schema, entry, multipart_pairs(sent, body)), ""
    return _UNCHECKED, ""  # a file or text body: its bytes are not a JSON value


def _form(doc: dict[str, Any], schema: Any, entry: dict[str, Any], pairs: list[tuple[str, Any]]) -> Any:
    """A form body as the object it encodes, each field by its `encoding` entry."""
    target = resolve(doc, schema)
    properties = (target.get("properties") or {}) if isinstance(target, dict) else {}
    extra = target.get("additionalProperties") if isinstance(target, dict) else None
    encodings = entry.get("encoding") or {}
    value: dict[str, Any] = {}
    for name, entries in group(pairs).items():
        spec = encodings.get(name) or {}
        style = str(spec.get("style") or "form")
        field_schema = properties.get(name, extra if isinstance(extra, dict) else {})
        decoded = decode(doc, field_schema, entries, style=style,
                         explode=bool(spec.get("explode", style == "form")))
        if "json" in str(spec.get("contentType", "")) and isinstance(decoded, str):
            try:
                decoded = json.loads(decoded)
            except ValueError:
                pass
        value[name] = decoded
    return coerce(doc, schema, value)
