"""Pagination against Prism: the generated client pages through the mock server started
from its own openapi.json, and Prism validates every page's request (the cursor, offset
and page arguments the page object fills in against their schemas). Prism answers each
page with the same documented example, so cursors repeat (the loop must end) and
offset/page lists never run dry (read with islice: pages are fetched lazily).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from feature_support import Package, method_of, module_package
from prism import PrismServer

pytestmark = pytest.mark.prism

PET = "{type: object, required: [id], properties: {id: {type: string, pattern: '^[a-z]+$'}}}"
SPEC = f"""\
openapi: 3.1.0
info: {{title: Prism paging, version: '1'}}
servers: [{{url: https://api.example.com}}]
components:
  parameters:
    limit: {{name: limit, in: query, schema: {{type: integer, minimum: 1, maximum: 10}}}}
paths:
  /stripe-pets:
    get:
      operationId: listStripePets
      parameters:
        - {{name: starting_after, in: query, schema: {{type: string, pattern: '^[a-z]+$'}}}}
        - $ref: '#/components/parameters/limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data, has_more]
                properties:
                  data: {{type: array, items: {PET}}}
                  has_more: {{type: boolean}}
              example: {{data: [{{id: ant}}, {{id: bee}}], has_more: true}}
  /offset-pets:
    get:
      operationId: listOffsetPets
      parameters:
        - {{name: offset, in: query, schema: {{type: integer, minimum: 0, maximum: 6}}}}
        - $ref: '#/components/parameters/limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  results: {{type: array, items: {PET}}}
              example: {{results: [{{id: ant}}, {{id: bee}}]}}
  /numbered-pets:
    get:
      operationId: listNumberedPets
      parameters:
        - {{name: page, in: query, schema: {{type: integer, minimum: 1, maximum: 4}}}}
        - {{name: per_page, in: query, schema: {{type: integer, enum: [2, 50]}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {{type: array, items: {PET}}}
              example: {{items: [{{id: ant}}, {{id: bee}}]}}
  /linked-pets:
    get:
      operationId: listLinkedPets
      parameters:
        - {{name: page, in: query, schema: {{type: integer, minimum: 1}}}}
      responses:
        '200':
          description: ok
          headers:
            Link:
              schema: {{type: string}}
              example: '</linked-pets?page=2>; rel="next"'
          content:
            application/json:
              schema: {{type: array, items: {PET}}}
              example: [{{id: ant}}, {{id: bee}}]
  /url-pets:
    get:
      operationId: listUrlPets
      parameters:
        - {{name: page, in: query, schema: {{type: integer, minimum: 1}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  next: {{type: [string, 'null'], format: uri-reference}}
                  results: {{type: array, items: {PET}}}
              example: {{next: /url-pets?page=2, results: [{{id: ant}}, {{id: bee}}]}}
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "prismpaging", SPEC)


@pytest.fixture(scope="module")
def prism(package: Package) -> Iterator[PrismServer]:
    with PrismServer(package.out / package.name / "openapi.json") as server:
        yield server


def client(package: Package, prism: PrismServer) -> tuple[Any, list[httpx.Request]]:
    sent: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [sent.append]})
    return package.module.Client(base_url=prism.base_url, max_retries=0, http_client=http), sent


def test_a_repeated_cursor_ends_the_list(package: Package, prism: PrismServer) -> None:
    made, sent = client(package, prism)
    assert [p.id for p in made.stripe_pets.list(limit=2)] == ["ant", "bee", "ant", "bee"]
    assert [r.url.params.get("starting_after") for r in sent] == [None, "bee"]


@pytest.mark.parametrize(
    ("method", "arguments", "param", "expected"),
    [
        ("offset_pets.list", {"limit": 2}, "offset", [None, "2", "4", "6"]),
        ("numbered_pets.list", {"per_page": 2}, "page", [None, "2", "3", "4"]),
    ],
)
def test_pages_are_requested_as_the_loop_reaches_them(
    package: Package, prism: PrismServer, method: str, arguments: dict[str, int], param: str, expected: list[str | None]
) -> None:
    made, sent = client(package, prism)
    items = list(itertools.islice(method_of(made, method)(**arguments), 7))
    assert len(items) == 7 and {p.id for p in items} == {"ant", "bee"}
    assert [r.url.params.get(param) for r in sent] == expected


def test_a_short_page_ends_the_list(package: Package, prism: PrismServer) -> None:
    made, sent = client(package, prism)
    assert len(list(made.numbered_pets.list(per_page=50))) == 2
    assert len(sent) == 1


@pytest.mark.parametrize("method", ["linked_pets.list", "url_pets.list"])
def test_next_page_urls_from_the_server_are_followed(package: Package, prism: PrismServer, method: str) -> None:
    made, sent = client(package, prism)
    assert len(list(method_of(made, method)())) == 4
    assert [str(r.url).removeprefix(prism.base_url) for r in sent][1:] == [
        f"/{method.removesuffix('.list').replace('_', '-')}?page=2"
    ]


def test_async_pages_against_prism(package: Package, prism: PrismServer) -> None:
    async def run() -> list[str]:
        async with package.module.AsyncClient(base_url=prism.base_url, max_retries=0) as made:
            page = await made.stripe_pets.list(limit=2)
            return [p.id async for p in page]

    assert asyncio.run(run()) == ["ant", "bee", "ant", "bee"]


def test_async_for_over_a_list_call_without_await_against_prism(package: Package, prism: PrismServer) -> None:
    """`async for pet in aclient.x.list():` pages through Prism, which validates each page's
    request (the cursor the next page sends, the offset it counts on)."""
    sent: list[httpx.Request] = []

    async def hook(request: httpx.Request) -> None:
        sent.append(request)

    async def run() -> tuple[list[str], list[str]]:
        http = httpx.AsyncClient(event_hooks={"request": [hook]})
        async with package.module.AsyncClient(base_url=prism.base_url, max_retries=0, http_client=http) as made:
            cursor = [p.id async for p in made.stripe_pets.list(limit=2)]
            offset: list[str] = []
            async for pet in made.offset_pets.list(limit=2):
                offset.append(pet.id)
                if len(offset) == 5:
                    break
        await http.aclose()
        return cursor, offset

    cursor, offset = asyncio.run(run())
    assert cursor == ["ant", "bee", "ant", "bee"]
    assert offset == ["ant", "bee", "ant", "bee", "ant"]
    assert [r.url.params.get("starting_after") for r in sent[:2]] == [None, "bee"]
    assert [r.url.params.get("offset") for r in sent[2:]] == [None, "2", "4"]
