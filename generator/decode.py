"""YAML and JSON text -> plain JSON values, within bounds, or a `DecodeError` saying where.

A spec is untrusted input. Both parsers can be made to misbehave by a few bytes: YAML
aliases share one node many times (a "billion laughs" document expands exponentially when
walked), deep nesting exhausts the interpreter's recursion, explicit tags (`!!binary`,
`!!set`, `!!timestamp`) give values JSON cannot hold, and both formats allow duplicate keys
(the later one silently wins). So every document is walked once after parsing, under a
budget of values and a depth limit, and comes out as plain dicts, lists, str, int, finite
float, bool and None with string keys.

YAML is read with YAML 1.2 semantics for scalars, which is what OpenAPI means: only
true/false are booleans (`no` is Norway's country code), `0o17`/`0x1F` are the only
non-decimal integers, `1_000` and `12:30` are text. Numbers written with leading zeros
(`02134`, a ZIP code) stay text as written: YAML 1.1 would read an octal 1116 and the 1.2
core schema the number 2134; neither is what such a document means.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml

from generator.diagnostics import pointer_join

MAX_DEPTH = 200  # public documents nest at most ~25 levels
MAX_VALUES = 2_000_000  # plus one per byte of text: real documents hold ~0.1 per byte
MAX_INT_DIGITS = 4000  # below Python's int/str conversion limit (4300)

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NOT_JSON_TAGS = ("binary", "set", "timestamp", "omap", "pairs")


class DecodeError(Exception):
    """Text that does not give a usable document; `line` (1-based) or `pointer` say where."""

    def __init__(self, message: str, *, line: int | None = None, pointer: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.pointer = pointer
        self.hint = hint


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML loader with YAML 1.2 scalars and an error for duplicate keys."""

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = str(self.construct_scalar(node))
        sign, digits = (-1, text[1:]) if text[:1] == "-" else (1, text.lstrip("+"))
        if len(digits) > MAX_INT_DIGITS:
            raise DecodeError(f"an integer of {len(digits)} digits", line=node.start_mark.line + 1)
        if digits[:2] in ("0o", "0x"):
            return sign * int(digits[2:], 8 if digits[1] == "o" else 16)
        return sign * int(digits)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if _hashable(key) and key in seen:
                raise DecodeError(f"duplicate key {key!r} (also on line {seen[key]}); the later one "
                                  "would silently win", line=line, hint="remove or rename one of them")
            if _hashable(key):
                seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def refuse_tag(self, node: yaml.Node) -> Any:
        raise DecodeError(f"the YAML tag {node.tag.rsplit(':', 1)[-1]!r} gives a value JSON "
                          "cannot hold", line=node.start_mark.line + 1,
                          hint="OpenAPI documents hold JSON values: quote the text")


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


def _resolvers() -> dict[Any, list[tuple[str, Any]]]:
    replaced = {f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "timestamp")}
    return {first: [(tag, rx) for tag, rx in found if tag not in replaced]
            for first, found in _BaseLoader.yaml_implicit_resolvers.items()}


_Loader.yaml_implicit_resolvers = _resolvers()
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
for _tag in _NOT_JSON_TAGS:
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.refuse_tag)


def decode(text: str, fmt: str) -> Any:
    """The document in `text` ("json" or "yaml") as plain JSON values; DecodeError if not."""
    try:
        raw = json.loads(text, object_pairs_hook=_json_object) if fmt == "json" else (
            yaml.load(text, Loader=_Loader))
    except RecursionError:
        line, pointer = _too_deep(text) if fmt == "json" else (None, None)
        raise DecodeError(f"nested too deeply (more than {MAX_DEPTH} levels)", line=line,
                          pointer=pointer, hint="real documents nest some 25 levels: is the value there corrupt?") from None
    except ValueError as exc:  # int/str conversion limit, a JSON duplicate key
        if isinstance(exc, json.JSONDecodeError):
            raise
        raise DecodeError(str(exc)) from None
    return _Walk(MAX_VALUES + len(text)).value(raw)


# What matters for nesting in JSON text: a whole string (braces in it are text), a bracket, a comma.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],]', re.DOTALL)


def _too_deep(text: str) -> tuple[int | None, str | None]:
    """The line and pointer of the first value in JSON text nested deeper than MAX_DEPTH.

    For text the parser cannot take (it recursed out of the stack before it knew where):
    a scan of the brackets, keys and commas alone, without recursion."""
    path: list[str | int] = []
    in_object: list[bool] = []
    awaiting_key = False
    for token in _JSON_TOKEN.finditer(text):
        char = token.group()[0]
        if char == '"':
            if awaiting_key:
                path[-1], awaiting_key = _key(token.group()), False
        elif char in "{[":
            in_object.append(char == "{")
            path.append(0)
            awaiting_key = char == "{"
            if len(in_object) > MAX_DEPTH + 1:  # the outermost value is at depth 0
                line = text.count("\n", 0, token.start()) + 1
                return line, pointer_join("", *path[:-1])
        elif char in "}]" and in_object:
            in_object.pop()
            path.pop()
            awaiting_key = False
        elif char == "," and in_object:
            if in_object[-1]:
                awaiting_key = True
            elif isinstance(path[-1], int):
                path[-1] += 1
    return None, None


def _key(quoted: str) -> str:
    try:
        return str(json.loads(quoted))
    except ValueError:
        return quoted[1:-1]


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise DecodeError(f"duplicate key {key!r} in one object; the later one would silently win",
                              hint="remove or rename one of them")
        found[key] = value
    return found


class _Walk:
    """One pass over a parsed document: string keys, JSON values only, bounded.

    The path to the current value is kept as a list and made a pointer only for an error:
    building a pointer per value would double the cost of loading a large document.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.path: list[str | int] = []

    def fail(self, message: str, hint: str | None = None) -> DecodeError:
        return DecodeError(message, pointer=pointer_join("", *self.path), hint=hint)

    def value(self, value: Any, depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.fail("the document expands to too many values (YAML aliases repeating "
                            "large parts?)", "write the repeated parts once, as components and $refs")
        if depth > MAX_DEPTH:
            raise self.fail(f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            return self.mapping(value, depth)
        if isinstance(value, list):
            found = []
            for index, item in enumerate(value):
                self.path.append(index)
                found.append(self.value(item, depth + 1))
                self.path.pop()
            return found
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(f"{value} is not a JSON number", "leave the keyword out instead")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_INT_DIGITS:
            raise self.fail("an integer too large to use")
        if value is None or isinstance(value, (bool, int, float)):
            return value
        raise self.fail(f"a {type(value).__name__} is not a JSON value")

    def mapping(self, value: dict[Any, Any], depth: int) -> dict[str, Any]:
        found = {}
        for raw_key, item in value.items():
            key = self.key(raw_key)
            self.path.append(key)
            found[key] = self.value(item, depth + 1)
            self.path.pop()
        return found

    def key(self, key: Any) -> str:
        if isinstance(key, bool):
            return "true" if key else "false"
        if key is None:
            return "null"
        if isinstance(key, (str, int, float)):
            return self.text(str(key))
        raise self.fail(f"a {type(key).__name__} cannot be a key")

    def text(self, value: str) -> str:
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise self.fail("text with a lone surrogate (\\ud800-\\udfff), which is not "
                                "Unicode") from None
        return value
