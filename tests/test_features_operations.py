"""Operation features, end to end: generate a client from an inline spec, call it through
httpx.MockTransport and check what goes over the wire and what comes back.

One package is generated for the module; mypy --strict runs once over it and a usage module.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import textwrap
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from feature_support import (
    Package,
    Recorder,
    calls_of,
    json_response,
    module_package,
    mypy_strict,
)

OPS_SPEC = """\
openapi: 3.1.0
info:
  title: Ops
  version: '1'
servers:
  - url: https://{region}.api.example.com/{version}
    variables:
      region:
        default: eu
        enum: [eu, us]
      version:
        default: v2
security:
  - bearerAuth: []
components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
    queryKey:
      type: apiKey
      in: query
      name: api_key
    cookieKey:
      type: apiKey
      in: cookie
      name: session
    basicAuth:
      type: http
      scheme: basic
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        id:
          type: integer
          readOnly: true
        name:
          type: string
        size:
          type: integer
    Created:
      type: object
      required: [id]
      properties:
        id:
          type: integer
        location:
          type: string
    Error:
      type: object
      required: [message]
      properties:
        message:
          type: string
webhooks:
  thingCreated:
    post:
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Thing'
      responses:
        '200':
          description: ok
paths:
  /things/{thingId}:
    parameters:
      - name: thingId
        in: path
        required: true
        schema:
          type: integer
      - name: X-Tenant
        in: header
        schema:
          type: string
    get:
      operationId: getThing
      tags: [things, 'odd|tag']
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
    put:
      operationId: replaceThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Thing'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
  /search:
    get:
      operationId: search
      security:
        - queryKey: []
      parameters:
        - name: q
          in: query
          required: true
          schema:
            type: string
        - name: ids
          in: query
          schema:
            type: array
            items:
              type: integer
        - name: tags
          in: query
          explode: false
          schema:
            type: array
            items:
              type: string
        - name: words
          in: query
          style: spaceDelimited
          explode: false
          schema:
            type: array
            items:
              type: string
        - name: codes
          in: query
          style: pipeDelimited
          explode: false
          schema:
            type: array
            items:
              type: string
        - name: filter
          in: query
          style: deepObject
          explode: true
          schema:
            type: object
            properties:
              a:
                type: integer
              b:
                type: string
        - name: X-Request-Id
          in: header
          schema:
            type: string
        - name: prefs
          in: cookie
          schema:
            type: string
        - name: layout
          in: cookie
          schema:
            type: array
            items: {type: string}
        - name: X-Tags
          in: header
          schema:
            type: array
            items: {type: string}
        - name: X-Point
          in: header
          schema:
            type: object
            properties: {x: {type: integer}, y: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Thing'
  /cookie-auth:
    get:
      operationId: cookieAuth
      security:
        - cookieKey: []
      responses:
        '204':
          description: done
  /basic-auth:
    get:
      operationId: basicAuth
      security:
        - basicAuth: []
      responses:
        '204':
          description: done
  /public:
    get:
      operationId: publicInfo
      security: []
      responses:
        '200':
          description: ok
          content:
            text/plain:
              schema:
                type: string
  /forms:
    post:
      operationId: submitForm
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [name]
              properties:
                name:
                  type: string
                count:
                  type: integer
      responses:
        '204':
          description: done
  /uploads:
    post:
      operationId: uploadFile
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file:
                  type: string
                  format: binary
                note:
                  type: string
      responses:
        '201':
          description: created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Created'
  /blobs/{name}:
    put:
      operationId: putBlob
      parameters:
        - name: name
          in: path
          required: true
          schema:
            type: string
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema:
              type: string
              format: binary
      responses:
        '204':
          description: stored
    get:
      operationId: getBlob
      parameters:
        - name: name
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: the bytes
          content:
            application/octet-stream:
              schema:
                type: string
                format: binary
  /echo:
    post:
      operationId: echoText
      requestBody:
        required: true
        content:
          text/plain:
            schema:
              type: string
      responses:
        '200':
          description: echoed
          content:
            text/plain:
              schema:
                type: string
  /ranged:
    get:
      operationId: ranged
      responses:
        '2XX':
          description: any success
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
        default:
          description: any error
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Error'
  /fallback:
    get:
      operationId: onlyDefault
      responses:
        default:
          description: whatever
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
  /either:
    post:
      operationId: createOrGet
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Thing'
      responses:
        '201':
          description: created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Created'
        '200':
          description: existed
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
  /things:
    delete:
      operationId: clearThings
      responses:
        '204':
          description: gone
  /users/{userId}/posts:
    get:
      summary: List user posts
      parameters:
        - name: userId
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  type: string
  /health/live:
    get:
      responses:
        '204':
          description: alive
  /orders/{orderId}:
    delete:
      parameters:
        - name: orderId
          in: path
          required: true
          schema:
            type: string
      responses:
        '204':
          description: deleted
  /dup/one:
    get:
      operationId: fetch
      responses:
        '204':
          description: ok
  /dup/two:
    get:
      operationId: fetch
      responses:
        '204':
          description: ok
  /old:
    get:
      operationId: oldThing
      deprecated: true
      responses:
        '204':
          description: ok
  /subscribe:
    post:
      operationId: subscribe
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [callbackUrl]
              properties:
                callbackUrl:
                  type: string
                  format: uri
      callbacks:
        onEvent:
          '{$request.body#/callbackUrl}':
            post:
              requestBody:
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Thing'
              responses:
                '200':
                  description: ok
      responses:
        '204':
          description: subscribed
"""

CREDENTIALS = {
    "bearer_token": "tok-SECRET",
    "api_key": "query-SECRET",
    "cookie_key_api_key": "cookie-SECRET",
    "username": "alice",
    "password": "pa:ss",
}
BASE = "https://eu.api.example.com/v2"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "ops", OPS_SPEC)


def _client(api: Package, respond: Any = None, **options: Any) -> tuple[Any, Recorder]:
    return api.client(respond, **{**CREDENTIALS, **options})


def _thing(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"id": 5, "name": "lamp"})


def _multipart(request: httpx.Request) -> dict[str, tuple[str | None, bytes]]:
    """name -> (filename, content) of every part of a multipart/form-data request."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    assert message.is_multipart()
    parts: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[str(name)] = (part.get_filename(), part.get_payload(decode=True))
    return parts


# -- servers, paths, parameters --------------------------------------------------------------


def test_server_variables_are_substituted_with_their_defaults(api: Package) -> None:
    client, recorder = _client(api, _thing)
    client.things.get(1)
    assert str(recorder.last.url) == f"{BASE}/things/1"
    assert api.module._client.DEFAULT_BASE_URL == BASE


def test_path_level_parameters_are_shared_by_the_operations(api: Package) -> None:
    client, recorder = _client(api, _thing)
    client.things.get(5, x_tenant="acme")
    client.things.replace(6, name="lamp", x_tenant="umbrella")
    got, put = recorder.requests
    assert (got.method, got.url.path, got.headers["X-Tenant"]) == ("GET", "/v2/things/5", "acme")
    assert (put.method, put.url.path, put.headers["X-Tenant"]) == ("PUT", "/v2/things/6", "umbrella")
    client.things.get(7)
    assert "x-tenant" not in recorder.last.headers


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"ids": [1, 2, 3]}, [("ids", "1"), ("ids", "2"), ("ids", "3")]),
        ({"tags": ["a", "b"]}, [("tags", "a,b")]),
        ({"words": ["hello", "world"]}, [("words", "hello world")]),
        ({"codes": ["x", "y"]}, [("codes", "x|y")]),
        ({"filter": {"a": 1, "b": "z"}}, [("filter[a]", "1"), ("filter[b]", "z")]),
        ({"filter": {"a": 1}}, [("filter[a]", "1")]),
        ({"filter": "model"}, [("filter[a]", "2")]),
    ],
    ids=["explode", "form-no-explode", "space-delimited", "pipe-delimited", "deep-object",
         "deep-object-partial", "deep-object-model"],
)
def test_query_parameter_styles(api: Package, kwargs: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    if kwargs.get("filter") == "model":
        kwargs = {"filter": api.models.SearchFilter(a=2)}
    client, recorder = _client(api, json_response(200, []))
    assert client.search.search(q="lamp", **kwargs) == []
    pairs = recorder.last.url.params.multi_items()
    assert pairs[0] == ("q", "lamp")
    assert [p for p in pairs if p[0] not in ("q", "api_key")] == expected


def test_header_and_cookie_parameters(api: Package) -> None:
    client, recorder = _client(api, json_response(200, [{"name": "lamp"}]))
    (thing,) = client.search.search(q="lamp", x_request_id="req-1", prefs="dark")
    assert thing.name == "lamp"
    assert recorder.last.headers["X-Request-Id"] == "req-1"
    assert recorder.last.headers["Cookie"] == "prefs=dark"


def test_arrays_and_objects_in_headers_and_cookies_are_comma_separated_not_json(api: Package) -> None:
    client, recorder = _client(api, json_response(200, []))
    client.search.search(q="lamp", layout=["wide", "dark"], x_tags=["a", "b"], x_point={"x": 1, "y": 2})
    assert recorder.last.headers["Cookie"] == "layout=wide,dark"
    assert recorder.last.headers["X-Tags"] == "a,b"
    assert recorder.last.headers["X-Point"] == "x,1,y,2"


def test_missing_required_query_parameter_fails_before_sending(api: Package) -> None:
    client, recorder = _client(api, json_response(200, []))
    with pytest.raises(TypeError):
        client.search.search()
    with pytest.raises(api.errors.ParameterError, match="q"):
        client.search.search(q=None)
    assert recorder.requests == []


# -- request bodies ------------------------------------------------------------------------------


def test_json_body_from_a_model_or_keywords(api: Package) -> None:
    client, recorder = _client(api, _thing)
    client.things.replace(1, body=api.models.Thing(name="lamp", size=2))
    client.things.replace(1, name="lamp", size=2)
    for request in recorder.requests:
        assert request.headers["Content-Type"] == "application/json"
        assert json.loads(request.content) == {"name": "lamp", "size": 2}


def test_form_urlencoded_body_sends_form_fields(api: Package) -> None:
    client, recorder = _client(api)
    assert client.forms.submit(name="a b&c", count=3) is None
    request = recorder.last
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.content.decode()) == {"name": ["a b&c"], "count": ["3"]}


@pytest.mark.parametrize("content", [b"plain text file", PNG], ids=["text-content", "binary-content"])
def test_multipart_body_sends_the_file_and_the_text_field(api: Package, content: bytes) -> None:
    client, recorder = _client(api, json_response(201, {"id": 7}))
    created = client.uploads.file(file=content, note="holiday")
    assert isinstance(created, api.models.Created) and created.id == 7
    assert recorder.last.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    parts = _multipart(recorder.last)
    assert set(parts) == {"file", "note"}
    assert parts["file"][1] == content
    assert parts["file"][0] is not None  # sent as a file part
    assert parts["note"] == (None, b"holiday")


def test_octet_stream_body_is_sent_raw(api: Package) -> None:
    client, recorder = _client(api)
    payload = bytes(range(256))
    assert client.blobs.put("photo.png", body=payload) is None
    assert recorder.last.headers["Content-Type"] == "application/octet-stream"
    assert recorder.last.content == payload
    assert recorder.last.url.path == "/v2/blobs/photo.png"


def test_text_body_and_text_response(api: Package) -> None:
    client, recorder = _client(api, lambda request: httpx.Response(200, text="échoed: " + request.content.decode()))
    result = client.echo.text(body="héllo")
    assert recorder.last.headers["Content-Type"].startswith("text/plain")
    assert recorder.last.content.decode() == "héllo"
    assert result == "échoed: héllo" and isinstance(result, str)


# -- responses -----------------------------------------------------------------------------------


def test_binary_response_returns_bytes(api: Package) -> None:
    payload = b"\x00\xff\x89PNG"
    client, _ = _client(api, lambda request: httpx.Response(200, content=payload,
                                                            headers={"Content-Type": "application/octet-stream"}))
    assert client.blobs.get("x") == payload


@pytest.mark.parametrize("status", [200, 202, 203])
def test_2xx_range_response_parses_any_success(api: Package, status: int) -> None:
    client, _ = _client(api, json_response(status, {"name": "ranged"}))
    thing = client.ranged.ranged()
    assert isinstance(thing, api.models.Thing) and thing.name == "ranged"


@pytest.mark.parametrize(("status", "error"), [(418, "APIStatusError"), (503, "InternalServerError")])
def test_default_response_describes_errors(api: Package, status: int, error: str) -> None:
    client, _ = _client(api, json_response(status, {"message": "nope"}))
    with pytest.raises(getattr(api.errors, error)) as caught:
        client.ranged.ranged()
    assert caught.value.status_code == status
    assert isinstance(caught.value.body, api.models.Error)
    assert caught.value.body.message == "nope"


def test_only_a_default_response_is_the_success_body(api: Package) -> None:
    client, _ = _client(api, json_response(200, {"name": "fallback"}))
    thing = client.fallback.only_default()
    assert isinstance(thing, api.models.Thing) and thing.name == "fallback"


def test_several_success_codes_return_the_model_of_each(api: Package) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content)["name"] == "new":
            return httpx.Response(201, json={"id": 3, "location": "/things/3"})
        return httpx.Response(200, json={"id": 1, "name": "old"})

    client, _ = _client(api, respond)
    created = client.either.create_or_get(name="new")
    existing = client.either.create_or_get(name="old")
    assert type(created) is api.models.Created and created.location == "/things/3"
    assert type(existing) is api.models.Thing and existing.name == "old"


def test_204_returns_none(api: Package) -> None:
    client, recorder = _client(api, lambda request: httpx.Response(204))
    assert client.things.clear() is None
    assert (recorder.last.method, recorder.last.url.path) == ("DELETE", "/v2/things")


# -- operation names, deprecation, incoming requests ---------------------------------------------

OPERATIONS = {
    "things.get", "things.replace", "search.search", "cookie_auth.cookie_auth", "basic_auth.basic_auth", "public.info", "forms.submit",
    "uploads.file", "blobs.put", "blobs.get", "echo.text", "ranged.ranged", "fallback.only_default", "either.create_or_get",
    "things.clear", "users.list_posts", "health.get_live", "orders.delete_by_id", "dup.fetch",
    "dup.fetch_2", "old.thing", "subscribe.subscribe",
}


def test_client_has_one_method_per_operation_and_none_for_webhooks_or_callbacks(api: Package) -> None:
    assert calls_of(api.module.Client(base_url="http://x")) == OPERATIONS
    assert calls_of(api.module.AsyncClient(base_url="http://x")) == OPERATIONS


@pytest.mark.parametrize(
    ("call", "method", "path"),
    [
        (lambda c: c.users.list_posts("u 1"), "GET", "/v2/users/u%201/posts"),  # from the summary
        (lambda c: c.health.get_live(), "GET", "/v2/health/live"),  # from method + path
        (lambda c: c.orders.delete_by_id("o-1"), "DELETE", "/v2/orders/o-1"),
        (lambda c: c.dup.fetch(), "GET", "/v2/dup/one"),  # duplicate operationIds
        (lambda c: c.dup.fetch_2(), "GET", "/v2/dup/two"),
    ],
    ids=["summary", "method-path", "method-path-param", "duplicate-1", "duplicate-2"],
)
def test_operation_names_without_a_usable_operation_id(api: Package, call: Any, method: str, path: str) -> None:
    client, recorder = _client(api, json_response(200, ["post"]) if "posts" in path else None)
    call(client)
    assert (recorder.last.method, recorder.last.url.raw_path.decode()) == (method, path)


def test_deprecated_operation_warns_when_called(api: Package) -> None:
    client, recorder = _client(api)
    with pytest.warns(DeprecationWarning, match="/old"):
        client.old.thing()
    assert len(recorder.requests) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client.health.get_live()  # not deprecated: no warning


def test_tags_are_a_column_of_the_readme_table(api: Package) -> None:
    readme = api.text("README.md")
    assert "| Method | HTTP | Returns | Tags |" in readme
    row = next(line for line in readme.splitlines() if line.startswith("| `things.get` |"))
    assert row.endswith("| things, odd\\|tag |")  # a pipe in a tag cannot end the cell


def test_webhooks_and_callbacks_are_listed_in_the_readme(api: Package) -> None:
    readme = api.text("README.md")
    assert "thingCreated" in readme
    assert "onEvent" in readme and "POST /subscribe" in readme
    operations_table = readme.split("## Webhooks and callbacks")[0]
    assert "thingCreated" not in operations_table and "onEvent" not in operations_table


# -- security ------------------------------------------------------------------------------------


def _auth(request: httpx.Request) -> dict[str, Any]:
    return {
        "authorization": request.headers.get("Authorization"),
        "cookie": request.headers.get("Cookie"),
        "api_key": request.url.params.get("api_key"),
    }


def test_api_key_in_query(api: Package) -> None:
    client, recorder = _client(api, json_response(200, []))
    client.search.search(q="x")
    assert _auth(recorder.last) == {"authorization": None, "cookie": None, "api_key": "query-SECRET"}


def test_api_key_in_cookie(api: Package) -> None:
    client, recorder = _client(api)
    client.cookie_auth.cookie_auth()
    assert _auth(recorder.last) == {"authorization": None, "cookie": "session=cookie-SECRET", "api_key": None}


def test_http_basic(api: Package) -> None:
    client, recorder = _client(api)
    client.basic_auth.basic_auth()
    expected = "Basic " + base64.b64encode(b"alice:pa:ss").decode()
    assert _auth(recorder.last) == {"authorization": expected, "cookie": None, "api_key": None}


def test_http_bearer_from_the_global_security(api: Package) -> None:
    client, recorder = _client(api)
    client.things.clear()
    assert _auth(recorder.last) == {"authorization": "Bearer tok-SECRET", "cookie": None, "api_key": None}


def test_empty_security_sends_no_credentials(api: Package) -> None:
    client, recorder = _client(api, lambda request: httpx.Response(200, text="public"))
    assert client.public.info() == "public"
    assert _auth(recorder.last) == {"authorization": None, "cookie": None, "api_key": None}
    assert not any("SECRET" in value for value in recorder.last.headers.values())
    assert "SECRET" not in str(recorder.last.url)


# -- async, and the package type-checks ---------------------------------------------------------


async def test_async_client_sends_the_same_requests(api: Package) -> None:
    client, recorder = api.async_client(json_response(201, {"id": 4}), **CREDENTIALS)
    created = await client.either.create_or_get(name="new")
    assert type(created) is api.models.Created and created.id == 4
    (request,) = recorder.requests
    assert str(request.url) == f"{BASE}/either"
    assert request.headers["Authorization"] == "Bearer tok-SECRET"
    assert json.loads(request.content) == {"name": "new"}
    await client.close()


def test_generated_client_passes_mypy_strict(api: Package) -> None:
    usage = api.out / f"use_{api.name}.py"
    usage.write_text(
        textwrap.dedent(
            f"""\
            from __future__ import annotations

            from {api.name} import AsyncClient, Client, models


            def use(client: Client) -> int:
                things: list[models.Thing] = client.search.search(
                    q="x", ids=[1], tags=["a"], words=["w"], codes=["c"],
                    filter=models.SearchFilter(a=1), x_request_id="r", prefs="p",
                )
                one: models.Thing = client.things.get(1, x_tenant="t")
                again: models.Thing = client.things.replace(1, name="n", size=2)
                client.forms.submit(name="n", count=1)
                created: models.Created = client.uploads.file(file=b"data", note="n")
                client.blobs.put("b", body=b"raw")
                blob: bytes = client.blobs.get("b")
                text: str = client.echo.text(body="hi")
                public: str = client.public.info()
                ranged: models.Thing = client.ranged.ranged()
                either: models.Thing | models.Created = client.either.create_or_get(name="n")
                posts: list[str] = client.users.list_posts("u")
                client.things.clear()
                client.dup.fetch()
                client.dup.fetch_2()
                assert either is not None
                return len(things) + created.id + len(blob) + len(text) + len(public) + len(posts) + len(
                    str(one.name) + str(again.size) + ranged.name
                )


            async def use_async(client: AsyncClient) -> bytes:
                return await client.blobs.get("b")
            """
        ),
        encoding="utf-8",
    )
    checked = mypy_strict(api.out, api.name, usage.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
