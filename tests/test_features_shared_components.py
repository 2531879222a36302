"""An inline schema in a shared response or request body (components/responses,
components/requestBodies) is named after the component, so that removing the operation
lowered first does not rename the model every other operation uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from feature_support import generate

PATHS = {
    "a": "  /a:\n    post:\n      operationId: getA\n      requestBody: {$ref: '#/components/requestBodies/NewThing'}\n"
         "      responses: {'204': {description: ok}, '503': {$ref: '#/components/responses/Unavailable'}}\n",
    "b": "  /b:\n    post:\n      operationId: getB\n      requestBody: {$ref: '#/components/requestBodies/NewThing'}\n"
         "      responses: {'204': {description: ok}, '503': {$ref: '#/components/responses/Unavailable'}}\n",
}
TAIL = """\
components:
  requestBodies:
    NewThing:
      required: true
      content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}
  responses:
    Unavailable:
      description: try later
      content: {application/json: {schema: {type: object, properties: {code: {type: string}}}}}
"""


def spec(*paths: str) -> str:
    head = "openapi: 3.0.3\ninfo: {title: Shared, version: '1'}\nservers: [{url: 'https://s.example.com'}]\npaths:\n"
    return head + "".join(PATHS[p] for p in paths) + TAIL


@pytest.mark.parametrize("paths", [("a", "b"), ("b",)])
def test_shared_inline_schemas_keep_their_component_names(tmp_path: Path, paths: tuple[str, ...]) -> None:
    api = generate(tmp_path, "shared", spec(*paths))
    assert {"NewThingBody", "UnavailableResponse"} <= set(api.models.__all__)
    assert not {n for n in api.models.__all__ if n.startswith(("GetA", "GetB"))}
    client, recorder = api.client(lambda request: __import__("httpx").Response(503, json={"code": "busy"}))
    with pytest.raises(api.errors.APIStatusError) as raised:
        client.b.get(name="x")
    assert isinstance(raised.value.body, api.models.UnavailableResponse) and raised.value.body.code == "busy"
    assert recorder.last.content == b'{"name":"x"}'
