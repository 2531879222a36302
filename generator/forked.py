"""A step run in a forked child while this process goes on: the second core, for steps
whose inputs are ready and whose result is only needed later (validating the document while
it is lowered, the API summary while the code is formatted).

Only where forking is safe: on Linux, in a process running a single thread (a fork copies
only the calling thread, and a lock another thread held would stay locked in the child).
Anywhere else, and whenever the child fails to give a result (killed, a result that cannot
be pickled), the step runs here instead, when its result is asked for: a fork only ever
changes when the work is done, never what it gives. An exception the step raises is raised
by `result()` as the step raises it here (run again, so its traceback is this process's).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Generic, NoReturn, TypeVar

T = TypeVar("T")
ENV = "CLIENTGEN_NO_FORK"  # set (to anything but "" or "0"): every step runs in this process
# Below this many path items and component schemas, a step costs less than a fork does
# (tens of milliseconds: the child copies every page either process then writes to).
LARGE = 200


def large(data: object) -> bool:
    """Whether an OpenAPI document is large enough for its steps to be forked."""
    if not isinstance(data, dict):
        return False
    components = data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return sum(len(part) for part in (data.get("paths"), schemas) if isinstance(part, dict)) >= LARGE


def can_fork() -> bool:
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and os.environ.get(ENV, "") in ("", "0")
        and threading.active_count() == 1
    )


class Pending(Generic[T]):
    def __init__(self, function: Callable[[], T], pid: int | None = None, pipe: int | None = None) -> None:
        self._function = function
        self._pid = pid
        self._pipe = pipe

    def result(self) -> T:
        """The step's value: the child's, else computed here (once asked, the child is gone:
        ask once)."""
        payload = self.discard()
        if payload is None:
            return self._function()
        try:
            ok, value = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - no usable result from the child: do the work here
            ok, value = False, None
        if ok:
            return value  # type: ignore[no-any-return]
        return self._function()  # it failed there: fail (or succeed) the same way here

    def cancel(self) -> None:
        """End the child, if any, unheard: its result is not wanted (a failed build)."""
        if self._pid is None or self._pipe is None:
            return
        pid, pipe = self._pid, self._pipe
        self._pid = self._pipe = None
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(pipe)
        os.waitpid(pid, 0)

    def discard(self) -> bytes | None:
        """Wait for the child, if any, and return what it sent (None: no child)."""
        if self._pid is None or self._pipe is None:
            return None
        pid, pipe = self._pid, self._pipe
        self._pid = self._pipe = None
        try:
            return _read_all(pipe)
        finally:
            os.waitpid(pid, 0)


class Done(Pending[T]):
    """A step already run here."""

    def __init__(self, value: T) -> None:
        super().__init__(lambda: value)


def start(function: Callable[[], T], worth: bool = True) -> Pending[T]:
    """Begin `function()` in a child process where one can be forked safely and it is
    `worth` it, else run it now (so that it runs when it would without this module)."""
    if not worth or not can_fork():
        return Done(function())
    read, write = os.pipe()
    # Frozen, the parent's objects are never scanned by the child's collector, so their
    # pages stay shared instead of being copied on its first collection.
    gc.freeze()
    # Ctrl-C and SIGTERM held until the child is inside the block that always ends it: else
    # one landing between the fork and that block would run the parent's code on in the child.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        gc.unfreeze()
        os.close(read)
        os.close(write)
        return Done(function())
    if pid == 0:  # the child: compute, send, and leave without running any exit handler
        _child(function, read, write, mask)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    gc.unfreeze()
    os.close(write)
    return Pending(function, pid, read)


def _child(function: Callable[[], T], read: int, pipe: int, mask: set[int | signal.Signals]) -> NoReturn:
    code = 0
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(read)
        try:
            payload = pickle.dumps((True, function()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - the parent runs the step again and sees why
            payload = pickle.dumps((False, None))
        view = memoryview(payload)
        while view:
            view = view[os.write(pipe, view):]
    except BaseException:  # noqa: BLE001 - the parent sees an empty or cut result: a miss
        code = 1
    finally:
        os._exit(code)


def _read_all(pipe: int) -> bytes:
    chunks = []
    try:
        while True:
            chunk = os.read(pipe, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(pipe)
    return b"".join(chunks)
