"""Names and texts with control characters, quotes and backslashes (found by the fuzzer:
a read-only property named with a NUL byte went into a request form's docstring and made
models.py unimportable; a NEL in the title cut models.py apart at the wrong line) give a package that imports and passes mypy --strict."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from feature_support import Package, module_package, mypy_strict

SPEC = r"""
openapi: 3.0.3
info: {title: "Hostile \0 names \N next \L line", version: '1', description: "a \0 b \x07 c \"\"\" d \\"}
servers: [{url: 'https://names.example.com'}]
paths:
  /things:
    post:
      operationId: create_thing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '200':
          description: "ok \0"
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      description: "text with a NUL \0, a bell \x07 and a quote \"\"\""
      properties:
        "\0\\'%s\n`{% raw %}":
          type: string
          readOnly: true
          description: "\0"
        name: {type: string}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "hostile_names", SPEC)


def test_control_characters_never_reach_generated_source(api: Package) -> None:
    for path in (api.out / api.name).rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        # NEL and U+2028 are line breaks to str.splitlines but not to Python's parser
        assert not any(c in text for c in "\x00\x07\x85\u2028"), path
    assert "(dropped if given)" in api.text("models.py")
    assert api.models.ThingInput(name="n").name == "n"


def test_the_package_passes_mypy_strict(api: Package) -> None:
    result = mypy_strict(api.out, api.name)
    assert result.returncode == 0, result.stdout + result.stderr
