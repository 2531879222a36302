"""Helpers for the feature tests: build a client from an inline spec, import it, call it.

`tests/test_features_*.py` generate one package per spec (usually once per module, through
a module-scoped fixture, since generating and formatting costs time), import it under a
unique name from a temporary folder and drive it through `httpx.MockTransport`.

Nothing here works around generator behaviour: a spec that produces errors fails the
build helper with every diagnostic rendered, so the failing test names the cause.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from generator import pipeline, write
from generator.diagnostics import Diagnostic, Level
from generator.options import ClientOptions

_COUNTER = itertools.count()

Respond = Callable[[httpx.Request], httpx.Response]


def method_of(client: Any, call: str) -> Any:
    """The bound method a dotted call path names (`pets.list`: client.pets.list)."""
    target = client
    for part in call.split("."):
        target = getattr(target, part)
    return target


def calls_of(client: Any) -> set[str]:
    """Every operation a client offers, as call paths: `pets.list` for a resource's method,
    `chat.completions.create` for a sub-resource's, `health` for one of the client's own
    (those defined in its resources/ modules)."""
    found: set[str] = set()
    for cls in type(client).__mro__:
        if ".resources." in cls.__module__:
            found |= {name for name in vars(cls) if not name.startswith("_")}
    for name, value in vars(type(client)).items():
        if isinstance(value, property):
            found |= {f"{name}.{call}" for call in _resource_calls(getattr(client, name))}
    return found


def _resource_calls(resource: Any) -> set[str]:
    found: set[str] = set()
    for name, value in vars(type(resource)).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property):
            found |= {f"{name}.{call}" for call in _resource_calls(getattr(resource, name))}
        else:
            found.add(name)
    return found


def unique_name(prefix: str) -> str:
    """A package name no other test in this process uses (the module cache is global)."""
    return f"feat_{prefix}_{os.getpid()}_{next(_COUNTER)}"


@contextlib.contextmanager
def black_cache(folder: Path) -> Iterator[None]:
    """Point clientgen's cache (black results, locks) into the test's temporary folder."""
    old = os.environ.get("CLIENTGEN_CACHE_DIR")
    os.environ["CLIENTGEN_CACHE_DIR"] = str(folder)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("CLIENTGEN_CACHE_DIR", None)
        else:
            os.environ["CLIENTGEN_CACHE_DIR"] = old


def write_spec(folder: Path, stem: str, text: str, suffix: str = ".yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}{suffix}"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def build(folder: Path, stem: str, text: str, *, format_code: bool = True,
          options: ClientOptions | None = None) -> tuple[pipeline.Result, Path]:
    """Run the pipeline over one spec file `folder/stem.yaml` (one client named `stem`),
    with `options` as its `[tool.clientgen.clients.<stem>]` table would give them."""
    path = write_spec(folder, stem, text)
    chosen = {stem: options} if options is not None else None
    return pipeline.build(path, folder, format_code=format_code, options=chosen), path


def errors_of(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.render() for d in diagnostics if d.level is Level.ERROR]


def warnings_of(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.level is Level.WARNING]


@dataclass
class Recorder:
    """The handler of a MockTransport: answers with `respond`, keeps every request."""

    respond: Respond
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.respond(request)

    @property
    def last(self) -> httpx.Request:
        assert self.requests, "no request was sent"
        return self.requests[-1]


@dataclass
class Package:
    """A generated, written and imported client package."""

    name: str
    out: Path
    module: ModuleType
    result: pipeline.Result
    spec_path: Path

    @property
    def models(self) -> Any:
        return self.module.models

    @property
    def errors(self) -> Any:
        return self.module.errors

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.result.diagnostics

    def text(self, relative: str) -> str:
        return (self.out / self.name / relative).read_text(encoding="utf-8")

    def client_text(self) -> str:
        """_client.py and every resource module (where the operations are), joined."""
        folder = self.out / self.name
        files = [folder / "_client.py", *sorted((folder / "resources").rglob("*.py"))]
        return "\n".join(f.read_text(encoding="utf-8") for f in files if f.is_file())

    def client(self, respond: Respond | None = None, **options: Any) -> tuple[Any, Recorder]:
        recorder = Recorder(respond or (lambda request: httpx.Response(204)))
        http = httpx.Client(transport=httpx.MockTransport(recorder))
        options.setdefault("max_retries", 0)
        return self.module.Client(http_client=http, **options), recorder

    def async_client(self, respond: Respond | None = None, **options: Any) -> tuple[Any, Recorder]:
        recorder = Recorder(respond or (lambda request: httpx.Response(204)))
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        options.setdefault("max_retries", 0)
        return self.module.AsyncClient(http_client=http, **options), recorder


def generate(folder: Path, prefix: str, text: str, options: ClientOptions | None = None) -> Package:
    """Build, write and import the client of `text`; generation errors fail loudly."""
    stem = unique_name(prefix)
    result, path = build(folder / "specs", stem, text, options=options)
    assert errors_of(result.diagnostics) == [], "\n".join(errors_of(result.diagnostics))
    assert list(result.clients) == [stem], result.failed
    out = folder / "out"
    write.write(out, {stem: result.clients[stem].files}, {})
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    return Package(stem, out, importlib.import_module(stem), result, path)


def module_package(tmp_path_factory: Any, prefix: str, text: str) -> Iterator[Package]:
    """A module-scoped fixture's package: generated once (black results cached in the
    session's folder), yielded, then dropped from the module cache."""
    with black_cache(tmp_path_factory.getbasetemp() / "black-cache"):
        package = generate(tmp_path_factory.mktemp(prefix), prefix, text)
    yield package
    forget(package)


def forget(package: Package) -> None:
    """Drop the package from the module cache and sys.path (fixture teardown)."""
    for name in list(sys.modules):
        if name == package.name or name.startswith(package.name + "."):
            del sys.modules[name]
    with contextlib.suppress(ValueError):
        sys.path.remove(str(package.out))


def mypy_strict(folder: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "--cache-dir", str(folder / ".mypy_cache"), *targets],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


PYRIGHT = Path(__file__).resolve().parents[1] / "node_modules" / ".bin" / "pyright"


def pyright_strict(folder: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """pyright (pinned in package.json) in strict mode on `targets` inside `folder`."""
    import json

    assert PYRIGHT.exists(), f"{PYRIGHT} is missing: run `make setup` (npm ci)"
    config = folder / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"}))
    return subprocess.run(
        [str(PYRIGHT), "--pythonpath", sys.executable, "-p", str(config), *targets],
        cwd=folder, capture_output=True, text=True, timeout=600, check=False,
    )


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Respond:
    return lambda request: httpx.Response(status, json=body, headers=headers)
