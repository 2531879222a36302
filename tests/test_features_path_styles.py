"""Path parameters by their OpenAPI `style` and `explode` (simple, label, matrix).

An array or object in the path is sent as the style says (`a,b`, `.a.b`, `;id=a;id=b`,
`k=v`), never as JSON text; a primitive keeps its plain form under `simple` and gets the
style's prefix under `label` (`.v`) and `matrix` (`;name=v`). Found by the contract sweep on
readme's parameters-style document, where the client sent `["sweep"]` and `{}` in the path.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from feature_support import forget, generate, method_of

SPEC = """\
openapi: 3.0.3
info: {title: PathStyles, version: '1'}
servers: [{url: 'https://api.paths.example.com'}]
paths:
  /simple/{ids}/{point}/{exploded}:
    get:
      operationId: simple
      parameters:
        - {name: ids, in: path, required: true, schema: {type: array, items: {type: integer}}}
        - name: point
          in: path
          required: true
          schema: {type: object, properties: {x: {type: integer}, y: {type: string}}}
        - name: exploded
          in: path
          required: true
          explode: true
          schema: {type: object, properties: {x: {type: integer}, y: {type: string}}}
      responses: {'204': {description: done}}
  /label/{one}/{many}/{spread}:
    get:
      operationId: label
      parameters:
        - {name: one, in: path, required: true, style: label, schema: {type: string}}
        - {name: many, in: path, required: true, style: label, schema: {type: array, items: {type: string}}}
        - name: spread
          in: path
          required: true
          style: label
          explode: true
          schema: {type: array, items: {type: string}}
      responses: {'204': {description: done}}
  /matrix/{one}/{many}/{spread}/{point}:
    get:
      operationId: matrix
      parameters:
        - {name: one, in: path, required: true, style: matrix, schema: {type: string}}
        - {name: many, in: path, required: true, style: matrix, schema: {type: array, items: {type: string}}}
        - name: spread
          in: path
          required: true
          style: matrix
          explode: true
          schema: {type: array, items: {type: string}}
        - name: point
          in: path
          required: true
          style: matrix
          explode: true
          schema: {type: object, properties: {x: {type: integer}, y: {type: string}}}
      responses: {'204': {description: done}}
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    made = generate(tmp_path_factory.mktemp("path_styles"), "path_styles", SPEC)
    yield made
    forget(made)


def _path(package: Any, call: str, **args: Any) -> str:
    client, recorder = package.client(lambda _: httpx.Response(204))
    assert method_of(client, call)(**args) is None
    return recorder.last.url.raw_path.decode()


def test_simple_arrays_and_objects_are_comma_separated(package: Any) -> None:
    point = {"x": 1, "y": "a b/c"}
    assert _path(package, "simple.simple", ids=[3, 4], point=point, exploded=point) == \
        "/simple/3,4/x,1,y,a%20b%2Fc/x=1,y=a%20b%2Fc"


def test_label_style_prefixes_a_dot(package: Any) -> None:
    assert _path(package, "label.label", one="v", many=["a", "b"], spread=["a", "b"]) == "/label/.v/.a,b/.a.b"


def test_matrix_style_names_each_value(package: Any) -> None:
    assert _path(package, "matrix.matrix", one="v", many=["a", "b"], spread=["a", "b"], point={"x": 1, "y": "z"}) \
        == "/matrix/;one=v/;many=a,b/;spread=a;spread=b/;x=1;y=z"
