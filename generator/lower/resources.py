"""Operations grouped into resources: `client.pets.list(...)`.

One rule for every client, small or large:

- an operation belongs to the resource its group extension names (`x-speakeasy-group`,
  `x-fern-sdk-group-name`), else its first tag, else the first segment of its path that is
  neither a parameter nor a version or `api` prefix (`/v1/customers/{id}` -> `customers`);
  `[tool.clientgen.clients.<name>] resources` renames any of these, `methods` moves one
  operation (`"listPets" = "animals.list"`);
- one with none of these (`GET /`) is a method of the Client itself;
- inside a resource a method drops the resource's words (`pets.list_pets` -> `pets.list`),
  unless that leaves a name another method of the resource has: those keep their full names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from generator.ir import Operation, PyType, Resource
from generator.lower import names, pytypes
from generator.lower.text import clean
from generator.parse import Spec

# Names a resource class must not take in its own module or in _client.py (imported there).
_TAKEN_CLASSES = names.RESERVED_CLASS_NAMES | {
    "Client", "AsyncClient", "ClientMethods", "AsyncClientMethods", "Endpoint", "Param", "Body",
    "NotGiven", "Timeout", "Scheme", "Server", "ServerVariable", "ApiKey", "Bearer", "Basic",
    "SyncAPIClient", "AsyncAPIClient", "SyncResource", "AsyncResource", "Union", "IO",
    "Generic", "TypeVar", "Callable", "Protocol",
    # what a resource module may import from _base for pages, streams and patterns
    "SyncPage", "AsyncPage", "Paging", "Stream", "AsyncStream", "Events", "FileInput",
    "Lookaheads", "Any", "Literal", "Annotated",
}
# A resource is a property of the Client classes, whose bodies use only builtins, httpx and
# capitalised names in annotations: `client.models` and `client.errors` are fine there.
_FROM_BASE = frozenset({"FileInput", "Lookaheads"})
_TAKEN_ATTRIBUTES = (names.RESERVED_METHOD_NAMES | names.CLIENT_MEMBERS) - {
    "models", "errors", "os", "cache", "overload", "deprecated"}


def group_of(op: dict[str, Any], path: str) -> str | None:
    """What names an operation's resource before renaming: extension, tag, path segment."""
    for key in ("x-speakeasy-group", "x-fern-sdk-group-name"):
        value = op.get(key)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = "_".join(value)  # nested groups are joined: users.notifications -> users_notifications
        if isinstance(value, str) and names.snake(value):
            return value
    tags = op.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], str) and names.snake(tags[0]):
        return tags[0]
    return names.path_resource(path)


def group(
    spec: Spec,
    operations: tuple[Operation, ...],
    renames: Mapping[str, str],
    moved: Mapping[str, str],
    taken_classes: frozenset[str] = frozenset(),
) -> tuple[tuple[Operation, ...], tuple[Resource, ...], Resource | None]:
    """The operations with their resource and method names, the resources, the root.

    `renames`: group (tag, segment or extension value) -> attribute; `moved`: flat
    operation name -> attribute ("" for the Client itself)."""
    raw = _raw_operations(spec)
    members: dict[str | None, list[Operation]] = {}
    attributes = names.Namespace(_TAKEN_ATTRIBUTES)
    by_group: dict[str, str] = {}
    origins: dict[str, set[str]] = {}  # attribute -> the groups it was named from (words to drop)
    for op in operations:
        found = group_of(raw.get((op.method.lower(), op.path), {}), op.path)
        attribute = moved.get(op.flat) or (renames.get(found, found) if found else None)
        if attribute is not None:
            key = names.snake(attribute) or "resource"
            if key not in by_group:
                by_group[key] = attributes.claim(_attribute_name(key), "_")
            attribute = by_group[key]
            origins.setdefault(attribute, set()).update(names.snake(w) for w in (found, key) if w)
        members.setdefault(attribute, []).append(op)
    docs = _tag_docs(spec)
    classes = names.Namespace(_TAKEN_CLASSES | taken_classes)
    resources = []
    root: Resource | None = None
    renamed: dict[int, Operation] = {}
    for attribute, ops in members.items():
        # the words a method drops: its resource's name and the group names it came from
        words = tuple(sorted(origins.get(attribute or "", set()) | {attribute or ""} - {""}, key=len, reverse=True))
        named = _method_names(ops, words if attribute else None, attributes if attribute is None else None)
        ops = [_placed(op, attribute, named[id(op)]) for op in ops]
        renamed.update((id(old), new) for old, new in zip(members[attribute], ops))
        if attribute is None:
            root = _resource(None, "_root", "ClientMethods", tuple(ops), None)
            continue
        sync_class = classes.claim(names.class_name(attribute))
        async_class = classes.claim(f"Async{sync_class}")
        doc = next((docs[w] for w in sorted(origins.get(attribute, ())) if w in docs), None)
        resources.append(_resource(attribute, attribute, sync_class, tuple(ops), doc, async_class))
    ordered = tuple(renamed[id(op)] for op in operations)
    return ordered, tuple(sorted(resources, key=lambda r: r.module)), root


def _raw_operations(spec: Spec) -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path, item in (spec.data.get("paths") or {}).items():
        item, _ = spec.resolve(item)
        if isinstance(item, dict):
            for method, op in item.items():
                if isinstance(op, dict):
                    found[(str(method), str(path))] = op
    return found


def _tag_docs(spec: Spec) -> dict[str, str]:
    """The description of each tag, by the attribute its name gives."""
    found: dict[str, str] = {}
    for tag in spec.data.get("tags") or []:
        if isinstance(tag, dict) and isinstance(tag.get("name"), str):
            text = clean(tag.get("description"))
            if text:
                found.setdefault(names.snake(tag["name"]), text)
    return found


def _attribute_name(key: str) -> str:
    """A resource's attribute: an identifier, not a keyword nor a Client member."""
    name = names.method_name(key)
    if name != key and name.rstrip("_") in ("models", "errors", "os", "cache", "overload", "deprecated"):
        return key  # reserved for methods (class bodies' annotations), not for properties
    return name


def _strip(flat: str, words: tuple[str, ...]) -> str:
    """The name without each of its resource's names (its attribute, the tag it came from)."""
    for word in words:
        flat = names.strip_resource(flat, word) if flat != word else flat
    return flat


def _method_names(ops: list[Operation], words: tuple[str, ...] | None,
                  client: names.Namespace | None) -> dict[int, str]:
    """Each operation's method name in its resource: the resource's words dropped where
    no other method of the resource ends up with the same name."""
    wanted = {id(op): op.wanted or op.flat for op in ops}
    short = {id(op): wanted[id(op)] if op.wanted or not words
             else _usable(_strip(op.flat, words), op.flat) for op in ops}
    while True:  # a shortened name another method takes: both keep their longer names
        counts: dict[str, int] = {}
        for value in short.values():
            counts[value] = counts.get(value, 0) + 1
        clashing = [k for k, v in short.items() if counts[v] > 1 and v != wanted[k]]
        if not clashing:
            break
        for key in clashing:
            short[key] = wanted[key]
    space = client or names.Namespace(names.RESERVED_METHOD_NAMES - {"list"})
    return {id(op): space.claim(short[id(op)], "_") for op in ops}


def _usable(candidate: str, fallback: str) -> str:
    if candidate == "list":
        return candidate  # defined last in its class (ir.Resource.ordered)
    if names.method_name(candidate) != candidate:
        return fallback
    return candidate


def _placed(op: Operation, attribute: str | None, name: str) -> Operation:
    call = f"{attribute}.{name}" if attribute else name
    example = op.example.replace(f"client.{op.flat}(", f"client.{call}(", 1)
    return dataclasses.replace(op, name=name, resource=attribute, constant=f"_{name}_endpoint",
                               example=example)


def _signature_types(op: Operation) -> list[PyType]:
    types = [op.returns, *(p.type for p in op.params)]
    if op.body is not None:
        types += [op.body.typed or op.body.type, *(a.field.type for a in op.body.fields)]
        types += [op.body.accepts] if op.body.accepts else []
    types += [op.events.type] if op.events else []  # Stream[...] / AsyncStream[...]
    types += [op.paging.item] if op.paging else []  # SyncPage[...] / AsyncPage[...]
    return types


def _signature_keys(op: Operation) -> set[str]:
    """What a method's overloads and results name besides its types."""
    keys = {"overload"} if op.overloads else set()
    keys |= {"Literal"} if any(o.switch and "Literal" in o.switch for o in op.overloads) else set()
    return keys


def _runtime_bases(ops: tuple[Operation, ...], aio: bool) -> set[str]:
    """The _base names a module's pages and streams use (the Endpoint parts: sync only)."""
    found: set[str] = set()
    if any(op.paging for op in ops):
        found |= {"AsyncPage"} if aio else {"Paging", "SyncPage"}
    if any(op.events for op in ops):
        found |= {"AsyncStream"} if aio else {"Events", "Stream"}
    return found


def _endpoint_types(op: Operation) -> list[PyType]:
    types = [op.returns, *(p.check for p in op.params), *(r.type for r in op.responses)]
    return types + ([op.body.type] if op.body is not None else [])


def _keys(types: list[PyType]) -> set[str]:
    return {key for t in types for key in t.imports}


def _resource(attribute: str | None, module: str, sync_class: str, ops: tuple[Operation, ...],
              doc: str | None, async_class: str | None = None) -> Resource:
    signature = [t for op in ops for t in _signature_types(op)]
    endpoint = [t for op in ops for t in _endpoint_types(op)]
    shared = {"Mapping"} | ({"overload"} if any(op.body and op.body.fields for op in ops) else set())
    shared |= {"deprecated"} if any(op.deprecated for op in ops) else set()
    shared |= {k for op in ops for k in _signature_keys(op)}
    sync_keys = shared | {"cache"} | _keys(signature + endpoint)
    sync_keys |= {"Union"} if any(op.spells_union for op in ops) else set()
    sync_keys |= {"Any"} if any(op.endpoint_type == "Any" for op in ops) else set()
    async_keys = shared | _keys(signature)
    names_used = {"NOT_GIVEN", "NotGiven", "Timeout"}
    sync_base = names_used | {"Endpoint", "SyncResource" if attribute else "SyncAPIClient"}
    sync_base |= {"Param"} if any(op.params for op in ops) else set()
    sync_base |= {"Body"} if any(op.body for op in ops) else set()
    async_base = names_used | {"AsyncResource" if attribute else "AsyncAPIClient"}
    sync_base |= _runtime_bases(ops, aio=False)
    async_base |= _runtime_bases(ops, aio=True)
    for base_name in _FROM_BASE:  # annotations and checks defined in _base.py
        if base_name in sync_keys:
            sync_base.add(base_name)
        if base_name in async_keys:
            async_base.add(base_name)
    order = names.export_order
    return Resource(
        attribute=attribute, module=module, sync_class=sync_class,
        async_class=async_class or f"Async{sync_class}", operations=ops,
        sync_imports=tuple(pytypes.import_lines(sync_keys - _FROM_BASE, "..")),
        async_imports=tuple(pytypes.import_lines(async_keys - _FROM_BASE, "...")),
        sync_base_imports=tuple(sorted(sync_base, key=order)),
        async_base_imports=tuple(sorted(async_base, key=order)),
        sync_models=any("models." in t.client for t in signature + endpoint),
        async_models=any("models." in t.client for t in signature),
        doc=doc,
    )
