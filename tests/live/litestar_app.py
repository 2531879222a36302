"""A small Litestar service written the way real ones are (msgspec structs with tagged
unions, dataclass forms, `Stream`): the live tests serve it with uvicorn, take its
/schema/openapi.json, generate a client and call every operation.

Each endpoint echoes what it received so the test can tell what the client sent.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated

import msgspec
from litestar import Litestar, Response, delete, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, Parameter
from litestar.response import Stream


class Priority(str, Enum):
    low = "low"
    normal = "normal"
    high = "high"


class Email(msgspec.Struct, tag_field="kind", tag="email"):
    address: str
    subject: str | None = None


class Sms(msgspec.Struct, tag_field="kind", tag="sms"):
    number: str

    def __post_init__(self) -> None:
        # Not expressible in the schema: the client sends it, the server refuses it.
        if not self.number.startswith("+"):
            raise ValueError("number must start with +")


class NotificationIn(msgspec.Struct):
    channel: Email | Sms
    message: str
    reply_to: str | None  # required, but may be null
    priority: Priority = Priority.normal
    note: str | None = None
    tags: list[str] = msgspec.field(default_factory=list)


class Notification(msgspec.Struct):
    id: int
    channel: Email | Sms
    message: str
    reply_to: str | None
    priority: Priority
    note: str | None
    tags: list[str]


class Problem(msgspec.Struct):
    code: str
    message: str


class FileInfo(msgspec.Struct):
    filename: str
    content_type: str
    size: int
    sha256: str
    description: str | None = None


@dataclass
class UploadForm:
    file: UploadFile
    description: str | None = None


@dataclass
class BatchForm:
    files: list[UploadFile]


@dataclass
class LoginForm:
    username: str
    password: str
    remember: bool = False
    scopes: list[str] = field(default_factory=list)


class Session(msgspec.Struct):
    username: str
    remember: bool
    scopes: list[str]


class SearchEcho(msgspec.Struct):
    tag: list[str]
    priority: Priority | None
    limit: int
    trace_id: str | None
    session: str | None


class ObjectKey(msgspec.Struct):
    key: str


STORE: dict[int, Notification] = {}
IDS = itertools.count(1)
NOT_FOUND = {404: ResponseSpec(data_container=Problem, description="No such notification")}
MULTIPART = Body(media_type=RequestEncodingType.MULTI_PART)


class Missing(Exception):
    """No such notification: answered with a documented Problem body (see `app`)."""


def problem_response(_: object, exc: Missing) -> Response[Problem]:
    return Response(Problem(code="not_found", message=str(exc)), status_code=404)


def find(notification_id: int) -> Notification:
    if notification_id not in STORE:
        raise Missing(f"no notification {notification_id}")
    return STORE[notification_id]


async def describe(upload: UploadFile, description: str | None = None) -> FileInfo:
    content = await upload.read()
    return FileInfo(
        filename=upload.filename,
        content_type=upload.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=description,
    )


@post("/notifications")
async def create_notification(data: NotificationIn) -> Notification:
    notification = Notification(id=next(IDS), **msgspec.structs.asdict(data))
    STORE[notification.id] = notification
    return notification


@get("/notifications/{notification_id:int}", responses=NOT_FOUND)
async def get_notification(notification_id: int) -> Notification:
    return find(notification_id)


@delete("/notifications/{notification_id:int}", responses=NOT_FOUND)
async def delete_notification(notification_id: int) -> None:
    del STORE[find(notification_id).id]


@post("/channels/check", status_code=200)
async def check_channel(data: Email | Sms) -> Email | Sms:
    return data


@post("/files", status_code=200)
async def upload_file(data: Annotated[UploadForm, MULTIPART]) -> FileInfo:
    return await describe(data.file, data.description)


@post("/files/batch", status_code=200)
async def upload_files(data: Annotated[BatchForm, MULTIPART]) -> list[FileInfo]:
    return [await describe(upload) for upload in data.files]


@post("/login", status_code=200)
async def login(
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Session:
    return Session(username=data.username, remember=data.remember, scopes=data.scopes)


@get("/search")
async def search(
    tag: list[str] | None = None,
    priority: Priority | None = None,
    limit: Annotated[int, Parameter(ge=1, le=100)] = 10,
    # A list[str] header is documented as an array but refused at run time by Litestar
    # 2.25 ("Expected `array | null`, got `str`"), so this one is a single value.
    trace_id: Annotated[str | None, Parameter(header="x-trace-id")] = None,
    session: Annotated[str | None, Parameter(cookie="session")] = None,
) -> SearchEcho:
    return SearchEcho(
        tag=tag or [], priority=priority, limit=limit, trace_id=trace_id, session=session
    )


@get("/objects/{key:path}")
async def get_object(key: str) -> ObjectKey:
    return ObjectKey(key=key.removeprefix("/"))  # Litestar keeps the path's leading slash


@get("/export", media_type="text/csv")
async def export(rows: int = 3) -> Stream:
    def lines() -> Iterator[bytes]:
        for number in range(rows):
            yield f"{number},row {number}\n".encode()

    return Stream(lines(), media_type="text/csv")


app = Litestar(
    route_handlers=[
        create_notification, get_notification, delete_notification, check_channel,
        upload_file, upload_files, login, search, get_object, export,
    ],
    exception_handlers={Missing: problem_response},
)
