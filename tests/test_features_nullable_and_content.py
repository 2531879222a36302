"""Shapes real specs use that the contract sweep found mishandled: a nullable object component
reached by `$ref` (GitHub's `nullable-simple-user`), a nullable string that also says
`additionalProperties`, and a parameter whose value is JSON text (`content`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from feature_support import Package, json_response, module_package

SPEC = """\
openapi: 3.0.3
info: {title: Sweep shapes, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /gists/{id}:
    get:
      operationId: getGist
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - name: filter
          in: query
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner: {type: string}
                  public: {type: boolean}
        - name: X-Query
          in: header
          content:
            application/json:
              schema: {type: array, items: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Gist'}
components:
  schemas:
    NullableUser:
      type: object
      nullable: true
      properties:
        login: {type: string}
    Gist:
      type: object
      required: [user, payload]
      properties:
        user: {$ref: '#/components/schemas/NullableUser'}
        owners:
          type: array
          items: {$ref: '#/components/schemas/NullableUser'}
        payload:
          type: string
          nullable: true
          additionalProperties: true
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "shapes", SPEC)


def test_a_nullable_component_reached_by_ref_takes_null(api: Package) -> None:
    body = {"user": None, "owners": [None, {"login": "octo"}], "payload": "ok"}
    client, _ = api.client(json_response(200, body))
    gist = client.gists.get("1")
    assert gist.user is None and gist.owners[0] is None and gist.owners[1].login == "octo"
    client, _ = api.client(json_response(200, {**body, "user": {"login": "cat"}}))
    assert client.gists.get("1").user.login == "cat"


def test_a_nullable_string_with_additional_properties_is_a_string(api: Package) -> None:
    client, _ = api.client(json_response(200, {"user": None, "payload": "ok"}))
    assert client.gists.get("1").payload == "ok"
    client, _ = api.client(json_response(200, {"user": None, "payload": None}))
    assert client.gists.get("1").payload is None


def test_a_parameter_with_json_content_is_sent_as_json_text(api: Package) -> None:
    client, recorder = api.client(json_response(200, {"user": None, "payload": None}))
    client.gists.get("1", filter={"owner": "octo", "public": True}, x_query=[1, 2])
    request = recorder.requests[-1]
    query: dict[str, Any] = dict(parse_qsl(urlsplit(str(request.url)).query))
    assert json.loads(query["filter"]) == {"owner": "octo", "public": True}
    assert list(query) == ["filter"]
    assert request.headers["X-Query"] == "[1,2]"
