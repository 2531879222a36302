"""OpenAPI 3.0 inheritance: a base object with a `discriminator` whose subtypes name it in
their `allOf` (`Cat: allOf: [$ref: Pet, {...}]`), with no `oneOf` anywhere. Wherever the base
is referenced, the value may be any subtype: the client parses each by its tag (mapping keys,
else the component name), keeps an unknown tag in responses, and sends a subtype's tag."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from feature_support import forget, generate, method_of, mypy_strict

SPEC = """\
openapi: 3.0.3
info: {title: Inheritance, version: '1'}
servers: [{url: 'https://inheritance.example.com'}]
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: pets
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '201':
          description: the pet
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [petType, name]
      properties:
        petType: {type: string}
        name: {type: string}
        friend: {$ref: '#/components/schemas/Pet'}
      discriminator:
        propertyName: petType
        mapping:
          cat: '#/components/schemas/Cat'
          dog: Dog
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          properties:
            huntingSkill: {type: string, enum: [clueless, lazy, aggressive]}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          required: [packSize]
          properties:
            packSize: {type: integer, minimum: 0}
    Lizard:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          properties:
            lovesRocks: {type: boolean}
"""

PETS = [
    {"petType": "cat", "name": "Tom", "huntingSkill": "lazy"},
    {"petType": "dog", "name": "Rex", "packSize": 3,
     "friend": {"petType": "Lizard", "name": "Liz", "lovesRocks": True}},
    {"petType": "axolotl", "name": "Axl", "gills": 6},
]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    made = generate(tmp_path_factory.mktemp("inheritance"), "inheritance", SPEC)
    yield made
    forget(made)


def test_a_referenced_base_is_parsed_as_the_subtype_its_tag_names(package: Any) -> None:
    client, _ = package.client(lambda request: httpx.Response(200, json=PETS))
    cat, dog, other = method_of(client, "pets.list")()
    models = package.models
    assert isinstance(cat, models.Cat) and cat.hunting_skill == "lazy"
    assert isinstance(dog, models.Dog) and dog.pack_size == 3
    # A field of the base referring to the base is polymorphic too; Lizard's tag is its name.
    assert isinstance(dog.friend, models.Lizard) and dog.friend.loves_rocks is True
    assert isinstance(other, models.UnknownVariant) and other.model_extra["gills"] == 6


def test_a_subtype_sent_carries_its_tag_and_an_unknown_tag_is_refused(package: Any) -> None:
    client, recorder = package.client(lambda request: httpx.Response(201, json=PETS[1]))
    created = method_of(client, "pets.create")(body={"petType": "dog", "name": "Rex", "packSize": 2})
    assert recorder.last.content == b'{"petType":"dog","name":"Rex","packSize":2}'
    assert isinstance(created, package.models.Dog)
    method_of(client, "pets.create")(body=package.models.Cat(pet_type="cat", name="Tom"))
    assert recorder.last.content == b'{"petType":"cat","name":"Tom"}'
    sent = len(recorder.requests)
    with pytest.raises(package.errors.ParameterError):
        method_of(client, "pets.create")(body={"petType": "axolotl", "name": "Axl"})
    with pytest.raises(package.errors.ParameterError, match="packSize"):
        method_of(client, "pets.create")(body={"petType": "dog", "name": "Rex"})
    assert len(recorder.requests) == sent


def test_the_subtype_union_type_checks(package: Any) -> None:
    assert "AnyPet" in package.text("models.py")
    done = mypy_strict(package.out, "-p", package.name)
    assert done.returncode == 0, done.stdout + done.stderr
