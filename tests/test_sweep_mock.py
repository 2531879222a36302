"""The sweep's validating mock server (scripts/sweep/mock_server.py), for documents Prism
cannot load, and the bracket (deepObject) encoding it holds generated clients to.

A Stripe-like document (url-encoded bodies whose objects and lists are bracket-encoded at
every depth, `anyOf [object, enum [""]]`, deepObject query parameters, expandable response
fields) is generated into a client; the client is called sync and async against the mock,
which validates each request and answers with a synthesized schema-valid body. Requests that
break the document are refused as Prism refuses them (422 with `sl-violations`), so the
sweep's classifier reads both alike.
"""

from __future__ import annotations

import asyncio
import json
from argparse import Namespace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from feature_support import forget, generate, method_of

from scripts.corpus import Row
from scripts.prism import violations
from scripts.sweep.document import sweep
from scripts.sweep.mock_schema import Checker, json_schema
from scripts.sweep.mock_server import MockServer
from scripts.sweep.mock_wire import coerce, group, nested

SPEC = """\
openapi: 3.0.0
info: {title: Brackets, version: '1'}
servers: [{url: 'https://api.brackets.example.com/'}]
security: [{bearer: []}]
paths:
  /v1/orders:
    post:
      operationId: PostOrders
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            encoding:
              items: {style: deepObject, explode: true}
              metadata: {style: deepObject, explode: true}
              expand: {style: deepObject, explode: true}
              shipping: {style: deepObject, explode: true}
            schema:
              type: object
              required: [items]
              properties:
                items:
                  type: array
                  items:
                    type: object
                    required: [price]
                    properties:
                      price: {type: string, maxLength: 50}
                      quantity: {type: integer, minimum: 1}
                      tax_rates: {type: array, items: {type: string}}
                metadata:
                  anyOf:
                    - {type: object, additionalProperties: {type: string}}
                    - {type: string, enum: ['']}
                expand: {type: array, items: {type: string}}
                shipping:
                  type: object
                  required: [address]
                  properties:
                    address:
                      type: object
                      required: [line1]
                      properties:
                        line1: {type: string}
                        geo: {type: object, properties: {lat: {type: number}}}
                note: {type: string}
                capture: {type: boolean}
      responses:
        '200':
          description: the order
          content:
            application/json:
              schema: {$ref: '#/components/schemas/order'}
        default:
          description: error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/error'}
    get:
      operationId: GetOrders
      parameters:
        - {name: created, in: query, style: deepObject, explode: true,
           schema: {type: object, properties: {gte: {type: integer}, lte: {type: integer}}}}
        - {name: limit, in: query, schema: {type: integer, maximum: 100}}
        - {name: expand, in: query, style: deepObject, explode: true,
           schema: {type: array, items: {type: string}}}
      responses:
        '200':
          description: a page
          content:
            application/json:
              schema:
                type: object
                required: [data, has_more]
                properties:
                  data: {type: array, items: {$ref: '#/components/schemas/order'}}
                  has_more: {type: boolean}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    order:
      type: object
      required: [id, customer, total, note]
      properties:
        id: {type: string, readOnly: true}
        customer:
          anyOf:
            - {type: string, maxLength: 5000}
            - {$ref: '#/components/schemas/customer'}
        total: {type: integer}
        note: {type: string, nullable: true}
    customer:
      type: object
      required: [id]
      properties: {id: {type: string}, email: {type: string, nullable: true}}
    error:
      type: object
      required: [error]
      properties: {error: {type: object, properties: {message: {type: string}}}}
"""

ORDER = {"items": [{"price": "p1", "quantity": 2, "tax_rates": ["t1", "t2"]}, {"price": "p2"}],
         "metadata": {"k": "v"}, "expand": ["customer"], "capture": False,
         "shipping": {"address": {"line1": "1 Road", "geo": {"lat": 1.5}}}}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    made = generate(tmp_path_factory.mktemp("brackets"), "brackets", SPEC)
    yield made
    forget(made)


@pytest.fixture(scope="module")
def mock(package: Any) -> Any:
    with MockServer(package.out / package.name / "openapi.json") as server:
        yield server


def test_brackets_decode_to_nested_objects_and_lists_by_the_schema() -> None:
    doc = {"components": {"schemas": {}}}
    pairs = [("items[0][price]", "p"), ("items[0][quantity]", "2"), ("items[1][price]", "q"),
             ("metadata[k]", "v"), ("expand[]", "a"), ("expand[]", "b"), ("flag", "true")]
    schema = {"type": "object", "properties": {
        "items": {"type": "array", "items": {"type": "object", "properties": {
            "price": {"type": "string"}, "quantity": {"type": "integer"}}}},
        "metadata": {"anyOf": [{"type": "object"}, {"enum": [""]}]},
        "expand": {"type": "array", "items": {"type": "string"}}, "flag": {"type": "boolean"}}}
    value = {name: nested(entries) for name, entries in group(pairs).items()}
    assert coerce(doc, schema, value) == {
        "items": [{"price": "p", "quantity": 2}, {"price": "q"}], "metadata": {"k": "v"},
        "expand": ["a", "b"], "flag": True}


def test_openapi_30_nullable_and_exclusive_bounds_become_json_schema() -> None:
    checker = Checker({"openapi": "3.0.0", "components": {"schemas": {
        "n": {"type": "integer", "nullable": True, "minimum": 1, "exclusiveMinimum": True},
        "r": {"$ref": "#/components/schemas/n", "nullable": True}}}})
    assert json_schema({"type": "string", "nullable": True, "enum": ["a"]}) == \
        {"type": ["string", "null"], "enum": ["a", None]}
    assert checker.violations("#/components/schemas/n", None, []) == []
    assert checker.violations("#/components/schemas/r", None, []) == []
    [found] = checker.violations("#/components/schemas/n", 1, ["response", "body"])
    assert found["location"] == ["response", "body"] and found["code"] == "exclusiveMinimum"


def test_the_client_sends_nested_objects_and_lists_as_brackets_at_every_depth(package: Any) -> None:
    order = {"id": "o", "customer": "c", "total": 1, "note": None}
    client, recorder = package.client(lambda request: httpx.Response(
        200, json=order if request.method == "POST" else {"data": [order], "has_more": False}),
        bearer_token="k")
    method_of(client, "orders.post")(**ORDER)
    assert parse_qsl(recorder.last.content.decode()) == [
        ("items[0][price]", "p1"), ("items[0][quantity]", "2"), ("items[0][tax_rates][0]", "t1"),
        ("items[0][tax_rates][1]", "t2"), ("items[1][price]", "p2"), ("metadata[k]", "v"),
        ("expand[0]", "customer"), ("shipping[address][line1]", "1 Road"),
        ("shipping[address][geo][lat]", "1.5"), ("capture", "false")]
    # empty objects and lists have no bracket form and send nothing; "" clears where allowed
    method_of(client, "orders.post")(items=[{"price": "p", "tax_rates": []}], metadata={})
    assert parse_qsl(recorder.last.content.decode(), keep_blank_values=True) == [("items[0][price]", "p")]
    method_of(client, "orders.post")(items=[{"price": "p"}], metadata="")
    assert parse_qsl(recorder.last.content.decode(), keep_blank_values=True) == [
        ("items[0][price]", "p"), ("metadata", "")]
    method_of(client, "orders.get")(created={"gte": 1}, expand=["data.customer"], limit=3)
    assert sorted(parse_qsl(recorder.last.url.query.decode())) == [
        ("created[gte]", "1"), ("expand[0]", "data.customer"), ("limit", "3")]


def test_calls_through_the_client_pass_the_mock_and_get_schema_valid_bodies(package: Any, mock: Any) -> None:
    seen: list[httpx.Response] = []
    http = httpx.Client(event_hooks={"response": [seen.append]})
    client = package.module.Client(base_url=mock.base_url, bearer_token="k", http_client=http, max_retries=0)
    order = method_of(client, "orders.post")(**ORDER)
    assert isinstance(order.total, int) and order.id
    page = method_of(client, "orders.get")(created={"gte": 1, "lte": 9}, expand=["data.customer"],
                                           extra_headers={"Prefer": "dynamic=true"})
    assert isinstance(page.has_more, bool)
    assert [violations(r) for r in seen] == [[], []]

    async def both() -> Any:
        async with package.module.AsyncClient(base_url=mock.base_url, bearer_token="k", max_retries=0) as aio:
            return await method_of(aio, "orders.post")(items=[{"price": "p"}], metadata="")
    assert asyncio.run(both()).total is not None


def test_requests_that_break_the_document_are_refused_as_prism_refuses_them(mock: Any) -> None:
    auth = {"Authorization": "Bearer k", "Content-Type": "application/x-www-form-urlencoded"}
    url = f"{mock.base_url}/v1/orders"
    # JSON text where the document wants an object (what the client sent below the first level)
    bad = httpx.post(url, headers=auth, content=b"items[0][price]=p&shipping[address]=%7B%22line1%22%3A%22x%22%7D"
                     b"&items[0][quantity]=0")
    assert bad.status_code == 422 and bad.json() == {"error": bad.json()["error"]}  # the documented default
    found = {tuple(v["location"]): v["code"] for v in violations(bad)}
    assert found == {("request", "body", "shipping", "address"): "type",
                     ("request", "body", "items", 0, "quantity"): "minimum"}
    missing = httpx.post(url, headers=auth, content=b"note=x")
    assert [v["message"] for v in violations(missing)] == ["'items' is a required property"]
    query = httpx.get(url, headers=auth, params={"limit": "500", "created[gte]": "x"})
    # No error response documented: Prism's problem+json, its `validation` without "request".
    assert query.status_code == 422 and query.json()["type"].endswith("UNPROCESSABLE_ENTITY")
    assert {tuple(v["location"]) for v in violations(query)} == {
        ("query", "limit"), ("query", "created", "gte")}
    assert httpx.get(url).status_code == 401
    assert httpx.get(f"{mock.base_url}/v1/nothing", headers=auth).json()["type"].endswith("NO_PATH_MATCHED_ERROR")
    assert httpx.put(url, headers=auth).status_code == 405
    assert httpx.post(url, headers={**auth, "Content-Type": "application/json"}, content=b"{}").status_code == 415
    error = httpx.post(url, headers={**auth, "Prefer": "code=500"}, content=b"items[0][price]=p")
    assert error.status_code == 500 and violations(error) == [] and "error" in error.json()
    undocumented = httpx.get(url, headers={**auth, "Prefer": "code=500"})
    assert undocumented.status_code == 404 and "not defined" in undocumented.json()["detail"]


def test_the_sweep_calls_every_operation_against_the_mock(package: Any, tmp_path: Path) -> None:
    spec = tmp_path / "brackets.json"
    spec.write_text((package.out / package.name / "openapi.json").read_text())
    row = Row("brackets.json", "openapi-document", "3.0.0", 2, 3)
    out = tmp_path / "calls.jsonl"
    with open(out, "w") as handle:
        summary = sweep(row, tmp_path, 903, handle,
                        Namespace(budget=120.0, timeout=20.0, dynamic=2, server="mock"))
    assert summary["status"] == "swept" and summary["server"] == "mock", summary
    calls = [json.loads(line) for line in out.read_text().splitlines()]
    assert {c["operation"] for c in calls} == {"orders.get", "orders.post"}
    assert {c["mode"] for c in calls} == {"sync", "async"}
    assert {"plain", "full", "dynamic-1", "branch:"} <= {c["variant"].split("#")[0] for c in calls}
    assert [c for c in calls if c["class"] != "ok"] == []
