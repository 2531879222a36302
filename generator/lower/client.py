"""The whole client: schemas, operations, security and servers in one `ir.Client`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from generator.diagnostics import Diagnostic, Level
from generator.ir import (
    Client,
    ModelClass,
    Operation,
    PyType,
    SecurityScheme,
)
from generator.lower import names, pytypes
from generator.lower.dicts import request_dicts
from generator.lower.operations import Operations
from generator.lower.order import definition_order
from generator.lower.parts import import_keys, split
from generator.lower.schemas import Schemas
from generator.lower.security import lower_schemes
from generator.lower.text import clean, docstring_body
from generator.parse import Spec

MODEL_BASE_IMPORTS = frozenset({"BaseModel", "ConfigDict"})
CLIENT_BASE_IMPORTS = frozenset({"os", "Mapping", "httpx"})


# Lowering follows `$ref`s depth first; a document's chain of references (A uses B uses C ...)
# can be hundreds deep, a few Python frames per link.
RECURSION_LIMIT = 20_000


def lower(spec: Spec, diagnostics: list[Diagnostic], root: Path | None = None) -> Client:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, RECURSION_LIMIT))
    try:
        return _lower(spec, diagnostics, root)
    finally:
        sys.setrecursionlimit(limit)


def _lower(spec: Spec, diagnostics: list[Diagnostic], root: Path | None) -> Client:
    package = names.package_name(spec.client.name)
    env_prefix = names.env_prefix(package)
    schemes = lower_schemes(spec, env_prefix, diagnostics)
    schemas = Schemas(spec, diagnostics)
    schemas.define_components()
    operations = Operations(spec, schemas, {s.key for s in schemes}, diagnostics).lower_all()
    operations, unordered = request_dicts(schemas.classes, schemas.aliases, operations, schemas.names)
    definitions = definition_order(unordered)
    classes = tuple(d for d in definitions if isinstance(d, ModelClass))
    parts = split(definitions)
    info = spec.data.get("info") or {}
    return Client(
        package=package,
        title=clean(info.get("title")) or package,
        version=str(info.get("version", "")),
        description=_description(info.get("description")),
        sources=tuple(_relative(p, root) for p in spec.client.sources),
        base_url=_base_url(spec, diagnostics),
        env_prefix=env_prefix,
        schemes=schemes,
        operations=operations,
        definitions=definitions,
        model_imports=tuple(pytypes.import_lines(
            _base_keys(schemas, classes) | (set() if parts else import_keys(definitions))
        )),
        parts=parts,
        request_forms=any(c.request_form for c in classes),
        closed_models=any(c.closed for c in classes),
        discriminators=schemas.uses_discriminator,
        unique_items=schemas.uses_unique_items,
        same_kind=schemas.uses_same_kind,
        incoming=_incoming(spec),
        client_imports=tuple(pytypes.import_lines(_client_imports(operations))),
        base_imports=_base_imports(operations, schemes),
        client_uses_models=any("models." in t.client for op in operations for t in _client_types(op)),
        model_names=tuple(sorted((d.name for d in definitions), key=names.export_order)),
        spec_json=json.dumps(spec.data, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    )


def _incoming(spec: Spec) -> tuple[str, ...]:
    """Webhooks and callbacks, one line each: the API calls them, a client does not."""
    from generator.merge import HTTP_METHODS

    found = []
    for name, item in (spec.data.get("webhooks") or {}).items():
        item, _ = spec.resolve(item)
        methods = [m.upper() for m in HTTP_METHODS if isinstance(item, dict) and m in item]
        found.append(f"webhook `{name}` ({', '.join(methods)})")
    for path, item in (spec.data.get("paths") or {}).items():
        item, _ = spec.resolve(item)
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if isinstance(operation, dict) and isinstance(operation.get("callbacks"), dict):
                for callback in operation["callbacks"]:
                    found.append(f"callback `{callback}` of `{method.upper()} {path}`")
    return tuple(found)


def _description(text: object) -> str | None:
    cleaned = clean(text)
    return docstring_body(cleaned) if cleaned else None


def _relative(path: Path, root: Path | None) -> str:
    """A spec's path for the generated files' header comment: one line, printable."""
    try:
        text = path.resolve().relative_to((root or Path.cwd()).resolve()).as_posix()
    except ValueError:
        text = path.name
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _base_url(spec: Spec, diagnostics: list[Diagnostic]) -> str:
    servers = spec.data.get("servers") or []
    if not servers or not isinstance(servers[0], dict) or not isinstance(servers[0].get("url"), str):
        diagnostics.append(spec.diagnostic(
            Level.WARNING, "no servers[0].url; clients must be given base_url", "/servers"))
        return ""
    url: str = servers[0]["url"]
    for name, variable in (servers[0].get("variables") or {}).items():
        if isinstance(variable, dict) and "default" in variable:
            url = url.replace("{" + name + "}", str(variable["default"]))
    return url.rstrip("/")


def _base_keys(schemas: Schemas, classes: tuple[ModelClass, ...]) -> set[str]:
    """What the models' base classes and helpers need imported."""
    return (
        set(MODEL_BASE_IMPORTS)
        | ({"Any", "Discriminator"} if schemas.uses_discriminator else set())
        | ({"Any", "json"} if schemas.uses_unique_items else set())
        | ({"Any", "BeforeValidator"} if schemas.uses_same_kind else set())
        | ({"Any", "ClassVar", "model_validator"} if any(c.request_form for c in classes) else set())
    )


def _client_types(op: Operation) -> list[PyType]:
    """Every annotation of an operation that _client.py spells out."""
    types = [op.returns, *(p.type for p in op.params), *(p.check for p in op.params)]
    types += [r.type for r in op.responses]
    if op.body is not None:
        types += [op.body.type, *(a.field.type for a in op.body.fields)]
        types += [op.body.typed] if op.body.typed else []
    return types


def _client_imports(operations: tuple[Operation, ...]) -> set[str]:
    keys = set(CLIENT_BASE_IMPORTS) | ({"cache"} if operations else set())
    for op in operations:
        keys |= op.returns.imports
        for param in op.params:
            keys |= param.type.imports | param.check.imports
        if op.body is not None:
            keys |= op.body.type.imports | (op.body.typed.imports if op.body.typed else frozenset())
            if op.body.fields:
                keys.add("overload")
            for arg in op.body.fields:
                keys |= arg.field.type.imports
        for response in op.responses:
            keys |= response.type.imports
    return keys


BASE_NAMES = ("DEFAULT_MAX_RETRIES", "NOT_GIVEN", "AsyncAPIClient", "NotGiven",
              "Scheme", "SyncAPIClient", "Timeout")
SCHEME_CLASSES = {"api_key": "ApiKey", "bearer": "Bearer", "basic": "Basic"}


def _base_imports(operations: tuple[Operation, ...], schemes: tuple[SecurityScheme, ...]) -> tuple[str, ...]:
    wanted = set(BASE_NAMES) | {SCHEME_CLASSES[s.kind] for s in schemes}
    if operations:
        wanted.add("Endpoint")
    if any(op.params for op in operations):
        wanted.add("Param")
    if any(op.body for op in operations):
        wanted.add("Body")
    return tuple(sorted(wanted, key=names.export_order))
