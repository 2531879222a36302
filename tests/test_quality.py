"""Output quality of the committed generated packages: mypy --strict, pyright --strict, ruff,
black, and that each package stands alone (imports only httpx, pydantic and the standard library).
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_support import CLIENTS, GENERATED, REPO

# typing_extensions (for @deprecated) is a dependency of pydantic's.
ALLOWED_THIRD_PARTY = {"httpx", "pydantic", "typing_extensions"}


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def report(done: subprocess.CompletedProcess[str]) -> str:
    return (
        f"$ {' '.join(done.args)}\nexit {done.returncode}\n{done.stdout}{done.stderr}"
    )


def python_files(client: str) -> list[Path]:
    files = sorted((GENERATED / client).rglob("*.py"))
    assert files, f"no Python files in generated/{client}"
    return files


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache of this run only: neither a stale cache nor a generated/.mypy_cache."""
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.mark.parametrize("client", CLIENTS)
def test_mypy_strict(client: str, mypy_cache: Path) -> None:
    done = run(
        "mypy", "--strict", "--cache-dir", str(mypy_cache), client, cwd=GENERATED
    )
    assert done.returncode == 0, report(done)
    assert "Success" in done.stdout, report(done)


PYRIGHT = REPO / "node_modules" / ".bin" / "pyright"


def test_pyright_strict(tmp_path: Path) -> None:
    """pyright (pinned in package.json) in strict mode, on every client at once."""
    assert PYRIGHT.exists(), f"{PYRIGHT} is missing: run `make setup` (npm ci)"
    config = tmp_path / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"}))
    done = subprocess.run(
        [str(PYRIGHT), "--pythonpath", sys.executable, "-p", str(config)]
        + [str(GENERATED / client) for client in CLIENTS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, report(done)
    assert "0 errors, 0 warnings" in done.stdout, report(done)


@pytest.mark.parametrize("client", CLIENTS)
def test_ruff_check(client: str) -> None:
    package = f"generated/{client}"
    done = run("ruff", "check", "--no-cache", package, cwd=REPO)
    assert done.returncode == 0, report(done)
    # pyproject.toml excludes generated/ from ruff's discovery: make sure the files
    # named on the command line were really checked, not skipped.
    listed = run("ruff", "check", "--no-cache", "--show-files", package, cwd=REPO)
    checked = {
        Path(line).resolve() for line in listed.stdout.split() if line.endswith(".py")
    }
    assert checked == {p.resolve() for p in python_files(client)}, report(listed)


@pytest.mark.parametrize("client", CLIENTS)
def test_black_check(client: str) -> None:
    done = run("black", "--check", "--diff", f"generated/{client}", cwd=REPO)
    assert done.returncode == 0, report(done)
    assert (
        f"{len(python_files(client))} files would be left unchanged" in done.stderr
    ), report(done)


@pytest.mark.parametrize("client", CLIENTS)
def test_imports_only_httpx_pydantic_and_the_standard_library(client: str) -> None:
    found: dict[str, set[str]] = {}
    for path in python_files(client):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if (
                    top not in sys.stdlib_module_names
                    and top not in ALLOWED_THIRD_PARTY
                ):
                    found.setdefault(path.name, set()).add(name)
    assert found == {}, f"generated/{client} imports outside its allowed dependencies"


SELF_CONTAINED_PROBE = textwrap.dedent("""
    import importlib, inspect, json, sys
    from pydantic import BaseModel

    sys.path[:] = [sys.argv[1]] + [p for p in sys.path if "site-packages" in p
                                    or p.startswith(sys.base_prefix)]
    name = sys.argv[2]
    package = importlib.import_module(name)
    for module in ("models", "errors", "_client", "_base"):
        importlib.import_module(f"{name}.{module}")
    import pkgutil  # every resource module, sync and async
    for found in pkgutil.walk_packages(package.__path__, name + "."):
        importlib.import_module(found.name)
    # Build every model (defer_build postpones it) and both clients.
    for attr in package.models.__all__:
        value = getattr(package.models, attr)
        if inspect.isclass(value) and issubclass(value, BaseModel):
            value.model_json_schema()
    client = package.Client(api_key="k", base_url="http://127.0.0.1:9")
    for attribute in dir(client):  # every resource, made and cached
        if not attribute.startswith("_"):
            getattr(client, attribute)
    client.close()
    package.AsyncClient(api_key="k", base_url="http://127.0.0.1:9")
    print(json.dumps({
        "file": package.__file__,
        "path": sys.path,
        "modules": sorted(sys.modules),
    }))
    """)


@pytest.mark.parametrize("client", CLIENTS)
def test_package_is_self_contained_under_another_name(
    client: str, tmp_path: Path
) -> None:
    """A copy under another name, outside the repo, imports and works without `generator`."""
    renamed = f"vendored_{client}_copy"
    shutil.copytree(
        GENERATED / client,
        tmp_path / renamed,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", SELF_CONTAINED_PROBE, str(tmp_path), renamed],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, report(done)
    probe = json.loads(done.stdout)
    assert (
        Path(probe["file"]).resolve() == (tmp_path / renamed / "__init__.py").resolve()
    )
    assert not any(
        str(REPO) == p or p.startswith(str(REPO) + "/")
        for p in probe["path"]
        if "site-packages" not in p
    ), probe["path"]
    leaked = [
        m
        for m in probe["modules"]
        # the tool, the repo's package of clients, the original name of this client
        if m.split(".")[0] in {"generator", "generated", client}
    ]
    assert leaked == [], f"importing the copy pulled in {leaked}"
