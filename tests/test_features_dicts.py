"""Plain dicts wherever a request takes a model, typed; every bad argument a ParameterError.

One client with a body model reached through lists, maps, a recursive model, a
discriminated union, a closed model (additionalProperties: false), a request form
(readOnly/writeOnly), a JSON name that is no identifier, and an object query parameter. Each
dict form is sent and compared with the bytes the model form sends; mypy --strict checks a
user's script of dict forms and rejects a misspelt key and a wrong value.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from feature_support import (
    Package,
    black_cache,
    forget,
    generate,
    method_of,
    module_package,
    mypy_strict,
)

SPEC = r"""
openapi: 3.1.0
info: {title: Dicts, version: '1'}
servers: [{url: https://dicts.example.com}]
paths:
  /chat:
    post:
      operationId: createChatCompletion
      parameters:
        - {name: filter, in: query, style: deepObject, schema: {$ref: '#/components/schemas/Filter'}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [model, messages]
              properties:
                model: {type: string}
                messages: {type: array, items: {$ref: '#/components/schemas/Message'}}
                labels: {type: object, additionalProperties: {$ref: '#/components/schemas/Label'}}
                tree: {$ref: '#/components/schemas/Node'}
                shape: {$ref: '#/components/schemas/Shape'}
                body: {type: string}
      responses:
        '204': {description: done}
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
  /reports:
    get:
      operationId: getReport
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Report'}}}}
components:
  schemas:
    Message:
      type: object
      additionalProperties: false
      required: [role, content]
      properties:
        role: {type: string, enum: [system, user, assistant]}
        content: {type: string}
    Label:
      type: object
      properties: {text: {type: string, maxLength: 20}, str: {type: string}, int: {type: integer}}
    Node:
      type: object
      properties:
        value: {type: integer}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
    Circle:
      type: object
      required: [kind, radius]
      properties: {kind: {type: string}, radius: {type: number}}
    Square:
      type: object
      required: [kind, side]
      properties: {kind: {type: string}, side: {type: number}}
    Shape:
      oneOf: [{$ref: '#/components/schemas/Circle'}, {$ref: '#/components/schemas/Square'}]
      discriminator: {propertyName: kind}
    Filter:
      type: object
      properties:
        since: {type: string, format: date}
        kinds: {type: array, items: {type: string, enum: [a, b]}}
    Pet:
      type: object
      required: [name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        password: {type: string, writeOnly: true}
        nick-name: {type: string}
        class: {type: string}
        born: {type: string, format: date}
    Report:
      type: object
      additionalProperties: false
      properties: {total: {type: integer}}
"""

CHAT = {
    "model": "gpt-4o",
    "messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}],
    "labels": {"a": {"text": "first"}},
    "tree": {"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]},
    "shape": {"kind": "Circle", "radius": 2.5},
    "body": "a field named like the body argument",
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "dicts", SPEC)


def _as_models(api: Package) -> dict[str, Any]:
    m = api.models
    return {
        "model": "gpt-4o",
        "messages": [m.Message(role="system", content="be brief"), m.Message(role="user", content="hi")],
        "labels": {"a": m.Label(text="first")},
        "tree": m.Node(value=1, children=[m.Node(value=2, children=[m.Node(value=3)])]),
        "shape": m.Circle(kind="Circle", radius=2.5),
    }


def _sent(api: Package, call: str, **kwargs: Any) -> bytes:
    client, recorder = api.client(lambda request: httpx.Response(200, json={"name": "Rex", "id": 1}))
    method_of(client, call)(**kwargs)
    return recorder.last.content + b" " + str(recorder.last.url).encode()


# -- dict forms at every position, sent as the model form is --------------------------------


def test_keyword_fields_take_dicts_in_lists_maps_recursion_and_unions(api: Package) -> None:
    rest = {k: v for k, v in CHAT.items() if k != "body"}
    as_dicts = _sent(api, "chat.create_completion", **rest, body_2="a field named like the body argument")
    as_models = _sent(api, "chat.create_completion", **_as_models(api), body_2="a field named like the body argument")
    assert as_dicts == as_models
    assert json.loads(as_dicts.rsplit(b" ", 1)[0]) == CHAT


def test_a_whole_body_dict_is_sent_as_its_model(api: Package) -> None:
    as_dict = _sent(api, "chat.create_completion", body=CHAT)
    model = api.models.CreateChatCompletionBody.model_validate(CHAT)
    assert as_dict == _sent(api, "chat.create_completion", body=model)
    assert json.loads(as_dict.rsplit(b" ", 1)[0]) == CHAT


def test_an_object_query_parameter_takes_a_dict(api: Package) -> None:
    as_dict = _sent(api, "chat.create_completion", body=CHAT, filter={"since": "2024-05-01", "kinds": ["a"]})
    import datetime

    model = api.models.Filter(since=datetime.date(2024, 5, 1), kinds=["a"])
    assert as_dict == _sent(api, "chat.create_completion", body=CHAT, filter=model)
    assert b"filter%5Bsince%5D=2024-05-01" in as_dict


def test_a_request_form_takes_its_dict_by_json_names(api: Package) -> None:
    body = {"name": "Rex", "password": "hunter2", "nick-name": "R", "class": "dog", "born": "2020-02-29"}
    as_dict = _sent(api, "pets.create", body=body)
    model = api.models.PetInput.model_validate(body)
    assert as_dict == _sent(api, "pets.create", body=model)
    assert json.loads(as_dict.rsplit(b" ", 1)[0]) == body
    # a read-only key given in a dict is dropped, as it is from the model form
    assert _sent(api, "pets.create", body={**body, "id": 7}) == as_dict


def test_typed_dicts_exist_for_request_models_only(api: Package) -> None:
    m = api.models
    assert m.MessageParam.__required_keys__ == {"role", "content"}
    assert m.PetParam.__required_keys__ == {"name"}
    assert m.PetParam.__optional_keys__ == {"password", "nick-name", "class", "born"}  # no read-only id
    assert {"NodeParam", "CircleParam", "SquareParam", "ShapeParam", "FilterParam", "LabelParam"} <= set(dir(m))
    assert not hasattr(m, "ReportParam") and not hasattr(m, "PetInputParam")
    source = api.text("models.py")
    assert "_closed" not in source.split("class Report(")[1].split("\nclass ")[0]  # responses keep keys
    assert "_closed: ClassVar[bool] = True" in source.split("class Message(")[1].split("\nclass ")[0]
    assert 'PetParam = TypedDict(\n    "PetParam",' in source  # `nick-name`, `class`: functional syntax
    assert "class MessageParam(TypedDict):" in source
    assert 'LabelParam = TypedDict(\n    "LabelParam",' in source  # keys `str`, `int` would shadow types


# -- mypy --strict accepts dict forms and rejects wrong ones --------------------------------


def test_mypy_ruff_and_black_pass_dict_forms_and_mypy_rejects_a_misspelt_key_or_wrong_value(api: Package) -> None:
    usage = api.out / f"use_{api.name}.py"
    usage.write_text(textwrap.dedent(f"""\
        from datetime import date

        from {api.name} import Client, models


        def use(client: Client, fetched: models.Pet, history: list[models.Message]) -> None:
            client.chat.create_completion(
                model="gpt-4o",
                messages=[{{"role": "user", "content": "hi"}}, models.Message(role="system", content="x")],
                labels={{"a": {{"text": "t", "str": "s", "int": 1}}}},
                tree={{"value": 1, "children": [{{"children": [{{"value": 3}}]}}]}},
                shape={{"kind": "Circle", "radius": 1.0}},
                filter={{"kinds": ["a"]}},
            )
            client.chat.create_completion(model="m", messages=history)  # a list of models fits
            client.chat.create_completion(body={{"model": "m", "messages": []}})
            client.pets.create(body={{"name": "Rex", "nick-name": "R", "class": "dog", "born": "2020-02-29"}})
            client.pets.create(name="Rex", born=date(2020, 2, 29))
            client.pets.create(name="Rex", born="2020-02-29")  # a formatted string's JSON text
            client.pets.create(body=fetched)
            message: models.MessageParam = {{"role": "assistant", "content": "ok"}}
            client.chat.create_completion(model="m", messages=[message])
        """), encoding="utf-8")
    checked = mypy_strict(api.out, api.name, usage.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for tool in (["ruff", "check", "--no-cache", "--isolated"], ["black", "--check", "-q"]):
        done = subprocess.run([sys.executable, "-m", *tool, api.name], cwd=api.out, capture_output=True, text=True,
                              timeout=300, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
    wrong = api.out / f"wrong_{api.name}.py"
    wrong.write_text(textwrap.dedent(f"""\
        from {api.name} import Client


        def use(client: Client) -> None:
            client.chat.create_completion(model="m", messages=[{{"role": "user", "contnet": "hi"}}])
            client.chat.create_completion(model="m", messages=[{{"role": "robot", "content": "hi"}}])
            client.pets.create(body={{"name": 5}})
        """), encoding="utf-8")
    checked = mypy_strict(api.out, wrong.name)
    lines = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert {line.split(":")[1] for line in lines} == {"5", "6", "7"}, checked.stdout


# -- every bad argument is a ParameterError naming it ---------------------------------------


def _refused(api: Package, **kwargs: Any) -> str:
    client, recorder = api.client()
    call = kwargs.pop("call", "chat.create_completion")
    with pytest.raises(api.errors.ParameterError) as info:
        method_of(client, call)(**kwargs)
    assert recorder.requests == []  # nothing sent
    assert isinstance(info.value, TypeError) and isinstance(info.value, ValueError)
    return str(info.value)


def test_a_required_body_field_left_out_names_the_argument(api: Package) -> None:
    assert _refused(api, messages=[]) == "body field 'model' is required"
    assert _refused(api, call="pets.create") == "body field 'name' is required"


def test_a_wrong_value_names_its_path(api: Package) -> None:
    message = _refused(api, model="m", messages=[{"role": "user", "content": "hi"}, {"role": "robot", "content": "x"}])
    assert message.startswith("messages[1].role='robot': 'robot' is not one of ('system', 'user', 'assistant')")
    message = _refused(api, model="m", messages=[], tree={"children": [{"value": "three"}]})
    assert message.startswith("tree.children[0].value='three': Input should be a valid integer")
    message = _refused(api, model="m", messages=[], shape={"kind": "Circle", "radius": "big"})
    assert message.startswith("shape.radius='big': Input should be a valid number")
    message = _refused(api, model="m", messages=[], labels={"a": {"text": "x" * 500}})
    assert message.startswith("labels.a.text='xxxx") and len(message) < 160  # the value is cut short
    assert _refused(api, model="m", messages=[{"role": "user"}]) == "messages[0].content is required"
    assert _refused(api, body={**CHAT, "messages": [{}]}).startswith("body.messages[0].role is required (and 1 more")
    message = _refused(api, body=CHAT, filter={"since": "someday"})
    assert message.startswith("filter.since='someday': Input should be a valid date")


def test_a_key_a_closed_schema_does_not_know_is_refused(api: Package) -> None:
    assert _refused(api, body={**CHAT, "modle": "x"}) == "body: unknown key 'modle' (the schema allows no others)"
    message = _refused(api, model="m", messages=[{"role": "user", "content": "hi", "nmae": "x"}])
    assert message == "messages[0]: unknown key 'nmae' (the schema allows no others)"
    # an open schema (Label) keeps extra keys, as models do
    sent = _sent(api, "chat.create_completion", model="m", messages=[], labels={"a": {"text": "t", "color": "red"}})
    assert json.loads(sent.rsplit(b" ", 1)[0])["labels"] == {"a": {"text": "t", "color": "red"}}


def test_body_and_fields_together_are_refused(api: Package) -> None:
    message = _refused(api, body=CHAT, model="m")
    assert message == "pass either body= or its fields (model), not both"


def test_a_wrong_whole_body_is_refused_by_path(api: Package) -> None:
    assert _refused(api, body="not an object").startswith("body='not an object': Input should be")
    message = _refused(api, call="pets.create", body=api.models.Report(total=1))
    assert message.startswith("body=Report(total=1): Input should be")


def test_a_misspelt_keyword_is_pythons_type_error_and_parameter_errors_are_type_errors_too(api: Package) -> None:
    client, recorder = api.client()
    with pytest.raises(TypeError, match="modle"):
        client.chat.create_completion(modle="m", messages=[])
    assert issubclass(api.errors.ParameterError, TypeError) and issubclass(api.errors.ParameterError, ValueError)
    assert recorder.requests == []


async def test_the_async_client_takes_dicts_and_refuses_alike(api: Package) -> None:
    client, recorder = api.async_client()
    await client.chat.create_completion(model="m", messages=[{"role": "user", "content": "hi"}])
    assert json.loads(recorder.last.content) == {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    with pytest.raises(api.errors.ParameterError, match=r"^messages\[0\]\.role is required$"):
        await client.chat.create_completion(model="m", messages=[{"content": "hi"}])
    assert len(recorder.requests) == 1


def test_a_taken_param_name_is_claimed_apart(tmp_path: Path) -> None:
    spec = """
    openapi: 3.1.0
    info: {title: Taken, version: '1'}
    servers: [{url: https://taken.example.com}]
    paths:
      /pets:
        post:
          operationId: addPet
          requestBody:
            content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
          responses: {'204': {description: done}}
    components:
      schemas:
        Pet:
          type: object
          properties:
            name: {type: string}
            extra: {$ref: '#/components/schemas/PetParam'}
            kinds: {type: array, items: {$ref: '#/components/schemas/Sequence'}}
            more: {type: object, additionalProperties: {$ref: '#/components/schemas/TypedDict'}}
        PetParam: {type: object, properties: {size: {type: integer}}}
        Sequence: {type: object, properties: {n: {type: integer}}}
        TypedDict: {type: object, properties: {m: {type: integer}}}
    """
    with black_cache(tmp_path / "cache"):
        package = generate(tmp_path, "taken", spec)
    try:
        m = package.models
        assert set(m.PetParam.model_fields) == {"size"}  # the schema keeps its name
        assert m.PetParam2.__optional_keys__ == {"name", "extra", "kinds", "more"}  # Pet's TypedDict
        assert m.PetParamParam.__optional_keys__ == {"size"}
        source = package.text("models.py")
        assert "extra: NotRequired[PetParam | PetParamParam | None]" in source
        # schemas named like what the TypedDicts import are named apart
        assert "kinds: NotRequired[Sequence[SequenceModel | SequenceModelParam] | None]" in source
        assert "more: NotRequired[Mapping[str, TypedDictModel | TypedDictModelParam] | None]" in source
    finally:
        forget(package)
