"""Specs that are valid but odd must still give a client that imports, type-checks and works:
bounds pydantic cannot take as written, integers beyond 64 bits, and names that would shadow
what generated code relies on (`str`, `max_retries`, `models`, a field named `tuple`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from feature_support import Package, json_response, module_package, mypy_strict

SPEC = """\
openapi: 3.1.0
info: {title: Odd, version: '1'}
servers: [{url: 'https://odd.example.com'}]
paths:
  /str:
    get:
      operationId: str
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Odd'}
  /max-retries:
    get:
      operationId: max_retries
      responses: {'204': {description: none}}
  /models:
    post:
      operationId: models
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Odd'}
      responses: {'204': {description: none}}
components:
  schemas:
    Odd:
      type: object
      properties:
        half: {type: integer, minimum: 0.5, maximum: 2.5}
        open: {type: integer, exclusiveMaximum: 3.5}
        huge: {type: string, maxLength: 99999999999999999999}
        items: {type: array, items: {type: integer}, maxItems: 99999999999999999999}
        step: {type: integer, multipleOf: 0.5}
        big: {type: integer, enum: [1, 18446744073709551616]}
        tuple: {type: array, prefixItems: [{type: integer}, {type: string}], items: false}
        pair: {type: array, prefixItems: [{type: string}, {type: integer}], items: false}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "odd", SPEC)


def test_fractional_integer_bounds_mean_the_integers_they_allow(api: Package) -> None:
    odd = api.models.Odd
    assert odd(half=1).half == 1 and odd(half=2).half == 2 and odd(open=3).open == 3
    for bad in ({"half": 0}, {"half": 3}, {"open": 4}):
        with pytest.raises(ValueError):
            odd(**bad)


def test_bounds_beyond_any_size_and_big_integers_build(api: Package) -> None:
    odd = api.models.Odd(huge="x" * 10, items=[1, 2], step=3, big=18446744073709551616)
    assert (odd.step, odd.big) == (3, 18446744073709551616)
    assert api.models.Odd(tuple=(1, "a"), pair=("b", 2)).tuple_ == (1, "a")  # JSON name as alias


def test_methods_named_like_what_the_client_uses_are_renamed_and_work(api: Package) -> None:
    client, recorder = api.client(json_response(200, {"half": 1}))
    assert client.str_.str_().half == 1
    assert client.max_retries == 0  # the setting, not the operation
    client, recorder = api.client()
    assert client.max_retries_.max_retries_() is None and client.models.models_(body={"half": 2}) is None
    assert [r.url.path for r in recorder.requests] == ["/max-retries", "/models"]


def test_the_odd_client_passes_mypy_strict(api: Package) -> None:
    done = mypy_strict(api.out, api.name)
    assert done.returncode == 0, done.stdout + done.stderr
