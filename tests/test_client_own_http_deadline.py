"""The call's deadline holds on a caller's own `http_client=` too (issue 9): their own
httpx.Client / AsyncClient, their own transport (settings of httpx's, or a transport of
theirs that hands requests on), against a real server on loopback that dribbles its answer.
A dribble keeps every single read short, so only a deadline on each read (sync) or on the
whole call (async) ends it."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from feature_support import Package, module_package
from hostile_server import Answer, Server

SPEC = """\
openapi: 3.1.0
info:
  title: Dribbled
  version: '1'
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
"""
JSON = {"Content-Type": "application/json"}
BASE = "http://api.test"


class Passing(httpx.BaseTransport):
    """A caller's own transport: hands each request on to httpx's (as logging, signing or
    metrics wrappers do)."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport(retries=1)
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class AsyncPassing(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport(retries=1)
        self.sent = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


# How a caller builds their own http client: (sync, async) factories from keyword options.
OWN: dict[str, tuple[Callable[..., httpx.Client], Callable[..., httpx.AsyncClient]]] = {
    "plain": (httpx.Client, httpx.AsyncClient),
    "httpx-transport": (
        lambda **kw: httpx.Client(transport=httpx.HTTPTransport(retries=2), **kw),
        lambda **kw: httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(retries=2), **kw),
    ),
    "own-transport": (
        lambda **kw: httpx.Client(transport=Passing(), **kw),
        lambda **kw: httpx.AsyncClient(transport=AsyncPassing(), **kw),
    ),
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "dribbled", SPEC)


def call_through_own(
    api: Package, server: Server, mode: str, own: str, http_options: dict[str, Any], **options: Any
) -> Any:
    """`things.list()` through a client given the caller's own http client; the http client
    is closed by the caller (the generated client leaves it open)."""
    make_sync, make_async = OWN[own]
    options = {"base_url": server.url, "max_retries": 0, **options}
    if mode == "sync":
        with make_sync(**http_options) as http:
            client = api.module.Client(http_client=http, **options)
            return client.things.list()

    async def run() -> Any:
        async with make_async(**http_options) as http:
            client = api.module.AsyncClient(http_client=http, **options)
            return await client.things.list()

    return asyncio.run(run())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("own", sorted(OWN))
@pytest.mark.parametrize(
    "answer",
    [
        Answer(200, JSON, b"[" + b" " * 200 + b"]", dribble=0.2),
        Answer(200, JSON, b"[]", dribble=0.2, dribble_head=True),
    ],
    ids=["dribbled-body", "dribbled-head"],
)
def test_the_clients_timeout_ends_a_dribble_through_an_own_http_client(
    api: Package, server: Server, mode: str, own: str, answer: Answer
) -> None:
    server.route("/things", answer)
    started = time.monotonic()
    with pytest.raises(api.errors.APITimeoutError):
        call_through_own(api, server, mode, own, {}, timeout=1.0)
    assert 0.9 < time.monotonic() - started < 1.6
    assert len(server.seen) == 1


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("own", sorted(OWN))
def test_the_http_clients_own_timeout_is_the_calls_deadline(
    api: Package, server: Server, mode: str, own: str
) -> None:
    """No timeout given to the generated client: the http client's (1 s, each phase) bounds
    the whole call, not each of its reads."""
    server.route("/things", Answer(200, JSON, b"[" + b" " * 200 + b"]", dribble=0.2))
    started = time.monotonic()
    with pytest.raises(api.errors.APITimeoutError):
        call_through_own(api, server, mode, own, {"timeout": 1.0})
    assert 0.9 < time.monotonic() - started < 1.6


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("own", sorted(OWN))
def test_an_answer_within_the_deadline_is_read_through_an_own_http_client(
    api: Package, server: Server, mode: str, own: str
) -> None:
    server.route("/things", Answer(200, JSON, b'[{"a": 1}]', dribble=0.01))
    assert call_through_own(api, server, mode, own, {}, timeout=5.0) == [{"a": 1}]


# -- bodies a transport answers already in memory (httpx.MockTransport's) -------------------


def in_memory(body: bytes, **headers: str) -> Callable[[httpx.Request], httpx.Response]:
    """An answer made with `content=`: httpx reads (and decodes) it as it is made."""
    return lambda request: httpx.Response(200, content=body, headers={**JSON, **headers})


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_body_in_memory_is_held_to_the_size_limit(api: Package, mode: str) -> None:
    answer = in_memory(b"[" + b" " * 2048 + b"]")
    if mode == "sync":
        client, _ = api.client(answer, base_url=BASE, max_response_size=1024)
        with pytest.raises(api.errors.ResponseTooLargeError):
            client.things.list()
        assert api.client(answer, base_url=BASE, max_response_size=4096)[0].things.list() == []
        return
    client, _ = api.async_client(answer, base_url=BASE, max_response_size=1024)
    with pytest.raises(api.errors.ResponseTooLargeError):
        asyncio.run(client.things.list())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_compressed_body_in_memory_is_read_as_httpx_decoded_it(api: Package, mode: str) -> None:
    answer = in_memory(gzip.compress(b'[{"a": 1}]'), **{"Content-Encoding": "gzip"})
    if mode == "sync":
        assert api.client(answer, base_url=BASE)[0].things.list() == [{"a": 1}]
    else:
        assert asyncio.run(api.async_client(answer, base_url=BASE)[0].things.list()) == [{"a": 1}]


# -- the async deadline's timer, armed when the call first waits ----------------------------


def waiting(seconds: float) -> Callable[[httpx.Request], Any]:
    """An async transport's answer after `seconds` (the call waits on the event loop)."""

    async def respond(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(seconds)
        return httpx.Response(200, json=[{"a": 1}])

    return respond


def test_an_async_call_that_waits_past_its_deadline_ends_there(api: Package) -> None:
    client, _ = api.async_client(waiting(30), base_url=BASE, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(api.errors.APITimeoutError):
        asyncio.run(client.things.list())
    assert time.monotonic() - started < 1.5


def test_an_async_call_that_waits_within_its_deadline_answers(api: Package) -> None:
    client, _ = api.async_client(waiting(0.01), base_url=BASE, timeout=5.0)

    async def twice() -> list[Any]:
        return [await client.things.list(), await client.things.list()]

    assert asyncio.run(twice()) == [[{"a": 1}], [{"a": 1}]]


def test_an_async_call_cancelled_by_its_caller_is_cancelled_not_timed_out(api: Package) -> None:
    client, _ = api.async_client(waiting(30), base_url=BASE, timeout=5.0)

    async def cancel_it() -> None:
        task = asyncio.create_task(client.things.list())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):  # not the client's APITimeoutError
            await task

    asyncio.run(asyncio.wait_for(cancel_it(), 5))
