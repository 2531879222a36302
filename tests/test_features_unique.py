"""`uniqueItems` is enforced by models and on parameters; one-letter model names sort like ruff."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from feature_support import Package, forget, generate, json_response, mypy_strict
from pydantic import ValidationError

SPEC = """\
openapi: 3.1.0
info: {title: Unique, version: '1'}
servers: [{url: 'https://u.example'}]
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - name: ids
          in: query
          schema: {type: array, uniqueItems: true, items: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Bag'}
components:
  schemas:
    Bag:
      type: object
      properties:
        tags: {type: array, uniqueItems: true, maxItems: 3, items: {type: string}}
        points: {type: array, uniqueItems: true, items: {$ref: '#/components/schemas/P'}}
    P:
      type: object
      properties: {x: {type: integer}}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    package = generate(tmp_path_factory.mktemp("unique"), "unique", SPEC)
    yield package
    forget(package)


def test_models_reject_repeated_items(api: Package) -> None:
    assert api.models.Bag(tags=["a", "b"]).tags == ["a", "b"]
    with pytest.raises(ValidationError, match="unique"):
        api.models.Bag.model_validate({"tags": ["a", "a"]})
    with pytest.raises(ValidationError, match="unique"):
        api.models.Bag.model_validate({"points": [{"x": 1}, {"x": 1}]})
    assert len(api.models.Bag.model_validate({"points": [{"x": 1}, {"x": 2}]}).points or []) == 2
    with pytest.raises(ValidationError):  # the other constraint still holds
        api.models.Bag.model_validate({"tags": ["a", "b", "c", "d"]})


def test_a_parameter_with_repeated_items_sends_nothing(api: Package) -> None:
    client, recorder = api.client(json_response(200, {}))
    with pytest.raises(api.errors.ParameterError, match="unique"):
        client.things.list(ids=[1, 1])
    assert recorder.requests == []
    client.things.list(ids=[1, 2])
    assert recorder.last.url.params.get_list("ids") == ["1", "2"]


def test_the_package_type_checks_and_exports_in_ruff_order(api: Package) -> None:
    assert api.models.__all__ == ["Bag", "P"]  # a one-letter class name is not a CONSTANT
    done = mypy_strict(api.out, api.name)
    assert done.returncode == 0, done.stdout + done.stderr
