"""Diagnostics for problem specs: what is an error, what is only a warning, and where it points.

Each problem gets a minimal spec of its own, built through `generator.pipeline.build`; the
rendering is also checked through the CLI in a subprocess. mypy --strict runs once, over the
models-only package generated from a document without `paths`.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import clientgen
from feature_support import (
    Package,
    black_cache,
    build,
    errors_of,
    forget,
    generate,
    mypy_strict,
    warnings_of,
    write_spec,
)

from generator.diagnostics import Diagnostic, Level

SWAGGER = """\
swagger: '2.0'
info:
  title: Old
  version: '1'
paths: {}
"""

NO_PATHS = """\
openapi: 3.0.3
info:
  title: No paths
  version: '1'
servers:
  - url: https://nopaths.example.com
components:
  schemas:
    Lonely:
      type: object
      required: [name]
      properties:
        name:
          type: string
        friends:
          type: array
          items:
            $ref: '#/components/schemas/Lonely'
"""

NO_VERSION = """\
openapi: 3.1.0
info:
  title: No version
servers:
  - url: https://noversion.example.com
paths:
  /ping:
    get:
      operationId: ping
      responses:
        '204':
          description: pong
"""

EMPTY_ENUM = """\
openapi: 3.1.0
info:
  title: Empty enum
  version: '1'
servers:
  - url: https://emptyenum.example.com
paths: {}
components:
  schemas:
    Odd:
      type: object
      properties:
        kind:
          type: string
          enum: []
"""

DANGLING = """\
openapi: 3.1.0
info:
  title: Dangling
  version: '1'
paths:
  /x:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Missing'
"""

REMOTE = """\
openapi: 3.1.0
info:
  title: Remote
  version: '1'
paths:
  /x:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: 'https://example.com/schemas/pet.json'
"""

INVALID = """\
openapi: 3.0.3
info:
  title: Invalid
  version: '1'
paths:
  /x:
    get:
      responses:
        '200':
          content:
            application/json:
              schema:
                type: string
"""

ALL = {
    "swagger": SWAGGER,
    "no_paths": NO_PATHS,
    "no_version": NO_VERSION,
    "empty_enum": EMPTY_ENUM,
    "dangling": DANGLING,
    "remote": REMOTE,
    "invalid": INVALID,
}

RENDERED = re.compile(
    r"^(?P<file>[^:\s][^:]*):(?P<line>\d+): (?P<level>error|warning): (?P<message>.+) \(at (?P<pointer>/\S*)\)$"
)
RESPONSE_SCHEMA_REF = "/paths/~1x/get/responses/200/content/application~1json/schema/$ref"


@pytest.fixture(autouse=True, scope="module")
def _cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with black_cache(tmp_path_factory.getbasetemp() / "black-cache"):
        yield


def _line_of(text: str, needle: str) -> int:
    (index,) = [i for i, line in enumerate(text.splitlines()) if needle in line]
    return index + 1


def _build(tmp_path: Path, stem: str) -> tuple[list[Diagnostic], dict[str, object], Path]:
    result, path = build(tmp_path, stem, ALL[stem], format_code=False)
    return result.diagnostics, dict(result.clients), path


# -- errors ----------------------------------------------------------------------------------


def test_swagger_2_is_one_clear_error(tmp_path: Path) -> None:
    diagnostics, clients, path = _build(tmp_path, "swagger")
    assert clients == {}
    assert len(diagnostics) == 1
    (only,) = diagnostics
    assert only.level is Level.ERROR
    assert "Swagger 2.0" in only.message and "OpenAPI 3" in only.message
    assert only.file is not None and only.file.resolve() == path.resolve()
    assert only.line == 1


def test_dangling_ref_is_an_error_with_pointer_and_line(tmp_path: Path) -> None:
    diagnostics, clients, path = _build(tmp_path, "dangling")
    assert clients == {}
    (error,) = [d for d in diagnostics if d.level is Level.ERROR]
    assert "#/components/schemas/Missing" in error.message
    assert error.pointer == RESPONSE_SCHEMA_REF
    assert error.line == _line_of(DANGLING, "$ref: '#/components/schemas/Missing'")
    assert error.file is not None and error.file.resolve() == path.resolve()


def test_remote_ref_is_a_clear_error(tmp_path: Path) -> None:
    diagnostics, clients, _ = _build(tmp_path, "remote")
    assert clients == {}
    (error,) = [d for d in diagnostics if d.level is Level.ERROR]
    assert "https://example.com/schemas/pet.json" in error.message
    assert "remote" in error.message.lower()
    assert error.pointer == RESPONSE_SCHEMA_REF
    assert error.line == _line_of(REMOTE, "$ref: 'https://")


def test_invalid_document_names_the_pointer_and_line(tmp_path: Path) -> None:
    diagnostics, clients, _ = _build(tmp_path, "invalid")
    assert clients == {}
    (error,) = [d for d in diagnostics if d.level is Level.ERROR]
    assert "description" in error.message
    assert error.pointer == "/paths/~1x/get/responses/200"
    assert error.line == _line_of(INVALID, "'200':")


# -- warnings --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def no_paths(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    package = generate(tmp_path_factory.mktemp("nopaths"), "nopaths", NO_PATHS)
    yield package
    forget(package)


def test_3_0_document_without_paths_warns_and_still_generates_models(no_paths: Package) -> None:
    assert errors_of(no_paths.diagnostics) == []
    (warning,) = [d for d in warnings_of(no_paths.diagnostics) if "paths" in d.message]
    assert warning.pointer is not None
    lonely = no_paths.models.Lonely.model_validate({"name": "a", "friends": [{"name": "b"}]})
    assert lonely.friends[0].name == "b"
    assert [n for n in vars(no_paths.module.Client) if not n.startswith("_")] == []


def test_missing_info_version_is_a_warning(tmp_path: Path) -> None:
    diagnostics, clients, _ = _build(tmp_path, "no_version")
    assert errors_of(diagnostics) == []
    assert list(clients) == ["no_version"]
    (warning,) = [d for d in warnings_of(diagnostics) if d.pointer == "/info"]
    assert "version" in warning.message
    assert warning.line == _line_of(NO_VERSION, "info:")


def test_empty_enum_is_a_warning_not_an_error(tmp_path: Path) -> None:
    package = generate(tmp_path, "emptyenum", EMPTY_ENUM)
    try:
        (warning,) = [d for d in warnings_of(package.diagnostics) if "enum" in d.message]
        assert warning.pointer == "/components/schemas/Odd/properties/kind/enum"
        assert warning.line == _line_of(EMPTY_ENUM, "enum: []")
        assert package.models.Odd.model_validate({"kind": "anything"}).kind == "anything"
    finally:
        forget(package)


# -- rendering -------------------------------------------------------------------------------


def _all_specs(folder: Path) -> Path:
    specs = folder / "specs"
    for stem, text in ALL.items():
        write_spec(specs, stem, text)
    return specs


def test_every_diagnostic_renders_file_line_level_message_pointer(tmp_path: Path) -> None:
    from generator import pipeline

    specs = _all_specs(tmp_path)
    result = pipeline.build(specs, tmp_path, format_code=False)
    files = set()
    for diagnostic in result.diagnostics:
        first = diagnostic.render(tmp_path).splitlines()[0]
        match = RENDERED.match(first)
        assert match, first
        assert match["pointer"] == (diagnostic.pointer or "/")
        assert int(match["line"]) == diagnostic.line
        files.add(Path(match["file"]).stem)
    assert files == set(ALL)  # every spec has something to say (no_paths: no paths)


def test_cli_prints_every_diagnostic_in_the_same_shape(tmp_path: Path) -> None:
    _all_specs(tmp_path)
    run = clientgen("validate", "--specs", "specs", cwd=tmp_path, cache_dir=tmp_path / "cache")
    assert run.returncode == 2, run
    lines = [
        line for line in run.stderr.splitlines()
        if line.strip() and not line.startswith("    hint:") and not line.startswith("clientgen:")
    ]
    assert lines, run
    for line in lines:
        match = RENDERED.match(line)
        assert match, f"{line!r} in\n{run}"
        assert match["file"].startswith("specs/") and match["file"].endswith(".yaml")
    levels = {(Path(m["file"]).stem, m["level"]) for m in map(RENDERED.match, lines) if m}
    assert {("swagger", "error"), ("dangling", "error"), ("remote", "error"), ("invalid", "error"),
            ("no_paths", "warning"), ("no_version", "warning"), ("empty_enum", "warning")} <= levels
    assert not {("no_paths", "error"), ("no_version", "error"), ("empty_enum", "error")} & levels
    swagger = [line for line in lines if line.startswith("specs/swagger.yaml")]
    assert len(swagger) == 1


def test_warnings_do_not_fail_generate_unless_strict(tmp_path: Path) -> None:
    specs = write_spec(tmp_path / "specs", "no_version", NO_VERSION).parent
    ok = clientgen("generate", "--specs", str(specs), "--output", "out", cwd=tmp_path, cache_dir=tmp_path / "cache")
    assert ok.returncode == 0, ok
    assert "warning:" in ok.stderr and "(at /info)" in ok.stderr
    assert (tmp_path / "out" / "no_version" / "_client.py").is_file()
    strict = clientgen("generate", "--specs", str(specs), "--output", "out2", "--strict",
                       cwd=tmp_path, cache_dir=tmp_path / "cache")
    assert strict.returncode == 2, strict


# -- the models-only package type-checks ------------------------------------------------------


def test_models_only_package_passes_mypy_strict(no_paths: Package) -> None:
    usage = no_paths.out / f"use_{no_paths.name}.py"
    usage.write_text(
        textwrap.dedent(
            f"""\
            from __future__ import annotations

            from {no_paths.name} import Client, models


            def use() -> str:
                lonely = models.Lonely(name="a", friends=[models.Lonely(name="b")])
                friends: list[models.Lonely] | None = lonely.friends
                client = Client(base_url="http://127.0.0.1:4010")
                client.close()
                return lonely.name + str(len(friends or []))
            """
        ),
        encoding="utf-8",
    )
    checked = mypy_strict(no_paths.out, no_paths.name, usage.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
