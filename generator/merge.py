"""Group documents into clients and merge the fragments of one API into one document.

Docs sites publish one page per operation, each embedding a cut-down copy of the same API
description. Merging them back: paths and components are united, identical definitions
deduplicated, and two different definitions of one name are an error that names both places.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Level, pointer_join
from generator.sources import Document

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, eq=False)
class ClientSpec:
    """The merged document of one client, and a way back to the source of any pointer."""

    name: str
    data: dict[str, Any]
    documents: tuple[Document, ...]
    origins: dict[str, Document]

    @property
    def sources(self) -> tuple[Path, ...]:
        return tuple(dict.fromkeys(doc.path for doc in self.documents))

    def locate(self, pointer: str) -> tuple[Path | None, int | None]:
        """File and line of the value at `pointer` in the merged document."""
        doc = self._origin(pointer)
        return (doc.path, doc.line_of(pointer)) if doc else (None, None)

    def _origin(self, pointer: str) -> Document | None:
        probe = pointer
        while probe:
            if probe in self.origins:
                return self.origins[probe]
            probe = probe.rsplit("/", 1)[0]
        return self.documents[0] if self.documents else None

    def page_titles(self) -> dict[tuple[str, str], str]:
        """(method, path) -> title of the docs page that documents just that operation."""
        titles: dict[tuple[str, str], str] = {}
        for doc in self.documents:
            operations = [
                (method, path)
                for path, item in _mapping(doc.data.get("paths")).items() if isinstance(item, dict)
                for method in item if method in HTTP_METHODS
            ]
            if doc.title and len(operations) == 1:
                titles.setdefault(operations[0], doc.title)
        return titles

    def diagnostic(self, level: Level, message: str, pointer: str, hint: str | None = None) -> Diagnostic:
        file, line = self.locate(pointer)
        return Diagnostic(level, message, file=file, line=line, pointer=pointer, hint=hint)


def group(documents: list[Document]) -> dict[str, list[Document]]:
    clients: dict[str, list[Document]] = defaultdict(list)
    for doc in documents:
        clients[doc.client].append(doc)
    return dict(sorted(clients.items()))


def merge(name: str, documents: list[Document], diagnostics: list[Diagnostic]) -> ClientSpec:
    merger = _Merger(name, documents, diagnostics)
    return merger.run()


class _Merger:
    def __init__(self, name: str, documents: list[Document], diagnostics: list[Diagnostic]) -> None:
        self.name = name
        self.documents = documents
        self.diagnostics = diagnostics
        self.origins: dict[str, Document] = {}

    def run(self) -> ClientSpec:
        first = self.documents[0]
        merged: dict[str, Any] = {k: v for k, v in first.data.items() if k not in ("paths", "components", "webhooks")}
        for doc in self.documents:
            self._merge_document(merged, doc, first)
        return ClientSpec(self.name, merged, tuple(self.documents), self.origins)

    def _merge_document(self, merged: dict[str, Any], doc: Document, first: Document) -> None:
        data = doc.data
        for key in ("paths", "webhooks", "components"):
            if data.get(key) is not None and not isinstance(data[key], dict):
                merged.setdefault(key, data[key])  # not a mapping: validation reports it
            # `paths:` with nothing after it (null) reads as absent: tolerated with a warning
        for key in ("paths", "webhooks"):
            if isinstance(data.get(key), dict):
                merged.setdefault(key, {})
            for path, item in _mapping(data.get(key)).items():
                self._merge_path_item(_mapping(merged.setdefault(key, {})), key, path, item, doc)
        if isinstance(data.get("components"), dict):
            merged.setdefault("components", {})
        for section, entries in _mapping(data.get("components")).items():
            components = merged.get("components")
            if not isinstance(entries, dict) or not isinstance(components, dict):
                if isinstance(components, dict):
                    components.setdefault(section, entries)  # not a mapping: validation reports it
                continue
            target = components.setdefault(section, {})
            if not isinstance(target, dict):
                continue
            for entry, value in entries.items():
                pointer = pointer_join("/components", section, entry)
                self._put(target, entry, value, pointer, doc)
        if doc is not first:
            self._merge_top(merged, doc, first)

    def _merge_path_item(self, paths: dict[str, Any], key: str, path: str, item: Any, doc: Document) -> None:
        pointer = pointer_join("", key, path)
        if not isinstance(item, dict):
            self._put(paths, path, item, pointer, doc)
            return
        target = paths.setdefault(path, {})
        if not isinstance(target, dict):  # another document's path item is no mapping
            self._put(paths, path, item, pointer, doc)
            return
        self.origins.setdefault(pointer, doc)
        for field, value in item.items():
            self._put(target, field, value, pointer_join(pointer, field), doc)

    def _put(self, target: dict[str, Any], key: str, value: Any, pointer: str, doc: Document) -> None:
        if key not in target:
            target[key] = value
            self.origins[pointer] = doc
        elif target[key] != value:
            other = self.origins.get(pointer, self.documents[0])
            self.diagnostics.append(
                Diagnostic(
                    Level.ERROR,
                    f"conflicting definitions of {pointer} in client {self.name!r}: "
                    f"{other.path}:{other.line_of(pointer) or '?'} differs from this one",
                    file=doc.path, line=doc.line_of(pointer), pointer=pointer,
                    hint="make the two definitions identical, or give one of them another name",
                )
            )

    def _merge_top(self, merged: dict[str, Any], doc: Document, first: Document) -> None:
        for key in ("openapi", "info", "servers", "security"):
            if key in doc.data and key not in merged:
                merged[key] = doc.data[key]
            elif key in doc.data and doc.data.get(key) != merged.get(key):
                self.diagnostics.append(
                    Diagnostic(
                        Level.WARNING,
                        f"'{key}' differs from {first.path}; the first document's is used",
                        file=doc.path, line=doc.line_of(f"/{key}"), pointer=f"/{key}",
                    )
                )
        known = {tag.get("name") for tag in merged.get("tags", []) if isinstance(tag, dict)}
        for tag in doc.data.get("tags") or []:
            if isinstance(tag, dict) and tag.get("name") not in known:
                merged.setdefault("tags", []).append(tag)
                known.add(tag.get("name"))


def _mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a mapping, else empty: a document's `paths: 3` is reported by
    validation, not a traceback here."""
    return value if isinstance(value, dict) else {}
