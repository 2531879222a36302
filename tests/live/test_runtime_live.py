"""Pagination and streaming against a real service: paging_app.py served by uvicorn on
loopback, its client generated from the /openapi.json it serves.

Every list style pages through all 23 pets (sync and async) with requests the service
validates; a streamed chat answers typed chunks; an endless stream closed early by the
client is seen closed by the server.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from feature_support import method_of

from .support import Live, live_app

PETS = [f"pet-{n:02d}" for n in range(1, 24)]  # as paging_app.py serves them

STYLES = {  # call path -> what its paging was detected as
    "cursor_pets.list": "cursor",
    "offset_pets.list": "offset",
    "numbered_pets.list": "page",
    "url_pets.list": "cursor",  # `next` (no format: uri) into `page`; its URL value is followed
    "linked_pets.list": "link",
}


@pytest.fixture(scope="module")
def live(tmp_path_factory: Any) -> Iterator[Live]:
    yield from live_app(tmp_path_factory, "paging_app", "/openapi.json")


@pytest.fixture
def sync_client(live: Live) -> Iterator[Any]:
    made = live.package.module.Client(base_url=live.base_url, max_retries=0, timeout=10)
    yield made
    made.close()


def test_each_style_is_detected_from_the_served_document(live: Live) -> None:
    operations = {op.call: op for op in live.package.result.clients[live.package.name].client.operations}
    assert {name: operations[name].paging.style for name in STYLES} == STYLES
    assert operations["chat.chat"].events is not None and operations["chat.chat"].events.field == "stream"
    assert operations["ticker.ticker"].events is not None and not operations["ticker.ticker"].events.alternative


@pytest.mark.parametrize("method", STYLES)
def test_iterating_reaches_every_pet(sync_client: Any, method: str) -> None:
    page = method_of(sync_client, method)(**_size(method, 4))
    assert [p.id for p in page.items] == PETS[:4]
    assert [p.id for p in page] == PETS
    assert [len(p.items) for p in page.iter_pages()][-1] == 3  # 23 = 5 * 4 + 3


@pytest.mark.parametrize("method", STYLES)
def test_async_iterating_reaches_every_pet(live: Live, method: str) -> None:
    async def run() -> list[str]:
        async with live.package.module.AsyncClient(base_url=live.base_url, max_retries=0) as client:
            page = await method_of(client, method)(**_size(method, 6))
            return [p.id async for p in page]

    assert asyncio.run(run()) == PETS


def _size(method: str, size: int) -> dict[str, int]:
    name = {"numbered_pets.list": "per_page", "linked_pets.list": "per_page", "url_pets.list": "page_size"}
    return {name.get(method, "limit"): size}


def test_streamed_chat_returns_typed_chunks(live: Live, sync_client: Any) -> None:
    stream = sync_client.chat.chat(prompt="hello live world", stream=True)
    chunks = list(stream)
    assert [(c.index, c.delta) for c in chunks] == [(0, "hello"), (1, "live"), (2, "world")]
    assert type(chunks[0]).__module__.endswith(".models")
    assert sync_client.chat.chat(prompt="hello live world").text == "hello live world"


def _closed_on_server(client: Any, name: str) -> Any:
    deadline = time.monotonic() + 10
    state = client.streams.state(name)
    while not state.closed and time.monotonic() < deadline:
        time.sleep(0.05)
        state = client.streams.state(name)
    return state


def test_leaving_a_stream_early_closes_it_on_the_server(sync_client: Any) -> None:
    with sync_client.ticker.ticker("sync-with") as stream:
        indexes = [chunk.index for chunk, _ in zip(stream, range(3), strict=False)]
    assert indexes == [0, 1, 2]
    state = _closed_on_server(sync_client, "sync-with")
    assert state.closed and state.sent < 500

    stream = sync_client.ticker.ticker("sync-break")  # held: leaving the loop alone must close it
    for chunk in stream:
        if chunk.index == 4:
            break
    assert _closed_on_server(sync_client, "sync-break").closed
    assert stream.http_response.is_closed


def test_async_stream_closed_early_on_the_server(live: Live, sync_client: Any) -> None:
    async def run() -> list[int]:
        async with live.package.module.AsyncClient(base_url=live.base_url, max_retries=0) as client:
            found = []
            async with await client.ticker.ticker("async-with") as stream:
                async for chunk in stream:
                    found.append(chunk.index)
                    if len(found) == 3:
                        break
            return found

    assert asyncio.run(run()) == [0, 1, 2]
    assert _closed_on_server(sync_client, "async-with").closed
