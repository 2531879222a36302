"""Auth, environment defaults, base URLs, secrecy, raw responses and client lifetimes."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import mock_support
import pytest
from feature_support import method_of
from mock_support import (
    KEY,
    OP_IDS,
    OPS,
    PACKAGES,
    TASK_ID,
    TOKEN,
    Connect,
    MockAPI,
    Op,
    call,
    fail,
    reply,
    task_version_body,
)

clean_env = mock_support.clean_env
sleeps = mock_support.sleeps
mode = mock_support.mode
connect = mock_support.connect

AUTH_HEADER = {
    "anchorbrowser": "anchor-api-key",
    "recoup": "x-api-key",
    "xpander": "x-api-key",
}
KEY_ENV = {
    "anchorbrowser": "ANCHORBROWSER_API_KEY",
    "recoup": "RECOUP_API_KEY",
    "xpander": "XPANDER_API_KEY",
}
BASE_ENV = {
    "anchorbrowser": "ANCHORBROWSER_BASE_URL",
    "recoup": "RECOUP_BASE_URL",
    "xpander": "XPANDER_BASE_URL",
}
DEFAULT_BASE = {
    "anchorbrowser": "https://api.anchorbrowser.io",
    "recoup": "https://api.recoupable.dev",
    "xpander": "https://api.xpander.ai",
}


def _invoke(client: Any, op: Op) -> Any:
    return call(method_of(client, op.name), *op.args, **op.kwargs)


# ------------------------------------------------------------------------- auth


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_api_key_is_sent_in_its_header(connect: Connect, op: Op) -> None:
    client, api = connect(op.package, op.ok, api_key=KEY)
    op.check(await _invoke(client, op))
    assert api.last.headers[AUTH_HEADER[op.package]] == KEY
    assert "authorization" not in api.last.headers


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_api_key_defaults_from_the_environment(
    connect: Connect, monkeypatch: pytest.MonkeyPatch, op: Op
) -> None:
    monkeypatch.setenv(KEY_ENV[op.package], "key-from-env")
    client, api = connect(op.package, op.ok, api_key=None)
    op.check(await _invoke(client, op))
    assert api.last.headers[AUTH_HEADER[op.package]] == "key-from-env"


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_explicit_api_key_beats_the_environment(
    connect: Connect, monkeypatch: pytest.MonkeyPatch, op: Op
) -> None:
    monkeypatch.setenv(KEY_ENV[op.package], "key-from-env")
    client, api = connect(op.package, op.ok, api_key=KEY)
    op.check(await _invoke(client, op))
    assert api.last.headers[AUTH_HEADER[op.package]] == KEY


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_without_credentials_nothing_is_sent(connect: Connect, op: Op) -> None:
    """Every seed operation requires credentials: without any, the call fails before
    sending and names the argument and environment variable that would help."""
    client, api = connect(op.package, op.ok, api_key=None)
    with pytest.raises(op.pkg.errors.MissingCredentialsError) as info:
        await _invoke(client, op)
    assert "api_key=" in str(info.value) and KEY_ENV[op.package] in str(info.value)
    assert isinstance(info.value, op.pkg.errors.ParameterError)
    assert api.requests == []


@pytest.mark.parametrize(
    ("kwargs", "env", "api_key", "authorization"),
    [
        ({"api_key": KEY}, {}, KEY, None),
        ({"api_key": None, "bearer_token": TOKEN}, {}, None, f"Bearer {TOKEN}"),
        ({"api_key": KEY, "bearer_token": TOKEN}, {}, KEY, None),
        ({"api_key": None}, {"RECOUP_BEARER_TOKEN": TOKEN}, None, f"Bearer {TOKEN}"),
        ({"api_key": None}, {"RECOUP_API_KEY": KEY}, KEY, None),
        (
            {"api_key": None},
            {"RECOUP_API_KEY": KEY, "RECOUP_BEARER_TOKEN": TOKEN},
            KEY,
            None,
        ),
        ({"api_key": None, "bearer_token": TOKEN}, {"RECOUP_API_KEY": KEY}, KEY, None),
    ],
    ids=["key", "bearer", "both-key-wins", "env-bearer", "env-key", "env-both",
         "arg-bearer-env-key"],
)  # fmt: skip
async def test_recoup_accepts_api_key_or_bearer(
    connect: Connect,
    monkeypatch: pytest.MonkeyPatch,
    kwargs: dict[str, Any],
    env: dict[str, str],
    api_key: str | None,
    authorization: str | None,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    client, api = connect("recoup", reply(200, {"status": "success"}), **kwargs)
    await call(client.tasks.delete, id=TASK_ID)
    assert api.last.headers.get("x-api-key") == api_key
    assert api.last.headers.get("authorization") == authorization


# --------------------------------------------------------------------- base URL


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_base_url_defaults_to_the_first_server(connect: Connect, op: Op) -> None:
    client, api = connect(op.package, op.ok)
    op.check(await _invoke(client, op))
    assert str(api.last.url) == DEFAULT_BASE[op.package] + op.path


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_base_url_from_the_environment(
    connect: Connect, monkeypatch: pytest.MonkeyPatch, op: Op
) -> None:
    monkeypatch.setenv(BASE_ENV[op.package], "http://127.0.0.1:4010/")
    client, api = connect(op.package, op.ok)
    op.check(await _invoke(client, op))
    assert str(api.last.url) == "http://127.0.0.1:4010" + op.path


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_base_url_argument_beats_the_environment(
    connect: Connect, monkeypatch: pytest.MonkeyPatch, op: Op
) -> None:
    monkeypatch.setenv(BASE_ENV[op.package], "http://127.0.0.1:4010")
    client, api = connect(op.package, op.ok, base_url="https://proxy.example/api/v2/")
    op.check(await _invoke(client, op))
    assert str(api.last.url) == "https://proxy.example/api/v2" + op.path


# ---------------------------------------------------------------------- secrecy


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_secrets_are_not_in_repr(package: str) -> None:
    pkg = PACKAGES[package]
    extra = {"bearer_token": TOKEN} if package == "recoup" else {}
    for cls in (pkg.Client, pkg.AsyncClient):
        client = cls(api_key=KEY, **extra)
        for text in (repr(client), str(client), repr(vars(client))):
            assert KEY not in text
            assert TOKEN not in text


FAILURES = [
    ("status-401", reply(401, {"error": 401, "message": "invalid api key"})),
    ("status-404", reply(404, {"error": "nope"})),
    ("status-418", reply(418, text="teapot")),
    ("status-503", reply(503)),
    ("bad-success-body", reply(200, {"status": ["deleted"], "data": {"id": 1}})),
    ("connect-error", fail(httpx.ConnectError, "connection refused")),
    ("read-timeout", fail(httpx.ReadTimeout, "timed out")),
]


# xpander documents no success body, so a "bad success body" cannot exist there.
FAILURE_CASES = [
    pytest.param(op, step, id=f"{op.id}-{name}")
    for op in OPS
    for name, step in FAILURES
    if not (op.package == "xpander" and name == "bad-success-body")
]


@pytest.mark.parametrize(("op", "step"), FAILURE_CASES)
async def test_secrets_are_not_in_exceptions_or_logs(
    connect: Connect, caplog: pytest.LogCaptureFixture, op: Op, step: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    extra = {"bearer_token": TOKEN} if op.package == "recoup" else {}
    client, api = connect(op.package, step, api_key=KEY, max_retries=1, **extra)

    with pytest.raises(op.pkg.errors.APIError) as info:
        await _invoke(client, op)

    assert api.last.headers[AUTH_HEADER[op.package]] == KEY  # the key was really used
    for exc in (info.value, info.value.__cause__):
        if exc is not None:
            assert KEY not in str(exc) and KEY not in repr(exc)
            assert TOKEN not in str(exc)
    if not isinstance(info.value, op.pkg.errors.APIConnectionError):
        assert any(r.name == "httpx" for r in caplog.records)  # logging was on
    assert KEY not in caplog.text
    assert TOKEN not in caplog.text


async def test_secrets_are_not_in_parameter_errors(connect: Connect) -> None:
    client, api = connect("anchorbrowser", api_key=KEY)
    with pytest.raises(PACKAGES["anchorbrowser"].errors.ParameterError) as info:
        await call(client.tasks.delete_version, TASK_ID, "v1")
    assert "task_version='v1'" in str(info.value)
    assert KEY not in str(info.value)
    assert api.requests == []


# ----------------------------------------------------------------- raw response


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_with_raw_response_gives_parsed_status_and_headers(
    connect: Connect, op: Op
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        response = op.ok(request)
        response.headers["X-Request-Id"] = "req-77"
        response.headers["X-RateLimit-Remaining"] = "41"
        return response

    client, api = connect(op.package, answer)
    raw = await call(
        client.with_raw_response, method_of(client, op.name), *op.args, **op.kwargs
    )

    assert isinstance(raw, op.pkg.RawResponse)
    op.check(raw.parsed)
    assert raw.status_code == (204 if op.package == "xpander" else 200)
    assert raw.headers["x-request-id"] == "req-77"
    assert raw.headers["x-ratelimit-remaining"] == "41"
    assert raw.http_response.request is api.last


async def test_with_raw_response_after_a_retry_shows_the_final_response(
    connect: Connect,
) -> None:
    client, api = connect(
        "anchorbrowser",
        reply(503, headers={"X-Attempt": "1"}),
        reply(200, task_version_body(), headers={"X-Attempt": "2"}),
    )
    raw = await call(client.with_raw_response, client.tasks.get_latest_version, TASK_ID)
    assert len(api.requests) == 2
    assert raw.status_code == 200
    assert raw.headers["x-attempt"] == "2"
    assert raw.parsed.data.version == "3"


async def test_with_raw_response_passes_errors_through(connect: Connect) -> None:
    client, _ = connect("xpander", reply(404, {"detail": "Not Found"}))
    with pytest.raises(PACKAGES["xpander"].errors.NotFoundError):
        await call(client.with_raw_response, client.tasks.delete, "task-123")


# ------------------------------------------------------------- context managers


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_sync_context_manager_leaves_a_user_http_client_open(op: Op) -> None:
    api = MockAPI(op.ok)
    http = httpx.Client(transport=httpx.MockTransport(api))
    with op.pkg.Client(api_key=KEY, http_client=http) as client:
        assert isinstance(client, op.pkg.Client)
        op.check(method_of(client, op.name)(*op.args, **op.kwargs))
    assert not http.is_closed
    client.close()
    assert not http.is_closed
    http.close()


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_async_context_manager_leaves_a_user_http_client_open(op: Op) -> None:
    api = MockAPI(op.ok)
    http = httpx.AsyncClient(transport=httpx.MockTransport(api))
    async with op.pkg.AsyncClient(api_key=KEY, http_client=http) as client:
        assert isinstance(client, op.pkg.AsyncClient)
        op.check(await method_of(client, op.name)(*op.args, **op.kwargs))
    assert not http.is_closed
    await client.close()
    assert not http.is_closed
    await http.aclose()


class OwnHttp:
    """The httpx clients the API clients create themselves, and what they sent."""

    def __init__(self) -> None:
        self.made: list[httpx.Client | httpx.AsyncClient] = []
        self.api = MockAPI(reply(204))


@pytest.fixture
def own_http(monkeypatch: pytest.MonkeyPatch) -> OwnHttp:
    """Make the httpx clients an API client creates talk to a MockAPI."""
    own = OwnHttp()
    transport = httpx.MockTransport(own.api)

    class SyncHttp(httpx.Client):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(transport=transport, **kwargs)
            own.made.append(self)

    class AsyncHttp(httpx.AsyncClient):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(transport=transport, **kwargs)
            own.made.append(self)

    monkeypatch.setattr(httpx, "Client", SyncHttp)
    monkeypatch.setattr(httpx, "AsyncClient", AsyncHttp)
    return own


@pytest.mark.parametrize("package", sorted(PACKAGES))
async def test_own_http_client_is_closed_by_the_client(
    own_http: OwnHttp, package: str
) -> None:
    pkg = PACKAGES[package]
    with pkg.Client(api_key=KEY):
        pass
    async with pkg.AsyncClient(api_key=KEY):
        pass
    plain = pkg.Client(api_key=KEY)
    assert not own_http.made[-1].is_closed
    plain.close()
    aplain = pkg.AsyncClient(api_key=KEY)
    await aplain.close()
    assert len(own_http.made) == 4
    assert all(http.is_closed for http in own_http.made)


async def test_own_http_client_sends_with_the_client_settings(
    own_http: OwnHttp,
) -> None:
    pkg = PACKAGES["xpander"]
    with pkg.Client(api_key=KEY, timeout=12.0) as client:
        assert client.tasks.delete("task-123") is None
    async with pkg.AsyncClient(api_key=KEY, timeout=12.0) as aclient:
        assert await aclient.tasks.delete("task-123") is None
    assert len(own_http.api.requests) == 2
    for request in own_http.api.requests:
        # each phase 12 s, held to what is left of the call (a few ms gone)
        sent = request.extensions["timeout"]
        assert sent.keys() == {"connect", "read", "write", "pool"}
        assert all(11.5 < seconds <= 12.0 for seconds in sent.values())
        assert request.headers["x-api-key"] == KEY
    assert all(http.is_closed for http in own_http.made)
