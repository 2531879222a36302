"""The stages in order: sources -> merge -> parse -> lower -> render -> format.

Each client is built independently; a client whose spec has errors is reported and left
out, the others are still built (the CLI then fails the run as a whole).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import merge, sources
from generator.config import anchor
from generator.diagnostics import Diagnostic, Level, has_errors
from generator.ir import Client
from generator.options import ClientOptions
from generator.timings import stage


@dataclass
class Built:
    name: str
    client: Client
    files: dict[str, str]
    sources: tuple[Path, ...]
    external: dict[Path, str] = field(default_factory=dict)  # files brought in by $refs -> digest


@dataclass
class Result:
    clients: dict[str, Built] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def load_clients(specs: Path, result: Result, only: set[str] | None = None) -> dict[str, merge.ClientSpec]:
    with stage("load"):
        loaded = sources.load(specs, only)
    result.diagnostics.extend(loaded.diagnostics)
    failed_files = {d.file for d in loaded.diagnostics if d.file is not None and d.level.value == "error"}
    merged: dict[str, merge.ClientSpec] = {}
    for name, documents in merge.group(loaded.documents).items():
        if any(doc.path in failed_files for doc in documents):
            result.failed.append(name)
            continue
        found: list[Diagnostic] = []
        with stage("load"):
            merged[name] = merge.merge(name, documents, found)
        result.diagnostics.extend(found)
        if has_errors(found):
            result.failed.append(name)
            del merged[name]
    return merged


def build(
    specs: Path,
    root: Path | None = None,
    *,
    format_code: bool = True,
    only: set[str] | None = None,
    allow_remote_refs: bool = False,
    ref_roots: tuple[Path, ...] = (),
    options: Mapping[str, ClientOptions] | None = None,
    renames: Mapping[str, str] | None = None,
) -> Result:
    """Build every client under `specs`, or just the clients named in `only`.

    `$ref`s may read files under the specs folder and under `ref_roots`; `options` are the
    `[tool.clientgen.clients.<name>]` tables, by client name."""
    from generator.lower.client import lower
    from generator.parse import begin
    from generator.render import render

    result = Result()
    roots = (specs if specs.is_dir() else specs.parent, *ref_roots)
    if only is not None and renames:  # `only` names packages; the specs know the default names
        back = {package: name for name, package in renames.items()}
        only = {back.get(n, n) for n in only}
    for name, client_spec in load_clients(specs, result, only).items():
        with stage("parse"):
            started = begin(client_spec, allow_remote_refs=allow_remote_refs, ref_roots=roots)
        # Headers name specs from the folder holding the specs folder: the same from any cwd.
        chosen = (options or {}).get(name, ClientOptions())
        lowered: list[Diagnostic] = []
        client, failure = None, None
        if started.spec is not None:  # lowered while the document is validated (parse.Started)
            with stage("lower"):
                try:
                    client = _lower(lower, started.spec, lowered, anchor(specs), chosen)
                except Exception as exc:  # noqa: BLE001 - raised below, unless the document is invalid
                    failure = exc
        found: list[Diagnostic] = []
        with stage("parse"):
            spec = started.finish(found)
        if spec is not None and failure is not None:
            raise failure
        # An invalid document's lowering (and what it found) is dropped: it was never lowered.
        result.diagnostics.extend(found + (lowered if spec is not None else []))
        if spec is None or client is None or has_errors(lowered):
            result.failed.append(name)
            continue
        with stage("render"):
            files = render(client, chosen.templates)
        result.clients[client.package] = Built(
            client.package, client, files, client_spec.sources, spec.external
        )
    if format_code:
        format_built(result)
    return result


def format_built(result: Result) -> None:
    """black (and the layout that spares it) over every built client's Python files."""
    from generator.format import format_all

    sources = {
        (name, path): text
        for name, built in result.clients.items()
        for path, text in built.files.items()
        if path.endswith(".py")
    }
    with stage("format"):
        formatted = format_all(sources)
    for (name, path), text in formatted.items():
        result.clients[name].files[path] = text


def _lower(lower: Any, spec: Any, found: list[Diagnostic], anchor_path: Path, options: Any) -> Any:
    """Lowering, with a diagnostic instead of a traceback where references nest beyond
    even the deep stack lowering runs on."""
    try:
        return lower(spec, found, anchor_path, options)
    except RecursionError:
        found.append(spec.diagnostic(Level.ERROR, "schemas nest or reference each other too deeply "
                                     "to generate", "/components/schemas",
                                     "break the chain of nested schemas into fewer levels"))
        return None
