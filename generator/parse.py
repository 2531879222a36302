"""Validate a merged document against the OpenAPI schema and check its `$ref`s.

openapi-pydantic does the structural validation (3.0 and 3.1; 3.2 is read as 3.1). Its
errors are mapped back to JSON pointers into the document, then to file and line.
Lowering reads the plain document afterwards, so every IR node keeps its pointer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import valid_pieces
from generator.bundle import bundle
from generator.diagnostics import (
    Diagnostic,
    Level,
    has_errors,
    pointer_join,
    pointer_parts,
)
from generator.merge import ClientSpec
from generator.refcheck import check_refs
from generator.tolerate import Tolerance

MAX_VALIDATION_ERRORS = 20


@dataclass(frozen=True, eq=False)
class Spec:
    """A validated client document with its `$ref` resolver."""

    client: ClientSpec
    data: dict[str, Any]
    version: tuple[int, int]
    external: dict[Path, str] = field(default_factory=dict)  # files $refs brought in -> digest

    def resolve(self, value: Any) -> tuple[Any, str | None]:
        """Follow `$ref`s from `value`; returns the target and its pointer (None if inline)."""
        pointer = None
        seen: set[str] = set()
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref = value["$ref"]
            if ref in seen:
                break
            seen.add(ref)
            pointer = ref[1:]
            value = lookup(self.data, pointer)
        return value, pointer

    def diagnostic(self, level: Level, message: str, pointer: str, hint: str | None = None) -> Diagnostic:
        return self.client.diagnostic(level, message, pointer, hint)


def lookup(data: Any, pointer: str) -> Any:
    """The value at a JSON pointer, or None when it does not exist."""
    node = data
    for part in pointer_parts(pointer):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def parse(client: ClientSpec, diagnostics: list[Diagnostic], *, allow_remote_refs: bool = False,
          ref_roots: tuple[Path, ...] = ()) -> Spec | None:
    """Bundle, adjust and validate one client's document; None when it has errors.

    `ref_roots` are the folders `$ref`s may read files from (the specs folder and more)."""
    started = begin(client, allow_remote_refs=allow_remote_refs, ref_roots=ref_roots, overlap=False)
    return started.finish(diagnostics)


@dataclass
class Started:
    """A document bundled and adjusted, its validation under way (in a child process where
    one can be forked: see forked.py). `spec` may be lowered meanwhile, as long as nothing
    lowering finds is kept before `finish` says the document is valid."""

    spec: Spec | None  # None: bundling or adjusting found errors already
    found: list[Diagnostic]
    checks: Any  # forked.Pending of the validation's and the $ref check's diagnostics

    def finish(self, diagnostics: list[Diagnostic]) -> Spec | None:
        """Add every diagnostic (as `parse` orders them); the spec, or None on errors."""
        errors = self.found + self.checks.result()
        diagnostics.extend(errors)
        return None if has_errors(errors) else self.spec


def begin(client: ClientSpec, *, allow_remote_refs: bool = False, ref_roots: tuple[Path, ...] = (),
          overlap: bool = True) -> Started:
    """`parse` up to its validation, which is started and left running (`overlap`: in a
    child, where one can be forked, for the caller to lower the document meanwhile)."""
    from generator import forked

    data = client.data
    version = _version(str(data.get("openapi", "3.0.0")))
    errors: list[Diagnostic] = []
    external = bundle(client, errors, allow_remote_refs, ref_roots)
    tolerance = Tolerance(client, version)
    adjusted = tolerance.run()
    errors += tolerance.warnings

    def checks() -> list[Diagnostic]:
        return _validate(client, adjusted, version) + check_refs(client)

    # Forked only when the document may be lowered meanwhile; validated here (Done), an
    # invalid document is not lowered at all.
    pending = forked.start(checks, overlap and not has_errors(errors) and forked.large(adjusted))
    if isinstance(pending, forked.Done) and has_errors(errors + pending.result()):
        return Started(None, errors, pending)
    return Started(Spec(client, adjusted, version, external), errors, pending)


def _version(text: str) -> tuple[int, int]:
    parts = (text.split(".") + ["0"])[:2]
    try:
        return int(parts[0]), int(parts[1])
    except ValueError:
        return 3, 0


def _validate(client: ClientSpec, data: dict[str, Any], version: tuple[int, int]) -> list[Diagnostic]:
    from pydantic import ValidationError

    if version >= (3, 1):
        from openapi_pydantic.v3.v3_1 import OpenAPI
    else:
        from openapi_pydantic.v3.v3_0 import OpenAPI  # type: ignore[assignment]
    data = dict(data)
    data["openapi"] = "3.1.0" if version >= (3, 1) else str(data.get("openapi", "3.0.0"))
    origin = "\0".join([client.name, *map(str, client.sources)])
    if valid_pieces.valid(OpenAPI, data, origin):  # a large document, mostly as last time
        return []
    try:
        OpenAPI.model_validate(data)
    except ValidationError as exc:
        return _diagnostics_from(client, exc.errors(include_url=False))
    return []


def _diagnostics_from(client: ClientSpec, errors: list[Any]) -> list[Diagnostic]:
    """One diagnostic per pointer; pydantic reports every union branch, keep the first."""
    found: dict[str, str] = {}
    for error in errors:
        pointer = _pointer_from_loc(client.data, error["loc"])
        message = error["msg"]
        if error["type"] == "missing" and error["loc"]:
            message = f"required field {str(error['loc'][-1])!r} is missing"
        found.setdefault(pointer, message)
    deepest = [p for p in found if not any(o != p and o.startswith(p + "/") for o in found)]
    return [
        client.diagnostic(Level.ERROR, f"invalid OpenAPI document: {found[p]}", p)
        for p in sorted(deepest)[:MAX_VALIDATION_ERRORS]
    ]


def _pointer_from_loc(data: Any, loc: tuple[Any, ...]) -> str:
    """Keep the parts of a pydantic error location that are real keys of the document."""
    pointer, node = "", data
    for part in loc:
        if isinstance(node, dict) and str(part) in node:
            node = node[str(part)]
            pointer = pointer_join(pointer, str(part))
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            pointer = pointer_join(pointer, part)
    return pointer
