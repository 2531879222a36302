"""Live round trips: serve a real app with uvicorn, generate its client from the OpenAPI
document the running app serves, call it, and note which operations were called.

Each app is a plain module beside this one (`fastapi_app.py`, ...), run by uvicorn in a
subprocess on a free loopback port (a subprocess, so that Django's process-wide settings of
one app cannot leak into another). The `live` fixture of test_round_trips.py starts each
server once.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
from feature_support import (
    Package,
    black_cache,
    calls_of,
    errors_of,
    forget,
    method_of,
    unique_name,
    write_spec,
)

from generator import pipeline, write

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
STARTUP_SECONDS = 30.0
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(module: str, *, lifespan: str = "auto") -> Iterator[str]:
    """Run `module:app` (a file in this folder) under uvicorn; yield its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", f"{module}:app", "--app-dir", str(HERE),
        "--host", HOST, "--port", str(port), "--log-level", "warning",
        "--lifespan", lifespan,
    ]
    # The log goes to a file: a pipe nobody reads would block the server once full.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        base_url = f"http://{HOST}:{port}"
        try:
            wait_until_up(process, base_url, log)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_up(process: subprocess.Popen[bytes], base_url: str, log: IO[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")
            raise RuntimeError(f"server exited with {process.returncode}:\n{output}")
        with contextlib.suppress(httpx.TransportError):
            httpx.get(base_url + "/", timeout=1.0)
            return
        time.sleep(0.1)
    raise RuntimeError(f"server at {base_url} did not start in {STARTUP_SECONDS} s")


def build_package(folder: Path, prefix: str, document: str) -> Package:
    """Generate, write and import the client of `document` (JSON, as the app served it)."""
    stem = unique_name(prefix)
    path = write_spec(folder / "specs", stem, document, suffix=".json")
    with black_cache(folder / "black-cache"):
        result = pipeline.build(path, folder / "specs", format_code=True)
    assert errors_of(result.diagnostics) == [], "\n".join(errors_of(result.diagnostics))
    assert list(result.clients) == [stem], result.failed
    out = folder / "out"
    write.write(out, {stem: result.clients[stem].files}, {})
    sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    return Package(stem, out, importlib.import_module(stem), result, path)


def operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation the document describes."""
    return sorted(
        (method.upper(), path)
        for path, item in document.get("paths", {}).items()
        for method in item
        if method in HTTP_METHODS
    )


def operation_methods(package: Package) -> set[str]:
    """How the client reaches each operation: `notifications.create` (calls_of)."""
    return calls_of(package.module.Client(base_url="http://127.0.0.1:9"))


class Recorded:
    """A generated client whose operation calls are noted by method name. `aliases` lets
    the shared tests call an operation by one name whatever method name the app's document
    gives it (the name noted is the method's own)."""

    def __init__(
        self, client: Any, names: set[str], calls: set[str], aliases: Mapping[str, str]
    ) -> None:
        self._client = client
        self._names = names
        self._calls = calls
        self._aliases = aliases

    def __getattr__(self, name: str) -> Any:
        name = self._aliases.get(name, name)
        value = method_of(self._client, name)
        if name not in self._names:
            return value
        calls = self._calls

        def called(*args: Any, **kwargs: Any) -> Any:
            calls.add(name)
            return value(*args, **kwargs)

        return called


@dataclass
class Live:
    """A running app, its OpenAPI document and its generated client package."""

    base_url: str
    document: dict[str, Any]
    package: Package
    aliases: Mapping[str, str] = field(default_factory=dict)
    sync_calls: set[str] = field(default_factory=set)
    async_calls: set[str] = field(default_factory=set)

    @property
    def models(self) -> Any:
        return self.package.models

    @property
    def errors(self) -> Any:
        return self.package.errors

    def client(self) -> Recorded:
        made = self.package.module.Client(base_url=self.base_url, max_retries=0, timeout=10)
        return self._recorded(made, self.sync_calls)

    def async_client(self) -> Recorded:
        made = self.package.module.AsyncClient(
            base_url=self.base_url, max_retries=0, timeout=10
        )
        return self._recorded(made, self.async_calls)

    def _recorded(self, made: Any, calls: set[str]) -> Recorded:
        return Recorded(made, operation_methods(self.package), calls, self.aliases)


def live_app(
    tmp_path_factory: Any,
    module: str,
    openapi_path: str,
    *,
    lifespan: str = "auto",
    aliases: Mapping[str, str] | None = None,
) -> Iterator[Live]:
    """A module-scoped fixture's body: serve `module`, fetch its document over HTTP,
    generate the client, yield, then stop the server and forget the package."""
    with serve(module, lifespan=lifespan) as base_url:
        response = httpx.get(base_url + openapi_path, timeout=10)
        response.raise_for_status()
        folder = tmp_path_factory.mktemp(module)
        package = build_package(folder, module, response.text)
        try:
            yield Live(base_url, response.json(), package, dict(aliases or {}))
        finally:
            forget(package)


def assert_every_operation_called(live: Live) -> None:
    """Each operation of the served document has a method, and the tests called each one,
    through the sync and through the async client."""
    methods = operation_methods(live.package)
    assert len(methods) == len(operations(live.document)), (
        sorted(methods), operations(live.document)
    )
    # A test that failed before reaching a call leaves that call out, too.
    assert sorted(methods - live.sync_calls) == [], "not called through Client"
    assert sorted(methods - live.async_calls) == [], "not called through AsyncClient"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
