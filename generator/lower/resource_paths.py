"""Where the rule puts each operation: its resource path (`chat.completions`), as keys.

One rule for every client, small or large:

- a group extension (`x-speakeasy-group`, `x-fern-sdk-group-name`) gives the path as written:
  `users.notifications`, or a list of names;
- else the first tag names the top resource, and the path's *resource segments* after the
  segment named like the tag (singular or plural) are its sub-resources: `Chat` with
  `/chat/completions` -> `chat.completions`. Where no segment is named like the tag, they
  follow the segments that all such paths of the tag start with (tag `issues`:
  `/repos/{o}/{r}/milestones/{n}` and `/repos/{o}/{r}/labels` -> `issues.milestones`,
  `issues`), unless they start with a segment no other tag's paths have: the tag is then a
  label over resources of its own, named by the path as below (tag `Assistants`,
  `/threads/{id}/runs` -> `threads.runs`);
- else the first segment that names something (no parameter, version, `api` or `rest`
  prefix) is the top resource and the resource segments after it its sub-resources
  (`/v1/customers/{id}/sources` -> `customers.sources`);
- an operation with none of these (`GET /`) is a method of the Client itself.

A path's resource segments are its named segments (versions anywhere, and parameters, name
nothing) except the last when it is no collection, i.e. when no path of the API continues it
with a parameter: `/files/{id}/content` and `/jobs/{id}/cancel` are methods (`content`,
`cancel`), `/threads/{id}/runs` with `/threads/{id}/runs/{run_id}` is a resource.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from generator.lower import names

GROUP_EXTENSIONS = ("x-speakeasy-group", "x-fern-sdk-group-name")
_VERSION = re.compile(r"(v\d+([._-]?\d+)*([._-]?(alpha|beta)\d*)?|\d[\d._-]*)", re.IGNORECASE)
_PREFIX = re.compile(r"(api|rest)", re.IGNORECASE)

Keys = tuple[str, ...]
Segments = tuple[str | None, ...]  # a named segment as its snake name; a parameter as None


def segments(path: str) -> Segments:
    """The segments of a path template that matter for grouping (a query or fragment written
    into the template, as in `/responses?beta=true`, is no segment)."""
    found: list[str | None] = []
    for part in re.split(r"[?#]", path, maxsplit=1)[0].split("/"):
        if not part:
            continue
        if "{" in part:
            found.append(None)
        elif _VERSION.fullmatch(part) or (_PREFIX.fullmatch(part) and not any(found)):
            continue
        else:
            key = names.snake(part)
            if key:
                found.append(key)
    return tuple(found)


def collections_of(paths: Iterable[str]) -> set[Segments]:
    """Every run of segments some path continues with a parameter (`files` in `/files/{id}`)."""
    found: set[Segments] = set()
    for path in paths:
        parts = segments(path)
        for index in range(len(parts) - 1):
            if parts[index] is not None and parts[index + 1] is None:
                found.add(parts[: index + 1])
    return found


def levels(parts: Segments, collections: set[Segments]) -> Keys:
    """The resource segments: the named ones, less a last one that is no collection."""
    named = [(i, p) for i, p in enumerate(parts) if p is not None]
    if named and named[-1][0] == len(parts) - 1 and parts not in collections:
        named.pop()
    return tuple(p for _, p in named)


def explicit(op: Mapping[str, Any]) -> Keys | None:
    """The path a group extension gives: `a.b`, or a list of names."""
    for key in GROUP_EXTENSIONS:
        value = op.get(key)
        parts = value.split(".") if isinstance(value, str) else value
        if isinstance(parts, list) and all(isinstance(p, str) for p in parts):
            keys = tuple(k for k in (names.snake(p) for p in parts) if k)
            if keys:
                return keys
    return None


def first_tag(op: Mapping[str, Any]) -> str | None:
    tags = op.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], str) and names.snake(tags[0]):
        return names.snake(tags[0])
    return None


class Placement:
    """The rule, for the operations of one document: `place(op, path)` -> keys or None."""

    def __init__(self, operations: Mapping[tuple[str, str], Mapping[str, Any]]) -> None:
        self._collections = collections_of(path for _, path in operations)
        # tag -> the resource segments all its paths without a segment named like it start with
        self._shared: dict[str, Keys] = {}
        owners: dict[str, set[str | None]] = {}  # first named segment -> the tags of its paths
        for (_, path), op in operations.items():
            tag = first_tag(op) if explicit(op) is None else None
            parts = segments(path)
            first = next((p for p in parts if p is not None), None)
            if first is not None:
                owners.setdefault(first, set()).add(tag)
            if tag is None or _named(parts, tag):
                continue
            mine = levels(parts, self._collections)
            self._shared[tag] = _common(self._shared.get(tag, mine), mine)
        # tags whose paths lie under a resource of their own (`/threads` under `Assistants`,
        # no other tag's path starts there): a label over resources the path names better
        self._labels = {tag for tag, shared in self._shared.items() if shared and owners.get(shared[0]) == {tag}}

    def place(self, op: Mapping[str, Any], path: str) -> Keys | None:
        given = explicit(op)
        if given is not None:
            return given
        parts = segments(path)
        resource = levels(parts, self._collections)
        tag = first_tag(op)
        named_by_tag = tag is not None and _named(parts, tag)
        if tag is None or (tag in self._labels and not named_by_tag):
            named = [p for p in parts if p is not None]
            return (named[0], *resource[1:]) if named else None
        for index, level in enumerate(resource):
            if names.same_name(level, tag):
                return (tag, *resource[index + 1:])
        if named_by_tag:
            return (tag,)  # named by its last segment, which is no resource (`/audit_logs`)
        return (tag, *resource[len(self._shared.get(tag, ())):])


def _named(parts: Segments, tag: str) -> bool:
    """Whether a segment of the path is the tag's name."""
    return any(p and names.same_name(p, tag) for p in parts)


def _common(a: Keys, b: Keys) -> Keys:
    """The longest prefix two paths share."""
    size = 0
    while size < min(len(a), len(b)) and a[size] == b[size]:
        size += 1
    return a[:size]


def renamed(keys: Keys, renames: Mapping[str, str]) -> Keys:
    """`keys` with the longest prefix a `resources` option names replaced by its value. An
    option's key is a tag, segment or extension value as written (`Fine-tuning`), or a
    dotted path of keys (`threads.runs`); its value a dotted path of attributes."""
    table: dict[Keys, Keys] = {}
    for key, value in renames.items():
        target = tuple(value.split("."))
        table.setdefault((names.snake(key),), target)
        table.setdefault(tuple(names.snake(p) for p in key.split(".")), target)
    for size in range(len(keys), 0, -1):
        if keys[:size] in table:
            return table[keys[:size]] + keys[size:]
    return keys
