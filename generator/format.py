"""black, in-process, never twice on the same text: results are cached by content digest."""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

LINE_LENGTH = 88


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


def format_python(source: str, name: str = "<generated>") -> str:
    import black

    mode, key = _mode()
    digest = hashlib.sha256(f"{key}\0{source}".encode()).hexdigest()
    cached = cache_dir() / digest[:2] / digest
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        pass
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
