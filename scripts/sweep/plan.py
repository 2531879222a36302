"""From a generated client to the calls the sweep makes.

Each operation is described by an `_<method>_endpoint()` function in its resource's module
(`resources/<resource>.py`), and called as `client.<resource>.<method>`: where each one lives
comes from the IR (`Row.endpoints`), not from guessing at names. Its parameters and body are matched to the operation in the
package's openapi.json and filled in by the synthesizer, per variant:

    plain          required parameters and body fields only
    full           optional ones given too (when that differs from plain)
    branch:<ptr>=i one call per further oneOf/anyOf branch (the first is in plain/full)
    dynamic-k      plain, with `Prefer: dynamic=true` (Prism makes a random response)
    error-NNN      plain, with `Prefer: code=NNN` for one documented error status
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

from scripts.sweep.conform import fits
from scripts.sweep.resolve import escape, resolve
from scripts.sweep.synth import Synth

MAX_BRANCH_CALLS = 16
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")  # bracket-encoded bodies
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def method_of(client: Any, call: str) -> Any:
    """The bound method `call` names (`pets.list`: client.pets.list)."""
    target = client
    for part in call.split("."):
        target = getattr(target, part)
    return target


@dataclass
class Operation:
    name: str  # how the client reaches it: `pets.list`
    endpoint: Any
    pointer: str  # the operation in openapi.json, "#/paths/~1pets/get"
    spec: dict[str, Any]
    parameters: dict[tuple[str, str], tuple[dict[str, Any], str]]  # (location, wire) -> (param, ptr)


@dataclass
class Call:
    variant: str
    args: list[Any]
    kwargs: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, Any] = field(default_factory=dict)  # oneOf sites the value fits twice
    contradictions: dict[str, str] = field(default_factory=dict)  # schemas nothing fits


def operations(package: str, endpoints: list[tuple[str, str, str]], base: Any,
               doc: dict[str, Any]) -> list[Operation]:
    """Every operation of the client (`endpoints`: module, endpoint function, call path),
    with its operation in `doc`."""
    import importlib

    found = []
    for module, function, name in sorted(endpoints, key=lambda e: e[2]):
        endpoint = getattr(importlib.import_module(f"{package}.{module}"), function)()
        if not isinstance(endpoint, base.Endpoint):
            continue
        pointer = f"#/paths/{escape(endpoint.path)}/{endpoint.method.lower()}"
        item = resolve(doc, (doc.get("paths") or {}).get(endpoint.path, {}))
        spec = item.get(endpoint.method.lower(), {}) if isinstance(item, dict) else {}
        found.append(Operation(name, endpoint, pointer, spec, _parameters(doc, item, spec, pointer)))
    return found


def _parameters(doc: dict[str, Any], item: Any, spec: dict[str, Any], pointer: str) -> dict[Any, Any]:
    """(location, wire name) -> (parameter object, pointer); operation-level wins."""
    out = {}
    path_pointer = pointer.rsplit("/", 1)[0]
    levels = [((item or {}).get("parameters") or [], path_pointer), (spec.get("parameters") or [], pointer)]
    for params, where in levels:
        for index, raw in enumerate(params):
            param = resolve(doc, raw)
            if isinstance(param, dict) and "name" in param:
                wire = param["name"].lower() if param.get("in") == "header" else param["name"]
                out[(param.get("in"), wire)] = (param, f"{where}/parameters/{index}")
    return out


def calls(op: Operation, doc: dict[str, Any], method: Any, dynamic: int) -> list[Call]:
    """The calls to make for one operation (see the module docstring)."""
    plain, first = _arguments(op, doc, method, optional=False, choices={})
    full, second = _arguments(op, doc, method, optional=True, choices={})
    made = [Call("plain", *plain, {}, first.ambiguous, first.contradictions)]
    if full != plain:
        made.append(Call("full", *full, {}, second.ambiguous, second.contradictions))
    for site, count in sorted({**first.sites, **second.sites}.items()):
        for index in range(1, count):
            if len(made) >= MAX_BRANCH_CALLS + 2:
                break
            args, synth = _arguments(op, doc, method, optional=True, choices={site: index})
            made.append(Call(f"branch:{site}={index}", *args, {}, synth.ambiguous, synth.contradictions))
    made += [Call(f"dynamic-{k}", *plain, {"Prefer": "dynamic=true"}, first.ambiguous, first.contradictions)
             for k in range(1, dynamic + 1)]
    status = error_status(op)
    if status is not None:
        made.append(Call(f"error-{status}", *plain, {"Prefer": f"code={status}"},
                         first.ambiguous, first.contradictions))
    return made


def error_status(op: Operation) -> int | None:
    """The first documented numeric 4xx/5xx status of the operation."""
    codes = sorted(k for k in (op.spec.get("responses") or {}) if str(k).isdigit() and int(k) >= 400)
    return int(codes[0]) if codes else None


def _arguments(op: Operation, doc: dict[str, Any], method: Any, *, optional: bool,
               choices: dict[str, int]) -> tuple[tuple[list[Any], dict[str, Any]], Synth]:
    synth = Synth(doc, optional=optional, choices=choices)
    values: dict[str, Any] = {}
    for param in op.endpoint.params:
        wire = param.wire.lower() if param.location == "header" else param.wire
        spec, where = op.parameters.get((param.location, wire), ({}, op.pointer))
        if param.required or spec.get("required") or optional:
            # deepObject has no form for {} or [], an empty path segment is refused, and an
            # exploded {} or [] vanishes from the query, so a required parameter would be missing
            synth.nonempty = spec.get("style") == "deepObject" or spec.get("in") == "path" \
                or bool(spec.get("required"))
            values[param.name] = _parameter_value(synth, doc, spec, where)
    body = op.endpoint.body
    if body is not None:
        schema, where = _body_schema(doc, op, body.media_type)
        synth.nonempty = body.media_type in FORMS
        value = synth.value(schema, where)
        if body.encoding == "binary":
            value = value if isinstance(value, bytes) else b"sweep"
        elif body.encoding == "text" and not isinstance(value, str):
            value = str(value)
        values["body"] = value
    return _split(method, values), synth


def _parameter_value(synth: Synth, doc: dict[str, Any], spec: dict[str, Any], where: str) -> Any:
    """The parameter's own fitting `example`, else a value for its schema (or content's)."""
    schema, at = spec.get("schema"), f"{where}/schema"
    if schema is None and isinstance(spec.get("content"), dict) and spec["content"]:
        media, entry = next(iter(spec["content"].items()))
        schema, at = (entry or {}).get("schema"), f"{where}/content/{escape(media)}/schema"
    example = spec.get("example")
    if example is not None and fits(doc, schema or {}, example):
        return example
    return synth.value(schema or {}, at)


def _body_schema(doc: dict[str, Any], op: Operation, media_type: str) -> tuple[Any, str]:
    raw = op.spec.get("requestBody") or {}
    where = raw.get("$ref", f"{op.pointer}/requestBody") if isinstance(raw, dict) else op.pointer
    body = resolve(doc, raw)
    content = (body.get("content") or {}) if isinstance(body, dict) else {}
    entry = content.get(media_type) or next(iter(content.values()), {})
    return (entry or {}).get("schema", {}), f"{where}/content/{escape(media_type)}/schema"


def _split(method: Any, values: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """Positional-or-keyword parameters (the path ones) by position, the rest by keyword."""
    args, kwargs = [], dict(values)
    for name, param in inspect.signature(method).parameters.items():
        if param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and name in kwargs:
            args.append(kwargs.pop(name))
        elif param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            break
    return args, kwargs
