"""Response headers and streamed bodies, end to end.

Documented success-response headers become a model per operation (`DownloadHeaders`),
read with `with_raw_response(...).headers_as(...)`; `with_streaming_response` hands a
successful response over unread. Checked through httpx.MockTransport (sync and async), with
mypy --strict, and against Prism, which sends the documented headers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import textwrap
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from feature_support import Package, module_package, mypy_strict
from prism import PrismServer

SPEC = r"""
openapi: 3.0.3
info: {title: Files, version: '1'}
servers: [{url: https://files.example.com}]
paths:
  /files/{name}:
    parameters:
      - {name: name, in: path, required: true, schema: {type: string}}
    get:
      operationId: download
      responses:
        '200':
          description: the file
          headers:
            X-Rate-Limit-Remaining:
              required: true
              description: Calls left this hour.
              schema: {type: integer, example: 41}
            ETag:
              schema: {type: string, example: abc}
            Last-Modified:
              schema: {type: string, format: date-time, example: '2024-05-01T10:00:00Z'}
            Content-Type:
              schema: {type: string}
            X-Mode:
              $ref: '#/components/headers/Mode'
            X-Tier:
              schema: {type: integer, enum: [1, 2]}
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
        '206':
          description: part of the file
          headers:
            X-Rate-Limit-Remaining:
              required: true
              schema: {type: integer}
            Content-Range:
              required: true
              schema: {type: string}
            X-Checksums:  # here, not in 200: Prism 5.14 crashes sending array headers
              schema: {type: array, items: {type: string}}
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
        '404':
          description: missing
          content:
            application/json:
              schema:
                type: object
                properties:
                  message: {type: string}
  /plain:
    get:
      operationId: plain
      responses:
        '200':
          description: no headers documented
          content:
            application/json:
              schema: {type: object, properties: {ok: {type: boolean}}}
components:
  headers:
    Mode:
      schema: {type: string, enum: [fast, slow]}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "responses", SPEC)


FILE = b"0123456789" * 1000


def _serve(request: httpx.Request, pulled: list[int] | None = None, **headers: str) -> httpx.Response:
    if request.url.path.endswith("/missing"):
        return httpx.Response(404, json={"message": "no such file"})

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(FILE), 1000):
            if pulled is not None:
                pulled.append(start)
            yield FILE[start : start + 1000]

    return httpx.Response(200, content=chunks(), headers={"X-Rate-Limit-Remaining": "41", **headers})


def _client(api: Package, respond: Any) -> Any:
    return api.module.Client(base_url="http://files.test", max_retries=0,
                             http_client=httpx.Client(transport=httpx.MockTransport(respond)))


# -- headers -------------------------------------------------------------------------------------


def test_documented_headers_are_a_model(api: Package) -> None:
    fields = api.models.DownloadHeaders.model_fields
    assert list(fields) == ["x_rate_limit_remaining", "etag", "last_modified", "x_mode", "x_tier",
                            "content_range", "x_checksums"]  # Content-Type is never a documented header
    assert fields["x_rate_limit_remaining"].is_required()  # required by both success responses
    assert not fields["content_range"].is_required()  # required by one of them only
    assert '"""Calls left this hour."""' in api.text("models.py")
    assert not hasattr(api.models, "PlainHeaders")


def test_headers_as_parses_and_validates_them(api: Package) -> None:
    client = _client(api, lambda r: _serve(r, ETag='"v1"', **{
        "Last-Modified": "2024-05-01T10:00:00Z", "X-Checksums": "a, b", "x-mode": "fast", "X-Tier": "2"}))
    raw = client.with_raw_response(client.files.download, "report.csv")
    assert raw.parsed == FILE
    headers = raw.headers_as(api.models.DownloadHeaders)
    assert headers.x_rate_limit_remaining == 41 and headers.etag == '"v1"'
    assert headers.last_modified == dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)
    assert headers.x_checksums == "a, b" and headers.x_mode == "fast"
    assert headers.x_tier == 2  # a number from the header's text
    assert raw.headers["x-rate-limit-remaining"] == "41"  # every header, untyped, as well


def test_headers_arrive_as_text_and_are_read_loosely(api: Package) -> None:
    client = _client(api, lambda r: _serve(r, **{"Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    headers = client.with_raw_response(client.files.download, "a").headers_as(api.models.DownloadHeaders)
    assert headers.last_modified == "Wed, 21 Oct 2015 07:28:00 GMT"  # an HTTP date stays text


def test_missing_or_wrong_headers_raise_a_validation_error(api: Package) -> None:
    for bad in ({"X-Rate-Limit-Remaining": "many"}, {}):
        def respond(request: httpx.Request, bad: dict[str, str] = bad) -> httpx.Response:
            return httpx.Response(200, content=b"x", headers=bad)

        raw = _client(api, respond).with_raw_response(_client(api, respond).files.download, "a")
        with pytest.raises(api.errors.APIResponseValidationError, match="x-rate-limit-remaining"):
            raw.headers_as(api.models.DownloadHeaders)


def test_the_readme_says_how_to_read_them(api: Package) -> None:
    readme = api.text("README.md")
    assert "client.with_raw_response(client.files.download, ...).headers_as(models.DownloadHeaders)" in readme
    assert "with_streaming_response" in readme


# -- streaming -----------------------------------------------------------------------------------


def test_a_streamed_body_is_not_read_before_the_block_reads_it(api: Package) -> None:
    pulled: list[int] = []
    client = _client(api, lambda r: _serve(r, pulled))
    with client.with_streaming_response(client.files.download, "big.bin") as response:
        assert pulled == [] and not response.is_closed
        received = b"".join(response.iter_bytes())
    assert received == FILE and len(pulled) == 10 and response.is_closed


def test_a_streamed_call_that_fails_raises_with_its_parsed_body(api: Package) -> None:
    client = _client(api, _serve)
    with pytest.raises(api.errors.NotFoundError) as caught, client.with_streaming_response(client.files.download, "missing"):
        pytest.fail("the block must not run")
    assert caught.value.body.message == "no such file"


class _Stream(httpx.SyncByteStream):
    """A body that records being closed, and can break after its first chunk."""

    def __init__(self, broken: bool = False) -> None:
        self.broken, self.closed = broken, False

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"message": '
        if self.broken:
            raise httpx.ReadError("connection reset")
        yield b'"gone"}'

    def close(self) -> None:
        self.closed = True


def test_an_error_body_that_breaks_off_is_a_connection_error(api: Package) -> None:
    stream = _Stream(broken=True)
    client = _client(api, lambda request: httpx.Response(404, stream=stream))
    with pytest.raises(api.errors.APIConnectionError, match="ReadError"), \
            client.with_streaming_response(client.files.download, "x"):
        pytest.fail("the block must not run")
    assert stream.closed


def test_only_the_last_of_several_calls_is_handed_over(api: Package) -> None:
    streams = [_Stream(), _Stream()]
    client = _client(api, lambda request: httpx.Response(200, stream=streams[request.url.path.endswith("b")]))

    def both() -> None:
        client.files.download("a")
        client.files.download("b")

    with client.with_streaming_response(both) as response:
        assert streams[0].closed and not streams[1].closed
        assert response.read() == b'{"message": "gone"}'
    assert streams[1].closed


def test_streaming_with_the_async_client(api: Package) -> None:
    pulled: list[int] = []

    async def serve(request: httpx.Request) -> httpx.Response:
        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(FILE), 1000):
                pulled.append(start)
                yield FILE[start : start + 1000]

        return httpx.Response(200, content=chunks(), headers={"X-Rate-Limit-Remaining": "1"})

    async def main() -> bytes:
        http = httpx.AsyncClient(transport=httpx.MockTransport(serve))
        async with (
            api.module.AsyncClient(base_url="http://files.test", http_client=http) as client,
            client.with_streaming_response(client.files.download, "big.bin") as response,
        ):
            assert pulled == []
            return b"".join([chunk async for chunk in response.aiter_bytes()])

    assert asyncio.run(main()) == FILE and len(pulled) == 10


def test_streaming_something_that_is_not_a_client_call_is_refused(api: Package) -> None:
    client = _client(api, _serve)
    with pytest.raises(TypeError, match="sent no request"), client.with_streaming_response(lambda: None):
        pass


def test_headers_and_streaming_type_check(api: Package) -> None:
    usage = api.out / f"use_{api.name}.py"
    usage.write_text(textwrap.dedent(f"""\
        from {api.name} import Client, models


        def use(client: Client) -> int:
            raw = client.with_raw_response(client.files.download, "a")
            data: bytes = raw.parsed
            headers: models.DownloadHeaders = raw.headers_as(models.DownloadHeaders)
            left: int = headers.x_rate_limit_remaining
            with client.with_streaming_response(client.files.download, "a") as response:
                size = sum(len(chunk) for chunk in response.iter_bytes())
            return len(data) + left + size
        """), encoding="utf-8")
    checked = mypy_strict(api.out, api.name, usage.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_prism_sends_the_documented_headers(api: Package) -> None:
    with PrismServer(api.spec_path) as prism:
        client = api.module.Client(base_url=prism.base_url, max_retries=0)
        raw = client.with_raw_response(client.files.download, "report.csv")
        headers = raw.headers_as(api.models.DownloadHeaders)
        assert headers.x_rate_limit_remaining == 41 and headers.etag == "abc"  # the examples
        with client.with_streaming_response(client.files.download, "report.csv") as response:
            assert response.status_code == 200 and isinstance(response.read(), bytes)
