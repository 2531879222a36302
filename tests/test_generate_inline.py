"""End to end from an inline spec: generate, write, import, call through httpx.MockTransport.

Each test generates its own package under a unique name (the module cache is process-wide),
imports it from tmp_path/out and drives it with a MockTransport that records the requests.
The package is also type-checked with `mypy --strict`.
"""

from __future__ import annotations

import datetime
import importlib
import itertools
import json
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator import pipeline, write
from generator.diagnostics import Level

SHOP_SPEC = """\
openapi: 3.1.0
info:
  title: Shop
  version: '2.0'
servers:
  - url: https://shop.example.com/api
security:
  - apiKey: []
components:
  securitySchemes:
    apiKey:
      type: apiKey
      in: header
      name: x-api-key
  schemas:
    Item:
      type: object
      required: [id, name, priceCents]
      properties:
        id:
          type: string
          format: uuid
        name:
          type: string
        priceCents:
          type: integer
          minimum: 0
        createdAt:
          type: string
          format: date-time
        tags:
          type: array
          items:
            type: string
    NewItem:
      type: object
      required: [name, priceCents]
      properties:
        name:
          type: string
          maxLength: 50
        priceCents:
          type: integer
          minimum: 0
        tags:
          type: array
          items:
            type: string
    Error:
      type: object
      required: [message]
      properties:
        message:
          type: string
paths:
  /items:
    get:
      operationId: listItems
      summary: List items
      parameters:
        - name: limit
          in: query
          schema:
            type: integer
            minimum: 1
            maximum: 100
        - name: tag
          in: query
          schema:
            type: string
        - name: sortBy
          in: query
          schema:
            type: string
            enum: [name, price]
      responses:
        '200':
          description: The items
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Item'
    post:
      operationId: createItem
      summary: Create an item
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/NewItem'
      responses:
        '201':
          description: Created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Item'
        '422':
          description: Invalid item
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Error'
  /items/{itemId}:
    parameters:
      - name: itemId
        in: path
        required: true
        schema:
          type: string
    get:
      operationId: getItem
      responses:
        '200':
          description: The item
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Item'
        '404':
          description: Not found
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Error'
    delete:
      operationId: deleteItem
      responses:
        '204':
          description: Deleted
"""

ITEM_ID = "6f1c2a56-8c43-4d35-a4a8-8b1f1d8b2c01"
ITEM = {"id": ITEM_ID, "name": "Lamp", "priceCents": 1299, "createdAt": "2024-01-31T10:00:00Z", "tags": ["home"]}

_COUNTER = itertools.count()


@dataclass
class Generated:
    name: str
    out: Path
    package: ModuleType
    requests: list[httpx.Request] = field(default_factory=list)

    def transport(self, respond: Callable[[httpx.Request], httpx.Response]) -> httpx.MockTransport:
        def handler(request: httpx.Request) -> httpx.Response:
            request.read()
            self.requests.append(request)
            return respond(request)

        return httpx.MockTransport(handler)

    def client(self, respond: Callable[[httpx.Request], httpx.Response], **options: Any) -> Any:
        http = httpx.Client(transport=self.transport(respond))
        return self.package.Client(api_key="secret-key", http_client=http, max_retries=0, **options)

    def async_client(self, respond: Callable[[httpx.Request], httpx.Response]) -> Any:
        http = httpx.AsyncClient(transport=self.transport(respond))
        return self.package.AsyncClient(api_key="secret-key", http_client=http, max_retries=0)


@pytest.fixture(autouse=True)
def _black_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "black-cache"))


@pytest.fixture
def generate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], Generated]]:
    imported: list[str] = []

    def run(spec_text: str) -> Generated:
        stem = f"inline_shop_{next(_COUNTER)}"
        spec_path = tmp_path / f"{stem}.yaml"
        spec_path.write_text(spec_text, encoding="utf-8")
        result = pipeline.build(spec_path, tmp_path)
        errors = [d.render() for d in result.diagnostics if d.level is Level.ERROR]
        assert errors == []
        assert list(result.clients) == [stem]
        out = tmp_path / "out"
        write.write(out, {stem: result.clients[stem].files}, {})
        monkeypatch.syspath_prepend(str(out))
        imported.append(stem)
        return Generated(stem, out, importlib.import_module(stem))

    yield run
    for name in list(sys.modules):
        if any(name == stem or name.startswith(stem + ".") for stem in imported):
            del sys.modules[name]


def _json(status: int, body: Any) -> httpx.Response:
    return httpx.Response(status, json=body)


def _mypy(out: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(out / ".mypy_cache"), *targets],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


# -- the generated package -----------------------------------------------------------------


def test_generated_package_layout(generate: Callable[[str], Generated]) -> None:
    gen = generate(SHOP_SPEC)
    folder = gen.out / gen.name
    expected = {"__init__.py", "_base.py", "_client.py", "errors.py", "models.py", "py.typed", "README.md",
                "resources"}
    assert expected <= {p.name for p in folder.iterdir()}
    # one module per resource class: the sync one (with the endpoints) and the async one
    assert (folder / "resources" / "items.py").is_file() and (folder / "resources" / "_async" / "items.py").is_file()
    assert gen.package.__all__ == sorted(gen.package.__all__, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
    assert {"Client", "AsyncClient", "errors", "models"} <= set(gen.package.__all__)
    for module in ("_base.py", "_client.py", "models.py", "errors.py", "__init__.py", "resources/items.py"):
        text = (folder / module).read_text(encoding="utf-8")
        assert text.startswith("# Generated by clientgen from ")
        assert "generator" not in {line.split()[1].split(".")[0] for line in text.splitlines() if line.startswith(("import ", "from "))}
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for method in ("items.list", "items.create", "items.get", "items.delete"):
        assert f"client.{method}(" in readme


def test_list_items_sends_query_params_and_parses_the_list(generate: Callable[[str], Generated]) -> None:
    gen = generate(SHOP_SPEC)
    client = gen.client(lambda request: _json(200, [ITEM]))
    items = client.items.list(limit=10, tag="red", sort_by="price")
    (request,) = gen.requests
    assert request.method == "GET"
    assert request.url.scheme == "https" and request.url.host == "shop.example.com"
    assert request.url.path == "/api/items"
    assert dict(request.url.params) == {"limit": "10", "tag": "red", "sortBy": "price"}
    assert request.headers["x-api-key"] == "secret-key"
    (item,) = items
    assert isinstance(item, gen.package.models.Item)
    assert item.id == uuid.UUID(ITEM_ID)
    assert item.price_cents == 1299
    assert item.created_at == datetime.datetime(2024, 1, 31, 10, 0, tzinfo=datetime.UTC)
    assert item.tags == ["home"]


def test_optional_query_params_left_out_are_not_sent(generate: Callable[[str], Generated]) -> None:
    gen = generate(SHOP_SPEC)
    client = gen.client(lambda request: _json(200, []))
    assert client.items.list() == []
    (request,) = gen.requests
    assert request.url.query == b""


def test_invalid_parameter_is_rejected_before_sending(generate: Callable[[str], Generated]) -> None:
    gen = generate(SHOP_SPEC)
    client = gen.client(lambda request: _json(200, []))
    with pytest.raises(gen.package.errors.ParameterError):
        client.items.list(limit=0)
    with pytest.raises(gen.package.errors.ParameterError):
        client.items.list(sort_by="colour")
    assert gen.requests == []


def test_create_item_from_keyword_fields_sends_json_and_parses_201(generate: Callable[[str], Generated]) -> None:
    gen = generate(SHOP_SPEC)
    client = gen.client(lambda request: _json(201, ITEM))
    item = client.items.create(name="Lamp", price_cents=1299)
    (request,) = gen.requests
    assert request.method == "POST"
    assert request.url.path == "/api/items"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {"name": "Lamp", "priceCents": 1299}
    assert isinstance(item, gen.package.models.Item)
    assert item.name == "Lamp" and item.id == uuid.UUID(ITEM_ID)


def test_create_item_from_a_model(generate: Callable[[str], Generated]) -> None:
    gen = generate(SHOP_SPEC)
    client = gen.client(lambda request: _json(201, ITEM))
    body = gen.package.models.NewItem(name="Lamp", price_cents=5, tags=["a"])
    client.items.create(body=body)
    (request,) = gen.requests
    assert json.loads(request.content) == {"name": "Lamp", "priceCents": 5, "tags": ["a"]}


def test_invalid_body_is_rejected_before_sending(generate: Callable[[str], Generated]) -> None:
    gen = generate(SHOP_SPEC)
    client = gen.client(lambda request: _json(201, ITEM))
    with pytest.raises((gen.package.errors.ParameterError, ValueError)):
        client.items.create(name="x" * 51, price_cents=1)
    assert gen.requests == []


def test_documented_error_status_raises_with_the_parsed_body(generate: Callable[[str], Generated]) -> None:
    gen = generate(SHOP_SPEC)
    client = gen.client(lambda request: _json(404, {"message": "no such item"}))
    with pytest.raises(gen.package.errors.NotFoundError) as caught:
        client.items.get("item/1 2")
    assert caught.value.status_code == 404
    assert isinstance(caught.value.body, gen.package.models.Error)
    assert caught.value.body.message == "no such item"
    (request,) = gen.requests
    assert request.url.raw_path == b"/api/items/item%2F1%202"
    assert "secret-key" not in str(caught.value) and "secret-key" not in repr(caught.value)


def test_undocumented_error_status_raises_with_the_raw_body(generate: Callable[[str], Generated]) -> None:
    gen = generate(SHOP_SPEC)
    client = gen.client(lambda request: _json(409, {"detail": "busy"}))
    with pytest.raises(gen.package.errors.ConflictError) as caught:
        client.items.get("1")
    assert caught.value.body == {"detail": "busy"}
    assert isinstance(caught.value, gen.package.errors.APIStatusError)


def test_204_returns_none(generate: Callable[[str], Generated]) -> None:
    gen = generate(SHOP_SPEC)
    client = gen.client(lambda request: httpx.Response(204))
    assert client.items.delete("abc") is None
    (request,) = gen.requests
    assert request.method == "DELETE"
    assert request.url.path == "/api/items/abc"


def test_api_key_and_base_url_come_from_the_environment(
    generate: Callable[[str], Generated], monkeypatch: pytest.MonkeyPatch
) -> None:
    gen = generate(SHOP_SPEC)
    prefix = gen.name.upper()
    monkeypatch.setenv(f"{prefix}_API_KEY", "from-env")
    monkeypatch.setenv(f"{prefix}_BASE_URL", "http://127.0.0.1:4010")
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(204)

    client = gen.package.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    client.items.delete("x")
    assert str(requests[0].url) == "http://127.0.0.1:4010/items/x"
    assert requests[0].headers["x-api-key"] == "from-env"
    assert "from-env" not in repr(client)


async def test_async_client(generate: Callable[[str], Generated]) -> None:
    gen = generate(SHOP_SPEC)
    client = gen.async_client(lambda request: _json(201, ITEM))
    item = await client.items.create(name="Lamp", price_cents=1299)
    assert isinstance(item, gen.package.models.Item)
    (request,) = gen.requests
    assert json.loads(request.content) == {"name": "Lamp", "priceCents": 1299}
    assert request.headers["x-api-key"] == "secret-key"
    await client.close()


def test_generated_package_passes_mypy_strict(generate: Callable[[str], Generated]) -> None:
    gen = generate(SHOP_SPEC)
    usage = gen.out / f"use_{gen.name}.py"
    usage.write_text(
        textwrap.dedent(
            f"""\
            from __future__ import annotations

            import uuid

            from {gen.name} import AsyncClient, Client, errors, models


            def use(client: Client) -> int:
                items: list[models.Item] = client.items.list(limit=5, tag="x", sort_by="name")
                created: models.Item = client.items.create(name="n", price_cents=1)
                again: models.Item = client.items.create(body=models.NewItem(name="n", price_cents=1))
                one: models.Item = client.items.get("id")
                client.items.delete("id")
                ident: uuid.UUID = one.id
                assert ident.version == 4
                try:
                    client.items.get("missing")
                except errors.NotFoundError as exc:
                    return exc.status_code
                return len(items) + created.price_cents + again.price_cents


            async def use_async(client: AsyncClient) -> models.Item:
                return await client.items.get("id")
            """
        ),
        encoding="utf-8",
    )
    checked = _mypy(gen.out, gen.name, usage.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# -- names the generated code itself uses --------------------------------------------------

CLASH_SPEC = """\
openapi: 3.1.0
info:
  title: Clash
  version: '1'
servers:
  - url: https://clash.example.com
paths:
  /chat:
    post:
      operationId: chat
      parameters:
        - name: httpx
          in: query
          schema:
            type: string
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ChatRequest'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ChatRequest'
components:
  schemas:
    ChatRequest:
      type: object
      required: [models, prompt]
      properties:
        models:
          type: array
          items:
            type: string
        prompt:
          type: string
        build_body:
          type: string
"""


def test_body_fields_named_like_generated_module_names_work(generate: Callable[[str], Generated]) -> None:
    # Body fields become keyword arguments; a field called `models` (common in AI APIs)
    # must not shadow the generated `models` module inside the method.
    gen = generate(CLASH_SPEC)
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        requests.append(request)
        return _json(200, {"models": ["m"], "prompt": "hi"})

    client = gen.package.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    result = client.chat.chat(models=["gpt"], prompt="hi", httpx="q")
    assert json.loads(requests[0].content) == {"models": ["gpt"], "prompt": "hi"}
    assert dict(requests[0].url.params) == {"httpx": "q"}
    assert result.models == ["m"]


def test_package_with_clashing_names_passes_mypy_strict(generate: Callable[[str], Generated]) -> None:
    gen = generate(CLASH_SPEC)
    checked = _mypy(gen.out, gen.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
