"""`[tool.clientgen.clients.<name>]`: each option changes the generated client, and mistakes
in the table stop the run with a message naming them."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from feature_support import Package, black_cache, calls_of, forget, generate

from generator import config, regenerate
from generator.lower.project import pep440
from generator.options import ClientOptions, Credential, OptionsError

SPEC = """\
openapi: 3.1.0
info: {title: Models API, version: v2.1-beta3}
servers: [{url: 'https://api.models.test/v1'}]
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
security: [{token: []}]
paths:
  /chat/completions:
    post:
      operationId: createChatCompletion
      tags: [Chat]
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, properties: {model: {type: string}}}}}
      responses: {'204': {description: none}}
  /models:
    get:
      operationId: listModels
      tags: [Models]
      responses: {'204': {description: none}}
  /models/{model}:
    delete:
      operationId: deleteModel
      tags: [Models]
      parameters: [{name: model, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: none}}
"""

OPTIONS = ClientOptions(
    client_class="ModelsAI",
    base_url="https://eu.models.test/v1",
    methods={"createChatCompletion": "chat.create", "GET /models": "everything"},
    resources={"Models": "catalog"},
    credentials={"bearer_token": Credential(argument="api_key", env="MODELS_KEY")},
    installable=True,
)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    with black_cache(tmp_path_factory.getbasetemp() / "black-cache"):
        package = generate(tmp_path_factory.mktemp("plain"), "plain", SPEC)
    yield package
    forget(package)


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    with black_cache(tmp_path_factory.getbasetemp() / "black-cache"):
        package = generate(tmp_path_factory.mktemp("configured"), "configured", SPEC, OPTIONS)
    yield package
    forget(package)


def _client(package: Package, cls: str, **options: object) -> tuple[object, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(204)))
    return getattr(package.module, cls)(http_client=http, **options), seen


def test_without_options(plain: Package) -> None:
    client, seen = _client(plain, "Client", bearer_token="t")
    assert calls_of(client) == {"chat.create_completion", "models.list", "models.delete"}  # `models` is free for a resource
    client.models.list()  # type: ignore[attr-defined]
    assert str(seen[-1].url) == "https://api.models.test/v1/models"
    assert seen[-1].headers["Authorization"] == "Bearer t"
    assert not (plain.out / plain.name / "pyproject.toml").exists()


def test_client_class_names_both_classes(configured: Package) -> None:
    assert {"ModelsAI", "AsyncModelsAI"} <= set(configured.module.__all__)
    assert not hasattr(configured.module, "Client")
    assert f"from {configured.name} import ModelsAI, AsyncModelsAI" in configured.text("README.md")


def test_methods_resources_base_url_and_credentials(configured: Package, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODELS_KEY", "from-env")
    client, seen = _client(configured, "ModelsAI")
    # by operationId to another name in its resource; by METHOD /path; a tag renamed
    assert calls_of(client) == {"chat.create", "catalog.everything", "catalog.delete"}
    client.catalog.everything()  # type: ignore[attr-defined]
    assert str(seen[-1].url) == "https://eu.models.test/v1/models"
    assert seen[-1].headers["Authorization"] == "Bearer from-env"
    client, seen = _client(configured, "ModelsAI", api_key="given")
    client.chat.create(model="m")  # type: ignore[attr-defined]
    assert seen[-1].headers["Authorization"] == "Bearer given"
    assert "api_key" in configured.text("README.md") and "MODELS_KEY" in configured.text("README.md")


def test_installable_writes_project_metadata(configured: Package) -> None:
    text = configured.text("pyproject.toml")
    assert f'name = "{configured.name.replace("_", "-")}"' in text
    assert 'version = "2.1b3"' in text  # info.version v2.1-beta3, made PEP 440
    assert '"httpx>=0.27,<1"' in text and '"pydantic>=2.11,<3"' in text
    assert f'packages = ["{configured.name}", "{configured.name}.resources", ' in text


@pytest.mark.parametrize(("version", "expected"), [
    ("1.2.3", "1.2.3"), ("v1.2", "1.2"), ("2.0-beta1", "2.0b1"), ("3.0.0-rc.2", "3.0.0rc2"),
    ("2024-01-15", "2024.1.15"), ("01.02", "1.2"), ("latest", "0+latest"), ("", "0"),
    ("1.0 (preview)", "0+1.0.preview"),
])
def test_versions_are_made_pep_440(version: str, expected: str) -> None:
    from packaging.version import Version

    assert pep440(version) == expected
    Version(expected)  # valid


def _project(tmp_path: Path, table: str, spec: str = SPEC) -> Path:
    (tmp_path / "specs").mkdir(exist_ok=True)
    (tmp_path / "specs" / "models.yaml").write_text(spec)
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""\
        [tool.clientgen]
        specs = "specs"
        output = "out"
        """) + textwrap.dedent(table))
    return tmp_path


def _generate(root: Path) -> regenerate.Outcome:
    with black_cache(root / ".cache"):
        return regenerate.generate(config.load(start=root))


def test_package_templates_and_post_generate(tmp_path: Path) -> None:
    templates = tmp_path / "my-templates"
    templates.mkdir()
    (templates / "README.md.j2").write_text("# {{ client.title }}, our way\n")
    root = _project(tmp_path, f"""\
        [tool.clientgen.clients.models]
        package = "models_sdk"
        templates = "my-templates"
        post_generate = [["{sys.executable}", "-c", "import pathlib,sys; pathlib.Path(sys.argv[1], 'DONE').write_text('ok')", "{{package}}"]]
        """)
    outcome = _generate(root)
    assert not outcome.failed, outcome
    package = root / "out" / "models_sdk"
    assert (package / "README.md").read_text() == "# Models API, our way\n"
    assert (package / "DONE").read_text() == "ok"  # ran after writing, in the client's folder
    assert not (root / "out" / "models").exists()
    again = _generate(root)
    assert again.lines == ["models_sdk: up to date (3 operations, 1 models)"], again.lines
    (templates / "README.md.j2").write_text("# changed\n")  # a template edit regenerates
    assert "models_sdk: 3 operations" in _generate(root).lines[0]
    assert (package / "README.md").read_text() == "# changed\n"


def test_changing_an_option_regenerates_the_client(tmp_path: Path) -> None:
    root = _project(tmp_path, """\
        [tool.clientgen.clients.models]
        client_class = "One"
        """)
    assert not _generate(root).failed
    assert "class One(" in (root / "out" / "models" / "_client.py").read_text()
    (root / "pyproject.toml").write_text((root / "pyproject.toml").read_text().replace('"One"', '"Two"'))
    outcome = _generate(root)
    assert "models: 3 operations" in outcome.lines[0], outcome.lines
    assert "class Two(" in (root / "out" / "models" / "_client.py").read_text()


def test_a_failing_post_generate_command_fails_the_run(tmp_path: Path) -> None:
    root = _project(tmp_path, f"""\
        [tool.clientgen.clients.models]
        post_generate = ["{sys.executable} -c 'import sys; print(\\"lint says no\\"); sys.exit(3)'"]
        """)
    outcome = _generate(root)
    assert outcome.failed
    (message,) = [d.message for d in outcome.diagnostics]
    assert "models: post_generate command" in message and "failed (exit 3): lint says no" in message


@pytest.mark.parametrize(("table", "message"), [
    ("[tool.clientgen.clients.models]\nmethod = {}\n",
     "unknown key tool.clientgen.clients.models.method; did you mean 'methods'?"),
    ("[tool.clientgen]\nclient = {}\n", "unknown key tool.clientgen.client; did you mean 'clients'?"),
    ("[tool.clientgen.clients.models]\ninstallable = 'yes'\n",
     "tool.clientgen.clients.models.installable must be true or false, not 'yes'"),
    ("[tool.clientgen.clients.models]\nclient_class = 'My Client'\n",
     "tool.clientgen.clients.models.client_class must be a Python identifier, not 'My Client'"),
    ("[tool.clientgen.clients.models.methods]\nlistModels = 'a..c'\n",
     "must be names joined by dots (`chat.completions`), not 'a..c'"),
    ("[tool.clientgen.clients.models.credentials]\nbearer_token = {arg = 'api_key'}\n",
     "unknown key tool.clientgen.clients.models.credentials.bearer_token.arg; did you mean 'argument'?"),
    ("[tool.clientgen.clients.models]\npost_generate = 'make'\n",
     "post_generate must be a list of commands"),
    ("[tool.clientgen.clients.models]\ntemplates = 'nowhere'\n", "is not a folder"),
])
def test_mistakes_are_named(tmp_path: Path, table: str, message: str) -> None:
    root = _project(tmp_path, "")
    text = (root / "pyproject.toml").read_text()
    if table.startswith("[tool.clientgen]\n"):
        text += table.removeprefix("[tool.clientgen]\n")
    else:
        text += table
    (root / "pyproject.toml").write_text(text)
    with pytest.raises(OptionsError, match=".*") as caught:
        config.load(start=root)
    assert message in str(caught.value)


def test_the_cli_reports_a_mistake_with_exit_2(tmp_path: Path) -> None:
    import subprocess

    root = _project(tmp_path, "[tool.clientgen.clients.models]\npakage = 'x'\n")
    done = subprocess.run([sys.executable, "-m", "generator", "generate"], cwd=root, capture_output=True,
                          text=True, env={**os.environ, "CLIENTGEN_CACHE_DIR": str(root / ".cache")}, check=False)
    assert done.returncode == 2, done
    assert "unknown key tool.clientgen.clients.models.pakage; did you mean 'package'?" in done.stderr


def test_a_resource_named_models_type_checks(plain: Package) -> None:
    """`client.models` (OpenAI's tag): the client classes' bodies do not use the module name."""
    from feature_support import mypy_strict

    script = plain.out / f"use_{plain.name}.py"
    script.write_text(f"from {plain.name} import Client\n\nClient(bearer_token='t').models.list()\n")
    done = mypy_strict(plain.out, plain.name, script.name)
    assert done.returncode == 0, done.stdout
