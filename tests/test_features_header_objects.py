"""Header and cookie parameters whose schema is an array of objects: OpenAPI defines no
serialization for them, so the generator warns where each one is declared and says what the
client sends (each item as compact JSON, comma-separated), and the client does just that."""

from __future__ import annotations

from pathlib import Path

from feature_support import generate, method_of, warnings_of

SPEC = """\
openapi: 3.0.3
info: {title: Header objects, version: '1'}
servers: [{url: 'https://headers.example.com'}]
paths:
  /things:
    parameters:
      - {$ref: '#/components/parameters/Filters'}
    get:
      operationId: listThings
      parameters:
        - name: X-Tags
          in: header
          schema: {type: array, items: {type: string}}
        - name: X-Point
          in: header
          schema: {type: object, properties: {x: {type: integer}}}
        - name: prefs
          in: cookie
          schema: {type: array, items: {$ref: '#/components/schemas/Pref'}}
      responses: {'204': {description: none}}
    delete:
      operationId: dropThings
      responses: {'204': {description: none}}
components:
  parameters:
    Filters:
      name: X-Filters
      in: header
      schema:
        type: array
        items: {oneOf: [{$ref: '#/components/schemas/Pref'}, {type: object, properties: {b: {type: string}}}]}
  schemas:
    Pref: {type: object, properties: {a: {type: integer}}}
"""


def test_arrays_of_objects_in_headers_and_cookies_are_named_once_where_declared(tmp_path: Path) -> None:
    package = generate(tmp_path, "header_objects", SPEC)
    found = [d for d in warnings_of(package.diagnostics) if "array of objects" in d.message]
    # The path-level parameter is shared by both operations: one warning, at its component.
    assert sorted(d.pointer for d in found) == [
        "/components/parameters/Filters/schema", "/paths/~1things/get/parameters/2/schema"]
    by_pointer = {d.pointer: d for d in found}
    header = by_pointer["/components/parameters/Filters/schema"]
    assert "header parameter 'X-Filters'" in header.message
    assert "each item as compact JSON, comma-separated" in header.message
    assert header.hint and "application/json" in header.hint
    assert "cookie parameter 'prefs'" in by_pointer["/paths/~1things/get/parameters/2/schema"].message
    # Arrays of strings and flat objects have OpenAPI's simple style: no warning for them.
    assert not any("X-Tags" in d.message or "X-Point" in d.message for d in found)


def test_the_client_sends_what_the_warning_says(tmp_path: Path) -> None:
    package = generate(tmp_path, "header_objects_call", SPEC)
    client, recorder = package.client()
    method_of(client, "things.list")(x_filters=[{"a": 1}, {"b": "x"}], x_tags=["p", "q"])
    assert recorder.last.headers["X-Filters"] == '{"a":1},{"b":"x"}'
    assert recorder.last.headers["X-Tags"] == "p,q"
