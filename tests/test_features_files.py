"""File uploads: multipart parts and whole binary bodies, from OpenAPI 3.0 and 3.1 forms.

A file field or body takes one type, `FileInput`: bytes, a binary file object, a path (read
when the request is built; its name is the filename), or a (filename, content) or
(filename, content, content_type) tuple. Requests are sent through httpx.MockTransport and
parsed back with the standard library's email parser; Prism checks the multipart requests
against the document; mypy --strict checks a user's script passing every form.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import io
import json
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pydantic
import pytest
from feature_support import (
    Package,
    black_cache,
    build,
    errors_of,
    forget,
    generate,
    module_package,
    mypy_strict,
)
from prism import PrismServer, violations

SPEC_30 = r"""
openapi: 3.0.3
info: {title: Files30, version: '1'}
servers: [{url: 'https://files.example.com'}]
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                attachments: {type: array, items: {type: string, format: binary}}
                encoded: {type: string, format: byte}
                image: {type: string, format: binary}
                tags: {type: array, items: {type: string}}
                meta:
                  type: object
                  properties:
                    title: {type: string}
                    when: {type: string, format: date-time}
                note: {type: string}
                count: {type: integer}
                labels: {type: array, items: {type: string}}
                points:
                  type: array
                  items: {type: object, properties: {x: {type: integer}}}
            encoding:
              tags: {style: form, explode: true}  # Prism reads repeated parts as a list only so
              labels: {style: form, explode: false}
              image:
                contentType: image/png, image/jpeg
                headers:
                  X-Source: {schema: {type: string, enum: [scanner]}}
                  X-Free: {schema: {type: string}}
              note:
                contentType: text/markdown
      responses:
        '204': {description: done}
  /images/{name}:
    put:
      operationId: putImage
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          image/png:
            schema: {type: string, format: binary}
      responses:
        '204': {description: done}
  /anything:
    post:
      operationId: putAnything
      requestBody:
        required: true
        content:
          '*/*': {}
      responses:
        '204': {description: done}
  /encoded:
    post:
      operationId: putEncoded
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema: {type: string, format: base64}
      responses:
        '204': {description: done}
  /form:
    post:
      operationId: submitForm
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                ids: {type: array, items: {type: integer}}
                packed: {type: array, items: {type: string}}
                filter:
                  type: object
                  properties:
                    color: {type: string}
                    size: {type: integer}
                meta:
                  type: object
                  properties:
                    a: {type: string}
            encoding:
              packed: {style: form, explode: false}
              filter: {style: deepObject, explode: true}
              meta: {contentType: application/json}
      responses:
        '204': {description: done}
"""

# What FastAPI writes for `UploadFile` parameters, plus 3.1's base64 forms.
SPEC_31 = r"""
openapi: 3.1.0
info: {title: Files31, version: '1'}
servers: [{url: 'https://files.example.com'}]
paths:
  /files:
    post:
      operationId: createFile
      requestBody: {$ref: '#/components/requestBodies/FileUpload'}
      responses:
        '204': {description: done}
    put:
      operationId: replaceFile
      requestBody: {$ref: '#/components/requestBodies/FileUpload'}
      responses:
        '204': {description: done}
  /notes:
    post:
      operationId: createNote
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                text: {type: string}
      responses:
        '204': {description: done}
  /docs:
    post:
      operationId: createDoc
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Doc'}
      responses:
        '204': {description: done}
components:
  requestBodies:
    FileUpload:
      required: true
      content:
        multipart/form-data:
          schema: {$ref: '#/components/schemas/Body_create_file_files_post'}
          encoding:
            many: {style: form, explode: true}  # Prism reads repeated parts as a list only so
  schemas:
    Body_create_file_files_post:
      type: object
      required: [file]
      properties:
        file: {type: string, contentMediaType: application/octet-stream, title: File}
        extra:
          anyOf:
            - {type: string, contentMediaType: application/octet-stream}
            - {type: 'null'}
        many: {type: array, items: {type: string, contentMediaType: image/png}}
        b64: {type: string, contentEncoding: base64, contentMediaType: text/plain}
        blob: {$ref: '#/components/schemas/Blob'}
        description:
          anyOf: [{type: string}, {type: 'null'}]
    Blob: {type: string, contentEncoding: base64}
    Doc:
      type: object
      properties:
        data: {type: string, contentEncoding: base64}
        blob: {$ref: '#/components/schemas/Blob'}
"""

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\xff"


@pytest.fixture(scope="module")
def api30(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "files30", SPEC_30)


@pytest.fixture(scope="module")
def api31(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "files31", SPEC_31)


@dataclass
class Part:
    name: str
    filename: str | None
    content_type: str | None  # None: the part has no Content-Type header
    headers: dict[str, str]
    content: bytes


def parts_of(request: httpx.Request) -> list[Part]:
    """Every part of a multipart/form-data request, in order."""
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    assert message.is_multipart()
    return [
        Part(str(part.get_param("name", header="content-disposition")), part.get_filename(),
             part["Content-Type"], {k.lower(): str(v) for k, v in part.items()}, part.get_payload(decode=True))
        for part in message.iter_parts()
    ]


def named(request: httpx.Request, name: str) -> list[Part]:
    return [p for p in parts_of(request) if p.name == name]


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "holiday photo.png"
    path.write_bytes(PNG)
    return path


# -- multipart: every input form ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "filename", "content_type"),
    [
        (lambda path: PNG, "file", "application/octet-stream"),
        (lambda path: io.BytesIO(PNG), "file", "application/octet-stream"),
        (lambda path: path.open("rb"), "holiday photo.png", "image/png"),  # guessed from the name
        (lambda path: path, "holiday photo.png", "image/png"),
        (lambda path: ("cat.png", PNG), "cat.png", "image/png"),
        (lambda path: ("cat.png", PNG, "image/png"), "cat.png", "image/png"),
        (lambda path: ("cat.png", path.open("rb"), "image/png"), "cat.png", "image/png"),
    ],
    ids=["bytes", "bytesio", "open-file", "path", "tuple", "tuple-with-type", "tuple-with-file-object"],
)
def test_every_file_input_form_is_a_file_part(api30: Package, photo: Path, make: Any, filename: str,
                                              content_type: str) -> None:
    client, recorder = api30.client()
    client.upload.upload(file=make(photo))
    (part,) = parts_of(recorder.last)
    assert (part.name, part.filename, part.content_type, part.content) == ("file", filename, content_type, PNG)


def test_a_path_is_read_when_the_request_is_built(api30: Package, photo: Path) -> None:
    body = api30.models.UploadBody(file=photo)  # nothing read yet
    photo.write_bytes(b"changed since")
    client, recorder = api30.client()
    client.upload.upload(body=body)
    assert named(recorder.last, "file")[0].content == b"changed since"


def test_a_list_of_files_is_one_part_per_file_under_the_same_name(api30: Package, photo: Path) -> None:
    client, recorder = api30.client()
    client.upload.upload(file=b"x", attachments=[b"one", ("two.txt", b"two", "text/plain"), photo, io.BytesIO(b"four")])
    sent = [(p.filename, p.content_type, p.content) for p in named(recorder.last, "attachments")]
    assert sent == [
        ("attachments", "application/octet-stream", b"one"),
        ("two.txt", "text/plain", b"two"),
        ("holiday photo.png", "image/png", PNG),
        ("attachments", "application/octet-stream", b"four"),
    ]


def test_the_encoding_object_sets_part_types_and_fixed_headers(api30: Package) -> None:
    client, recorder = api30.client()
    client.upload.upload(file=b"x", image=PNG, note="# Title")
    (image,) = named(recorder.last, "image")
    assert image.content_type == "image/png"  # the first of `image/png, image/jpeg`
    assert image.headers["x-source"] == "scanner"  # a one-value enum: a value to send
    assert "x-free" not in image.headers  # no value to send
    (note,) = named(recorder.last, "note")
    assert (note.filename, note.content_type, note.content) == (None, "text/markdown", b"# Title")
    client.upload.upload(file=b"x", image=("scan.jpg", PNG, "image/jpeg"))
    assert named(recorder.last, "image")[0].content_type == "image/jpeg"  # the caller's type wins


def test_other_fields_are_text_repeated_or_json_parts(api30: Package) -> None:
    client, recorder = api30.client()
    client.upload.upload(file=b"x", tags=["a", "b"], count=3, meta={"title": "t", "when": "2024-05-01T10:00:00Z"})
    by_name = {(p.name, p.content): p for p in parts_of(recorder.last)}
    assert [p.content for p in named(recorder.last, "tags")] == [b"a", b"b"]
    for key in (("tags", b"a"), ("count", b"3")):
        assert (by_name[key].filename, by_name[key].content_type) == (None, None)
    (meta,) = named(recorder.last, "meta")
    assert meta.content_type == "application/json" and meta.filename is None
    assert json.loads(meta.content) == {"title": "t", "when": "2024-05-01T10:00:00Z"}
    assert [p.name for p in parts_of(recorder.last)] == ["file", "tags", "tags", "meta", "count"]
    client.upload.upload(file=b"x", labels=["a", "b"])  # explode: false, given in the encoding object
    assert [p.content for p in named(recorder.last, "labels")] == [b"a,b"]
    client.upload.upload(file=b"x", points=[{"x": 1}, api30.models.UploadBodyPointsItem(x=2)])
    assert [(p.content_type, p.content) for p in named(recorder.last, "points")] == [
        ("application/json", b'{"x":1}'), ("application/json", b'{"x":2}')]


def test_base64_parts_carry_the_file_content_encoded(api30: Package, api31: Package, photo: Path) -> None:
    client, recorder = api30.client()
    client.upload.upload(file=b"x", encoded=photo)
    assert named(recorder.last, "encoded")[0].content == base64.b64encode(PNG)
    client, recorder = api31.client()
    client.files.create(file=b"x", b64=("notes.txt", b"hello"), blob=b"raw")
    (b64,) = named(recorder.last, "b64")
    assert (b64.filename, b64.content_type, b64.content) == ("notes.txt", "text/plain", b"aGVsbG8=")
    assert named(recorder.last, "blob")[0].content == b"cmF3"  # through a $ref


def test_fastapi_upload_files(api31: Package, photo: Path) -> None:
    client, recorder = api31.client()
    client.files.create(file=photo, extra=None, many=[PNG, ("b.png", PNG)], description="d")
    sent = [(p.name, p.filename, p.content_type) for p in parts_of(recorder.last)]
    assert sent == [
        ("file", "holiday photo.png", "image/png"),  # octet-stream documented: guessed
        ("many", "many", "image/png"),  # the items' contentMediaType
        ("many", "b.png", "image/png"),
        ("description", None, None),
    ]
    annotation = api31.models.BodyCreateFileFilesPost.model_fields["extra"].annotation
    assert annotation == api31.module.FileInput | None


def test_the_body_may_be_a_model_or_a_dict(api31: Package, photo: Path) -> None:
    client, recorder = api31.client()
    client.files.create(body=api31.models.BodyCreateFileFilesPost(file=photo, many=[io.BytesIO(b"m")]))
    assert [(p.name, p.content) for p in parts_of(recorder.last)] == [("file", PNG), ("many", b"m")]
    client.files.create(body={"file": ("a.bin", b"a")})
    assert [(p.filename, p.content) for p in parts_of(recorder.last)] == [("a.bin", b"a")]


def test_an_empty_multipart_body_is_still_multipart(api31: Package) -> None:
    client, recorder = api31.client()
    client.notes.create(body=api31.models.CreateNoteBody())
    kind, boundary = recorder.last.headers["content-type"].split("; boundary=")
    assert kind == "multipart/form-data" and recorder.last.content == f"--{boundary}--\r\n".encode()


async def test_the_async_client_uploads_file_objects(api31: Package, photo: Path) -> None:
    client, recorder = api31.async_client()
    with photo.open("rb") as handle:
        await client.files.create(file=handle, many=[photo])
    assert [(p.filename, p.content) for p in parts_of(recorder.last)] == [
        ("holiday photo.png", PNG), ("holiday photo.png", PNG)]


def test_a_retried_upload_sends_the_file_object_again(api31: Package) -> None:
    answers = iter([httpx.Response(503, headers={"Retry-After": "0"}), httpx.Response(204)])
    client, recorder = api31.client(lambda request: next(answers), max_retries=1)
    client.files.replace(file=io.BytesIO(b"again"))  # PUT: idempotent, so retried
    assert [named(r, "file")[0].content for r in recorder.requests] == [b"again", b"again"]


# -- whole binary bodies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "content_type"),
    [
        (lambda path: PNG, "image/png"),
        (lambda path: path, "image/png"),
        (lambda path: path.open("rb"), "image/png"),
        (lambda path: ("x.png", io.BytesIO(PNG), "image/x-png"), "image/x-png"),
    ],
    ids=["bytes", "path", "file-object", "tuple-with-type"],
)
def test_a_binary_body_takes_every_file_form(api30: Package, photo: Path, make: Any, content_type: str) -> None:
    client, recorder = api30.client()
    client.images.put("cat", body=make(photo))
    assert recorder.last.headers["content-type"] == content_type
    assert recorder.last.content == PNG


def test_any_media_type_and_base64_bodies(api30: Package, photo: Path) -> None:
    client, recorder = api30.client()
    client.anything.put(body=photo)  # `*/*` without a schema: bytes, not JSON
    assert recorder.last.headers["content-type"] == "image/png"  # guessed from the name
    assert recorder.last.content == PNG
    client.encoded.put(body=("a.png", PNG))
    assert recorder.last.content == base64.b64encode(PNG)
    assert recorder.last.headers["content-type"] == "application/octet-stream"


# -- url-encoded forms -----------------------------------------------------------------------------


def test_form_fields_follow_style_and_explode(api30: Package) -> None:
    client, recorder = api30.client()
    client.form.submit(ids=[1, 2], packed=["a", "b"], filter={"color": "red", "size": 2}, meta={"a": "x"})
    assert recorder.last.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(recorder.last.content.decode()) == [
        ("ids", "1"), ("ids", "2"),  # the default: form, exploded
        ("packed", "a,b"),
        ("filter[color]", "red"), ("filter[size]", "2"),
        ("meta", '{"a":"x"}'),
    ]


# -- bad values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"file": 3}, "^file=3: expected bytes, a binary file object, a pathlib.Path .* got int"),
        ({"file": "photo.png"}, r"^file='photo.png': .*got str \(a path must be a pathlib.Path\)"),
        ({"file": ("name.png",)}, r"^file=\('name.png',\): a file tuple is \(filename, content\)"),
        ({"file": ("name.png", "text")}, r"^file=\('name.png', 'text'\): .*got str"),
        ({"file": Path("/no/such/file.png")}, "file: cannot read '/no/such/file.png'"),
        ({"file": b"x", "attachments": [b"ok", 5]}, r"^attachments\[1\]=5: .*got int"),
        ({"file": b"x", "image": 2.5}, "^image=2.5: .*got float"),
    ],
    ids=["int", "str", "short-tuple", "str-content", "missing-path", "list-item", "other-field"],
)
def test_bad_file_values_raise_parameter_error_naming_the_field(api30: Package, kwargs: dict[str, Any],
                                                               message: str) -> None:
    client, recorder = api30.client()
    with pytest.raises(api30.errors.ParameterError, match=message) as info:
        client.upload.upload(**kwargs)
    assert not isinstance(info.value, pydantic.ValidationError)
    assert recorder.requests == []


def test_a_text_mode_file_is_refused(api30: Package, photo: Path) -> None:
    client, recorder = api30.client()
    with photo.open("r", encoding="latin-1") as text, pytest.raises(api30.errors.ParameterError,
                                                                    match=r"^file=.*: a file object must be opened in binary mode \('rb'\)"):
        client.upload.upload(file=text)
    with pytest.raises(api30.errors.ParameterError, match=r"^body\.file=5: .*got int"):
        client.upload.upload(body={"file": 5})
    with pytest.raises(api30.errors.ParameterError, match="^body: .*got str"):
        client.images.put("cat", body="cat.png")
    assert recorder.requests == []


# -- elsewhere, base64 is text ----------------------------------------------------------------------------


def test_base64_in_json_stays_a_string(api31: Package) -> None:
    fields = api31.models.Doc.model_fields
    assert fields["data"].annotation == str | None
    client, recorder = api31.client()
    client.docs.create(data="aGk=", blob="cmF3")
    assert json.loads(recorder.last.content) == {"data": "aGk=", "blob": "cmF3"}


def test_generated_methods_only_describe_the_body(api30: Package, api31: Package) -> None:
    assert "FileInput" in api30.module.__all__ and api30.module.FileInput is api30.module._base.FileInput
    text = " ".join(api30.client_text().split())
    assert ('files=("file", "attachments", "encoded", "image"), base64=("encoded",), '
            'part_types={"image": "image/png", "note": "text/markdown"}, '
            'part_headers={"image": {"X-Source": "scanner"}},') in text
    assert 'styles={"packed": ("form", False), "filter": ("deepObject", True)}' in text
    assert "def _file" not in api31.client_text() and "from ._base import FileInput" in api31.text("models.py")


UNTRUSTED_ENCODING = r"""
openapi: 3.1.0
info: {title: Untrusted, version: '1'}
paths:
  /up:
    post:
      operationId: up
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                a: {type: string, contentMediaType: image/png}
                b: {type: string, format: binary}
                c: {type: string}
            encoding:
              a:
                contentType: "image/*"
                headers:
                  "X-Bad\r\nInjected": {schema: {const: x}}
                  X-Value: {schema: {const: "line\r\nInjected: 1"}}
                  Content-Type: {schema: {const: text/plain}}
                  X-Kept: {schema: {type: integer, default: 7}}
              b: {contentType: "text/plain\r\nX-Evil: 1"}
              c: {contentType: "application/json; charset=utf-8"}
      responses:
        '200':
          description: anything
          content:
            '*/*': {}
"""


def test_encoding_text_from_the_spec_never_reaches_a_header_unchecked(tmp_path: Path) -> None:
    result, _ = build(tmp_path, "untrusted", UNTRUSTED_ENCODING, format_code=False)
    assert errors_of(result.diagnostics) == []
    (op,) = result.clients["untrusted"].client.operations
    assert op.body is not None and op.body.layout is not None
    layout = op.body.layout
    assert layout.files == ("a", "b")
    # `image/*` names no type to send, the schema's contentMediaType does; `b`'s is refused
    assert dict(layout.part_types) == {"a": "image/png", "c": "application/json; charset=utf-8"}
    assert dict(layout.part_headers) == {"a": (("X-Kept", "7"),)}
    assert op.responses[0].encoding == "json"  # a `*/*` response without a schema: unchanged


def test_models_split_in_parts_import_the_file_type(tmp_path_factory: pytest.TempPathFactory) -> None:
    schemas: dict[str, Any] = {f"Filler{i}": {"type": "object", "properties": {"a": {"type": "string"}}}
                               for i in range(301)}
    schemas["Upload"] = {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
    body = {"content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/Upload"}}}}
    spec = {"openapi": "3.0.3", "info": {"title": "Split", "version": "1"}, "servers": [{"url": "https://x.example.com"}],
            "paths": {"/up": {"post": {"operationId": "up", "requestBody": body,
                                       "responses": {"204": {"description": "ok"}}}}},
            "components": {"schemas": schemas}}
    with black_cache(tmp_path_factory.getbasetemp() / "black-cache"):
        api = generate(tmp_path_factory.mktemp("files-split"), "files_split", json.dumps(spec))
    try:
        home = api.module.models._PARTS["Upload"]
        assert "from .._base import FileInput" in api.text(f"_models/{home}.py")
        client, recorder = api.client()
        client.up.up(file=("a.txt", b"abc"))
        assert [(p.filename, p.content) for p in parts_of(recorder.last)] == [("a.txt", b"abc")]
    finally:
        forget(api)


# -- mypy and Prism -----------------------------------------------------------------------------------------


def test_mypy_strict_accepts_every_file_form(api30: Package, api31: Package) -> None:
    scripts = [(api30, f"""\
        import io
        from pathlib import Path

        from {api30.name} import Client, FileInput


        def use(client: Client, path: Path) -> None:
            with path.open("rb") as handle:
                client.upload.upload(file=handle)
            client.upload.upload(file=b"raw", attachments=[path, io.BytesIO(b"x"), ("a.txt", b"a")])
            client.upload.upload(file=("a.png", b"a", "image/png"), image=("b.png", io.BytesIO(b"b")))
            client.images.put("cat", body=path)
            client.anything.put(body=b"bytes")
            chosen: FileInput = ("c.bin", b"c")
            client.encoded.put(body=chosen)
        """), (api31, f"""\
        from pathlib import Path

        from {api31.name} import AsyncClient, models


        async def use(client: AsyncClient, path: Path) -> None:
            await client.files.create(file=path, extra=None, many=[b"m", ("n.png", b"n", "image/png")])
            await client.files.create(body=models.BodyCreateFileFilesPost(file=path))
        """)]
    for api, script in scripts:
        usage = api.out / f"use_{api.name}.py"
        usage.write_text(textwrap.dedent(script), encoding="utf-8")
        checked = mypy_strict(api.out, api.name, usage.name)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    bad = api30.out / f"bad_{api30.name}.py"
    bad.write_text(textwrap.dedent(f"""\
        from {api30.name} import Client


        def use(client: Client) -> None:
            client.upload.upload(file="photo.png")
        """), encoding="utf-8")
    refused = mypy_strict(api30.out, bad.name)
    assert refused.returncode == 1 and 'No overload variant of "upload"' in refused.stdout, refused.stdout


def test_prism_accepts_the_multipart_requests(api30: Package, api31: Package, photo: Path) -> None:
    """Prism validates each part against the document. It reads JSON parts as text and
    takes the comma of `labels=a,b` for a reserved character, so `meta` and `labels` are
    left out here (MockTransport tests cover them)."""
    seen: list[httpx.Response] = []
    http = httpx.Client(event_hooks={"response": [seen.append]})
    with PrismServer(api31.spec_path) as prism:
        client = api31.module.Client(base_url=prism.base_url, max_retries=0, http_client=http)
        client.files.create(file=photo, many=[PNG, ("b.png", io.BytesIO(PNG))], b64=b"hi", description="d")
        client.files.replace(body={"file": ("a.bin", b"\x00\x01"), "extra": io.BytesIO(b"e")})
        client.notes.create(text="hello")
    with PrismServer(api30.spec_path) as prism:
        client = api30.module.Client(base_url=prism.base_url, max_retries=0, http_client=http)
        client.upload.upload(file=photo, encoded=PNG, image=PNG, tags=["a", "b"], note="# n", count=3)
        client.images.put("cat", body=photo)
        client.encoded.put(body=PNG)
    assert [r.status_code for r in seen] == [204] * 6
    for response in seen:
        assert violations(response) == [], response.request.content
