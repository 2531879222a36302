"""Servers -> the client's base URL template, its variables, and operations' own servers.

The document's `servers[0]` is the client's server: its variables become keyword arguments
of the Client (`Client(region="eu")`), defaulted as the spec says and checked against its
`enum` when given. An operation's (or its path item's) `servers[0]` is that operation's
server: its own variables take their defaults, and a variable named like one of the
client's follows the client's value. Only the first server of a list is used.
"""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Diagnostic, Level, pointer_join
from generator.ir import Server, ServerVariable
from generator.lower import names
from generator.lower.text import clean
from generator.parse import Spec

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def placeholders(url: str) -> list[str]:
    """The variable names of a URL template, in order, once each."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(url)))


def document_server(spec: Spec, taken: names.Namespace, diagnostics: list[Diagnostic]) -> Server:
    servers = spec.data.get("servers") or []
    first = servers[0] if isinstance(servers, list) and servers else None
    if not isinstance(first, dict) or not isinstance(first.get("url"), str):
        diagnostics.append(spec.diagnostic(
            Level.WARNING, "no servers[0].url; clients must be given base_url", "/servers"))
        return Server("")
    declared = _variables(first)
    pointer = "/servers/0/variables"
    variables = []
    for name in placeholders(first["url"]):
        raw = declared.get(name)
        if raw is None:
            diagnostics.append(spec.diagnostic(
                Level.WARNING, f"{{{name}}} in the server URL is not defined in 'variables'; it becomes "
                "a required client argument", "/servers/0/url", f"define it under servers[0].variables.{name}"))
            raw = {"default": None}
        default, enum = _default_and_enum(spec, raw, pointer_join(pointer, name), diagnostics)
        doc = clean(raw.get("description")) if isinstance(raw, dict) else None
        arg = names.argument_name(name)  # `os`, `timeout`, `api_key` (taken) -> `os_` ...
        arg = taken.claim(arg if taken.available(arg) else arg + "_", "_")
        variables.append(ServerVariable(arg, name, default, enum, doc))
    return Server(first["url"].rstrip("/"), tuple(variables))


def default_url(server: Server) -> str:
    """The server's URL with its variables at their defaults (one without stays `{name}`)."""
    url = server.url
    for variable in server.variables:
        if variable.default is not None:
            url = url.replace("{" + variable.name + "}", variable.default)
    return url.rstrip("/")


def operation_server(
    spec: Spec,
    owners: tuple[tuple[dict[str, Any], str], ...],
    client: Server,
    diagnostics: list[Diagnostic],
) -> str | None:
    """The URL template of the first `servers` among `owners` (operation, then path item),
    or None when they have none or name the client's own server."""
    shared = {v.name for v in client.variables}
    for owner, pointer in owners:
        servers = owner.get("servers")
        if not isinstance(servers, list) or not servers:
            continue
        first = servers[0]
        server_pointer = pointer_join(pointer, "servers", 0)
        if not isinstance(first, dict) or not isinstance(first.get("url"), str):
            diagnostics.append(spec.diagnostic(
                Level.WARNING, "a server without a url is ignored", server_pointer))
            continue
        url = first["url"].rstrip("/")
        if url == client.url:
            return None
        declared = _variables(first)
        for name in placeholders(url):
            if name in shared:
                continue  # the client's variable: filled at run time with the client's value
            variable_pointer = pointer_join(server_pointer, "variables", name)
            default, _ = _default_and_enum(spec, declared.get(name), variable_pointer, diagnostics,
                                           missing="it stays in the URL as written")
            if default is not None:
                url = url.replace("{" + name + "}", default)
        return url
    return None


def _variables(server: dict[str, Any]) -> dict[str, Any]:
    variables = server.get("variables")
    return variables if isinstance(variables, dict) else {}


def _default_and_enum(
    spec: Spec, raw: Any, pointer: str, diagnostics: list[Diagnostic],
    missing: str = "callers must pass it (or base_url)",
) -> tuple[str | None, tuple[str, ...]]:
    """A variable's default (else its first enum value) and its allowed values, as text."""
    undefined = raw == {"default": None}  # already reported as undefined
    raw = raw if isinstance(raw, dict) else {}
    values = raw.get("enum") if isinstance(raw.get("enum"), list) else []
    enum = tuple(dict.fromkeys(_text(v) for v in values if _scalar(v)))
    default = _text(raw["default"]) if _scalar(raw.get("default")) else None
    if undefined:
        pass
    elif default is None and enum:
        default = enum[0]
        diagnostics.append(spec.diagnostic(
            Level.WARNING, f"server variable has no default; using its first value {default!r}", pointer))
    elif default is None:
        diagnostics.append(spec.diagnostic(
            Level.WARNING, f"server variable has no default; {missing}", pointer))
    elif enum and default not in enum:
        diagnostics.append(spec.diagnostic(
            Level.WARNING, f"server variable default {default!r} is not one of its enum values", pointer))
    return default, enum


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _text(value: Any) -> str:
    return str(value)
