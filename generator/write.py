"""Put generated files on disk: only what changed, one client at a time, atomically.

A client is built complete in a staging folder beside its target (unchanged files copied
with their mtimes, files clientgen did not write carried over) and swapped in with two
renames. The manifest records what clientgen wrote, so stale and hand-edited files can be
found without regenerating.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator import __version__

MANIFEST = ".clientgen.json"
STAGING = ".clientgen-new-"
RETIRED = ".clientgen-old-"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    clients: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    @classmethod
    def read(cls, output: Path) -> Manifest:
        try:
            data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
            return cls(clients=data.get("clients", {}))
        except (OSError, ValueError, AttributeError):
            return cls()

    def text(self) -> str:
        data = {"generator": f"clientgen {__version__}", "clients": self.clients}
        return json.dumps(data, indent=2, sort_keys=True) + "\n"


@dataclass
class ClientChanges:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


@dataclass
class Staleness:
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        return bool(self.missing or self.changed or self.extra)


def compare(output: Path, plan: dict[str, dict[str, str]]) -> Staleness:
    """How `output` differs from the files `plan` would write (paths relative to output)."""
    manifest = Manifest.read(output)
    result = Staleness()
    for client, files in sorted(plan.items()):
        for rel, text in sorted(files.items()):
            path = output / client / rel
            if not path.is_file():
                result.missing.append(f"{client}/{rel}")
            elif path.read_bytes() != text.encode():
                result.changed.append(f"{client}/{rel}")
        previous = manifest.clients.get(client, {}).get("files", {})
        result.extra += [f"{client}/{rel}" for rel in sorted(previous) if rel not in files
                         and (output / client / rel).exists()]
    for client, entry in sorted(manifest.clients.items()):
        if client not in plan:
            result.extra += [f"{client}/{rel}" for rel in sorted(entry.get("files", {}))
                             if (output / client / rel).exists()]
    return result


def write(
    output: Path, plan: dict[str, dict[str, str]], sources: dict[str, dict[str, str]],
    *, prune: bool = True,
) -> dict[str, ClientChanges]:
    """Write every client of `plan`; with `prune`, remove clients whose specs are gone."""
    output.mkdir(parents=True, exist_ok=True)
    _recover(output)
    manifest = Manifest.read(output)
    report: dict[str, ClientChanges] = {}
    for client, files in sorted(plan.items()):
        previous = set(manifest.clients.get(client, {}).get("files", {}))
        report[client] = _write_client(output / client, files, previous)
        manifest.clients[client] = {
            "files": {rel: digest(text.encode()) for rel, text in sorted(files.items())},
            "sources": sources.get(client, {}),
        }
    if prune:
        for client in sorted(set(manifest.clients) - set(plan)):
            report[client] = _remove_client(output / client, set(manifest.clients[client].get("files", {})))
            del manifest.clients[client]
    _atomic_write(output / MANIFEST, manifest.text().encode())
    return report


def _write_client(target: Path, files: dict[str, str], previous: set[str]) -> ClientChanges:
    changes = ClientChanges()
    for rel, text in sorted(files.items()):
        path = target / rel
        same = path.is_file() and path.read_bytes() == text.encode()
        (changes.unchanged if same else changes.written).append(rel)
    changes.removed = sorted(rel for rel in previous - set(files) if (target / rel).exists())
    if not changes.changed:
        return changes
    staging = Path(tempfile.mkdtemp(prefix=STAGING + target.name + "-", dir=target.parent))
    try:
        _carry_over(target, staging, exclude=set(files) | previous)
        for rel, text in files.items():
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if rel in changes.unchanged:
                shutil.copy2(target / rel, dest)
            else:
                dest.write_bytes(text.encode())
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return changes


def _carry_over(target: Path, staging: Path, exclude: set[str]) -> None:
    """Files in the client folder that clientgen did not write stay where they are."""
    if not target.is_dir():
        return
    for path in sorted(target.rglob("*")):
        rel = path.relative_to(target).as_posix()
        if path.is_file() and rel not in exclude and "__pycache__" not in path.parts:
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        return
    retired = target.parent / f"{RETIRED}{target.name}"
    shutil.rmtree(retired, ignore_errors=True)
    os.rename(target, retired)
    os.rename(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


def _recover(output: Path) -> None:
    """Undo what an interrupted run left: a retired folder whose target is missing comes back."""
    for leftover in sorted(output.iterdir()):
        if leftover.name.startswith(RETIRED):
            target = output / leftover.name[len(RETIRED):]
            if target.exists():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                os.rename(leftover, target)
        elif leftover.name.startswith(STAGING):
            shutil.rmtree(leftover, ignore_errors=True)


def _remove_client(target: Path, written: set[str]) -> ClientChanges:
    changes = ClientChanges()
    for rel in sorted(written):
        path = target / rel
        if path.is_file():
            path.unlink()
            changes.removed.append(rel)
    shutil.rmtree(target / "__pycache__", ignore_errors=True)
    if target.is_dir() and not any(target.rglob("*")):
        target.rmdir()
    return changes


def _atomic_write(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
