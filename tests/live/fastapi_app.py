"""A small FastAPI service written the way real ones are: the live tests serve it with
uvicorn, take its /openapi.json, generate a client and call every operation.

Each endpoint echoes what it received (file names, content types, sizes and digests
included) so the test can tell what the generated client actually sent.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Literal

from fastapi import Cookie, FastAPI, Form, Header, Query, Response, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, field_validator

app = FastAPI(title="Live FastAPI", version="1.0.0")


class Priority(str, Enum):
    low = "low"
    normal = "normal"
    high = "high"


class Email(BaseModel):
    kind: Literal["email"] = "email"
    address: str
    subject: str | None = None


class Sms(BaseModel):
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


class NotificationIn(BaseModel):
    channel: Channel
    message: str
    priority: Priority = Priority.normal
    reply_to: str | None  # required, but may be null
    note: str | None = None  # optional, and may be null
    tags: list[str] = []


class Notification(NotificationIn):
    id: int


class Problem(BaseModel):
    code: str
    message: str


class FileInfo(BaseModel):
    filename: str | None
    content_type: str | None
    size: int
    sha256: str
    description: str | None = None


class Session(BaseModel):
    username: str
    remember: bool
    scopes: list[str]


class SearchEcho(BaseModel):
    tag: list[str]
    priority: Priority | None
    limit: int
    trace_ids: list[str]
    session: str | None


class ObjectKey(BaseModel):
    key: str


STORE: dict[int, Notification] = {}
IDS = itertools.count(1)


def missing(notification_id: int) -> JSONResponse:
    problem = Problem(code="not_found", message=f"no notification {notification_id}")
    return JSONResponse(problem.model_dump(), status_code=404)


async def describe(upload: UploadFile, description: str | None = None) -> FileInfo:
    content = await upload.read()
    return FileInfo(
        filename=upload.filename,
        content_type=upload.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=description,
    )


@app.post("/notifications", status_code=201)
def create_notification(body: NotificationIn) -> Notification:
    notification = Notification(id=next(IDS), **body.model_dump())
    STORE[notification.id] = notification
    return notification


@app.get("/notifications/{notification_id}", responses={404: {"model": Problem}})
def get_notification(notification_id: int) -> Notification:
    if notification_id not in STORE:
        return missing(notification_id)  # type: ignore[return-value]
    return STORE[notification_id]


@app.delete(
    "/notifications/{notification_id}", status_code=204, responses={404: {"model": Problem}}
)
def delete_notification(notification_id: int) -> Response:
    if STORE.pop(notification_id, None) is None:
        return missing(notification_id)
    return Response(status_code=204)


@app.post("/channels/check")
def check_channel(channel: Channel) -> Channel:
    return channel


@app.post("/files")
async def upload_file(
    file: UploadFile, description: Annotated[str | None, Form()] = None
) -> FileInfo:
    return await describe(file, description)


@app.post("/files/batch")
async def upload_files(files: list[UploadFile]) -> list[FileInfo]:
    return [await describe(upload) for upload in files]


@app.post("/login")
def login(
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    remember: Annotated[bool, Form()] = False,
    scopes: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
) -> Session:
    return Session(username=username, remember=remember, scopes=scopes)


@app.get("/search")
def search(
    tag: Annotated[list[str], Query()] = [],  # noqa: B006
    priority: Priority | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    x_trace_ids: Annotated[list[str], Header()] = [],  # noqa: B006
    session: Annotated[str | None, Cookie()] = None,
) -> SearchEcho:
    return SearchEcho(
        tag=tag, priority=priority, limit=limit, trace_ids=x_trace_ids, session=session
    )


@app.get("/objects/{key:path}")
def get_object(key: str) -> ObjectKey:
    return ObjectKey(key=key)


@app.get("/export", response_class=StreamingResponse)
def export(rows: int = 3) -> StreamingResponse:
    def lines() -> Iterator[bytes]:
        for number in range(rows):
            yield f"{number},row {number}\n".encode()

    return StreamingResponse(lines(), media_type="text/csv")
