"""Results of slow, pure steps kept on disk by a digest of their input (beside black's cache).

An entry is `MAGIC + blake2b(payload) + payload`, written atomically; reading one checks the
checksum, so a truncated or corrupted file is a miss, never wrong data. The key covers the
generator's code and the Python version (the payload formats change with both): a new
clientgen never reads an old clientgen's entries. Every failure, reading or writing, only
costs the time the entry would have saved.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

MAGIC = b"clientgen-memo-1\n"
_SUM = 32  # bytes of blake2b


def key(kind: str, *parts: str | bytes) -> str:
    """The digest naming an entry: `kind`, the toolchain, the Python version and `parts`."""
    from generator.fresh import toolchain_digest

    sha = hashlib.sha256(f"{kind}\0{toolchain_digest()}\0{sys.version}\0".encode())
    for part in parts:
        sha.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        sha.update(b"\0")
    return sha.hexdigest()


def _path(kind: str, digest: str) -> Path:
    from generator.format import cache_dir

    return cache_dir() / kind / digest[:2] / digest


def read(kind: str, digest: str) -> bytes | None:
    """The payload stored under `digest`, if present and intact."""
    try:
        blob = _path(kind, digest).read_bytes()
    except OSError:
        return None
    head, payload = blob[: len(MAGIC) + _SUM], blob[len(MAGIC) + _SUM :]
    if head != MAGIC + hashlib.blake2b(payload, digest_size=_SUM).digest():
        return None
    return payload


def write(kind: str, digest: str, payload: bytes) -> None:
    path = _path(kind, digest)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + hashlib.blake2b(payload, digest_size=_SUM).digest() + payload)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
