"""Spec text that reaches users: examples in docstrings, deprecated fields and operations."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from feature_support import Package, forget, generate, json_response

SPEC = """\
openapi: 3.1.0
info: {title: Docs, version: '1'}
servers: [{url: 'https://docs.example'}]
paths:
  /things:
    get:
      operationId: listThings
      deprecated: true
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      description: A thing.
      example: {name: lamp}
      properties:
        name: {type: string, description: Its name., example: lamp}
        legacy: {type: string, deprecated: true}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Package:
    package = generate(tmp_path_factory.mktemp("docs"), "docs", SPEC)
    yield package
    forget(package)


def test_examples_appear_in_docstrings(api: Package) -> None:
    models = api.text("models.py")
    assert 'Its name.\n\n    Example: "lamp"' in models
    assert 'A thing.\n\n    Example: {"name": "lamp"}' in models


def test_reading_a_deprecated_field_warns(api: Package) -> None:
    thing = api.models.Thing(name="a", legacy="b")
    with pytest.warns(DeprecationWarning):
        assert thing.legacy == "b"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert thing.name == "a"


def test_calling_a_deprecated_operation_warns(api: Package, tmp_path: Path) -> None:
    client, recorder = api.client(json_response(200, {"name": "lamp"}))
    with pytest.warns(DeprecationWarning, match="GET /things is deprecated"):
        assert client.things.list().name == "lamp"
    assert recorder.last.url.path == "/things"
