"""Path templates and path parameters that disagree, fixed in the adjusted copy with a warning.

- `/pets/{petId}` with no `petId` parameter: a required string parameter is added (sending
  the literal `%7BpetId%7D` is never what was meant);
- a path parameter whose name is not in the template: left out (it has nowhere to go);
- a path parameter with `required: false` or none: read as required, as OpenAPI says.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from generator.diagnostics import pointer_parts
from generator.merge import HTTP_METHODS

if TYPE_CHECKING:
    from generator.tolerate import Tolerance

_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")
MAX_REF_HOPS = 32


def path_defects(t: Tolerance, data: dict[str, Any]) -> None:
    paths = data.get("paths")
    for template, item in (paths.items() if isinstance(paths, dict) else []):
        if not isinstance(item, dict) or not isinstance(template, str):
            continue
        names = set(_PLACEHOLDER.findall(template))
        item_parts = ["paths", template]
        shared = _fixed_list(t, data, item.get("parameters"), [*item_parts, "parameters"], names, [])
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                own = _declared(data, operation.get("parameters"))
                missing = sorted(names - own - shared)
                _fixed_list(t, data, operation.get("parameters"), [*item_parts, method, "parameters"], names,
                            missing)


def _declared(data: dict[str, Any], parameters: Any) -> set[str]:
    """Path parameters, and those of a location validation refuses (it reports them)."""
    return {p["name"] for p, _ in _resolved(data, parameters) if p.get("in") not in ("query", "header", "cookie")}


def _resolved(data: dict[str, Any], parameters: Any) -> list[tuple[dict[str, Any], str | None]]:
    """Each parameter with the pointer of its definition when it is a $ref (None inline)."""
    from generator.parse import lookup

    found = []
    for parameter in parameters if isinstance(parameters, list) else []:
        target, pointer = parameter, None
        for _ in range(MAX_REF_HOPS):
            if not (isinstance(target, dict) and isinstance(target.get("$ref"), str)
                    and target["$ref"].startswith("#/")):
                break
            pointer = target["$ref"][1:]
            target = lookup(data, pointer)
        if isinstance(target, dict) and isinstance(target.get("name"), str) and "$ref" not in target:
            found.append((target, pointer))
    return found


def _fixed_list(t: Tolerance, data: dict[str, Any], parameters: Any, parts: list[str], names: set[str],
                missing: list[str]) -> set[str]:
    """Fix one `parameters` list; returns the names of path parameters it keeps."""
    if not isinstance(parameters, list) and (parameters is not None or not missing):
        return set()  # nothing to fix, or not a list (validation reports that)
    template = parts[1]
    kept: list[Any] = []
    changed = False
    for index, raw in enumerate(parameters if isinstance(parameters, list) else []):
        resolved = _resolved(data, [raw])
        parameter, ref = resolved[0] if resolved else (None, None)
        if parameter is None or parameter.get("in") != "path":
            kept.append(raw)
            continue
        where = [*parts, str(index)]
        if parameter["name"] not in names:
            t.warn(f"path parameter {parameter['name']!r} is not in the path template {template!r}; "
                   "it is left out", where)
            changed = True
            continue
        if parameter.get("required") is not True:
            t.warn(f"path parameter {parameter['name']!r} is not marked required; path parameters "
                   "always are, so it is read as required", [*where, "required"] if "required" in parameter
                   else where)
            if ref is None:
                raw, changed = {**raw, "required": True}, True
            else:
                t.fixes.append(([*pointer_parts(ref), "required"], True))
        kept.append(raw)
    for name in missing:
        t.warn(f"path variable {{{name}}} has no parameter; it is read as a required string "
               f"parameter {name!r}", parts[:-1])
        kept.append({"name": name, "in": "path", "required": True, "schema": {"type": "string"}})
        changed = True
    if changed:
        t.fixes.append((parts, kept))
    return {p["name"] for p, _ in _resolved(data, kept) if p.get("in") == "path"}



