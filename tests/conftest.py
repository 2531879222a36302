"""Shared pytest configuration for clientgen's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hostile_server import Server, serving


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "prism: needs the Stoplight Prism mock server from node_modules (run `npm ci`)",
    )


@pytest.fixture
def server() -> Iterator[Server]:
    """A scripted HTTP server on loopback (tests/hostile_server.py), stopped after the test."""
    with serving() as started:
        yield started
