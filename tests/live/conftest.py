"""The `client` and `aclient` fixtures of the live tests: a test module provides `live`
(its app, served once per module); these make a fresh recorded client per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest


@pytest.fixture
def client(live: Any) -> Iterator[Any]:
    made = live.client()
    yield made
    made.close()


@pytest.fixture
async def aclient(live: Any) -> AsyncIterator[Any]:
    made = live.async_client()
    yield made
    await made.close()
