"""Two public APIs of one client -> the changes a caller sees, each breaking or not.

Whether a change breaks callers depends on which way the value travels. Callers *send*
parameters, bodies and request models: a type that admits less, a value taken out of an
enum, a new required field break them. Callers *receive* return values and response models:
a type that admits more (a field now may be None, a union gains a member) or a field that
disappears breaks them, while a new enum value does not, since generated clients keep values
they do not know (`Literal[...] | str`). A model used both ways gets the stricter verdict.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from generator.diff import shapes
from generator.diff.surface import FieldInfo, Model, Operation, Param, Surface

REQUEST, RESPONSE = "request", "response"
BOTH = frozenset({REQUEST, RESPONSE})
T = TypeVar("T")
LONG = 100  # a type change spelt longer than this names the union members that came or went
_NAME = re.compile(r"\b[A-Za-z_]\w*\b")


@dataclass(frozen=True)
class Change:
    kind: str  # e.g. parameter-required, field-type, enum-values-removed
    breaking: bool
    where: str  # `get_pet(limit)`, `Pet.name`, `models.Status`
    detail: str  # what a reader needs: `int -> Annotated[int, Field(ge=1)] (narrowed)`

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "breaking": self.breaking, "where": self.where, "detail": self.detail}


@dataclass
class ClientDiff:
    client: str
    before: str | None  # info.version, None when the client is new
    after: str | None  # None when the client is gone
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    @property
    def acknowledged(self) -> bool:
        """A breaking change announced by the spec's version: a major bump (a minor one
        below 1.0, as semantic versioning has it)."""
        old, new = _version(self.before), _version(self.after)
        if old is None or new is None:
            return False
        return new[0] > old[0] or new[0] == old[0] == 0 and new[1] > old[1]

    def as_dict(self) -> dict[str, object]:
        return {"client": self.client, "version_before": self.before, "version_after": self.after,
                "breaking": len(self.breaking), "acknowledged": self.acknowledged,
                "changes": [c.as_dict() for c in self.changes]}


def _version(text: str | None) -> tuple[int, int] | None:
    found = re.match(r"\D*(\d+)(?:\.(\d+))?", text or "")
    return (int(found[1]), int(found[2] or 0)) if found else None


def compare(old: Surface | None, new: Surface | None) -> ClientDiff:
    either = new or old
    name = either.client if either else "?"
    diff = ClientDiff(name, old.version if old else None, new.version if new else None)
    if old is None or new is None:
        kind = "client-added" if old is None else "client-removed"
        diff.changes.append(Change(kind, old is not None, name, f"{name} {'added' if old is None else 'removed'}"))
        return diff
    differ = _Differ(old, new, diff.changes)
    differ.arguments()
    differ.operations()
    differ.models()
    return diff


class _Differ:
    def __init__(self, old: Surface, new: Surface, out: list[Change]) -> None:
        self.old, self.new, self.out = old, new, out
        self.renames = _renames(old, new)

    def add(self, kind: str, breaking: bool, where: str, detail: str) -> None:
        self.out.append(Change(kind, breaking, where, detail))

    # The Client's own arguments: credentials and server variables.
    def arguments(self) -> None:
        old, new = self.old.arguments, self.new.arguments
        for arg in sorted(old.keys() - new.keys()):
            self.add("argument-removed", True, f"Client({arg}=)", "Client argument removed")
        for arg in sorted(new.keys() - old.keys()):
            self.add("argument-added", new[arg], f"Client({arg}=)",
                     "required Client argument added" if new[arg] else "optional Client argument added")
        for arg in sorted(a for a in old.keys() & new.keys() if new[a] and not old[a]):
            self.add("argument-required", True, f"Client({arg}=)", "Client argument made required")

    def operations(self) -> None:
        old, new = self.old.operations, self.new.operations
        removed = {n: old[n] for n in old.keys() - new.keys()}
        added = {n: new[n] for n in new.keys() - old.keys()}
        by_route = {(op.method, op.path): op for op in added.values()}
        # An operation moved to another resource (its path changed) keeps its flat name.
        by_flat = {op.flat: op for op in added.values() if op.flat}
        for name, op in sorted(removed.items()):
            twin = by_route.pop((op.method, op.path), None)
            if twin is None and op.flat and op.flat in by_flat and by_flat[op.flat].name in added:
                twin = by_flat[op.flat]
            if twin is None:
                self.add("operation-removed", True, name, f"method removed ({op.where})")
                continue
            del added[twin.name]
            self.add("operation-renamed", True, name, f"method renamed to {twin.name} ({op.where})")
            self.operation(op, twin)
        for name, op in sorted(added.items()):
            self.add("operation-added", False, name, f"method added ({op.where})")
        for name in sorted(old.keys() & new.keys()):
            self.operation(old[name], new[name])

    def operation(self, old: Operation, new: Operation) -> None:
        where = new.name
        if old.where != new.where:
            self.add("operation-moved", False, where, f"{old.where} -> {new.where}")
        if new.deprecated and not old.deprecated:
            self.add("operation-deprecated", False, where, "method deprecated")
        self.params(where, old.params, new.params)
        self.body(where, old, new)
        if old.returns != new.returns:
            if shapes.parse(old.returns).kind == "none":
                self.add("return-type", False, where, f"now returns {new.returns}")
            else:
                self.typed(f"{where}() -> ", old.returns, new.returns, frozenset({RESPONSE}), "return-type")
        self.responses(where, dict(old.responses), dict(new.responses))

    def params(self, op: str, old: Sequence[Param], new: Sequence[Param]) -> None:
        pairs, removed, added = _pair(old, new, lambda p: (p.location, p.wire), lambda p: (p.location, p.type))
        for p in removed:
            self.add("parameter-removed", True, f"{op}({p.name})", f"{p.location} parameter removed")
        for p in added:
            self.add("parameter-added", p.required, f"{op}({p.name})",
                     f"{'required' if p.required else 'optional'} {p.location} parameter added")
        for a, b in pairs:
            where = f"{op}({b.name})"
            wire = f", sent as {b.wire!r} (was {a.wire!r})" if a.wire != b.wire else ""
            if a.name != b.name:
                self.add("parameter-renamed", True, where, f"{b.location} parameter renamed from {a.name}{wire}")
            elif wire:
                self.add("parameter-wire-name", False, where, wire[2:])
            if a.required != b.required:
                kind = "parameter-required" if b.required else "parameter-optional"
                self.add(kind, b.required, where, f"{b.location} parameter made {kind.split('-')[1]}")
            self.typed(f"{where} ", a.type, b.type, frozenset({REQUEST}), "parameter-type")
        partner = {a.name: b.name for a, b in pairs}
        was = [partner[p.name] for p in old if p.location == "path" and p.name in partner]
        now = [p.name for p in new if p.location == "path" and p.name in was]
        if was != now:
            self.add("parameters-reordered", True, f"{op}()", f"positional parameters now {', '.join(now)}")

    def body(self, op: str, old: Operation, new: Operation) -> None:
        a, b = old.body, new.body
        if a is None and b is not None:
            self.add("body-added", b.required, f"{op}(body)", f"{'required' if b.required else 'optional'} body added")
        elif a is not None and b is None:
            self.add("body-removed", True, f"{op}(body)", "request body removed")
        elif a is not None and b is not None:
            if a.required != b.required:
                self.add("body-required" if b.required else "body-optional", b.required, f"{op}(body)",
                         f"request body made {'required' if b.required else 'optional'}")
            if a.media_type != b.media_type:
                self.add("body-media-type", False, f"{op}(body)", f"sent as {b.media_type} (was {a.media_type})")
            self.typed(f"{op}(body) ", a.type, b.type, frozenset({REQUEST}), "body-type")

    def responses(self, op: str, old: dict[str, str], new: dict[str, str]) -> None:
        for status in sorted(old.keys() | new.keys()):
            kind = "error" if _is_error(status) else "response"
            if status not in new:
                self.add(f"{kind}-removed", False, f"{op}() {status}", f"{status} response no longer documented")
            elif status not in old:
                self.add(f"{kind}-added", False, f"{op}() {status}", f"{status} response documented ({new[status]})")
            elif kind == "error" and _renamed(old[status], self.renames) != new[status]:
                self.add("error-type", False, f"{op}() {status}", f"error body {old[status]} -> {new[status]}")

    def models(self) -> None:
        old, new = self.old.models, self.new.models
        for name in sorted(old.keys() - new.keys() - self.renames.keys()):
            self.add("model-removed", True, f"models.{name}", f"{old[name].kind} removed")
        for name in sorted(new.keys() - old.keys() - set(self.renames.values())):
            self.add("model-added", False, f"models.{name}", f"{new[name].kind} added")
        for name, renamed in sorted(self.renames.items()):
            self.add("model-renamed", True, f"models.{name}", f"{old[name].kind} renamed to {renamed}")
        for name in sorted(old.keys() & new.keys()):
            self.model(old[name], new[name])

    def model(self, old: Model, new: Model) -> None:
        directions = (old.directions | new.directions) or BOTH  # a model no operation uses
        where = f"models.{new.name}"
        if old.kind != new.kind:
            article = {"class": "a class", "alias": "an alias"}
            self.add("model-kind", True, where, f"now {article[new.kind]} (was {article[old.kind]})")
            return
        if new.kind == "alias":
            self.typed(f"{where} ", old.type, new.type, directions, "alias-type")
            return
        pairs, removed, added = _pair(old.fields, new.fields, lambda f: f.json_name, lambda f: f.type)
        for f in removed:
            self.add("field-removed", True, f"{new.name}.{f.name}", "field removed")
        for f in added:
            breaking = f.required and REQUEST in directions
            self.add("field-added", breaking, f"{new.name}.{f.name}", f"{'required' if f.required else 'optional'} field added")
        for a, b in pairs:
            self.field(new.name, a, b, directions)

    def field(self, model: str, a: FieldInfo, b: FieldInfo, directions: frozenset[str]) -> None:
        where = f"{model}.{b.name}"
        wire = f"JSON name {b.json_name!r} (was {a.json_name!r})" if a.json_name != b.json_name else ""
        if a.name != b.name:
            self.add("field-renamed", True, where, f"field renamed from {a.name}" + (f", {wire}" if wire else ""))
        elif wire:  # the same attribute; dict forms, keyed by JSON names, change
            self.add("field-wire-name", REQUEST in directions, where, wire)
        if a.required != b.required:
            # Response: an optional field may be missing (None); request: a required one must be sent.
            breaking = REQUEST in directions if b.required else RESPONSE in directions
            kind = "field-required" if b.required else "field-optional"
            self.add(kind, breaking, where, f"field made {kind.split('-')[1]}")
        # None comes and goes with required-ness, reported above.
        self.typed(f"{where} ", a.type, b.type, directions, "field-type", a.required != b.required)

    def typed(self, where: str, old: str, new: str, directions: frozenset[str], kind: str,
              strip_none: bool = False) -> None:
        """A type that changed: its enum values, else how the values it admits changed."""
        if _renamed(old, self.renames) == new:
            return
        old = _renamed(old, self.renames)
        a, b = shapes.parse(old), shapes.parse(new)
        if strip_none:
            a, b = shapes.without_none(a), shapes.without_none(b)
        if shapes.relation(a, b) != "equal":
            a, b = self.expand(a, self.old), self.expand(b, self.new)
        if shapes.without_literals(a) == shapes.without_literals(b):
            self.enum_values(where.strip(), shapes.literals(a), shapes.literals(b), directions)
            return
        relation = shapes.relation(a, b)
        if relation == "equal":
            return
        # A discriminated union with a catch-all member already makes callers handle tags
        # they do not know: a new member received is no surprise.
        open_union = relation == "widened" and _names(a) >= {"UnknownVariant"}
        breaking = (REQUEST in directions and relation != "widened") or (
            RESPONSE in directions and relation != "narrowed" and not open_union)
        spelt = f"{old} -> {new}"
        described = _describe(a, b) if len(spelt) > LONG else None
        self.add(kind, breaking, where.strip(), f"{described or spelt} ({relation})")

    def enum_values(self, where: str, old: frozenset[tuple[str, object]], new: frozenset[tuple[str, object]],
                    directions: frozenset[str]) -> None:
        if new - old:
            self.add("enum-values-added", False, where, f"values added: {_values(new - old)}")
        if old - new:
            # Responses keep unknown values, so only callers sending a removed value break.
            self.add("enum-values-removed", REQUEST in directions, where, f"values removed: {_values(old - new)}")

    def expand(self, shape: shapes.Shape, side: Surface, depth: int = 3) -> shapes.Shape:
        """Aliases replaced by their types, so `Status` and `Literal['a'] | str` compare."""
        if depth == 0:
            return shape
        if shape.kind == "name" and shape.name in side.models and side.models[shape.name].kind == "alias":
            return self.expand(shapes.parse(side.models[shape.name].type), side, depth - 1)
        if not shape.items:
            return shape
        items = [self.expand(i, side, depth) for i in shape.items]
        if shape.kind == "union":
            return shapes.union(items)
        return shapes.Shape(shape.kind, shape.name, shape.values, tuple(items), shape.constraints)


def _pair(old: Iterable[T], new: Iterable[T], key: Callable[[T], object], kind: Callable[[T], object]
          ) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Items matched by key; then a lone removed and a lone added item of one kind (a
    location, a type) are taken as one item renamed."""
    old_by = {key(i): i for i in old}
    new_by = {key(i): i for i in new}
    pairs = [(old_by[k], new_by[k]) for k in old_by if k in new_by]
    removed = [i for k, i in old_by.items() if k not in new_by]
    added = [i for k, i in new_by.items() if k not in old_by]
    for item in list(removed):
        same_old = [i for i in removed if kind(i) == kind(item)]
        same_new = [i for i in added if kind(i) == kind(item)]
        if len(same_old) == 1 and len(same_new) == 1:
            pairs.append((item, same_new[0]))
            removed.remove(item)
            added.remove(same_new[0])
    return pairs, removed, added


def _renames(old: Surface, new: Surface) -> dict[str, str]:
    """Models that only changed their name (an inline schema named after an operation that
    was renamed): old name -> new name, matched by an identical body. A model holding a
    renamed one matches in a later round."""
    removed = old.models.keys() - new.models.keys()
    added = new.models.keys() - old.models.keys()
    renames: dict[str, str] = {}
    while True:
        before = _by_signature((old.models[n] for n in removed - renames.keys()), renames)
        after = _by_signature((new.models[n] for n in added - set(renames.values())), {})
        found = {names[0]: after[sig][0] for sig, names in before.items()
                 if len(names) == 1 and len(after.get(sig, ())) == 1}
        # Alike models (several empty ones, say) pair up by the place an operation names them.
        signature = {n: s for s, names in before.items() for n in names}
        signature |= {n: s for s, names in after.items() for n in names}
        for a, b in _places(old, new):
            if a in signature and b in signature and signature[a] == signature[b] \
                    and a not in found and b not in found.values():
                found[a] = b
        if not found:
            return renames
        renames |= found


def _places(old: Surface, new: Surface) -> Iterator[tuple[str, str]]:
    """(old name, new name) of the models one operation names in the same place before and
    after (operations matched by name, else by method and path)."""
    routes = {(op.method, op.path): op for op in new.operations.values()}
    for op in old.operations.values():
        twin = new.operations.get(op.name) or routes.get((op.method, op.path))
        if twin is None:
            continue
        mentions = twin.types
        for place, annotation in op.types.items():
            names, new_names = _NAME.findall(annotation), _NAME.findall(mentions.get(place, ""))
            if len(names) == len(new_names):
                yield from zip(names, new_names)


def _by_signature(models: Iterable[Model], renames: dict[str, str]) -> dict[object, list[str]]:
    found: dict[object, list[str]] = {}
    for model in models:
        fields = tuple(sorted((f.json_name, f.name, _renamed(f.type, renames), f.required) for f in model.fields))
        found.setdefault((model.kind, _renamed(model.type, renames), fields), []).append(model.name)
    return found


def _renamed(annotation: str, renames: dict[str, str]) -> str:
    """The annotation with renamed model names replaced by their new names."""
    if not renames:
        return annotation
    return _NAME.sub(lambda m: renames.get(m[0], m[0]), annotation)


def _names(shape: shapes.Shape) -> set[str]:
    return {m.name for m in shape.members if m.kind == "name"}


def _describe(a: shapes.Shape, b: shapes.Shape) -> str | None:
    """Union members that came or went, by name (a union's full spelling is long)."""
    if a.kind != "union" and b.kind != "union":
        return None
    came, went = sorted(_names(b) - _names(a)), sorted(_names(a) - _names(b))
    same_rest = [m for m in a.members if m.kind != "name"] == [m for m in b.members if m.kind != "name"]
    if not same_rest or not came and not went:
        return None
    parts = ([f"members added: {', '.join(came)}"] if came else []) + ([f"removed: {', '.join(went)}"] if went else [])
    return "; ".join(parts)


def _is_error(status: str) -> bool:
    return status[:1] in ("4", "5") or status == "default"


def _values(values: frozenset[tuple[str, object]]) -> str:
    return ", ".join(repr(v) for _, v in sorted(values, key=repr))
