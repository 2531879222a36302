"""Query and cookie `style`/`explode`, sent by a generated client and read back by the sweep's
mock server (scripts/sweep/mock_request.py).

OpenAPI's `form` style with `explode: true` sends an object as one key per property
(`?a=x&b=y` in the query; one cookie per property, `a=x; b=y`, in the Cookie header); without
explode as `name=a,x,b,y`. `spaceDelimited`/`pipeDelimited` arrays are one text joined by a
space or a bar. The client must send each so, and the mock must decode each so: otherwise the
sweep would count a correct client as rejected (or a wrong one as ok).
"""

from __future__ import annotations

import asyncio
import json
from argparse import Namespace
from pathlib import Path
from typing import Any

import httpx
import pytest
from feature_support import forget, generate, method_of

from scripts.corpus import Row
from scripts.prism import violations
from scripts.sweep.document import sweep
from scripts.sweep.mock_server import MockServer

SPEC = """\
openapi: 3.0.3
info: {title: Styles, version: '1'}
servers: [{url: 'https://api.styles.example.com'}]
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - name: filter
          in: query
          required: true
          schema: {$ref: '#/components/schemas/filter'}
        - name: color
          in: query
          explode: false
          schema: {$ref: '#/components/schemas/filter'}
        - name: ids
          in: query
          style: spaceDelimited
          explode: false
          schema: {type: array, items: {type: integer, maximum: 50}}
        - name: tags
          in: query
          style: pipeDelimited
          explode: false
          schema: {type: array, items: {type: string, enum: [red, blue]}}
        - name: limit
          in: query
          schema: {type: integer, maximum: 10}
        - name: prefs
          in: cookie
          required: true
          schema:
            type: object
            additionalProperties: false
            properties:
              theme: {type: string, enum: [dark, light]}
              size: {type: integer}
        - name: extra
          in: cookie
          schema: {type: object, additionalProperties: {type: string}}
        - name: flat
          in: cookie
          explode: false
          schema:
            type: object
            properties:
              lang: {type: string, enum: [en, fr]}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /points/{point}:
    get:
      operationId: getPoint
      parameters:
        - name: point
          in: path
          required: true
          explode: true
          schema: {$ref: '#/components/schemas/filter'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
components:
  schemas:
    filter:
      type: object
      properties:
        kind: {type: string, enum: [cat, dog]}
        age: {type: integer, minimum: 1}
"""

ARGS: dict[str, Any] = {
    "filter": {"kind": "cat", "age": 3}, "color": {"kind": "dog", "age": 2}, "ids": [1, 2],
    "tags": ["red", "blue"], "limit": 5, "prefs": {"theme": "dark", "size": 2}, "flat": {"lang": "fr"}}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    made = generate(tmp_path_factory.mktemp("styles"), "styles", SPEC)
    yield made
    forget(made)


@pytest.fixture(scope="module")
def mock(package: Any) -> Any:
    with MockServer(package.out / package.name / "openapi.json") as server:
        yield server


def test_the_client_sends_each_style_as_openapi_says(package: Any) -> None:
    client, recorder = package.client(lambda _: httpx.Response(200, json=[]))
    assert method_of(client, "things.list")(**ARGS) == []
    sent = recorder.last
    assert sent.url.params.multi_items() == [
        ("kind", "cat"), ("age", "3"), ("color", "kind,dog,age,2"), ("ids", "1 2"),
        ("tags", "red|blue"), ("limit", "5")]
    assert sent.headers["Cookie"] == "theme=dark; size=2; flat=lang,fr"


def test_a_property_that_cannot_be_a_cookie_name_is_refused(package: Any) -> None:
    client, recorder = package.client(lambda _: httpx.Response(200, json=[]))
    lists = method_of(client, "things.list")
    with pytest.raises(package.errors.ParameterError, match="extra: 'x; admin' cannot be a cookie name"):
        lists(filter={}, prefs={}, extra={"x; admin": "1"})
    assert recorder.requests == []


def test_the_mock_decodes_each_style(mock: Any) -> None:
    url = f"{mock.base_url}/things"
    good = httpx.get(url, params=[("kind", "cat"), ("age", "3"), ("color", "kind,dog,age,2"),
                                  ("ids", "1 2"), ("tags", "red|blue")],
                     headers={"Cookie": "theme=dark; size=2; flat=lang,fr"})
    assert (good.status_code, violations(good)) == (200, [])
    bad = httpx.get(url, params=[("kind", "cow"), ("age", "0"), ("color", "kind,cow"),
                                 ("ids", "1 99"), ("tags", "red|green")],
                    headers={"Cookie": "theme=grey; flat=lang,de"})
    assert bad.status_code == 422
    assert sorted(tuple(v["location"]) for v in violations(bad)) == [
        ("cookie", "flat", "lang"), ("cookie", "prefs", "theme"), ("query", "color", "kind"),
        ("query", "filter", "age"), ("query", "filter", "kind"), ("query", "ids", 1),
        ("query", "tags", 1)]
    missing = httpx.get(url, params={"limit": "5"})  # `limit` is no property of `filter`
    assert sorted(tuple(v["location"]) for v in violations(missing)) == [
        ("cookie", "prefs"), ("query", "filter")]


def test_the_client_passes_the_mock_sync_and_async(package: Any, mock: Any) -> None:
    seen: list[httpx.Response] = []
    http = httpx.Client(event_hooks={"response": [seen.append]})
    client = package.module.Client(base_url=mock.base_url, http_client=http, max_retries=0)
    method_of(client, "things.list")(**ARGS)
    method_of(client, "things.list")(filter={"age": 1}, prefs={"size": 1})
    assert [violations(r) for r in seen] == [[], []]

    async def call() -> Any:
        async with package.module.AsyncClient(base_url=mock.base_url, max_retries=0) as aio:
            return await method_of(aio, "things.list")(**ARGS)
    assert isinstance(asyncio.run(call()), list)


def test_the_sweep_calls_every_operation_ok_against_the_mock(package: Any, tmp_path: Path) -> None:
    # The sweep gives an object in the path a property: `{}` has no path form (an empty
    # segment, which the client refuses).
    (tmp_path / "styles.json").write_text((package.out / package.name / "openapi.json").read_text())
    out = tmp_path / "calls.jsonl"
    with open(out, "w") as handle:
        summary = sweep(Row("styles.json", "openapi-document", "3.0.3", 2, 1), tmp_path, 904, handle,
                        Namespace(budget=120.0, timeout=20.0, dynamic=1, server="mock"))
    assert summary["status"] == "swept", summary
    calls = [json.loads(line) for line in out.read_text().splitlines()]
    assert {c["operation"] for c in calls} == {"things.list", "points.get"}
    assert [(c["operation"], c["variant"], c["detail"]) for c in calls if c["class"] != "ok"] == []
