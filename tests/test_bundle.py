"""`$ref`s to other files (relative to the referring file) and, when allowed, to URLs."""

from __future__ import annotations

import http.server
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.pipeline import build

ROOT = Path(__file__).resolve().parent.parent

COMMON = """\
Pet:
  type: object
  required: [name]
  properties:
    name: {type: string}
    owner: {$ref: '#/Owner'}
    tags: {$ref: 'parts/tags.yaml'}
Owner:
  type: object
  properties:
    id: {type: integer}
"""
TAGS = "type: array\nitems: {type: string}\n"
PATH_ITEM = """\
get:
  operationId: listOwners
  responses:
    '200':
      description: ok
      content:
        application/json:
          schema:
            type: array
            items: {$ref: 'common.yaml#/Owner'}
"""


def _spec(ref_base: str) -> str:
    return f"""\
openapi: 3.0.3
info: {{title: Pets, version: '1'}}
servers: [{{url: 'https://pets.example'}}]
paths:
  /pets/{{id}}:
    get:
      operationId: getPet
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: integer}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '{ref_base}common.yaml#/Pet'}}
  /owners:
    $ref: '{ref_base}owners.yaml'
"""


def _tree(tmp_path: Path, ref_base: str = "../../shared/") -> Path:
    shared = tmp_path / "shared"
    (shared / "parts").mkdir(parents=True)
    (shared / "common.yaml").write_text(COMMON)
    (shared / "parts" / "tags.yaml").write_text(TAGS)
    (shared / "owners.yaml").write_text(PATH_ITEM)
    (tmp_path / "specs" / "pets").mkdir(parents=True)
    (tmp_path / "specs" / "pets" / "api.yaml").write_text(_spec(ref_base))
    (tmp_path / "pyproject.toml").write_text('[tool.clientgen]\nref_roots = ["shared"]\n')
    return tmp_path


def test_refs_to_other_files_are_brought_into_components(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    result = build(tree / "specs", tree, ref_roots=(tree / "shared",))
    assert result.ok, [d.render() for d in result.diagnostics]
    client = result.clients["pets"].client
    assert {c.name for c in client.classes} >= {"Pet", "Owner"}
    assert [op.flat for op in client.operations] == ["get_pet", "list_owners"]
    pet = next(c for c in client.classes if c.name == "Pet")
    assert {f.name: f.type.models for f in pet.fields}["tags"] == "Tags | None"  # whole-file ref
    assert client.operations[1].returns.models == "list[Owner]"
    # The written document is self-contained: every reference stays inside it.
    refs = re.findall(r'"\$ref": "([^"]*)"', result.clients["pets"].files["openapi.json"])
    assert refs and all(ref.startswith("#/components/schemas/") for ref in refs)
    assert sorted(p.name for p in result.clients["pets"].external) == ["common.yaml", "owners.yaml", "tags.yaml"]


def test_a_missing_file_is_an_error_at_the_ref(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    (tree / "shared" / "common.yaml").unlink()
    result = build(tree / "specs", tree, ref_roots=(tree / "shared",))
    assert not result.ok
    message = next(d for d in result.diagnostics if "cannot be read" in d.message)
    assert message.file == tree / "specs" / "pets" / "api.yaml"
    assert message.line == 15
    assert message.pointer is not None and message.pointer.endswith("/schema/$ref")


def _cli(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=tree, capture_output=True,
                          text=True, timeout=300, check=False)


def test_editing_a_referenced_file_makes_the_client_stale(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    assert _cli(tree, "generate").returncode == 0
    assert _cli(tree, "check").returncode == 0
    common = tree / "shared" / "common.yaml"
    common.write_text(COMMON.replace("id: {type: integer}", "id: {type: string}"))
    stale = _cli(tree, "check")
    assert stale.returncode == 1
    assert "models.py" in stale.stdout
    assert _cli(tree, "generate").returncode == 0
    assert "id: str | None" in (tree / "generated" / "pets" / "models.py").read_text()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    folder = tmp_path / "served"
    (folder / "parts").mkdir(parents=True)
    (folder / "common.yaml").write_text(COMMON)
    (folder / "parts" / "tags.yaml").write_text(TAGS)
    (folder / "owners.yaml").write_text(PATH_ITEM)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_remote_refs_are_refused_unless_allowed(tmp_path: Path, server: str) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "pets.yaml").write_text(_spec(server))
    refused = build(specs, tmp_path)
    assert not refused.ok
    assert any("remote $ref" in d.message and "--allow-remote-refs" in d.message for d in refused.diagnostics)
    allowed = build(specs, tmp_path, allow_remote_refs=True)
    assert allowed.ok, [d.render() for d in allowed.diagnostics]
    client = allowed.clients["pets"].client
    assert {c.name for c in client.classes} >= {"Pet", "Owner"}
    assert [op.flat for op in client.operations] == ["get_pet", "list_owners"]


def _pets_with_refs(tmp_path: Path, ref_base: str) -> Path:
    specs = tmp_path / "specs"
    specs.mkdir(exist_ok=True)
    (specs / "pets.yaml").write_text(_spec(ref_base))
    return specs


def test_a_ref_outside_the_specs_folder_is_refused_and_nothing_is_copied(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    result = build(tree / "specs", tree)  # `shared` is not allowed here
    assert not result.ok and not result.clients
    refused = [d for d in result.diagnostics if "outside the specs folder" in d.message]
    assert refused and all("ref_roots" in (d.hint or "") for d in refused)
    assert refused[0].file == tree / "specs" / "pets" / "api.yaml" and refused[0].line == 15


def test_a_ref_to_a_secret_elsewhere_on_the_machine_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text("Pet: {type: object, description: TOP-SECRET-VALUE}\n")
    project = tmp_path / "project"
    project.mkdir()
    specs = _pets_with_refs(project, "../outside/")
    (specs / "pets.yaml").write_text(_spec("../../outside/").replace("common.yaml", "secret.yaml"))
    result = build(specs, project)
    assert not result.ok
    assert any("outside the specs folder" in d.message for d in result.diagnostics)
    assert not any("TOP-SECRET-VALUE" in d.render() for d in result.diagnostics)


@pytest.mark.parametrize("kind", ["fifo", "device", "symlink-out"])
def test_refs_read_regular_files_inside_the_folder_only(tmp_path: Path, kind: str) -> None:
    specs = tmp_path / "specs"
    (specs / "pets").mkdir(parents=True)
    target = specs / "pets" / "common.yaml"
    if kind == "fifo":
        import os

        os.mkfifo(target)
    elif kind == "device":
        target.symlink_to("/dev/zero")
    else:
        (tmp_path / "elsewhere.yaml").write_text(COMMON)
        target.symlink_to(tmp_path / "elsewhere.yaml")
    (specs / "pets" / "api.yaml").write_text(_spec("./").replace("  /owners:\n    $ref: './owners.yaml'\n", ""))
    result = build(specs, tmp_path)  # would hang on the FIFO or /dev/zero if it read them
    assert not result.ok
    expected = "outside the specs folder" if kind != "fifo" else "not a regular file"
    assert any(expected in d.message for d in result.diagnostics), [d.render() for d in result.diagnostics]


def test_a_default_response_ref_to_another_file_is_bundled_and_checked(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "pets"
    specs.mkdir(parents=True)
    (specs / "errors.yaml").write_text(
        "Error:\n  description: any error\n  content:\n    application/json:\n"
        "      schema: {type: object, properties: {message: {type: string}}}\n"
    )
    spec = """\
openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200': {description: ok}
        default: {$ref: 'errors.yaml#/Error'}
  /owners:
    get:
      operationId: listOwners
      responses:
        '200': {description: ok}
        default: {$ref: '#/components/responses/Missing'}
"""
    (specs / "pets.yaml").write_text(spec)
    result = build(specs.parent, tmp_path)
    assert [d.pointer for d in result.diagnostics if "points to nothing" in d.message] == [
        "/paths/~1owners/get/responses/default/$ref"
    ]
    (specs / "pets.yaml").write_text(spec.split("  /owners:")[0])
    result = build(specs.parent, tmp_path)
    assert result.ok, [d.render() for d in result.diagnostics]
    op = result.clients["pets"].client.operations[0]
    assert [r.status for r in op.responses] == ["200", "default"]
    error = next(c for c in result.clients["pets"].client.classes if c.name == op.responses[1].type.models)
    assert [f.json_name for f in error.fields] == ["message"]


def test_a_ref_from_a_brought_in_file_back_into_the_document_stays_local(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "pets"
    (specs / "apis").mkdir(parents=True)
    (specs / "apis" / "pets.yaml").write_text(
        "get:\n  operationId: listPets\n  responses:\n    '200':\n      description: ok\n"
        "      content:\n        application/json:\n"
        "          schema: {$ref: '../openapi.yaml#/components/schemas/Pet'}\n"
    )
    (specs / "openapi.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\n"
        "paths:\n  /pets: {$ref: 'apis/pets.yaml'}\n"
        "components:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n"
    )
    result = build(specs.parent, tmp_path)
    assert result.ok, [d.render() for d in result.diagnostics]
    built = result.clients["pets"]
    assert re.findall(r'"\$ref": "([^"]*)"', built.files["openapi.json"]) == ["#/components/schemas/Pet"]
    assert [c.name for c in built.client.classes] == ["Pet"]  # not a second copy, Pet2


def test_a_ref_key_inside_an_example_value_is_data_not_a_reference(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "scim.yaml").write_text("""\
openapi: 3.0.3
info: {title: Scim, version: '1'}
paths:
  /users:
    get:
      operationId: listUsers
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object}
              examples:
                default:
                  value: {"$ref": "https://api.example.com/scim/v2/Users/1", "value": "x"}
                named: {$ref: '#/components/examples/Missing'}
""")
    result = build(specs, tmp_path)
    refs = [d for d in result.diagnostics if "$ref" in d.message]
    assert [d.pointer for d in refs] == [
        "/paths/~1users/get/responses/200/content/application~1json/examples/named/$ref"
    ], [d.render() for d in refs]  # the Example Object's $ref is checked; its value is data
