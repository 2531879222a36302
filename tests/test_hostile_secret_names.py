"""Which parameter names count as secrets (generator/lower/secrets.py): their values are
masked by the generated client like credentials (tests/test_client_hostile_server.py)."""

from __future__ import annotations

import pytest

from generator.lower.secrets import secret_name


@pytest.mark.parametrize(
    "name",
    ["password", "client_secret", "X-Auth-Token", "apiKey", "api_key", "X-API-Key", "sessionId",
     "access_token", "Authorization", "signature", "passwd", "otp"],
)
def test_names_that_carry_secrets(name: str) -> None:
    assert secret_name(name)


@pytest.mark.parametrize(
    "name", ["name", "author", "monkey", "key", "page_token", "nextToken", "continuationToken", "cursor"]
)
def test_names_that_do_not(name: str) -> None:
    assert not secret_name(name)
