"""readOnly / writeOnly: one model for what the server sends, one for what the client sends.

`Pet` (responses) has the read-only `id` and not the write-only `secret`; `PetInput`
(requests) the other way round. The split travels: a schema that reaches `Pet` (through
arrays, unions, `allOf`, recursion) gets a request form too; one that does not stays one
model. Checked on the models, through httpx.MockTransport, with mypy --strict, and against
Prism, which validates every request and generates responses from the document.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from feature_support import (
    Package,
    build,
    json_response,
    module_package,
    mypy_strict,
    warnings_of,
)
from prism import PrismServer, violations

SPEC = r"""
openapi: 3.1.0
info: {title: Directions, version: '1'}
servers: [{url: https://pets.example.com}]
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      operationId: getPet
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
    put:
      operationId: replacePet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [pets]
              properties:
                pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
                receipt: {type: string, readOnly: true}
                shape: {$ref: '#/components/schemas/Shape'}
                tree: {$ref: '#/components/schemas/Node'}
                label: {$ref: '#/components/schemas/Label'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
  /signup:
    post:
      operationId: signUp
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Account'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Account'}
  /users:
    post:
      operationId: createUser
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/User'}
      responses:
        '204': {description: created}
  /animals:
    post:
      operationId: addAnimal
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Animal'}
      responses:
        '204': {description: added}
components:
  schemas:
    ClassVar:  # a name the models module also imports
      type: object
      properties:
        x: {type: string}
    User:
      type: object
      properties:
        userId: {type: string}
        user_id: {type: string, readOnly: true}  # its Python name would be user_id as well
    Animal:
      oneOf:
        - $ref: '#/components/schemas/Bird'
        - $ref: '#/components/schemas/Fish'
      discriminator: {propertyName: family}
    Bird:
      type: object
      required: [family]
      properties:
        family: {type: string, enum: [Bird], readOnly: true}
        wings: {type: integer}
        ringed: {type: string, readOnly: true}
    Fish:
      type: object
      required: [family]
      properties:
        family: {type: string, enum: [Fish], readOnly: true}
    Id: {type: integer, readOnly: true, minimum: 1}
    Pet:
      type: object
      required: [id, name, secret]
      properties:
        id: {$ref: '#/components/schemas/Id'}
        name: {type: string}
        secret: {type: string, writeOnly: true}
        owner:
          type: object
          required: [name]
          properties:
            id: {type: integer, readOnly: true}
            name: {type: string}
        tags: {type: array, items: {type: string}}
    Order:
      type: object
      required: [number]
      properties:
        number: {type: integer, readOnly: true}
        pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Circle'
        - $ref: '#/components/schemas/Square'
      discriminator: {propertyName: kind}
    Circle:
      type: object
      required: [kind, radius]
      properties:
        kind: {type: string, enum: [Circle]}
        radius: {type: number}
        area: {type: number, readOnly: true}
    Square:
      type: object
      required: [kind]
      properties:
        kind: {type: string, enum: [Square]}
        side: {type: number}
    Node:
      type: object
      required: [id]
      properties:
        id: {type: integer, readOnly: true}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
    Label:
      type: object
      properties:
        text: {type: string}
    Account:
      type: object
      required: [login, password]
      properties:
        login: {type: string}
        password: {type: string, writeOnly: true}
        created: {type: string, format: date-time, readOnly: true}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "directions", SPEC)


def test_the_response_model_has_read_only_fields_and_no_write_only_ones(api: Package) -> None:
    fields = api.models.Pet.model_fields
    assert set(fields) == {"id", "name", "owner", "tags"}
    assert fields["id"].is_required() and fields["name"].is_required()
    assert api.models.Pet.model_validate({"id": 9, "name": "Rex"}).id == 9
    with pytest.raises(Exception, match="id"):
        api.models.Pet.model_validate({"name": "Rex"})  # the server always sends it


def test_the_request_model_has_write_only_fields_and_no_read_only_ones(api: Package) -> None:
    fields = api.models.PetInput.model_fields
    assert set(fields) == {"name", "secret", "owner", "tags"}
    assert fields["secret"].is_required()
    assert fields["owner"].annotation == api.models.PetOwnerInput | None  # nested inline: split too
    assert set(api.models.PetOwnerInput.model_fields) == {"name"}
    assert "read-only `id`" in (api.models.PetInput.__doc__ or "")


def test_read_only_fields_given_to_a_request_model_are_dropped(api: Package) -> None:
    pet = api.models.PetInput.model_validate({"id": 3, "name": "Rex", "secret": "s", "owner": {"id": 1, "name": "Ann"}})
    assert pet.model_dump(exclude_unset=True) == {"name": "Rex", "secret": "s", "owner": {"name": "Ann"}}


def test_schemas_that_reach_a_one_way_field_are_split_and_others_are_not(api: Package) -> None:
    models = api.models
    order_fields = models.CreateOrderBody.model_fields
    assert "receipt" not in order_fields  # an inline request body drops its own read-only field
    assert order_fields["pets"].annotation == list[models.PetInput]
    assert order_fields["label"].annotation == models.Label | None  # nothing one-way: shared
    assert not hasattr(models, "LabelInput") and not hasattr(models, "SquareInput")
    assert set(models.NodeInput.model_fields) == {"children"}  # recursion keeps the request form
    assert models.NodeInput.model_fields["children"].annotation == list[models.NodeInput] | None
    shape = models.CreateOrderBody.model_validate(
        {"pets": [], "shape": {"kind": "Circle", "radius": 1.0, "area": 3.1}}).shape
    assert type(shape) is models.CircleInput and "area" not in shape.model_dump()
    assert type(models.Order.model_validate({"number": 1}).number) is int
    assert not hasattr(models, "OrderInput")  # only responses use it


def test_a_read_only_key_is_not_dropped_when_a_kept_field_has_that_name(api: Package) -> None:
    assert set(api.models.UserInput.model_fields) == {"user_id"}  # the JSON name is userId
    client, recorder = api.client()
    client.users.create(user_id="u1")
    assert json.loads(recorder.last.content) == {"userId": "u1"}
    client.users.create(body=api.models.UserInput.model_validate({"user_id": "u2"}))
    assert json.loads(recorder.last.content) == {"userId": "u2"}


def test_a_read_only_discriminator_is_still_sent(api: Package) -> None:
    assert "family" in api.models.BirdInput.model_fields and "ringed" not in api.models.BirdInput.model_fields
    assert not hasattr(api.models, "FishInput")  # only its discriminator was read-only
    client, recorder = api.client()
    client.animals.add(body=api.models.BirdInput(family="Bird", wings=2))
    assert json.loads(recorder.last.content) == {"family": "Bird", "wings": 2}


def test_a_model_named_like_an_import_is_renamed(api: Package) -> None:
    assert api.models.ClassVarModel(x="1").x == "1"


def test_keyword_arguments_are_the_request_form(api: Package) -> None:
    client, recorder = api.client(json_response(201, {"id": 9, "name": "Rex", "owner": {"id": 2, "name": "Ann"}}))
    created = client.pets.create(name="Rex", secret="s3", owner=api.models.PetOwnerInput(name="Ann"))
    assert json.loads(recorder.last.content) == {"name": "Rex", "secret": "s3", "owner": {"name": "Ann"}}
    assert type(created) is api.models.Pet and created.id == 9 and created.owner.id == 2


def test_a_fetched_model_is_sent_back_without_its_read_only_fields(api: Package) -> None:
    fetched = api.models.Pet.model_validate({"id": 9, "name": "Rex", "owner": {"id": 2, "name": "Ann"}})
    fetched.name = "Max"
    edited = api.models.PetInput.model_validate({**fetched.model_dump(exclude_unset=True), "secret": "s"})
    client, recorder = api.client(json_response(200, {"id": 9, "name": "Max"}))
    client.pets.replace(9, body=edited)
    assert json.loads(recorder.last.content) == {"name": "Max", "secret": "s", "owner": {"name": "Ann"}}


def test_a_response_model_passed_as_the_body_is_converted(api: Package) -> None:
    client, recorder = api.client(json_response(200, {"id": 9, "name": "Rex"}))
    pet = api.models.Pet.model_validate({"id": 9, "name": "Rex", "secret": "kept-extra", "owner": {"id": 2, "name": "Ann"}})
    client.pets.replace(9, body=pet)
    assert json.loads(recorder.last.content) == {"name": "Rex", "secret": "kept-extra", "owner": {"name": "Ann"}}
    without_secret = api.models.Pet.model_validate({"id": 9, "name": "Rex"})
    with pytest.raises(api.errors.ParameterError, match="secret"):
        client.pets.replace(9, body=without_secret)  # the request form requires it: nothing sent
    assert len(recorder.requests) == 1


def test_fetched_models_are_taken_at_any_depth(api: Package) -> None:
    fetched = api.models.Pet.model_validate({"id": 9, "name": "Rex", "secret": "s", "owner": {"id": 2, "name": "Ann"}})
    bodies = {"/orders": {"number": 1}, "/pets": {"id": 10, "name": "Max"}}
    client, recorder = api.client(lambda request: httpx.Response(200, json=bodies[request.url.path]))
    client.orders.create(pets=[fetched], shape=api.models.Circle(kind="Circle", radius=1.0, area=3.1))
    assert json.loads(recorder.last.content) == {
        "pets": [{"name": "Rex", "secret": "s", "owner": {"name": "Ann"}}], "shape": {"kind": "Circle", "radius": 1.0}}
    client.pets.create(name="Max", secret="t", owner=fetched.owner)
    assert json.loads(recorder.last.content)["owner"] == {"name": "Ann"}


def test_an_unrelated_model_is_not_sent_as_the_body(api: Package) -> None:
    client, recorder = api.client()
    with pytest.raises(api.errors.ParameterError):
        client.users.create(body=api.models.Label(text="not a user"))
    assert recorder.requests == []


def test_a_request_form_whose_name_is_taken_is_named_apart_with_a_warning(tmp_path: Path) -> None:
    spec = SPEC.replace("    ClassVar:  # a name", "    PetInput: {type: string}\n    ClassVar:  # a name")
    result, _ = build(tmp_path, "taken", spec, format_code=False)
    models = result.clients["taken"].files["models.py"]
    assert "class PetInput2(_Input):" in models and "PetInput: TypeAlias = str" in models
    assert any("PetInput2" in w.message and "PetInput is taken" in w.message for w in warnings_of(result.diagnostics))


def test_form_bodies_leave_out_read_only_fields(api: Package) -> None:
    client, recorder = api.client(json_response(200, {"login": "ann", "created": "2024-01-01T00:00:00Z"}))
    account = client.signup.sign_up(login="ann", password="pw")
    assert dict(httpx.QueryParams(recorder.last.content.decode())) == {"login": "ann", "password": "pw"}
    assert account.created.year == 2024 and "password" not in api.models.Account.model_fields


def test_request_and_response_forms_type_check(api: Package) -> None:
    usage = api.out / f"use_{api.name}.py"
    usage.write_text(textwrap.dedent(f"""\
        from {api.name} import Client, models


        def use(client: Client) -> int:
            pet: models.Pet = client.pets.get(1)
            client.pets.replace(pet.id, body=pet)
            sent = models.PetInput(name=pet.name, secret="s", owner=models.PetOwnerInput(name="Ann"))
            again: models.Pet = client.pets.create(body=sent)
            order: models.Order = client.orders.create(pets=[sent], tree=models.NodeInput(children=[]))
            return again.id + order.number
        """), encoding="utf-8")
    checked = mypy_strict(api.out, api.name, usage.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_prism_accepts_the_request_forms_and_responses_parse(api: Package) -> None:
    """Prism validates each request body against the document and invents responses from
    it (read-only fields included, write-only ones left out); every call must pass both ways."""
    seen: list[httpx.Response] = []
    with PrismServer(api.spec_path, dynamic=True) as prism:
        http = httpx.Client(event_hooks={"response": [seen.append]})
        client = api.module.Client(base_url=prism.base_url, max_retries=0, http_client=http)
        for _ in range(5):
            pet = client.pets.create(name="Rex", secret="s", owner=api.models.PetOwnerInput(name="Ann"))
            assert type(pet) is api.models.Pet and isinstance(pet.id, int)
            replaced = client.pets.replace(1, body=api.models.PetInput.model_validate(
                {**pet.model_dump(exclude_unset=True), "secret": "s"}))
            assert type(replaced) is api.models.Pet
            order = client.orders.create(pets=[api.models.PetInput(name="a", secret="b")],
                                        shape=api.models.CircleInput(kind="Circle", radius=2.0),
                                        # not deeper: Prism keeps readOnly `required` in recursion
                                        tree=api.models.NodeInput(children=[]))
            assert isinstance(order.number, int)
            account = client.signup.sign_up(login="ann", password="pw")
            assert account.login is not None
    assert len(seen) == 20
    for response in seen:
        complaints = [v for v in violations(response) if v.get("location", [""])[:1] != ["response"]]
        assert complaints == [], (response.request.content, complaints)
