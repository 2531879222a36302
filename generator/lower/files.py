"""File values in request bodies: which schemas are files, and how a form's fields are sent.

Files travel as multipart parts and as whole bodies (`application/octet-stream`, `image/png`,
...): there a `format: binary` (3.0) or a `contentMediaType` without `contentEncoding` (3.1)
is a file sent raw, and `format: byte`/`base64` (3.0) or `contentEncoding: base64` (3.1) a
file sent base64-encoded. Inside JSON they are what JSON can hold: `format: binary` bytes,
the others text (`str`).
"""

from __future__ import annotations

import re
from typing import Any

from generator.ir import BodyLayout
from generator.parse import Spec

_BASE64_FORMATS = ("byte", "base64")
_UNIONS = ("anyOf", "oneOf")
# What may travel in a part header: a token name, a value without control characters.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")


def file_kind(schema: Any) -> str | None:
    """"raw" or "base64" when a string schema, as a multipart part or a whole body, is a file."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    if not isinstance(schema, dict) or not (kind in (None, "string") or isinstance(kind, list) and "string" in kind):
        return None
    encoding = schema.get("contentEncoding")
    if schema.get("format") == "binary" or "contentMediaType" in schema and encoding is None:
        return "raw"
    if schema.get("format") in _BASE64_FORMATS or str(encoding).lower() == "base64":
        return "base64"
    return None


def part_file(spec: Spec, schema: Any, seen: frozenset[int] = frozenset()) -> tuple[str, dict[str, Any]] | None:
    """A multipart property that holds a file, or a list of them (directly, through `$ref`s
    or as a branch of a union such as FastAPI's `anyOf: [file, null]`): its kind and the
    file's schema."""
    schema, _ = spec.resolve(schema)
    if not isinstance(schema, dict) or id(schema) in seen:
        return None
    seen |= {id(schema)}
    kind = file_kind(schema)
    if kind is not None:
        return kind, schema
    if schema.get("type") == "array" or "items" in schema:
        return part_file(spec, schema.get("items"), seen)
    for key in _UNIONS:
        for branch in schema.get(key) or []:
            found = part_file(spec, branch, seen)
            if found is not None:
                return found
    return None


def layout(spec: Spec, properties: dict[str, Any], media: dict[str, Any], encoding: str) -> BodyLayout | None:
    """How the properties of a multipart or url-encoded body are sent: files, base64 files,
    part content types and headers (multipart) and styles (forms), from the schemas and the
    media type's `encoding` object."""
    raw = media.get("encoding")
    encodings: dict[str, Any] = raw if isinstance(raw, dict) else {}
    files, base64, types, headers, styles = [], [], [], [], []
    for name, prop in properties.items():
        how: dict[str, Any] = encodings[name] if isinstance(encodings.get(name), dict) else {}
        found = part_file(spec, prop) if encoding == "multipart" else None
        files += [name] if found else []
        base64 += [name] if found and found[0] == "base64" else []
        content_type = _content_type(how.get("contentType")) or (
            _content_type(found[1].get("contentMediaType")) if found else None)
        types += [(name, content_type)] if content_type else []
        fixed = _fixed_headers(spec, how) if encoding == "multipart" else ()
        headers += [(name, fixed)] if fixed else []
        if "style" in how or "explode" in how:  # multipart too: OpenAPI 3.1 says so
            style = str(how.get("style") or "form")
            styles.append((name, style, how.get("explode", style == "form") is True))
    found_layout = BodyLayout(tuple(files), tuple(base64), tuple(types), tuple(headers), tuple(styles))
    return found_layout if found_layout != BodyLayout() else None


def _content_type(value: Any) -> str | None:
    """One concrete media type: the first of a list (`image/png, image/jpeg`), none for a
    wildcard (`image/*`), which names no type to send."""
    if not isinstance(value, str):
        return None
    first = value.split(",")[0].strip()
    if "*" in first or not _HEADER_VALUE.fullmatch(first) or "/" not in first:
        return None
    return first


def _fixed_headers(spec: Spec, how: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A part's headers that have one value to send (`const`, a one-value `enum`, a
    `default`); Content-Type is described by `contentType`, never here."""
    found = []
    raw = how.get("headers")
    for name, header in (raw if isinstance(raw, dict) else {}).items():
        header, _ = spec.resolve(header)
        schema, _ = spec.resolve(header.get("schema") if isinstance(header, dict) else None)
        value = _fixed_value(schema)
        if value is None or not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            continue
        if name.lower() == "content-type":
            continue
        if _HEADER_VALUE.fullmatch(value):
            found.append((name, value))
    return tuple(found)


def _fixed_value(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    enum = schema.get("enum")
    for value in (schema.get("const"), enum[0] if isinstance(enum, list) and len(enum) == 1 else None,
                  schema.get("default")):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
    return None
