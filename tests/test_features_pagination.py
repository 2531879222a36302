"""Auto-pagination, as a user meets it: a list method returns its first page, which is also
iterable over every item of every page (fetched lazily), sync and async, typed.

One spec holds an operation per style the generator detects (a cursor in a nested field,
Stripe's `has_more` + last id, a next URL in the body, offset, page number, the `Link`
header) and per stated form (`x-speakeasy-pagination`, `x-fern-pagination`,
`x-ms-pageable`, `x-pagination`); a fake server on httpx.MockTransport pages through seven
pets the way each style says.
"""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from feature_support import (
    Package,
    build,
    errors_of,
    generate,
    method_of,
    module_package,
    mypy_strict,
    pyright_strict,
    unique_name,
)

PET_LIST = "{type: array, items: {$ref: '#/components/schemas/Pet'}}"
SPEC = f"""\
openapi: 3.1.0
info: {{title: Paging, version: '1'}}
servers: [{{url: https://api.example.com/v1}}]
components:
  securitySchemes:
    key: {{type: apiKey, in: query, name: api_key}}
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {{type: string}}
  parameters:
    limit: {{name: limit, in: query, schema: {{type: integer}}}}
security: [{{key: []}}]
paths:
  /cursor:
    get:
      operationId: listCursor
      parameters:
        - {{name: cursor, in: query, schema: {{type: string}}}}
        - $ref: '#/components/parameters/limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {PET_LIST}
                  meta:
                    type: object
                    properties:
                      next_cursor: {{type: [string, 'null']}}
  /stripe:
    get:
      operationId: listStripe
      parameters:
        - {{name: starting_after, in: query, schema: {{type: string}}}}
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
                  object: {{type: string}}
                  url: {{type: string}}
                  data: {PET_LIST}
                  has_more: {{type: boolean}}
  /drf:
    get:
      operationId: listDrf
      parameters:
        - {{name: page, in: query, schema: {{type: integer}}}}
        - {{name: page_size, in: query, schema: {{type: integer}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  count: {{type: integer}}
                  next: {{type: [string, 'null'], format: uri}}
                  previous: {{type: [string, 'null'], format: uri}}
                  results: {PET_LIST}
  /offset:
    get:
      operationId: listOffset
      parameters:
        - {{name: offset, in: query, schema: {{type: integer}}}}
        - $ref: '#/components/parameters/limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  total: {{type: integer}}
                  results: {PET_LIST}
  /page:
    get:
      operationId: listPage
      parameters:
        - {{name: page, in: query, schema: {{type: integer}}}}
        - {{name: per_page, in: query, schema: {{type: integer}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {PET_LIST}
  /link:
    get:
      operationId: listLink
      parameters:
        - {{name: per_page, in: query, schema: {{type: integer}}}}
        - {{name: page, in: query, schema: {{type: integer}}}}
      responses:
        '200':
          description: ok
          headers:
            Link: {{schema: {{type: string}}}}
          content:
            application/json:
              schema: {PET_LIST}
  /speakeasy:
    get:
      operationId: listSpeakeasy
      x-speakeasy-pagination:
        type: offsetLimit
        inputs:
          - {{name: from, in: parameters, type: offset}}
          - {{name: limit, in: parameters, type: limit}}
        outputs: {{results: $.pets}}
      parameters:
        - {{name: from, in: query, schema: {{type: integer}}}}
        - $ref: '#/components/parameters/limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  pets: {PET_LIST}
  /fern:
    get:
      operationId: listFern
      x-fern-pagination:
        cursor: $request.token
        next_cursor: $response.continuation.token
        results: $response.pets
      parameters:
        - {{name: token, in: query, schema: {{type: string}}}}
        - $ref: '#/components/parameters/limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  pets: {PET_LIST}
                  continuation:
                    type: object
                    properties:
                      token: {{type: string}}
  /azure:
    get:
      operationId: listAzure
      x-ms-pageable: {{nextLinkName: nextLink}}
      parameters:
        - $ref: '#/components/parameters/limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  value: {PET_LIST}
                  nextLink: {{type: string}}
  /single:
    get:
      operationId: listSingle
      x-pagination: false
      parameters:
        - {{name: page, in: query, schema: {{type: integer}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {PET_LIST}
"""

PETS = [str(n) for n in range(1, 8)]


def _slice(start: int, size: int) -> list[dict[str, str]]:
    return [{"id": pet} for pet in PETS[start : start + size]]


def _after(value: str | None) -> int:
    return PETS.index(value) + 1 if value else 0


def fake_server(request: httpx.Request) -> httpx.Response:
    """Seven pets, paged the way each operation's style says (page size `limit`, 3)."""
    q = request.url.params
    size = int(q.get("limit") or q.get("per_page") or q.get("page_size") or 3)
    path = request.url.path.removeprefix("/v1")
    if path == "/cursor":
        start = int(q.get("cursor") or 0)
        more = start + size < len(PETS)
        next_cursor = str(start + size) if more else None
        return httpx.Response(200, json={"items": _slice(start, size), "meta": {"next_cursor": next_cursor}})
    if path == "/stripe":
        start = _after(q.get("starting_after"))
        return httpx.Response(200, json={"object": "list", "url": "/v1/stripe", "data": _slice(start, size),
                                         "has_more": start + size < len(PETS)})
    if path in ("/drf", "/page", "/link"):
        page = int(q.get("page") or 1)
        start = (page - 1) * size
        more = start + size < len(PETS)
        nxt = request.url.copy_merge_params({"page": page + 1}) if more else None
        if path == "/drf":
            return httpx.Response(200, json={"count": len(PETS), "next": str(nxt) if nxt else None,
                                             "previous": None, "results": _slice(start, size)})
        if path == "/page":
            return httpx.Response(200, json={"items": _slice(start, size)})
        headers = {"Link": f'<{nxt}>; rel="next", <{request.url}>; rel="first"'} if nxt else {}
        return httpx.Response(200, json=_slice(start, size), headers=headers)
    if path in ("/offset", "/speakeasy"):
        start = int(q.get("offset") or q.get("from") or 0)
        return httpx.Response(200, json={"total": len(PETS), "results": _slice(start, size),
                                         "pets": _slice(start, size)})
    if path == "/fern":
        start = _after(q.get("token"))
        more = start + size < len(PETS)
        token = {"token": PETS[start + size - 1]} if more else {}
        return httpx.Response(200, json={"pets": _slice(start, size), "continuation": token})
    if path == "/azure":
        start = int(q.get("skip") or 0)
        more = start + size < len(PETS)
        link = f"/v1/azure?skip={start + size}&limit={size}" if more else None
        return httpx.Response(200, json={"value": _slice(start, size), "nextLink": link})
    return httpx.Response(200, json={"items": _slice(0, 3)})


# (method, pages the fake server needs for seven pets at three a page)
STYLES = [
    ("cursor.list", 3),
    ("stripe.list", 3),
    ("drf.list", 3),
    ("offset.list", 4),  # offset: the short third page ends it only when limit= is given
    ("page.list", 4),
    ("link.list", 3),
    ("speakeasy.list", 4),
    ("fern.list", 3),
    ("azure.list", 3),
]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "paging", SPEC)


@pytest.mark.parametrize(("method", "pages"), STYLES)
def test_iterating_a_page_yields_every_item_of_every_page(package: Package, method: str, pages: int) -> None:
    client, recorder = package.client(fake_server, api_key="sekret")
    page = method_of(client, method)()
    assert [pet.id for pet in page.items] == PETS[:3]  # the first page only, typed
    assert isinstance(page.items[0], package.models.Pet)
    assert len(recorder.requests) == 1  # pages are fetched as the loop reaches them
    assert [pet.id for pet in page] == PETS
    assert len(recorder.requests) == pages
    # every page carries the credential, also those reached by a URL the server gave
    assert all(r.url.params["api_key"] == "sekret" for r in recorder.requests)


@pytest.mark.parametrize(("method", "pages"), STYLES)
def test_async_for_over_a_page_yields_every_item(package: Package, method: str, pages: int) -> None:
    client, recorder = package.async_client(fake_server, api_key="sekret")

    async def run() -> list[str]:
        page = await method_of(client, method)()
        return [pet.id async for pet in page]

    assert asyncio.run(run()) == PETS
    assert len(recorder.requests) == pages


@pytest.mark.parametrize(("method", "pages"), STYLES)
def test_async_for_over_the_call_itself_without_await(package: Package, method: str, pages: int) -> None:
    """As in openai-python: `async for item in aclient.files.list():`."""
    client, recorder = package.async_client(fake_server, api_key="sekret")

    async def run() -> list[str]:
        pager = method_of(client, method)()
        assert recorder.requests == []  # nothing is sent before it is awaited or looped over
        return [pet.id async for pet in pager]

    assert asyncio.run(run()) == PETS
    assert len(recorder.requests) == pages


def test_an_async_list_call_is_awaited_for_its_first_page_and_raw_response(package: Package) -> None:
    client, recorder = package.async_client(fake_server, api_key="k")

    async def run() -> None:
        pager = client.cursor.list(limit=3)
        assert "not yet fetched" in repr(pager)
        page = await pager
        assert isinstance(page, package.module.AsyncPage) and [p.id for p in page.items] == ["1", "2", "3"]
        raw = await client.with_raw_response(client.cursor.list)
        assert raw.status_code == 200 and [p.id for p in raw.parsed.items] == ["1", "2", "3"]
        async with client.with_streaming_response(client.cursor.list) as response:
            assert b'"items"' in await response.aread()

    asyncio.run(run())
    assert len(recorder.requests) == 3


def test_limit_given_ends_on_a_short_page(package: Package) -> None:
    client, recorder = package.client(fake_server, api_key="k")
    assert [p.id for p in client.offset.list(limit=3)] == PETS
    assert [r.url.params.get("offset") for r in recorder.requests] == [None, "3", "6"]


def test_next_page_and_has_next_page(package: Package) -> None:
    client, recorder = package.client(fake_server, api_key="k")
    first = client.stripe.list(limit=3)
    assert first.has_next_page()
    second = first.next_page()
    assert [p.id for p in second.items] == ["4", "5", "6"]
    assert recorder.last.url.params["starting_after"] == "3"
    assert recorder.last.url.params["limit"] == "3"  # the call's arguments are kept
    third = second.next_page()
    assert not third.has_next_page()
    with pytest.raises(RuntimeError, match="last page"):
        third.next_page()
    assert third.body.has_more is False  # the page's own body, typed
    assert third.http_response.status_code == 200
    assert [len(p.items) for p in first.iter_pages()] == [3, 3, 1]


def test_async_next_page(package: Package) -> None:
    client, _ = package.async_client(fake_server, api_key="k")

    async def run() -> list[list[str]]:
        page = await client.cursor.list()
        found = [[p.id for p in page.items]]
        while page.has_next_page():
            page = await page.next_page()
            found.append([p.id for p in page.items])
        return found

    assert asyncio.run(run()) == [["1", "2", "3"], ["4", "5", "6"], ["7"]]


def test_stated_off_is_one_plain_response(package: Package) -> None:
    client, _ = package.client(fake_server, api_key="k")
    result = client.single.list(page=2)
    assert isinstance(result, package.models.ListSingleResponse)


def test_extra_query_stays_on_every_page(package: Package) -> None:
    client, recorder = package.client(fake_server, api_key="k")
    assert len(list(client.cursor.list(extra_query={"filter": "cats"}))) == 7
    assert [r.url.params.get("filter") for r in recorder.requests] == ["cats"] * 3


def test_a_next_page_on_another_origin_is_not_followed(package: Package) -> None:
    errors = package.errors

    def elsewhere(request: httpx.Request) -> httpx.Response:
        link = '<https://evil.example.net/v1/link?page=2>; rel="next"'
        return httpx.Response(200, json=_slice(0, 3), headers={"Link": link})

    client, recorder = package.client(elsewhere, api_key="sekret")
    page = client.link.list()
    with pytest.raises(errors.APIError, match="another origin"):
        list(page)
    assert all(r.url.host == "api.example.com" for r in recorder.requests)


def test_a_repeated_cursor_ends_the_loop(package: Package) -> None:
    stuck = {"items": _slice(0, 3), "meta": {"next_cursor": "same"}}
    client, recorder = package.client(lambda request: httpx.Response(200, json=stuck), api_key="k")
    assert len(list(client.cursor.list(cursor="same"))) == 3
    assert len(recorder.requests) == 1


def test_pages_are_typed_for_mypy(package: Package) -> None:
    user = package.out / "user_paging.py"
    user.write_text(textwrap.dedent(f"""\
        from {package.name} import AsyncClient, Client, models
        from {package.name}._base import AsyncPage, SyncPage

        def names(client: Client) -> list[str]:
            page: SyncPage[models.Pet, list[models.Pet]] = client.link.list()
            first: list[models.Pet] = page.items
            return [pet.id for pet in client.stripe.list()] + [p.id for p in first]

        async def anames(client: AsyncClient) -> list[str]:
            page: AsyncPage[models.Pet, models.ListCursorResponse] = await client.cursor.list()
            every: list[models.Pet] = [pet async for pet in client.cursor.list()]
            return [pet.id async for pet in page] + [pet.id for pet in every]

        def wrong(client: Client) -> None:
            for pet in client.drf.list():
                number: int = pet

        async def awrong(client: AsyncClient) -> None:
            async for pet in client.drf.list():
                number: int = pet
    """))
    done = mypy_strict(package.out, user.name)
    assert done.returncode == 1, done.stdout
    lines = [line for line in done.stdout.splitlines() if "error" in line]
    assert len(lines) == 2, done.stdout
    assert all('Incompatible types in assignment (expression has type "Pet"' in line for line in lines)
    assert [line.split(":")[1] for line in lines] == ["16", "20"], done.stdout
    done = pyright_strict(package.out, user.name)
    lines = [line for line in done.stdout.splitlines() if " - error:" in line]
    assert {line.split(":")[1] for line in lines} == {"16", "20"}, done.stdout  # nothing else
    assert done.stdout.count('Type "Pet" is not assignable to declared type "int"') == 2, done.stdout


CONFIGURED = """\
openapi: 3.1.0
info: {title: Configured, version: '1'}
servers: [{url: https://api.example.com}]
paths:
  /search:
    post:
      operationId: search
      parameters:
        - {name: after, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  hits: {type: array, items: {type: string}}
                  last: {type: string}
  /pets:
    get:
      operationId: pets
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: {type: string}}
"""


def _configured(tmp_path: Path, table: str) -> tuple[str, Path]:
    name = unique_name("cfg")
    (tmp_path / "pyproject.toml").write_text(f"[tool.clientgen.pagination.{name}]\n{table}")
    return name, tmp_path


def test_pyproject_states_pagination_per_operation(tmp_path: Path) -> None:
    name, folder = _configured(tmp_path, textwrap.dedent("""\
        search = { style = "cursor", param = "after", next = "last", items = "hits" }
        "GET /pets" = false
    """))
    result, _ = build(folder / "specs", name, CONFIGURED)
    assert errors_of(result.diagnostics) == []
    ops = {op.call: op for op in result.clients[name].client.operations}
    assert ops["search.search"].paging is not None and ops["search.search"].paging.next == ("last",)
    assert ops["pets.pets"].paging is None  # detected otherwise, turned off


def test_a_misspelt_pagination_key_is_an_error(tmp_path: Path) -> None:
    name, folder = _configured(tmp_path, 'search = { style = "cursor", parm = "after" }\n')
    result, _ = build(folder / "specs", name, CONFIGURED, format_code=False)
    problems = errors_of(result.diagnostics)
    assert len(problems) == 1 and "unknown key 'parm'" in problems[0] and "search" in problems[0]


def test_an_x_pagination_extension_pages_a_post_search(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")  # no [tool.clientgen] from above tmp_path
    spec = CONFIGURED.replace(
        "      operationId: search\n",
        "      operationId: search\n"
        "      x-pagination: {style: cursor, param: after, next: last, items: hits}\n",
    )
    package = generate(tmp_path, "xpag", spec)

    def server(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("after")
        return httpx.Response(200, json={"hits": [after or "first"], "last": None if after else "x"})

    client, recorder = package.client(server)
    assert list(client.search.search()) == ["first", "x"]
    assert [r.method for r in recorder.requests] == ["POST", "POST"]


def test_the_client_readme_says_which_operations_are_paged(package: Package) -> None:
    readme = package.text("README.md")
    assert "`cursor.list`" in readme and "SyncPage[" in readme
    section = readme.split("### `cursor.list`", 1)[1].split("### ", 1)[0]
    assert "Paged: the result is the first page" in section


def test_editing_the_pagination_table_regenerates_that_client(tmp_path: Path) -> None:
    from cli_support import clientgen

    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "shop.yaml").write_text(CONFIGURED)
    table = '[tool.clientgen.pagination.shop]\nsearch = { style = "cursor", param = "after", next = "last", items = "hits" }\n'
    (tmp_path / "pyproject.toml").write_text(table)
    first = clientgen("generate", cwd=tmp_path, cache_dir=tmp_path / "cache")
    assert first.returncode == 0, first
    module = tmp_path / "generated" / "shop" / "resources" / "search.py"
    assert "paging=Paging(" in module.read_text()
    (tmp_path / "pyproject.toml").write_text('[tool.clientgen.pagination.shop]\nsearch = false\n')
    again = clientgen("generate", cwd=tmp_path, cache_dir=tmp_path / "cache")  # no --force
    assert again.returncode == 0, again
    assert "paging=Paging(" not in module.read_text()
    assert clientgen("check", cwd=tmp_path, cache_dir=tmp_path / "cache").returncode == 0


ROOT_LIST = """\
openapi: 3.1.0
info: {title: Root list, version: '1'}
servers: [{url: https://api.example.com}]
paths:
  /:
    get:
      operationId: everything
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: array, items: {type: string}}}}
"""


def test_a_list_method_of_the_client_itself_is_looped_over_without_await(tmp_path: Path) -> None:
    package = generate(tmp_path, "rootpaging", ROOT_LIST)
    pages = {"1": ["a", "b"], "2": ["c", "d"], "3": ["e"]}

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params.get("page", "1")])

    client, recorder = package.async_client(respond)

    async def run() -> list[str]:
        first = await client.everything(per_page=2)
        assert first.items == ["a", "b"]
        return [item async for item in client.everything(per_page=2)]

    assert asyncio.run(run()) == ["a", "b", "c", "d", "e"]
    assert [r.url.params.get("page") for r in recorder.requests] == [None, None, "2", "3"]
