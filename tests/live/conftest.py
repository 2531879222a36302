"""The `client` and `aclient` fixtures of the live tests: the test module provides `live`
(an app, served once per framework); these make recorded clients of its package (the async
one per test, since each test has an event loop of its own)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")  # one per module: making an httpx client costs ~50 ms
def client(live: Any) -> Iterator[Any]:
    made = live.client()
    yield made
    made.close()


@pytest.fixture
async def aclient(live: Any) -> AsyncIterator[Any]:
    made = live.async_client()
    yield made
    await made.close()
