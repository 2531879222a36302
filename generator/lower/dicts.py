"""Plain dicts wherever a request takes a model.

Every model a request reaches (its body, its parameters, and what their fields reach) gets
a TypedDict of its request shape: `PetParam` for `Pet` (or for `PetInput`, the request form
of `Pet`), keyed by JSON names. Request annotations then read `models.Pet | models.PetParam`,
so `mypy --strict` accepts the dict a user writes; at run time pydantic validates it into
the model, which is what is sent. Models only responses reach get nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from generator.ir import (
    BodyArg,
    DictKey,
    ModelClass,
    Operation,
    ParamDict,
    PyType,
    TypeAlias,
)
from generator.lower.names import Namespace
from generator.lower.order import Definition
from generator.lower.pytypes import MARK


def request_dicts(
    classes: Mapping[str, ModelClass], aliases: Mapping[str, TypeAlias],
    operations: tuple[Operation, ...], names: Namespace,
) -> tuple[tuple[Operation, ...], tuple[Definition, ...]]:
    """The operations with dict-accepting signatures, and every definition in its order
    (each TypedDict after its model, each dict-form alias after its alias)."""
    reached = _reached(classes, aliases, _roots(operations))
    spelled = _spellings(classes, aliases, reached, names)
    resolve = _Resolver(spelled, aliases)
    definitions: list[Definition] = []
    for cls in classes.values():
        # only requests refuse keys a closed schema does not name: responses keep them
        definitions.append(cls if cls.name in reached else dataclasses.replace(cls, closed=False))
        if cls.name in reached:
            keys = tuple(DictKey(f.json_name, resolve(f.type), f.required) for f in cls.fields)
            definitions.append(ParamDict(spelled[cls.name], cls.name, keys))
    for alias in aliases.values():
        definitions.append(alias)
        if alias.name in spelled:
            definitions.append(TypeAlias(spelled[alias.name], resolve(alias.type)))
    return tuple(_operation(op, resolve) for op in operations), tuple(definitions)


def _roots(operations: Iterable[Operation]) -> set[str]:
    found: set[str] = set()
    for op in operations:
        for param in op.params:
            found |= param.type.refs
        if op.body is not None:
            found |= op.body.type.refs
    return found


def _uses(name: str, classes: Mapping[str, ModelClass], aliases: Mapping[str, TypeAlias]) -> set[str]:
    if name in classes:
        return set().union(*(f.type.refs for f in classes[name].fields))
    return set(aliases[name].type.refs) if name in aliases else set()


def _reached(classes: Mapping[str, ModelClass], aliases: Mapping[str, TypeAlias], roots: set[str]) -> set[str]:
    """Every class and alias a request can reach."""
    seen: set[str] = set()
    todo = [r for r in roots if r in classes or r in aliases]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(r for r in _uses(name, classes, aliases) if r in classes or r in aliases)
    return seen


def _spellings(
    classes: Mapping[str, ModelClass], aliases: Mapping[str, TypeAlias], reached: set[str], names: Namespace
) -> dict[str, str]:
    """Model name -> its dict-form name: `PetParam` (claimed, so `PetParam2` if a schema has
    the name) for a class, `ShapeParam` for an alias that reaches a class."""
    spelled: dict[str, str] = {}
    for cls in classes.values():
        if cls.name in reached:
            base = cls.name.removesuffix("Input") if cls.request_form and cls.response_form else cls.name
            spelled[cls.name] = names.claim(base + "Param")
    reaching = {a for a in aliases if a in reached and _reaches_class(a, classes, aliases)}
    for alias in aliases.values():
        if alias.name in reaching:
            spelled[alias.name] = names.claim((alias.request_of or alias.name) + "Param")
    return spelled


def _reaches_class(start: str, classes: Mapping[str, ModelClass], aliases: Mapping[str, TypeAlias]) -> bool:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in classes:
            return True
        if name in aliases and name not in seen:
            seen.add(name)
            todo.extend(aliases[name].type.refs)
    return False


class _Resolver:
    """A marked dict form (`Sequence[\\x00Pet\\x00]`) as annotations: a class reads
    `Pet | PetParam`, an alias that reaches one its dict-form alias, anything else itself."""

    def __init__(self, params: Mapping[str, str], aliases: Iterable[str]) -> None:
        self.params = params
        self.aliases = frozenset(aliases)
        self._done: dict[int, tuple[PyType, PyType]] = {}  # id(form) -> (form, its annotation)

    def __call__(self, t: PyType) -> PyType:
        return t if t.dict_form is None else self._plain(t.dict_form)

    def _plain(self, form: PyType) -> PyType:
        """Forms are shared by every field and parameter of a type: each is spelled once."""
        done = self._done.get(id(form))
        if done is not None and done[0] is form:
            return done[1]
        plain = self._spelled(form)
        self._done[id(form)] = (form, plain)
        return plain

    def _spelled(self, form: PyType) -> PyType:
        with_params = form.refs & self.params.keys()  # set operations: refs can be hundreds
        added = {self.params[r] for r in with_params}
        replaced = with_params & self.aliases  # `ShapeParam` only
        return PyType(
            self._spell(form.models, ""), self._spell(form.client, "models."), form.imports,
            (form.refs - replaced) | added, tuple(self._plain(m) for m in form.members), form.literals,
        )

    def _spell(self, text: str, prefix: str) -> str:
        parts = text.split(MARK)
        for index in range(1, len(parts), 2):  # odd parts are the marked names
            name = parts[index]
            param = self.params.get(name)
            if param is None:
                parts[index] = prefix + name
            elif name in self.aliases:
                parts[index] = prefix + param
            else:
                parts[index] = f"{prefix}{name} | {prefix}{param}"
        return "".join(parts)


def _operation(op: Operation, resolve: _Resolver) -> Operation:
    params = tuple(dataclasses.replace(p, type=resolve(p.type)) for p in op.params)
    body = op.body
    if body is not None:
        fields = tuple(BodyArg(a.arg, dataclasses.replace(a.field, type=resolve(a.field.type))) for a in body.fields)
        typed = resolve(body.type)
        body = dataclasses.replace(body, fields=fields, typed=typed if typed is not body.type else None)
    return dataclasses.replace(op, params=params, body=body)
