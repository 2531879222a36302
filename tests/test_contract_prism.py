"""Contract tests: every generated client against a Prism mock of its own openapi.json.

Prism validates each request against the client's merged OpenAPI document and answers an
invalid one with a 4xx, which the client raises as an `errors.APIStatusError`; the tests
then fail with Prism's violation list. Valid requests get the documented response (the
examples, or random schema-valid data with `Prefer: dynamic=true`), and `Prefer: code=NNN`
selects a documented error response.

One Prism per client, started on first use and stopped when the module ends. Clients are
built with `max_retries=0` so the 5xx cases do not sleep through the retry backoff.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from feature_support import method_of
from prism import PrismServer, violations
from pydantic import BaseModel

pytestmark = pytest.mark.prism

REPO = Path(__file__).resolve().parent.parent
GENERATED = REPO / "generated"
CLIENTS = ("anchorbrowser", "recoup", "xpander")
MODES = ("sync", "async")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

TASK_ID = uuid.UUID("aade2bce-55c7-468e-a606-c4e76fb2ea2a")
API_KEY = {"api_key": "test-api-key"}
DYNAMIC_CALLS = 20
DYNAMIC_ERROR_CALLS = 5

# status -> (exception class in errors, model of the documented body)
ANCHORBROWSER_ERRORS = {
    404: ("NotFoundError", "ErrorResponse"),
    500: ("InternalServerError", "ErrorResponse"),
}
RECOUP_ERRORS = {
    400: ("BadRequestError", "DeleteTaskValidationErrorResponse"),
    401: ("AuthenticationError", "Error"),
    403: ("PermissionDeniedError", "Error"),
    404: ("NotFoundError", "DeleteTaskFailureResponse"),
    500: ("InternalServerError", "DeleteTaskFailureResponse"),
}
XPANDER_ERRORS = {422: ("UnprocessableEntityError", "HTTPValidationError")}

Arguments = tuple[tuple[Any, ...], dict[str, Any]]


@dataclass(frozen=True)
class Op:
    """One operation of one client, and valid arguments to call it with."""

    client: str
    http: str  # "DELETE /api/tasks": the operation in openapi.json
    method: str  # the Python method
    args: tuple[Any, ...] = ()
    kwargs: Callable[[ModuleType], dict[str, Any]] = lambda package: {}
    returns: str | None = None  # model in `models`; None: no body (204)
    errors: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.client}.{self.method}" + (
            f"[{self.label}]" if self.label else ""
        )

    def package(self) -> ModuleType:
        return importlib.import_module(f"generated.{self.client}")

    def arguments(self) -> Arguments:
        return self.args, self.kwargs(self.package())


# One entry per operation: the main cases (errors, auth and dynamic tests use these).
OPERATIONS = [
    Op(
        "anchorbrowser",
        "DELETE /v1/task/{taskId}/{taskVersion}",
        "tasks.delete_version",
        (TASK_ID, "draft"),
        returns="DeleteTaskResponse",
        errors=ANCHORBROWSER_ERRORS,
    ),
    Op(
        "anchorbrowser",
        "GET /v1/task/{taskId}/latest",
        "tasks.get_latest_version",
        (TASK_ID,),
        returns="TaskVersionResponse",
        errors=ANCHORBROWSER_ERRORS,
    ),
    Op(
        "recoup",
        "DELETE /api/tasks",
        "tasks.delete",
        kwargs=lambda package: {"id": TASK_ID},
        returns="DeleteTaskResponse",
        errors=RECOUP_ERRORS,
    ),
    Op(
        "xpander",
        "DELETE /v1/tasks/{task_id}",
        "tasks.delete",
        ("task-42",),
        returns=None,
        errors=XPANDER_ERRORS,
    ),
]

# Other valid ways to call the same operations.
VARIANTS = [
    Op(
        "anchorbrowser",
        "DELETE /v1/task/{taskId}/{taskVersion}",
        "tasks.delete_version",
        (TASK_ID, "latest"),
        returns="DeleteTaskResponse",
        label="latest",
    ),
    Op(
        "anchorbrowser",
        "DELETE /v1/task/{taskId}/{taskVersion}",
        "tasks.delete_version",
        (str(TASK_ID), "17"),
        returns="DeleteTaskResponse",
        label="str-id-numbered-version",
    ),
    Op(
        "anchorbrowser",
        "GET /v1/task/{taskId}/latest",
        "tasks.get_latest_version",
        (str(TASK_ID),),
        returns="TaskVersionResponse",
        label="str-id",
    ),
    Op(
        "recoup",
        "DELETE /api/tasks",
        "tasks.delete",
        kwargs=lambda package: {"body": package.models.DeleteTaskRequest(id=TASK_ID)},
        returns="DeleteTaskResponse",
        label="body-model",
    ),
    Op(
        "xpander",
        "DELETE /v1/tasks/{task_id}",
        "tasks.delete",
        ("task 42/ü?#%",),  # must be percent-encoded into one path segment
        returns=None,
        label="reserved-characters",
    ),
]

JSON_OPERATIONS = [op for op in OPERATIONS if op.returns is not None]
ERROR_CASES = [(op, status) for op in OPERATIONS for status in sorted(op.errors)]
ENV_VARS = [
    f"{client.upper()}_{suffix}"
    for client in CLIENTS
    for suffix in ("API_KEY", "BEARER_TOKEN", "BASE_URL")
]


def _ids(ops: list[Op]) -> list[str]:
    return [op.id for op in ops]


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prism_for() -> Iterator[Callable[[str], PrismServer]]:
    """`prism_for(client)`: that client's Prism, started on first use."""
    started: dict[str, PrismServer] = {}
    with contextlib.ExitStack() as stack:

        def get(client: str) -> PrismServer:
            if client not in started:
                spec = GENERATED / client / "openapi.json"
                started[client] = stack.enter_context(PrismServer(spec))
            return started[client]

        yield get


@pytest.fixture(autouse=True)
def _no_credentials_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials and base URLs come only from the test, never from the environment."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


# --- helpers --------------------------------------------------------------------------


def request_violations(response: httpx.Response) -> list[dict[str, Any]]:
    """Prism's complaints about the request (response complaints are the spec's business)."""
    return [
        v
        for v in violations(response)
        if not (
            isinstance(v.get("location"), list) and v["location"][:1] == ["response"]
        )
    ]


def describe(response: httpx.Response) -> str:
    """What Prism answered and why, for a failure message."""
    request = response.request
    return (
        f"{request.method} {request.url} -> {response.status_code}\n"
        f"Prism violations: {json.dumps(violations(response), indent=2)}\n"
        f"response body: {response.text[:2000]}"
    )


def assert_prism_accepted(response: httpx.Response) -> None:
    """The request was valid and the status came from the spec, not from Prism itself."""
    assert request_violations(response) == [], describe(response)
    content_type = response.headers.get("content-type", "")
    assert "problem+json" not in content_type, describe(response)


def make_client(
    op: Op, mode: str, prism: PrismServer, credentials: Mapping[str, Any]
) -> Any:
    package = op.package()
    factory = package.Client if mode == "sync" else package.AsyncClient
    return factory(base_url=prism.base_url, max_retries=0, **credentials)


async def call(
    op: Op,
    mode: str,
    prism: PrismServer,
    *,
    headers: Mapping[str, str] | None = None,
    credentials: Mapping[str, str] = API_KEY,
) -> Any:
    """Call the operation through the generated Client or AsyncClient."""
    args, kwargs = op.arguments()
    if headers is not None:
        kwargs["extra_headers"] = dict(headers)
    client = make_client(op, mode, prism, credentials)
    if mode == "sync":
        with client:
            return method_of(client, op.method)(*args, **kwargs)
    async with client:
        return await method_of(client, op.method)(*args, **kwargs)


async def call_raw(
    op: Op,
    mode: str,
    prism: PrismServer,
    *,
    headers: Mapping[str, str] | None = None,
    credentials: Mapping[str, str] = API_KEY,
) -> Any:
    """Like `call`, through `with_raw_response`: the parsed result and the HTTP response."""
    args, kwargs = op.arguments()
    if headers is not None:
        kwargs["extra_headers"] = dict(headers)
    client = make_client(op, mode, prism, credentials)
    if mode == "sync":
        with client:
            return client.with_raw_response(method_of(client, op.method), *args, **kwargs)
    async with client:
        return await client.with_raw_response(
            method_of(client, op.method), *args, **kwargs
        )


async def call_expecting_success(
    op: Op, mode: str, prism: PrismServer, **options: Any
) -> Any:
    errors = op.package().errors
    try:
        return await call_raw(op, mode, prism, **options)
    except errors.APIStatusError as exc:
        pytest.fail(
            f"{type(exc).__name__} instead of success:\n{describe(exc.response)}"
        )


def assert_returns(op: Op, result: Any) -> None:
    if op.returns is None:
        assert result is None, f"{op.id} should return None, got {result!r}"
        return
    model = getattr(op.package().models, op.returns)
    assert isinstance(result, model), f"{op.id} returned {type(result)}, not {model}"


def assert_keeps_every_field(raw: Any, parsed: Any, where: str = "$") -> None:
    """Every key of the JSON is in the parsed model: as a field, or kept as an extra."""
    if isinstance(parsed, BaseModel) and isinstance(raw, dict):
        by_wire: dict[str, str] = {}
        for name, info in type(parsed).model_fields.items():
            alias = (
                info.validation_alias
                if isinstance(info.validation_alias, str)
                else None
            )
            by_wire[alias or info.alias or name] = name
            by_wire.setdefault(name, name)
        extra = parsed.model_extra or {}
        for key, value in raw.items():
            if key in by_wire:
                assert_keeps_every_field(
                    value, getattr(parsed, by_wire[key]), f"{where}.{key}"
                )
            else:
                assert (
                    key in extra
                ), f"{where}.{key} was dropped by {type(parsed).__name__}"
                assert (
                    extra[key] == value
                ), f"{where}.{key} changed: {extra[key]!r} != {value!r}"
    elif isinstance(raw, list) and isinstance(parsed, list):
        assert len(raw) == len(parsed), f"{where}: list length changed"
        for index, (item_raw, item) in enumerate(zip(raw, parsed, strict=True)):
            assert_keeps_every_field(item_raw, item, f"{where}[{index}]")
    elif isinstance(raw, dict):
        assert isinstance(
            parsed, dict
        ), f"{where}: object parsed as {type(parsed).__name__}"


# --- the table covers the spec --------------------------------------------------------


def _documented(client: str) -> dict[str, list[int]]:
    """'METHOD /path' -> documented 4xx/5xx statuses, from the client's openapi.json."""
    spec = json.loads((GENERATED / client / "openapi.json").read_text(encoding="utf-8"))
    found: dict[str, list[int]] = {}
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                statuses = [
                    int(s) for s in operation.get("responses", {}) if s[:1] in "45"
                ]
                found[f"{method.upper()} {path}"] = sorted(statuses)
    return found


@pytest.mark.parametrize("client", CLIENTS)
def test_every_operation_and_error_status_is_exercised(client: str) -> None:
    ops = [op for op in OPERATIONS if op.client == client]
    assert {op.http: sorted(op.errors) for op in ops} == _documented(client)
    package = importlib.import_module(f"generated.{client}")
    for op in ops + [v for v in VARIANTS if v.client == client]:
        client = package.Client(base_url="http://127.0.0.1:9")
        assert callable(method_of(client, op.method)), op.id
        assert inspect.iscoroutinefunction(
            method_of(package.AsyncClient(base_url="http://127.0.0.1:9"), op.method)
        ), op.id


# --- success --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", OPERATIONS + VARIANTS, ids=_ids(OPERATIONS + VARIANTS))
async def test_valid_call_succeeds(
    op: Op, mode: str, prism_for: Callable[[str], PrismServer]
) -> None:
    raw = await call_expecting_success(op, mode, prism_for(op.client))
    assert raw.http_response.is_success
    assert request_violations(raw.http_response) == []
    assert_returns(op, raw.parsed)
    # The direct call (not through with_raw_response) returns the same kind of value.
    assert_returns(op, await call(op, mode, prism_for(op.client)))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", JSON_OPERATIONS, ids=_ids(JSON_OPERATIONS))
async def test_random_schema_valid_responses_parse(
    op: Op, mode: str, prism_for: Callable[[str], PrismServer]
) -> None:
    """Prism's dynamic data (random values, extra properties) parses and nothing is lost.

    get-latest-task-version has overlapping oneOf branches (proxy type and country code):
    Prism itself flags its data as matching more than one branch; the client accepts it.
    """
    prism = prism_for(op.client)
    for _ in range(DYNAMIC_CALLS):
        raw = await call_expecting_success(
            op, mode, prism, headers={"Prefer": "dynamic=true"}
        )
        assert_returns(op, raw.parsed)
        assert_keeps_every_field(raw.http_response.json(), raw.parsed)


@pytest.mark.parametrize("mode", MODES)
async def test_overlapping_one_of_branches_are_accepted(
    mode: str, prism_for: Callable[[str], PrismServer]
) -> None:
    """The documented example matches several oneOf branches (proxy type, country code).

    Prism, with strict exactly-one semantics, flags its own response; the client must
    parse it anyway and keep the values.
    """
    op = OPERATIONS[1]
    assert op.method == "tasks.get_latest_version"
    raw = await call_expecting_success(op, mode, prism_for(op.client))
    flagged = [v for v in violations(raw.http_response) if v.get("code") == "oneOf"]
    assert flagged, "precondition: Prism should report the oneOf overlap it served"
    proxy = raw.http_response.json()["data"]["browserConfiguration"]["proxy"]
    parsed = raw.parsed.data.browser_configuration.proxy
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == proxy


# --- documented errors ----------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("op", "status"),
    ERROR_CASES,
    ids=[f"{op.id}-{status}" for op, status in ERROR_CASES],
)
async def test_documented_error_raises_its_exception_with_parsed_body(
    op: Op, status: int, mode: str, prism_for: Callable[[str], PrismServer]
) -> None:
    package = op.package()
    exception_name, body_model = op.errors[status]
    expected = getattr(package.errors, exception_name)
    prism = prism_for(op.client)
    for prefer in (f"code={status}", f"code={status}, dynamic=true"):
        calls = 1 if "dynamic" not in prefer else DYNAMIC_ERROR_CALLS
        for _ in range(calls):
            with pytest.raises(package.errors.APIStatusError) as caught:
                await call(op, mode, prism, headers={"Prefer": prefer})
            error = caught.value
            assert_prism_accepted(error.response)
            assert (
                type(error) is expected
            ), f"{prefer}: {type(error).__name__} != {exception_name}"
            assert error.status_code == status == error.response.status_code
            assert isinstance(
                error.body, getattr(package.models, body_model)
            ), f"{prefer}: body {error.body!r} is not models.{body_model}"


# --- authentication -------------------------------------------------------------------


class _SendsNothing(httpx.Auth):
    """An http_client's own auth that adds nothing: the client trusts it, Prism does not."""

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        yield request


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", OPERATIONS, ids=_ids(OPERATIONS))
async def test_request_without_credentials_is_refused_before_sending(
    op: Op, mode: str, prism_for: Callable[[str], PrismServer]
) -> None:
    package = op.package()
    with pytest.raises(package.errors.MissingCredentialsError, match="needs credentials"):
        await call(op, mode, prism_for(op.client), credentials={})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", OPERATIONS, ids=_ids(OPERATIONS))
async def test_request_without_credentials_gets_authentication_error(
    op: Op, mode: str, prism_for: Callable[[str], PrismServer]
) -> None:
    """Sent anyway (an http_client with auth of its own is trusted), Prism answers 401."""
    package = op.package()
    if mode == "sync":
        http: Any = httpx.Client(auth=_SendsNothing())
    else:
        http = httpx.AsyncClient(auth=_SendsNothing())
    with pytest.raises(package.errors.AuthenticationError) as caught:
        await call(op, mode, prism_for(op.client), credentials={"http_client": http})
    if mode == "sync":
        http.close()
    else:
        await http.aclose()
    error = caught.value
    assert error.status_code == 401
    sent = error.response.request.headers
    assert not {"authorization", "x-api-key", "anchor-api-key"} & set(sent), sent
    if 401 in op.errors:  # documented: parsed as its schema
        assert isinstance(error.body, getattr(package.models, op.errors[401][1]))
    else:  # undocumented: the raw body
        assert isinstance(error.body, dict), repr(error.body)


RECOUP_DELETE = OPERATIONS[2]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("credentials", "expected_header", "absent_header"),
    [
        ({"api_key": "recoup-key"}, ("x-api-key", "recoup-key"), "authorization"),
        (
            {"bearer_token": "recoup-jwt"},
            ("authorization", "Bearer recoup-jwt"),
            "x-api-key",
        ),
    ],
    ids=["api-key", "bearer"],
)
async def test_recoup_accepts_either_security_alternative(
    credentials: dict[str, str],
    expected_header: tuple[str, str],
    absent_header: str,
    mode: str,
    prism_for: Callable[[str], PrismServer],
) -> None:
    assert RECOUP_DELETE.client == "recoup"
    raw = await call_expecting_success(
        RECOUP_DELETE, mode, prism_for("recoup"), credentials=credentials
    )
    sent = raw.http_response.request.headers
    name, value = expected_header
    assert sent.get(name) == value
    assert absent_header not in sent
    assert_returns(RECOUP_DELETE, raw.parsed)
