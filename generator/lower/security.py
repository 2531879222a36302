"""Security schemes -> the credentials a client takes and how each is sent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.diagnostics import Diagnostic, Level, pointer_join
from generator.ir import Operation, SecurityScheme
from generator.lower import names
from generator.lower.text import clean
from generator.options import Credential
from generator.parse import Spec

# scheme kind -> the constructor arguments it prefers
_CREDENTIALS = {
    "api_key": ("api_key",),
    "bearer": ("bearer_token",),
    "oauth2": ("access_token",),
    "basic": ("username", "password"),
}


def lower_schemes(
    spec: Spec, env_prefix: str, taken: names.Namespace, diagnostics: list[Diagnostic],
    renames: Mapping[str, Credential] | None = None,
) -> tuple[SecurityScheme, ...]:
    """The supported schemes; their credentials claim Client arguments from `taken`.

    `renames` (the config's `credentials`), by default argument name or scheme key, give an
    argument another name and environment variable (`bearer_token` -> `api_key`)."""
    renames = renames or {}
    declared = (spec.data.get("components") or {}).get("securitySchemes") or {}
    schemes = []
    for key, raw in declared.items():
        pointer = pointer_join("/components/securitySchemes", key)
        scheme, _ = spec.resolve(raw)
        kind, location, wire = _classify(scheme if isinstance(scheme, dict) else {})
        if kind is None:
            diagnostics.append(spec.diagnostic(
                Level.WARNING, f"security scheme {key!r} ({scheme.get('type') if isinstance(scheme, dict) else scheme}) "
                "is not supported; operations that need it are sent without it", pointer))
            continue
        defaults = [_default(taken, arg, key) for arg in _CREDENTIALS[kind]]
        chosen = [renames.get(d) or (renames.get(key) if len(defaults) == 1 else None) for d in defaults]
        credentials = tuple(_claim(taken, (c.argument if c and c.argument else d), key)
                            for d, c in zip(defaults, chosen))
        env = tuple((c.env if c and c.env else f"{env_prefix}_{arg.upper()}")
                    for arg, c in zip(credentials, chosen))
        doc = clean(scheme.get("description")) if isinstance(scheme, dict) else None
        sent_as = "bearer" if kind == "oauth2" else kind
        schemes.append(SecurityScheme(key, sent_as, location, wire, credentials, env, doc))
    return tuple(schemes)


def _classify(scheme: dict[str, Any]) -> tuple[str | None, str, str]:
    kind = scheme.get("type")
    if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie") and scheme.get("name"):
        return "api_key", str(scheme["in"]), str(scheme["name"])
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        if http == "bearer":
            return "bearer", "header", "Authorization"
        if http == "basic":
            return "basic", "header", "Authorization"
    if kind in ("oauth2", "openIdConnect"):
        return "oauth2", "header", "Authorization"
    return None, "", ""


def _default(taken: names.Namespace, preferred: str, scheme_key: str) -> str:
    """The argument name `_claim` would give, without claiming it."""
    try_names = [preferred, f"{names.snake(scheme_key)}_{preferred}" if names.snake(scheme_key) else preferred]
    return next((c for c in try_names if taken.available(c)), try_names[-1])


def _claim(taken: names.Namespace, preferred: str, scheme_key: str) -> str:
    """The first scheme gets `api_key`; another of the same kind is named after its key."""
    try_names = [preferred, f"{names.snake(scheme_key)}_{preferred}" if names.snake(scheme_key) else preferred]
    for candidate in try_names:
        if taken.available(candidate):
            return taken.claim(candidate)
    return taken.claim(try_names[-1], "_")


def operation_security(spec: Spec, operation: dict[str, Any], known: set[str]) -> tuple[tuple[str, ...], ...]:
    """Alternatives of scheme sets; an empty set means the call may go without credentials."""
    requirements = operation.get("security", spec.data.get("security")) or []
    alternatives = []
    for requirement in requirements:
        if isinstance(requirement, dict):
            alternatives.append(tuple(k for k in requirement if k in known))
    return tuple(alternatives)


def warn_clashing_requirements(spec: Spec, schemes: tuple[SecurityScheme, ...],
                               operations: tuple[Operation, ...], diagnostics: list[Diagnostic]) -> None:
    """A requirement naming two schemes that are sent in the same header (basic and oauth2
    both in Authorization) cannot be met by any request: say so once per requirement."""
    header_of = {s.key: s.wire for s in schemes if s.location == "header"}
    seen: set[tuple[str, ...]] = set()
    for op in operations:
        for alternative in op.security:
            clash = _clash(alternative, header_of)
            if not clash or alternative in seen:
                continue
            seen.add(alternative)
            raw = ((spec.data.get("paths") or {}).get(op.path) or {}).get(op.method.lower())
            own = isinstance(raw, dict) and "security" in raw
            pointer = pointer_join("/paths", op.path, op.method.lower(), "security") if own else "/security"
            header, keys = clash
            diagnostics.append(spec.diagnostic(
                Level.WARNING, f"security requirement needs {' and '.join(map(repr, keys))}, which are "
                f"all sent in the {header} header: a request can carry only one of them", pointer, "list them as alternatives (separate requirement objects)"))


def _clash(alternative: tuple[str, ...], header_of: dict[str, str]) -> tuple[str, list[str]] | None:
    by_header: dict[str, list[str]] = {}
    for key in alternative:
        if key in header_of:
            by_header.setdefault(header_of[key].title(), []).append(key)
    return next(((h, keys) for h, keys in by_header.items() if len(keys) > 1), None)
