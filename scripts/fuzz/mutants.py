"""Hypothesis strategies for mutants of real documents: structural changes to the parsed
document (a value deleted, replaced by a hostile one, a key renamed, a subtree copied where
it does not belong, a `$ref` aimed anywhere) and changes to the text (cut short, a line
repeated or dropped, hostile YAML inserted)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from generator.decode import DecodeError, decode
from generator.diagnostics import pointer_join

HOSTILE_VALUES: tuple[Any, ...] = (
    "", "X", "Default", 0, -1, 2**64, -(2**63) - 1, 1e308, 0.5, None, True, False, [], {}, "{x}",
    "a" * 2000, "\u202eevil", "e\u0301", "🐍", {"type": "string"}, {"type": "object"}, [None],
    {"$ref": "#"}, {"$ref": ""}, {"$ref": "#/nope"}, {"$ref": "../outside.yaml#/X"},
    {"$ref": "/dev/zero"}, {"$ref": "/etc/passwd"}, {"$ref": "#/paths"}, {"$ref": "#/components"},
)
HOSTILE_KEYS = ("X", "", "Default", "999", "2XXX", "$ref", "default", "enum", "type", "const",
                "nullable", "oneOf", "allOf", "items", "properties", "required", "{x}", "class")
HOSTILE_TEXT = (
    "x-bin: !!binary aGVsbG8=\n", "x-set: !!set {a: null}\n", "x-ts: !!timestamp 2024-01-01\n",
    "x-alias: &a [1, 2]\nx-more: [*a, *a, *a]\n", "x-dup: 1\nx-dup: 2\n", "x-tab:\t1\n",
    "x-deep: " + "[" * 300 + "]" * 300 + "\n", "x-int: " + "9" * 5000 + "\n", "x-nan: .nan\n",
    "x-octal: 0777\n", "%YAML 1.1\n", "---\n", "...\n", "x: {\n",
)
MAX_NODES = 20_000


def _nodes(data: Any) -> list[tuple[list[str | int], Any]]:
    """Every value with its path, breadth first, at most MAX_NODES."""
    found: list[tuple[list[str | int], Any]] = []
    queue: list[tuple[list[str | int], Any]] = [([], data)]
    while queue and len(found) < MAX_NODES:
        path, node = queue.pop(0)
        found.append((path, node))
        if isinstance(node, dict):
            queue.extend(([*path, k], v) for k, v in node.items())
        elif isinstance(node, list):
            queue.extend(([*path, i], v) for i, v in enumerate(node))
    return found


def _parent(data: Any, path: list[str | int]) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def _mutate(draw: st.DrawFn, data: Any) -> Any:
    nodes = _nodes(data)[1:]
    if not nodes:
        return data
    path, node = nodes[draw(st.integers(0, len(nodes) - 1))]
    parent, last = _parent(data, path), path[-1]
    action = draw(st.sampled_from(["delete", "value", "ref", "rename", "copy", "wrap"]))
    if action == "delete":
        del parent[last]
    elif action == "value":
        parent[last] = copy.deepcopy(draw(st.sampled_from(HOSTILE_VALUES)))
    elif action == "ref":
        other = pointer_join("", *nodes[draw(st.integers(0, len(nodes) - 1))][0])
        parent[last] = {"$ref": "#" + draw(st.sampled_from([other, other, other + "/x", "", "/"]))}
    elif action == "rename" and isinstance(parent, dict):
        key = draw(st.sampled_from(HOSTILE_KEYS))
        parent[key] = parent.pop(last)
    elif action == "copy":
        parent[last] = copy.deepcopy(nodes[draw(st.integers(0, len(nodes) - 1))][1])
    else:
        parent[last] = draw(st.sampled_from([[node], {"allOf": [node]}, {"oneOf": [node, node]}]))
    return data


def _text_mutation(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    index = draw(st.integers(0, len(lines) - 1))
    action = draw(st.sampled_from(["cut", "drop", "repeat", "insert"]))
    if action == "cut":
        return text[: draw(st.integers(0, len(text)))]
    if action == "drop":
        return "".join(lines[:index] + lines[index + 1:])
    if action == "repeat":
        return "".join(lines[: index + 1] + lines[index:])
    return "".join(lines[:index] + [draw(st.sampled_from(HOSTILE_TEXT))] + lines[index:])


MAX_BYTES = 1_000_000  # larger documents take minutes per run: too slow to mutate by the hundred


def load_corpus(files: list[Path]) -> list[tuple[str, Any]]:
    """(name, parsed document) of each file that parses (pages and fragments are left out)."""
    found = []
    for path in files:
        if path.stat().st_size > MAX_BYTES:
            continue
        try:
            data = decode(path.read_text(encoding="utf-8"), "json" if path.suffix == ".json" else "yaml")
        except (DecodeError, ValueError, yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and "openapi" in data:
            found.append((path.stem, data))
    return found


@st.composite
def mutants(draw: st.DrawFn, corpus: list[tuple[str, Any]]) -> tuple[str, str, str]:
    """(origin, text, suffix) of one mutant of a corpus document."""
    name, original = corpus[draw(st.integers(0, len(corpus) - 1))]
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 4))):
        data = draw(_mutate(data))
    if draw(st.booleans()):
        return name, json.dumps(data, ensure_ascii=draw(st.booleans())), ".json"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    if draw(st.integers(0, 3)) == 0:
        text = _text_mutation(draw, text)
    return name, text, ".yaml"
