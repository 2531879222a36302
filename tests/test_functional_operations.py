"""Every generated operation, called through httpx.MockTransport with Client and AsyncClient.

Success results, the request actually sent, parameter checks, and the exception raised for
each documented, undocumented or malformed answer.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from typing import Any
from urllib.parse import unquote

import mock_support
import pydantic
import pytest
from feature_support import method_of
from mock_support import (
    ANCHOR_PROXY,
    CUSTOM_PROXY,
    OP_IDS,
    OPS,
    PACKAGES,
    TASK_ID,
    VERSION_ID,
    Connect,
    Op,
    call,
    reply,
    task_version_body,
)

from generated.anchorbrowser import errors as ab_errors
from generated.anchorbrowser import models as ab_models
from generated.recoup import errors as rc_errors
from generated.recoup import models as rc_models
from generated.xpander import errors as xp_errors
from generated.xpander import models as xp_models

clean_env = mock_support.clean_env
sleeps = mock_support.sleeps
mode = mock_support.mode
connect = mock_support.connect

BASE_URLS = {
    "anchorbrowser": "https://api.anchorbrowser.io",
    "recoup": "https://api.recoupable.dev",
    "xpander": "https://api.xpander.ai",
}


def assert_shown_as_sent(shown: Any, sent: Any) -> None:
    """An exception's request is the one sent, its credentials masked."""
    assert (shown.method, shown.url) == (sent.method, sent.url)
    credentials = {"authorization", "cookie", "anchor-api-key", "x-api-key"}
    for name, value in sent.headers.items():
        expected = "**********" if name in credentials else value
        assert shown.headers[name] == expected, name


def _invoke(client: Any, op: Op) -> Any:
    return call(method_of(client, op.name), *op.args, **op.kwargs)


# ------------------------------------------------------------------------ success


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
async def test_every_operation_succeeds_and_sends_one_request(
    connect: Connect, op: Op
) -> None:
    client, api = connect(op.package, op.ok)

    op.check(await _invoke(client, op))

    assert len(api.requests) == 1
    assert api.last.method == op.method
    assert str(api.last.url) == BASE_URLS[op.package] + op.path


@pytest.mark.parametrize(
    ("proxy", "proxy_model"),
    [(ANCHOR_PROXY, ab_models.AnchorProxy), (CUSTOM_PROXY, ab_models.CustomProxy)],
    ids=["AnchorProxy", "CustomProxy"],
)
async def test_task_version_response_is_parsed_completely(
    connect: Connect, proxy: dict[str, Any], proxy_model: type
) -> None:
    body = task_version_body(proxy)
    client, _ = connect("anchorbrowser", reply(200, body))

    result = await call(client.tasks.get_latest_version, TASK_ID)

    version = result.data
    assert isinstance(version, ab_models.TaskVersion)
    assert version.id == uuid.UUID(VERSION_ID)
    assert version.task_id == uuid.UUID(TASK_ID)
    assert version.code == "ZXhwb3J0IGRlZmF1bHQgYXN5bmMgKCkgPT4ge30="
    assert version.language == "typescript"
    assert version.deleted is False
    assert version.created_at == dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert version.updated_at == dt.datetime(2025, 1, 3, 4, 5, 6, 250000, tzinfo=dt.UTC)
    config = version.browser_configuration
    assert isinstance(config, ab_models.SessionConfig)
    assert config.tags == ["production", "scraping"]
    assert config.recording is not None and config.recording.active is False
    assert config.timeout is not None and config.timeout.max_duration == 20
    assert config.live_view is not None and config.live_view.read_only is True
    assert type(config.proxy) is proxy_model
    assert config.proxy.model_dump(by_alias=True, exclude_unset=True) == proxy
    # Fields the spec does not know survive, at every level.
    assert version.model_extra == {"ownerTeam": "growth"}
    assert result.model_extra == {"meta": {"requestId": "req_8d1"}}
    expected = copy.deepcopy(body)
    expected["data"]["updatedAt"] = "2025-01-03T04:05:06.250000Z"  # same instant
    assert json.loads(result.model_dump_json(exclude_unset=True)) == expected


async def test_xpander_delete_returns_none_on_204(connect: Connect) -> None:
    client, api = connect("xpander", reply(204))
    assert await call(client.tasks.delete, "task-123") is None
    assert api.last.method == "DELETE"
    assert api.last.content == b""


# ------------------------------------------------------------ recoup: JSON on DELETE


@pytest.mark.parametrize(
    "kwargs",
    [
        {"id": TASK_ID},
        {"id": uuid.UUID(TASK_ID)},
        {"body": rc_models.DeleteTaskRequest(id=uuid.UUID(TASK_ID))},
        {"body": {"id": TASK_ID}},
    ],
    ids=["id-str", "id-uuid", "body-model", "body-dict"],
)
async def test_recoup_delete_sends_json_body(
    connect: Connect, kwargs: dict[str, Any]
) -> None:
    client, api = connect("recoup", reply(200, {"status": "success"}))

    result = await call(client.tasks.delete, **kwargs)

    assert result == rc_models.DeleteTaskResponse(status="success")
    assert api.last.method == "DELETE"
    assert str(api.last.url) == "https://api.recoupable.dev/api/tasks"
    assert api.last.headers["content-type"] == "application/json"
    assert api.body_json() == {"id": TASK_ID}


async def test_recoup_body_and_field_together_is_a_type_error(connect: Connect) -> None:
    client, api = connect("recoup")
    body = rc_models.DeleteTaskRequest(id=TASK_ID)
    with pytest.raises(TypeError, match="id"):
        await call(client.tasks.delete, body=body, id=TASK_ID)
    assert api.requests == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"id": "nope"}, "id='nope': Input should be a valid UUID"),
        ({}, "body field 'id' is required"),
        ({"id": 42}, "id=42: UUID input should be a string"),
    ],
    ids=["not-a-uuid", "missing", "int"],
)
async def test_recoup_invalid_id_is_rejected_before_sending(
    connect: Connect, kwargs: dict[str, Any], message: str
) -> None:
    client, api = connect("recoup")
    with pytest.raises(rc_errors.ParameterError) as info:  # never pydantic's own error
        await call(client.tasks.delete, **kwargs)
    assert str(info.value).startswith(message)
    assert not isinstance(info.value, pydantic.ValidationError)
    assert isinstance(info.value.__cause__, pydantic.ValidationError)  # kept for its details
    assert api.requests == []


# ------------------------------------------------------------- path parameters


@pytest.mark.parametrize(
    ("task_id", "raw_path"),
    [
        ("a/b c", b"/v1/tasks/a%2Fb%20c"),
        ("x?y#z", b"/v1/tasks/x%3Fy%23z"),
        ("50%off", b"/v1/tasks/50%25off"),
        ("t\u00fcr", b"/v1/tasks/t%C3%BCr"),
        ("../admin", b"/v1/tasks/..%2Fadmin"),
    ],
)
async def test_xpander_task_id_is_percent_encoded(
    connect: Connect, task_id: str, raw_path: bytes
) -> None:
    client, api = connect("xpander", reply(204))
    await call(client.tasks.delete, task_id)
    assert api.last.url.raw_path == raw_path
    assert api.last.url.host == "api.xpander.ai"


@pytest.mark.parametrize("task_id", ["..", ".", ""])
async def test_xpander_task_id_never_targets_another_resource(
    connect: Connect, task_id: str
) -> None:
    """A path parameter is one segment: it may be encoded or rejected, never dropped.

    `delete_task("..")` must not become `DELETE /v1`, nor `delete_task("")`
    `DELETE /v1/tasks/` (the collection).
    """
    client, api = connect("xpander", reply(204))
    try:
        await call(client.tasks.delete, task_id)
    except ValueError:
        assert api.requests == []
        return
    prefix = b"/v1/tasks/"
    raw = api.last.url.raw_path
    assert raw.startswith(prefix), f"sent to {raw!r}"
    segment = raw[len(prefix) :].decode()
    assert segment not in ("", ".", "..") and "/" not in segment, f"sent to {raw!r}"
    assert unquote(segment) == task_id


@pytest.mark.parametrize(
    "task_id",
    [TASK_ID.upper(), uuid.UUID(TASK_ID), "{" + TASK_ID + "}"],
    ids=["upper", "UUID", "braces"],
)
async def test_anchorbrowser_task_id_is_sent_as_canonical_uuid(
    connect: Connect, task_id: Any
) -> None:
    client, api = connect("anchorbrowser", reply(200, {"data": None}))
    await call(client.tasks.delete_version, task_id, "12")
    assert api.last.url.raw_path == f"/v1/task/{TASK_ID}/12".encode()


@pytest.mark.parametrize(
    ("method", "args", "param"),
    [
        ("tasks.get_latest_version", ("not-a-uuid",), "task_id"),
        ("tasks.delete_version", ("not-a-uuid", "1"), "task_id"),
        ("tasks.delete_version", (TASK_ID, "7x"), "task_version"),
        ("tasks.delete_version", (TASK_ID, ""), "task_version"),
        ("tasks.delete_version", (TASK_ID, "drafts"), "task_version"),
        # The pattern is ECMA-262 `^(draft|latest|\d+)$`: `$` is the end of input and
        # `\d` is [0-9], so a trailing newline or a non-ASCII digit does not match.
        ("tasks.delete_version", (TASK_ID, "7\n"), "task_version"),
        ("tasks.delete_version", (TASK_ID, "latest\n"), "task_version"),
        ("tasks.delete_version", (TASK_ID, "\u0663"), "task_version"),
    ],
    ids=[
        "get-not-a-uuid",
        "delete-not-a-uuid",
        "version-7x",
        "version-empty",
        "version-drafts",
        "version-trailing-newline",
        "version-latest-newline",
        "version-arabic-digit",
    ],
)
async def test_bad_parameters_raise_and_send_nothing(
    connect: Connect, method: str, args: tuple[Any, ...], param: str
) -> None:
    client, api = connect("anchorbrowser", reply(200, {"data": None}))
    with pytest.raises(ab_errors.ParameterError, match=param) as info:
        await call(method_of(client, method), *args)
    assert isinstance(info.value, ValueError)
    assert api.requests == []


@pytest.mark.parametrize(
    ("package", "method", "args"),
    [
        ("xpander", "tasks.delete", (None,)),
        ("anchorbrowser", "tasks.get_latest_version", (None,)),
        ("anchorbrowser", "tasks.delete_version", (TASK_ID, None)),
        ("anchorbrowser", "tasks.delete_version", (None, "draft")),
    ],
    ids=["xpander", "anchor-get", "anchor-delete-version", "anchor-delete-task"],
)
async def test_missing_path_parameter_sends_nothing(
    connect: Connect, package: str, method: str, args: tuple[Any, ...]
) -> None:
    """None for a required path parameter must not send `/{task_id}` literally."""
    client, api = connect(package, reply(204))
    with pytest.raises((ValueError, TypeError)):
        await call(method_of(client, method), *args)
    assert [str(r.url) for r in api.requests] == []


# ------------------------------------------------------------------ error statuses

ANCHOR_ERROR = {"error": {"code": 404, "message": "Task not found"}}
RECOUP_FAILURE = {"status": "error", "error": "Task not found"}
RECOUP_INVALID = {"status": "error", "missing_fields": ["id"], "error": "Required"}
RECOUP_AUTH = {"error": 401, "message": "Unauthorized"}
XPANDER_422 = {
    "detail": [{"loc": ["path", "task_id"], "msg": "field required", "type": "missing"}]
}
ANCHOR_GET = ("anchorbrowser", "tasks.get_latest_version", (TASK_ID,), {})
ANCHOR_DELETE = ("anchorbrowser", "tasks.delete_version", (TASK_ID, "7"), {})
RECOUP_DELETE = ("recoup", "tasks.delete", (), {"id": TASK_ID})
XPANDER_DELETE = ("xpander", "tasks.delete", ("task-123",), {})

DOCUMENTED_ERRORS = [
    (ANCHOR_GET, 404, ANCHOR_ERROR, ab_errors.NotFoundError, ab_models.ErrorResponse),
    (ANCHOR_GET, 500, ANCHOR_ERROR, ab_errors.InternalServerError, ab_models.ErrorResponse),
    (ANCHOR_DELETE, 404, ANCHOR_ERROR, ab_errors.NotFoundError, ab_models.ErrorResponse),
    (ANCHOR_DELETE, 500, ANCHOR_ERROR, ab_errors.InternalServerError, ab_models.ErrorResponse),
    (RECOUP_DELETE, 400, RECOUP_INVALID, rc_errors.BadRequestError, rc_models.DeleteTaskValidationErrorResponse),
    (RECOUP_DELETE, 401, RECOUP_AUTH, rc_errors.AuthenticationError, rc_models.Error),
    (RECOUP_DELETE, 403, {"error": 403, "message": "Forbidden"}, rc_errors.PermissionDeniedError, rc_models.Error),
    (RECOUP_DELETE, 404, RECOUP_FAILURE, rc_errors.NotFoundError, rc_models.DeleteTaskFailureResponse),
    (RECOUP_DELETE, 500, {"status": "error", "error": "trigger.dev"}, rc_errors.InternalServerError, rc_models.DeleteTaskFailureResponse),
    (XPANDER_DELETE, 422, XPANDER_422, xp_errors.UnprocessableEntityError, xp_models.HTTPValidationError),
]  # fmt: skip


def _error_id(case: tuple[Any, ...]) -> str:
    return f"{case[0][0]}.{case[0][1]}-{case[1]}"


@pytest.mark.parametrize(
    ("operation", "status", "body", "exc_type", "model"),
    DOCUMENTED_ERRORS,
    ids=[_error_id(c) for c in DOCUMENTED_ERRORS],
)
async def test_documented_error_raises_with_parsed_body(
    connect: Connect,
    operation: tuple[Any, ...],
    status: int,
    body: dict[str, Any],
    exc_type: type,
    model: type[pydantic.BaseModel],
) -> None:
    package, method, args, kwargs = operation
    client, api = connect(package, reply(status, body), max_retries=0)

    with pytest.raises(exc_type) as info:
        await call(method_of(client, method), *args, **kwargs)

    exc = info.value
    assert type(exc) is exc_type
    assert exc.status_code == status
    assert type(exc.body) is model
    assert exc.body == model.model_validate(body)
    assert exc.response.status_code == status
    assert_shown_as_sent(exc.request, api.last)


@pytest.mark.parametrize(
    ("status", "exc_name"),
    [
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
    ],
)
async def test_xpander_statuses_only_in_prose_raise_with_raw_body(
    connect: Connect, status: int, exc_name: str
) -> None:
    client, _ = connect("xpander", reply(status, {"detail": "Task not found"}))
    with pytest.raises(getattr(xp_errors, exc_name)) as info:
        await call(client.tasks.delete, "task-123")
    assert info.value.status_code == status
    assert info.value.body == {"detail": "Task not found"}


MISMATCHED_ERRORS = [
    (ANCHOR_GET, 404, {"error": "nope"}, None, ab_errors.NotFoundError),
    (ANCHOR_DELETE, 500, None, "upstream exploded", ab_errors.InternalServerError),
    (RECOUP_DELETE, 400, {"message": "bad json"}, None, rc_errors.BadRequestError),
    (RECOUP_DELETE, 401, None, "Unauthorized", rc_errors.AuthenticationError),
    (
        RECOUP_DELETE,
        404,
        {"status": 404, "error": "x"},  # a new status *value* would be kept: a wrong type
        None,
        rc_errors.NotFoundError,
    ),
    (
        XPANDER_DELETE,
        422,
        {"detail": "bad id"},
        None,
        xp_errors.UnprocessableEntityError,
    ),
]


@pytest.mark.parametrize(
    ("operation", "status", "json_body", "text", "exc_type"),
    MISMATCHED_ERRORS,
    ids=[_error_id(c) for c in MISMATCHED_ERRORS],
)
async def test_error_body_not_matching_its_schema_is_kept_raw(
    connect: Connect,
    operation: tuple[Any, ...],
    status: int,
    json_body: Any,
    text: str | None,
    exc_type: type,
) -> None:
    package, method, args, kwargs = operation
    client, _ = connect(package, reply(status, json_body, text=text), max_retries=0)

    with pytest.raises(exc_type) as info:
        await call(method_of(client, method), *args, **kwargs)

    assert type(info.value) is exc_type
    assert info.value.status_code == status
    assert info.value.body == (json_body if text is None else text)


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
@pytest.mark.parametrize(
    ("status", "exc_name"),
    [(418, "APIStatusError"), (502, "InternalServerError"), (409, "ConflictError")],
)
async def test_undocumented_status_raises_with_raw_body(
    connect: Connect, op: Op, status: int, exc_name: str
) -> None:
    body = {"teapot": True, "status": status}
    client, api = connect(op.package, reply(status, body), max_retries=0)

    with pytest.raises(op.pkg.errors.APIStatusError) as info:
        await _invoke(client, op)

    assert type(info.value) is getattr(op.pkg.errors, exc_name)
    assert info.value.status_code == status
    assert info.value.body == body
    assert len(api.requests) == 1


BAD_SUCCESS = [
    (ANCHOR_GET, {"data": {"id": "not-a-uuid", "taskId": TASK_ID}}, None),
    (ANCHOR_GET, None, "<html>maintenance</html>"),
    (ANCHOR_DELETE, {"data": {"success": "maybe"}}, None),
    (RECOUP_DELETE, {"status": 200}, None),  # (an unlisted string would be kept)
]


@pytest.mark.parametrize(
    ("operation", "json_body", "text"),
    BAD_SUCCESS,
    ids=["anchor-get-bad-uuid", "anchor-get-html", "anchor-delete", "recoup"],
)
async def test_success_body_not_matching_schema_raises_validation_error(
    connect: Connect, operation: tuple[Any, ...], json_body: Any, text: str | None
) -> None:
    package, method, args, kwargs = operation
    client, api = connect(package, reply(200, json_body, text=text))
    errors_mod = PACKAGES[package].errors

    with pytest.raises(errors_mod.APIResponseValidationError) as info:
        await call(method_of(client, method), *args, **kwargs)

    exc = info.value
    assert isinstance(exc, errors_mod.APIError)
    assert not isinstance(exc, errors_mod.APIStatusError)
    assert exc.response.status_code == 200
    assert_shown_as_sent(exc.response.request, api.last)
    assert exc.body == (json_body if text is None else text)
    assert len(api.requests) == 1  # a 200 is never retried
