"""Per-request options and logging, as a user meets them: `client.with_options(...)` (a copy
sharing the connection pool), per-call `extra_query` and `extra_body`, and the package's
logger (`<CLIENT>_LOG=debug|info`) showing method, URL, status, retries and timing without
credentials or bodies.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from feature_support import Package, module_package

SPEC = """\
openapi: 3.1.0
info: {title: Options, version: '1'}
servers: [{url: https://api.example.com}]
components:
  securitySchemes:
    query: {type: apiKey, in: query, name: key}
    bearer: {type: http, scheme: bearer}
security: [{query: [], bearer: []}]
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: q, in: query, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
      responses:
        '201': {description: ok, content: {application/json: {schema: {type: object}}}}
  /forms:
    post:
      operationId: sendForm
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                name: {type: string}
      responses:
        '204': {description: ok}
  /raw:
    put:
      operationId: putRaw
      requestBody:
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses:
        '204': {description: ok}
  /ping:
    post:
      operationId: ping
      responses:
        '204': {description: ok}
"""

SECRETS = {"api_key": "QUERYSECRET", "bearer_token": "BEARERSECRET"}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "options", SPEC)


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200 if request.method == "GET" else 201, json={"ok": True})


def test_with_options_is_a_copy_sharing_the_pool(package: Package) -> None:
    client, recorder = package.client(ok, **SECRETS, max_retries=1, default_headers={"X-A": "1"})
    copy = client.with_options(
        timeout=3.5, max_retries=4, default_headers={"X-B": "2"}, base_url="https://eu.example.com/"
    )
    assert type(copy) is type(client) and copy is not client
    assert (copy.max_retries, client.max_retries) == (4, 1)
    assert copy._http is client._http  # one connection pool
    copy.items.list()
    sent = recorder.last
    assert sent.url.host == "eu.example.com" and sent.url.params["key"] == "QUERYSECRET"
    assert sent.headers["X-A"] == "1" and sent.headers["X-B"] == "2"
    assert 3.4 < sent.extensions["timeout"]["read"] <= 3.5  # the time left of the call's deadline
    client.items.list()
    assert recorder.last.url.host == "api.example.com" and "X-B" not in recorder.last.headers
    copy.close()
    assert not client._http.is_closed  # the copy does not own the pool


def test_closing_a_copy_leaves_the_pool_open(package: Package) -> None:
    client = package.module.Client(**SECRETS)
    copy = client.with_options(max_retries=0)
    copy.close()
    assert not client._http.is_closed
    client.close()
    assert client._http.is_closed


def test_extra_query_adds_and_replaces_parameters(package: Package) -> None:
    client, recorder = package.client(ok, **SECRETS)
    client.items.list(q="a", extra_query={"q": "b", "tags": ["x", "y"], "beta": True})
    params = recorder.last.url.params
    assert params.get_list("q") == ["b"] and params.get_list("tags") == ["x", "y"]
    assert params["beta"] == "true" and params["key"] == "QUERYSECRET"


def test_extra_body_adds_fields_to_the_body(package: Package) -> None:
    client, recorder = package.client(ok, **SECRETS)
    client.items.create(name="n", extra_body={"undocumented": {"a": 1}, "name": "m"})
    assert json.loads(recorder.last.content) == {"name": "m", "undocumented": {"a": 1}}
    client.forms.send(name="n", extra_body={"more": "yes"})
    assert recorder.last.content == b"name=n&more=yes"
    client.ping.ping(extra_body={"hello": "there"})
    assert json.loads(recorder.last.content) == {"hello": "there"}
    assert recorder.last.headers["content-type"] == "application/json"
    with pytest.raises(package.errors.ParameterError, match="extra_body"):
        client.raw.put(body=b"bytes", extra_body={"a": 1})


def test_logging_shows_calls_and_retries_never_secrets(
    package: Package, caplog: pytest.LogCaptureFixture
) -> None:
    answers = iter([httpx.Response(503, headers={"Retry-After": "0"}), httpx.Response(201, json={"name": "n"})])
    client, _ = package.client(lambda request: next(answers), **SECRETS, max_retries=2)
    with caplog.at_level(logging.DEBUG, logger=package.name):
        client.items.create(name="BODYTEXT", extra_headers={"X-Api-Key": "HEADERSECRET"})
    records = [r for r in caplog.records if r.name == package.name]
    text = "\n".join(r.getMessage() for r in records)
    for secret in ("QUERYSECRET", "BEARERSECRET", "HEADERSECRET", "BODYTEXT"):
        assert secret not in text
    info = [r.getMessage() for r in records if r.levelno == logging.INFO]
    assert info[0].startswith("POST https://api.example.com/items?key=[redacted] -> 503")
    assert "retrying POST https://api.example.com/items?key=[redacted] in 0.00 s (retry 1 of 2, after 503)" in info[1]
    assert info[2].startswith("POST https://api.example.com/items?key=[redacted] -> 201 Created (")
    assert info[2].endswith(" s)")
    debug = [r.getMessage() for r in records if r.levelno == logging.DEBUG]
    assert debug and "'authorization': '[redacted]'" in debug[0]


def test_the_environment_variable_turns_logging_on(
    package: Package, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = package.module._base
    logger = logging.getLogger(package.name)
    monkeypatch.setenv(base.LOG_ENV, "info")
    assert base.LOG_ENV == package.name.upper() + "_LOG"
    try:
        package.client(ok)
        package.client(ok)
        handlers = [h for h in logger.handlers if h.name == base.LOG_ENV]
        assert len(handlers) == 1 and logger.level == logging.INFO
    finally:
        for handler in [h for h in logger.handlers if h.name == base.LOG_ENV]:
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
