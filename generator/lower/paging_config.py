"""Stated pagination: `[tool.clientgen.pagination.<client>]` in pyproject.toml, and the
`x-pagination`, `x-speakeasy-pagination`, `x-fern-pagination` and `x-ms-pageable`
extensions of an operation, read into one form (the keys of `ir.Paging`):

    style: cursor | url | offset | page | link
    param: the request parameter that asks for a page (its name in the spec)
    next: the body field holding the next cursor or URL, dotted (`meta.next_cursor`)
    has_more: the body field saying more pages follow
    items: the body field holding the list (none: the body is the list)
    item_id: the item field whose value on the last item is the next cursor
    limit: the request parameter of the page size
    start: the first page number (page style)

`false` in place of a table turns detection off for that operation.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Level

STYLES = ("cursor", "url", "offset", "page", "link")
KEYS = ("style", "param", "next", "has_more", "items", "item_id", "limit", "start")
PATHS = ("next", "has_more", "items", "item_id")

Stated = dict[str, Any] | bool


def stated_paging(root: Path | None, client: str, diagnostics: list[Diagnostic]) -> dict[str, Stated]:
    """The client's table of `[tool.clientgen.pagination]`, by operationId, `METHOD /path`
    or method name; problems are errors naming the key."""
    pyproject = _pyproject(root)
    if pyproject is None:
        return {}
    with pyproject.open("rb") as handle:
        settings = tomllib.load(handle).get("tool", {}).get("clientgen", {})
    table = settings.get("pagination", {}).get(client, {}) if isinstance(settings.get("pagination"), dict) else {}
    found: dict[str, Stated] = {}
    for key, value in table.items() if isinstance(table, dict) else ():
        where = f"[tool.clientgen.pagination.{client}] {key!r}"
        wrong = problem(value)
        if wrong:
            diagnostics.append(Diagnostic(Level.ERROR, f"{where}: {wrong}", pyproject,
                                          hint=f"keys: {', '.join(KEYS)}; styles: {', '.join(STYLES)}"))
            continue
        found[str(key)] = value if value is False else _ours(value)
    return found


def _pyproject(root: Path | None) -> Path | None:
    for folder in (root, *root.parents) if root else ():
        if (folder / "pyproject.toml").is_file():
            return folder / "pyproject.toml"
    return None


def problem(value: Any) -> str | None:
    """What is wrong with a stated paging (None: nothing)."""
    if value is False:
        return None
    if not isinstance(value, dict):
        return "expected a table of pagination keys, or false"
    unknown = [k for k in value if k not in KEYS]
    if unknown:
        return f"unknown key {unknown[0]!r}"
    if value.get("style") not in STYLES:
        return f"style must be one of {', '.join(STYLES)}, got {value.get('style')!r}"
    if not isinstance(value.get("start", 1), int):
        return "start must be an integer"
    return None


def _ours(value: dict[str, Any]) -> dict[str, Any]:
    found = {k: v for k, v in value.items() if v is not None}
    for key in PATHS:
        if key in found:
            found[key] = _path(found[key])
    for key in ("param", "limit"):
        if key in found:
            found[key] = str(found[key])
    return found


def _path(text: Any) -> tuple[str, ...]:
    """`$response.meta.next`, `$.meta.next`, `meta.next` -> ("meta", "next")."""
    text = str(text)
    for prefix in ("$response.", "$request.", "$.", "$"):
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    return tuple(part for part in text.split(".") if part)


def from_extension(op: dict[str, Any]) -> Stated | None:
    """The operation's pagination extension in clientgen's terms (None: none given)."""
    ours = op.get("x-pagination")
    if ours is False or isinstance(ours, dict) and problem(ours) is None:
        return ours if ours is False else _ours(ours)
    for key, read in (("x-speakeasy-pagination", _speakeasy), ("x-fern-pagination", _fern),
                      ("x-ms-pageable", _azure)):
        value = op.get(key)
        if isinstance(value, dict):
            return read(value)
    return None


def _speakeasy(value: dict[str, Any]) -> Stated | None:
    inputs = {str(i.get("type")): str(i.get("name")) for i in value.get("inputs") or []
              if isinstance(i, dict)}
    outputs: dict[str, Any] = value["outputs"] if isinstance(value.get("outputs"), dict) else {}
    found: dict[str, Any] = {"limit": inputs.get("limit")}
    if outputs.get("results"):
        found["items"] = _path(outputs["results"])
    kind = value.get("type")
    if kind == "url" and outputs.get("nextUrl"):
        return {**found, "style": "url", "next": _path(outputs["nextUrl"])}
    if kind == "cursor" and "cursor" in inputs and outputs.get("nextCursor"):
        found.update(style="cursor", param=inputs["cursor"])
        nxt = str(outputs["nextCursor"])
        if "[-1]." in nxt:  # the last item's field: `$.data[-1].id`
            items, item_id = nxt.split("[-1].", 1)
            return {**found, "items": _path(items), "item_id": _path(item_id)}
        return {**found, "next": _path(nxt)}
    if kind == "offsetLimit" and ("offset" in inputs or "page" in inputs):
        style = "offset" if "offset" in inputs else "page"
        return {**found, "style": style, "param": inputs.get(style)}
    return None


def _fern(value: dict[str, Any]) -> Stated | None:
    found: dict[str, Any] = {}
    if value.get("results"):
        found["items"] = _path(value["results"])
    if value.get("has-next-page"):
        found["has_more"] = _path(value["has-next-page"])
    if value.get("cursor") and value.get("next_cursor"):
        param = _path(value["cursor"])
        return {**found, "style": "cursor", "param": param[-1], "next": _path(value["next_cursor"])}
    if value.get("offset"):
        offset = _path(value["offset"])[-1]
        if value.get("step"):  # the offset moves by the page size: an item offset
            return {**found, "style": "offset", "param": offset, "limit": _path(value["step"])[-1]}
        return {**found, "style": "page", "param": offset}
    return None


def _azure(value: dict[str, Any]) -> Stated | None:
    if not value.get("nextLinkName"):
        return False  # x-ms-pageable with a null nextLinkName: one page only
    return {"style": "url", "next": _path(value["nextLinkName"]), "items": _path(value.get("itemName") or "value")}
