"""Streamed responses, as a user meets them: `text/event-stream` operations return a typed
stream of events (sync `for`, `async for`), closable and a context manager; an operation
documenting JSON and events offers both, chosen by the body's `stream` field (OpenAI) or a
generated `stream=` argument, typed with overloads; JSON lines stream likewise.
"""

from __future__ import annotations

import asyncio
import json
import textwrap
from collections.abc import Iterator

import httpx
import pytest
from feature_support import Package, module_package, mypy_strict

SPEC = """\
openapi: 3.1.0
info: {title: Streams, version: '1'}
servers: [{url: https://api.example.com}]
components:
  schemas:
    Chunk:
      type: object
      required: [delta]
      properties:
        delta: {type: string}
    Reply:
      type: object
      properties:
        text: {type: string}
    Problem:
      type: object
      properties:
        message: {type: string}
paths:
  /chat:
    post:
      operationId: chat
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [prompt]
              properties:
                prompt: {type: string}
                stream: {type: [boolean, 'null']}
      responses:
        '200':
          description: JSON, or events when stream is true
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Reply'}
            text/event-stream:
              schema: {$ref: '#/components/schemas/Chunk'}
        '400':
          description: bad
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Problem'}
  /complete:
    get:
      operationId: complete
      parameters:
        - {name: q, in: query, schema: {type: string}}
      responses:
        '200':
          description: both
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Reply'}
            text/event-stream:
              schema: {$ref: '#/components/schemas/Chunk'}
  /ticks:
    get:
      operationId: ticks
      responses:
        '200':
          description: text events
          content:
            text/event-stream:
              schema: {type: string}
  /speech:
    post:
      operationId: speech
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [input]
              properties:
                input: {type: string}
      responses:
        '200':
          description: audio, or its chunks as events
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
            text/event-stream:
              schema: {$ref: '#/components/schemas/Chunk'}
  /rows:
    get:
      operationId: rows
      responses:
        '200':
          description: one JSON object a line
          content:
            application/x-ndjson:
              schema: {$ref: '#/components/schemas/Chunk'}
"""

SSE = (
    b": a comment, then a chunk split over two data lines\n"
    b'data: {"delta":\n'
    b'data: "Hel"}\n\n'
    b"event: message\r\n"
    b'data: {"delta": "lo"}\r\n\r\n'
    b"data: [DONE]\n\n"
    b'data: {"delta": "never read"}\n\n'
)


class Tracked(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that notes whether the client closed it."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        for chunk in self.chunks:
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def events(body: bytes | list[bytes], kind: str = "text/event-stream") -> tuple[Tracked, httpx.Response]:
    stream = Tracked(body if isinstance(body, list) else [body])
    return stream, httpx.Response(200, headers={"content-type": kind}, stream=stream)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "streams", SPEC)


def chat_server(request: httpx.Request) -> httpx.Response:
    if json.loads(request.content).get("stream"):
        return events(SSE)[1]
    return httpx.Response(200, json={"text": "Hello"})


def test_events_are_parsed_as_their_schema_until_done(package: Package) -> None:
    client, recorder = package.client(chat_server)
    stream = client.chat.chat(prompt="hi", stream=True)
    assert isinstance(stream, package.module.Stream)
    chunks = list(stream)
    assert [c.delta for c in chunks] == ["Hel", "lo"]
    assert all(isinstance(c, package.models.Chunk) for c in chunks)
    assert json.loads(recorder.last.content) == {"prompt": "hi", "stream": True}


def test_the_json_answer_without_stream(package: Package) -> None:
    client, _ = package.client(chat_server)
    reply = client.chat.chat(prompt="hi")
    assert isinstance(reply, package.models.Reply) and reply.text == "Hello"
    assert isinstance(client.chat.chat(body={"prompt": "hi", "stream": True}), package.module.Stream)


def test_an_error_status_raises_with_its_body(package: Package) -> None:
    client, _ = package.client(lambda r: httpx.Response(400, json={"message": "no"}))
    with pytest.raises(package.errors.BadRequestError) as caught:
        client.chat.chat(prompt="hi", stream=True)
    assert caught.value.body.message == "no"


def test_leaving_early_closes_the_response(package: Package) -> None:
    body, response = events(SSE)
    client, _ = package.client(lambda r: response)
    for chunk in client.chat.chat(prompt="hi", stream=True):
        assert chunk.delta == "Hel"
        break
    assert body.closed

    body, response = events(SSE)
    client, _ = package.client(lambda r: response)
    with client.chat.chat(prompt="hi", stream=True) as stream:
        pass
    assert body.closed and stream.http_response.is_closed


def test_a_generated_stream_argument_asks_by_accept(package: Package) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        if request.headers["accept"] == "text/event-stream":
            return events(b'data: {"delta": "x"}\n\n')[1]
        return httpx.Response(200, json={"text": "x"})

    client, recorder = package.client(server)
    assert [c.delta for c in client.complete.complete(q="a", stream=True)] == ["x"]
    assert client.complete.complete(q="a").text == "x"
    assert recorder.last.headers["accept"] == "application/json"


def test_a_stream_beside_a_binary_answer_asks_for_that_answer_without_stream(package: Package) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        if request.headers["accept"] == "text/event-stream":
            return events(b'data: {"delta": "x"}\n\n')[1]
        if request.headers["accept"] != "application/octet-stream":
            return httpx.Response(406)  # what a negotiating server answers a wrong Accept
        return httpx.Response(200, content=b"RIFF", headers={"content-type": "application/octet-stream"})

    client, recorder = package.client(server)
    assert client.speech.speech(input="hi") == b"RIFF"
    assert recorder.last.headers["accept"] == "application/octet-stream"
    assert [c.delta for c in client.speech.speech(input="hi", stream=True)] == ["x"]


def test_text_events_and_error_events(package: Package) -> None:
    client, _ = package.client(lambda r: events(b"data: one\n\ndata: two\n\n")[1])
    assert list(client.ticks.ticks()) == ["one", "two"]
    client, _ = package.client(lambda r: events(b"data: one\n\nevent: error\ndata: overloaded\n\n")[1])
    stream = client.ticks.ticks()
    with pytest.raises(package.errors.APIError, match="overloaded"):
        list(stream)
    assert stream.http_response.is_closed


def test_raw_response_of_a_stream(package: Package) -> None:
    client, _ = package.client(lambda r: events(b"data: one\n\n")[1])
    raw = client.with_raw_response(client.ticks.ticks)
    assert raw.status_code == 200 and raw.headers["content-type"] == "text/event-stream"
    assert list(raw.parsed) == ["one"]


def test_a_bad_event_is_a_response_validation_error(package: Package) -> None:
    client, _ = package.client(lambda r: events(b'data: {"nope": 1}\n\n')[1])
    with pytest.raises(package.errors.APIResponseValidationError, match="streamed an event"):
        list(client.chat.chat(prompt="hi", stream=True))


def test_json_lines_stream(package: Package) -> None:
    lines = [b'{"delta": "a"}\n{"del', b'ta": "b"}\n\n']
    client, _ = package.client(lambda r: events(lines, "application/x-ndjson")[1])
    assert [c.delta for c in client.rows.rows()] == ["a", "b"]


def test_async_streams(package: Package) -> None:
    body, response = events(SSE)
    client, _ = package.async_client(lambda r: response)

    async def run() -> list[str]:
        async with await client.chat.chat(prompt="hi", stream=True) as stream:
            found = [c.delta async for c in stream]
        reply = await client.with_options(max_retries=0).complete.complete(q="x", stream=False)
        return [*found, type(reply).__name__]

    def server(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/complete":
            return httpx.Response(200, json={"text": "x"})
        return response

    client, _ = package.async_client(server)
    assert asyncio.run(run()) == ["Hel", "lo", "Reply"]
    assert body.closed


def test_overloads_type_each_choice(package: Package) -> None:
    user = package.out / "user_streams.py"
    user.write_text(textwrap.dedent(f"""\
        from {package.name} import AsyncClient, Client, models
        from {package.name} import AsyncStream, Stream

        def use(client: Client, flag: bool) -> None:
            chunks: Stream[models.Chunk] = client.chat.chat(prompt="hi", stream=True)
            reply: models.Reply = client.chat.chat(prompt="hi")
            either: Stream[models.Chunk] | models.Reply = client.chat.chat(prompt="hi", stream=flag)
            texts: Stream[str] = client.ticks.ticks()
            plain: models.Reply = client.complete.complete(q="x")
            events: Stream[models.Chunk] = client.complete.complete(stream=True)
            deltas: list[str] = [c.delta for c in chunks]

        async def ause(client: AsyncClient) -> None:
            chunks: AsyncStream[models.Chunk] = await client.chat.chat(prompt="hi", stream=True)
            deltas: list[str] = [c.delta async for c in chunks]

        def wrong(client: Client) -> None:
            reply: models.Reply = client.chat.chat(prompt="hi", stream=True)
    """))
    done = mypy_strict(package.out, user.name)
    errors = [line for line in done.stdout.splitlines() if "error" in line]
    assert len(errors) == 1 and ":18: error: Incompatible types" in errors[0], done.stdout


def test_the_client_readme_says_which_operations_stream(package: Package) -> None:
    readme = package.text("README.md")
    section = readme.split("### `chat.chat`", 1)[1].split("### ", 1)[0]
    assert "Streamed: with `stream=True` the result is a stream of events" in section
    assert "Stream[" in readme
