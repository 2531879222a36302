"""From what went on the wire back to JSON values, as OpenAPI's `style`/`explode` say (the
sweep's mock server).

Query strings, url-encoded and multipart bodies arrive as (name, text) pairs. A name with
brackets (`metadata[key]`, `items[0][price]`, `expand[]`) is deepObject encoding, decoded into
nested objects and lists; arrays arrive as repeated names (form, exploded) or one delimited
text. Texts become numbers and booleans only where the schema asks for them (`coerce`), union
branches tried in order. Anything that does not decode is left as it came, for the schema
check to refuse.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from typing import Any

from scripts.sweep.conform import fits
from scripts.sweep.resolve import resolve

BRACKETS = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])+)$")
INTEGER = re.compile(r"^-?\d+$")
NUMBER = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
DELIMITERS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}
MAX_INDEX = 10_000  # `a[99999999]=x` is not turned into a list that long


def split_name(name: str) -> tuple[str, list[str]]:
    """`items[0][price]` -> ("items", ["0", "price"]); a name without brackets has none."""
    match = BRACKETS.match(name)
    if not match:
        return name, []
    return match.group(1), re.findall(r"\[([^\[\]]*)\]", match.group(2))


def group(pairs: list[tuple[str, Any]]) -> dict[str, list[tuple[list[str], Any]]]:
    """Pairs by their top-level name, each with its bracket segments."""
    grouped: dict[str, list[tuple[list[str], Any]]] = {}
    for name, value in pairs:
        top, segments = split_name(name)
        grouped.setdefault(top, []).append((segments, value))
    return grouped


def nested(entries: list[tuple[list[str], Any]]) -> Any:
    """deepObject entries (segments, value) as one nested value; `[]` appends to a list."""
    root: dict[str, Any] = {}
    for segments, value in entries:
        _insert(root, ["value", *segments], value)
    return root.get("value")


def _insert(container: Any, segments: list[str], value: Any) -> None:
    key, rest = segments[0], segments[1:]
    if isinstance(container, list):
        if not rest:
            container.append(value)
            return
        child: Any = [] if rest[0] == "" else {}
        container.append(child)
        _insert(child, rest, value)
        return
    if not rest:
        if key in container:  # a repeated name: a list of its values
            previous = container[key]
            container[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            container[key] = value
        return
    child = container.get(key)
    if not isinstance(child, (dict, list)):
        child = [] if rest[0] == "" else {}
        container[key] = child
    _insert(child, rest, value)


def decode(doc: dict[str, Any], schema: Any, entries: list[tuple[list[str], Any]], *,
           style: str, explode: bool) -> Any:
    """One parameter's or form field's value from its entries, before `coerce`."""
    if any(segments for segments, _ in entries):
        return nested(entries)
    values = [value for _, value in entries]
    kind = kind_of(doc, schema)
    if style == "deepObject":  # without brackets a bracket-reading server keeps the last text
        return values[-1]
    if kind == "array":
        if len(values) == 1 and isinstance(values[0], str) and not (explode and style == "form"):
            return values[0].split(DELIMITERS.get(style, ",")) if values[0] else []
        return values
    if kind == "object" and len(values) == 1 and isinstance(values[0], str) and not explode:
        items = values[0].split(DELIMITERS.get(style, ","))
        return dict(zip(items[::2], items[1::2], strict=False))
    return values[-1] if values else None


def simple(doc: dict[str, Any], schema: Any, text: str, *, explode: bool) -> Any:
    """A path or header value in `simple` style."""
    kind = kind_of(doc, schema)
    if kind == "array":
        return text.split(",") if text else []
    if kind == "object":
        items = text.split(",")
        if explode:
            return dict(item.partition("=")[::2] for item in items if item)
        return dict(zip(items[::2], items[1::2], strict=False))
    return text


def coerce(doc: dict[str, Any], schema: Any, value: Any, depth: int = 0) -> Any:
    """`value` with its texts read as the schema's numbers, booleans, arrays and objects."""
    schema = resolve(doc, schema)
    if not isinstance(schema, dict) or depth > 64:
        return value
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            tries = [coerce(doc, branch, value, depth + 1) for branch in schema[key]]
            return next((t for t, b in zip(tries, schema[key], strict=True) if fits(doc, b, t)),
                        tries[0])
    for part in schema.get("allOf") or []:
        value = coerce(doc, part, value, depth + 1)
    kinds = schema.get("type")
    for kind in kinds if isinstance(kinds, list) else [kinds or kind_of(doc, schema)]:
        made = _as(doc, schema, kind, value, depth)
        if made is not _NO:
            return made
    return value


_NO = object()


def _as(doc: dict[str, Any], schema: dict[str, Any], kind: str, value: Any, depth: int) -> Any:
    if isinstance(value, str):
        if kind == "integer" and INTEGER.match(value):
            return int(value)
        if kind == "number" and NUMBER.match(value):
            return int(value) if INTEGER.match(value) else float(value)
        if kind == "boolean" and value in ("true", "false"):
            return value == "true"
        if kind == "null" and value in ("", "null"):
            return None
        return _NO
    if kind == "array":
        if isinstance(value, dict) and value and all(k.isdigit() and int(k) < MAX_INDEX for k in value):
            value = [value[k] for k in sorted(value, key=int)]
        if isinstance(value, list):
            return [coerce(doc, schema.get("items", {}), item, depth + 1) for item in value]
    if kind == "object" and isinstance(value, dict):
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        return {k: coerce(doc, properties.get(k, extra if isinstance(extra, dict) else {}), v, depth + 1)
                for k, v in value.items()}
    return _NO


def kind_of(doc: dict[str, Any], schema: Any) -> str:
    """The schema's type, through `$ref`s and the first union branch that names one."""
    schema = resolve(doc, schema)
    if not isinstance(schema, dict):
        return ""
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "")
    if isinstance(kind, str):
        return kind
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key) or []:
            found = kind_of(doc, branch)
            if found:
                return found
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    return "array" if "items" in schema else ""


def multipart_pairs(content_type: str, body: bytes) -> list[tuple[str, Any]]:
    """(name, value) of every part: JSON parts parsed, files as the text `<file NAME>`, other
    parts as text."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    pairs: list[tuple[str, Any]] = []
    if not message.is_multipart():
        return pairs
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        raw = part.get_payload(decode=True)
        payload = raw if isinstance(raw, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            pairs.append((name, f"<file {filename}>"))
        elif part.get_content_type() == "application/json":
            try:
                pairs.append((name, json.loads(payload)))
            except ValueError:
                pairs.append((name, payload.decode("utf-8", "replace")))
        else:
            pairs.append((name, payload.decode(part.get_content_charset() or "utf-8", "replace")))
    return pairs
