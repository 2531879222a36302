"""Operations grouped into resources: `client.pets.list(...)`, `client.chat.completions.create(...)`.

Where each operation goes is `resource_paths`' rule; here the resources get their names
(attributes, classes, modules) and their methods:

- `[tool.clientgen.clients.<name>] resources` renames a resource (by tag, segment or
  extension value, or by dotted path: `"assistants" = "beta"`), `methods` moves one
  operation (`"listPets" = "animals.list"`, `"createRun" = "beta.threads.runs.create"`);
- every resource, nested or not, is a class of its own module; a resource with
  sub-resources has a property for each, like the Client has for the top ones;
- inside a resource a method drops the words of its resource's path (`pets.list_pets` ->
  `pets.list`, `chat.completions.create_chat_completion` -> `...create`), unless that leaves
  a name another method of the resource has: those keep their full names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from generator.ir import Operation, PyType, Resource
from generator.lower import names, pytypes
from generator.lower.resource_paths import GROUP_EXTENSIONS, Placement, renamed
from generator.lower.text import clean
from generator.parse import Spec

# Names a resource class must not take in its own module or in _client.py (imported there).
_TAKEN_CLASSES = names.RESERVED_CLASS_NAMES | {
    "Client", "AsyncClient", "ClientMethods", "AsyncClientMethods", "Endpoint", "Param", "Body",
    "NotGiven", "Timeout", "Scheme", "Server", "ServerVariable", "ApiKey", "Bearer", "Basic",
    "SyncAPIClient", "AsyncAPIClient", "SyncResource", "AsyncResource", "Union", "IO",
    "Generic", "TypeVar", "Callable", "Protocol",
    # what a resource module may import from _base for pages, streams and patterns
    "SyncPage", "AsyncPage", "AsyncPager", "Paging", "Stream", "AsyncStream", "Events", "FileInput",
    "Lookaheads", "Any", "Literal", "Annotated",
}
# A resource is a property of the Client classes, whose bodies use only builtins, httpx and
# capitalised names in annotations: `client.models` and `client.errors` are fine there.
_FROM_BASE = frozenset({"FileInput", "Lookaheads"})
_TAKEN_ATTRIBUTES = (names.RESERVED_METHOD_NAMES | names.CLIENT_MEMBERS) - {
    "models", "errors", "os", "cache", "overload", "deprecated"}


def group_of(op: dict[str, Any], path: str) -> str | None:
    """A name for what groups an operation (extension, tag, else path segment): the prefix of
    its flat name where a name extension gives only the method's part."""
    for key in GROUP_EXTENSIONS:
        value = op.get(key)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = "_".join(value)
        if isinstance(value, str) and names.snake(value):
            return value
    tags = op.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], str) and names.snake(tags[0]):
        return tags[0]
    return names.path_resource(path)


@dataclasses.dataclass
class _Node:
    """A resource while its names are made: its attribute path, operations and children."""

    attributes: tuple[str, ...]
    operations: list[Operation] = dataclasses.field(default_factory=list)
    children: list[tuple[str, ...]] = dataclasses.field(default_factory=list)
    words: set[str] = dataclasses.field(default_factory=set)  # what its methods drop


def group(
    spec: Spec,
    operations: tuple[Operation, ...],
    renames: Mapping[str, str],
    moved: Mapping[str, str],
    taken_classes: frozenset[str] = frozenset(),
) -> tuple[tuple[Operation, ...], tuple[Resource, ...], Resource | None]:
    """The operations with their resource and method names, every resource (nested ones
    too), the root.

    `renames`: key or dotted path -> dotted attribute path; `moved`: flat operation name ->
    dotted attribute path (a `methods` option naming a resource)."""
    raw = _raw_operations(spec)
    rule = Placement(raw)
    tree = _Tree()
    root_ops: list[Operation] = []
    for op in operations:
        found = raw.get((op.method.lower(), op.path), {})
        keys = rule.place(found, op.path)
        if op.flat in moved:
            node = tree.node(tuple(moved[op.flat].split(".")))
            node.words |= set(node.attributes)
        elif keys is not None:
            node = tree.node(renamed(keys, renames))
            node.words |= {*keys, *node.attributes, *(names.snake(t) for t in op.tags[:1])}
        else:
            root_ops.append(op)
            continue
        node.operations.append(op)
    return _built(spec, operations, tree, root_ops, taken_classes)


class _Tree:
    """The resources by attribute path, each made with its parents (which may hold no
    operation of their own: `chat` of `chat.completions`)."""

    def __init__(self) -> None:
        self.client = names.Namespace(_TAKEN_ATTRIBUTES)  # the Client's attributes
        self.by_keys: dict[tuple[str, ...], _Node] = {}
        self.nodes: dict[tuple[str, ...], _Node] = {}  # by attribute path, parents first
        self.spaces: dict[tuple[str, ...], names.Namespace] = {}

    def node(self, keys: tuple[str, ...]) -> _Node:
        keys = tuple(names.snake(k) or "resource" for k in keys) or ("resource",)
        if keys in self.by_keys:
            return self.by_keys[keys]
        parent = self.node(keys[:-1]) if len(keys) > 1 else None
        space = self.client if parent is None else self.spaces[parent.attributes]
        attribute = space.claim(_attribute_name(keys[-1], top=parent is None), "_")
        node = _Node((*(parent.attributes if parent else ()), attribute))
        if parent is not None:
            parent.children.append(node.attributes)
        # its children's names and its methods' (these come after: a method named like a
        # sub-resource gets another name)
        self.spaces[node.attributes] = names.Namespace(names.RESERVED_METHOD_NAMES - {"list"})
        self.by_keys[keys] = self.nodes[node.attributes] = node
        return node


def _built(spec: Spec, operations: tuple[Operation, ...], tree: _Tree, root_ops: list[Operation],
           taken_classes: frozenset[str]) -> tuple[tuple[Operation, ...], tuple[Resource, ...], Resource | None]:
    placed: dict[int, Operation] = {}
    for path, node in tree.nodes.items():
        space = tree.spaces[path]
        words = tuple(sorted(node.words - {""}, key=len, reverse=True))
        named = _method_names(node.operations, words, space)
        placed.update((id(op), _placed(op, ".".join(path), named[id(op)])) for op in node.operations)
    root = None
    if root_ops:
        named = _method_names(root_ops, None, tree.client)
        placed.update((id(op), _placed(op, None, named[id(op)])) for op in root_ops)
        root = _resource(None, "_root", "ClientMethods", tuple(placed[id(op)] for op in root_ops), None)
    resources = _classes(spec, tree, placed, taken_classes)
    ordered = tuple(placed[id(op)] for op in operations)
    return ordered, tuple(sorted(resources, key=lambda r: r.module)), root


def _classes(spec: Spec, tree: _Tree, placed: dict[int, Operation],
             taken_classes: frozenset[str]) -> list[Resource]:
    """Each resource's classes and module, named parents first; built children first."""
    docs = _tag_docs(spec)
    classes = names.Namespace(_TAKEN_CLASSES | taken_classes)
    modules = names.Namespace({"_root", "_async", "__init__"})
    named = {}
    for path in tree.nodes:
        sync_class = classes.claim(names.class_name("_".join(path)))
        named[path] = (sync_class, classes.claim(f"Async{sync_class}"), modules.claim("_".join(path), "_"))
    built: dict[tuple[str, ...], Resource] = {}
    for path in sorted(tree.nodes, key=len, reverse=True):
        node = tree.nodes[path]
        sync_class, async_class, module = named[path]
        doc = next((docs[w] for w in sorted(node.words) if w in docs), None) if len(path) == 1 else None
        ops = tuple(placed[id(op)] for op in node.operations)
        # in ruff's order of the imports naming them (their properties follow it too)
        children = tuple(sorted((built[c] for c in node.children), key=lambda r: names.import_order(r.module)))
        built[path] = _resource(".".join(path), module, sync_class, ops, doc, async_class, children)
    return list(built.values())


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


def _attribute_name(key: str, top: bool) -> str:
    """A resource's attribute: an identifier, not a keyword nor a Client member."""
    name = names.method_name(key)
    reserved = ("models", "errors", "os", "cache", "overload", "deprecated")
    if top and name != key and name.rstrip("_") in reserved:
        # reserved for resource classes, whose annotations name these modules; the Client's
        # annotations do not
        return key
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
        found |= {"AsyncPager"} if aio else {"Paging", "SyncPage"}
    if any(op.events for op in ops):
        found |= {"AsyncStream"} if aio else {"Events", "Stream"}
    return found


def _endpoint_types(op: Operation) -> list[PyType]:
    types = [op.returns, *(p.check for p in op.params), *(r.type for r in op.responses)]
    return types + ([op.body.type] if op.body is not None else [])


def _keys(types: list[PyType]) -> set[str]:
    return {key for t in types for key in t.imports}


def _resource(path: str | None, module: str, sync_class: str, ops: tuple[Operation, ...],
              doc: str | None, async_class: str | None = None,
              children: tuple[Resource, ...] = ()) -> Resource:
    """A resource class pair and what its two modules import; one without operations (only
    sub-resources) imports only what its properties need."""
    signature = [t for op in ops for t in _signature_types(op)]
    endpoint = [t for op in ops for t in _endpoint_types(op)]
    shared = ({"Mapping"} if ops else set()) | ({"overload"} if any(op.body and op.body.fields for op in ops) else set())
    shared |= {"deprecated"} if any(op.deprecated for op in ops) else set()
    shared |= {k for op in ops for k in _signature_keys(op)}
    shared |= {"TYPE_CHECKING"} if children else set()
    sync_keys = shared | ({"cache"} if ops else set()) | _keys(signature + endpoint)
    sync_keys |= {"Union"} if any(op.spells_union for op in ops) else set()
    sync_keys |= {"Any"} if any(op.endpoint_type == "Any" for op in ops) else set()
    async_keys = shared | _keys(signature)
    names_used = {"NOT_GIVEN", "NotGiven", "Timeout"} if ops else set()
    names_used |= {"cached_resource"} if children else set()
    sync_base = names_used | {"SyncResource" if path else "SyncAPIClient"}
    sync_base |= {"Endpoint"} if ops else set()
    sync_base |= {"Param"} if any(op.params for op in ops) else set()
    sync_base |= {"Body"} if any(op.body for op in ops) else set()
    async_base = names_used | {"AsyncResource" if path else "AsyncAPIClient"}
    sync_base |= _runtime_bases(ops, aio=False)
    async_base |= _runtime_bases(ops, aio=True)
    for base_name in _FROM_BASE:  # annotations and checks defined in _base.py
        if base_name in sync_keys:
            sync_base.add(base_name)
        if base_name in async_keys:
            async_base.add(base_name)
    order = names.export_order
    return Resource(
        path=path, module=module, sync_class=sync_class,
        async_class=async_class or f"Async{sync_class}", operations=ops,
        sync_imports=tuple(pytypes.import_lines(sync_keys - _FROM_BASE, "..")),
        async_imports=tuple(pytypes.import_lines(async_keys - _FROM_BASE, "...")),
        sync_base_imports=tuple(sorted(sync_base, key=order)),
        async_base_imports=tuple(sorted(async_base, key=order)),
        sync_models=any("models." in t.client for t in signature + endpoint),
        async_models=any("models." in t.client for t in signature),
        doc=doc, children=children,
    )
