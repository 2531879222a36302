"""A small JSON-schema check: does a value fit a schema? Used to vet a spec's examples and
defaults before the synthesizer sends them, and by the tests. Covers what the synthesizer
honours (types, formats, pattern, lengths, bounds, multipleOf, enum, const, items,
properties, unions); anything else is taken as fitting.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import ipaddress
import math
import re
import uuid
from collections.abc import Callable
from typing import Any

from scripts.sweep.patterns import python_regex
from scripts.sweep.resolve import resolve

MAX_DEPTH = 40


def _parses(check: Callable[[str], object]) -> Callable[[str], bool]:
    def test(text: str) -> bool:
        try:
            check(text)
        except (ValueError, binascii.Error):
            return False
        return True
    return test


FORMATS: dict[str, Callable[[str], bool]] = {
    "uuid": _parses(uuid.UUID),
    "date-time": _parses(lambda t: datetime.datetime.fromisoformat(t)
                         if "T" in t.upper() else int("x")),
    "date": _parses(lambda t: datetime.date.fromisoformat(t) if len(t) == 10 else int("x")),
    "time": _parses(lambda t: datetime.time.fromisoformat(t.replace("z", "Z"))),
    "duration": lambda t: re.fullmatch(
        r"P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?", t) is not None,
    "email": lambda t: re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", t) is not None,
    "ipv4": _parses(ipaddress.IPv4Address),
    "ipv6": _parses(ipaddress.IPv6Address),
    "uri": lambda t: re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", t) is not None,
    "byte": _parses(lambda t: base64.b64decode(t, validate=True)),
    # RFC 6901: "" or "/"-separated tokens with "~" only as ~0/~1 ("#/a" is a URI fragment)
    "json-pointer": lambda t: re.fullmatch(r"(/([^~/]|~[01])*)*", t) is not None,
    "relative-json-pointer": lambda t: re.fullmatch(r"(0|[1-9]\d*)(#|(/([^~/]|~[01])*)*)", t)
    is not None,
}
TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool)
    or isinstance(v, float) and v.is_integer(),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def fits(doc: dict[str, Any], schema: Any, value: Any, depth: int = 0) -> bool:
    """True when `value` satisfies `schema` (refs resolved in `doc`), as far as checked."""
    return not problems(doc, schema, value, depth)


def problems(doc: dict[str, Any], schema: Any, value: Any, depth: int = 0) -> list[str]:
    schema = resolve(doc, schema)
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return []
    if value is None and schema.get("nullable"):
        return []
    found = _keywords(doc, schema, value, depth)
    if isinstance(schema.get("not"), dict) and not problems(doc, schema["not"], value, depth + 1):
        found.append("matches its `not` schema")
    for part in schema.get("allOf", []):
        found += problems(doc, part, value, depth + 1)
    for key in ("oneOf", "anyOf"):
        branches = schema.get(key)
        if branches and all(problems(doc, b, value, depth + 1) for b in branches):
            found.append(f"matches no {key} branch")
    return found


def _keywords(doc: dict[str, Any], schema: dict[str, Any], value: Any, depth: int) -> list[str]:
    if "const" in schema and value != schema["const"]:
        return [f"{value!r} is not the const"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{value!r} not in enum"]
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types
    if types and not any(TYPES.get(t, lambda _: True)(value) for t in types):
        return [f"{value!r} is not {'/'.join(types)}"]
    if isinstance(value, str):
        return _string(schema, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(schema, value)
    if isinstance(value, list):
        return _array(doc, schema, value, depth)
    if isinstance(value, dict):
        return _object(doc, schema, value, depth)
    return []


def _string(schema: dict[str, Any], value: str) -> list[str]:
    found = []
    if len(value) < schema.get("minLength", 0):
        found.append("shorter than minLength")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        found.append("longer than maxLength")
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            if not re.search(python_regex(pattern), value):
                found.append(f"does not match {pattern!r}")
        except re.error:
            pass  # a regex Python cannot read: not ours to judge
    check = FORMATS.get(schema.get("format", ""))
    if check and not check(value):
        found.append(f"not a {schema['format']}")
    return found


def _number(schema: dict[str, Any], value: float) -> list[str]:
    found = []
    low, high = schema.get("minimum"), schema.get("maximum")
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if ex_low is True:
        ex_low, low = low, None
    if ex_high is True:
        ex_high, high = high, None
    if isinstance(low, (int, float)) and value < low or isinstance(high, (int, float)) and value > high:
        found.append("out of bounds")
    if isinstance(ex_low, (int, float)) and not isinstance(ex_low, bool) and value <= ex_low:
        found.append("not above exclusiveMinimum")
    if isinstance(ex_high, (int, float)) and not isinstance(ex_high, bool) and value >= ex_high:
        found.append("not below exclusiveMaximum")
    step = schema.get("multipleOf")
    if isinstance(step, (int, float)) and step > 0:
        ratio = value / step
        if not math.isclose(ratio, round(ratio), abs_tol=1e-9):
            found.append("not a multipleOf")
    return found


def _array(doc: dict[str, Any], schema: dict[str, Any], value: list[Any], depth: int) -> list[str]:
    found = []
    if len(value) < schema.get("minItems", 0):
        found.append("fewer than minItems")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        found.append("more than maxItems")
    if "items" in schema:
        for item in value:
            found += problems(doc, schema["items"], item, depth + 1)
    return found


def _object(doc: dict[str, Any], schema: dict[str, Any], value: dict[str, Any], depth: int) -> list[str]:
    properties = schema.get("properties") or {}
    found = [f"missing {name!r}" for name in schema.get("required", []) if name not in value]
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            found += problems(doc, properties[name], item, depth + 1)
        elif extra is False:
            found.append(f"unexpected {name!r}")
        elif isinstance(extra, dict):
            found += problems(doc, extra, item, depth + 1)
    return found
