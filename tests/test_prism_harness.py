"""Prove that the Prism harness (scripts/prism.py, imported as `prism`) starts, talks to
and cleans up the Prism mock server."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import prism
import pytest
from prism import PrismError, PrismServer, violations

pytestmark = pytest.mark.prism

KEY = {"x-api-key": "test-key"}
ID_PARAM = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
ITEM = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string", "example": "widget"}},
}
ERROR = {
    "type": "object",
    "properties": {"error": {"type": "string", "example": "nope"}},
}


def _json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "harness", "version": "1.0.0"},
    "paths": {
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [ID_PARAM],
                "security": [{"apiKey": []}],
                "responses": {
                    "200": _json_response("the item", ITEM),
                    "404": _json_response("no such item", ERROR),
                    # Documenting 422 makes Prism mock it and put the
                    # violations in the sl-violations header.
                    "422": _json_response("invalid request", ERROR),
                },
            }
        },
        # No 422 documented: Prism generates problem+json with a "validation" list.
        "/plain/{id}": {
            "get": {
                "operationId": "getPlain",
                "parameters": [ID_PARAM],
                "responses": {"200": _json_response("the item", ITEM)},
            }
        },
    },
    "components": {
        "securitySchemes": {
            "apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}
        }
    },
}


def write_spec(directory: Path, spec: dict[str, Any] = SPEC) -> Path:
    path = directory / "openapi.json"
    path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_spec(tmp_path_factory.mktemp("prism-spec"))


@pytest.fixture(scope="module")
def server(spec_path: Path) -> Iterator[PrismServer]:
    with PrismServer(spec_path) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: PrismServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=10.0) as c:
        yield c


def test_valid_request_with_key_gets_200(client: httpx.Client) -> None:
    r = client.get("/items/42", headers=KEY)
    assert r.status_code == 200, r.text
    assert r.json() == {"name": "widget"}  # the schema's example
    assert "sl-violations" not in r.headers
    assert violations(r) == []


def test_bad_path_param_gets_documented_422_with_sl_violations(
    client: httpx.Client,
) -> None:
    r = client.get("/items/abc", headers=KEY)
    assert r.status_code == 422
    assert r.json() == {"error": "nope"}  # the documented 422, mocked
    assert json.loads(r.headers["sl-violations"]) == [
        {
            "location": ["request", "path", "id"],
            "severity": "Error",
            "code": "type",
            "message": "Request path parameter id must be integer",
        }
    ]
    assert violations(r) == json.loads(r.headers["sl-violations"])


def test_bad_path_param_without_documented_422_lists_violations_in_body(
    client: httpx.Client,
) -> None:
    r = client.get("/plain/abc")
    assert r.status_code == 422
    assert "sl-violations" not in r.headers
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY"
    [violation] = violations(r)
    assert violation["location"] == ["path", "id"]
    assert violation["code"] == "type"


def test_missing_key_gets_401(client: httpx.Client) -> None:
    r = client.get("/items/42")
    assert r.status_code == 401
    assert r.json()["type"] == "https://stoplight.io/prism/errors#UNAUTHORIZED"
    assert violations(r) == []  # no 401 documented: Prism names nothing
    # Security is checked before parameters.
    assert client.get("/items/abc").status_code == 401


def test_unknown_route_gets_404(client: httpx.Client) -> None:
    r = client.get("/nowhere", headers=KEY)
    assert r.status_code == 404
    assert r.json()["type"] == "https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR"


def test_prefer_code_selects_documented_response(client: httpx.Client) -> None:
    r = client.get("/items/42", headers={**KEY, "Prefer": "code=404"})
    assert r.status_code == 404
    assert r.json() == {"error": "nope"}
    undocumented = client.get("/items/42", headers={**KEY, "Prefer": "code=500"})
    assert undocumented.status_code == 404
    assert "not defined" in undocumented.json()["detail"]


def test_prefer_dynamic_generates_schema_valid_data(client: httpx.Client) -> None:
    bodies = [
        client.get("/items/42", headers={**KEY, "Prefer": "dynamic=true"})
        for _ in range(5)
    ]
    assert all(r.status_code == 200 for r in bodies)
    assert all(isinstance(r.json()["name"], str) for r in bodies)
    assert any(r.json() != {"name": "widget"} for r in bodies)


def test_dynamic_server_generates_data_without_prefer(spec_path: Path) -> None:
    with PrismServer(spec_path, dynamic=True) as srv:
        bodies = [
            httpx.get(f"{srv.base_url}/items/1", headers=KEY).json() for _ in range(5)
        ]
    assert all(isinstance(b["name"], str) for b in bodies)
    assert any(b != {"name": "widget"} for b in bodies)


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def test_exit_kills_process_group(spec_path: Path) -> None:
    with PrismServer(spec_path) as srv:
        assert srv.base_url == f"http://127.0.0.1:{srv.port}"
        assert srv.pgid is not None and srv.port is not None
        pgid, port = srv.pgid, srv.port
        assert os.getpgid(pgid) == pgid != os.getpgrp()  # its own process group
        assert not _group_gone(pgid) and _port_open(port)
    assert _group_gone(pgid)
    assert not _port_open(port)
    assert f"Prism is listening on http://127.0.0.1:{port}" in srv.log_text()


def test_exit_kills_process_group_when_body_raises(spec_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), PrismServer(spec_path) as srv:
        pgid = srv.pgid
        1 / 0  # noqa: B018
    assert pgid is not None and _group_gone(pgid)
    assert srv not in prism._live


def test_bad_spec_fails_fast_with_log_tail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ this is not json", encoding="utf-8")
    srv = PrismServer(bad)
    with pytest.raises(PrismError, match="exited with code") as info:
        srv.start()
    assert "log tail" in str(info.value)
    assert srv.pgid is not None and _group_gone(srv.pgid)


def test_missing_prism_is_a_clear_runtime_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prism, "REPO_ROOT", tmp_path)
    with pytest.raises(RuntimeError, match="npm ci"):
        prism.find_prism()


def test_port_taken_between_probe_and_bind_is_retried(
    spec_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        ports = iter([taken, prism._free_port()])
        monkeypatch.setattr(prism, "_free_port", lambda: next(ports))
        with PrismServer(spec_path) as srv:
            assert srv.port != taken
            assert httpx.get(f"{srv.base_url}/plain/1").status_code == 200
