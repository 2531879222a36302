"""`clientgen diff`: each kind of spec change, made by an edit here, and the report it gives.

A base spec is edited one way per case; both versions are lowered through the real pipeline
and compared. The expected report names the change, where, and whether it breaks callers.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostic
from generator.diff import report, sides
from tests.cli_support import CLIENTS, GENERATED, SPECS, clientgen

BASE = textwrap.dedent("""\
    openapi: 3.0.3
    info: {title: Pets, version: 1.0.0}
    servers: [{url: "https://pets.example"}]
    paths:
      /pets/{pet_id}:
        get:
          operationId: getPet
          parameters:
            - {name: pet_id, in: path, required: true, schema: {type: integer}}
            - {name: fields, in: query, schema: {type: array, items: {type: string, enum: [a, b]}}}
            - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
          responses:
            "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
            "404": {description: nf, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
      /pets:
        post:
          operationId: createPet
          requestBody:
            required: true
            content: {application/json: {schema: {$ref: "#/components/schemas/NewPet"}}}
          responses:
            "201": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
    components:
      schemas:
        Status: {type: string, enum: [available, sold]}
        Pet:
          type: object
          required: [id, name]
          properties:
            id: {type: integer}
            name: {type: string}
            status: {$ref: "#/components/schemas/Status"}
            age: {type: integer}
        NewPet:
          type: object
          required: [name]
          properties:
            name: {type: string}
            status: {$ref: "#/components/schemas/Status"}
            note: {type: string}
        Error: {type: object, properties: {message: {type: string}}}
""")

# (edit: (old text, new text) applied to BASE, expected changes as (kind, breaking, where))
CASES: dict[str, tuple[list[tuple[str, str]], list[tuple[str, bool, str]]]] = {
    "operation-added": (
        [("  /pets:\n", ("  /pets/count:\n    get:\n      operationId: countPets\n"
                        "      responses: {\"204\": {description: none}}\n  /pets:\n"))],
        [("operation-added", False, "pets.count")]),
    "operation-removed": (
        [("  /pets/{pet_id}:\n    get:", "  /pets/{pet_id}:\n    x-get:")],
        [("operation-removed", True, "pets.get")]),
    "operation-renamed": (
        [("operationId: createPet", "operationId: addPet")],
        [("operation-renamed", True, "pets.create")]),
    "parameter-added-optional": (
        [("        - {name: limit,", ("        - {name: sort, in: query, schema: {type: string}}\n"
                                        "        - {name: limit,"))],
        [("parameter-added", False, "pets.get(sort)")]),
    "parameter-added-required": (
        [("        - {name: limit,", ("        - {name: sort, in: query, required: true, schema: {type: string}}\n"
                                        "        - {name: limit,"))],
        [("parameter-added", True, "pets.get(sort)")]),
    "parameter-removed": (
        [("        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}\n", "")],
        [("parameter-removed", True, "pets.get(limit)")]),
    "parameter-renamed": (
        [("{name: limit, in: query", "{name: max, in: query")],
        [("parameter-renamed", True, "pets.get(max)")]),
    "parameter-required": (
        [("{name: limit, in: query,", "{name: limit, in: query, required: true,")],
        [("parameter-required", True, "pets.get(limit)")]),
    "parameter-narrowed": (
        [("minimum: 1, maximum: 100", "minimum: 1, maximum: 50")],
        [("parameter-type", True, "pets.get(limit)")]),
    "parameter-widened": (
        [("minimum: 1, maximum: 100", "minimum: 0")],
        [("parameter-type", False, "pets.get(limit)")]),
    "request-enum-value-removed": (
        [("enum: [a, b]", "enum: [a]")],
        [("enum-values-removed", True, "pets.get(fields)")]),
    "request-enum-value-added": (
        [("enum: [a, b]", "enum: [a, b, c]")],
        [("enum-values-added", False, "pets.get(fields)")]),
    # Status travels both ways (NewPet is sent, Pet received): losing a value breaks senders.
    "shared-enum-value-removed": (
        [("enum: [available, sold]", "enum: [available]")],
        [("enum-values-removed", True, "models.Status")]),
    "shared-enum-value-added": (
        [("enum: [available, sold]", "enum: [available, sold, pending]")],
        [("enum-values-added", False, "models.Status")]),
    "model-added": (
        [("    Error:", "    Owner: {type: object, properties: {label: {type: string}}}\n    Error:")],
        [("model-added", False, "models.Owner")]),
    "request-field-added-required": (
        [("      required: [name]\n      properties:\n        name: {type: string}\n",
          "      required: [name, owner]\n      properties:\n        name: {type: string}\n        owner: {type: string}\n")],
        [("field-added", True, "NewPet.owner")]),
    "response-field-added-required": (
        [("        age: {type: integer}\n", "        age: {type: integer}\n        owner: {type: string}\n"),
         ("      required: [id, name]", "      required: [id, name, owner]")],
        [("field-added", False, "Pet.owner")]),
    "response-field-removed": (
        [("        age: {type: integer}\n", "")],
        [("field-removed", True, "Pet.age")]),
    "request-field-made-required": (
        [("      required: [name]", "      required: [name, note]")],
        [("field-required", True, "NewPet.note")]),
    "response-field-made-optional": (
        [("      required: [id, name]", "      required: [id]")],
        [("field-optional", True, "Pet.name")]),
    "response-field-made-required": (
        [("      required: [id, name]", "      required: [id, name, age]")],
        [("field-required", False, "Pet.age")]),
    "response-field-widened": (
        [("        age: {type: integer}", "        age: {type: number}")],
        [("field-type", True, "Pet.age")]),
    "response-field-narrowed": (
        [("        age: {type: integer}", "        age: {type: integer, minimum: 0}")],
        [("field-type", False, "Pet.age")]),
    "request-field-narrowed": (
        [("        note: {type: string}", "        note: {type: string, maxLength: 10}")],
        [("field-type", True, "NewPet.note")]),
    "field-renamed": (
        [("properties: {message: {type: string}}", "properties: {msg: {type: string}}")],
        [("field-renamed", True, "Error.msg")]),
    "return-type": (
        [('"201": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}',
          '"201": {description: ok, content: {application/json: {schema: {type: string}}}}')],
        [("return-type", True, "pets.create() ->")]),
    "error-removed": (
        [('        "404": {description: nf, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}\n',
          "")],
        [("error-removed", False, "pets.get() 404")]),
    "error-added": (
        [('"201": {description: ok,', '"409": {description: conflict}\n        "201": {description: ok,')],
        [("error-added", False, "pets.create() 409")]),
    "body-optional": (
        [("      requestBody:\n        required: true", "      requestBody:\n        required: false")],
        [("body-optional", False, "pets.create(body)")]),
    "operation-moved": (
        [("  /pets:\n", "  /animals:\n")],  # another resource: the call changes
        [("operation-renamed", True, "pets.create"), ("operation-moved", False, "animals.create_pet")]),
    "operation-deprecated": (
        [("      operationId: getPet\n", "      operationId: getPet\n      deprecated: true\n")],
        [("operation-deprecated", False, "pets.get")]),
    "body-removed": (
        [(("      requestBody:\n        required: true\n"
          "        content: {application/json: {schema: {$ref: \"#/components/schemas/NewPet\"}}}\n"), "")],
        [("body-removed", True, "pets.create(body)")]),
    "body-media-type": (
        [("content: {application/json: {schema: {$ref: \"#/components/schemas/NewPet\"}}}",
          "content: {application/x-www-form-urlencoded: {schema: {$ref: \"#/components/schemas/NewPet\"}}}")],
        [("body-media-type", False, "pets.create(body)")]),
    "model-removed": (
        [("    Error: {type: object, properties: {message: {type: string}}}\n", ""),
         ('        "404": {description: nf, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}\n',
          "")],
        [("model-removed", True, "models.Error"), ("error-removed", False, "pets.get() 404")]),
    "error-type": (
        [('{$ref: "#/components/schemas/Error"}', "{type: string}")],
        [("error-type", False, "pets.get() 404")]),
    "credentials-added": (
        [("paths:\n", "security: [{key: []}]\npaths:\n"),
         ("components:\n", "components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n")],
        [("argument-added", False, "Client(api_key=)")]),
    "nothing-for-callers": (
        [("info: {title: Pets, version: 1.0.0}", "info: {title: Pets, version: 1.0.0, description: hello}")],
        []),
}


def _edit(replacements: list[tuple[str, str]]) -> str:
    text = BASE
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


def _diff(tmp_path: Path, new_text: str, old_text: str = BASE) -> list[tuple[str, bool, str]]:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "pets.yaml").write_text(old_text)
    (tmp_path / "new" / "pets.yaml").write_text(new_text)
    found: list[Diagnostic] = []
    before = sides.from_specs(tmp_path / "old" / "pets.yaml", found)
    after = sides.from_specs(tmp_path / "new" / "pets.yaml", found)
    assert set(before) == set(after) == {"pets"}, found
    (diff,) = report.diff_sides(before, after)
    return [(c.kind, c.breaking, c.where) for c in diff.changes]


@pytest.mark.parametrize("case", CASES)
def test_each_kind_of_change_is_reported_with_its_verdict(case: str, tmp_path: Path) -> None:
    edits, expected = CASES[case]
    assert sorted(_diff(tmp_path, _edit(edits))) == sorted(expected)


# Edits read backwards: the edited spec is the old one.
REVERSED = {
    "parameter-required": [("parameter-optional", False, "pets.get(limit)")],
    "body-removed": [("body-added", True, "pets.create(body)")],
    "credentials-added": [("argument-removed", True, "Client(api_key=)")],
    "response-field-made-optional": [("field-required", False, "Pet.name")],
    "request-field-made-required": [("field-optional", False, "NewPet.note")],
    "operation-added": [("operation-removed", True, "pets.count")],
}


@pytest.mark.parametrize("case", REVERSED)
def test_each_edit_read_backwards(case: str, tmp_path: Path) -> None:
    edited = _edit(CASES[case][0])
    assert _diff(tmp_path, edited, old_text=edited) == []  # the same spec: nothing
    (tmp_path / "r").mkdir()
    assert sorted(_diff(tmp_path / "r", BASE, old_text=edited)) == sorted(REVERSED[case])


def test_path_parameters_reordered_and_renamed(tmp_path: Path) -> None:
    two = BASE.replace("/pets/{pet_id}:", "/pets/{pet_id}/{toy}:").replace(
        "        - {name: pet_id, in: path, required: true, schema: {type: integer}}\n",
        "        - {name: pet_id, in: path, required: true, schema: {type: integer}}\n"
        "        - {name: toy, in: path, required: true, schema: {type: string}}\n")
    swapped = two.replace("/pets/{pet_id}/{toy}:", "/pets/{toy}/{pet_id}:").replace(
        "        - {name: pet_id, in: path, required: true, schema: {type: integer}}\n"
        "        - {name: toy, in: path, required: true, schema: {type: string}}\n",
        "        - {name: toy, in: path, required: true, schema: {type: string}}\n"
        "        - {name: pet_id, in: path, required: true, schema: {type: integer}}\n")
    assert sorted(_diff(tmp_path, swapped, old_text=two)) == [
        ("operation-moved", False, "pets.get"), ("parameters-reordered", True, "pets.get()")]
    (tmp_path / "r").mkdir()
    renamed = two.replace("{toy}", "{plaything}").replace("{name: toy,", "{name: plaything,")
    assert _diff(tmp_path / "r", renamed, old_text=two) == [
        ("operation-moved", False, "pets.get"), ("parameter-renamed", True, "pets.get(plaything)")]


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    run = clientgen(*args, cwd=cwd, cache_dir=cwd / ".cache")
    return subprocess.CompletedProcess(args, run.returncode, run.stdout, run.stderr)


def _project(tmp_path: Path) -> Path:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "pets.yaml").write_text(BASE)
    (tmp_path / "pyproject.toml").write_text("[tool.clientgen]\n")
    return tmp_path


def test_generated_against_specs_text_json_and_fail_on_breaking(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _cli(["generate"], project).returncode == 0
    (project / "specs" / "pets.yaml").write_text(_edit(CASES["parameter-required"][0]))
    text = _cli(["diff"], project)
    assert text.returncode == 0
    assert "pets: 1 breaking, 0 other API changes" in text.stdout
    assert "BREAKING  parameter-required  pets.get(limit): query parameter made required" in text.stdout
    failing = _cli(["diff", "--format", "json", "--fail-on-breaking"], project)
    assert failing.returncode == 1
    data = json.loads(failing.stdout)
    assert data["breaking"] == 1 and data["unacknowledged"] == ["pets"]
    assert data["clients"][0]["changes"][0]["where"] == "pets.get(limit)"
    # check and generate say it in one line
    checked = _cli(["check"], project)
    assert checked.returncode == 1 and "pets: 1 breaking, 0 other API changes" in checked.stdout
    generated = _cli(["generate"], project)
    assert "pets: 1 breaking, 0 other API changes ('clientgen diff' lists them)" in generated.stdout
    assert "pets: no API changes" in _cli(["diff"], project).stdout


def test_a_major_version_bump_acknowledges_breaking_changes_at_a_git_revision(tmp_path: Path) -> None:
    project = _project(tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(project)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "specs", "pyproject.toml"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    (project / "specs" / "pets.yaml").write_text(_edit(CASES["parameter-removed"][0]))
    unannounced = _cli(["diff", "--rev", "HEAD", "--fail-on-breaking"], project)
    assert unannounced.returncode == 1, unannounced.stdout + unannounced.stderr
    assert "not acknowledged in pets" in unannounced.stdout
    bumped = _edit([*CASES["parameter-removed"][0], ("version: 1.0.0", "version: 2.0.0")])
    (project / "specs" / "pets.yaml").write_text(bumped)
    announced = _cli(["diff", "--rev", "HEAD", "--fail-on-breaking"], project)
    assert announced.returncode == 0, announced.stdout + announced.stderr
    assert "pets 1.0.0 -> 2.0.0: 1 breaking, 0 other API changes (acknowledged by the version)" in announced.stdout
    assert _cli(["diff", "--rev", "no-such-rev"], project).returncode == 2


def test_a_renamed_operation_renames_its_inline_models_once(tmp_path: Path) -> None:
    inline = _edit([('"201": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}',
                     ('"201": {description: ok, content: {application/json: {schema: '
                     '{type: object, properties: {id: {type: integer}}}}}}'))])
    renamed = inline.replace("operationId: createPet", "operationId: addPet")
    assert sorted(_diff(tmp_path, renamed, old_text=inline)) == [
        ("model-renamed", True, "models.CreatePetResponse"),
        ("operation-renamed", True, "pets.create"),
    ]


def test_generated_matches_its_specs_even_where_methods_are_named_from_page_titles() -> None:
    # recoup's method is named from its Markdown page's title, which openapi.json keeps (x-clientgen-page-title).
    found: list[Diagnostic] = []
    before = sides.from_generated(GENERATED, found)
    after = sides.from_specs(SPECS, found)
    assert set(before) == set(after) == set(CLIENTS)
    assert before["recoup"].operations.keys() == {"tasks.delete"}
    assert [d.changes for d in report.diff_sides(before, after)] == [[], [], []]


UNION = textwrap.dedent("""\
    openapi: 3.0.3
    info: {title: Pets, version: 1.0.0}
    servers: [{url: "https://pets.example"}]
    paths:
      /pets:
        get:
          operationId: listPets
          responses:
            "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
        post:
          operationId: addToy
          requestBody:
            content: {application/json: {schema: {oneOf: [{type: string}, {type: integer}]}}}
          responses: {"204": {description: none}}
    components:
      schemas:
        Pet:
          oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
          discriminator: {propertyName: kind}
        Cat: {type: object, required: [kind], properties: {kind: {type: string}}}
        Dog: {type: object, required: [kind], properties: {kind: {type: string}}}
        Fox: {type: object, required: [kind], properties: {kind: {type: string}}}
""")


def test_union_members_added_to_a_response_or_removed_from_a_request(tmp_path: Path) -> None:
    # Callers of a discriminated union already handle UnknownVariant: a new member is no break.
    more = UNION.replace('{$ref: "#/components/schemas/Dog"}]', '{$ref: "#/components/schemas/Dog"}, '
                         '{$ref: "#/components/schemas/Fox"}]')
    (tmp_path / "a").mkdir()
    assert _diff(tmp_path / "a", more, old_text=UNION) == [("alias-type", False, "models.Pet")]
    fewer = UNION.replace("oneOf: [{type: string}, {type: integer}]", "oneOf: [{type: string}]")
    (tmp_path / "b").mkdir()
    assert _diff(tmp_path / "b", fewer, old_text=UNION) == [("body-type", True, "pets.add_toy(body)")]


OPTIONS = """\
[tool.clientgen]

[tool.clientgen.clients.pets]
package = "petstore"
client_class = "Shelter"
methods = {getPet = "animals.fetch"}
resources = {pets = "animals"}
credentials = {api_key = "token"}
"""


def _configured(tmp_path: Path, options: str = OPTIONS) -> Path:
    project = _project(tmp_path)
    (project / "pyproject.toml").write_text(options)
    return project


def _changes(run: subprocess.CompletedProcess[str]) -> list[tuple[str, bool, str]]:
    assert run.returncode in (0, 1), run.stdout + run.stderr
    (client,) = json.loads(run.stdout)["clients"]
    return sorted((c["kind"], c["breaking"], c["where"]) for c in client["changes"])


def test_the_report_names_what_callers_call_with_the_clients_options(tmp_path: Path) -> None:
    """Per-client options (package, renamed methods and resources, credential names) apply to
    both sides: a change is named as users reach it, and the options cause no change."""
    project = _configured(tmp_path)
    assert _cli(["generate"], project).returncode == 0
    assert (project / "generated" / "petstore" / "openapi.json").is_file()
    assert "petstore: no API changes" in _cli(["diff"], project).stdout
    edits = CASES["parameter-required"][0] + CASES["credentials-added"][0]
    (project / "specs" / "pets.yaml").write_text(_edit(edits))
    assert _changes(_cli(["diff", "--format", "json"], project)) == [
        ("argument-added", False, "Client(token=)"),
        ("parameter-required", True, "animals.fetch(limit)"),
    ]
    checked = _cli(["check"], project)
    assert "petstore: 1 breaking, 1 other API change ('clientgen diff' lists them)" in checked.stdout


def test_a_git_revision_is_read_with_the_options_committed_there(tmp_path: Path) -> None:
    project = _configured(tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(project)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "specs", "pyproject.toml"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    assert _changes(_cli(["diff", "--rev", "HEAD", "--format", "json"], project)) == []
    # the spec as it was, but the method renamed by the options since: callers see a rename
    (project / "pyproject.toml").write_text(OPTIONS.replace("animals.fetch", "animals.retrieve"))
    assert _changes(_cli(["diff", "--rev", "HEAD", "--format", "json"], project)) == [
        ("operation-renamed", True, "animals.fetch")]
    # the options dropped: callers are back to the names the rule gives
    (project / "pyproject.toml").write_text("[tool.clientgen]\n")
    assert _changes(_cli(["diff", "--rev", "HEAD", "--format", "json"], project)) == [
        ("operation-renamed", True, "animals.create"), ("operation-renamed", True, "animals.fetch")]


def test_the_api_summary_leaves_the_collector_as_it_found_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary freezes the built IR out of the collector's scans, and unfreezes it after,
    even when it fails: a long `clientgen watch` must still collect each old build."""
    import gc
    from types import SimpleNamespace

    from generator import regenerate

    cfg: Any = SimpleNamespace(output=tmp_path, clients={})
    kept = gc.get_freeze_count()
    seen: list[int] = []

    def failing(*args: object, **kwargs: object) -> list[str]:
        seen.append(gc.get_freeze_count())
        raise RuntimeError("summary failed")

    monkeypatch.setattr(report, "summary", failing)
    with pytest.raises(RuntimeError):
        regenerate._api_summary(cfg, {}, remember=True)
    assert seen and seen[0] > kept  # frozen while it ran
    assert gc.get_freeze_count() == kept
    monkeypatch.undo()
    assert regenerate._api_summary(cfg, {}, remember=True) == []
    assert gc.get_freeze_count() == kept


def test_check_keeps_the_surface_that_the_generated_client_matches(tmp_path: Path) -> None:
    """`check` writes no openapi.json: the surface it reads the old side from stays the one
    `generate` kept, so later summaries find it instead of lowering the old document anew."""
    project = _project(tmp_path)
    assert _cli(["generate"], project).returncode == 0
    kept = {p: p.read_bytes() for p in (project / ".cache" / "surface").rglob("*") if p.is_file()}
    assert kept
    (project / "specs" / "pets.yaml").write_text(_edit(CASES["parameter-required"][0]))
    for _ in range(2):
        checked = _cli(["check"], project)
        assert checked.returncode == 1 and "pets: 1 breaking, 0 other API changes" in checked.stdout
    assert {p: p.read_bytes() for p in (project / ".cache" / "surface").rglob("*") if p.is_file()} == kept
    generated = _cli(["generate"], project)
    assert "pets: 1 breaking, 0 other API changes ('clientgen diff' lists them)" in generated.stdout
    assert {p: p.read_bytes() for p in (project / ".cache" / "surface").rglob("*") if p.is_file()} != kept
