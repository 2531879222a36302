"""A large client: models split into parts that load on first use.

A synthetic document with more definitions than `SPLIT_ABOVE` (chains that cross parts, a
cycle, a discriminated union, a request form, a parameter checked by a models helper) is
generated, imported and called; mypy --strict, ruff and black check the package.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from feature_support import Package, black_cache, build, module_package, mypy_strict

from generator.lower import parts as model_parts
from generator.lower.parts import SPLIT_ABOVE

CHAIN = 60  # Link1 -> Link2 -> ...: more than one part
LEAVES = SPLIT_ABOVE  # Leaf1 ... in a Catalog: more definitions than one models.py holds


def _spec() -> dict[str, Any]:
    schemas: dict[str, Any] = {
        f"Link{i}": {
            "type": "object",
            "required": ["level"],
            "properties": {"level": {"type": "integer"}, **({"next": {"$ref": f"#/components/schemas/Link{i + 1}"}}
                                                          if i < CHAIN else {})},
        }
        for i in range(1, CHAIN + 1)
    }
    schemas.update({f"Leaf{i}": {"type": "object", "properties": {"n": {"type": "integer"}}}
                    for i in range(1, LEAVES + 1)})
    schemas["Catalog"] = {"type": "object", "properties": {
        f"leaf{i}": {"$ref": f"#/components/schemas/Leaf{i}"} for i in range(1, LEAVES + 1)}}
    schemas.update({
        "Node": {"type": "object", "properties": {"label": {"type": "string"},
                                                   "edges": {"type": "array", "items": {"$ref": "#/components/schemas/Edge"}}}},
        "Edge": {"type": "object", "properties": {"to": {"$ref": "#/components/schemas/Node"}}},
        # An error body that drags the whole chain along: loaded only when an error comes.
        "Problem": {"type": "object", "properties": {"detail": {"type": "string"},
                                                     "trace": {"$ref": "#/components/schemas/Link1"}}},
        "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["cat"]}}},
        "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["dog"]},
                                                                        "id": {"type": "integer", "readOnly": True}}},
        "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat",
                                                                      "dog": "#/components/schemas/Dog"}}},
    })
    ok = {"description": "ok"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Big", "version": "1"},
        "servers": [{"url": "https://big.example.com"}],
        "paths": {
            "/chain": {"get": {"operationId": "getChain", "parameters": [
                {"name": "tags", "in": "query", "schema": {"type": "array", "uniqueItems": True, "items": {"type": "string"}}}],
                "responses": {"200": {**ok, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Link1"}}}}}}},
            "/graph": {"get": {"operationId": "getGraph", "responses": {
                "200": {**ok, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}},
                "default": {**ok, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
            "/pets": {"post": {"operationId": "addPet", "requestBody": {"required": True, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                "responses": {"200": {**ok, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}},
        },
        "components": {"schemas": schemas},
    }


SPEC = json.dumps(_spec(), indent=1)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "split", SPEC)


def _fresh_python(api: Package, code: str) -> Any:
    """Run `code` in a new interpreter (a clean module cache) and return what it prints."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=api.out, capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(done.stdout)


def test_the_models_are_split_into_parts(api: Package) -> None:
    package = api.out / api.name
    parts = sorted(p.name for p in (package / "_models").glob("part_*.py"))
    assert len(parts) > 2 and (package / "_models" / "_shared.py").exists()
    assert "class " not in (package / "models.py").read_text(encoding="utf-8")


def test_importing_the_client_builds_no_model(api: Package) -> None:
    loaded = _fresh_python(api, f"""
        import json, sys
        import {api.name}
        client = {api.name}.Client()
        print(json.dumps([m for m in sys.modules if m.startswith("{api.name}._models.part_")]))
        """)
    assert loaded == []


def test_a_model_loads_its_part_and_what_it_uses_only(api: Package) -> None:
    counts = _fresh_python(api, f"""
        import json, sys
        from {api.name}.models import Cat
        cat_parts = sorted(m for m in sys.modules if "._models.part_" in m)
        from {api.name} import models
        models.Link1
        chain_parts = sorted(m for m in sys.modules if "._models.part_" in m)
        print(json.dumps([len(cat_parts), len(chain_parts), Cat.__name__]))
        """)
    total = len(list((api.out / api.name / "_models").glob("part_*.py")))
    assert counts[2] == "Cat" and counts[0] == 1  # Cat and its users' small trees: one part
    assert 2 <= counts[1] < total  # Link1 needs every link, split over parts; not the leaves


def test_a_call_loads_its_error_models_only_when_an_error_comes(api: Package) -> None:
    """The success type's part is imported by the call; the error body's model (and the
    chain it drags along) only when a response needs it."""
    found = _fresh_python(api, f"""
        import json, sys, httpx
        import {api.name} as package
        answers = [httpx.Response(200, json={{"label": "a", "edges": []}}),
                   httpx.Response(404, json={{"detail": "gone", "trace": {{"level": 1}}}})]
        http = httpx.Client(transport=httpx.MockTransport(lambda request: answers.pop(0)))
        client = package.Client(http_client=http, max_retries=0)
        def parts():
            return sorted(m.rsplit(".", 1)[1] for m in sys.modules if "._models.part_" in m)
        assert client.graph.get().label == "a"
        after_success = parts()
        try:
            client.graph.get()
        except package.errors.NotFoundError as exc:
            body = [type(exc.body).__name__, exc.body.trace.level]
        where = {{name: package.models._PARTS[name] for name in ("Node", "Problem", "Link1")}}
        print(json.dumps([after_success, parts(), body, where]))
        """)
    after_success, after_error, body, where = found
    assert where["Node"] in after_success
    assert where["Problem"] not in after_success and where["Link1"] not in after_success
    assert body == ["Problem", 1] and {where["Problem"], where["Link1"]} <= set(after_error)


def test_a_small_model_shares_no_part_with_a_neighbour_that_needs_much_more() -> None:
    """Definitions come dependencies first; `Error` and `Ok` are neighbours, but `Error`
    needs a long chain (which `Top` brought into the traversal first): they go to
    different parts, so using `Ok` imports none of the chain."""
    chain = [f"L{i}" for i in range(model_parts.PART_SIZE * 2, 0, -1)]
    graph: dict[str, list[str]] = {name: ([f"L{int(name[1:]) + 1}"] if name != chain[0] else []) for name in chain}
    graph |= {"Error": ["L1"], "Ok": [], "Top": ["L1"]}
    packed = model_parts._pack(model_parts._trees(graph), graph)
    home = {name: index for index, members in enumerate(packed) for name in members}
    assert sorted(home) == sorted(graph)
    assert home["Ok"] != home["Error"]
    needed, todo = set(), [home["Ok"]]
    while todo:  # the parts importing Ok's part imports, transitively
        part = todo.pop()
        needed.add(part)
        todo += [home[r] for name in packed[part] for r in graph[name] if home[r] not in needed]
    assert not any(home[link] in needed for link in chain)
    for index, members in enumerate(packed):  # a part imports earlier parts only
        assert all(home[r] <= index for name in members for r in graph[name])


def test_every_name_resolves_and_unknown_names_do_not(api: Package) -> None:
    models = api.models
    assert len(models.__all__) >= CHAIN + LEAVES + 7 and sorted(dir(models)) == sorted(models.__all__)
    for name in models.__all__:
        assert getattr(models, name) is getattr(models, name)
    with pytest.raises(AttributeError, match="NoSuchModel"):
        models.NoSuchModel  # noqa: B018
    assert models.DogInput.__module__.startswith(f"{api.name}._models.part_")


def test_calls_parse_across_parts(api: Package) -> None:
    chain: dict[str, Any] = {"level": CHAIN}
    for level in range(CHAIN - 1, 0, -1):
        chain = {"level": level, "next": chain}
    graph = {"label": "a", "edges": [{"to": {"label": "b", "edges": []}}]}
    pet = {"kind": "dog", "id": 4}

    def respond(request: httpx.Request) -> httpx.Response:
        body = {"/chain": chain, "/graph": graph, "/pets": pet}[request.url.path]
        return httpx.Response(200, json=body)

    client, recorder = api.client(respond)
    link = client.chain.get(tags=["a", "b"])
    for _ in range(CHAIN - 1):
        link = link.next
    assert link.level == CHAIN and recorder.last.url.params.get_list("tags") == ["a", "b"]
    with pytest.raises(api.errors.ParameterError, match="unique"):
        client.chain.get(tags=["a", "a"])  # the models helper the client uses
    node = client.graph.get()
    assert node.edges[0].to.label == "b"
    added = client.pets.add(body=api.models.DogInput(kind="dog", id=9))
    assert json.loads(recorder.last.content) == {"kind": "dog"} and type(added) is api.models.Dog
    client.pets.add(body={"kind": "dog", "id": 9})  # the dict form: validated, sent the same
    assert json.loads(recorder.last.content) == {"kind": "dog"}


def test_a_typed_dict_lives_in_its_models_part(api: Package) -> None:
    mapping = api.text("models.py")
    parts = dict(re.findall(r'^    "(\w+)": "(part_\d+)",$', mapping, re.MULTILINE))
    assert parts["CatParam"] == parts["Cat"] and parts["DogParam"] == parts["DogInput"]
    # the request form of the union `Pet` takes either member as a model or a dict
    assert "PetParam: TypeAlias = Cat | CatParam | DogInput | DogParam" in api.text(f"_models/{parts['PetParam']}.py")
    assert "NodeParam" not in parts and "Link1Param" not in parts  # only requests' models get one


def test_the_split_package_passes_mypy_ruff_and_black(api: Package) -> None:
    usage = api.out / f"use_{api.name}.py"
    usage.write_text(textwrap.dedent(f"""\
        from {api.name} import Client, models
        from {api.name}.models import Link2


        def use(client: Client) -> int:
            first: models.Link1 = client.chain.get(tags=["x"])
            second: Link2 | None = first.next
            pet: models.Cat | models.Dog | models.UnknownVariant = client.pets.add(body=models.DogInput(kind="dog"))
            client.pets.add(body={{"kind": "cat"}})
            kind = "?" if isinstance(pet, models.UnknownVariant) else pet.kind
            return first.level + (second.level if second else 0) + len(kind)
        """), encoding="utf-8")
    checked = mypy_strict(api.out, api.name, usage.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    typo = api.out / f"typo_{api.name}.py"
    typo.write_text(f"from {api.name} import models\nfrom {api.name}.models import Lnk2\n\nx = models.Lnk1\n",
                    encoding="utf-8")
    checked = mypy_strict(api.out, typo.name)
    assert checked.stdout.count("[attr-defined]") == 2, checked.stdout  # a misspelt model is caught
    for tool in (["ruff", "check", "--no-cache", "--isolated"], ["black", "--check", "-q"]):
        done = subprocess.run([sys.executable, "-m", *tool, api.name], cwd=api.out, capture_output=True, text=True,
                              timeout=300, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_split_is_the_same_on_every_run(tmp_path: Path) -> None:
    with black_cache(tmp_path / "cache"):
        first, _ = build(tmp_path / "one", "twice", SPEC, format_code=False)
        second, _ = build(tmp_path / "two", "twice", SPEC, format_code=False)
    assert first.clients["twice"].files == second.clients["twice"].files
