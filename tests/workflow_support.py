"""Shared helpers for the workflow tests (incremental, atomic, pre-commit, watch).

Every test works on a copy of `specs/` in a temporary folder with its own `pyproject.toml`
and runs the real command line there (`python -m generator ...`, cwd = the copy). Runs get
`CLIENTGEN_CACHE_DIR` pointing into a temporary folder, so black's cache and the lock files
never touch the user's ~/.cache.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from cli_support import Run

T = TypeVar("T")

REPO = Path(__file__).resolve().parent.parent
SPECS = REPO / "specs"
# A large real document (120 operations), kept in the repository: the tests need no corpus.
STAR_TREK = REPO / "tests" / "corpus_sample" / "readmeio-oas-examples" / "3.0" / "yaml" / "star-trek.yaml"
MANIFEST = ".clientgen.json"
STAGING = ".clientgen-new-"
RETIRED = ".clientgen-old-"
SEED_CLIENTS = ("anchorbrowser", "recoup", "xpander")
# Modules the fast path must not import (each costs hundreds of milliseconds).
HEAVY_MODULES = ("black", "jinja2", "openapi_pydantic", "pydantic", "yaml")
OLD_MTIME_NS = 1_000_000_000 * 10**9  # 2001: any rewrite moves a file's mtime to "now"

PYPROJECT = '[tool.clientgen]\nspecs = "specs"\noutput = "generated"\n'


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One black cache for the whole session (content-addressed, so sharing is safe).

    Returned path is the CLIENTGEN_CACHE_DIR value; locks end up in its sibling `locks/`.
    """
    return tmp_path_factory.mktemp("clientgen-cache") / "black"


# --------------------------------------------------------------------------- trees


def make_tree(root: Path, specs: Path = SPECS) -> Path:
    """A project folder: a copy of `specs` and a pyproject.toml with [tool.clientgen]."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(specs, root / "specs")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return root


def env_for(cache: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["CLIENTGEN_CACHE_DIR"] = str(cache)
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("PYTHONPATH", None)  # the venv's editable install is this checkout
    env.update(extra)
    return env


def clientgen(tree: Path, *args: str, cache: Path, timeout: float = 300) -> Run:
    """`python -m generator ARGS` with cwd = `tree`."""
    started = time.monotonic()
    proc = subprocess.run(  # returncode checked by the caller
        [sys.executable, "-m", "generator", *args],
        check=False,
        cwd=tree, env=env_for(cache), capture_output=True, text=True, timeout=timeout,
    )
    return Run(tuple(args), tree, proc.returncode, proc.stdout, proc.stderr,
               time.monotonic() - started)


def start_clientgen(tree: Path, *args: str, cache: Path, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(  # type: ignore[call-overload,no-any-return]
        [sys.executable, "-m", "generator", *args],
        cwd=tree, env=env_for(cache), text=True, **kwargs,
    )


# --------------------------------------------------------------------------- snapshots


def _skipped(rel: Path) -> bool:
    return "__pycache__" in rel.parts


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (relative posix path -> bytes), __pycache__ left out."""
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not _skipped(path.relative_to(folder))
    }


def mtimes(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): path.stat().st_mtime_ns
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not _skipped(path.relative_to(folder))
    }


def age(folder: Path) -> None:
    """Move every file's mtime to 2001, so any rewrite is visible whatever the clock tick."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))


def restore(folder: Path, files: dict[str, bytes]) -> None:
    """Make `folder` hold exactly `files` (and nothing else)."""
    if folder.exists():
        shutil.rmtree(folder)
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def client_part(files: dict[str, T], client: str) -> dict[str, T]:
    prefix = client + "/"
    return {rel[len(prefix):]: data for rel, data in files.items() if rel.startswith(prefix)}


def differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    out = [f"missing: {rel}" for rel in sorted(set(expected) - set(actual))]
    out += [f"extra: {rel}" for rel in sorted(set(actual) - set(expected))]
    out += [f"differs: {rel}" for rel in sorted(set(expected) & set(actual))
            if expected[rel] != actual[rel]]
    return out


def leftovers(output: Path) -> list[str]:
    """What an interrupted write may leave: staging/retired folders, temporary files."""
    if not output.exists():
        return []
    return sorted(p.name for p in output.iterdir()
                  if p.name.startswith((STAGING, RETIRED, ".tmp-")))


def read_manifest(output: Path) -> dict[str, Any]:
    data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("clients"), dict), data
    return data


# --------------------------------------------------------------------------- spec edits


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def bump_version(path: Path, version: str = "9.9.9") -> None:
    """Change info.version (the first two-space-indented `version:` line) of a spec."""
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(r"(?m)^  version: .*$", f"  version: '{version}'", text, count=1)
    assert count == 1, f"no info.version in {path}"
    path.write_text(new, encoding="utf-8")


def spec_files(specs: Path) -> Iterable[Path]:
    return sorted(p for p in specs.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- polling


def wait_until(condition: Callable[[], object], timeout: float, interval: float = 0.05,
               message: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {message}")
        time.sleep(interval)


def has_open(pid: int, path: Path) -> bool:
    """Does process `pid` hold `path` open? (Linux: /proc/PID/fd)."""
    target = str(path.resolve())
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                return True
        except OSError:
            continue
    return False
