"""The public API of one generated client, taken from its IR: what callers can touch.

Methods (their parameters, body and return type), responses by status, models with their
fields, type aliases (enums, unions), and the Client's own arguments (credentials, server
variables). Types are kept as the annotations the IR computed; `shapes` reads them. Each
model is marked with the directions it travels in (request, response), since a change is
breaking or not depending on whether callers send or receive the value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from generator import ir


@dataclass(frozen=True)
class Param:
    name: str
    wire: str
    location: str
    type: str
    required: bool


@dataclass(frozen=True)
class Body:
    media_type: str
    type: str
    required: bool


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str
    params: tuple[Param, ...]
    body: Body | None
    returns: str
    responses: tuple[tuple[str, str], ...]  # (status, body type)
    deprecated: bool = False
    headers: str = ""  # the model of its documented response headers
    flat: str = ""  # its name before grouping into resources (from the operationId)

    @property
    def types(self) -> dict[str, str]:
        """Every type it mentions, by where (for matching renamed models by their place)."""
        found = {f"param {p.location} {p.wire}": p.type for p in self.params}
        found |= {f"response {status}": annotation for status, annotation in self.responses}
        found |= {"returns": self.returns, "headers": self.headers, "body": self.body.type if self.body else ""}
        return found

    @property
    def where(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class FieldInfo:
    name: str
    json_name: str
    type: str
    required: bool


@dataclass(frozen=True)
class Model:
    name: str
    kind: str  # class or alias
    fields: tuple[FieldInfo, ...] = ()
    type: str = ""  # an alias's type
    directions: frozenset[str] = frozenset()  # request, response (empty: used by nothing)


@dataclass(frozen=True)
class Surface:
    client: str
    version: str
    operations: dict[str, Operation] = field(default_factory=dict)
    models: dict[str, Model] = field(default_factory=dict)
    arguments: dict[str, bool] = field(default_factory=dict)  # Client argument -> required


def extract(client: ir.Client) -> Surface:
    operations = {op.call: _operation(op) for op in client.operations}  # as callers reach them
    directions = _directions(client)
    models: dict[str, Model] = {}
    for definition in client.definitions:
        if isinstance(definition, ir.ModelClass) and not definition.unknown_variant:
            fields = tuple(FieldInfo(f.name, f.json_name, f.type.models, f.required) for f in definition.fields)
            models[definition.name] = Model(definition.name, "class", fields,
                                            directions=directions.get(definition.name, frozenset()))
        elif isinstance(definition, ir.TypeAlias):
            models[definition.name] = Model(definition.name, "alias", type=definition.type.models,
                                            directions=directions.get(definition.name, frozenset()))
    arguments = {arg: False for arg, _ in client.credentials}
    arguments |= {v.arg: v.default is None for v in client.server.variables}
    return Surface(client.package, client.version, operations, models, arguments)


def _operation(op: ir.Operation) -> Operation:
    # `check` is the type a parameter is validated against: its bounds and enum included.
    params = tuple(Param(p.name, p.wire, p.location, p.check.models, p.required) for p in op.params)
    body = Body(op.body.media_type, op.body.type.models, op.body.required) if op.body else None
    responses = tuple((r.status, r.type.models) for r in op.responses)
    headers = op.headers.models if op.headers else ""
    return Operation(op.call, op.method, op.path, params, body, op.returns.models, responses, op.deprecated, headers,
                     op.flat)


def _directions(client: ir.Client) -> dict[str, frozenset[str]]:
    """Model name -> the directions it is reached in, following fields and aliases."""
    uses: dict[str, frozenset[str]] = {}
    for definition in client.definitions:
        if isinstance(definition, ir.ModelClass):
            uses[definition.name] = frozenset().union(*(f.type.refs for f in definition.fields))
        elif isinstance(definition, ir.TypeAlias):
            uses[definition.name] = definition.type.refs
    sent: list[ir.PyType] = []
    received: list[ir.PyType] = []
    for op in client.operations:
        sent += [p.check for p in op.params]
        sent += [op.body.type, *([op.body.accepts] if op.body.accepts else [])] if op.body else []
        received += [op.returns, *(r.type for r in op.responses), *([op.headers] if op.headers else [])]
    found: dict[str, set[str]] = {}
    for direction, roots in (("request", sent), ("response", received)):
        for name in _reach((ref for t in roots for ref in t.refs), uses):
            found.setdefault(name, set()).add(direction)
    return {name: frozenset(directions) for name, directions in found.items()}


def _reach(roots: Iterable[str], uses: dict[str, frozenset[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(uses.get(name, ()))
    return seen
