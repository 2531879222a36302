"""Is generated/ up to date? Answered from digests alone, without building anything.

A client is fresh when the toolchain (generator code, templates, black) is the one that wrote
the manifest, its spec files hash to what the manifest recorded, and every file the
manifest lists is on disk with the recorded digest. This module imports nothing heavy:
`clientgen check` on an up-to-date tree costs little more than starting Python.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from generator import discover
from generator.discover import template_dir
from generator.write import Manifest, digest

GENERATOR_DIR = Path(__file__).resolve().parent
# The manifest's `sources` entry for a client's [tool.clientgen.clients.<name>] options.
OPTIONS_KEY = "[tool.clientgen]"


def _black_version() -> bytes:
    """black's version without importing black or importlib.metadata (both slow)."""
    spec = importlib.util.find_spec("_black_version")  # a top-level module black ships
    if spec is not None and spec.origin and Path(spec.origin).is_file():
        return Path(spec.origin).read_bytes()
    from importlib import metadata

    return metadata.version("black").encode()


@cache
def toolchain_digest() -> str:
    """Everything besides the specs that decides the output: generator code, templates, black.

    Only the generator's own modules count (not the templates package, which a wheel
    places inside it), so an editable and an installed clientgen agree.
    """
    templates = template_dir().resolve()
    sha = hashlib.sha256()
    sha.update(_black_version() + b"\0")
    sources = [(GENERATOR_DIR, p) for p in GENERATOR_DIR.rglob("*.py") if templates not in p.resolve().parents]
    sources += [(templates, p) for p in templates.rglob("*.j2")]
    for folder, path in sorted(sources, key=lambda fp: (fp[0] == templates, fp[1].relative_to(fp[0]).as_posix())):
        sha.update(path.relative_to(folder).as_posix().encode() + b"\0")
        sha.update(path.read_bytes() + b"\0")
    return sha.hexdigest()


def source_key(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def source_digests(paths: list[Path], root: Path) -> dict[str, str]:
    """Digests by root-relative path; a file that is gone gets an empty digest."""
    found = {}
    for path in paths:
        try:
            found[source_key(path, root)] = digest(path.read_bytes())
        except OSError:
            found[source_key(path, root)] = ""
    return dict(sorted(found.items()))


@dataclass
class Status:
    fresh: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # in the manifest, no spec any more
    files: dict[str, list[Path]] = field(default_factory=dict)  # client -> its spec files
    digests: dict[str, dict[str, str]] = field(default_factory=dict)  # client -> spec digests, read up front

    @property
    def up_to_date(self) -> bool:
        return not self.stale and not self.removed


def status(specs: Path, output: Path, root: Path, prune: bool = True,
           renames: dict[str, str] | None = None, options: dict[str, str] | None = None) -> Status:
    """`renames`: client name -> package name (the config's `package`); `options`: package
    name -> a text of its config options, kept in the manifest as if it were a spec."""
    manifest = Manifest.read(output)
    clients = {(renames or {}).get(n, n): paths for n, paths in discover.clients(specs).items()}
    result = Status(files=clients)
    same_tools = manifest.toolchain == toolchain_digest()
    for name, paths in sorted(clients.items()):
        entry = manifest.clients.get(name)
        result.digests[name] = source_digests(paths, root)
        configured = (options or {}).get(name)
        if configured is not None:
            result.digests[name][OPTIONS_KEY] = digest(configured.encode())
        recorded = source_digests(_with_recorded(paths, entry or {}, root), root)
        if configured is not None:
            recorded[OPTIONS_KEY] = digest(configured.encode())
        fresh = (
            same_tools
            and entry is not None
            and entry.get("sources") == dict(sorted(recorded.items()))
            and _files_intact(output / name, entry.get("files", {}))
        )
        (result.fresh if fresh else result.stale).append(name)
    if prune:
        result.removed = sorted(set(manifest.clients) - set(clients))
    return result


def _with_recorded(paths: list[Path], entry: dict[str, Any], root: Path) -> list[Path]:
    """The client's spec files plus the files its $refs brought in last time."""
    known = {source_key(p, root) for p in paths} | {OPTIONS_KEY}
    extra = [root / key for key in entry.get("sources", {}) if key not in known]
    return [*paths, *extra]


def _files_intact(folder: Path, files: dict[str, str]) -> bool:
    for rel, expected in files.items():
        try:
            if digest((folder / rel).read_bytes()) != expected:
                return False
        except OSError:
            return False
    return bool(files)
