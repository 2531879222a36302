"""Which operations page, and how: detection from the usual names and stated forms, read
from the IR of an inline spec (no formatting: these only look at `Operation.paging`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from feature_support import build, errors_of, unique_name

from generator.ir import Operation

ITEMS = {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}


def query(name: str, kind: str = "string", **more: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": kind, **more}}


def lowered(tmp_path: Path, params: list[dict[str, Any]], body: dict[str, Any], *,
            method: str = "get", headers: dict[str, Any] | None = None, **extensions: Any) -> Operation:
    (tmp_path / "pyproject.toml").write_text("")
    response: dict[str, Any] = {"description": "ok", "content": {"application/json": {"schema": body}}}
    if headers:
        response["headers"] = headers
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {method: {"operationId": "things", "parameters": params,
                                       "responses": {"200": response}, **extensions}}},
    }
    name = unique_name("lowpag")
    result, _ = build(tmp_path / "specs", name, json.dumps(spec), format_code=False)
    assert errors_of(result.diagnostics) == []
    (op,) = result.clients[name].client.operations
    return op


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def test_slack_cursor_in_response_metadata(tmp_path: Path) -> None:
    body = obj(members=ITEMS, response_metadata=obj(next_cursor={"type": "string"}))
    op = lowered(tmp_path, [query("cursor"), query("limit", "integer")], body)
    assert op.paging is not None
    assert (op.paging.style, op.paging.param, op.paging.next, op.paging.items, op.paging.limit) == (
        "cursor", "cursor", ("response_metadata", "next_cursor"), ("members",), "limit")


def test_google_page_token(tmp_path: Path) -> None:
    op = lowered(tmp_path, [query("pageToken"), query("pageSize", "integer")],
                 obj(items=ITEMS, nextPageToken={"type": "string"}))
    assert op.paging is not None
    assert (op.paging.style, op.paging.param, op.paging.next, op.paging.limit) == (
        "cursor", "page_token", ("nextPageToken",), "page_size")


def test_a_page_number_may_start_at_zero(tmp_path: Path) -> None:
    op = lowered(tmp_path, [query("page", "integer", minimum=0)], obj(content=ITEMS, total={"type": "integer"}))
    assert op.paging is not None and (op.paging.style, op.paging.start) == ("page", 0)


@pytest.mark.parametrize(
    ("params", "body", "method"),
    [
        ([query("page", "integer")], obj(items=ITEMS), "post"),  # not a GET
        ([query("page", "integer")], obj(name={"type": "string"}), "get"),  # no list
        ([query("start", "string", format="date-time")], obj(items=ITEMS), "get"),  # a date
        ([query("limit", "integer")], obj(items=ITEMS), "get"),  # nothing moves the page
        ([query("page", "integer")], obj(a=ITEMS, b=ITEMS), "get"),  # which list?
    ],
)
def test_what_is_not_paged(tmp_path: Path, params: list[dict[str, Any]], body: dict[str, Any], method: str) -> None:
    assert lowered(tmp_path, params, body, method=method).paging is None


def test_a_link_header_wins(tmp_path: Path) -> None:
    op = lowered(tmp_path, [query("page", "integer")], ITEMS, headers={"Link": {"schema": {"type": "string"}}})
    assert op.paging is not None and (op.paging.style, op.paging.items) == ("link", ())


def test_speakeasy_cursor_from_the_last_item(tmp_path: Path) -> None:
    stated = {"type": "cursor", "inputs": [{"name": "since", "in": "parameters", "type": "cursor"}],
              "outputs": {"nextCursor": "$.data[-1].id"}}
    op = lowered(tmp_path, [query("since")], obj(data=ITEMS), **{"x-speakeasy-pagination": stated})
    assert op.paging is not None
    assert (op.paging.style, op.paging.param, op.paging.items, op.paging.item_id) == (
        "cursor", "since", ("data",), ("id",))


def test_fern_offset_with_a_step(tmp_path: Path) -> None:
    stated = {"offset": "$request.skip", "step": "$request.take", "results": "$response.rows",
              "has-next-page": "$response.more"}
    op = lowered(tmp_path, [query("skip", "integer"), query("take", "integer")],
                 obj(rows=ITEMS, more={"type": "boolean"}), **{"x-fern-pagination": stated})
    assert op.paging is not None
    assert (op.paging.style, op.paging.param, op.paging.limit, op.paging.has_more) == (
        "offset", "skip", "take", ("more",))


def test_azure_without_a_next_link_is_one_page(tmp_path: Path) -> None:
    op = lowered(tmp_path, [query("page", "integer")], obj(value=ITEMS),
                 **{"x-ms-pageable": {"nextLinkName": None}})
    assert op.paging is None


def test_a_misread_x_pagination_warns_and_detects(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    spec = {
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"get": {
            "operationId": "things", "parameters": [query("page", "integer")],
            "x-pagination": {"style": "pages"},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": obj(items=ITEMS)}}}},
        }}},
    }
    name = unique_name("lowpag")
    result, _ = build(tmp_path / "specs", name, json.dumps(spec), format_code=False)
    warnings = [d.message for d in result.diagnostics if "x-pagination" in d.message]
    assert warnings and "style must be one of" in warnings[0]
    (op,) = result.clients[name].client.operations
    assert op.paging is not None and op.paging.style == "page"


def test_a_union_item_is_typed_without_pydantic_metadata(tmp_path: Path) -> None:
    card = {"type": "object", "properties": {"id": {"type": "string"}, "last4": {"type": "string"}}}
    bank = {"type": "object", "properties": {"id": {"type": "string"}, "iban": {"type": "string"}}}
    items = {"type": "array", "items": {"anyOf": [card, {"type": "integer", "format": "int64"}, bank]}}
    op = lowered(tmp_path, [query("starting_after")], obj(data=items, has_more={"type": "boolean"}))
    assert op.paging is not None
    # `list[Annotated[A | int | B, WrapValidator(...)]]` in the model: only the type here
    assert "Annotated" not in op.paging.item.client and "Annotated" not in op.paging.item.imports
    assert op.paging.item.client.count("models.") == 2 and " | int | " in op.paging.item.client
