"""`x-codegen-request-body-name` and `x-body-name`: the argument a whole body is passed as.

They name the body argument of operations whose body is not spread into keyword arguments
(lists, files, text, unions); an object body spread into keywords keeps `body=` for the
whole model. A name another argument has (a parameter, `timeout`, ...) is not taken.
"""

from __future__ import annotations

import inspect
import json
import textwrap
from collections.abc import Iterator

import pytest
from feature_support import Package, module_package, mypy_strict

SPEC = """\
openapi: 3.0.3
info: {title: Bodies, version: '1'}
servers: [{url: 'https://bodies.test'}]
paths:
  /pets:
    post:
      operationId: addPets
      x-codegen-request-body-name: new pets
      requestBody:
        required: true
        content: {application/json: {schema: {type: array, items: {type: string}}}}
      responses: {'204': {description: none}}
  /pets/{id}/photo:
    put:
      operationId: uploadPhoto
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        x-body-name: photo
        content: {image/png: {schema: {type: string, format: binary}}}
      responses: {'204': {description: none}}
  /pets/{id}/notes:
    post:
      operationId: addNote
      x-codegen-request-body-name: id
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content: {text/plain: {schema: {type: string}}}
      responses: {'204': {description: none}}
  /pets/{id}/tags:
    post:
      operationId: setTags
      x-codegen-request-body-name: timeout
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content: {application/json: {schema: {type: array, items: {type: string}}}}
      responses: {'204': {description: none}}
  /owners:
    post:
      operationId: createOwner
      x-codegen-request-body-name: owner
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses: {'204': {description: none}}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "body_name", SPEC)


def test_the_extension_names_the_body_argument(api: Package) -> None:
    client, recorder = api.client()
    client.pets.add(new_pets=["Rex", "Tom"])
    assert json.loads(recorder.last.content) == ["Rex", "Tom"]
    client.pets.upload_photo("7", photo=b"\x89PNG")  # x-body-name on the request body
    assert recorder.last.content == b"\x89PNG"
    assert recorder.last.headers["content-type"] == "image/png"
    assert "body" not in inspect.signature(client.pets.add).parameters
    with pytest.raises(TypeError):
        client.pets.add(body=["Rex"])


async def test_the_async_method_takes_the_same_name(api: Package) -> None:
    client, recorder = api.async_client()
    await client.pets.add(new_pets=["Rex"])
    assert json.loads(recorder.last.content) == ["Rex"]


def test_a_name_another_argument_has_leaves_it_body(api: Package) -> None:
    client, recorder = api.client()
    client.pets.add_note("7", body="hello")  # `id` is the path parameter
    assert recorder.last.content == b"hello"
    client.pets.set_tags("7", body=["a"], timeout=5)  # `timeout` is every method's
    assert json.loads(recorder.last.content) == ["a"]


def test_a_body_spread_into_keywords_keeps_body_for_the_whole_model(api: Package) -> None:
    client, recorder = api.client()
    client.owners.create(name="Ann")
    client.owners.create(body={"name": "Bob"})
    assert json.loads(recorder.last.content) == {"name": "Bob"}
    assert "owner" not in inspect.signature(client.owners.create).parameters


def test_docs_and_types_use_the_name(api: Package) -> None:
    readme = api.text("README.md")
    assert "client.pets.add(new_pets=...)" in readme
    assert "new_pets: the whole request body" in (type(api.client()[0].pets).add.__doc__ or "")
    script = api.out / f"use_{api.name}.py"
    script.write_text(textwrap.dedent(f"""\
        from {api.name} import Client

        client = Client(base_url="http://127.0.0.1:9")
        client.pets.add(new_pets=["Rex"])
        client.pets.add(new_pets="Rex")
        """))
    done = mypy_strict(api.out, api.name, script.name)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and ":5: error:" in errors[0] and '"new_pets"' in errors[0], done.stdout
