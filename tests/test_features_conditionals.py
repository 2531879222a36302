"""`if`/`then`/`else` on a property's value: the `then`/`else` properties are typed fields of
the model, and a request that leaves out what the condition then requires is refused before
sending (errors.ParameterError naming it); responses are read as they come."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from feature_support import forget, generate, method_of, mypy_strict, warnings_of

SPEC = """\
openapi: 3.1.0
info: {title: Conditionals, version: '1'}
servers: [{url: 'https://conditionals.example.com'}]
paths:
  /conditional:
    post:
      operationId: validateConditional
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Wrapper'}
      responses:
        '200':
          description: the envelope back
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Envelope'}
components:
  schemas:
    Wrapper:
      type: object
      required: [payload]
      properties:
        payload: {$ref: '#/components/schemas/Envelope'}
    Envelope:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
      if:
        properties:
          kind: {const: metric}
        required: [kind]
      then:
        properties:
          metricLeaf: {$ref: '#/components/schemas/Leaf'}
        required: [metricLeaf]
      else:
        properties:
          noteLeaf: {$ref: '#/components/schemas/Leaf'}
        required: [noteLeaf]
    Leaf:
      type: object
      required: [id]
      properties:
        id: {type: integer, readOnly: true}
        text: {type: string}
    Loose:
      type: object
      properties:
        a: {type: string}
        b: {type: string}
      if: {properties: {a: {pattern: '^x'}}, required: [a]}
      then: {required: [b]}
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    made = generate(tmp_path_factory.mktemp("conditionals"), "conditionals", SPEC)
    yield made
    forget(made)


def _echo(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"kind": "metric"})  # a response need not meet the condition


def test_then_and_else_properties_are_fields_and_their_requirements_are_checked(package: Any) -> None:
    client, recorder = package.client(_echo)
    call = method_of(client, "conditional.validate")
    back = call(payload={"kind": "metric", "metricLeaf": {"text": "t"}})
    assert recorder.last.content == b'{"payload":{"kind":"metric","metricLeaf":{"text":"t"}}}'
    assert back.kind == "metric" and back.metric_leaf is None
    call(payload=package.models.EnvelopeInput(kind="note", note_leaf={"text": "n"}))
    assert recorder.last.content == b'{"payload":{"kind":"note","noteLeaf":{"text":"n"}}}'
    sent = len(recorder.requests)
    with pytest.raises(package.errors.ParameterError, match="with kind 'metric', metricLeaf is required"):
        call(payload={"kind": "metric", "noteLeaf": {}})
    with pytest.raises(package.errors.ParameterError, match="with kind 'other', noteLeaf is required"):
        call(payload={"kind": "other"})
    assert len(recorder.requests) == sent  # nothing was sent


def test_an_if_the_generator_cannot_check_is_named_in_a_warning(package: Any) -> None:
    found = [d for d in warnings_of(package.diagnostics) if "`if`" in d.message]
    assert [d.pointer for d in found] == ["/components/schemas/Loose/if"]
    assert package.models.Loose(a="x").a == "x"  # not checked, as the warning says


def test_the_conditions_type_check(package: Any) -> None:
    done = mypy_strict(package.out, "-p", package.name)
    assert done.returncode == 0, done.stdout + done.stderr
