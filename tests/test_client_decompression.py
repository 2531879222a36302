"""The decompressed size limit is exact for every content coding the client decodes (issue 9).

A body read into memory may have `max_response_size` bytes once decompressed: one byte more
raises `errors.ResponseTooLargeError`, and decoding stops there. gzip and deflate (zlib),
br (the `brotli` package from 1.2 on) and zstd (`zstandard`), alone or one over another,
are decoded by the client in steps that never yield more than the limit leaves room for
(plus the one byte that tells it is passed), so a bomb is never inflated past the limit.
A coding no such library decodes in steps is left to httpx, as before. The client is
generated from an inline spec and called sync and async over loopback, as a user would.
"""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import brotli
import httpx
import pytest
import zstandard
from feature_support import Package, module_package
from hostile_server import Answer, Server

SPEC = """\
openapi: 3.1.0
info: {title: Packed, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
"""

BODY = json.dumps(["x" * 100] * 3000).encode()  # 309,001 bytes


def _gzip_gzip(data: bytes) -> bytes:
    return gzip.compress(gzip.compress(data))


PACKERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": zstandard.ZstdCompressor().compress,
    "gzip, gzip": _gzip_gzip,  # applied in turn, undone last first
    "br, gzip": lambda data: gzip.compress(brotli.compress(data)),
    "gzip, zstd": lambda data: zstandard.ZstdCompressor().compress(gzip.compress(data)),
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "packed", SPEC)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def call(api: Package, mode: str, server: Server, **options: Any) -> Any:
    options = {"base_url": server.url, "max_retries": 0} | options
    if mode == "sync":
        with api.module.Client(**options) as client:
            return client.things.list()

    async def run() -> Any:
        async with api.module.AsyncClient(**options) as client:
            return await client.things.list()

    import asyncio

    return asyncio.run(run())


@pytest.mark.parametrize("encoding", list(PACKERS))
def test_a_body_of_exactly_the_limit_is_read_and_one_byte_less_is_refused(
    api: Package, server: Server, mode: str, encoding: str
) -> None:
    server.route("/things", Answer(200, {"Content-Type": "application/json", "Content-Encoding": encoding},
                                   PACKERS[encoding](BODY)))
    assert call(api, mode, server, max_response_size=len(BODY)) == ["x" * 100] * 3000
    with pytest.raises(api.errors.ResponseTooLargeError, match=f"max_response_size \\({len(BODY) - 1} bytes"):
        call(api, mode, server, max_response_size=len(BODY) - 1)


@pytest.mark.parametrize("limit", [1000, 200_000])
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd", "gzip, gzip", "br, gzip"])
def test_decoding_stops_one_byte_past_the_limit(api: Package, encoding: str, limit: int) -> None:
    """What the decoders yield in all: the limit and one byte, whatever the coding (a
    step of httpx's own would be all a piece read holds), and the body kept is within it."""
    base = api.module._base
    # a body still to be read, as from the network (content= would make it one in memory)
    response = httpx.Response(200, headers={"Content-Encoding": encoding}, stream=httpx.ByteStream(b""),
                              request=httpx.Request("GET", "https://h.test/"))
    meter = base._Meter(response, limit, None)
    assert meter.raw
    with pytest.raises(api.errors.ResponseTooLargeError):
        meter.take(PACKERS[encoding](BODY))
    assert meter.size == limit + 1 and sum(map(len, meter.chunks)) <= limit


def bomb(encoding: str) -> bytes:
    """64 MiB of JSON (a list of nothing, padded), packed small."""
    packed = PACKERS[encoding](b"[" + b" " * (64 << 20) + b"]")
    assert len(packed) < 3_000_000
    return packed


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip"])
def test_a_bomb_in_any_coding_is_stopped_before_it_is_inflated_past_the_limit(
    api: Package, server: Server, mode: str, encoding: str
) -> None:
    server.route("/things", Answer(200, {"Content-Type": "application/json", "Content-Encoding": encoding},
                                   bomb(encoding)))
    tracemalloc.start()
    try:
        with pytest.raises(api.errors.ResponseTooLargeError):
            call(api, mode, server, max_response_size=1 << 20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20


class _OldBrotli:
    """A `brotli` without steps (before 1.2, or `brotlicffi`): `process` gives all at once."""

    error = brotli.error

    class Decompressor:
        def __init__(self) -> None:
            self._real = brotli.Decompressor()

        def process(self, data: bytes) -> bytes:
            return bytes(self._real.process(data))


def test_a_decoder_without_steps_is_left_to_httpx(
    api: Package, server: Server, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = api.module._base
    real = base._optional
    monkeypatch.setattr(base, "_optional", lambda name: _OldBrotli if name == "brotli" else real(name))
    response = httpx.Response(200, headers={"Content-Encoding": "br"}, stream=httpx.ByteStream(b""),
                              request=httpx.Request("GET", "https://h/"))
    assert base._Meter(response, 10, None).raw is False  # httpx decodes, piece by piece
    server.route("/things", Answer(200, {"Content-Type": "application/json", "Content-Encoding": "br"},
                                   brotli.compress(BODY)))
    assert len(call(api, mode, server)) == 3000
    with pytest.raises(api.errors.ResponseTooLargeError):
        call(api, mode, server, max_response_size=1000)


def test_a_broken_body_in_a_stepped_coding_is_a_validation_error(api: Package, server: Server, mode: str) -> None:
    for encoding in ("br", "zstd"):
        server.route("/things", Answer(200, {"Content-Type": "application/json", "Content-Encoding": encoding},
                                       b"this is no " + encoding.encode()))
        with pytest.raises(api.errors.APIResponseValidationError, match="cannot be decoded"):
            call(api, mode, server)
