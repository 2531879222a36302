"""Shared pytest configuration for clientgen's tests."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "prism: needs the Stoplight Prism mock server from node_modules (run `npm ci`)",
    )
