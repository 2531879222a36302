"""Edits to a large document, built with the caches an earlier build left (decoded pieces,
pieces found valid, pieces of openapi.json), give exactly the files a cold build gives.

The document is above every cache's threshold (sources.CACHE_MIN_CHARS, valid_pieces and
spec_json MIN_PIECES). Each edit is one a user makes: a schema others reference, a schema
that references others, a rename, a deletion, a subtype of a 3.0 discriminated base (its
base's union changes without the base's text changing), a path item.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import decode_pieces, forked, sources, valid_pieces
from generator.lower import spec_json
from generator.pipeline import build

COUNT = 260  # schemas, and as many operations
WORDS = "lorem ipsum dolor sit amet " * 30
Document = dict[str, Any]


def _document() -> Document:
    schemas: Document = {
        f"Thing{i}": {
            "type": "object",
            "description": f"Thing {i}. {WORDS}",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "maxLength": 64},
                "state": {"type": "string", "enum": ["on", "off", f"s{i % 5}"]},
                "next": {"$ref": f"#/components/schemas/Thing{(i + 1) % COUNT}"},
                "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            },
        }
        for i in range(COUNT)
    }
    schemas["Pet"] = {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}},
                      "discriminator": {"propertyName": "kind"}}
    schemas["Cat"] = {"allOf": [{"$ref": "#/components/schemas/Pet"},
                                {"type": "object", "properties": {"lives": {"type": "integer"}}}]}
    schemas["Thing0"]["properties"]["pet"] = {"$ref": "#/components/schemas/Pet"}
    paths = {
        f"/things{i}/{{id}}": {"get": {
            "operationId": f"getThing{i}", "tags": [f"group{i // 20}"],
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/Thing{i}"}}}}},
        }}
        for i in range(COUNT)
    }
    return {"openapi": "3.0.3", "info": {"title": "Edits", "version": "1"},
            "servers": [{"url": "https://edits.example.com"}], "paths": paths,
            "components": {"schemas": schemas}}


def _schemas(doc: Document) -> Document:
    return doc["components"]["schemas"]  # type: ignore[no-any-return]


def _referenced(doc: Document) -> None:
    """Thing5 (which Thing4 references) gets a field and a type change."""
    props = _schemas(doc)["Thing5"]["properties"]
    props["id"] = {"type": "integer"}
    props["extra"] = {"type": "array", "items": {"type": "string", "format": "date-time"}}


def _referencing(doc: Document) -> None:
    """Thing4 now references Thing9 inline, in a union."""
    _schemas(doc)["Thing4"]["properties"]["next"] = {
        "oneOf": [{"$ref": "#/components/schemas/Thing9"}, {"type": "string"}]}


def _rename(doc: Document) -> None:
    schemas = _schemas(doc)
    schemas["Renamed7"] = schemas.pop("Thing7")
    schemas["Thing6"]["properties"]["next"] = {"$ref": "#/components/schemas/Renamed7"}
    doc["paths"]["/things7/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Renamed7"}


def _delete(doc: Document) -> None:
    schemas = _schemas(doc)
    del schemas["Thing11"]
    del schemas["Thing10"]["properties"]["next"]
    del doc["paths"]["/things11/{id}"]


def _subtype(doc: Document) -> None:
    """A new subtype of Pet: every reference to Pet becomes a wider union."""
    _schemas(doc)["Dog"] = {"allOf": [{"$ref": "#/components/schemas/Pet"},
                                      {"type": "object", "properties": {"barks": {"type": "boolean"}}}]}


def _description(doc: Document) -> None:
    _schemas(doc)["Thing3"]["description"] = "Edited. " + WORDS


EDITS: dict[str, Callable[[Document], None]] = {
    "referenced": _referenced, "referencing": _referencing, "rename": _rename, "delete": _delete,
    "subtype": _subtype, "description": _description,
}


def _build(root: Path, doc: Document, cache: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(cache))
    (root / "specs").mkdir(parents=True, exist_ok=True)
    (root / "specs" / "edits.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = build(root / "specs", root, format_code=False)
    assert result.ok, [d.render() for d in result.diagnostics]
    return result.clients["edits"].files


def test_the_document_is_above_every_cache_threshold() -> None:
    doc = _document()
    assert len(yaml.safe_dump(doc, sort_keys=False)) > sources.CACHE_MIN_CHARS
    assert len(_schemas(doc)) + len(doc["paths"]) > max(valid_pieces.MIN_PIECES, spec_json.MIN_PIECES)


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_built_with_warm_caches_gives_the_files_of_a_cold_build(
    edit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _document()
    after = copy.deepcopy(before)
    EDITS[edit](after)
    root, cache = tmp_path / "project", tmp_path / "cache"
    first = _build(root, before, cache, monkeypatch)
    used = _spy(monkeypatch)
    warm = _build(root, after, cache, monkeypatch)
    assert used["known pieces"] > COUNT and used["valid"] == [True]  # the caches were used
    assert 0 < used["encoded"] < 20, used  # openapi.json: only the pieces the edit changed
    monkeypatch.undo()
    cold = _build(tmp_path / "cold", after, tmp_path / "cold-cache", monkeypatch)
    assert warm == cold
    assert warm != first  # the edit shows in the output
    assert _build(root, before, cache, monkeypatch) == first  # and undoing it too


def _spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the next build takes from the caches."""
    used: dict[str, Any] = {"known pieces": 0, "valid": [], "encoded": 0}
    monkeypatch.setenv(forked.ENV, "1")  # validated here, where the spy sees it
    decode, valid, whole = decode_pieces.decode, valid_pieces.valid, spec_json._whole

    def decoding(text: str, known: dict[str, Any]) -> Any:
        used["known pieces"] = len(known)
        return decode(text, known)

    def validating(*args: Any) -> bool:
        used["valid"].append(valid(*args))
        return used["valid"][-1]  # type: ignore[no-any-return]

    def encoding(value: Any) -> str:
        used["encoded"] += 1
        return whole(value)

    monkeypatch.setattr(decode_pieces, "decode", decoding)
    monkeypatch.setattr(valid_pieces, "valid", validating)
    monkeypatch.setattr(spec_json, "_whole", encoding)
    return used
