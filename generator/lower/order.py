"""The order models.py defines its classes and aliases in: each after what it uses."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping

from generator.ir import ModelClass, ParamDict, PyType, TypeAlias
from generator.lower.pytypes import MARK

Definition = ModelClass | TypeAlias | ParamDict


def definition_order(definitions: Iterable[Definition]) -> tuple[Definition, ...]:
    """Classes and aliases with each after the names it uses, so models.py can evaluate its
    annotations as it goes (no string annotations to parse at import: a large API's models
    import several times faster). A class field that names a model defined further down
    (recursion, cycles) is quoted; an alias always waits for everything it names, and one
    that can only be reached through itself (`A = A | B`) has that reference cut to `Any`.
    Names defined elsewhere (another part of a split models package) are imported first.
    """
    by_name: dict[str, Definition] = {d.name: d for d in definitions}
    emitted: dict[str, Definition] = {}
    known: dict[int, tuple[Definition, list[str]]] = {}  # id -> (definition, its uses)

    def uses(definition: Definition) -> list[str]:
        kept = known.get(id(definition))
        if kept is not None and kept[0] is definition:
            return list(kept[1])
        if isinstance(definition, TypeAlias):
            refs = set(definition.type.refs)
        else:
            refs = set().union(*(f.type.refs for f in definition.fields))
        found = sorted(r for r in refs if r in by_name and r != definition.name)
        known[id(definition)] = (definition, found)
        return list(found)

    def visit(start: str) -> None:
        # Iterative depth-first search: dependency chains in large APIs are deep.
        stack: list[tuple[str, list[str]]] = [(start, uses(by_name[start]))]
        trail = {start}
        while stack:
            name, pending = stack[-1]
            while pending and (pending[0] in emitted or pending[0] in trail):
                pending.pop(0)
            if pending:
                dep = pending.pop(0)
                trail.add(dep)
                stack.append((dep, uses(by_name[dep])))
                continue
            stack.pop()
            trail.discard(name)
            _emit(by_name[name], emitted, uses, by_name)

    for name in by_name:
        if name not in emitted:
            visit(name)
    for definition in by_name.values():  # aliases left waiting on a cycle through a class
        if definition.name not in emitted:
            _emit(definition, emitted, uses, by_name, force=True)
    return tuple(emitted.values())


def _emit(
    definition: Definition,
    emitted: dict[str, Definition],
    uses: Callable[[Definition], list[str]],
    by_name: Mapping[str, Definition],
    force: bool = False,
) -> None:
    def later(name: str) -> bool:
        return name in by_name and name not in emitted

    if isinstance(definition, TypeAlias):
        if definition.name in definition.type.refs:  # `A = A | B`: Python cannot say it
            definition = dataclasses.replace(definition, type=_without(definition.type, definition.name))
        missing = [name for name in uses(definition) if later(name)]
        if missing and not force:
            return
        for name in missing:
            definition = dataclasses.replace(definition, type=_without(definition.type, name))
        emitted[definition.name] = definition
        return
    fields = tuple(
        dataclasses.replace(f, forward=True) if any(later(r) for r in f.type.refs) else f
        for f in definition.fields
    )
    if all(new is old for new, old in zip(fields, definition.fields, strict=True)):
        emitted[definition.name] = definition  # nothing to quote: the same definition
        return
    # ModelClass holds Fields and ParamDict DictKeys: each gets back its own kind.
    emitted[definition.name] = dataclasses.replace(definition, fields=fields)  # type: ignore[arg-type]


def _without(t: PyType, name: str) -> PyType:
    """`t` with every mention of the model `name` replaced by Any."""
    word = re.compile(rf"(?<![\w.])(models\.)?{re.escape(name)}\b")
    marked = f"{MARK}{name}{MARK}"
    form = t.dict_form and PyType(t.dict_form.models.replace(marked, "Any"), t.dict_form.client.replace(marked, "Any"),
                                  t.dict_form.imports | {"Any"}, t.dict_form.refs - {name})
    return PyType(word.sub("Any", t.models), word.sub("Any", t.client), t.imports | {"Any"},
                  t.refs - {name}, dict_form=form)
