"""A discriminated union with a branch that is itself a union on the same property (OpenAI's
`InputItem`: `oneOf [EasyInputMessage, Item, ...]` where `Item` is `oneOf [InputMessage,
OutputMessage, ...]`), two branches claiming one tag (`message`), and one that may leave the
tag out (`ItemReference`): the inner branches are flattened into the outer union, branches
sharing a tag are tried in turn under it, and a value without a tag goes to the branches
that allow that."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from feature_support import forget, generate, method_of, mypy_strict

SPEC = """\
openapi: 3.1.0
info: {title: Nested unions, version: '1'}
servers: [{url: 'https://nested.example.com'}]
paths:
  /responses:
    post:
      operationId: createResponse
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [input]
              properties:
                input: {type: array, items: {$ref: '#/components/schemas/InputItem'}}
      responses:
        '200':
          description: the items back
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/InputItem'}}
components:
  schemas:
    InputItem:
      oneOf:
        - $ref: '#/components/schemas/EasyInputMessage'
        - $ref: '#/components/schemas/Item'
        - $ref: '#/components/schemas/ItemReference'
      discriminator: {propertyName: type}
    Item:
      oneOf:
        - $ref: '#/components/schemas/InputMessage'
        - $ref: '#/components/schemas/OutputMessage'
        - $ref: '#/components/schemas/ToolCall'
      discriminator: {propertyName: type}
    EasyInputMessage:
      type: object
      required: [role, content]
      properties:
        type: {type: string, enum: [message]}
        role: {type: string, enum: [user, system]}
        content: {type: string}
    InputMessage:
      type: object
      required: [type, role, content]
      properties:
        type: {type: string, enum: [message]}
        role: {type: string, enum: [user, system]}
        content: {type: array, items: {type: object, properties: {text: {type: string}}}}
    OutputMessage:
      type: object
      required: [type, id, role, content]
      properties:
        type: {type: string, enum: [message]}
        id: {type: string}
        role: {type: string, enum: [assistant]}
        content: {type: array, items: {type: object, properties: {text: {type: string}}}}
    ToolCall:
      type: object
      required: [type, call_id]
      properties:
        type: {type: string, enum: [tool_call]}
        call_id: {type: string}
    ItemReference:
      type: object
      required: [id]
      properties:
        type:
          anyOf:
            - {type: string, enum: [item_reference]}
            - {type: 'null'}
        id: {type: string}
"""

ITEMS = [
    {"type": "message", "role": "user", "content": "hi"},
    {"type": "message", "id": "m1", "role": "assistant", "content": [{"text": "hello"}]},
    {"type": "tool_call", "call_id": "c1"},
    {"type": "item_reference", "id": "r1"},
    {"type": "brand_new", "x": 1},
    {"id": "r2"},  # ItemReference may leave its tag out
]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    made = generate(tmp_path_factory.mktemp("nested_unions"), "nested_unions", SPEC)
    yield made
    forget(made)


def test_inner_branches_are_picked_by_tag_and_a_shared_tag_tries_its_branches(package: Any) -> None:
    client, recorder = package.client(lambda request: httpx.Response(200, json=ITEMS))
    easy, output, tool, reference, new, untagged = method_of(client, "responses.create")(
        input=[*ITEMS[:4], ITEMS[5]])
    models = package.models
    assert isinstance(easy, models.EasyInputMessage) and easy.content == "hi"
    assert isinstance(output, models.OutputMessage) and output.id == "m1"
    assert isinstance(tool, models.ToolCall) and tool.call_id == "c1"
    assert isinstance(reference, models.ItemReference) and reference.id == "r1"
    assert isinstance(new, models.UnknownVariant)
    assert isinstance(untagged, models.ItemReference) and untagged.id == "r2"
    assert recorder.last.content.endswith(b'{"id":"r2"}]}')  # sent without a tag, as given
    assert b'"call_id":"c1"' in recorder.last.content and b'"content":"hi"' in recorder.last.content


def test_a_request_item_fitting_no_branch_of_its_tag_is_refused(package: Any) -> None:
    client, recorder = package.client(lambda request: httpx.Response(200, json=[]))
    with pytest.raises(package.errors.ParameterError):
        method_of(client, "responses.create")(input=[{"type": "message", "role": "robot", "content": "x"}])
    with pytest.raises(package.errors.ParameterError):
        method_of(client, "responses.create")(input=[{"type": "brand_new"}])
    assert recorder.requests == []


def test_the_flattened_union_type_checks(package: Any) -> None:
    text = package.text("models.py")
    assert 'Annotated[EasyInputMessage | InputMessage | OutputMessage, Tag("message")]' in text
    assert 'Annotated[ItemReference, Tag("item_reference")]' in text
    done = mypy_strict(package.out, "-p", package.name)
    assert done.returncode == 0, done.stdout + done.stderr
