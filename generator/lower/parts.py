"""A large client's models, split into parts that load on first use.

Building thousands of pydantic classes takes seconds, and most programs use a few. Above
`SPLIT_ABOVE` definitions, `models.py` only says where each name lives and imports its part
when the name is first used; each part (`_models/part_007.py`) imports the parts it needs.
Parts are whole strongly connected groups of definitions packed in dependency order, so parts
import each other without cycles and a model pulls in little more than it uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.ir import MODEL_HELPERS, ModelClass, ModelPart, ParamDict, TypeAlias
from generator.lower import names, pytypes
from generator.lower.order import Definition, definition_order

SPLIT_ABOVE = 300  # definitions; fewer import fast enough from one models.py
PART_SIZE = 40  # definitions a part holds at least (a larger cycle stays whole)


def split(definitions: tuple[Definition, ...]) -> tuple[ModelPart, ...]:
    if len(definitions) <= SPLIT_ABOVE:
        return ()
    by_name = {d.name: d for d in definitions}
    graph = {d.name: sorted(r for r in _refs(d) if r in by_name and r != d.name) for d in definitions}
    for d in definitions:  # a TypedDict and its model: one group, so one part holds both
        if isinstance(d, ParamDict) and d.model in graph:
            graph[d.model] = sorted({*graph[d.model], d.name})
            graph[d.name] = sorted({*graph[d.name], d.model})
    home: dict[str, str] = {}
    parts = []
    for index, group in enumerate(_pack(_trees(graph), graph), start=1):
        part = f"part_{index:03d}"
        members = [by_name[n] for n in group]
        ordered = definition_order(members)
        needs: dict[str, set[str]] = {}
        for name in group:
            for ref in graph[name]:
                if ref not in group:
                    needs.setdefault(home[ref], set()).add(ref)
        home.update((name, part) for name in group)
        shared = _shared_names(ordered)
        siblings = tuple((p, tuple(sorted(found, key=names.import_order))) for p, found in sorted(needs.items()))
        # The package's own modules: `.._base`, then `._shared` and the sibling parts, one group.
        local = ([f"from ._shared import {', '.join(shared)}"] if shared else []) + [
            f"from .{sibling} import {', '.join(found)}" for sibling, found in siblings]
        parts.append(ModelPart(
            name=part,
            definitions=ordered,
            imports=tuple(pytypes.import_lines(import_keys(ordered), package="..", extra_local=local)),
            needs=siblings,
            shared=shared,
            exports=tuple(sorted((d.name for d in ordered), key=names.import_order)),
        ))
    return tuple(parts)


def import_keys(definitions: Iterable[Definition]) -> set[str]:
    """What the definitions' annotations and assignments need imported."""
    keys: set[str] = set()
    for definition in definitions:
        if isinstance(definition, TypeAlias):
            keys |= definition.type.imports | {"TypeAlias"}
            continue
        if isinstance(definition, ParamDict):
            keys |= {"TypedDict"} | set().union(*(k.type.imports for k in definition.fields))
            keys |= {"NotRequired"} if not all(k.required for k in definition.fields) else set()
            continue
        for field in definition.fields:
            keys |= field.type.imports
        if any(f.assignment.startswith(" = Field(") for f in definition.fields):
            keys.add("Field")
        if definition.class_vars:
            keys.add("ClassVar")
    return keys


def _refs(definition: Definition) -> set[str]:
    if isinstance(definition, TypeAlias):
        return set(definition.type.refs)
    return set().union(*(f.type.refs for f in definition.fields))


def _shared_names(definitions: tuple[Definition, ...]) -> tuple[str, ...]:
    """The base classes and helpers a part takes from `_models/_shared.py`."""
    found = {d.base for d in definitions if isinstance(d, ModelClass)}
    text = " ".join(
        d.type.models if isinstance(d, TypeAlias) else " ".join(f.type.models for f in d.fields)
        for d in definitions
    )
    # A helper is used where a name starts with it, not after a dot (`x._known` is not ours):
    # one pass over the text for all of them.
    heads = {token.split(".", 1)[0] for token in re.findall(r"[\w.]+", text)}
    found |= {h for h in MODEL_HELPERS if h in heads}
    return tuple(sorted(found, key=names.import_order))


def _trees(graph: dict[str, list[str]]) -> list[list[list[str]]]:
    """Strongly connected components, each after the ones it depends on (Tarjan, iterative:
    dependency chains in large APIs are deeper than Python's recursion limit), grouped by
    the depth-first tree that found them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    trees: list[list[list[str]]] = []
    position = {name: i for i, name in enumerate(graph)}
    for root in reversed(graph):  # users before what they use: trees start at the top
        if root in index:
            continue
        found: list[list[str]] = []
        trees.append(found)
        work = [(root, 0)]
        while work:
            node, edge = work.pop()
            if edge == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = graph[node]
            if edge < len(targets):
                work.append((node, edge + 1))
                target = targets[edge]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component, key=position.__getitem__))
    return trees


def _pack(trees: list[list[list[str]]], graph: dict[str, list[str]]) -> list[list[str]]:
    """Parts of at least PART_SIZE definitions, each ordered after the parts it imports (no
    import cycles). A large tree is cut into runs of its own (neighbours in depth-first order
    are mostly related). Small trees share runs with trees that drag about as much along
    (their transitive dependencies, in powers of two): a small model whose neighbour in the
    document needs half the API (an error type) does not load that half with it."""
    parts: list[list[str]] = []
    runs: dict[int, list[str]] = {}  # open runs of small trees, by weight class
    run_of: dict[str, int] = {}  # name -> its open run's weight class
    weights = _weights(trees, graph)

    def flush(key: int) -> None:
        run = runs.pop(key, [])
        for name in run:
            del run_of[name]
        if run:
            parts.append(run)

    def flush_needed(tree: list[list[str]]) -> None:
        """Open runs this tree imports from become parts first: parts import earlier ones."""
        for key in sorted({run_of[r] for component in tree for name in component for r in graph[name]
                           if r in run_of}):
            flush(key)

    for tree, weight in zip(trees, weights, strict=True):
        flush_needed(tree)
        if sum(len(component) for component in tree) >= PART_SIZE:
            run: list[str] = []
            for component in tree:
                run.extend(component)
                if len(run) >= PART_SIZE:
                    parts.append(run)
                    run = []
            if run:
                parts.append(run)
            continue
        key = weight.bit_length()
        run = runs.setdefault(key, [])
        for component in tree:
            run.extend(component)
            run_of.update((name, key) for name in component)
        if len(run) >= PART_SIZE:
            flush(key)
    for key in sorted(runs):
        flush(key)
    return parts


def _weights(trees: list[list[list[str]]], graph: dict[str, list[str]]) -> list[int]:
    """How many definitions each tree needs, itself included (its transitive dependencies).
    Components come after those they depend on, so one pass with bit sets suffices."""
    bit = {name: 1 << i for i, name in enumerate(graph)}
    reach: dict[str, int] = {}
    weights = []
    for tree in trees:
        total = 0
        for component in tree:
            mask = 0
            for name in component:
                mask |= bit[name]
                for ref in graph[name]:
                    mask |= reach.get(ref, 0)  # refs inside the component are in `mask` already
            reach.update((name, mask) for name in component)
            total |= mask
        weights.append(total.bit_count())
    return weights
