"""Resources: `client.<resource>.<method>(...)`, one rule for every client.

The resource is the group extension, else the first tag, else the first path segment that is
no version or parameter (sub-resources: tests/test_features_nested_resources.py); `GET /`
stays on the client. Methods drop their resource's words
unless another method of the resource would then share the name. Each resource class has a
module of its own, imported and created on first use, then kept. Deprecated operations carry
`@deprecated` (for type checkers) and warn once, at the caller's line.
"""

from __future__ import annotations

import inspect
import sys
import textwrap
import warnings
from collections.abc import Iterator

import httpx
import pytest
from feature_support import Package, calls_of, module_package, mypy_strict

SPEC = """\
openapi: 3.1.0
info: {title: Shelter, version: '1'}
servers: [{url: 'https://shelter.test'}]
tags: [{name: pets, description: Animals up for adoption.}]
paths:
  /:
    get: {operationId: root, responses: {'204': {description: none}}}
  /v1/pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
    post:
      operationId: createPet
      tags: [pets]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
      responses: {'204': {description: none}}
  /v1/pets/{petId}:
    get:
      operationId: getPetById
      tags: [pets]
      parameters: [{name: petId, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: none}}
  /v1/pets/old:
    get: {operationId: getOldPets, tags: [pets], deprecated: true, responses: {'204': {description: none}}}
  /v1/customers:
    get: {operationId: GetCustomers, responses: {'204': {description: none}}}
  /v1/customers/{customer}:
    parameters: [{name: customer, in: path, required: true, schema: {type: string}}]
    get: {operationId: GetCustomersCustomer, responses: {'204': {description: none}}}
    delete: {operationId: DeleteCustomersCustomer, responses: {'204': {description: none}}}
  /v1/things:
    get:
      operationId: listThings
      x-speakeasy-group: inventory
      x-speakeasy-name-override: everything
      responses: {'204': {description: none}}
  /v1/widgets:
    get:
      operationId: listWidgets
      x-fern-sdk-group-name: [shop, widgets]
      x-fern-sdk-method-name: all
      responses: {'204': {description: none}}
  /events:
    get: {operationId: events_events_get, responses: {'204': {description: none}}}
  /items/{item_id}:
    get:
      operationId: read_item_items__item_id__get
      parameters: [{name: item_id, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: none}}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        nickname: {type: string, deprecated: true}
"""

CALLS = {
    "root": ("GET", "/"),
    "pets.list": ("GET", "/v1/pets"),
    "pets.create": ("POST", "/v1/pets"),
    "pets.get_by_id": ("GET", "/v1/pets/7"),
    "pets.get_old": ("GET", "/v1/pets/old"),
    # GetCustomers and GetCustomersCustomer would both be `get`: both keep their names
    "customers.get_customers": ("GET", "/v1/customers"),
    "customers.get_customers_customer": ("GET", "/v1/customers/7"),
    "customers.delete": ("DELETE", "/v1/customers/7"),
    "inventory.everything": ("GET", "/v1/things"),  # x-speakeasy-group and name override
    "shop.widgets.all": ("GET", "/v1/widgets"),  # x-fern-sdk-group-name (nested), -method-name
    "events.events": ("GET", "/events"),  # FastAPI's events_events_get
    "items.read": ("GET", "/items/7"),  # FastAPI's read_item_items__item_id__get
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "resources", SPEC)


def _respond(request: httpx.Request) -> httpx.Response:
    if (request.method, request.url.path) == ("GET", "/v1/pets"):
        return httpx.Response(200, json=["Rex"])
    return httpx.Response(204)


def _arguments(call: str) -> tuple[tuple[str, ...], dict[str, str]]:
    if call == "pets.create":
        return (), {"name": "Rex"}
    return ("7",) if "/7" in CALLS[call][1] else (), {}


def _call(client: object, call: str) -> object:
    target = client
    for part in call.split("."):
        target = getattr(target, part)
    args, kwargs = _arguments(call)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return target(*args, **kwargs)  # type: ignore[operator]


def test_every_operation_is_where_the_rule_puts_it(api: Package) -> None:
    client, recorder = api.client(_respond)
    assert calls_of(client) == set(CALLS)
    for call, (method, path) in CALLS.items():
        _call(client, call)
        assert (recorder.last.method, recorder.last.url.path) == (method, path), call


async def test_the_async_client_has_the_same_resources(api: Package) -> None:
    client, recorder = api.async_client()
    assert calls_of(client) == set(CALLS)
    assert inspect.iscoroutinefunction(client.pets.list)
    await client.pets.get_by_id("7")
    assert recorder.last.url.path == "/v1/pets/7"


def test_each_resource_class_has_a_module_made_on_first_use(api: Package) -> None:
    folder = api.out / api.name / "resources"
    assert sorted(p.name for p in folder.glob("*.py")) == [
        "__init__.py", "_root.py", "customers.py", "events.py", "inventory.py", "items.py",
        "pets.py", "shop.py", "shop_widgets.py",
    ]
    assert sorted(p.name for p in (folder / "_async").glob("*.py")) == sorted(
        p.name for p in folder.glob("*.py")
    )
    module = f"{api.name}.resources.items"
    sys.modules.pop(module, None)
    client, _ = api.client()
    assert module not in sys.modules  # creating the client imports no resource
    items = client.items
    assert module in sys.modules and type(items).__name__ == "Items"
    assert client.items is items  # kept
    other, _ = api.client()
    assert other.items is not items and other.items._client is other


def test_the_tag_description_documents_the_resource(api: Package) -> None:
    client, _ = api.client()
    assert "Animals up for adoption." in (type(client.pets).__doc__ or "")


def test_the_package_docstring_shows_its_usage_indented_as_code(api: Package) -> None:
    """black strips an indent shared by every line after the first: a usage example under
    the title alone would lose it, so a plain line stands before it."""
    doc = api.module.__doc__ or ""
    name = api.module.__name__
    assert f"\n\n    from {name} import Client, AsyncClient, errors, models\n" in doc


def test_a_deprecated_operation_is_marked_and_warns_once_at_the_callers_line(api: Package) -> None:
    text = api.text("resources/pets.py")
    assert '@deprecated("GET /v1/pets/old is deprecated by the API")' in text
    assert '@deprecated("GET /v1/pets/old' in api.text("resources/_async/pets.py")
    client, recorder = api.client(_respond)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client.pets.get_old()
    assert [str(w.message) for w in caught] == ["GET /v1/pets/old is deprecated by the API"]
    assert caught[0].category is DeprecationWarning and caught[0].filename == __file__
    assert len(recorder.requests) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert client.pets.list() == ["Rex"]  # not deprecated: no warning


def test_the_readme_lists_resources_and_what_is_deprecated(api: Package) -> None:
    readme = api.text("README.md")
    assert "| `pets.list` | `GET /v1/pets` |" in readme
    assert "client.pets.get_by_id('7')" not in readme  # no example value: `...`
    assert "client.pets.get_by_id(...)" in readme
    deprecated = readme.split("## Deprecated")[1]
    assert "- `client.pets.get_old` (`GET /v1/pets/old`)" in deprecated
    assert "- `models.Pet` field `nickname`" in deprecated


def test_type_checkers_know_the_resources_and_flag_deprecated_calls(api: Package) -> None:
    script = api.out / f"use_{api.name}.py"
    script.write_text(textwrap.dedent(f"""\
        from {api.name} import Client

        client = Client(base_url="http://127.0.0.1:9")
        names: list[str] = client.pets.list()
        client.pets.create(name="Rex")
        client.items.read("1")
        client.root()
        client.pets.get_old()
        client.pets.lst()
        """))
    done = mypy_strict(api.out, "--enable-error-code", "deprecated", script.name)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 2, done.stdout
    assert ":8: error:" in errors[0] and "deprecated" in errors[0], done.stdout
    assert ':9: error: "Pets" has no attribute "lst"' in errors[1], done.stdout


def test_the_largest_module_is_one_resource(api: Package) -> None:
    """The client module holds no operation: only the constructor and the resources."""
    text = api.text("_client.py")
    assert "def list(" not in text and "Endpoint(" not in text
    assert "def pets(self) -> Pets:" in text


def test_a_method_named_list_comes_last_so_annotations_still_mean_the_builtin(api: Package) -> None:
    text = api.text("resources/pets.py")
    methods = [line.split("def ")[1].split("(")[0] for line in text.splitlines() if "    def " in line]
    assert methods[-1] == "list"


def test_a_resource_call_is_sent_through_the_client_transport(api: Package) -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(204)))
    client = api.module.Client(http_client=http, base_url="http://elsewhere.test/base")
    client.customers.delete("c 1")
    assert str(seen[0].url) == "http://elsewhere.test/base/v1/customers/c%201"


def test_path_segments_that_name_no_resource() -> None:
    """Versions, `api` and parameters are skipped; nothing left: the client's own method."""
    from generator.lower.names import path_resource

    assert path_resource("/v1/customers/{id}") == "customers"
    assert path_resource("/api/v2beta/tasks") == "tasks"
    assert path_resource("/2024-01-01/orders") == "orders"
    assert path_resource("/{tenant}/") is None
    assert path_resource("/") is None


RUNTIME_NAMES = """\
openapi: 3.1.0
info: {title: Clash, version: '1'}
servers: [{url: 'https://clash.test'}]
paths:
""" + "".join(f"""\
  /{name}:
    get:
      operationId: list{name.title()}
      parameters: [{{name: cursor, in: query, schema: {{type: string}}}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {{type: array, items: {{type: string}}}}
                  next_cursor: {{type: [string, 'null']}}
""" for name in ("paging", "events", "stream", "page"))


def test_resources_named_like_the_runtime_classes_keep_pages_working(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    pages = iter([{"data": ["a"], "next_cursor": "2"}, {"data": ["b"], "next_cursor": None}] * 4)
    for api in module_package(tmp_path_factory, "clash", RUNTIME_NAMES):
        client, _ = api.client(lambda request: httpx.Response(200, json=next(pages)))
        for name in ("paging", "events", "stream", "page"):
            assert list(getattr(client, name).list()) == ["a", "b"], name
        done = mypy_strict(api.out, api.name)
        assert done.returncode == 0, done.stdout + done.stderr
