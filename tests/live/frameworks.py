"""What differs between the four live apps, described once per framework: the shared tests
in test_round_trips.py read these descriptions and test everything else the same way.

The apps expose the same ten operations (OPERATIONS, named as FastAPI's function names give
them). What their documents make of them differs: method names from other operationIds,
request forms beside response models, a required union tag, the validation error's status and
body, which header and cookie arrays the app reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

OPERATIONS = (
    "create_notification",
    "get_notification",
    "delete_notification",
    "check_channel",
    "upload_file",
    "upload_files",
    "login",
    "search",
    "get_object",
    "export",
)

# Where the client puts each operation when the document names it as FastAPI does: in the
# resource of its path's first segment, without that resource's words where no other method
# of the resource would then share its name (upload_file and upload_files keep theirs).
CALLS = {
    "create_notification": "notifications.create",
    "get_notification": "notifications.get",
    "delete_notification": "notifications.delete",
    "check_channel": "channels.check",
    "upload_file": "files.upload_file",
    "upload_files": "files.upload_files",
    "login": "login.login",
    "search": "search.search",
    "get_object": "objects.get",
    "export": "export.export",
}


@dataclass(frozen=True)
class Validation:
    """The app's answer to a channel its own validator refuses (not a schema rule)."""

    status: int
    error: str  # the generated errors class raised for that status
    check: Callable[[Any, Any], None]  # (models, body): asserts on the body


@dataclass(frozen=True)
class Search:
    """What the search operation sends beyond tag, priority, limit and session cookie."""

    sent: Mapping[str, Any]
    check: Callable[[Any], None]  # asserts on the echo of `sent`
    defaults: Mapping[str, Any]  # the echo's other fields when nothing is sent
    refused: Mapping[str, Any]  # an argument the client refuses before sending


@dataclass(frozen=True)
class Framework:
    name: str  # the app is `{name}_app.py`, in this folder
    openapi_path: str
    validation: Validation
    search: Search
    openapi_version: str = "3.1"  # what the document's `openapi` starts with
    path_prefix: str = ""  # where the app mounts its operations
    lifespan: str = "auto"
    # How the client reaches each operation (`notifications.create`), where not as CALLS says.
    methods: Mapping[str, str] = field(default_factory=dict)
    request_suffix: str = ""  # of request forms split from the response models
    tag_required: bool = False  # the union's `kind` is a required const, not a default
    session_model: str = "Session"

    @property
    def module(self) -> str:
        return f"{self.name}_app"

    def method(self, operation: str) -> str:
        return self.methods.get(operation, CALLS[operation])

    def channel(self, models: Any, name: str, **fields: Any) -> Any:
        """A request's `Email` or `Sms` channel; its `kind` tag given only where required
        (elsewhere it is left to its default)."""
        if self.tag_required:
            fields["kind"] = name.lower()
        return getattr(models, name + self.request_suffix)(**fields)


def check_fastapi_validation(models: Any, body: Any) -> None:
    assert isinstance(body, models.HTTPValidationError)
    assert body.detail[0].loc == ["body", "channel", "sms", "number"]
    assert "must start with +" in body.detail[0].msg


def check_litestar_validation(models: Any, body: Any) -> None:
    assert isinstance(body, models.NotificationsCreateNotificationResponse400)
    assert body.detail == "Validation failed for POST /notifications"
    assert body.extra == [
        {"message": "number must start with +", "key": "channel", "source": "body"}
    ]


def check_ninja_validation(models: Any, body: Any) -> None:
    # Not in the document: the body comes back as JSON, unparsed.
    detail = body["detail"]
    assert detail[0]["loc"] == ["body", "body", "channel", "sms", "number"]
    assert "must start with +" in detail[0]["msg"]


def check_drf_validation(models: Any, body: Any) -> None:
    # Not in the document: the body comes back as JSON, unparsed.
    assert body == {"channel": {"number": ["number must start with +"]}}


def check_joined_trace_ids(echo: Any) -> None:
    # OpenAPI's `simple` style joins a header array with commas; FastAPI reads repeated
    # headers. Either way, these are the values.
    assert ",".join(echo.trace_ids) == "t1,t2"


def check_trace_id(echo: Any) -> None:
    assert echo.trace_id == "t-1"


def check_split_trace_ids_and_prefs(echo: Any) -> None:
    # The app splits the header and the cookie on commas (OpenAPI's joined array form).
    assert (echo.trace_ids, echo.prefs) == (["t1", "t2"], ["dark", "compact"])


UNPROCESSABLE = "UnprocessableEntityError"
LIMIT_TOO_HIGH = {"limit": 101}  # the documented maximum
ONE_TRACE_ID = Search({"x_trace_id": "t-1"}, check_trace_id, {"trace_id": None}, LIMIT_TOO_HIGH)

# FastAPI's methods are named after its functions; its 422 body is documented, so parsed.
FASTAPI = Framework(
    name="fastapi",
    openapi_path="/openapi.json",
    validation=Validation(422, UNPROCESSABLE, check_fastapi_validation),
    search=Search(
        {"x_trace_ids": ["t1", "t2"]}, check_joined_trace_ids, {"trace_ids": []}, LIMIT_TOO_HIGH
    ),
)

# Litestar's operationIds (`NotificationsCreateNotification`: path words and the handler's
# name) read as human ones, so they name the methods. Its tagged msgspec unions are a
# `oneOf` without a discriminator, each branch requiring its `kind` const; its validation
# errors are 400s with {status_code, detail, extra}.
LITESTAR = Framework(
    name="litestar",
    openapi_path="/schema/openapi.json",
    validation=Validation(400, "BadRequestError", check_litestar_validation),
    search=ONE_TRACE_ID,
    methods={
        "create_notification": "notifications.create",
        "get_notification": "notifications.id_get",
        "delete_notification": "notifications.id_delete",
        "check_channel": "channels.check_check",
        "upload_file": "files.upload",
        "upload_files": "files.batch_upload",
        "login": "login.login_login",  # nothing would be left without the resource's word
        "search": "search.search_search",
        "get_object": "objects.key_get",
        "export": "export.export_export",
    },
    tag_required=True,
)

# Ninja's operationIds (`ninja_app_create_notification`: module and function) read as
# human ones, so they name the methods. Django runs under uvicorn as ASGI, without lifespan.
NINJA = Framework(
    name="ninja",
    openapi_path="/api/openapi.json",
    path_prefix="/api",
    validation=Validation(422, UNPROCESSABLE, check_ninja_validation),
    search=ONE_TRACE_ID,
    lifespan="off",
    methods={
        "create_notification": "notifications.ninja_app_create",
        "get_notification": "notifications.ninja_app_get",
        "delete_notification": "notifications.ninja_app_delete",
        "check_channel": "channels.ninja_app_check",
        "upload_file": "files.ninja_app_upload_file",
        "upload_files": "files.ninja_app_upload_files",
        "login": "login.ninja_app",
        "search": "search.ninja_app",
        "get_object": "objects.ninja_app_get",
        "export": "export.ninja_app",
    },
)

# drf-spectacular serves OpenAPI 3.0 and splits request forms (`EmailRequest`) from
# responses (`Email`); the login response (`Login`) leaves out the write-only password.
# Only this app reads a cookie array; its priority enum is what the client checks.
DRF = Framework(
    name="drf",
    openapi_path="/api/schema/?format=json",
    openapi_version="3.0",
    path_prefix="/api",
    validation=Validation(400, "BadRequestError", check_drf_validation),
    search=Search(
        {"x_trace_ids": ["t1", "t2"], "prefs": ["dark", "compact"]},
        check_split_trace_ids_and_prefs,
        {"trace_ids": [], "prefs": []},
        {"priority": "urgent"},  # not in the enum
    ),
    lifespan="off",
    request_suffix="Request",
    session_model="Login",
)

FRAMEWORKS = (FASTAPI, LITESTAR, NINJA, DRF)
