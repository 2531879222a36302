"""Run `clientgen` in a subprocess and compare folders of generated files.

Every run gets `CLIENTGEN_CACHE_DIR` (black's cache and the lock files) pointing into the
test's temporary folder, so tests never read or write the user's ~/.cache and a cached
result cannot hide what black would do.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATED = REPO / "generated"
SPECS = REPO / "specs"
MANIFEST = ".clientgen.json"
CLIENTS = ("anchorbrowser", "recoup", "xpander")
# Folders tools leave in a tree (git ignores them); they are not generated output.
CACHE_DIRS = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    cwd: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float | None = None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __str__(self) -> str:
        took = f", {self.seconds:.1f} s" if self.seconds is not None else ""
        return (
            f"$ clientgen {' '.join(self.args)}   (cwd {self.cwd}{took})\n"
            f"exit {self.returncode}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"
        )


def clientgen(
    *args: str,
    cwd: Path,
    cache_dir: Path,
    env: dict[str, str] | None = None,
    console_script: bool = False,
    timeout: float = 180,
) -> Run:
    """`python -m generator ARGS` (or the `clientgen` console script) in `cwd`."""
    if console_script:
        command = [str(Path(sys.executable).with_name("clientgen")), *args]
    else:
        command = [sys.executable, "-m", "generator", *args]
    environment = dict(os.environ)
    # This checkout's generator, whatever the cwd (the venv's editable install agrees).
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), environment.get("PYTHONPATH")) if p
    )
    environment["CLIENTGEN_CACHE_DIR"] = str(cache_dir)
    environment.update(env or {})
    done = subprocess.run(
        command,
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Run(tuple(args), cwd, done.returncode, done.stdout, done.stderr)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative POSIX path -> bytes), without tool caches."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not CACHE_DIRS & set(relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def tree_differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    """Human-readable differences between two trees; empty when byte-identical."""
    found = [f"missing: {name}" for name in sorted(set(expected) - set(actual))]
    found += [f"extra: {name}" for name in sorted(set(actual) - set(expected))]
    for name in sorted(set(expected) & set(actual)):
        if expected[name] != actual[name]:
            diff = difflib.unified_diff(
                expected[name].decode("utf-8", "replace").splitlines(),
                actual[name].decode("utf-8", "replace").splitlines(),
                f"expected/{name}",
                f"actual/{name}",
                lineterm="",
            )
            found.append(f"changed: {name}\n" + "\n".join(list(diff)[:60]))
    return found
