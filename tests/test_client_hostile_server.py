"""A generated client against a hostile server (issue 9): a real HTTP server on loopback
(`hostile_server.py`) that redirects elsewhere, bombs, dribbles, nests and lies; the client
generated from an inline spec and called sync and async, as a user would.

- credentials never leave their origin: same-origin redirects keep them, cross-origin ones
  lose every one (headers, query keys, cookies), and a body is never replayed elsewhere;
- secrets never shown: messages, chained exceptions, reprs, `exc.request`, httpx's log
  line, passwords in validation messages;
- limits: decompressed size, a deadline for the whole call, linear-time patterns;
- every failure an `errors.APIError` or an `errors.ParameterError`.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import json
import logging
import time
import traceback
import tracemalloc
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from feature_support import Package, module_package
from hostile_server import Answer, Seen, Server, serving

SPEC = """\
openapi: 3.1.0
info:
  title: Hostile
  version: '1'
servers:
  - url: https://api.example.com
security:
  - headerKey: []
    queryKey: []
    cookieKey: []
  - bearer: []
components:
  securitySchemes:
    headerKey:
      type: apiKey
      in: header
      name: X-API-Key
    queryKey:
      type: apiKey
      in: query
      name: api_key
    cookieKey:
      type: apiKey
      in: cookie
      name: session
    bearer:
      type: http
      scheme: bearer
  schemas:
    Thing:
      type: object
      properties:
        name:
          type: string
        code:
          type: string
          pattern: '^(a+)+$'
        nickname:
          type: string
          pattern: '^(?!admin)(a+)+$'
        handle:
          type: string
          pattern: '^(?=.*a)(a+)+$'
        twin:
          type: string
          pattern: '^(a+)+\\1$'
    Account:
      type: object
      required: [user, password]
      properties:
        user:
          type: string
        password:
          type: string
          format: password
          minLength: 12
        pin:
          type: string
          writeOnly: true
          pattern: '^[0-9]{4}$'
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - name: X-Trace
          in: header
          schema:
            type: string
        - name: code
          in: query
          schema:
            type: string
            pattern: '^(a+)+$'
        - name: pin
          in: query
          schema:
            type: string
            format: password
            pattern: '^[0-9]{4}$'
        - name: slug
          in: query
          schema:
            type: string
            pattern: '^(?!-)[a-z-]+$'
        - name: X-Client-Secret
          in: header
          schema:
            type: string
        - name: sessionToken
          in: cookie
          schema:
            type: string
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Thing'
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Thing'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
  /keys/{access_key}/usage:
    get:
      operationId: getKeyUsage
      parameters:
        - {name: access_key, in: path, required: true, schema: {type: string}}
      responses:
        '204':
          description: none
  /codes/{code}:
    get:
      operationId: getCode
      parameters:
        - {name: code, in: path, required: true, schema: {type: string, format: password, maxLength: 8}}
      responses:
        '204':
          description: none
  /accounts:
    post:
      operationId: createAccount
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Account'
      responses:
        '204':
          description: created
"""

KEY, QKEY, CKEY, TOKEN = "hdr-SECRET-4711", "qry-SECRET-0815", "ck-SECRET-2342", "tok-SECRET-1234"
SECRETS = (KEY, QKEY, CKEY, TOKEN)
KEYS = {"api_key": KEY, "query_key_api_key": QKEY, "cookie_key_api_key": CKEY}
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "hostile", SPEC)


@pytest.fixture
def other() -> Iterator[Server]:
    """Another origin (another port)."""
    with serving() as started:
        yield started


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def call(api: Package, mode: str, method: str, /, *args: Any, options: dict[str, Any], **kwargs: Any) -> Any:
    """Make a client as a user would (`Client(...)` or `AsyncClient(...)`) and call `method`,
    a call path such as `things.list` (`client.things.list(...)`)."""
    options = {"max_retries": 0} | options
    if mode == "sync":
        with api.module.Client(**options) as client:
            return functools.reduce(getattr, method.split("."), client)(*args, **kwargs)

    async def run() -> Any:
        async with api.module.AsyncClient(**options) as client:
            return await functools.reduce(getattr, method.split("."), client)(*args, **kwargs)

    return asyncio.run(run())


def keyed(server: Server, **more: Any) -> dict[str, Any]:
    return {"base_url": server.url, **KEYS, **more}


def texts(exc: BaseException) -> list[str]:
    """Every string a user, a log or a traceback could show of an exception."""
    found = ["".join(traceback.format_exception(exc))]
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        found += [str(current), repr(current)]
        for holder in (current, getattr(current, "response", None)):
            request = getattr(holder, "_request", None) or getattr(holder, "request", None)
            if isinstance(request, httpx.Request):
                found += [str(request.url), repr(request), repr(request.headers)]
        stack += [e for e in (current.__cause__, current.__context__) if e is not None]
    return found


def assert_hidden(exc: BaseException, *secrets: str, log: str = "") -> None:
    for text in [*texts(exc), log]:
        for secret in secrets or SECRETS:
            assert secret not in text, text


# -- credentials stay on their origin ------------------------------------------------------


def test_a_same_origin_redirect_keeps_every_credential(api: Package, server: Server, mode: str) -> None:
    server.route("/things", Answer(302, {"Location": "/moved"}))
    server.route("/moved", Answer(200, JSON, b'[{"name": "a"}]'))
    things = call(api, mode, "things.list", options=keyed(server))
    assert [t.name for t in things] == ["a"]
    moved = server.seen[1]
    assert moved.path == "/moved"
    assert moved.headers["x-api-key"] == KEY
    assert moved.query["api_key"] == [QKEY]  # the Location named none: the one sent goes on
    assert f"session={CKEY}" in moved.headers["cookie"]


@pytest.mark.parametrize("credentials", ["keys", "bearer"])
def test_a_redirect_to_another_origin_loses_every_credential(
    api: Package, server: Server, other: Server, mode: str, credentials: str
) -> None:
    server.route("/things", Answer(302, {"Location": f"{other.url}/landing?page=2"}))
    other.route("/landing", Answer(200, JSON, b"[]"))
    options = keyed(server) if credentials == "keys" else {"base_url": server.url, "bearer_token": TOKEN}
    extra = {"Proxy-Authorization": f"Basic {TOKEN}"}
    assert call(api, mode, "things.list", options=options, extra_headers=extra) == []
    assert server.seen[0].headers.get("x-api-key" if credentials == "keys" else "authorization")
    (landed,) = other.seen
    assert landed.query == {"page": ["2"]}
    for name in ("x-api-key", "authorization", "proxy-authorization", "cookie"):
        assert name not in landed.headers
    assert not any(secret in repr(landed) for secret in SECRETS)


def test_a_body_is_never_replayed_to_another_origin(
    api: Package, server: Server, other: Server, mode: str
) -> None:
    server.route("/things", Answer(307, {"Location": f"{other.url}/landing"}))
    errors = api.errors
    with pytest.raises(errors.RedirectError) as info:
        call(api, mode, "things.create", options=keyed(server), name="private")
    assert isinstance(info.value, errors.APIStatusError) and info.value.status_code == 307
    assert "another origin" in str(info.value)
    assert other.seen == []
    assert_hidden(info.value)


def test_a_same_origin_307_replays_the_body_with_credentials(api: Package, server: Server, mode: str) -> None:
    server.route("/things", Answer(307, {"Location": "/things/v2"}))
    server.route("/things/v2", lambda seen: Answer(200, JSON, seen.body))
    thing = call(api, mode, "things.create", options=keyed(server), name="kept")
    assert thing.name == "kept"
    first, second = server.seen
    assert (second.method, second.body, second.headers["x-api-key"]) == ("POST", first.body, KEY)


def test_a_redirect_loop_is_a_redirect_error(api: Package, server: Server, mode: str) -> None:
    server.route("/things", Answer(302, {"Location": "/things"}))
    with pytest.raises(api.errors.RedirectError, match="more than 20 redirects"):
        call(api, mode, "things.list", options=keyed(server))
    assert len(server.seen) == 21


# -- secrets never shown -------------------------------------------------------------------


def test_secrets_are_masked_in_status_errors_and_httpx_log_lines(
    api: Package, server: Server, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    server.route("/things", Answer(404, JSON, b'{"detail": "no"}'))
    with pytest.raises(api.errors.NotFoundError) as info:
        call(api, mode, "things.list", options=keyed(server))
    assert "HTTP Request: GET" in caplog.text and "api_key=**********" in caplog.text
    assert "api_key=**********" in str(info.value.request.url)
    assert info.value.request.headers["x-api-key"] == "**********"
    assert_hidden(info.value, log=caplog.text)


def test_secrets_are_masked_in_connection_errors_and_their_causes(
    api: Package, server: Server, mode: str
) -> None:
    server.route("/things", Answer(drop=True))
    with pytest.raises(api.errors.APIConnectionError) as info:
        call(api, mode, "things.list", options=keyed(server))
    assert isinstance(info.value.__cause__, httpx.TransportError)
    assert_hidden(info.value)


@pytest.mark.parametrize("bad", ["sk-é-" + KEY, KEY + "\r\nX-Evil: 1", KEY + "\x00"])
def test_a_key_a_header_cannot_carry_is_a_parameter_error(
    api: Package, server: Server, mode: str, bad: str
) -> None:
    with pytest.raises(api.errors.ParameterError, match=r"^api_key \(header 'X-API-Key'\): ") as info:
        call(api, mode, "things.list", options=keyed(server, api_key=bad))
    assert server.seen == []
    assert_hidden(info.value, KEY, bad)


def test_a_token_a_header_cannot_carry_names_its_argument(api: Package, server: Server, mode: str) -> None:
    options = {"base_url": server.url, "bearer_token": TOKEN + "\n"}
    with pytest.raises(api.errors.ParameterError, match=r"^bearer_token \(header 'Authorization'\)") as info:
        call(api, mode, "things.list", options=options)
    assert server.seen == []
    assert_hidden(info.value)


@pytest.mark.parametrize("value", ["a\r\nX-Evil: 1", "line\nbreak", "héllo"])
def test_a_header_parameter_that_cannot_be_sent_is_a_parameter_error(
    api: Package, server: Server, mode: str, value: str
) -> None:
    with pytest.raises(api.errors.ParameterError, match="^x_trace: ") as info:
        call(api, mode, "things.list", options=keyed(server, max_retries=2), x_trace=value)
    assert server.seen == []  # nothing sent, nothing retried
    assert_hidden(info.value, value)


@pytest.mark.parametrize(
    "arguments",
    [
        {"user": "u", "password": "hunter2-s"},
        {"user": "u", "password": "hunter2-s", "pin": "no"},
        {"body": {"user": "u", "password": "hunter2-s", "pin": "x"}},
        {"body": {"user": 5, "password": "hunter2-s"}},
        {"user": "u", "password": "hunter2-long-enough", "pin": "hunter2-pin"},
    ],
)
def test_passwords_and_write_only_values_never_appear_in_messages(
    api: Package, server: Server, mode: str, arguments: dict[str, Any]
) -> None:
    with pytest.raises(api.errors.ParameterError) as info:
        call(api, mode, "accounts.create", options=keyed(server), **arguments)
    assert server.seen == []
    assert "**********" in str(info.value) or "user" in str(info.value)
    assert_hidden(info.value, "hunter2-s", "hunter2-pin")
    assert "hunter2" not in repr(api.models.AccountInput(user="u", password="hunter2-long-enough"))


PARAM_SECRETS = {"pin": "4711", "x_client_secret": "cs-SECRET-9876", "session_token": "st-SECRET-5432"}


@pytest.mark.parametrize("answer", [Answer(404, JSON, b'{"detail": "no"}'), Answer(drop=True)], ids=["404", "drop"])
def test_password_and_secret_named_parameters_are_masked_like_credentials(
    api: Package, server: Server, mode: str, answer: Answer, caplog: pytest.LogCaptureFixture
) -> None:
    """`format: password` (pin, in the query), and parameters named as secrets (a header
    `X-Client-Secret`, a cookie `sessionToken`): sent as given, never shown."""
    caplog.set_level(logging.DEBUG)
    server.route("/things", answer)
    with pytest.raises(api.errors.APIError) as info:
        call(api, mode, "things.list", options=keyed(server), **PARAM_SECRETS)
    sent = server.seen[0]
    assert sent.query["pin"] == ["4711"] and sent.headers["x-client-secret"] == "cs-SECRET-9876"
    assert "sessionToken=st-SECRET-5432" in sent.headers["cookie"]
    request = info.value.request
    assert "pin=**********" in str(request.url) and request.headers["x-client-secret"] == "**********"
    assert "pin=" in caplog.text and "X-Client-Secret" in caplog.text.title()
    assert_hidden(info.value, "4711", *PARAM_SECRETS.values(), log=caplog.text)


@pytest.mark.parametrize("answer", [Answer(404, JSON, b'{"detail": "no"}'), Answer(drop=True)], ids=["404", "drop"])
def test_secret_path_parameters_are_masked_in_urls_messages_and_log_lines(
    api: Package, server: Server, mode: str, answer: Answer, caplog: pytest.LogCaptureFixture
) -> None:
    """A path parameter named as a secret (`access_key`) or `format: password` (`code`, short
    as it is): its segment is sent as given and reads `**********` wherever shown."""
    caplog.set_level(logging.DEBUG)
    secret = "ak-SECRET-7777"
    server.route(f"/keys/{secret}/usage", answer)
    with pytest.raises(api.errors.APIError) as info:
        call(api, mode, "keys.get_usage", secret, options=keyed(server))
    assert server.seen[0].path == f"/keys/{secret}/usage"
    assert str(info.value.request.url).startswith(f"{server.url}/keys/**********/usage?api_key=")
    assert f"{server.url}/keys/**********/usage" in caplog.text  # the client's and httpx's lines
    assert_hidden(info.value, secret, log=caplog.text)
    server.route("/codes/x9", answer)
    with pytest.raises(api.errors.APIError) as info:
        call(api, mode, "codes.get", "x9", options=keyed(server))
    assert server.seen[1].path == "/codes/x9"
    assert "/codes/**********?" in str(info.value.request.url)
    assert "/codes/x9" not in caplog.text and "/codes/x9" not in "".join(texts(info.value))


def test_a_secret_path_parameter_that_fails_its_check_is_not_shown(api: Package, server: Server, mode: str) -> None:
    wrong = "-".join(("hunter2", "code"))  # noqa: FLY002 - not in the source a traceback quotes
    with pytest.raises(api.errors.ParameterError, match=r"^code='\*{10}': String should have") as info:
        call(api, mode, "codes.get", wrong, options=keyed(server))
    assert server.seen == []
    assert_hidden(info.value, wrong)


def test_secret_parameters_do_not_follow_a_redirect_to_another_origin(
    api: Package, server: Server, other: Server, mode: str
) -> None:
    server.route("/things", Answer(302, {"Location": f"{other.url}/landing?pin=4711&page=2"}))
    other.route("/landing", Answer(200, JSON, b"[]"))
    assert call(api, mode, "things.list", options=keyed(server), **PARAM_SECRETS) == []
    (landed,) = other.seen
    assert landed.query == {"page": ["2"]}
    assert "x-client-secret" not in landed.headers and "cookie" not in landed.headers


def test_a_password_parameter_that_fails_its_check_is_not_shown(api: Package, server: Server, mode: str) -> None:
    wrong = "-".join(("hunter2", "pin"))  # noqa: FLY002 - not in the source a traceback quotes
    with pytest.raises(api.errors.ParameterError, match=r"^pin='\*{10}': String should match") as info:
        call(api, mode, "things.list", options=keyed(server), pin=wrong)
    assert server.seen == []
    assert_hidden(info.value, wrong)


def test_other_values_still_name_themselves_and_keep_pydantics_error(
    api: Package, server: Server, mode: str
) -> None:
    with pytest.raises(api.errors.ParameterError, match="'not-a-pin'") as info:
        call(api, mode, "things.create", options=keyed(server), body={"code": "not-a-pin"})
    assert type(info.value.__cause__).__name__ == "ValidationError"


# -- limits ----------------------------------------------------------------------------------


@functools.cache
def gzip_bomb() -> bytes:
    """64 MiB of JSON (a list of nothing, padded) in less than 200 kB."""
    bomb = gzip.compress(b"[" + b" " * (64 * 1024 * 1024) + b"]", compresslevel=9)
    assert len(bomb) < 200_000
    return bomb


def test_a_gzip_bomb_stops_at_max_response_size(api: Package, server: Server, mode: str) -> None:
    bomb = gzip_bomb()
    server.route("/things", Answer(200, {**JSON, "Content-Encoding": "gzip"}, bomb))
    started = time.monotonic()
    with pytest.raises(api.errors.ResponseTooLargeError, match="max_response_size") as info:
        call(api, mode, "things.list", options=keyed(server, max_response_size=1024 * 1024))
    assert time.monotonic() - started < 5
    assert info.value.status_code == 200
    assert_hidden(info.value)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_bomb_is_stopped_before_it_is_inflated_much_past_the_limit(
    api: Package, server: Server, mode: str, encoding: str
) -> None:
    """httpx inflates each piece read at once (a 64 KiB piece of this bomb: some 64 MiB):
    the client inflates in bounded steps, so what it holds stays near max_response_size."""
    bomb = gzip_bomb() if encoding == "gzip" else zlib.compress(b"[" + b" " * (64 << 20) + b"]", 9)
    server.route("/things", Answer(200, {**JSON, "Content-Encoding": encoding}, bomb))
    tracemalloc.start()
    try:
        with pytest.raises(api.errors.ResponseTooLargeError):
            call(api, mode, "things.list", options=keyed(server, max_response_size=1 << 20))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate", "identity, gzip"])
def test_bodies_the_client_inflates_itself_read_whole(
    api: Package, server: Server, mode: str, encoding: str
) -> None:
    body = json.dumps([{"name": f"n{i}" * 50} for i in range(2000)]).encode()
    packed = zlib.compress(body) if encoding == "deflate" else gzip.compress(body)
    server.route("/things", Answer(200, {**JSON, "Content-Encoding": encoding}, packed))
    things = call(api, mode, "things.list", options=keyed(server))
    assert [t.name for t in things] == [f"n{i}" * 50 for i in range(2000)]


def test_a_raw_deflate_body_is_read_as_httpx_reads_it(api: Package, server: Server, mode: str) -> None:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw = packer.compress(b'[{"name": "raw"}]') + packer.flush()
    server.route("/things", Answer(200, {**JSON, "Content-Encoding": "deflate"}, raw))
    assert call(api, mode, "things.list", options=keyed(server))[0].name == "raw"


def test_the_default_size_limit_is_256_mib_and_bodies_within_it_are_read(
    api: Package, server: Server, mode: str
) -> None:
    assert api.module._base.DEFAULT_MAX_RESPONSE_SIZE == 256 * 1024 * 1024
    body = json.dumps([{"name": "x" * 1000}] * 1000).encode()
    server.route("/things", Answer(200, {**JSON, "Content-Encoding": "gzip"}, gzip.compress(body)))
    assert len(call(api, mode, "things.list", options=keyed(server))) == 1000


def test_a_dribbling_body_ends_at_the_calls_timeout(api: Package, server: Server, mode: str) -> None:
    server.route("/things", Answer(200, JSON, b"[" + b" " * 200 + b"]", dribble=0.2))
    started = time.monotonic()
    with pytest.raises(api.errors.APITimeoutError) as info:
        call(api, mode, "things.list", options=keyed(server, timeout=1.0))
    assert 0.9 < time.monotonic() - started < 2.0
    assert_hidden(info.value)


@pytest.mark.parametrize(
    "answer",
    [
        Answer(200, JSON, b"[]", dribble=0.2, dribble_head=True),  # each read short, ~20 s in all
        Answer(200, JSON, b"[ ]", stall=0.7, dribble=5.0),  # late, then silent: one long read
    ],
    ids=["dribbled-head", "stalled-body"],
)
def test_no_read_outlasts_the_calls_timeout(api: Package, server: Server, mode: str, answer: Answer) -> None:
    """Each wait of the call, not only the time between chunks, ends with its deadline: a
    read the server keeps waiting cannot go on for the time left when its attempt began."""
    server.route("/things", answer)
    started = time.monotonic()
    with pytest.raises(api.errors.APITimeoutError) as info:
        call(api, mode, "things.list", options=keyed(server, timeout=1.0))
    assert 0.9 < time.monotonic() - started < 1.4
    assert_hidden(info.value)


def test_a_retry_after_beyond_the_timeout_is_not_waited_for(api: Package, server: Server, mode: str) -> None:
    server.route("/things", Answer(503, {**JSON, "Retry-After": "30"}, b"{}"))
    started = time.monotonic()
    with pytest.raises(api.errors.InternalServerError):
        call(api, mode, "things.list", options=keyed(server, timeout=2.0, max_retries=3))
    assert time.monotonic() - started < 1.5
    assert len(server.seen) == 1


def test_patterns_run_in_linear_time_on_arguments_and_responses(
    api: Package, server: Server, mode: str
) -> None:
    evil = "a" * 100_000 + "b"
    started = time.monotonic()
    with pytest.raises(api.errors.ParameterError, match="^code="):
        call(api, mode, "things.list", options=keyed(server), code=evil)
    server.route("/things", Answer(200, JSON, json.dumps([{"code": evil}]).encode()))
    with pytest.raises(api.errors.APIResponseValidationError):
        call(api, mode, "things.list", options=keyed(server))
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("field", ["nickname", "handle"])
def test_patterns_opening_with_lookaheads_run_in_linear_time_too(
    api: Package, server: Server, mode: str, field: str
) -> None:
    """`^(?!admin)(a+)+$` and `^(?=.*a)(a+)+$`: each lookahead a pattern of its own, on
    Rust's engine, on arguments and responses alike; the message quotes the whole pattern."""
    pattern = {"nickname": "^(?!admin)(a+)+$", "handle": "^(?=.*a)(a+)+$"}[field]
    evil = "a" * 100_000 + "b"
    started = time.monotonic()
    for wrong in ("admin", "b", evil):
        with pytest.raises(api.errors.ParameterError, match=f"^{field}=.*should match pattern") as info:
            call(api, mode, "things.create", options=keyed(server), **{field: wrong})
        assert repr(pattern) in str(info.value)
    server.route("/things", Answer(200, JSON, json.dumps([{field: evil}]).encode()))
    with pytest.raises(api.errors.APIResponseValidationError):
        call(api, mode, "things.list", options=keyed(server))
    assert time.monotonic() - started < 2
    server.route("/things", lambda seen: Answer(200, JSON, seen.body or b"{}"))
    assert getattr(call(api, mode, "things.create", options=keyed(server), **{field: "aaaa"}), field) == "aaaa"


def test_a_parameter_pattern_with_a_lookahead_is_checked_before_sending(
    api: Package, server: Server, mode: str
) -> None:
    server.route("/things", Answer(200, JSON, b"[]"))
    with pytest.raises(api.errors.ParameterError, match="^slug='-a': String should match pattern"):
        call(api, mode, "things.list", options=keyed(server), slug="-a")
    assert server.seen == []
    assert call(api, mode, "things.list", options=keyed(server), slug="a-b") == []
    assert server.seen[0].query["slug"] == ["a-b"]


def test_a_pattern_only_backtracking_can_check_is_left_to_the_server_with_a_warning(
    api: Package, server: Server, mode: str
) -> None:
    (warning,) = [d for d in api.result.diagnostics if "linear time" in d.message]
    assert warning.level.name == "WARNING" and warning.pointer == "/components/schemas/Thing/properties/twin/pattern"
    assert "the server does" in warning.message
    evil = "a" * 100_000 + "b"
    server.route("/things", lambda seen: Answer(200, JSON, seen.body))
    started = time.monotonic()
    assert call(api, mode, "things.create", options=keyed(server), twin=evil).twin == evil
    assert time.monotonic() - started < 2


# -- every failure in the hierarchy --------------------------------------------------------


@pytest.mark.parametrize("status", [200, 500])
def test_json_nested_beyond_pythons_stack_is_an_api_error(
    api: Package, server: Server, mode: str, status: int
) -> None:
    server.route("/things", Answer(status, JSON, b"[" * 200_000 + b"]" * 200_000))
    expected = api.errors.APIResponseValidationError if status == 200 else api.errors.InternalServerError
    with pytest.raises(expected):
        call(api, mode, "things.list", options=keyed(server))


@pytest.mark.parametrize(
    "retry_after",
    ["Fri, 31 Dec 99999999999999999999 23:59:59 GMT", "Fri, 31 Dec 99999 23:59:59 GMT", "1e999", "nan"],
)
def test_an_absurd_retry_after_falls_back_to_backoff(
    api: Package, server: Server, mode: str, retry_after: str
) -> None:
    server.route("/things", Answer(503, {**JSON, "Retry-After": retry_after}, b"{}"))
    with pytest.raises(api.errors.InternalServerError):
        call(api, mode, "things.list", options=keyed(server, max_retries=1))
    assert len(server.seen) == 2


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        (JSON, b"[{not json"),
        (JSON, b"\xff\xfe\x00garbage"),
        ({**JSON, "Content-Encoding": "gzip"}, b"\x1f\x8b\x08\x00 this is no gzip"),
    ],
)
def test_a_body_that_cannot_be_read_is_a_response_validation_error(
    api: Package, server: Server, mode: str, headers: dict[str, str], body: bytes
) -> None:
    server.route("/things", Answer(200, headers, body))
    with pytest.raises(api.errors.APIResponseValidationError) as info:
        call(api, mode, "things.list", options=keyed(server))
    assert_hidden(info.value)


def test_a_location_that_is_no_url_is_an_api_error(api: Package, server: Server, mode: str) -> None:
    server.route("/things", Answer(302, {"Location": "http://[::1"}))
    with pytest.raises(api.errors.APIError):
        call(api, mode, "things.list", options=keyed(server))


def test_a_query_too_long_for_a_url_is_a_parameter_error(api: Package, server: Server, mode: str) -> None:
    with pytest.raises(api.errors.ParameterError, match="cannot be built"):
        call(api, mode, "things.list", options=keyed(server), code="a" * 70_000)
    assert server.seen == []


def test_seen_requests_are_recorded(server: Server) -> None:
    """The harness itself: a request is kept with its query, headers and body."""
    server.route("/echo", lambda seen: Answer(201, body=seen.body))
    response = httpx.post(f"{server.url}/echo?a=1", content=b"hi", headers={"X-T": "v"})
    assert (response.status_code, response.content) == (201, b"hi")
    seen: Seen = server.seen[0]
    assert (seen.method, seen.path, seen.query, seen.headers["x-t"]) == ("POST", "/echo", {"a": ["1"]}, "v")
