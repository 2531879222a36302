"""black, never twice on the same text: files and their pieces are cached by content digest."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Hashable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

LINE_LENGTH = 88
PARALLEL_BYTES = 200_000  # this much code to format is worth a worker process
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
    """Format many files; black sees only what no cache holds, in pieces (chunks.py).

    A file is cut into its top-level definitions (and a class into its methods), each
    formatted and cached on its own: an edit to one schema re-formats one piece, and a
    large file's pieces are shared among worker processes, one per core.
    """
    from generator import chunks

    results: dict[K, str] = {}
    plans: dict[K, list[chunks.Piece]] = {}
    for key, source in sources.items():
        _, hit = _cached(source)
        if hit is None:
            plans[key] = chunks.split(source)
        else:
            results[key] = hit
    done: dict[str, str] = {}
    jobs: dict[str, str] = {}  # piece source -> the file it is from, for error messages
    for key, pieces in plans.items():
        for piece in pieces:
            text = piece.source
            if text not in done and text not in jobs:
                _, hit = _cached(text)
                if hit is None:
                    jobs[text] = str(key)
                else:
                    done[text] = hit
    done.update(_format_jobs(jobs))
    for key, pieces in plans.items():
        results[key] = _assemble(sources[key], pieces, done, str(key))
    return {key: results[key] for key in sources}


def _assemble(source: str, pieces: list[Any], done: dict[str, str], name: str) -> str:
    from generator import chunks

    if len(pieces) == 1:
        return done[pieces[0].source]
    joined = chunks.join(pieces, [done[piece.source] for piece in pieces])
    if joined is None:  # a piece black reshaped unexpectedly: the whole file, as black would
        return format_python(source, name)
    cached, _ = _cached(source)
    _store(cached, joined)
    return joined


def _format_jobs(jobs: dict[str, str]) -> dict[str, str]:
    """black over every piece; in worker processes when there is enough to share."""
    size = sum(map(len, jobs))
    workers = min(os.cpu_count() or 1, max(1, size // PARALLEL_BYTES))
    if workers < 2:
        return {text: format_python(text, name) for text, name in jobs.items()}
    from concurrent.futures import ProcessPoolExecutor

    _mode()  # black imported once here: forked workers inherit it
    batches = _batches(list(jobs.items()), workers * 4)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        formatted = pool.map(_format_batch, batches)
        return {text: out for batch, outs in zip(batches, formatted) for (text, _), out in zip(batch, outs)}


def _batches(items: list[tuple[str, str]], count: int) -> list[list[tuple[str, str]]]:
    """`count` batches of about equal size, largest pieces first, so no core waits long."""
    bins: list[list[tuple[str, str]]] = [[] for _ in range(min(count, len(items)))]
    sizes = [0] * len(bins)
    for item in sorted(items, key=lambda job: -len(job[0])):
        smallest = sizes.index(min(sizes))
        bins[smallest].append(item)
        sizes[smallest] += len(item[0])
    return sorted(bins, key=lambda b: -sum(len(text) for text, _ in b))


def _format_batch(batch: list[tuple[str, str]]) -> list[str]:
    return [format_python(text, name) for text, name in batch]


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
