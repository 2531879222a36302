"""generator/lower/spec_json.py: the published document, put together from cached pieces,
is exactly `json.dumps(..., indent=2, sort_keys=True, ensure_ascii=False)`, cold, warm and
after edits."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from generator.lower import spec_json


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))


def _reference(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


def _document(n: int) -> dict[str, Any]:
    schemas = {
        f"Schema{i}": {"type": "object", "description": f"caf\u00e9 \u2028 \"q\" {i}\nline two",
                       "properties": {"b": {"type": "integer", "default": i}, "a": {"type": "string"}},
                       "required": ["b", "a"], "x-list": [[], {}, None, 1.5, True]}
        for i in range(n)
    }
    paths = {f"/items/{i}": {"get": {"responses": {"200": {"$ref": f"#/components/schemas/Schema{i}"}}},
                             "parameters": []} for i in range(n)}
    return {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas, "responses": {}}, "tags": [{"name": "z"}], "z": {}}


def test_same_text_cold_warm_and_after_edits() -> None:
    data = _document(300)
    assert spec_json.dumps(data, "doc") == _reference(data)  # cold
    assert spec_json.dumps(data, "doc") == _reference(data)  # every piece from the cache
    edited = copy.deepcopy(data)
    edited["components"]["schemas"]["Schema7"]["properties"]["b"]["type"] = "number"
    del edited["components"]["schemas"]["Schema8"]
    edited["components"]["schemas"]["Renamed9"] = edited["components"]["schemas"].pop("Schema9")
    edited["paths"]["/items/3"]["get"]["responses"]["200"] = {"description": "new"}
    assert spec_json.dumps(edited, "doc") == _reference(edited)
    assert spec_json.dumps(data, "doc") == _reference(data)  # and back


def test_a_cached_piece_is_placed_at_its_own_depth() -> None:
    data = _document(250)
    data["components"]["schemas"]["Schema1"] = {"k": {"k": [1, {"k": 2}]}}
    data["paths"]["/items/1"]["get"] = {"k": {"k": [1, {"k": 2}]}}  # the same value, elsewhere
    data["paths"]["/items/2"] = {"k": {"k": [1, {"k": 2}]}}  # and a level higher
    assert spec_json.dumps(data, "doc") == _reference(data)
    assert spec_json.dumps(data, "doc") == _reference(data)


def test_keys_that_are_no_strings_give_what_the_whole_encoder_gives() -> None:
    data: dict[Any, Any] = _document(250)
    data["components"]["schemas"]["Schema3"] = {1: "one", 2: {3: True}}  # sortable: turned into text
    assert spec_json.dumps(data, "doc") == _reference(data)
    data["paths"][7] = {"get": {}}  # beside text keys json cannot sort them: its error, unchanged
    with pytest.raises(TypeError):
        _reference(data)
    with pytest.raises(TypeError):
        spec_json.dumps(data, "doc")
    only_numbers = {"paths": {1: {"get": {}}, 2: {}}, "components": {"schemas": {i: {} for i in range(300)}}}
    assert spec_json.dumps(only_numbers, "doc") == _reference(only_numbers)


def test_small_and_unusual_documents() -> None:
    for data in ({}, {"a": []}, {"paths": {}}, {"paths": {"/x": {}}}, _document(3), [1, {"a": 2}], "text"):
        assert spec_json.dumps(data, "small") == _reference(data)
