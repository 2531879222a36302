"""Building blocks for `PyType` annotations, and the import lines they need."""

from __future__ import annotations

from collections.abc import Iterable

from generator.ir import PyType
from generator.lower.names import import_order

# Modules are imported under private names so a field called `date` or `uuid` cannot
# shadow the type of another field.
IMPORT_LINES = {
    "_dt": ("import datetime as _dt", None),
    "_uuid": ("import uuid as _uuid", None),
    "os": ("import os", None),
    "json": ("import json", None),
    "httpx": ("import httpx", None),
    "Mapping": ("collections.abc", "Mapping"),
    "Sequence": ("collections.abc", "Sequence"),
    "cache": ("functools", "cache"),
    "Annotated": ("typing", "Annotated"),
    "Any": ("typing", "Any"),
    "ClassVar": ("typing", "ClassVar"),
    "Literal": ("typing", "Literal"),
    "Union": ("typing", "Union"),
    "TypeAlias": ("typing", "TypeAlias"),
    "Self": ("typing", "Self"),
    "get_args": ("typing", "get_args"),
    "get_origin": ("typing", "get_origin"),
    "cast": ("typing", "cast"),
    "TypedDict": ("typing", "TypedDict"),
    "NotRequired": ("typing", "NotRequired"),
    "overload": ("typing", "overload"),
    "TYPE_CHECKING": ("typing", "TYPE_CHECKING"),
    "deprecated": ("typing_extensions", "deprecated"),  # pydantic depends on it
    "BaseModel": ("pydantic", "BaseModel"),
    "ConfigDict": ("pydantic", "ConfigDict"),
    "Field": ("pydantic", "Field"),
    "Discriminator": ("pydantic", "Discriminator"),
    "Tag": ("pydantic", "Tag"),
    "AfterValidator": ("pydantic", "AfterValidator"),
    "BeforeValidator": ("pydantic", "BeforeValidator"),
    "WrapValidator": ("pydantic", "WrapValidator"),
    "GetCoreSchemaHandler": ("pydantic", "GetCoreSchemaHandler"),
    "StrictInt": ("pydantic", "StrictInt"),
    "StrictBool": ("pydantic", "StrictBool"),
    "ValidationError": ("pydantic", "ValidationError"),
    "ValidationInfo": ("pydantic", "ValidationInfo"),
    "ValidatorFunctionWrapHandler": ("pydantic", "ValidatorFunctionWrapHandler"),
    "model_validator": ("pydantic", "model_validator"),
    "_ip": ("import ipaddress as _ip", None),
    "FileInput": ("._base", "FileInput"),  # relative: a package module of the client
    "Lookaheads": ("._base", "Lookaheads"),
}
THIRD_PARTY = ("pydantic", "httpx", "typing_extensions")

ANY = PyType("Any", "Any", frozenset({"Any"}))
NONE = PyType("None", "None")
STR = PyType("str", "str")
BOOL = PyType("bool", "bool")
INT = PyType("int", "int")
FLOAT = PyType("float", "float")
BYTES = PyType("bytes", "bytes")
# A file to upload (bytes, a binary file object, a path, a (name, content[, type]) tuple).
FILE = PyType("FileInput", "FileInput", frozenset({"FileInput"}))


def simple(text: str, *imports: str) -> PyType:
    return PyType(text, text, frozenset(imports))


MARK = "\x00"  # around a model name in a dict form; repr() never lets spec text hold one


def named(name: str) -> PyType:
    marked = PyType(MARK + name + MARK, MARK + name + MARK, frozenset(), frozenset({name}))
    return PyType(name, f"models.{name}", frozenset(), frozenset({name}), dict_form=marked)


def wrap(
    prefix: str, inner: PyType, suffix: str, imports: Iterable[str] = (), *,
    form: tuple[str, str, str] | None = ("", "", ""),
) -> PyType:
    """`prefix + inner + suffix`, e.g. wrap("list[", item, "]").

    `form` is (prefix, suffix, import) of the dict form (`("Sequence[", "]", "Sequence")`);
    by default the same as the type's, None leaves the wrapper out (pydantic metadata).
    """
    dict_form = None
    if inner.dict_form is not None:
        if form is None:
            dict_form = inner.dict_form
        elif form == ("", "", ""):
            dict_form = wrap(prefix, inner.dict_form, suffix, imports)
        else:
            dict_form = wrap(form[0], inner.dict_form, form[1], {form[2]})
    return PyType(
        prefix + inner.models + suffix,
        prefix + inner.client + suffix,
        inner.imports | frozenset(imports),
        inner.refs,
        dict_form=dict_form,
    )


def union(types: Iterable[PyType]) -> PyType:
    """`A | B`, flattened and deduplicated; None goes last; Any absorbs everything."""
    members: list[PyType] = []
    seen: set[str] = set()  # the members' texts
    for t in types:
        for part in t.members or (t,):
            if _merge_literal(members, part):
                seen = {m.models for m in members}  # a Literal member's text grew
            elif part.models not in seen:
                members.append(part)
                seen.add(part.models)
    if not members or "Any" in seen:
        return ANY
    members.sort(key=lambda m: m.is_none)
    if len(members) == 1:
        return members[0]
    marked = any(m.dict_form is not None for m in members)
    return PyType(
        " | ".join(m.models for m in members),
        " | ".join(m.client for m in members),
        frozenset().union(*(m.imports for m in members)),
        frozenset().union(*(m.refs for m in members)),
        tuple(members),
        dict_form=union(m.form for m in members) if marked else None,
    )


def _merge_literal(members: list[PyType], part: PyType) -> bool:
    """`Literal["a"] | Literal["b"]` is written `Literal["a", "b"]` (one Literal per union)."""
    if not part.literals:
        return False
    for index, member in enumerate(members):
        if member.literals:
            values = member.literals + tuple(v for v in part.literals if not _has(member.literals, v))
            members[index] = literal(values)
            return True
    return False


def _has(values: tuple[object, ...], value: object) -> bool:
    # 1 == True in Python; a Literal keeps both when the spec lists both.
    return any(v == value and type(v) is type(value) for v in values)


def optional(t: PyType) -> PyType:
    """`union([t, NONE])`, made directly where `t` is no union, None or Any (most fields)."""
    if t.members or t.models in ("None", "Any"):
        return union([t, NONE])
    return PyType(
        t.models + " | None", t.client + " | None", t.imports, t.refs, (t, NONE),
        dict_form=None if t.dict_form is None else optional(t.dict_form),
    )


def literal(values: Iterable[object]) -> PyType:
    kept = tuple(values)
    text = f"Literal[{', '.join(repr(v) for v in kept)}]"
    return PyType(text, text, frozenset({"Literal"}), literals=kept)


def annotated(base: PyType, constraints: dict[str, object]) -> PyType:
    if not constraints:
        return base
    args = ", ".join(f"{k}={v!r}" for k, v in constraints.items())
    return wrap("Annotated[", base, f", Field({args})]", imports=("Annotated", "Field"), form=None)


def import_lines(keys: Iterable[str], package: str = ".", extra_local: Iterable[str] = ()) -> list[str]:
    """Import statements for a set of import keys: standard library, third party, then the
    client's own modules (`package` is how the importing module names the client package:
    `.`, or `..` from `_models/`; `extra_local` adds lines of that group), each group after a
    blank line."""
    plain: set[str] = set()
    grouped: dict[str, set[str]] = {}
    for key in keys:
        module, name = IMPORT_LINES[key]
        if name is None:
            plain.add(module)
        else:
            grouped.setdefault(package + module[1:] if module.startswith(".") else module, set()).add(name)
    froms = {m: f"from {m} import {', '.join(sorted(n, key=import_order))}" for m, n in sorted(grouped.items())}
    stdlib = sorted(p for p in plain if p.split()[1] not in THIRD_PARTY) + [
        line for m, line in froms.items() if m not in THIRD_PARTY and not m.startswith(".")
    ]
    third = sorted(p for p in plain if p.split()[1] in THIRD_PARTY) + [line for m, line in froms.items() if m in THIRD_PARTY]
    local = [line for m, line in froms.items() if m.startswith(".")] + list(extra_local)
    found: list[str] = []
    for group in (stdlib, third, local):
        if group:
            found += ([""] if found else []) + group
    return [_exploded(line) for line in found]


def _exploded(line: str) -> str:
    """A module-level `from m import a, b` too long for a line, written as black writes it
    (one name a line, a trailing comma), so the format stage need not run black on it."""
    if len(line) <= 88 or not line.startswith("from ") or "(" in line:
        return line
    head, _, names = line.partition(" import ")
    return head + " import (\n" + "".join(f"    {name},\n" for name in names.split(", ")) + ")"
