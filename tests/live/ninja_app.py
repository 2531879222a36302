"""A small Django Ninja service written the way real ones are: the live tests serve its ASGI
application with uvicorn, take /api/openapi.json, generate a client and call every operation.

Each endpoint echoes what it received so the test can tell what the client sent. Django's
settings are process-wide, which is why each app runs in a server process of its own.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Literal

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="live-tests-only",
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    INSTALLED_APPS=["ninja"],
    MIDDLEWARE=[],
    USE_TZ=True,
)
django.setup()

# Django needs its settings before these imports.
from django.core.asgi import get_asgi_application
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path
from ninja import Cookie, File, Form, Header, NinjaAPI, Query, Schema
from ninja.files import UploadedFile
from pydantic import Field, field_validator

api = NinjaAPI(title="Live Ninja", version="1.0.0")


class Priority(str, Enum):
    low = "low"
    normal = "normal"
    high = "high"


class Email(Schema):
    kind: Literal["email"] = "email"
    address: str
    subject: str | None = None


class Sms(Schema):
    kind: Literal["sms"] = "sms"
    number: str

    @field_validator("number")
    @classmethod
    def international(cls, value: str) -> str:
        # Not expressible in the schema: the client sends it, the server answers 422.
        if not value.startswith("+"):
            raise ValueError("number must start with +")
        return value


Channel = Annotated[Email | Sms, Field(discriminator="kind")]


class NotificationIn(Schema):
    channel: Channel
    message: str
    priority: Priority = Priority.normal
    reply_to: str | None  # required, but may be null
    note: str | None = None
    tags: list[str] = Field(default_factory=list)


class Notification(NotificationIn):
    id: int


class Problem(Schema):
    code: str
    message: str


class FileInfo(Schema):
    filename: str | None
    content_type: str | None
    size: int
    sha256: str
    description: str | None = None


class Session(Schema):
    username: str
    remember: bool
    scopes: list[str]


class SearchEcho(Schema):
    tag: list[str]
    priority: Priority | None
    limit: int
    trace_id: str | None
    session: str | None


class ObjectKey(Schema):
    key: str


STORE: dict[int, Notification] = {}
IDS = itertools.count(1)


def missing(notification_id: int) -> tuple[int, Problem]:
    return 404, Problem(code="not_found", message=f"no notification {notification_id}")


def describe(upload: UploadedFile, description: str | None = None) -> FileInfo:
    content = upload.read()
    return FileInfo(
        filename=upload.name,
        content_type=upload.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=description,
    )


@api.post("/notifications", response={201: Notification})
def create_notification(request: HttpRequest, body: NotificationIn) -> tuple[int, Notification]:
    notification = Notification(id=next(IDS), **body.model_dump())
    STORE[notification.id] = notification
    return 201, notification


@api.get("/notifications/{notification_id}", response={200: Notification, 404: Problem})
def get_notification(request: HttpRequest, notification_id: int) -> object:
    return STORE.get(notification_id) or missing(notification_id)


@api.delete("/notifications/{notification_id}", response={204: None, 404: Problem})
def delete_notification(request: HttpRequest, notification_id: int) -> object:
    if STORE.pop(notification_id, None) is None:
        return missing(notification_id)
    return 204, None


@api.post("/channels/check", response=Channel)
def check_channel(request: HttpRequest, channel: Channel) -> object:
    return channel


@api.post("/files", response=FileInfo)
def upload_file(
    request: HttpRequest, file: File[UploadedFile], description: Form[str | None] = None
) -> FileInfo:
    return describe(file, description)


@api.post("/files/batch", response=list[FileInfo])
def upload_files(request: HttpRequest, files: File[list[UploadedFile]]) -> list[FileInfo]:
    return [describe(upload) for upload in files]


@api.post("/login", response=Session)
def login(
    request: HttpRequest,
    username: Form[str],
    password: Form[str],
    remember: Form[bool] = False,
    scopes: Form[list[str]] = [],  # noqa: B006 (Ninja copies defaults)
) -> Session:
    return Session(username=username, remember=remember, scopes=scopes)


@api.get("/search", response=SearchEcho)
def search(
    request: HttpRequest,
    tag: Query[list[str]] = [],  # noqa: B006
    priority: Query[Priority | None] = None,
    limit: int = Query(10, ge=1, le=100),
    # A list[str] header is documented as an array but refused at run time by Ninja 1.7
    # ("Input should be a valid list"), so this one is a single value.
    trace_id: str | None = Header(None, alias="x-trace-id"),
    session: Cookie[str | None] = None,
) -> SearchEcho:
    return SearchEcho(
        tag=tag, priority=priority, limit=limit, trace_id=trace_id, session=session
    )


@api.get("/objects/{path:key}", response=ObjectKey)
def get_object(request: HttpRequest, key: str) -> ObjectKey:
    return ObjectKey(key=key)


@api.get("/export")
def export(request: HttpRequest, rows: int = 3) -> StreamingHttpResponse:
    def lines() -> Iterator[bytes]:
        for number in range(rows):
            yield f"{number},row {number}\n".encode()

    return StreamingHttpResponse(lines(), content_type="text/csv")


urlpatterns = [path("api/", api.urls)]
app = get_asgi_application()
