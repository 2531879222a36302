"""Validating a document piece by piece (generator/valid_pieces.py): a valid document is
found valid with only its changed pieces validated again; an invalid one gets exactly the
diagnostics validating it whole gives."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pydantic
import pytest
from openapi_pydantic.v3.v3_0 import OpenAPI as OpenAPI30
from openapi_pydantic.v3.v3_1 import OpenAPI as OpenAPI31

from generator import merge, parse, sources, valid_pieces
from generator.diagnostics import Diagnostic


def _document(version: str = "3.0.3") -> dict[str, Any]:
    schemas = {f"S{i}": {"type": "object", "properties": {"n": {"type": "integer"}}} for i in range(30)}
    paths = {f"/s{i}": {"get": {"responses": {"200": {"description": "ok"}}}} for i in range(30)}
    return {"openapi": version, "info": {"title": "V", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas}}


@pytest.fixture(autouse=True)
def _small_documents_count(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(valid_pieces, "MIN_PIECES", 10)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))


def _count_validations(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    validated: list[Any] = []
    real = pydantic.TypeAdapter

    class Counting(real):  # type: ignore[misc,valid-type]
        def validate_python(self, value: Any, *args: Any, **kwargs: Any) -> Any:
            validated.append(value)
            return super().validate_python(value, *args, **kwargs)

    monkeypatch.setattr(pydantic, "TypeAdapter", Counting)
    return validated


@pytest.mark.parametrize("model", [OpenAPI30, OpenAPI31])
def test_a_valid_document_is_valid_and_only_changed_pieces_are_validated_again(
    model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _document("3.1.0" if model is OpenAPI31 else "3.0.3")
    validated = _count_validations(monkeypatch)
    assert valid_pieces.valid(model, data, "here")
    assert len(validated) == 60  # every piece, the first time
    data["components"]["schemas"]["S3"]["description"] = "edited"
    validated.clear()
    assert valid_pieces.valid(model, data, "here")
    assert validated == [data["components"]["schemas"]["S3"]]


@pytest.mark.parametrize("where", ["schema", "path", "rest"])
def test_an_invalid_document_is_never_valid(where: str) -> None:
    data = _document()
    assert valid_pieces.valid(OpenAPI30, data, "here")  # its pieces are known valid now
    bad = copy.deepcopy(data)
    if where == "schema":
        bad["components"]["schemas"]["S4"]["properties"] = 7
    elif where == "path":
        bad["paths"]["/s4"]["get"]["responses"] = "none"
    else:
        bad["info"] = {"version": "1"}  # no title
    assert not valid_pieces.valid(OpenAPI30, bad, "here")


def _diagnostics(data: dict[str, Any], path: Path) -> list[str]:
    import json

    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    loaded = sources.Loaded()
    sources.load_file(path, "v", loaded)
    found: list[Diagnostic] = []
    client = merge.merge("v", loaded.documents, found)
    parse.parse(client, found, ref_roots=(path.parent,))
    return [d.render() for d in found]


def test_an_invalid_document_gets_the_diagnostics_of_whole_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _document()
    assert _diagnostics(data, tmp_path / "v.json") == []  # valid, in pieces: remembered
    data["components"]["schemas"]["S4"]["properties"] = 7
    data["info"] = {"version": "1"}
    in_pieces = _diagnostics(data, tmp_path / "v.json")
    monkeypatch.setattr(valid_pieces, "MIN_PIECES", 10**9)  # whole validation only
    assert in_pieces == _diagnostics(data, tmp_path / "v.json") and len(in_pieces) == 2
