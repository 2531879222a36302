"""Schema features, end to end: generate from an inline spec, import the models, validate data.

Two packages are generated once per module (an OpenAPI 3.1 one with most features, and a
3.0 one for `nullable` and the boolean exclusive bounds); a few tests that need a spec of
their own generate it themselves. mypy --strict runs once, over both packages and a usage
module that exercises many of the generated types.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import keyword
import textwrap
import typing
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest
from feature_support import (
    Package,
    black_cache,
    build,
    errors_of,
    forget,
    generate,
    json_response,
    mypy_strict,
    warnings_of,
)
from pydantic import TypeAdapter, ValidationError

SCHEMAS_31 = r"""
openapi: 3.1.0
info:
  title: Schemas
  version: '1'
servers:
  - url: https://schemas.example.com
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Pet'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
  /drawings:
    get:
      operationId: getDrawing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Drawing'
components:
  schemas:
    Pet:
      type: object
      required: [id, name, secret]
      properties:
        id:
          type: integer
          readOnly: true
        name:
          type: string
        secret:
          type: string
          writeOnly: true
        owner:
          type: object
          properties:
            name:
              type: string
            since:
              type: string
              format: date
        toys:
          type: array
          items:
            type: object
            required: [label]
            properties:
              label:
                type: string
    Order:
      type: object
      properties:
        item:
          type: object
          properties:
            sku:
              type: string
    OrderItem:
      type: object
      required: [quantity]
      properties:
        quantity:
          type: integer
    Maps:
      type: object
      properties:
        counts:
          type: object
          additionalProperties:
            type: integer
        free:
          type: object
          additionalProperties: true
        loose:
          type: object
          additionalProperties: {}
        pets:
          type: object
          additionalProperties:
            $ref: '#/components/schemas/OrderItem'
    Enums:
      type: object
      properties:
        color:
          type: string
          enum: [red, green]
        level:
          type: integer
          enum: [1, 2, 3]
        mixed:
          enum: [auto, 0, true]
        maybe:
          type: [string, 'null']
          enum: [up, down, null]
        fixed:
          const: fixed
        three:
          const: 3
    Unions:
      type: object
      properties:
        either:
          oneOf:
            - type: string
            - type: integer
        animal:
          anyOf:
            - $ref: '#/components/schemas/Cat'
            - $ref: '#/components/schemas/Dog'
        region:
          oneOf:
            - type: string
              enum: [us, eu]
            - type: string
              enum: [us, ca]
    Cat:
      type: object
      required: [petType]
      properties:
        petType:
          type: string
        meow:
          type: boolean
    Dog:
      type: object
      required: [petType]
      properties:
        petType:
          type: string
        bark:
          type: boolean
    PetByRef:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: petType
        mapping:
          kitty: '#/components/schemas/Cat'
          doggo: '#/components/schemas/Dog'
    PetByName:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: petType
        mapping:
          c: Cat
          d: Dog
    PetNoMapping:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: petType
    PetPartial:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: petType
        mapping:
          kitty: '#/components/schemas/Cat'
    Circle:
      type: object
      required: [kind, radius]
      properties:
        kind:
          type: integer
        radius:
          type: number
    Square:
      type: object
      required: [kind, side]
      properties:
        kind:
          type: integer
        side:
          type: number
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Circle'
        - $ref: '#/components/schemas/Square'
      discriminator:
        propertyName: kind
        mapping:
          '1': '#/components/schemas/Circle'
          '2': '#/components/schemas/Square'
    Drawing:
      type: object
      required: [shapes]
      properties:
        shapes:
          type: array
          items:
            $ref: '#/components/schemas/Shape'
        favourite:
          $ref: '#/components/schemas/PetByRef'
    Base:
      type: object
      required: [id]
      properties:
        id:
          type: string
    Extended:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [extra]
          properties:
            extra:
              type: integer
            note:
              type: string
    CycleA:
      allOf:
        - $ref: '#/components/schemas/CycleB'
        - type: object
          properties:
            a:
              type: string
    CycleB:
      allOf:
        - $ref: '#/components/schemas/CycleA'
        - type: object
          properties:
            b:
              type: string
    Node:
      type: object
      required: [value]
      properties:
        value:
          type: integer
        children:
          type: array
          items:
            $ref: '#/components/schemas/Node'
    Alpha:
      type: object
      properties:
        name:
          type: string
        beta:
          $ref: '#/components/schemas/Beta'
    Beta:
      type: object
      properties:
        name:
          type: string
        alpha:
          $ref: '#/components/schemas/Alpha'
    Expr:
      oneOf:
        - type: integer
        - type: array
          items:
            $ref: '#/components/schemas/Expr'
    Nullables:
      type: object
      required: [must]
      properties:
        must:
          type: [string, 'null']
        count:
          type: [integer, 'null']
    Booleans:
      type: object
      properties:
        anything: true
        nothing: false
    Settings:
      type: object
      properties:
        retries:
          type: integer
          default: 3
        ratio:
          type: number
          default: 0.5
        label:
          type: string
          default: anon
        enabled:
          type: boolean
          default: true
        mode:
          type: string
          enum: [fast, slow]
          default: slow
    MoreDefaults:
      type: object
      properties:
        limit:
          type: integer
          minimum: 1
          maximum: 100
          default: 20
        code:
          type: string
          maxLength: 5
          default: abc
        nick:
          type: [string, 'null']
          default: anon
    Formats:
      type: object
      properties:
        id:
          type: string
          format: uuid
        at:
          type: string
          format: date-time
        day:
          type: string
          format: date
        clock:
          type: string
          format: time
        span:
          type: string
          format: duration
        v4:
          type: string
          format: ipv4
        v6:
          type: string
          format: ipv6
        mail:
          type: string
          format: email
        link:
          type: string
          format: uri
        raw:
          type: string
          format: byte
        odd:
          type: string
          format: x-custom
        blob:
          type: string
          format: binary
    Constrained:
      type: object
      properties:
        digits:
          type: string
          pattern: '^\d+$'
        code:
          type: string
          minLength: 2
          maxLength: 4
        count:
          type: integer
          minimum: 1
          maximum: 10
        open:
          type: number
          exclusiveMinimum: 0
          exclusiveMaximum: 100
        step:
          type: integer
          multipleOf: 5
        few:
          type: array
          minItems: 1
          maxItems: 2
          items:
            type: string
        letters:
          type: string
          pattern: '^(?<=^)\p{L}+$'  # lookbehind (not linear) and \p (not Python's)
    Weird:
      type: object
      properties:
        class:
          type: string
        def:
          type: integer
        list:
          type: string
        str:
          type: integer
        bool:
          type: string
        json:
          type: string
        schema:
          type: string
        model_config:
          type: string
        2fa:
          type: boolean
        x-rate-limit:
          type: integer
        first name:
          type: string
        größe:
          type: integer
        名前:
          type: string
        active:
          type: boolean
        ACTIVE:
          type: string
        plain:
          type: string
    Field:
      type: object
      properties:
        label:
          type: string
    BaseModel:
      type: object
      properties:
        kind:
          type: string
    Any:
      type: object
      properties:
        value:
          type: integer
    Holder:
      type: object
      required: [field, base]
      properties:
        field:
          $ref: '#/components/schemas/Field'
        base:
          $ref: '#/components/schemas/BaseModel'
        any:
          $ref: '#/components/schemas/Any'
        bounded:
          type: string
          maxLength: 3
"""

SCHEMAS_30 = r"""
openapi: 3.0.3
info:
  title: Legacy
  version: '1'
servers:
  - url: https://legacy.example.com
paths: {}
components:
  schemas:
    Legacy:
      type: object
      required: [nick, score]
      properties:
        nick:
          type: string
          nullable: true
        score:
          type: number
          minimum: 0
          exclusiveMinimum: true
          maximum: 10
          exclusiveMaximum: true
        inclusive:
          type: integer
          minimum: 0
          maximum: 10
          exclusiveMinimum: false
          exclusiveMaximum: false
        level:
          type: string
          enum: [low, high, null]
          nullable: true
        tiny:
          nullable: true
          allOf:
            - $ref: '#/components/schemas/Tiny'
        mode:
          type: string
          nullable: true
          default: auto
    Tiny:
      type: object
      properties:
        a:
          type: string
"""


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.getbasetemp() / "black-cache"
    with black_cache(folder):
        yield folder


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both module-wide packages are written side by side (mypy checks them together)."""
    return tmp_path_factory.mktemp("schemas")


@pytest.fixture(scope="module")
def api(workdir: Path, cache_dir: Path) -> Iterator[Package]:
    package = generate(workdir, "schemas", SCHEMAS_31)
    yield package
    forget(package)


@pytest.fixture(scope="module")
def legacy(workdir: Path, cache_dir: Path) -> Iterator[Package]:
    package = generate(workdir, "legacy", SCHEMAS_30)
    yield package
    forget(package)


def _valid(tp: Any, value: Any) -> Any:
    return TypeAdapter(tp).validate_python(value)


def _invalid(tp: Any, value: Any) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(tp).validate_python(value)


# -- objects, arrays, maps -------------------------------------------------------------------


def test_objects_and_arrays_parse_nested_data(api: Package) -> None:
    pet = api.models.Pet.model_validate(
        {"id": 7, "name": "Rex", "owner": {"name": "Ann", "since": "2020-02-29"}, "toys": [{"label": "ball"}]}
    )
    assert pet.id == 7 and pet.name == "Rex"
    assert isinstance(pet.owner, api.models.PetOwner)
    assert pet.owner.since == dt.date(2020, 2, 29)
    (toy,) = pet.toys
    assert isinstance(toy, api.models.PetToysItem)
    assert toy.label == "ball"
    _invalid(api.models.Pet, {"name": "Rex", "toys": [{}]})  # toy label is required
    _invalid(api.models.Pet, {"id": 1})  # name is required


def test_typed_additional_properties_become_a_typed_dict(api: Package) -> None:
    maps = api.models.Maps.model_validate({"counts": {"a": 1, "b": 2}, "pets": {"x": {"quantity": 3}}})
    assert maps.counts == {"a": 1, "b": 2}
    assert isinstance(maps.pets["x"], api.models.OrderItem)
    assert maps.pets["x"].quantity == 3
    _invalid(api.models.Maps, {"counts": {"a": "many"}})
    _invalid(api.models.Maps, {"pets": {"x": {}}})


@pytest.mark.parametrize("field", ["free", "loose"])
def test_untyped_additional_properties_accept_anything(api: Package, field: str) -> None:
    value = {"n": 1, "s": "x", "nested": {"l": [1, None]}}
    maps = api.models.Maps.model_validate({field: value})
    assert getattr(maps, field) == value
    annotation = api.models.Maps.model_fields[field].annotation
    assert typing.get_args(annotation)[0] == dict[str, Any]


# -- enums and const -------------------------------------------------------------------------


def test_string_and_integer_enums_are_literals(api: Package) -> None:
    enums = api.models.Enums.model_validate({"color": "green", "level": 2})
    assert enums.color == "green" and enums.level == 2
    _invalid(api.models.Enums, {"color": "blue"})
    _invalid(api.models.Enums, {"level": 4})
    _invalid(api.models.Enums, {"level": "2"})
    annotation = api.models.Enums.model_fields["color"].annotation
    open_enum = next(a for a in typing.get_args(annotation) if a is not type(None))
    # Literal["red", "green"] | str: a response may bring a value added later
    assert typing.get_args(typing.get_args(open_enum)[0]) == (typing.Literal["red", "green"], str)


def test_mixed_enum_accepts_each_listed_value(api: Package) -> None:
    for value in ("auto", 0, True):
        assert api.models.Enums.model_validate({"mixed": value}).mixed == value
    _invalid(api.models.Enums, {"mixed": "manual"})


def test_mixed_enum_does_not_confuse_booleans_and_numbers(api: Package) -> None:
    # JSON Schema compares enum values as JSON: 1 is not `true`, `false` is not 0.
    # Accepting them silently turns a number into a boolean (or back).
    _invalid(api.models.Enums, {"mixed": 1})
    _invalid(api.models.Enums, {"mixed": False})
    assert api.models.Enums.model_validate({"mixed": 0}).mixed == 0
    assert api.models.Enums.model_validate({"mixed": True}).mixed is True


def test_enum_with_null_is_a_literal_or_none(api: Package) -> None:
    assert api.models.Enums.model_validate({"maybe": None}).maybe is None
    assert api.models.Enums.model_validate({"maybe": "down"}).maybe == "down"
    _invalid(api.models.Enums, {"maybe": "sideways"})
    annotation = api.models.Enums.model_fields["maybe"].annotation
    open_enum, none = typing.get_args(annotation)
    assert none is type(None)
    assert typing.get_args(typing.get_args(open_enum)[0]) == (typing.Literal["up", "down"], str)


def test_const_accepts_only_its_value(api: Package) -> None:
    enums = api.models.Enums.model_validate({"fixed": "fixed", "three": 3})
    assert enums.fixed == "fixed" and enums.three == 3
    _invalid(api.models.Enums, {"fixed": "other"})
    _invalid(api.models.Enums, {"three": 4})


# -- unions and discriminators ----------------------------------------------------------------


def test_one_of_accepts_a_value_of_any_branch(api: Package) -> None:
    assert api.models.Unions.model_validate({"either": "x"}).either == "x"
    assert api.models.Unions.model_validate({"either": 3}).either == 3
    _invalid(api.models.Unions, {"either": [1]})


def test_any_of_of_models_parses_into_a_branch_model(api: Package) -> None:
    dog = api.models.Unions.model_validate({"animal": {"petType": "dog", "bark": True}}).animal
    assert isinstance(dog, (api.models.Cat, api.models.Dog))
    assert dog.pet_type == "dog"
    _invalid(api.models.Unions, {"animal": {"bark": True}})  # petType is required in both


def test_overlapping_one_of_is_a_warning_and_accepts_the_shared_value(api: Package) -> None:
    warnings = [d for d in warnings_of(api.diagnostics) if "overlap" in d.message]
    assert [d.pointer for d in warnings] == ["/components/schemas/Unions/properties/region/oneOf"]
    assert errors_of(api.diagnostics) == []
    for value in ("us", "eu", "ca"):
        assert api.models.Unions.model_validate({"region": value}).region == value
    _invalid(api.models.Unions, {"region": "fr"})


@pytest.mark.parametrize(
    ("alias", "tag", "branch"),
    [
        ("PetByRef", "kitty", "Cat"),
        ("PetByRef", "doggo", "Dog"),
        ("PetByName", "c", "Cat"),
        ("PetByName", "d", "Dog"),
        ("PetNoMapping", "Cat", "Cat"),
        ("PetNoMapping", "Dog", "Dog"),
        ("PetPartial", "kitty", "Cat"),
        ("PetPartial", "Dog", "Dog"),
    ],
)
def test_discriminator_picks_the_class_from_raw_json(api: Package, alias: str, tag: str, branch: str) -> None:
    value = _valid(getattr(api.models, alias), {"petType": tag, "meow": True, "bark": True})
    assert type(value) is getattr(api.models, branch)
    assert value.pet_type == tag


@pytest.mark.parametrize(("alias", "tag"), [("PetByRef", "doggo"), ("PetByName", "d"), ("PetNoMapping", "Dog")])
def test_discriminator_accepts_a_model_instance(api: Package, alias: str, tag: str) -> None:
    dog = api.models.Dog(pet_type=tag, bark=False)
    value = _valid(getattr(api.models, alias), dog)
    assert type(value) is api.models.Dog
    assert value.pet_type == tag and value.bark is False


@pytest.mark.parametrize(
    ("alias", "tag"),
    [("PetByRef", "bird"), ("PetByName", "Cat"), ("PetNoMapping", "cat"), ("PetPartial", "doggo")],
)
def test_discriminator_rejects_an_unknown_tag(api: Package, alias: str, tag: str) -> None:
    _invalid(getattr(api.models, alias), {"petType": tag})


def test_integer_discriminator_tags(api: Package) -> None:
    circle = _valid(api.models.Shape, {"kind": 1, "radius": 2.5})
    square = _valid(api.models.Shape, {"kind": 2, "side": 3})
    assert type(circle) is api.models.Circle and circle.radius == 2.5
    assert type(square) is api.models.Square and square.side == 3.0
    again = _valid(api.models.Shape, api.models.Square(kind=2, side=1.0))
    assert type(again) is api.models.Square
    _invalid(api.models.Shape, {"kind": 3, "side": 1})
    _invalid(api.models.Shape, {"kind": 1, "side": 1})  # a circle needs its radius


def test_discriminated_unions_inside_a_response(api: Package) -> None:
    body = {"shapes": [{"kind": 2, "side": 4}, {"kind": 1, "radius": 1}], "favourite": {"petType": "kitty"}}
    client, recorder = api.client(json_response(200, body))
    drawing = client.drawings.get()
    assert isinstance(drawing, api.models.Drawing)
    assert [type(s).__name__ for s in drawing.shapes] == ["Square", "Circle"]
    assert isinstance(drawing.favourite, api.models.Cat)
    assert recorder.last.url == "https://schemas.example.com/drawings"


# -- allOf and recursion -----------------------------------------------------------------------


def test_all_of_merges_properties_and_required(api: Package) -> None:
    extended = api.models.Extended.model_validate({"id": "a", "extra": 1, "note": "n"})
    assert (extended.id, extended.extra, extended.note) == ("a", 1, "n")
    _invalid(api.models.Extended, {"id": "a"})  # extra is required by the second part
    _invalid(api.models.Extended, {"extra": 1})  # id is required by the referenced base
    assert api.models.Extended(id="a", extra=2).note is None


def test_all_of_cycle_is_generated_with_both_parts(api: Package) -> None:
    a = api.models.CycleA.model_validate({"a": "1", "b": "2"})
    b = api.models.CycleB.model_validate({"a": "3", "b": "4"})
    assert (a.a, a.b, b.a, b.b) == ("1", "2", "3", "4")
    assert set(api.models.CycleA.model_fields) == {"a", "b"}


def test_recursive_schema_validates_nested_data(api: Package) -> None:
    tree = api.models.Node.model_validate(
        {"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}, {"value": 4}]}
    )
    assert [c.value for c in tree.children] == [2, 4]
    grandchild = tree.children[0].children[0]
    assert isinstance(grandchild, api.models.Node) and grandchild.value == 3
    _invalid(api.models.Node, {"value": 1, "children": [{"children": []}]})


def test_mutually_recursive_schemas_validate_nested_data(api: Package) -> None:
    alpha = api.models.Alpha.model_validate({"name": "a1", "beta": {"name": "b", "alpha": {"name": "a2"}}})
    assert isinstance(alpha.beta, api.models.Beta)
    assert isinstance(alpha.beta.alpha, api.models.Alpha)
    assert alpha.beta.alpha.name == "a2"


def test_alias_referring_to_itself_through_one_of(api: Package) -> None:
    assert _valid(api.models.Expr, 7) == 7
    assert _valid(api.models.Expr, [1, [2, [3]]]) == [1, [2, [3]]]
    _invalid(api.models.Expr, "seven")


# -- nullability and boolean schemas ------------------------------------------------------------


def test_type_array_with_null(api: Package) -> None:
    required_null = api.models.Nullables.model_validate({"must": None, "count": None})
    assert required_null.must is None and required_null.count is None
    assert api.models.Nullables.model_validate({"must": "x", "count": 2}).count == 2
    _invalid(api.models.Nullables, {})  # must is required even though it may be null
    _invalid(api.models.Nullables, {"must": 1.5})


def test_nullable_3_0(legacy: Package) -> None:
    model = legacy.models.Legacy.model_validate({"nick": None, "score": 5, "level": None, "tiny": None})
    assert model.nick is None and model.level is None and model.tiny is None
    model = legacy.models.Legacy.model_validate({"nick": "n", "score": 5, "level": "high", "tiny": {"a": "x"}})
    assert isinstance(model.tiny, legacy.models.Tiny) and model.tiny.a == "x"
    _invalid(legacy.models.Legacy, {"score": 5})  # nullable does not make it optional
    _invalid(legacy.models.Legacy, {"nick": None, "score": 5, "level": "medium"})


def test_boolean_schemas_as_properties(api: Package) -> None:
    anything = api.models.Booleans.model_validate({"anything": {"deep": [1, "x"]}})
    assert anything.anything == {"deep": [1, "x"]}
    assert api.models.Booleans.model_validate({"anything": 3}).anything == 3
    assert api.models.Booleans.model_validate({}).nothing is None
    _invalid(api.models.Booleans, {"nothing": "something"})


# -- names of inline schemas --------------------------------------------------------------------


def test_inline_schemas_are_named_from_their_place(api: Package) -> None:
    assert api.models.Pet.model_fields["owner"].annotation == api.models.PetOwner | None
    assert set(api.models.PetOwner.model_fields) == {"name", "since"}
    assert set(api.models.PetToysItem.model_fields) == {"label"}


def test_inline_names_do_not_collide_with_component_names(api: Package) -> None:
    assert set(api.models.OrderItem.model_fields) == {"quantity"}  # the component keeps its name
    order = api.models.Order.model_validate({"item": {"sku": "A-1"}})
    assert type(order.item) is not api.models.OrderItem
    assert order.item.sku == "A-1"
    assert type(order.item).__name__ in api.models.__all__


def test_inline_names_are_stable_across_runs(tmp_path: Path, cache_dir: Path) -> None:
    first, _ = build(tmp_path / "one", "stable", SCHEMAS_31)
    second, _ = build(tmp_path / "two", "stable", SCHEMAS_31)
    assert first.clients["stable"].files["models.py"] == second.clients["stable"].files["models.py"]
    assert "class PetOwner(" in first.clients["stable"].files["models.py"]


# -- defaults (readOnly / writeOnly: test_features_directions.py) ----------------------------


def test_scalar_defaults_are_field_defaults(api: Package) -> None:
    settings = api.models.Settings()
    assert (settings.retries, settings.ratio, settings.label, settings.enabled, settings.mode) == (
        3, 0.5, "anon", True, "slow",
    )
    assert api.models.Settings.model_validate({"retries": 5}).retries == 5


@pytest.mark.parametrize(
    ("package", "model", "field", "expected"),
    [
        ("api", "MoreDefaults", "limit", 20),  # a constrained integer
        ("api", "MoreDefaults", "code", "abc"),  # a constrained string
        ("api", "MoreDefaults", "nick", "anon"),  # 3.1 type: [string, 'null']
        ("legacy", "Legacy", "mode", "auto"),  # 3.0 nullable: true
    ],
)
def test_defaults_of_constrained_and_nullable_scalars(
    request: pytest.FixtureRequest, package: str, model: str, field: str, expected: Any
) -> None:
    pkg: Package = request.getfixturevalue(package)
    cls = getattr(pkg.models, model)
    assert cls.model_fields[field].default == expected
    data = {"nick": None, "score": 1} if model == "Legacy" else {}
    assert getattr(cls.model_validate(data), field) == expected


# -- formats -------------------------------------------------------------------------------------


def test_formats_map_to_python_types(api: Package) -> None:
    formats = api.models.Formats.model_validate(
        {
            "id": "6f1c2a56-8c43-4d35-a4a8-8b1f1d8b2c01",
            "at": "2024-01-31T10:00:00Z",
            "day": "2024-02-29",
            "clock": "10:20:30",
            "span": "P1DT2H",
            "v4": "10.0.0.1",
            "v6": "::1",
        }
    )
    assert formats.id == uuid.UUID("6f1c2a56-8c43-4d35-a4a8-8b1f1d8b2c01")
    assert formats.at == dt.datetime(2024, 1, 31, 10, 0, tzinfo=dt.UTC)
    assert formats.day == dt.date(2024, 2, 29)
    assert formats.clock == dt.time(10, 20, 30)
    assert formats.span == dt.timedelta(days=1, hours=2)
    assert formats.v4 == ipaddress.IPv4Address("10.0.0.1")
    assert formats.v6 == ipaddress.IPv6Address("::1")
    for field, bad in (("id", "not-a-uuid"), ("day", "2024-02-30"), ("v4", "300.1.1.1"), ("v6", "10.0.0.1")):
        _invalid(api.models.Formats, {field: bad})


def test_other_formats_stay_strings_and_binary_is_bytes(api: Package) -> None:
    values = {"mail": "not really an email", "link": "relative/path", "raw": "aGk=", "odd": "anything"}
    formats = api.models.Formats.model_validate({**values, "blob": b"\x89PNG"})
    for field, value in values.items():
        assert getattr(formats, field) == value and type(getattr(formats, field)) is str
    assert formats.blob == b"\x89PNG"
    assert typing.get_args(api.models.Formats.model_fields["blob"].annotation)[0] is bytes


# -- constraints ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        ("digits", ["0", "12345"], ["1\n", "١٢", "12a", ""]),
        ("code", ["ab", "abcd"], ["a", "abcde"]),
        ("count", [1, 10], [0, 11]),
        ("open", [0.5, 99.9], [0, 100, -1]),
        ("step", [0, 15], [3, 7]),
        ("few", [["a"], ["a", "b"]], [[], ["a", "b", "c"]]),
    ],
)
def test_constraints_are_enforced(api: Package, field: str, good: list[Any], bad: list[Any]) -> None:
    for value in good:
        assert getattr(api.models.Constrained.model_validate({field: value}), field) == value
    for value in bad:
        _invalid(api.models.Constrained, {field: value})


def test_3_0_boolean_exclusive_bounds(legacy: Package) -> None:
    base = {"nick": None}
    for score in (0.001, 9.999):
        assert legacy.models.Legacy.model_validate({**base, "score": score}).score == score
    for score in (0, 10):
        _invalid(legacy.models.Legacy, {**base, "score": score})
    # exclusiveMinimum/Maximum: false keep the bounds inclusive
    for inclusive in (0, 10):
        assert legacy.models.Legacy.model_validate({**base, "score": 1, "inclusive": inclusive}).inclusive == inclusive
    _invalid(legacy.models.Legacy, {**base, "score": 1, "inclusive": 11})


def test_pattern_python_cannot_compile_is_a_warning_and_unchecked(api: Package) -> None:
    warnings = [d for d in warnings_of(api.diagnostics) if "pattern" in d.message]
    assert [d.pointer for d in warnings] == ["/components/schemas/Constrained/properties/letters/pattern"]
    assert warnings[0].line is not None
    assert api.models.Constrained.model_validate({"letters": "123 not letters"}).letters == "123 not letters"


# -- field and model names -----------------------------------------------------------------------

WEIRD = {
    "class": "c",
    "def": 1,
    "list": "l",
    "str": 2,
    "bool": "b",
    "json": "j",
    "schema": "s",
    "model_config": "mc",
    "2fa": True,
    "x-rate-limit": 5,
    "first name": "f",
    "größe": 3,
    "名前": "n",
    "active": True,
    "ACTIVE": "A",
    "plain": "p",
}


def test_awkward_json_names_become_distinct_identifiers(api: Package) -> None:
    fields = api.models.Weird.model_fields
    assert len(fields) == len(WEIRD)
    for name in fields:
        assert name.isidentifier() and not keyword.iskeyword(name), name
        assert name.isascii(), name
    assert len({name.lower() for name in fields}) == len(fields)
    aliases = {info.validation_alias or name: name for name, info in fields.items()}
    assert set(aliases) == set(WEIRD)
    # pydantic's own attributes are untouched
    assert isinstance(api.models.Weird.model_config, dict)
    assert callable(api.models.Weird.model_json_schema)


def test_awkward_json_names_round_trip(api: Package) -> None:
    weird = api.models.Weird.model_validate(WEIRD)
    assert weird.model_dump(mode="json", exclude_unset=True) == WEIRD
    assert json.loads(weird.model_dump_json(exclude_unset=True)) == WEIRD
    assert weird.active is True
    by_python_name = {api.models.Weird.model_fields[n].validation_alias: n for n in api.models.Weird.model_fields}
    assert getattr(weird, by_python_name["ACTIVE"]) == "A"
    assert getattr(weird, by_python_name["名前"]) == "n"
    assert getattr(weird, by_python_name["str"]) == 2


def test_model_names_clashing_with_imports_are_renamed(api: Package) -> None:
    models = api.models
    assert models.Field is pydantic.Field
    assert models.BaseModel is pydantic.BaseModel
    assert models.Any is typing.Any
    assert {"FieldModel", "BaseModelModel", "AnyModel"} <= set(models.__all__)
    holder = models.Holder.model_validate(
        {"field": {"label": "L"}, "base": {"kind": "k"}, "any": {"value": 1}, "bounded": "abc"}
    )
    assert isinstance(holder.field, models.FieldModel) and holder.field.label == "L"
    assert isinstance(holder.base, models.BaseModelModel) and holder.base.kind == "k"
    assert isinstance(holder.any, models.AnyModel) and holder.any.value == 1
    _invalid(models.Holder, {"field": {}, "base": {}, "bounded": "abcd"})  # Field(max_length) still works


TAG_SPEC = """
openapi: 3.1.0
info:
  title: Tagged
  version: '1'
servers:
  - url: https://tagged.example.com
paths: {}
components:
  schemas:
    Tag:
      type: object
      properties:
        name:
          type: string
    Discriminator:
      type: object
      properties:
        rule:
          type: string
    Post:
      type: object
      required: [kind]
      properties:
        kind:
          type: string
        tags:
          type: array
          items:
            $ref: '#/components/schemas/Tag'
    Page:
      type: object
      required: [kind]
      properties:
        kind:
          type: string
        rule:
          $ref: '#/components/schemas/Discriminator'
    Content:
      oneOf:
        - $ref: '#/components/schemas/Post'
        - $ref: '#/components/schemas/Page'
      discriminator:
        propertyName: kind
"""


def test_component_names_clashing_with_discriminator_imports(tmp_path: Path, cache_dir: Path) -> None:
    # A component called `Tag` is common (the Petstore has one); with a discriminator in the
    # same spec, models.py also imports pydantic's `Tag` and `Discriminator`.
    package = generate(tmp_path, "tagged", TAG_SPEC)
    try:
        post = _valid(package.models.Content, {"kind": "Post", "tags": [{"name": "news"}]})
        assert type(post).__name__ == "Post"
        assert post.tags[0].name == "news"
        page = _valid(package.models.Content, {"kind": "Page", "rule": {"rule": "r"}})
        assert page.rule.rule == "r"
    finally:
        forget(package)


# -- the packages type-check ---------------------------------------------------------------------


def test_generated_models_pass_mypy_strict(api: Package, legacy: Package) -> None:
    usage = api.out / f"use_{api.name}.py"
    usage.write_text(
        textwrap.dedent(
            f"""\
            from __future__ import annotations

            import datetime
            import ipaddress
            import uuid

            from {api.name} import Client, models
            from {legacy.name} import models as legacy_models


            def use(client: Client) -> int:
                pet: models.Pet = client.pets.create(name="Rex", secret="s")
                owner: models.PetOwner | None = pet.owner
                since: datetime.date | None = owner.since if owner else None
                drawing: models.Drawing = client.drawings.get()
                shapes: list[models.Circle | models.Square | models.UnknownVariant] = list(drawing.shapes)
                node = models.Node(value=1, children=[models.Node(value=2)])
                kids: list[models.Node] | None = node.children
                formats = models.Formats(id=uuid.uuid4(), v4=ipaddress.IPv4Address("10.0.0.1"))
                ident: uuid.UUID | None = formats.id
                blob: bytes | None = formats.blob
                settings = models.Settings()
                retries: int | None = settings.retries
                counts: dict[str, int] | None = models.Maps().counts
                expr: models.Expr = [1, [2]]
                weird = models.Weird(class_="c", active_2="A")
                holder = models.Holder(field=models.FieldModel(), base=models.BaseModelModel())
                old = legacy_models.Legacy(nick=None, score=1.0)
                assert since is None or ident is None or blob is None or kids is None
                return len(shapes) + (retries or 0) + len(counts or {{}}) + len(str(expr)) + len(
                    str(weird.class_) + str(holder.field.label) + str(old.nick)
                )
            """
        ),
        encoding="utf-8",
    )
    assert legacy.out == api.out
    checked = mypy_strict(api.out, api.name, legacy.name, usage.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
