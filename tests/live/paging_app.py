"""A small FastAPI service with paginated lists in each common style and streamed answers:
the live runtime tests serve it with uvicorn, generate its client from /openapi.json and
page through it, stream from it and close streams early (which the service notes).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

app = FastAPI(title="Live paging", version="1.0.0")

PETS = [f"pet-{n:02d}" for n in range(1, 24)]  # 23 pets: no style ends on a full page


class Pet(BaseModel):
    id: str
    name: str


def pets(start: int, size: int) -> list[Pet]:
    return [Pet(id=pet, name=pet.upper()) for pet in PETS[start : start + size]]


class CursorPage(BaseModel):
    """OpenAI's list shape."""

    object: str = "list"
    data: list[Pet]
    first_id: str | None
    last_id: str | None
    has_more: bool


class OffsetPage(BaseModel):
    total: int
    results: list[Pet]


class NumberedPage(BaseModel):
    items: list[Pet]


class UrlPage(BaseModel):
    """Django REST framework's shape: the next page's URL."""

    count: int
    next: str | None
    previous: str | None
    results: list[Pet]


class Chunk(BaseModel):
    index: int
    delta: str


class Reply(BaseModel):
    text: str


class ChatRequest(BaseModel):
    prompt: str
    stream: bool = False


class StreamState(BaseModel):
    sent: int
    closed: bool


Limit = Annotated[int, Query(ge=1, le=10)]


@app.get("/cursor-pets", operation_id="list_cursor_pets")
def list_cursor_pets(after: str | None = None, limit: Limit = 5) -> CursorPage:
    start = PETS.index(after) + 1 if after in PETS else 0
    found = pets(start, limit)
    return CursorPage(
        data=found,
        first_id=found[0].id if found else None,
        last_id=found[-1].id if found else None,
        has_more=start + limit < len(PETS),
    )


@app.get("/offset-pets", operation_id="list_offset_pets")
def list_offset_pets(offset: int = 0, limit: Limit = 5) -> OffsetPage:
    return OffsetPage(total=len(PETS), results=pets(offset, limit))


@app.get("/numbered-pets", operation_id="list_numbered_pets")
def list_numbered_pets(page: int = 1, per_page: Limit = 5) -> NumberedPage:
    return NumberedPage(items=pets((page - 1) * per_page, per_page))


@app.get("/url-pets", operation_id="list_url_pets")
def list_url_pets(request: Request, page: int = 1, page_size: Limit = 5) -> UrlPage:
    start = (page - 1) * page_size
    more = start + page_size < len(PETS)
    return UrlPage(
        count=len(PETS),
        next=str(request.url.include_query_params(page=page + 1)) if more else None,
        previous=None,
        results=pets(start, page_size),
    )


@app.get(
    "/linked-pets",
    operation_id="list_linked_pets",
    responses={200: {"headers": {"Link": {"schema": {"type": "string"}}}}},
)
def list_linked_pets(request: Request, response: Response, page: int = 1, per_page: Limit = 5) -> list[Pet]:
    start = (page - 1) * per_page
    if start + per_page < len(PETS):
        following = request.url.include_query_params(page=page + 1)
        response.headers["Link"] = f'<{following}>; rel="next"'
    return pets(start, per_page)


# Streams: how many events each named stream sent, and whether the server saw it closed.
STREAMS: dict[str, StreamState] = {}


def sse(data: str) -> bytes:
    return f"data: {data}\n\n".encode()


@app.post(
    "/chat",
    operation_id="chat",
    response_model=Reply,
    responses={200: {"content": {"text/event-stream": {"schema": Chunk.model_json_schema()}}}},
)
def chat(body: ChatRequest) -> Any:
    words = body.prompt.split()
    if not body.stream:
        return Reply(text=" ".join(words))

    def events() -> list[bytes]:
        found = [sse(Chunk(index=i, delta=w).model_dump_json()) for i, w in enumerate(words)]
        return [*found, sse("[DONE]")]

    return StreamingResponse(iter(events()), media_type="text/event-stream")


@app.get(
    "/ticker/{name}",
    operation_id="ticker",
    response_class=StreamingResponse,
    response_model=None,
    responses={200: {"content": {"text/event-stream": {"schema": Chunk.model_json_schema()}}}},
)
async def ticker(name: str) -> StreamingResponse:
    """An endless stream: it ends only when the client goes away (noted in STREAMS)."""
    state = STREAMS[name] = StreamState(sent=0, closed=False)

    async def events() -> AsyncIterator[bytes]:
        try:
            while True:
                yield sse(json.dumps({"index": state.sent, "delta": "tick"}))
                state.sent += 1
                await asyncio.sleep(0.01)
        finally:
            state.closed = True

    return StreamingResponse(events(), media_type="text/event-stream")


@app.get("/streams/{name}", operation_id="stream_state")
def stream_state(name: str) -> StreamState:
    return STREAMS.get(name) or StreamState(sent=-1, closed=False)
