"""`if`/`then`/`else` in an object schema -> the conditions a request model checks.

The common form, a value of one property deciding which others are required:

    if: {properties: {kind: {const: metric}}, required: [kind]}
    then: {required: [metricLeaf]}
    else: {required: [noteLeaf]}

becomes `Condition("kind", "kind", ("metric",), True, (("metricLeaf", "metric_leaf"),), ...)`
on the model (the `then`/`else` properties are its optional fields, see
Schemas.collect_properties); `_Model` checks it when a request is built. Any other `if` (two
properties, patterns, nested schemas) is not checked: a warning says so where it is.
"""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Diagnostic, Level, pointer_join
from generator.ir import Condition, Field
from generator.parse import Spec


def conditions_of(spec: Spec, schema: dict[str, Any], pointer: str, fields: tuple[Field, ...],
                  diagnostics: list[Diagnostic]) -> tuple[Condition, ...]:
    """The schema's own condition and those of its allOf parts."""
    found = []
    parts = [(schema, pointer)]
    for index, raw in enumerate(schema.get("allOf") or []):
        part, ref = spec.resolve(raw)
        if isinstance(part, dict):
            parts.append((part, ref or pointer_join(pointer, "allOf", index)))
    for part, where in parts:
        if "if" not in part or not ("then" in part or "else" in part):
            continue
        condition = _condition(spec, part, fields)
        if condition is None:
            diagnostics.append(spec.diagnostic(
                Level.WARNING, "this `if` is not one property's `const` or `enum`: the "
                "requirements of its `then`/`else` are not checked before sending (their "
                "properties are fields of the model)", pointer_join(where, "if")))
        elif condition.then or condition.otherwise:
            found.append(condition)
    return tuple(found)


def _condition(spec: Spec, schema: dict[str, Any], fields: tuple[Field, ...]) -> Condition | None:
    test, _ = spec.resolve(schema.get("if"))
    if not isinstance(test, dict) or set(test) - {"properties", "required", "type"}:
        return None
    properties = test.get("properties") or {}
    if not isinstance(properties, dict) or len(properties) != 1:
        return None
    (name, raw), = properties.items()
    prop, _ = spec.resolve(raw)
    values = _values(prop)
    attr = next((f.name for f in fields if f.json_name == name), None)
    if values is None or attr is None:
        return None
    needed = name in (test.get("required") or [])
    return Condition(name, attr, values, needed, _required(spec, schema.get("then"), fields),
                     _required(spec, schema.get("else"), fields))


def _values(prop: Any) -> tuple[Any, ...] | None:
    if not isinstance(prop, dict) or set(prop) - {"const", "enum", "type", "description"}:
        return None
    if "const" in prop:
        return (prop["const"],)
    enum = prop.get("enum")
    return tuple(enum) if isinstance(enum, list) and enum else None


def _required(spec: Spec, raw: Any, fields: tuple[Field, ...]) -> tuple[tuple[str, str | None], ...]:
    branch, _ = spec.resolve(raw)
    names = branch.get("required") if isinstance(branch, dict) else None
    attrs = {f.json_name: f.name for f in fields}
    return tuple((n, attrs.get(n)) for n in names or [] if isinstance(n, str))
