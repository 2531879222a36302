"""The contract sweep (scripts/sweep/): its value synthesizer, and the tool end to end.

The synthesizer's values must fit their schemas: checked by the sweep's own schema check, by
the generated client's pydantic models, and by Prism, which reports no request violation
for any call of an inline spec covering formats, patterns, bounds, enums, const and unions.
The end-to-end test sweeps the fixed sample kept in tests/corpus_sample and checks the table,
the JSON lines and the classes; it asserts `ok` only where the generator is known to work
(other documents there show known generator defects, which the sweep reports).
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from argparse import Namespace
from pathlib import Path
from typing import Any

import httpx
import pytest

from scripts.corpus import Row, generate
from scripts.sweep.classify import CLASSES
from scripts.sweep.conform import problems
from scripts.sweep.document import sweep
from scripts.sweep.patterns import matching
from scripts.sweep.synth import Synth

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = ROOT / "tests" / "corpus_sample"

SCHEMAS: dict[str, Any] = {
    "Formats": {
        "type": "object",
        "required": ["id", "at", "day", "mail", "site", "host", "blob", "count"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "at": {"type": "string", "format": "date-time"},
            "day": {"type": "string", "format": "date"},
            "mail": {"type": "string", "format": "email"},
            "site": {"type": "string", "format": "uri"},
            "host": {"type": "string", "format": "ipv4"},
            "blob": {"type": "string", "format": "byte"},
            "count": {"type": "integer", "format": "int64"},
            "ratio": {"type": "number", "format": "double"},
        },
    },
    "Patterned": {
        "type": "object",
        "required": ["code", "sku", "slug"],
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Z]{3}-\\d{2,4}$"},
            "sku": {"type": "string", "pattern": "^(ab|cd)_[0-9a-f]{6}$", "example": "nope"},
            "slug": {"type": "string", "minLength": 12, "maxLength": 14},
            "tail": {"type": "string", "pattern": "x+$", "minLength": 5},
        },
    },
    "Bounded": {
        "type": "object",
        "required": ["small", "big", "step", "tenth", "items"],
        "properties": {
            "small": {"type": "integer", "minimum": -10, "maximum": -3},
            "big": {"type": "integer", "minimum": 100, "exclusiveMinimum": True},
            "step": {"type": "integer", "minimum": 7, "multipleOf": 5},
            "tenth": {"type": "number", "minimum": 2.5, "maximum": 3, "multipleOf": 0.1},
            "items": {"type": "array", "minItems": 2, "uniqueItems": True,
                      "items": {"type": "string", "enum": ["a", "b", "c"]}},
        },
    },
    "Choice": {
        "type": "object",
        "required": ["colour", "fixed", "size"],
        "properties": {
            "colour": {"type": "string", "enum": ["red", "green"]},
            "fixed": {"type": "string", "enum": ["only"]},
            "size": {"type": "integer", "default": 3, "minimum": 1},
            "label": {"type": "string", "example": "shown", "maxLength": 10},
        },
    },
    "Circle": {
        "type": "object", "required": ["kind", "radius"],
        "properties": {"kind": {"type": "string", "enum": ["circle"]},
                       "radius": {"type": "number", "minimum": 0, "exclusiveMinimum": True}},
    },
    "Square": {
        "type": "object", "required": ["kind", "side"],
        "properties": {"kind": {"type": "string", "enum": ["square"]},
                       "side": {"type": "integer", "maximum": 9}},
    },
    "Shape": {
        "oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}],
        "discriminator": {"propertyName": "kind", "mapping": {
            "circle": "#/components/schemas/Circle", "square": "#/components/schemas/Square"}},
    },
    "Drawing": {
        "type": "object",
        "required": ["shape", "scale"],
        "properties": {
            "shape": {"$ref": "#/components/schemas/Shape"},
            "scale": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": "^x\\d$"}]},
            "formats": {"$ref": "#/components/schemas/Formats"},
            "patterned": {"$ref": "#/components/schemas/Patterned"},
            "bounded": {"$ref": "#/components/schemas/Bounded"},
            "choice": {"$ref": "#/components/schemas/Choice"},
            "either": {"$ref": "#/components/schemas/Either"},
            "ids": {"$ref": "#/components/schemas/Ids"},
            "status": {"$ref": "#/components/schemas/Status"},
        },
    },
    "Either": {  # the oneOf picks among the sibling properties; `not` forbids both
        "type": "object",
        "properties": {"link": {"type": "string", "format": "uri"}, "file_id": {"type": "string"}},
        "oneOf": [{"required": ["link"]}, {"required": ["file_id"]}],
        "not": {"required": ["link", "file_id"]},
    },
    "Ids": {"type": "array", "minItems": 3, "uniqueItems": True,
            "items": {"type": "string", "pattern": "^(0|[1-9][0-9]*)$"}},
    "Status": {"type": "string", "enum": [], "allOf": [{"oneOf": [{"const": "OPEN"}, {"const": "SHUT"}]}]},
    "Problem": {"type": "object", "required": ["message"],
                "properties": {"message": {"type": "string", "example": "not found"}}},
}


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Sweep features", "version": "1.0.0"},
    "paths": {
        "/drawings/{code}": {
            "post": {
                "operationId": "createDrawing",
                "parameters": [
                    {"name": "code", "in": "path", "required": True,
                     "schema": {"type": "string", "pattern": "^d-[a-z]{2}\\d$"}},
                    {"name": "limit", "in": "query", "required": True,
                     "schema": {"type": "integer", "minimum": 5, "maximum": 8}},
                    {"name": "since", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "X-Mode", "in": "header", "schema": {"type": "string", "enum": ["fast", "slow"]}},
                ],
                "requestBody": {"required": True, "content": _json("Drawing")},
                "responses": {
                    # A simple answer: Prism's static mock of Drawing breaks uniqueItems and
                    # patterns (the sweep calls that a prism-fault); this test is about requests.
                    "201": {"description": "made", "content": _json("Problem")},
                    "404": {"description": "no such thing", "content": _json("Problem")},
                },
            }
        }
    },
    "components": {"schemas": SCHEMAS},
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The generated package for SPEC, imported."""
    folder = tmp_path_factory.mktemp("sweep-features")
    (folder / "features.json").write_text(json.dumps(SPEC))
    row = Row("features.json", "openapi-document", "3.0.3", 1, len(SCHEMAS))
    generate(row, folder, folder / "out", 901)
    assert row.status == "written", row.note
    sys.path.insert(0, str(folder / "out"))
    importlib.invalidate_caches()
    return importlib.import_module(row.package)


@pytest.mark.parametrize(
    ("pattern", "low", "high"),
    [("^[A-Z]{3}-\\d{2,4}$", 0, None), ("^(?<year>\\d{4})-\\k<year>$", 0, None),
     ("^#?([a-f0-9]{6}|[a-f0-9]{3})$", 0, None), ("[^abc]{2}", 6, 8), ("^cus_[A-Za-z0-9]+$", 12, 20),
     ("^(?!x)\\w+\\.\\w{2,}$", 0, None), ("^\\s*\\S+@\\S+$", 0, None)],
)
def test_pattern_strings_match_their_regex_and_lengths(pattern: str, low: int, high: int | None) -> None:
    text = matching(pattern, low, high)
    assert text is not None, pattern
    assert re.search(pattern.replace("(?<year>", "(?P<year>").replace("\\k<year>", "(?P=year)"), text)
    assert low <= len(text) <= (high if high is not None else len(text)), text


def test_a_regex_python_cannot_read_gives_none_so_examples_are_used() -> None:
    assert matching("^\\p{L}+$") is None
    schema = {"type": "string", "pattern": "^\\p{L}+$", "example": "Zoë"}
    assert Synth({}).value(schema, "#/x") == "Zoë"


def test_const_and_enum_beside_a_ref_are_what_the_sweep_sends() -> None:
    doc = {"components": {"schemas": {"Status": {"type": "string"}}}}
    ref = "#/components/schemas/Status"
    assert Synth(doc).value({"$ref": ref, "const": "active"}, "#/x") == "active"
    assert Synth(doc).value({"$ref": ref, "enum": ["asc", "desc"]}, "#/x") == "asc"


def test_a_form_body_gets_a_map_with_an_entry_not_an_empty_object() -> None:
    # Stripe's `currency_options`: a map whose values are objects. Empty, it has no bracket
    # form (the client sends `currency_options=`, which the schema's object refuses).
    entry = {"type": "object", "required": ["amount_off"], "properties": {"amount_off": {"type": "integer"}}}
    schema = {"type": "object", "properties": {"currency_options": {"type": "object", "additionalProperties": entry}}}
    assert Synth({}, nonempty=True).value(schema, "#/x") == {"currency_options": {"key0": {"amount_off": 1}}}
    assert Synth({}).value(schema, "#/x") == {}


def test_an_enum_value_its_type_refuses_is_not_sent() -> None:
    # readme's schema-enums: `type: number, enum: ["", 0, 1, 2]`
    assert Synth({}).value({"type": "number", "enum": ["", "", 0, 2]}, "#/x") == 0
    assert Synth({}).value({"type": "number", "enum": [""]}, "#/x") == ""  # nothing fits: as listed


def test_an_example_that_breaks_its_format_is_not_used() -> None:
    # "#/a~1b" is a URI fragment, not an RFC 6901 pointer: the sweep must send a real one.
    schema = {"type": "string", "format": "json-pointer", "example": "#/a~1b"}
    value = Synth({}).value(schema, "#/x")
    assert value != "#/a~1b" and problems({}, schema, value) == []


@pytest.mark.parametrize("optional", [False, True])
@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_synthesized_values_fit_the_schema_and_the_generated_model(client: Any, name: str, optional: bool) -> None:
    doc = json.loads((Path(client.__file__).parent / "openapi.json").read_text())
    synth = Synth(doc, optional=optional)
    ref = {"$ref": f"#/components/schemas/{name}"}
    value = synth.value(ref, ref["$ref"])
    assert problems(doc, ref, value) == [], value
    for site, count in synth.sites.items():  # every union branch, too
        for index in range(count):
            other = Synth(doc, optional=optional, choices={site: index}).value(ref, ref["$ref"])
            assert problems(doc, ref, other) == [], (site, index, other)
            model = getattr(client.models, name)
            client._base.adapter(model).validate_python(other)
    model = getattr(client.models, name)
    client._base.adapter(model).validate_python(value)


def test_optional_fields_are_left_out_then_given_and_bounds_are_kept(client: Any) -> None:
    doc = json.loads((Path(client.__file__).parent / "openapi.json").read_text())
    ref = {"$ref": "#/components/schemas/Patterned"}
    plain, full = Synth(doc).value(ref, "#"), Synth(doc, optional=True).value(ref, "#")
    assert "tail" not in plain and full["tail"].endswith("x") and len(full["tail"]) >= 5
    assert plain["sku"] != "nope", "an example that breaks its own pattern is not used"
    bounded = Synth(doc).value({"$ref": "#/components/schemas/Bounded"}, "#")
    assert bounded["small"] == -10 and bounded["big"] == 101 and bounded["step"] == 10
    assert len(set(bounded["items"])) == len(bounded["items"]) == 2
    choice = Synth(doc, optional=True).value({"$ref": "#/components/schemas/Choice"}, "#")
    assert choice == {"colour": "red", "fixed": "only", "size": 3, "label": "shown"}


def test_prism_accepts_every_call_the_sweep_makes_for_the_feature_spec(tmp_path: Path) -> None:
    (tmp_path / "features.json").write_text(json.dumps(SPEC))
    row = Row("features.json", "openapi-document", "3.0.3", 1, len(SCHEMAS))
    out = tmp_path / "calls.jsonl"
    with open(out, "w") as handle:
        summary = sweep(row, tmp_path, 902, handle, Namespace(budget=120.0, timeout=20.0, dynamic=2))
    assert summary["status"] == "swept", summary
    calls = [json.loads(line) for line in out.read_text().splitlines()]
    variants = {c["variant"] for c in calls}
    assert {"plain", "full", "dynamic-1", "dynamic-2", "error-404"} <= variants
    # second branches: Shape (Square), scale (string), Either (file_id), Status (SHUT)
    assert sum(v.startswith("branch:") for v in variants) == 4
    assert {c["mode"] for c in calls} == {"sync", "async"}
    for call in calls:
        assert call["violations"] == [], call
        assert call["class"] == "ok", call


def _sweep_sample(tmp_path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    out = tmp_path / "calls.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "scripts.sweep", "--sample", "--corpus", str(SAMPLE_CORPUS),
         "--out", str(out), "--dynamic", "1", "--budget", "120"],
        capture_output=True, text=True, timeout=600, cwd=ROOT, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.splitlines(), [json.loads(line) for line in out.read_text().splitlines()]


def test_the_sample_sweep_prints_rows_and_writes_a_record_per_call(tmp_path: Path) -> None:
    lines, records = _sweep_sample(tmp_path)
    from scripts.sweep.__main__ import SAMPLE

    documents = [r for r in records if r["record"] == "document"]
    assert sorted(d["document"] for d in documents) == sorted(SAMPLE)
    assert all(d["status"] == "swept" for d in documents), documents
    for path in SAMPLE:
        assert any(line.rstrip().endswith(f"{path}  [swept]") for line in lines), (path, lines)
    assert any("TOTAL (7 documents)" in line for line in lines)
    calls = [r for r in records if r["record"] == "call"]
    keys = {"document", "operation", "method", "path", "variant", "mode", "class", "detail",
            "request", "status", "violations"}
    for call in calls:
        assert keys <= call.keys(), call
        assert call["class"] in CLASSES, call
        if call["class"] in ("spec-fault", "prism-fault", "ambiguous"):
            assert call["proof"], call  # a fault is never claimed without its proof

    def of(document: str, operation: str | None = None) -> list[dict[str, Any]]:
        return [c for c in calls if c["document"].endswith(document)
                and (operation is None or c["operation"] == operation)]

    # Known to work: every call of these is ok.
    for call in of("v3.0/petstore-expanded.yaml") + of("schema-validation.yaml", "string_pattern") + \
            of("train-travel.yaml", "stations.get") + of("file-uploads.yaml", "multipart_form_data.single_file"):
        assert call["class"] == "ok", call
    # A oneOf whose branches overlap, with a discriminator Prism does not use: kept apart.
    ambiguous = of("discriminators.yaml",
                   "discriminator_with_no_mapping.one_of_with_top_level_discriminator_no_mapping")
    assert {c["class"] for c in ambiguous} == {"ambiguous"}
    proof = ambiguous[0]["proof"]
    assert proof["spec_pointer"].endswith("/requestBody/content/application~1json/schema/oneOf")
    assert proof["discriminator"] and proof["also_fits"] == [1]
    # An allOf of a string and an integer: the spec's fault, proven by the schema.
    assert {c["class"] for c in of("schema-types.yaml", "quirks.entirely_incompatible_all_of")} == {"spec-fault"}


def test_prism_gets_a_copy_without_url_refs_inside_examples(tmp_path: Path) -> None:
    from scripts.sweep.prism_copy import RENAMED, prism_document

    doc = {"components": {
        "schemas": {"Member": {"type": "object", "properties": {"$ref": {"type": "string"}}}},
        "examples": {"group": {"value": {"members": [{"$ref": "https://api.example.com/u/1"}]}}}}}
    (tmp_path / "openapi.json").write_text(json.dumps(doc))
    served, renamed = prism_document(tmp_path / "openapi.json")
    assert renamed == ["#/components/examples/group/value/members/0/$ref"]
    copy = json.loads(served.read_text())
    assert copy["components"]["examples"]["group"]["value"]["members"] == [{RENAMED: "https://api.example.com/u/1"}]
    assert copy["components"]["schemas"] == doc["components"]["schemas"]
    clean = tmp_path / "clean" / "openapi.json"
    clean.parent.mkdir()
    clean.write_text(json.dumps({"components": {"schemas": doc["components"]["schemas"]}}))
    assert prism_document(clean) == (clean, [])


def test_prism_misreading_multipart_arrays_and_json_parts_is_proven_not_assumed() -> None:
    from scripts.sweep.classify import _multipart_misread

    request = httpx.Request("POST", "http://127.0.0.1/", files=[
        ("tags", (None, b"a", None)), ("tags", (None, b"b", None)),
        ("meta", (None, b'{"a":1}', "application/json")), ("note", (None, b"x", None)),
    ])
    said = [{"location": ["request", "body", "tags"], "message": "Request body property tags must be array"},
            {"location": ["request", "body", "meta"], "message": "Request body property meta must be object"}]
    verdict = _multipart_misread(request, said)
    assert verdict is not None and verdict.cls == "prism-fault"
    assert [f["parts_sent"] for f in verdict.proof["fields"]] == [["text/plain", "text/plain"], ["application/json"]]
    # A text part where an object belongs is the client's fault, and so is any other violation.
    assert _multipart_misread(request, [{"location": ["request", "body", "note"], "message": "must be object"}]) is None
    assert _multipart_misread(request, [*said, {"location": ["request", "query", "q"], "message": "required"}]) is None
    reserved = [{"location": ["body", "note"], "message": "Reserved characters used in request body"}]
    assert _multipart_misread(request, reserved) is not None  # multipart: the rule does not apply
    form = httpx.Request("POST", "http://127.0.0.1/", data={"note": "a,b"})
    assert _multipart_misread(form, reserved) is None  # url-encoded: it does


def test_a_requirement_no_request_can_meet_is_proven_a_spec_fault() -> None:
    from types import SimpleNamespace

    from scripts.sweep.classify import _security_clash

    doc = {"components": {"securitySchemes": {
        "basic": {"type": "http", "scheme": "basic"}, "oauth": {"type": "oauth2"},
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"}}}}
    said = [{"location": ["request"], "message": "Invalid security scheme used"}]
    clash = SimpleNamespace(spec={"security": [{"basic": [], "oauth": []}]})
    verdict = _security_clash(doc, clash, said, None)
    assert verdict is not None and verdict.cls == "spec-fault"
    assert verdict.proof["requirements"] == [{"requirement": ["basic", "oauth"],
                                              "headers": ["authorization", "authorization"]}]
    # One requirement that a request can meet: the rejection stays the client's.
    fine = SimpleNamespace(spec={"security": [{"basic": [], "oauth": []}, {"key": [], "oauth": []}]})
    assert _security_clash(doc, fine, said, None) is None
