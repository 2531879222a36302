"""Unit tests of generator/parse.py: validation with pointers and lines, `$ref` checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator import merge, parse, sources
from generator.diagnostics import Diagnostic, Level


def _client(path: Path) -> merge.ClientSpec:
    loaded = sources.load(path)
    assert loaded.diagnostics == []
    ((name, documents),) = merge.group(loaded.documents).items()
    found: list[Diagnostic] = []
    client = merge.merge(name, documents, found)
    assert found == []
    return client


def _parse(tmp_path: Path, text: str, name: str = "api.yaml") -> tuple[parse.Spec | None, list[Diagnostic], Path]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    found: list[Diagnostic] = []
    spec = parse.parse(_client(path), found)
    return spec, found, path


def _line(path: Path, line: int | None) -> str:
    assert line is not None
    return path.read_text(encoding="utf-8").splitlines()[line - 1].strip()


VALID_30 = """\
openapi: 3.0.3
info:
  title: Valid
  version: '1'
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - name: petId
          in: path
          required: true
          schema:
            type: integer
            minimum: 0
            exclusiveMinimum: true
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name:
          type: string
          nullable: true
"""

VALID_31 = """\
openapi: 3.1.0
info:
  title: Valid
  version: '1'
paths:
  /pets:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Pet'
      responses:
        '201':
          description: created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name:
          type: [string, 'null']
        age:
          type: integer
          exclusiveMinimum: 0
"""


def test_valid_30_document_passes(tmp_path: Path) -> None:
    spec, found, _ = _parse(tmp_path, VALID_30)
    assert found == []
    assert spec is not None
    assert spec.version == (3, 0)
    assert spec.data["paths"]["/pets/{petId}"]["get"]["operationId"] == "getPet"


def test_valid_31_document_passes(tmp_path: Path) -> None:
    spec, found, _ = _parse(tmp_path, VALID_31)
    assert found == []
    assert spec is not None
    assert spec.version == (3, 1)


def test_31_document_with_only_webhooks_passes(tmp_path: Path) -> None:
    spec, found, _ = _parse(
        tmp_path,
        """\
        openapi: 3.1.0
        info: {title: Hooks, version: '1'}
        webhooks:
          newPet:
            post:
              responses:
                '200':
                  description: ok
        """,
    )
    assert found == []
    assert spec is not None


@pytest.mark.parametrize("page", sorted((Path(__file__).resolve().parent.parent / "specs").glob("*/*.md")))
def test_seed_pages_parse_without_errors(page: Path) -> None:
    found: list[Diagnostic] = []
    spec = parse.parse(_client(page), found)
    assert [d for d in found if d.level is Level.ERROR] == []
    assert spec is not None


def test_response_without_description_in_30_is_an_error_at_the_response(tmp_path: Path) -> None:
    spec, found, path = _parse(tmp_path, VALID_30.replace("          description: ok\n", ""))
    assert spec is None
    (error,) = found
    assert error.level is Level.ERROR
    assert error.pointer == "/paths/~1pets~1{petId}/get/responses/200"
    assert error.file == path
    assert _line(path, error.line) == "'200':"
    assert "invalid OpenAPI document" in error.message
    assert "description" in error.message  # names what is missing


def test_parameter_with_invalid_in_is_an_error_at_in(tmp_path: Path) -> None:
    spec, found, path = _parse(tmp_path, VALID_30.replace("in: path", "in: body"))
    assert spec is None
    errors = [d for d in found if d.level is Level.ERROR]
    assert [e.pointer for e in errors] == ["/paths/~1pets~1{petId}/get/parameters/0/in"]
    assert _line(path, errors[0].line) == "in: body"
    assert "query" in errors[0].message  # the allowed values are named


def test_validation_errors_in_a_page_point_at_the_page_line(tmp_path: Path) -> None:
    body = VALID_31.replace("          description: created\n", "")
    page = tmp_path / "create-pet.md"
    page.write_text("# Create Pet\n\nSome prose.\n\n````yaml openapi.yaml post /pets\n" + body + "````\n")
    found: list[Diagnostic] = []
    assert parse.parse(_client(page), found) is None
    (error,) = found
    assert error.file == page
    assert error.pointer == "/paths/~1pets/post/responses/201"
    assert _line(page, error.line) == "'201':"


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    text = VALID_30.replace("in: path", "in: body").replace("          description: ok\n", "")
    spec, found, _ = _parse(tmp_path, text)
    assert spec is None
    assert sorted(d.pointer or "" for d in found) == [
        "/paths/~1pets~1{petId}/get/parameters/0/in",
        "/paths/~1pets~1{petId}/get/responses/200",
    ]


def test_dangling_ref_is_an_error_at_that_ref(tmp_path: Path) -> None:
    spec, found, path = _parse(tmp_path, VALID_30.replace("schemas/Pet'", "schemas/Missing'"))
    assert spec is None
    (error,) = found
    assert error.level is Level.ERROR
    pointer = "/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema/$ref"
    assert error.pointer == pointer
    assert "#/components/schemas/Missing" in error.message
    assert _line(path, error.line) == "$ref: '#/components/schemas/Missing'"


def test_dangling_ref_inside_components_is_found(tmp_path: Path) -> None:
    text = VALID_31 + "        owner:\n          $ref: '#/components/schemas/Person'\n"
    spec, found, path = _parse(tmp_path, text)
    assert spec is None
    (error,) = found
    assert error.pointer == "/components/schemas/Pet/properties/owner/$ref"
    assert _line(path, error.line) == "$ref: '#/components/schemas/Person'"


def test_remote_ref_is_a_clear_error(tmp_path: Path) -> None:
    url = "https://example.com/schemas/pet.yaml#/Pet"
    spec, found, path = _parse(tmp_path, VALID_30.replace("'#/components/schemas/Pet'", f"'{url}'"))
    assert spec is None
    (error,) = found
    assert error.level is Level.ERROR
    assert error.pointer is not None and error.pointer.endswith("/schema/$ref")
    assert "remote" in error.message
    assert url in error.message
    assert _line(path, error.line) == f"$ref: '{url}'"


def test_ref_inside_an_example_is_not_checked(tmp_path: Path) -> None:
    text = VALID_31.replace(
        "        name:\n",
        "        name:\n          example:\n            $ref: '#/not/a/real/pointer'\n",
        1,
    )
    spec, found, _ = _parse(tmp_path, text)
    assert found == []
    assert spec is not None


CHAIN = """\
openapi: 3.1.0
info: {title: Chain, version: '1'}
paths: {}
components:
  schemas:
    A:
      $ref: '#/components/schemas/B'
    B:
      $ref: '#/components/schemas/C'
    C:
      type: string
      maxLength: 3
    Slashy:
      $ref: '#/components/schemas/a~1b'
    a/b:
      type: integer
"""


def test_resolve_follows_ref_chains(tmp_path: Path) -> None:
    spec, found, _ = _parse(tmp_path, CHAIN)
    assert found == []
    assert spec is not None
    value, pointer = spec.resolve({"$ref": "#/components/schemas/A"})
    assert value == {"type": "string", "maxLength": 3}
    assert pointer == "/components/schemas/C"


def test_resolve_returns_inline_values_unchanged(tmp_path: Path) -> None:
    spec, _found, _ = _parse(tmp_path, CHAIN)
    assert spec is not None
    inline = {"type": "boolean"}
    assert spec.resolve(inline) == (inline, None)
    assert spec.resolve("text") == ("text", None)


def test_a_ref_cycle_is_an_error_at_each_member(tmp_path: Path) -> None:
    text = CHAIN + "    Loop1:\n      $ref: '#/components/schemas/Loop2'\n    Loop2:\n      $ref: '#/components/schemas/Loop1'\n"
    spec, found, _ = _parse(tmp_path, text)
    assert spec is None
    assert [(d.level, d.pointer) for d in found] == [
        (Level.ERROR, "/components/schemas/Loop1/$ref"), (Level.ERROR, "/components/schemas/Loop2/$ref")]
    assert "/components/schemas/Loop1 -> /components/schemas/Loop2 -> /components/schemas/Loop1" in found[0].message


def test_resolve_unescapes_json_pointer_tokens(tmp_path: Path) -> None:
    spec, found, _ = _parse(tmp_path, CHAIN)
    assert found == []
    assert spec is not None
    assert spec.resolve({"$ref": "#/components/schemas/Slashy"}) == (
        {"type": "integer"},
        "/components/schemas/a~1b",
    )


def test_lookup_walks_lists_and_missing_keys() -> None:
    data = {"a": [{"b": 1}, {"c": 2}]}
    assert parse.lookup(data, "/a/1/c") == 2
    assert parse.lookup(data, "/a/2/c") is None
    assert parse.lookup(data, "/x") is None
    assert parse.lookup(data, "") == data


def test_response_keys_that_are_not_statuses_are_warned_about_and_left_out(tmp_path: Path) -> None:
    spec, diagnostics, _ = _parse(tmp_path, """\
        openapi: 3.0.3
        info: {title: T, version: '1'}
        paths:
          /a:
            get:
              responses:
                X: {description: x}
                '': {description: empty}
                Default: {description: d}
                '999': {description: n}
                2xx: {description: range}
                '2XXX': {description: n}
                '404': {description: missing}
        """)
    assert spec is not None, diagnostics
    assert all(d.level is Level.WARNING for d in diagnostics), diagnostics
    responses = spec.data["paths"]["/a"]["get"]["responses"]
    assert sorted(responses) == ["2XX", "404", "default"]
    warned = {d.pointer: d.message for d in diagnostics if "response key" in d.message}
    assert set(warned) == {f"/paths/~1a/get/responses/{k}" for k in ("X", "", "Default", "999", "2xx", "2XXX")}
    assert "read as 'default'" in warned["/paths/~1a/get/responses/Default"]
