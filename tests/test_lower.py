"""Lowering (spec -> IR) through the pipeline, on small inline specs.

Each test writes a spec to tmp_path, runs `generator.pipeline.build`, and inspects the IR
(`result.clients[name].client`) and the rendered files. Where a model's behaviour matters
(constraints, formats, recursion), the rendered models.py is imported and exercised.
"""

from __future__ import annotations

import ast
import importlib.util
import itertools
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest
import yaml

from generator import pipeline
from generator.diagnostics import Diagnostic, Level
from generator.ir import Client, ModelClass, Operation
from generator.pipeline import Built

_COUNTER = itertools.count()


@pytest.fixture(autouse=True)
def _black_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "black-cache"))


@pytest.fixture
def loaded_modules() -> Iterator[list[str]]:
    names: list[str] = []
    yield names
    for name in names:
        sys.modules.pop(name, None)


def spec(version: str = "3.1.0", **sections: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": version,
        "info": {"title": "Demo", "version": "1.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {},
    }
    document.update(sections)
    return document


def ok(description: str = "ok", schema: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description}
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    return response


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def with_schemas(version: str = "3.1.0", **schemas: Any) -> dict[str, Any]:
    """A spec whose single operation returns the first schema, so every schema is lowered."""
    first = next(iter(schemas))
    paths = {"/thing": {"get": {"operationId": "getThing", "responses": {"200": ok(schema=ref(first))}}}}
    return spec(version, paths=paths, components={"schemas": schemas})


def build(tmp_path: Path, document: dict[str, Any] | str, name: str = "demo") -> tuple[Built, list[Diagnostic]]:
    path = tmp_path / f"{name}.yaml"
    text = document if isinstance(document, str) else yaml.safe_dump(document, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    result = pipeline.build(path, tmp_path)
    errors = [d.render() for d in result.diagnostics if d.level is Level.ERROR]
    assert errors == [], errors
    assert list(result.clients) == [name]
    return result.clients[name], result.diagnostics


def build_page(tmp_path: Path, pages: dict[str, tuple[str, dict[str, Any]]], client: str = "docs") -> Built:
    folder = tmp_path / "specs" / client
    folder.mkdir(parents=True)
    for filename, (title, document) in pages.items():
        body = yaml.safe_dump(document, sort_keys=False)
        (folder / filename).write_text(f"# {title}\n\n```yaml\n{body}```\n", encoding="utf-8")
    result = pipeline.build(tmp_path / "specs", tmp_path)
    assert [d.render() for d in result.diagnostics if d.level is Level.ERROR] == []
    return result.clients[client]


def classes(client: Client) -> dict[str, ModelClass]:
    return {c.name: c for c in client.classes}


def fields(client: Client, model: str) -> dict[str, Any]:
    return {f.json_name: f for f in classes(client)[model].fields}


def operation(client: Client, name: str) -> Operation:
    found = {op.flat: op for op in client.operations}
    assert name in found, sorted(found)
    return found[name]


def warnings(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.level is Level.WARNING]


def import_models(built: Built, tmp_path: Path, loaded_modules: list[str]) -> ModuleType:
    """Import the rendered models.py on its own (it imports only pydantic and the stdlib)."""
    name = f"_clientgen_lower_models_{next(_COUNTER)}"
    path = tmp_path / f"{name}.py"
    path.write_text(built.files["models.py"], encoding="utf-8")
    module_spec = importlib.util.spec_from_file_location(name, path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    loaded_modules.append(name)
    module_spec.loader.exec_module(module)
    return module


def method_args(built: Built, aio: bool, call: str) -> ast.arguments:
    """The arguments of the method `call` (`pets.get`) names, in its sync or async module."""
    op = next(op for op in built.client.operations if op.call == call)
    group = next(g for g in built.client.groups if op in g.operations)
    tree = ast.parse(built.files[f"resources/{'_async/' if aio else ''}{group.module}.py"])
    class_name, method = (group.async_class if aio else group.sync_class), op.name
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            for item in node.body:
                if (
                    isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and item.name == method
                    and not any(isinstance(d, ast.Name) and d.id == "overload" for d in item.decorator_list)
                ):
                    return item.args
    raise AssertionError(f"{class_name}.{method} not found")


# -- operation names -----------------------------------------------------------------------


def test_operation_naming_precedence(tmp_path: Path) -> None:
    paths = {
        "/pets": {
            "get": {"operationId": "listPets", "summary": "Something else", "responses": {"200": ok()}},
            "post": {
                "operationId": "create_pet_pets_post",
                "summary": "Add a pet",
                "responses": {"201": ok()},
            },
        },
        "/pets/{petId}": {
            "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"summary": "Fetch one pet", "responses": {"200": ok()}},
            "delete": {"responses": {"204": ok()}},
            "put": {
                "operationId": "Replace_Pet_pets__pet_id__put",
                "summary": "This summary is far too long to make a good method name at all",
                "responses": {"200": ok()},
            },
        },
    }
    built, _ = build(tmp_path, spec(paths=paths))
    by_route = {(op.method, op.path): op.flat for op in built.client.operations}
    assert by_route == {
        ("GET", "/pets"): "list_pets",
        ("POST", "/pets"): "create_pet",  # the function name in a FastAPI id, before the summary
        ("GET", "/pets/{petId}"): "fetch_one_pet",
        ("DELETE", "/pets/{petId}"): "delete_pets_by_pet_id",
        ("PUT", "/pets/{petId}"): "put_pets_by_pet_id",
    }


def test_fastapi_operation_id_of_the_seed_is_not_used(tmp_path: Path) -> None:
    paths = {
        "/v1/tasks/{task_id}": {
            "delete": {
                "summary": "Delete Task",
                "operationId": "Delete_Task_v1_tasks__task_id__delete",
                "parameters": [{"name": "task_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"204": ok()},
            }
        }
    }
    built, _ = build(tmp_path, spec(paths=paths))
    (op,) = built.client.operations
    assert op.flat == "delete_task"


def test_page_title_names_an_operation_before_its_summary(tmp_path: Path) -> None:
    def page(path: str, method: str, summary: str, operation_id: str | None = None) -> dict[str, Any]:
        op: dict[str, Any] = {"summary": summary, "responses": {"200": ok()}}
        if operation_id:
            op["operationId"] = operation_id
        return spec(paths={path: {method: op}})

    built = build_page(
        tmp_path,
        {
            "a.md": ("Remove A Pet", page("/pets/a", "delete", "Delete")),
            "b.md": ("Page Title Loses", page("/pets/b", "get", "Get", operation_id="readPetB")),
        },
    )
    assert {op.path: op.flat for op in built.client.operations} == {
        "/pets/a": "remove_a_pet",
        "/pets/b": "read_pet_b",
    }


def test_comment_in_the_yaml_block_is_not_a_page_title(tmp_path: Path) -> None:
    # A page without a heading: the summary names the operation, not a YAML comment.
    folder = tmp_path / "specs" / "docs"
    folder.mkdir(parents=True)
    document = yaml.safe_dump(
        spec(paths={"/a": {"get": {"summary": "Fetch things", "responses": {"200": ok()}}}}), sort_keys=False
    )
    (folder / "a.md").write_text(f"Intro.\n\n```yaml\n# Generated from our API\n{document}```\n")
    result = pipeline.build(tmp_path / "specs", tmp_path)
    (op,) = result.clients["docs"].client.operations
    assert op.flat == "fetch_things"


def test_duplicate_names_get_unique_suffixes(tmp_path: Path) -> None:
    paths = {
        "/a": {"get": {"summary": "Fetch", "responses": {"200": ok()}}},
        "/b": {"get": {"summary": "Fetch", "responses": {"200": ok()}}},
        "/c": {"get": {"summary": "fetch", "responses": {"200": ok()}}},
        "/d": {"get": {"operationId": "close", "responses": {"200": ok()}}},
    }
    built, _ = build(tmp_path, spec(paths=paths))
    names = [op.flat for op in built.client.operations]
    assert names[:3] == ["fetch", "fetch_2", "fetch_3"]
    assert len({n.lower() for n in names}) == 4
    assert names[3] != "close"  # Client.close must stay the client's
    ast.parse(built.files["_client.py"])


# -- parameters ----------------------------------------------------------------------------


PARAM_PATHS = {
    "/orgs/{orgId}/pets/{pet-id}": {
        "parameters": [{"name": "orgId", "in": "path", "required": True, "schema": {"type": "string"}}],
        "get": {
            "operationId": "getPet",
            "parameters": [
                {"name": "pet-id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}},
                {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                {"name": "fields", "in": "query", "required": True, "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "X-Request-ID", "in": "header", "schema": {"type": "string"}},
                {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                {"name": "timeout", "in": "query", "schema": {"type": "integer"}},
            ],
            "responses": {"200": ok()},
        },
    }
}


def test_path_params_are_positional_and_the_rest_keyword_only(tmp_path: Path) -> None:
    built, _ = build(tmp_path, spec(paths=PARAM_PATHS))
    op = operation(built.client, "get_pet")
    assert [(p.name, p.wire, p.location, p.required) for p in op.positional] == [
        ("org_id", "orgId", "path", True),
        ("pet_id", "pet-id", "path", True),
    ]
    keyword = {p.wire: p for p in op.keyword}
    assert set(keyword) == {"verbose", "fields", "X-Request-ID", "session", "timeout"}
    assert keyword["fields"].required and not keyword["verbose"].required
    assert keyword["X-Request-ID"].name == "x_request_id"
    assert keyword["timeout"].name != "timeout"  # the per-call timeout argument keeps its name
    for aio in (False, True):
        args = method_args(built, aio, op.call)
        assert [a.arg for a in args.posonlyargs + args.args] == ["self", "org_id", "pet_id"]
        kwonly = [a.arg for a in args.kwonlyargs]
        assert {"verbose", "fields", "x_request_id", "session", keyword["timeout"].name} <= set(kwonly)
        assert {"timeout", "extra_headers"} <= set(kwonly)
        defaults = dict(zip(kwonly, args.kw_defaults))
        assert defaults["fields"] is None  # required: no default
        assert isinstance(defaults["verbose"], ast.Constant) and defaults["verbose"].value is None


def test_path_param_with_format_accepts_the_python_type_and_str(tmp_path: Path) -> None:
    built, _ = build(tmp_path, spec(paths=PARAM_PATHS))
    op = operation(built.client, "get_pet")
    pet_id = next(p for p in op.params if p.wire == "pet-id")
    assert "_uuid.UUID" in pet_id.type.client and "str" in pet_id.type.client
    assert pet_id.check.client == "_uuid.UUID"


# -- model fields --------------------------------------------------------------------------


def test_required_optional_and_aliased_fields(tmp_path: Path, loaded_modules: list[str]) -> None:
    pet = {
        "type": "object",
        "required": ["petName", "id"],
        "properties": {
            "id": {"type": "integer"},
            "petName": {"type": "string"},
            "createdAt": {"type": "string"},
            "tag": {"type": "string", "default": "none"},
        },
    }
    built, _ = build(tmp_path, with_schemas(Pet=pet))
    f = fields(built.client, "Pet")
    assert (f["id"].name, f["id"].required, f["id"].type.models) == ("id", True, "int")
    assert (f["petName"].name, f["petName"].required) == ("pet_name", True)
    assert (f["createdAt"].name, f["createdAt"].required) == ("created_at", False)
    assert f["createdAt"].type.models == "str | None"
    assert f["tag"].default == "'none'"
    text = built.files["models.py"]
    assert 'validation_alias="petName"' in text and 'serialization_alias="petName"' in text

    models = import_models(built, tmp_path, loaded_modules)
    by_alias = models.Pet.model_validate({"id": 1, "petName": "Rex", "createdAt": "x"})
    by_name = models.Pet.model_validate({"id": 1, "pet_name": "Rex"})
    assert by_alias.pet_name == by_name.pet_name == "Rex"
    assert by_name.tag == "none"
    assert by_alias.model_dump(exclude_unset=True) == {"id": 1, "petName": "Rex", "createdAt": "x"}
    with pytest.raises(pydantic.ValidationError):
        models.Pet.model_validate({"id": 1})
    # Unknown fields in responses are kept.
    assert models.Pet.model_validate({"id": 1, "petName": "R", "new": 2}).model_extra == {"new": 2}


def test_case_only_property_collisions_get_distinct_fields(tmp_path: Path, loaded_modules: list[str]) -> None:
    schema = {"type": "object", "properties": {"active": {"type": "boolean"}, "ACTIVE": {"type": "string"}}}
    built, _ = build(tmp_path, with_schemas(Flags=schema))
    f = fields(built.client, "Flags")
    assert f["active"].name == "active"
    assert f["ACTIVE"].name not in ("active", "ACTIVE")
    assert f["ACTIVE"].name.isidentifier()
    models = import_models(built, tmp_path, loaded_modules)
    value = models.Flags.model_validate({"active": True, "ACTIVE": "yes"})
    assert value.model_dump(exclude_unset=True) == {"active": True, "ACTIVE": "yes"}


def test_keyword_and_reserved_property_names(tmp_path: Path, loaded_modules: list[str]) -> None:
    schema = {
        "type": "object",
        "properties": {name: {"type": "string"} for name in ("class", "json", "schema", "model_config", "str", "2fa")},
    }
    built, _ = build(tmp_path, with_schemas(Weird=schema))
    f = fields(built.client, "Weird")
    assert f["class"].name == "class_"
    assert f["str"].name != "str"
    assert f["model_config"].name != "model_config"
    assert f["2fa"].name == "field_2fa"
    models = import_models(built, tmp_path, loaded_modules)
    payload = {"class": "a", "json": "b", "schema": "c", "model_config": "d", "str": "e", "2fa": "f"}
    assert models.Weird.model_validate(payload).model_dump(exclude_unset=True) == payload


def test_enums_become_literals(tmp_path: Path, loaded_modules: list[str]) -> None:
    schema = {
        "type": "object",
        "required": ["kind"],
        "properties": {
            "kind": {"type": "string", "enum": ["cat", "dog", "it's"]},
            "level": {"type": "integer", "enum": [1, 2, 3]},
        },
    }
    built, _ = build(tmp_path, with_schemas(Pet=schema, Color={"type": "string", "enum": ["red", "green"]}))
    f = fields(built.client, "Pet")
    # open in responses (`_known` refuses an unlisted value unless a response brings it)
    assert f["kind"].type.models == "Annotated[Literal['cat', 'dog', \"it's\"] | str, _known]"
    assert f["level"].type.models == "Annotated[Literal[1, 2, 3] | StrictInt, _known] | None"
    aliases = {a.name: a for a in built.client.aliases}
    assert aliases["Color"].type.models == "Annotated[Literal['red', 'green'] | str, _known]"
    models = import_models(built, tmp_path, loaded_modules)
    assert models.Pet.model_validate({"kind": "it's"}).kind == "it's"
    with pytest.raises(pydantic.ValidationError):
        models.Pet.model_validate({"kind": "cow"})


def test_30_nullable(tmp_path: Path, loaded_modules: list[str]) -> None:
    schema = {
        "type": "object",
        "required": ["nick"],
        "properties": {
            "nick": {"type": "string", "nullable": True},
            "age": {"type": "integer", "nullable": True},
            "name": {"type": "string"},
        },
    }
    built, _ = build(tmp_path, with_schemas("3.0.3", Pet=schema))
    f = fields(built.client, "Pet")
    assert f["nick"].type.models == "str | None" and f["nick"].required and f["nick"].default is None
    assert f["age"].type.models == "int | None" and not f["age"].required
    models = import_models(built, tmp_path, loaded_modules)
    assert models.Pet.model_validate({"nick": None}).nick is None
    with pytest.raises(pydantic.ValidationError):
        models.Pet.model_validate({})  # nullable is not optional
    with pytest.raises(pydantic.ValidationError):
        models.Pet.model_validate({"nick": 5})


def test_31_type_arrays(tmp_path: Path, loaded_modules: list[str]) -> None:
    schema = {
        "type": "object",
        "required": ["nick", "either"],
        "properties": {
            "nick": {"type": ["string", "null"]},
            "either": {"type": ["string", "integer"]},
            "maybe": {"type": ["integer", "null"]},
        },
    }
    built, _ = build(tmp_path, with_schemas(Pet=schema))
    f = fields(built.client, "Pet")
    assert f["nick"].type.models == "str | None"
    assert f["either"].type.models == "str | int"
    assert f["maybe"].type.models == "int | None"
    models = import_models(built, tmp_path, loaded_modules)
    value = models.Pet.model_validate({"nick": None, "either": 3})
    assert value.nick is None and value.either == 3


def test_one_of_and_any_of_unions(tmp_path: Path, loaded_modules: list[str]) -> None:
    cat = {"type": "object", "required": ["meow"], "properties": {"meow": {"type": "boolean"}}}
    dog = {"type": "object", "required": ["bark"], "properties": {"bark": {"type": "boolean"}}}
    holder = {
        "type": "object",
        "properties": {
            "pet": {"oneOf": [ref("Cat"), ref("Dog")]},
            "id": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        },
    }
    built, diagnostics = build(tmp_path, with_schemas(Holder=holder, Cat=cat, Dog=dog, Pet={"oneOf": [ref("Cat"), ref("Dog")]}))
    assert warnings(diagnostics) == []  # Cat and Dog do not overlap
    f = fields(built.client, "Holder")
    assert f["pet"].type.models == "Cat | Dog | None"
    assert f["id"].type.models == "str | int | None"
    aliases = {a.name: a for a in built.client.aliases}
    assert aliases["Pet"].type.models == "Cat | Dog"
    models = import_models(built, tmp_path, loaded_modules)
    assert isinstance(models.Holder.model_validate({"pet": {"bark": True}}).pet, models.Dog)
    assert isinstance(models.Holder.model_validate({"pet": {"meow": True}}).pet, models.Cat)
    assert models.Holder.model_validate({"id": 7}).id == 7


def test_all_of_merges_properties_and_required(tmp_path: Path, loaded_modules: list[str]) -> None:
    animal = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    }
    dog = {
        "allOf": [
            ref("Animal"),
            {"type": "object", "required": ["bark"], "properties": {"bark": {"type": "boolean"}}},
        ]
    }
    built, _ = build(tmp_path, with_schemas(Dog=dog, Animal=animal))
    f = fields(built.client, "Dog")
    assert list(f) == ["name", "age", "bark"]
    assert [f[k].required for k in ("name", "age", "bark")] == [True, False, True]
    models = import_models(built, tmp_path, loaded_modules)
    assert models.Dog.model_validate({"name": "Rex", "bark": True}).bark is True
    with pytest.raises(pydantic.ValidationError):
        models.Dog.model_validate({"bark": True})


def test_recursive_schema(tmp_path: Path, loaded_modules: list[str]) -> None:
    node = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": ref("Node")}},
    }
    built, _ = build(tmp_path, with_schemas(Node=node))
    f = fields(built.client, "Node")
    assert f["children"].type.models == "list[Node] | None"
    models = import_models(built, tmp_path, loaded_modules)
    tree = models.Node.model_validate({"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]})
    assert tree.children[0].children[0].name == "c"
    assert isinstance(tree.children[0], models.Node)


def test_additional_properties(tmp_path: Path, loaded_modules: list[str]) -> None:
    schema = {
        "type": "object",
        "properties": {
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "free": {"type": "object", "additionalProperties": True},
            "empty": {"type": "object", "additionalProperties": {}},
            "pets": {"type": "object", "additionalProperties": ref("Pet")},
            "bare": {"type": "object"},
        },
    }
    pet = {"type": "object", "properties": {"name": {"type": "string"}}}
    built, _ = build(tmp_path, with_schemas(Bag=schema, Pet=pet))
    f = fields(built.client, "Bag")
    assert f["counts"].type.models == "dict[str, int] | None"
    assert f["free"].type.models == "dict[str, Any] | None"
    assert f["empty"].type.models == "dict[str, Any] | None"
    assert f["pets"].type.models == "dict[str, Pet] | None"
    assert f["bare"].type.models == "dict[str, Any] | None"
    models = import_models(built, tmp_path, loaded_modules)
    bag = models.Bag.model_validate({"counts": {"a": 1}, "free": {"x": [1]}, "pets": {"rex": {"name": "Rex"}}})
    assert bag.counts == {"a": 1} and isinstance(bag.pets["rex"], models.Pet)
    with pytest.raises(pydantic.ValidationError):
        models.Bag.model_validate({"counts": {"a": "many"}})


def test_string_formats_map_to_python_types(tmp_path: Path, loaded_modules: list[str]) -> None:
    import datetime
    import uuid

    schema = {
        "type": "object",
        "required": ["id", "at", "on"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "at": {"type": "string", "format": "date-time"},
            "on": {"type": "string", "format": "date"},
            "email": {"type": "string", "format": "email"},
        },
    }
    built, _ = build(tmp_path, with_schemas(Event=schema))
    f = fields(built.client, "Event")
    assert f["id"].type.models == "_uuid.UUID"
    assert f["at"].type.models == "_dt.datetime"
    assert f["on"].type.models == "_dt.date"
    assert f["email"].type.models == "str | None"
    text = built.files["models.py"]
    assert "import datetime as _dt" in text and "import uuid as _uuid" in text
    models = import_models(built, tmp_path, loaded_modules)
    event = models.Event.model_validate(
        {"id": "6f1c2a56-8c43-4d35-a4a8-8b1f1d8b2c01", "at": "2024-01-31T10:00:00Z", "on": "2024-01-31"}
    )
    assert isinstance(event.id, uuid.UUID)
    assert event.at == datetime.datetime(2024, 1, 31, 10, 0, tzinfo=datetime.UTC)
    assert event.on == datetime.date(2024, 1, 31)


def test_constraints_31(tmp_path: Path, loaded_modules: list[str]) -> None:
    schema = {
        "type": "object",
        "required": ["code", "age", "score"],
        "properties": {
            "code": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 5, "minLength": 2},
            "age": {"type": "integer", "minimum": 0, "maximum": 30},
            "score": {"type": "number", "exclusiveMinimum": 1.5, "exclusiveMaximum": 10},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
        },
    }
    built, diagnostics = build(tmp_path, with_schemas(Entry=schema))
    assert warnings(diagnostics) == []
    text = built.files["models.py"]
    for fragment in ("pattern=", "[a-z]+", "max_length=5", "min_length=2", "ge=0", "le=30", "gt=1.5", "lt=10", "max_length=2"):
        assert fragment in text, fragment
    models = import_models(built, tmp_path, loaded_modules)
    good = {"code": "abc", "age": 30, "score": 2}
    models.Entry.model_validate(good)
    for bad in (
        {"code": "ABC"},
        {"code": "abc\n"},
        {"code": "abcdef"},
        {"code": "a"},
        {"age": -1},
        {"age": 31},
        {"score": 1.5},
        {"score": 10},
        {"tags": ["a", "b", "c"]},
    ):
        with pytest.raises(pydantic.ValidationError):
            models.Entry.model_validate({**good, **bad})


def test_exclusive_minimum_30_boolean(tmp_path: Path, loaded_modules: list[str]) -> None:
    schema = {
        "type": "object",
        "required": ["count"],
        "properties": {
            "count": {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
            "ratio": {"type": "number", "maximum": 1, "exclusiveMaximum": True},
            "plain": {"type": "integer", "minimum": 0, "exclusiveMinimum": False},
        },
    }
    built, _ = build(tmp_path, with_schemas("3.0.3", Counter=schema))
    text = built.files["models.py"]
    assert "gt=0" in text and "lt=1" in text
    models = import_models(built, tmp_path, loaded_modules)
    models.Counter.model_validate({"count": 1, "ratio": 0.5, "plain": 0})
    with pytest.raises(pydantic.ValidationError):
        models.Counter.model_validate({"count": 0})
    with pytest.raises(pydantic.ValidationError):
        models.Counter.model_validate({"count": 1, "ratio": 1})
    with pytest.raises(pydantic.ValidationError):
        models.Counter.model_validate({"count": 1, "plain": -1})


def test_pattern_python_cannot_compile_is_a_warning(tmp_path: Path, loaded_modules: list[str]) -> None:
    schema = {
        "type": "object",
        "properties": {
            # \p: not Python's; the lookbehind: not the linear Rust engine's
            "letter": {"type": "string", "pattern": r"^(?<=^)\p{L}+$"},
            "fine": {"type": "string", "pattern": "^a"},
        },
    }
    built, diagnostics = build(tmp_path, with_schemas(Text=schema))
    (warning,) = warnings(diagnostics)
    assert warning.pointer == "/components/schemas/Text/properties/letter/pattern"
    assert warning.file == tmp_path / "demo.yaml"
    assert warning.line is not None
    assert (tmp_path / "demo.yaml").read_text().splitlines()[warning.line - 1].strip().startswith("pattern:")
    assert r"\p{L}" not in built.files["models.py"]
    assert "pattern=" in built.files["models.py"] and "^a" in built.files["models.py"]
    models = import_models(built, tmp_path, loaded_modules)
    assert models.Text.model_validate({"letter": "ä"}).letter == "ä"
    with pytest.raises(pydantic.ValidationError):
        models.Text.model_validate({"fine": "ba"})


def test_overlapping_one_of_is_a_warning_not_an_error(tmp_path: Path, loaded_modules: list[str]) -> None:
    schema = {
        "type": "object",
        "properties": {
            "country": {
                "oneOf": [
                    {"type": "string", "enum": ["us", "de"]},
                    {"type": "string", "enum": ["us", "fr"]},
                ]
            }
        },
    }
    built, diagnostics = build(tmp_path, with_schemas(Proxy=schema))
    (warning,) = warnings(diagnostics)
    assert warning.pointer == "/components/schemas/Proxy/properties/country/oneOf"
    assert "overlap" in warning.message
    models = import_models(built, tmp_path, loaded_modules)
    assert models.Proxy.model_validate({"country": "us"}).country == "us"
    assert models.Proxy.model_validate({"country": "fr"}).country == "fr"


def test_identical_one_of_branches_are_a_warning(tmp_path: Path) -> None:
    pet = {"type": "object", "properties": {"name": {"type": "string"}}}
    holder = {"type": "object", "properties": {"pet": {"oneOf": [ref("Pet"), ref("Pet")]}}}
    _built, diagnostics = build(tmp_path, with_schemas(Holder=holder, Pet=pet))
    assert [w.pointer for w in warnings(diagnostics)] == ["/components/schemas/Holder/properties/pet/oneOf"]


# -- security and servers ------------------------------------------------------------------


def test_security_schemes_become_credentials_with_env_vars(tmp_path: Path) -> None:
    schemes = {
        "headerKey": {"type": "apiKey", "in": "header", "name": "x-api-key"},
        "queryKey": {"type": "apiKey", "in": "query", "name": "key"},
        "cookieKey": {"type": "apiKey", "in": "cookie", "name": "sid"},
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        "basicAuth": {"type": "http", "scheme": "basic"},
    }
    paths = {"/a": {"get": {"operationId": "getA", "security": [{"headerKey": []}, {"bearerAuth": []}], "responses": {"200": ok()}}}}
    built, diagnostics = build(tmp_path, spec(paths=paths, components={"securitySchemes": schemes}), name="pets")
    assert warnings(diagnostics) == []
    client = built.client
    by_key = {s.key: s for s in client.schemes}
    assert (by_key["headerKey"].kind, by_key["headerKey"].location, by_key["headerKey"].wire) == ("api_key", "header", "x-api-key")
    assert (by_key["queryKey"].kind, by_key["queryKey"].location, by_key["queryKey"].wire) == ("api_key", "query", "key")
    assert (by_key["cookieKey"].kind, by_key["cookieKey"].location, by_key["cookieKey"].wire) == ("api_key", "cookie", "sid")
    assert by_key["bearerAuth"].kind == "bearer"
    assert by_key["basicAuth"].kind == "basic"
    assert by_key["headerKey"].credentials == ("api_key",)
    assert by_key["bearerAuth"].credentials == ("bearer_token",)
    assert by_key["basicAuth"].credentials == ("username", "password")
    credentials = dict(client.credentials)
    assert credentials["api_key"] == "PETS_API_KEY"
    assert credentials["bearer_token"] == "PETS_BEARER_TOKEN"
    assert credentials["username"] == "PETS_USERNAME" and credentials["password"] == "PETS_PASSWORD"
    # Every scheme has its own credential and environment variable.
    assert len(credentials) == 6 and len(set(credentials.values())) == 6
    assert all(env.startswith("PETS_") and env.isupper() for env in credentials.values())
    assert operation(client, "get_a").security == (("headerKey",), ("bearerAuth",))
    text = built.files["_client.py"]
    assert "ApiKey(\"header\", \"x-api-key\", \"api_key\")" in text
    assert "ApiKey(\"query\", \"key\"" in text and "ApiKey(\"cookie\", \"sid\"" in text
    assert "Bearer(\"bearer_token\")" in text and "Basic(\"username\", \"password\")" in text
    assert '"api_key": "PETS_API_KEY",' in text  # ENVIRONMENT: read when the argument is None


def test_global_security_applies_unless_an_operation_opts_out(tmp_path: Path) -> None:
    paths = {
        "/a": {"get": {"operationId": "getA", "responses": {"200": ok()}}},
        "/b": {"get": {"operationId": "getB", "security": [], "responses": {"200": ok()}}},
    }
    document = spec(
        paths=paths,
        components={"securitySchemes": {"k": {"type": "apiKey", "in": "header", "name": "x-key"}}},
        security=[{"k": []}],
    )
    built, _ = build(tmp_path, document)
    assert operation(built.client, "get_a").security == (("k",),)
    assert operation(built.client, "get_b").security == ()


def test_server_variables_make_the_base_url(tmp_path: Path) -> None:
    servers = [
        {
            "url": "https://{region}.example.com:{port}/{basePath}/",
            "variables": {
                "region": {"default": "eu", "enum": ["eu", "us"]},
                "port": {"default": "8443"},
                "basePath": {"default": "v2"},
            },
        },
        {"url": "https://other.example.com"},
    ]
    built, _ = build(tmp_path, spec(servers=servers))
    assert built.client.base_url == "https://eu.example.com:8443/v2"
    assert 'DEFAULT_BASE_URL = "https://eu.example.com:8443/v2"' in built.files["_client.py"]


def test_missing_servers_is_a_warning(tmp_path: Path) -> None:
    document = spec()
    del document["servers"]
    built, diagnostics = build(tmp_path, document)
    assert built.client.base_url == ""
    assert [w.pointer for w in warnings(diagnostics)] == ["/servers"]


# -- untrusted text ------------------------------------------------------------------------


def _injected_calls(source: str) -> list[str]:
    tree = ast.parse(source)
    return [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__"
    ]


def test_spec_text_cannot_inject_code(tmp_path: Path) -> None:
    evil = '""" + __import__("os").getcwd() + """'
    document = textwrap.dedent(
        """\
        openapi: 3.1.0
        info:
          title: 'Evil {evil} API'
          version: '1 {evil}'
          description: 'desc {evil} \\'
        servers:
          - url: 'https://api.example.com/{evil}'
        paths:
          /items:
            get:
              operationId: getItems
              summary: 'Get {evil}'
              description: 'More {evil}'
              parameters:
                - name: q
                  in: query
                  description: 'param {evil}'
                  schema:
                    type: string
                    pattern: '{evil}'
              responses:
                '200':
                  description: 'ok {evil}'
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Item'
        components:
          schemas:
            Item:
              description: 'model {evil}'
              type: object
              properties:
                kind:
                  description: 'field {evil}'
                  type: string
                  enum: ['{evil}']
                  default: '{evil}'
            Alias:
              description: 'alias {evil}'
              type: string
        """
    ).replace("{evil}", evil.replace("'", "''"))
    built, _ = build(tmp_path, document)
    for path, text in built.files.items():
        if path.endswith(".py"):
            assert _injected_calls(text) == [], path


def test_docstrings_survive_quotes_and_backslashes(tmp_path: Path, loaded_modules: list[str]) -> None:
    schema = {
        "type": "object",
        "description": 'Ends with a quote "',
        "properties": {"path": {"type": "string", "description": "C:\\temp\\ and \"\"\" inside"}},
    }
    built, _ = build(tmp_path, with_schemas(Thing=schema))
    models = import_models(built, tmp_path, loaded_modules)
    assert models.Thing.__doc__ is not None and models.Thing.__doc__.rstrip().endswith('"')


def test_server_url_cannot_inject_code(tmp_path: Path) -> None:
    url = 'https://api.example.com/""" + __import__("os").getcwd() + """'
    built, _ = build(tmp_path, spec(servers=[{"url": url}]))
    assert built.client.base_url == url  # the URL itself is kept...
    text = built.files["_client.py"]
    assert _injected_calls(text) == []  # ...but only ever as a literal or escaped text
    tree = ast.parse(text)
    client_class = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Client")
    assert ast.get_docstring(client_class) is not None
