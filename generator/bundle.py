"""Bring `$ref`s to other files into the document, so the rest sees one self-contained spec.

A reference like `schemas/pet.yaml#/Pet` (relative to the file it appears in) is loaded and
placed under `components` (schemas, parameters, responses, ...) by the kind of place that
refers to it, named after its last pointer token or its file; other places (path items,
examples) get a copy inline. References inside the brought-in content are resolved against
its own file. Remote URLs are left to the `$ref` check, which reports them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Level, pointer_join, pointer_parts
from generator.merge import ClientSpec

_SCHEMA_KEYS = {"schema", "items", "not", "additionalProperties", "contains", "propertyNames",
                "unevaluatedItems", "unevaluatedProperties", "if", "then", "else"}
_SCHEMA_PARENTS = {"properties", "patternProperties", "allOf", "anyOf", "oneOf", "prefixItems",
                   "schemas", "$defs", "definitions", "dependentSchemas"}
_SECTION_PARENTS = {"parameters": "parameters", "responses": "responses", "headers": "headers",
                    "securitySchemes": "securitySchemes", "examples": "examples",
                    "requestBodies": "requestBodies", "links": "links", "callbacks": "callbacks"}
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})


def holds_data(key: str, parents: Sequence[str], value: Any) -> bool:
    """Whether `value`, under `key` (below `parents`), is literal data (an example, a
    default) whose `$ref` keys are text, not references. `responses: default:` is a
    response, and a map of `examples` holds Example Objects, whose `value` is data; a
    schema's list of examples is data."""
    parent = parents[-1] if parents else None
    if key == "value":
        return len(parents) > 1 and parents[-2] == "examples"
    if key not in _DATA_KEYS:
        return False
    if key == "default":
        return parent != "responses"
    return not (key == "examples" and isinstance(value, dict))


Source = Path | str  # a file, or a URL when remote references are allowed
REMOTE = re.compile(r"^https?://", re.IGNORECASE)
FETCH_TIMEOUT = 30.0


def is_file_ref(ref: str) -> bool:
    return not ref.startswith("#") and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", ref)


class Bundler:
    def __init__(self, client: ClientSpec, diagnostics: list[Diagnostic], allow_remote: bool = False,
                 roots: tuple[Path, ...] = ()) -> None:
        self.client = client
        self.diagnostics = diagnostics
        self.allow_remote = allow_remote
        self.roots = tuple(root.resolve() for root in roots)
        self.own = {doc.path.resolve() for doc in client.documents}  # the client's own files
        self.loaded: dict[Source, Any] = {}
        self.placed: dict[tuple[Source, str], str] = {}
        self.files: dict[Path, str] = {}  # every file brought in -> digest of what was read

    def run(self) -> None:
        self._walk(self.client.data, [], None)

    def _wanted(self, ref: str, base: Source | None) -> bool:
        if ref.startswith("#"):
            return base is not None  # local to a brought-in file: relative to that file
        return is_file_ref(ref) or self.allow_remote and bool(REMOTE.match(ref))

    def _walk(self, node: Any, parts: list[str], base: Source | None) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, (dict, list)):  # a scalar holds no $ref
                    self._walk(item, [*parts, str(index)], base)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and self._wanted(ref, base):
            self._replace(node, ref, parts, base)
        for key, value in list(node.items()):
            if (isinstance(value, (dict, list)) and not holds_data(key, parts, value)
                    and not key.startswith("x-") and key != "$ref"):
                self._walk(value, [*parts, key], base)

    def _replace(self, node: dict[str, Any], ref: str, parts: list[str], base: Source | None) -> None:
        origin: Source | None = base or self.client.locate(pointer_join("", *parts))[0]
        if origin is None:
            return
        location, _, fragment = ref.partition("#")
        try:
            target = _target(origin, location)
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python 3.11)
            self._error(f"$ref to a file that cannot be resolved: {location} ({exc})", parts)
            return
        if target in self.own:  # back into the client's own document: a local ref
            node["$ref"] = "#" + fragment
            return
        value = self._fragment(target, fragment, parts)
        if value is None:
            return
        section = _section(parts)
        if section is None:  # a path item or an example: a copy in place
            node.pop("$ref")
            inline = copy.deepcopy(value)
            if isinstance(inline, dict):
                for key, item in inline.items():
                    node.setdefault(key, item)
            self._walk(node, parts, target)
            return
        node["$ref"] = self._place(target, fragment, section, value)

    def _place(self, target: Source, fragment: str, section: str, value: Any) -> str:
        key = (target, fragment)
        if key in self.placed:
            return self.placed[key]
        components = self.client.data.setdefault("components", {}).setdefault(section, {})
        stem = (pointer_parts(fragment)[-1:] or [_stem(target)])[0]
        base_name = re.sub(r"[^A-Za-z0-9._-]", "_", stem) or "Imported"
        name, index = base_name, 1
        while name in components:
            index += 1
            name = f"{base_name}{index}"
        local = f"#/components/{section}/{name}"
        self.placed[key] = local
        components[name] = copy.deepcopy(value)
        self._walk(components[name], ["components", section, name], target)
        return local

    def _fragment(self, target: Source, fragment: str, parts: list[str]) -> Any:
        data = self._load(target, parts)
        if data is None:
            return None
        from generator.parse import lookup

        value = lookup(data, fragment)
        if value is None:
            self._error(f"$ref target #{fragment} does not exist in {target}", parts)
        return value

    def _load(self, target: Source, parts: list[str]) -> Any:
        if target in self.loaded:
            return self.loaded[target]
        from generator.sources import parse_text

        self.loaded[target] = None
        text = self._fetch(target, parts) if isinstance(target, str) else self._read(target, parts)
        if text is None:
            return None
        if isinstance(target, Path):
            from generator.write import digest

            self.files[target] = digest(text.encode("utf-8"))
        fmt = "json" if _stem_suffix(target) == ".json" or text.lstrip().startswith("{") else "yaml"
        doc = parse_text(Path(str(target)), self.client.name, text, fmt, 1, self.diagnostics)
        self.loaded[target] = doc.data if doc is not None else None
        return self.loaded[target]

    def _read(self, target: Path, parts: list[str]) -> str | None:
        from generator.sources import MAX_FILE_BYTES

        if not any(target.is_relative_to(root) for root in self.roots):
            self._error(f"$ref to a file outside the specs folder: {target}", parts,
                        "move the file under the specs folder, or list its folder in "
                        "ref_roots = [...] in [tool.clientgen]")
            return None
        try:  # bytes, then decode: the digest must be the file's, newlines and all
            if target.exists() and not target.is_file():
                self._error(f"$ref to something that is not a regular file: {target}", parts)
                return None
            if target.stat().st_size > MAX_FILE_BYTES:
                self._error(f"$ref to a file over {MAX_FILE_BYTES:,} bytes: {target}", parts)
                return None
            return target.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._error(f"$ref to a file that cannot be read: {target} ({exc.__class__.__name__})", parts)
            return None

    def _fetch(self, url: str, parts: list[str]) -> str | None:
        import httpx

        try:
            response = httpx.get(url, timeout=FETCH_TIMEOUT, follow_redirects=True)
            response.raise_for_status()
            return response.text
        except httpx.HTTPError as exc:
            self._error(f"$ref {url} could not be fetched ({exc.__class__.__name__}: {exc})", parts)
            return None

    def _error(self, message: str, parts: list[str], hint: str | None = None) -> None:
        pointer = pointer_join("", *parts, "$ref")
        self.diagnostics.append(self.client.diagnostic(Level.ERROR, message, pointer, hint))


def _target(origin: Source, location: str) -> Source:
    """Where `location` (a $ref without its fragment) points, seen from `origin`."""
    from urllib.parse import urljoin

    if REMOTE.match(location):
        return location
    if isinstance(origin, str):
        return urljoin(origin, location) if location else origin
    return (origin.parent / location).resolve() if location else origin.resolve()


def _stem(target: Source) -> str:
    name = target.name if isinstance(target, Path) else target.rstrip("/").rsplit("/", 1)[-1]
    return name.split(".", 1)[0] or "Imported"


def _stem_suffix(target: Source) -> str:
    name = target.name if isinstance(target, Path) else target.split("?", 1)[0]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _section(parts: list[str]) -> str | None:
    """Which components section a reference at `parts` belongs in (None: copy it inline)."""
    if not parts:
        return None
    last, parent = parts[-1], (parts[-2] if len(parts) > 1 else "")
    # A `$ref` directly in a `properties` map is a misplaced schema reference (see tolerate_vendor.py).
    if last in _SCHEMA_KEYS or parent in _SCHEMA_PARENTS or "schema" in parts or last == "properties":
        return "schemas"
    if last == "requestBody":
        return "requestBodies"
    if parent in _SECTION_PARENTS and parent not in ("examples", "links", "callbacks"):
        return _SECTION_PARENTS[parent]
    return None


_FILE_REF = re.compile(r"""["']?\$ref["']?\s*:\s*["']?(?!#)(?![a-zA-Z][a-zA-Z0-9+.-]*://)[^\s"']""")


_REMOTE_REF = re.compile(r"""["']?\$ref["']?\s*:\s*["']?https?://""", re.IGNORECASE)


def bundle(client: ClientSpec, diagnostics: list[Diagnostic], allow_remote: bool = False,
           roots: tuple[Path, ...] = ()) -> dict[Path, str]:
    """Rewrite `client.data` in place; returns the files brought in with their digests.

    Only regular files under one of `roots` (the specs folder, and folders the project
    allows) are read: a spec must not be able to copy `/etc/passwd` into a client."""
    patterns = (_FILE_REF, _REMOTE_REF) if allow_remote else (_FILE_REF,)
    if not any(p.search(doc.text) for doc in client.documents for p in patterns):
        return {}  # the common case, decided by a regex pass over the text
    bundler = Bundler(client, diagnostics, allow_remote, roots)
    bundler.run()
    return bundler.files
