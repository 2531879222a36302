"""One clientgen run at a time per output folder.

The lock is the output folder itself (flock on its descriptor): no lock file shows up in a
repository, and runs with different caches or working directories still exclude each
other. A second run waits a little, then gives up with a clear message.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WAIT_SECONDS = 30.0


class LockHeld(Exception):
    """Another clientgen run is writing the same output folder."""


@contextmanager
def locked(output: Path, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on the output folder itself while writing into it.

    The lock is taken on the folder (an flock on its descriptor), so every run writing
    there is excluded whatever its cache folder or working directory, and nothing is
    written into the repository for it. The kernel drops it when the process dies.
    """
    output.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(output, os.O_RDONLY | os.O_DIRECTORY)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockHeld(f"another clientgen run is writing {output}; waited {wait:.0f} s") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
