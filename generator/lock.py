"""One clientgen run at a time per output folder.

The lock file lives in the user's cache, not in the output folder, so it never shows up
in a repository. A second run waits a little, then gives up with a clear message.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.format import cache_dir

WAIT_SECONDS = 30.0


class LockHeld(Exception):
    """Another clientgen run is writing the same output folder."""


def lock_path(output: Path) -> Path:
    key = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache_dir().parent / "locks" / f"{key}.lock"


@contextmanager
def locked(output: Path, wait: float = WAIT_SECONDS) -> Iterator[None]:
    path = lock_path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise LockHeld(
                        f"another clientgen run ({holder}) is writing {output}; "
                        f"waited {wait:.0f} s. If no run is active, delete {path}."
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
