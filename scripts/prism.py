"""Run the Stoplight Prism mock server (``@stoplight/prism-cli``) on loopback (tests, sweep).

Prism is pinned in ``package.json`` and installed into ``node_modules/`` by
``npm ci`` (``make test`` does that).  Usage::

    with PrismServer(Path("specs/petstore.json")) as prism:
        r = httpx.get(f"{prism.base_url}/pets/1", headers={"x-api-key": "k"})
        assert r.status_code == 200 and violations(r) == [], violations(r)

Each server gets a free port on 127.0.0.1, runs in its own process group and is
stopped (SIGTERM, then SIGKILL) when the ``with`` block ends, at interpreter
exit, or, on Linux, when the Python process dies.  Startup takes 1-2 s.
Prism's ``--errors`` flag is never used: it turns response violations into 500s.

How Prism (5.14.x) validates a request -- observed, not just documented:

* A request that violates the spec is answered with a 4xx instead of a mock:
  422 for bad parameters or bodies, 401 when a required security scheme (e.g.
  an ``x-api-key`` header) is missing, 415 for a body whose content type is not
  documented -- including *any* non-empty body on an operation without a
  ``requestBody`` -- and 404 for unknown routes.  Security wins: a request
  without its key and with a bad parameter gets the 401; a 415 likewise hides
  the other violations.  ``Prefer: code=...`` does not override these.
* Where the violations are named depends on the spec:
  - if the operation documents a matching error response (401 for security;
    422, else 400, else ``default`` -- sent as 422 -- for validation), Prism
    mocks *that* response and lists the violations as a JSON array in the
    ``sl-violations`` response header, e.g. ``[{"location": ["request",
    "path", "id"], "severity": "Error", "code": "type", "message": "Request
    path parameter id must be integer"}]`` (a missing key appears as
    ``{"location": ["request"], "code": 401, ...}`` -- an integer code);
  - otherwise Prism makes up an ``application/problem+json`` error and sends
    no ``sl-violations`` header; for a 422 the violations are in the body's
    ``"validation"`` array, whose ``location`` lacks the ``"request"`` prefix
    (``["path", "id"]``).  Its generated 401/404/415 list no violations.
  - a *response* that breaks the spec (say, an example of the wrong type) is
    still sent, as a 2xx, with ``"location": ["response", "body", ...]``
    entries in ``sl-violations``.
  ``violations(response)`` reads either form; assert it is ``[]``.
* ``Prefer: code=404`` makes Prism answer a valid request with the documented
  404 response; an undocumented code gets a problem+json 404 ("Requested
  status code 500 is not defined in the document").
* ``Prefer: dynamic=true`` (or ``PrismServer(..., dynamic=True)``, which
  passes ``-d``) generates random schema-valid data instead of examples.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self, cast

__all__ = ["PrismError", "PrismServer", "find_prism", "violations"]

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
READY_MARKER = "Prism is listening on"
PORT_ATTEMPTS = 3


class PrismError(RuntimeError):
    """Prism is missing, failed to start, or did not become ready in time."""


def find_prism() -> Path:
    """Path of the repo's ``node_modules/.bin/prism``; PrismError if it is missing."""
    prism = REPO_ROOT / "node_modules" / ".bin" / "prism"
    if not prism.exists():
        raise PrismError(
            f"Prism mock server not found at {prism}. Install the pinned Node test "
            f"tools with `make test` or `npm ci` in {REPO_ROOT}."
        )
    return prism


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _port_open(port: int) -> bool:
    with (
        contextlib.suppress(OSError),
        socket.create_connection((HOST, port), timeout=0.5),
    ):
        return True
    return False


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, but not ours to signal
        return True
    return True


# Resolved in the parent: the child may only call it (no imports after fork).
_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when the parent dies (Linux only).

    Strictly, when the parent *thread* that started Prism exits, so start
    servers from the main thread (pytest fixtures do).
    """
    if _prctl is not None:
        PR_SET_PDEATHSIG = 1
        _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


_live: set[PrismServer] = set()


@atexit.register
def _stop_all() -> None:
    for server in list(_live):
        server.stop()


class PrismServer:
    """``prism mock SPEC`` on a free 127.0.0.1 port, as a context manager.

    ``start()`` / ``stop()`` may also be called directly; ``stop()`` is idempotent.
    """

    def __init__(
        self,
        spec_path: Path,
        *,
        dynamic: bool = False,
        startup_timeout: float = 60.0,
        stop_grace: float = 5.0,
    ) -> None:
        self.spec_path = Path(spec_path)
        self.dynamic = dynamic
        self.startup_timeout = startup_timeout
        self.stop_grace = stop_grace
        self.port: int | None = None
        self.pgid: int | None = None
        self.startup_seconds: float | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_path: Path | None = None
        self._final_log: str | None = None

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise PrismError("PrismServer is not started")
        return f"http://{HOST}:{self.port}"

    def command(self) -> list[str]:
        cmd = [
            str(find_prism()),
            "mock",
            str(self.spec_path),
            "-h",
            HOST,
            "-p",
            str(self.port),
        ]
        return [*cmd, "-d"] if self.dynamic else cmd

    def log_text(self) -> str:
        """Everything Prism printed so far (stdout and stderr interleaved)."""
        if self._final_log is not None:
            return self._final_log
        if self._log_path is None:
            return ""
        return self._log_path.read_text(encoding="utf-8", errors="replace")

    def running(self) -> bool:
        """True while the Prism process is alive (a request can crash it)."""
        return self._proc is not None and self._proc.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def start(self) -> Self:
        if self._proc is not None:
            raise PrismError("PrismServer already started")
        if not self.spec_path.is_file():
            raise PrismError(f"spec not found: {self.spec_path}")
        began = time.monotonic()
        for attempt in range(PORT_ATTEMPTS):
            self._spawn()
            try:
                ready = self._wait_ready(began, may_retry=attempt < PORT_ATTEMPTS - 1)
            except BaseException:
                self.stop()
                raise
            if ready:
                self.startup_seconds = time.monotonic() - began
                return self
            self.stop()  # someone took the port between probe and bind: try another
        raise AssertionError("unreachable")

    def _spawn(self) -> None:
        self.port = _free_port()
        fd, log_name = tempfile.mkstemp(prefix=f"prism-{self.port}-", suffix=".log")
        self._log_path, self._final_log = Path(log_name), None
        with os.fdopen(fd, "wb") as log:
            self._proc = subprocess.Popen(
                self.command(),
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own session => own process group
                # Started from the main thread (pytest fixtures), where preexec_fn is safe.
                preexec_fn=_die_with_parent if _prctl is not None else None,  # noqa: PLW1509
            )
        self.pgid = self._proc.pid
        _live.add(self)

    def _wait_ready(self, began: float, *, may_retry: bool) -> bool:
        """True once Prism listens; False if it lost a port race and may retry."""
        assert self._proc is not None and self.port is not None
        while time.monotonic() - began < self.startup_timeout:
            code = self._proc.poll()
            if code is not None:
                if may_retry and "EADDRINUSE" in self.log_text():
                    return False
                raise PrismError(
                    f"prism exited with code {code} before listening on "
                    f"port {self.port}; log tail:\n{self.log_tail()}"
                )
            if READY_MARKER in self.log_text() and _port_open(self.port):
                return True
            time.sleep(0.1)
        raise PrismError(
            f"prism did not listen on {self.base_url} within "
            f"{self.startup_timeout:.0f}s; log tail:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """Stop the process group: SIGTERM, then SIGKILL after ``stop_grace`` s."""
        proc, pgid = self._proc, self.pgid
        if proc is None or pgid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_grace
        while time.monotonic() < deadline:
            proc.poll()  # reap the leader so it is not counted as a zombie member
            if not _group_alive(pgid):
                break
            time.sleep(0.05)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
        proc.wait()
        self._proc = None
        _live.discard(self)
        if self._log_path is not None:
            self._final_log = self._log_path.read_text(
                encoding="utf-8", errors="replace"
            )
            self._log_path.unlink(missing_ok=True)
            self._log_path = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _Response(Protocol):  # what httpx.Response / requests.Response both provide
    @property
    def headers(self) -> Any: ...

    def json(self) -> Any: ...


def violations(response: _Response) -> list[dict[str, Any]]:
    """The request/response violations Prism reported for ``response``, else ``[]``.

    Reads the ``sl-violations`` header (JSON list) when Prism sent one; otherwise
    the ``"validation"`` list of a Prism-generated problem+json body (see the
    module docstring for when each is used and how ``location`` differs).
    """
    header = response.headers.get("sl-violations")
    if header:
        with contextlib.suppress(ValueError):
            found = json.loads(header)
            if isinstance(found, list):
                return cast(list[dict[str, Any]], found)
        return [{"severity": "Error", "code": "unparsed", "message": header}]
    if "problem+json" in response.headers.get("content-type", ""):
        with contextlib.suppress(ValueError):
            body = response.json()
            if isinstance(body, dict) and isinstance(body.get("validation"), list):
                return cast(list[dict[str, Any]], body["validation"])
    return []
