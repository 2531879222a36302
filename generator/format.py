"""black, in-process, never twice on the same text: results are cached by content digest."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Hashable
from functools import cache
from pathlib import Path
from typing import TypeVar

LINE_LENGTH = 88
PARALLEL_BYTES = 200_000  # files above this are worth a worker process
K = TypeVar("K", bound=Hashable)


class FormatError(Exception):
    """black could not parse generated code: a generator bug, reported with the file."""


@cache
def _mode() -> tuple[object, str]:
    import black

    mode = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=LINE_LENGTH)
    return mode, f"black {black.__version__} {LINE_LENGTH} py311"


def cache_dir() -> Path:
    configured = os.environ.get("CLIENTGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "clientgen" / "black"


def _cached(source: str) -> tuple[Path, str | None]:
    _, key = _mode()
    digest = hashlib.sha256(f"{key}\0{source}".encode()).hexdigest()
    path = cache_dir() / digest[:2] / digest
    try:
        return path, path.read_text(encoding="utf-8")
    except OSError:
        return path, None


def format_all(sources: dict[K, str]) -> dict[K, str]:
    """Format many files; cache misses go to worker processes when they are worth it.

    black costs about 10 s per MB of generated code, so a large client's files are
    formatted in parallel, one process per core.
    """
    results: dict[K, str] = {}
    misses: dict[K, str] = {}
    for key, source in sources.items():
        _, hit = _cached(source)
        if hit is None:
            misses[key] = source
        else:
            results[key] = hit
    workers = min(os.cpu_count() or 1, sum(len(s) > PARALLEL_BYTES for s in misses.values()))
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        order = sorted(misses, key=lambda k: -len(misses[k]))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            formatted = pool.map(format_python, [misses[k] for k in order], [str(k) for k in order])
            results.update(zip(order, formatted))
    else:
        results.update({key: format_python(source, str(key)) for key, source in misses.items()})
    return {key: results[key] for key in sources}


def format_python(source: str, name: str = "<generated>") -> str:
    import black

    mode, _ = _mode()
    cached, hit = _cached(source)
    if hit is not None:
        return hit
    try:
        result = black.format_str(source, mode=mode)  # type: ignore[arg-type]
    except black.InvalidInput as exc:
        raise FormatError(f"{name}: generated code is not valid Python ({exc})") from exc
    _store(cached, result)
    return result


def _store(path: Path, text: str) -> None:
    """Best effort: a cache that cannot be written only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        pass
