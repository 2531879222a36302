"""Put generated files on disk: only what changed, one client at a time, atomically.

A client is built complete in a staging folder beside its target and swapped in at once
(one atomic exchange where the system has one, else two renames), so a reader or a killed run
never sees a mix of old and new files. Only changed files are written: unchanged ones, files
clientgen did not write and the bytecode of unchanged modules are hard links to the files in
place (the same inodes, so mtimes stay and nothing is copied; a copy where links are not
possible). The manifest records what clientgen wrote, so stale and hand-edited files can be
found without regenerating.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator import __version__

MANIFEST = ".clientgen.json"
STAGING = ".clientgen-new-"
RETIRED = ".clientgen-old-"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=4096)  # a run asks twice per file (the manifest to come, then the one written)
def text_digest(text: str) -> str:
    return digest(text.encode())


@dataclass
class Manifest:
    """What clientgen wrote: per client its source and file digests and a few counts."""

    toolchain: str = ""
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def read(cls, output: Path) -> Manifest:
        try:
            data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
            return cls(toolchain=str(data.get("toolchain", "")), clients=dict(data["clients"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def text(self) -> str:
        data = {"generator": f"clientgen {__version__}", "toolchain": self.toolchain, "clients": self.clients}
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
    diffs: dict[str, str] = field(default_factory=dict)  # changed file -> unified diff

    @property
    def stale(self) -> bool:
        return bool(self.missing or self.changed or self.extra)


def compare(output: Path, plan: dict[str, dict[str, str]], removed: tuple[str, ...] = ()) -> Staleness:
    """How `output` differs from what `plan` would write, and from removing `removed`."""
    manifest = Manifest.read(output)
    result = Staleness()
    for client, files in sorted(plan.items()):
        for rel, text in sorted(files.items()):
            path = output / client / rel
            name = f"{client}/{rel}"
            if not path.is_file():
                result.missing.append(name)
                continue
            current = path.read_bytes()
            if current != text.encode():
                result.changed.append(name)
                result.diffs[name] = _diff(current.decode("utf-8", "replace"), text, name)
        previous = manifest.clients.get(client, {}).get("files", {})
        result.extra += [f"{client}/{rel}" for rel in sorted(previous)
                         if rel not in files and (output / client / rel).exists()]
    for client in removed:
        result.extra += [f"{client}/{rel}" for rel in sorted(manifest.clients.get(client, {}).get("files", {}))
                         if (output / client / rel).exists()]
    return result


def _diff(current: str, expected: str, name: str) -> str:
    import difflib  # only for a stale file: an up-to-date `check` starts without it

    lines = difflib.unified_diff(
        current.splitlines(keepends=True), expected.splitlines(keepends=True),
        fromfile=f"{name} (on disk)", tofile=f"{name} (generated)",
    )
    return "".join(lines)


def write(
    output: Path,
    plan: dict[str, dict[str, str]],
    records: dict[str, dict[str, Any]],
    *,
    toolchain: str = "",
    remove: tuple[str, ...] = (),
) -> dict[str, ClientChanges]:
    """Write the clients of `plan` and remove the clients named in `remove`.

    `records` holds what the manifest keeps per client besides file digests (sources,
    counts). Clients in neither are left alone.
    """
    output.mkdir(parents=True, exist_ok=True)
    _recover(output)
    previous = Manifest.read(output)
    report: dict[str, ClientChanges] = {}
    for client, files in sorted(plan.items()):
        written = set(previous.clients.get(client, {}).get("files", {}))
        report[client] = _write_client(output / client, files, written)
    for client in remove:
        entry = previous.clients.get(client, {})
        report[client] = _remove_client(output / client, set(entry.get("files", {})))
    manifest = next_manifest(output, plan, records, toolchain=toolchain, remove=remove)
    _atomic_write(output / MANIFEST, manifest.text().encode())
    return report


def next_manifest(
    output: Path,
    plan: dict[str, dict[str, str]],
    records: dict[str, dict[str, Any]],
    *,
    toolchain: str,
    remove: tuple[str, ...] = (),
) -> Manifest:
    """The manifest after writing `plan` and removing `remove`."""
    manifest = Manifest.read(output)
    manifest.toolchain = toolchain
    for client, files in sorted(plan.items()):
        manifest.clients[client] = {
            **records.get(client, {}),
            "files": {rel: text_digest(text) for rel, text in sorted(files.items())},
        }
    for client in remove:
        manifest.clients.pop(client, None)
    return manifest


def manifest_is_current(output: Path, manifest: Manifest) -> bool:
    try:
        return (output / MANIFEST).read_bytes() == manifest.text().encode()
    except OSError:
        return False


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
    os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes 0700; the folder is for everyone
    try:
        _carry_over(target, staging, exclude=set(files) | previous,
                    changed=set(changes.written) | set(changes.removed))
        for rel, text in files.items():
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if rel in changes.unchanged:
                _link(target / rel, dest)
            else:
                dest.write_bytes(text.encode())
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return changes


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False where the
    system or file system cannot, so the caller falls back to two renames."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(done == 0)


def _carry_over(target: Path, staging: Path, exclude: set[str], changed: set[str]) -> None:
    """Files in the client folder that clientgen did not write stay where they are, and so
    does the bytecode of modules that did not change (importing a large client after an
    edit compiles what changed, not every module again)."""
    if not target.is_dir():
        return
    for path in sorted(target.rglob("*")):
        rel = path.relative_to(target).as_posix()
        if rel in exclude or not path.is_file() or path.is_symlink():
            continue
        if "__pycache__" in path.parts and not _bytecode_current(rel, changed):
            continue
        dest = staging / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        _link(path, dest)


def _bytecode_current(rel: str, changed: set[str]) -> bool:
    """Whether `rel` (`x/__pycache__/mod.cpython-311.pyc`) is bytecode of a module that
    stays as it is. Python checks a .pyc against its module's mtime (in whole seconds) and
    size only, so a rewritten module of the same size could pass with its old bytecode:
    the bytecode of written and removed modules is dropped."""
    parts = rel.split("/")
    if len(parts) < 2 or parts[-2] != "__pycache__" or not parts[-1].endswith(".pyc"):
        return False
    return "/".join([*parts[:-2], parts[-1].split(".", 1)[0] + ".py"]) not in changed


def _link(source: Path, dest: Path) -> None:
    """`dest` as a hard link to `source` (the same file: content, mode and mtime), else a
    copy where the file system has no hard links."""
    try:
        os.link(source, dest, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, dest)


def _swap(staging: Path, target: Path) -> None:
    if target.is_symlink() or target.exists() and not target.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "something clientgen did not write is in the "
                                 "client's place; move it away", str(target))
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):  # one atomic step: `target` is never missing
        shutil.rmtree(staging, ignore_errors=True)
        return
    retired = target.parent / f"{RETIRED}{target.name}"
    shutil.rmtree(retired, ignore_errors=True)
    os.rename(target, retired)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(retired, target)  # put the old client back before giving up
        raise
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
    # Folders the client's files were in (resources/, _models/), deepest first: each goes
    # with its __pycache__ once nothing else is left in it.
    folders = {target / parent for rel in written for parent in Path(rel).parents if parent != Path(".")}
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True) + [target]:
        shutil.rmtree(folder / "__pycache__", ignore_errors=True)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return changes


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic_write(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
