"""Retries, backoff, Retry-After, connection failures, timeouts and headers.

Sleeps are recorded by the autouse `sleeps` fixture (time.sleep and asyncio.sleep in each
client's `_base` are replaced), so retry delays are asserted exactly and never waited for.
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

import httpx
import mock_support
import pytest
from feature_support import method_of
from mock_support import OP_IDS, OPS, TASK_ID, Connect, Op, call, fail, reply

clean_env = mock_support.clean_env
sleeps = mock_support.sleeps
mode = mock_support.mode
connect = mock_support.connect


def _invoke(client: Any, op: Op, **extra: Any) -> Any:
    return call(method_of(client, op.name), *op.args, **op.kwargs, **extra)


def _all(value: float | None) -> dict[str, float | None]:
    return {"connect": value, "read": value, "write": value, "pool": value}


ANCHOR_GET_OP = OPS[0]
OMIT = object()  # leave the argument out


# ---------------------------------------------------------------------- retries


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_503_then_success_is_retried_once(
    connect: Connect, sleeps: list[float], op: Op
) -> None:
    client, api = connect(op.package, reply(503, {"error": "busy"}), op.ok)

    op.check(await _invoke(client, op))

    assert len(api.requests) == 2
    assert [r.method for r in api.requests] == [op.method, op.method]
    assert api.requests[0].url == api.requests[1].url
    assert len(sleeps) == 1


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_retryable_statuses_are_retried(
    connect: Connect, sleeps: list[float], status: int
) -> None:
    client, api = connect("xpander", reply(status), reply(204))
    assert await call(client.tasks.delete, "task-123") is None
    assert len(api.requests) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 418, 422])
async def test_client_errors_are_not_retried(
    connect: Connect, sleeps: list[float], status: int
) -> None:
    client, api = connect("xpander", reply(status, {"detail": "no"}), reply(204))
    with pytest.raises(mock_support.xpander.errors.APIStatusError) as info:
        await call(client.tasks.delete, "task-123")
    assert info.value.status_code == status
    assert len(api.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("headers", "delay"),
    [
        ({"Retry-After": "2"}, 2.0),
        ({"Retry-After": "0.25"}, 0.25),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "40", "Retry-After": "9"}, 0.04),
    ],
    ids=["seconds", "fraction", "ms", "ms-wins"],
)
@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_is_honoured(
    connect: Connect,
    sleeps: list[float],
    status: int,
    headers: dict[str, str],
    delay: float,
) -> None:
    client, api = connect(
        "anchorbrowser", reply(status, headers=headers), ANCHOR_GET_OP.ok
    )
    ANCHOR_GET_OP.check(await call(client.tasks.get_latest_version, TASK_ID))
    assert len(api.requests) == 2
    assert sleeps == [delay]


async def test_retry_after_http_date_is_honoured(
    connect: Connect, sleeps: list[float]
) -> None:
    when = email.utils.formatdate(time.time() + 5, usegmt=True)
    client, api = connect(
        "xpander", reply(503, headers={"Retry-After": when}), reply(204)
    )
    await call(client.tasks.delete, "task-123")
    assert len(api.requests) == 2
    assert len(sleeps) == 1 and 3.0 < sleeps[0] <= 5.0


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "soon"},
        {"Retry-After": ""},
        {"retry-after-ms": "abc"},
        {"retry-after-ms": "abc", "Retry-After": "2"},
    ],
    ids=["word", "empty", "bad-ms", "bad-ms-good-seconds"],
)
async def test_unparseable_retry_after_falls_back_to_backoff(
    connect: Connect, sleeps: list[float], headers: dict[str, str]
) -> None:
    """A garbage header from a proxy must not crash the retry loop."""
    client, api = connect("xpander", reply(503, headers=headers), reply(204))
    assert await call(client.tasks.delete, "task-123") is None
    assert len(api.requests) == 2
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 2.0


async def test_backoff_grows_exponentially_with_jitter(
    connect: Connect, sleeps: list[float]
) -> None:
    client, api = connect(
        "xpander", reply(503), reply(503), reply(503), reply(204), max_retries=3
    )
    assert await call(client.tasks.delete, "task-123") is None
    assert len(api.requests) == 4
    assert len(sleeps) == 3
    for delay, ceiling in zip(sleeps, [0.5, 1.0, 2.0], strict=True):
        assert 0.75 * ceiling <= delay <= ceiling


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_max_retries_zero_means_one_attempt(
    connect: Connect, sleeps: list[float], op: Op
) -> None:
    client, api = connect(
        op.package, reply(503, {"error": "busy"}), op.ok, max_retries=0
    )
    with pytest.raises(op.pkg.errors.InternalServerError) as info:
        await _invoke(client, op)
    assert info.value.status_code == 503
    assert len(api.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_exhausted_retries_raise_the_last_status_error(
    connect: Connect, sleeps: list[float], op: Op
) -> None:
    client, api = connect(
        op.package,
        reply(503, {"attempt": 1}),
        reply(429, {"attempt": 2}),
        reply(500, {"attempt": 3}),
        op.ok,
    )
    with pytest.raises(op.pkg.errors.InternalServerError) as info:
        await _invoke(client, op)
    assert info.value.status_code == 500
    assert info.value.response.json() == {"attempt": 3}
    assert len(api.requests) == 3  # 1 + max_retries (default 2)
    assert len(sleeps) == 2


async def test_exhausted_429_raises_rate_limit_error(
    connect: Connect, sleeps: list[float]
) -> None:
    client, api = connect("xpander", reply(429, {"detail": "slow down"}), max_retries=1)
    with pytest.raises(mock_support.xpander.errors.RateLimitError) as info:
        await call(client.tasks.delete, "task-123")
    assert info.value.body == {"detail": "slow down"}
    assert len(api.requests) == 2


# ------------------------------------------------------------ connection failures


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_connect_error_is_retried_then_succeeds(
    connect: Connect, sleeps: list[float], op: Op
) -> None:
    client, api = connect(op.package, fail(httpx.ConnectError), op.ok)
    op.check(await _invoke(client, op))
    assert len(api.requests) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    "exc_type", [httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError]
)
@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_persistent_connection_failure_raises_api_connection_error(
    connect: Connect, sleeps: list[float], op: Op, exc_type: type[httpx.TransportError]
) -> None:
    client, api = connect(op.package, fail(exc_type, "refused"))
    with pytest.raises(op.pkg.errors.APIConnectionError) as info:
        await _invoke(client, op)
    assert not isinstance(info.value, op.pkg.errors.APITimeoutError)
    assert isinstance(info.value, op.pkg.errors.APIError)
    assert isinstance(info.value.__cause__, exc_type)
    assert info.value.request is not None
    assert info.value.request.url == api.last.url
    assert len(api.requests) == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("exc_type", [httpx.ReadTimeout, httpx.ConnectTimeout])
@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_timeout_raises_api_timeout_error(
    connect: Connect,
    sleeps: list[float],
    op: Op,
    exc_type: type[httpx.TimeoutException],
) -> None:
    client, api = connect(op.package, fail(exc_type, "timed out"))
    with pytest.raises(op.pkg.errors.APITimeoutError) as info:
        await _invoke(client, op)
    assert isinstance(info.value, op.pkg.errors.APIConnectionError)
    assert isinstance(info.value.__cause__, exc_type)
    assert len(api.requests) == 3  # idempotent: retried like any transport failure


async def test_timeout_without_retries_is_one_attempt(
    connect: Connect, sleeps: list[float]
) -> None:
    client, api = connect("xpander", fail(httpx.ReadTimeout), max_retries=0)
    with pytest.raises(mock_support.xpander.errors.APITimeoutError):
        await call(client.tasks.delete, "task-123")
    assert len(api.requests) == 1
    assert sleeps == []


async def test_read_timeout_then_success_is_retried(
    connect: Connect, sleeps: list[float]
) -> None:
    client, api = connect("xpander", fail(httpx.ReadTimeout), reply(204))
    assert await call(client.tasks.delete, "task-123") is None
    assert len(api.requests) == 2


# --------------------------------------------------------------------- timeouts


@pytest.mark.parametrize(
    ("client_timeout", "call_timeout", "expected"),
    [
        (10.0, OMIT, _all(10.0)),
        (10.0, 2.5, _all(2.5)),
        (OMIT, 7.0, _all(7.0)),
        (10.0, None, _all(None)),
        (None, OMIT, _all(None)),
        (
            httpx.Timeout(3.0, read=30.0),
            OMIT,
            {"connect": 3.0, "read": 30.0, "write": 3.0, "pool": 3.0},
        ),
        (
            10.0,
            httpx.Timeout(1.0, connect=0.5),
            {"connect": 0.5, "read": 1.0, "write": 1.0, "pool": 1.0},
        ),
    ],
    ids=["client", "call-beats-client", "call", "call-none", "client-none",
         "client-httpx-timeout", "call-httpx-timeout"],
)  # fmt: skip
@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_timeouts_reach_the_request(
    connect: Connect, op: Op, client_timeout: Any, call_timeout: Any, expected: Any
) -> None:
    client_kwargs = {} if client_timeout is OMIT else {"timeout": client_timeout}
    call_kwargs = {} if call_timeout is OMIT else {"timeout": call_timeout}
    client, api = connect(op.package, op.ok, **client_kwargs)
    op.check(await _invoke(client, op, **call_kwargs))
    # Each phase is also held to what is left of the whole call's time (a few ms gone).
    sent = api.last.extensions["timeout"]
    assert sent.keys() == expected.keys()
    for phase, seconds in expected.items():
        assert sent[phase] == seconds if seconds is None else seconds - 0.5 < sent[phase] <= seconds


# ---------------------------------------------------------------------- headers


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_default_and_extra_headers_are_sent(connect: Connect, op: Op) -> None:
    client, api = connect(
        op.package,
        op.ok,
        default_headers={"User-Agent": "acme-bot/1.0", "X-Team": "growth"},
    )
    op.check(await _invoke(client, op, extra_headers={"X-Request-Id": "req-42"}))
    headers = api.last.headers
    assert headers["user-agent"] == "acme-bot/1.0"
    assert headers["x-team"] == "growth"
    assert headers["x-request-id"] == "req-42"

    op.check(await _invoke(client, op, extra_headers={"X-Team": "platform"}))
    assert api.last.headers["x-team"] == "platform"  # per call beats default
    assert "x-request-id" not in api.last.headers  # extra headers do not stick
