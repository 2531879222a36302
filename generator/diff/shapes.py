"""Type annotations of the IR as comparable shapes: which values a type admits.

The IR spells every type as the annotation models.py carries (`Annotated[int, Field(ge=1)]`,
`list[Pet] | None`, `Annotated[Literal['a', 'b'] | str, _known]`). That text is a Python
expression, so it is read back with `ast` (never evaluated) into a small tree whose value
sets can be compared: `is_subset(a, b)` says every value `a` admits is admitted by `b`.

Model and alias names stay names: a change inside a model is reported on the model, once,
not on every field that mentions it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache

# Scalars whose values include another's (an int is a valid float, a StrictInt an int).
_WIDER = {"int": {"float"}, "StrictInt": {"int", "float"}, "StrictBool": {"bool"}}
_LISTS = {"list", "Sequence", "tuple", "set", "frozenset"}
_MAPS = {"dict", "Mapping"}
_LOWER = {"ge": False, "gt": True}
_UPPER = {"le": False, "lt": True}


@dataclass(frozen=True)
class Shape:
    kind: str  # any, none, name, lit, list, map, union, constrained
    name: str = ""  # the name (`str`, `datetime`, `Pet`), or the container's name
    values: frozenset[tuple[str, object]] = frozenset()  # lit: (type name, value) pairs
    items: tuple[Shape, ...] = ()  # list/map: the item (value) shape; union: the members
    constraints: tuple[tuple[str, object], ...] = ()  # constrained: pydantic Field() bounds

    @property
    def members(self) -> tuple[Shape, ...]:
        return self.items if self.kind == "union" else (self,)


ANY = Shape("any")
NONE = Shape("none")


@lru_cache(maxsize=4096)
def parse(annotation: str) -> Shape:
    """The shape of an annotation; an expression this module cannot read is a bare name
    (compared by its text), never an error."""
    try:
        node = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return Shape("name", annotation)
    return _shape(node)


def _shape(node: ast.expr) -> Shape:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return union([_shape(node.left), _shape(node.right)])
    if isinstance(node, ast.Constant):
        if node.value is None:
            return NONE
        return Shape("name", str(node.value)) if isinstance(node.value, str) else Shape("name", repr(node.value))
    if isinstance(node, ast.Subscript):
        return _subscript(_name(node.value), node.slice)
    name = _name(node)
    return ANY if name == "Any" else NONE if name == "None" else Shape("name", name)


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr  # `_dt.datetime`, `models.Pet`
    if isinstance(node, ast.Name):
        return node.id
    return ast.unparse(node)


def _subscript(name: str, index: ast.expr) -> Shape:
    args = list(index.elts) if isinstance(index, ast.Tuple) else [index]
    if name == "Literal":
        return Shape("lit", values=frozenset(_literal(a) for a in args))
    if name == "Annotated":
        return _annotated(_shape(args[0]), args[1:])
    if name in ("Union", "Optional"):
        return union([_shape(a) for a in args] + ([NONE] if name == "Optional" else []))
    if name in _LISTS:
        return Shape("list", "list", items=(_shape(args[0]),))
    if name in _MAPS:
        return Shape("map", "map", items=(_shape(args[-1]),))
    return Shape("name", f"{name}[{', '.join(ast.unparse(a) for a in args)}]")


def _literal(node: ast.expr) -> tuple[str, object]:
    value = ast.literal_eval(node) if isinstance(node, (ast.Constant, ast.UnaryOp)) else ast.unparse(node)
    return (type(value).__name__, value)


def _annotated(base: Shape, metadata: list[ast.expr]) -> Shape:
    """pydantic's Field(...) bounds count; `_known` (responses keep unlisted values) makes a
    `Literal[...] | str` read as its listed values, the API's contract; the rest (validators,
    discriminator tags) does not change which values are allowed."""
    constraints: dict[str, object] = {}
    for item in metadata:
        if isinstance(item, ast.Name) and item.id == "_known":
            base = union([m for m in base.members if m.kind != "name" or not _covers_literals(m, base)])
        if isinstance(item, ast.Call) and _name(item.func) == "Field":
            for keyword in item.keywords:
                if keyword.arg is not None:
                    constraints[keyword.arg] = _constant(keyword.value)
    if not constraints:
        return base
    return Shape("constrained", items=(base,), constraints=tuple(sorted(constraints.items(), key=repr)))


def _covers_literals(member: Shape, whole: Shape) -> bool:
    kinds = {kind for m in whole.members if m.kind == "lit" for kind, _ in m.values}
    return member.name in kinds


def _constant(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)


def union(shapes: list[Shape]) -> Shape:
    members: list[Shape] = []
    values: set[tuple[str, object]] = set()
    for shape in shapes:
        for member in shape.members:
            if member.kind == "lit":
                values |= member.values
            elif member not in members:
                members.append(member)
    if values:
        members.append(Shape("lit", values=frozenset(values)))
    if any(m.kind == "any" for m in members):
        return ANY
    if len(members) == 1:
        return members[0]
    return Shape("union", items=tuple(members))


def without_none(shape: Shape) -> Shape:
    return union([m for m in shape.members if m.kind != "none"]) if shape.kind == "union" else shape


def literals(shape: Shape) -> frozenset[tuple[str, object]]:
    """Every listed value anywhere in the shape (enum values of the type and its items)."""
    found: set[tuple[str, object]] = set(shape.values)
    for item in shape.items:
        found |= literals(item)
    return frozenset(found)


def without_literals(shape: Shape) -> Shape:
    """The shape with every Literal's values forgotten: what is left when enums are equal."""
    if shape.kind == "lit":
        return Shape("lit")
    return Shape(shape.kind, shape.name, frozenset(), tuple(without_literals(i) for i in shape.items),
                 shape.constraints)


def is_subset(a: Shape, b: Shape) -> bool:
    """Whether every value `a` admits is admitted by `b`."""
    if b.kind == "any" or a == b:
        return True
    if a.kind == "union":
        return all(is_subset(m, b) for m in a.items)
    if a.kind == "lit" and b.kind == "union":
        return all(any(is_subset(Shape("lit", values=frozenset({v})), m) for m in b.items) for v in a.values)
    if b.kind == "union":
        return any(is_subset(a, m) for m in b.items)
    if a.kind == "constrained":
        base = a.items[0]
        if b.kind == "constrained":
            return is_subset(base, b.items[0]) and _tighter(dict(a.constraints), dict(b.constraints))
        return is_subset(base, b)
    if b.kind == "constrained":
        return False  # b refuses some values of a's kind; a admits them all
    return _plain_subset(a, b)


def _plain_subset(a: Shape, b: Shape) -> bool:
    if a.kind == "lit":
        if b.kind == "lit":
            return a.values <= b.values
        return b.kind == "name" and all(kind == b.name or b.name in _WIDER.get(kind, ()) for kind, _ in a.values)
    if a.kind != b.kind:
        return False
    if a.kind in ("list", "map"):
        return is_subset(a.items[0], b.items[0])
    return a.name == b.name or b.name in _WIDER.get(a.name, ())


def _tighter(a: dict[str, object], b: dict[str, object]) -> bool:
    """Whether the bounds `a` sets allow no value that the bounds `b` sets refuse."""
    for key, value in b.items():
        if key in _LOWER or key in _UPPER:
            if not _bound_within(a, key, value):
                return False
        elif key in ("min_length", "max_length"):
            mine = a.get(key)
            if not isinstance(mine, int) or not isinstance(value, int):
                return False
            if (mine < value) if key == "min_length" else (mine > value):
                return False
        elif a.get(key) != value:  # pattern, multiple_of, ...: only the same one is within
            return False
    return True


def _bound_within(a: dict[str, object], key: str, value: object) -> bool:
    lower = key in _LOWER
    keys = _LOWER if lower else _UPPER
    for mine_key, strict in keys.items():
        mine = a.get(mine_key)
        if not isinstance(mine, (int, float)) or not isinstance(value, (int, float)):
            continue
        if lower and (mine > value or mine == value and (strict or not keys[key])):
            return True
        if not lower and (mine < value or mine == value and (strict or not keys[key])):
            return True
    return False


def relation(old: Shape, new: Shape) -> str:
    """equal, widened (new admits more), narrowed (new admits less) or changed."""
    wider, narrower = is_subset(old, new), is_subset(new, old)
    if wider and narrower:
        return "equal"
    return "widened" if wider else "narrowed" if narrower else "changed"
