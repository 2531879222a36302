"""Django Ninja, live: the client generated from the running app's /api/openapi.json, called
sync and async against Django's ASGI application under uvicorn. The app is ninja_app.py;
every operation is called (last test).

Ninja's operationIds (`ninja_app_create_notification`: module and function) read as human
ones, so they name the methods. Its 422 validation errors are not in the document, so their
body comes back as JSON, unparsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .support import Live, assert_every_operation_called, live_app, sha256

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
ODD_KEYS = ["with space", "a/b/c", "ünï/cødé", "100%", "%2F", "50% off?#frag", "..", "+&="]


@pytest.fixture(scope="module")
def live(tmp_path_factory: Any) -> Iterator[Live]:
    yield from live_app(tmp_path_factory, "ninja_app", "/api/openapi.json", lifespan="off")


def test_the_document_is_the_running_apps(live: Live) -> None:
    assert live.document["openapi"].startswith("3.1")
    assert "/api/notifications/{notification_id}" in live.document["paths"]


async def test_notification_round_trip_with_models(live: Live, client: Any, aclient: Any) -> None:
    models, errors = live.models, live.errors

    def created(made: Any) -> int:
        assert isinstance(made, models.Notification)
        assert isinstance(made.channel, models.Email)
        assert made.channel.kind == "email"
        assert made.channel.address == "ann@example.com"
        assert made.channel.subject is None
        assert made.priority == "normal"  # the server's default
        assert made.reply_to is None  # required and nullable: sent as null
        assert made.note is None
        assert made.tags == []
        return int(made.id)

    email = models.Email(address="ann@example.com")  # the tag left to its default
    made = client.ninja_app_create_notification(channel=email, message="hi", reply_to=None)
    ident = created(made)
    assert client.ninja_app_get_notification(ident) == made
    assert client.ninja_app_delete_notification(ident) is None
    with pytest.raises(errors.NotFoundError) as info:
        client.ninja_app_get_notification(ident)
    assert info.value.body == models.Problem(code="not_found", message=f"no notification {ident}")

    made = await aclient.ninja_app_create_notification(channel=email, message="hi", reply_to=None)
    ident = created(made)
    assert await aclient.ninja_app_get_notification(ident) == made
    assert await aclient.ninja_app_delete_notification(ident) is None
    with pytest.raises(errors.NotFoundError) as info:
        await aclient.ninja_app_delete_notification(ident)
    assert isinstance(info.value.body, models.Problem)
    assert info.value.body.code == "not_found"


async def test_notification_from_plain_dicts(live: Live, client: Any, aclient: Any) -> None:
    models = live.models
    body = {
        "channel": {"kind": "sms", "number": "+15550100"},
        "message": "code 1234",
        "priority": "high",
        "reply_to": "desk@example.com",
        "note": "urgent",
        "tags": ["otp", "login"],
    }

    def check(made: Any) -> None:
        assert isinstance(made.channel, models.Sms)
        assert made.channel.number == "+15550100"
        assert (made.priority, made.reply_to, made.note) == ("high", "desk@example.com", "urgent")
        assert made.tags == ["otp", "login"]

    check(client.ninja_app_create_notification(body=body))
    check(await aclient.ninja_app_create_notification(body=body))


async def test_validation_error_body(live: Live, client: Any, aclient: Any) -> None:
    """The number rule is not in the schema: the server's 422 body comes back parsed."""
    models, errors = live.models, live.errors

    def check(info: Any) -> None:
        detail = info.value.body["detail"]
        assert info.value.status_code == 422
        assert detail[0]["loc"] == ["body", "body", "channel", "sms", "number"]
        assert "must start with +" in detail[0]["msg"]

    sms = models.Sms(number="5550100")
    with pytest.raises(errors.UnprocessableEntityError) as info:
        client.ninja_app_create_notification(channel=sms, message="x", reply_to=None)
    check(info)
    with pytest.raises(errors.UnprocessableEntityError) as info:
        await aclient.ninja_app_create_notification(channel=sms, message="x", reply_to=None)
    check(info)


async def test_top_level_discriminated_union(live: Live, client: Any, aclient: Any) -> None:
    models = live.models
    sms = client.ninja_app_check_channel(body=models.Sms(number="+4420"))
    assert isinstance(sms, models.Sms) and sms.kind == "sms" and sms.number == "+4420"
    email = await aclient.ninja_app_check_channel(body={"kind": "email", "address": "b@example.com"})
    assert isinstance(email, models.Email) and email.address == "b@example.com"
    email = await aclient.ninja_app_check_channel(body=models.Email(address="c@example.com"))
    assert isinstance(email, models.Email) and email.kind == "email"


async def test_upload_one_file(live: Live, client: Any, aclient: Any, tmp_path: Path) -> None:
    def check(info: Any, name: str, content_type: str, data: bytes) -> None:
        assert (info.filename, info.content_type) == (name, content_type)
        assert (info.size, info.sha256) == (len(data), sha256(data))

    data = b"id,total\n1,9.50\n"
    info = client.ninja_app_upload_file(file=("report.csv", data, "text/csv"), description="Q3")
    check(info, "report.csv", "text/csv", data)
    assert info.description == "Q3"
    info = await aclient.ninja_app_upload_file(file=("logo.png", PNG, "image/png"))
    check(info, "logo.png", "image/png", PNG)
    assert info.description is None

    path = tmp_path / "notes.txt"
    path.write_bytes("ünïcode notes\n".encode())
    with path.open("rb") as handle:  # a file object: its name and a guessed type
        info = client.ninja_app_upload_file(file=handle)
    check(info, "notes.txt", "text/plain", path.read_bytes())
    info = await aclient.ninja_app_upload_file(file=PNG)  # bare bytes: the content still arrives
    assert (info.size, info.sha256) == (len(PNG), sha256(PNG))


async def test_upload_many_files(live: Live, client: Any, aclient: Any) -> None:
    files = [("a.txt", b"alpha", "text/plain"), ("b.png", PNG, "image/png")]

    def check(infos: list[Any]) -> None:
        seen = [(i.filename, i.content_type, i.size, i.sha256) for i in infos]
        assert seen == [(n, t, len(d), sha256(d)) for n, d, t in files]

    check(client.ninja_app_upload_files(files=files))
    check(await aclient.ninja_app_upload_files(files=files))


async def test_form_body(live: Live, client: Any, aclient: Any) -> None:
    models = live.models
    session = client.ninja_app_login(username="ann", password="s3cret&=", remember=True, scopes=["read", "write"])
    assert session == models.Session(username="ann", remember=True, scopes=["read", "write"])
    session = await aclient.ninja_app_login(body={"username": "bob", "password": "pw"})
    assert (session.username, session.remember, session.scopes) == ("bob", False, [])


async def test_query_header_and_cookie_parameters(live: Live, client: Any, aclient: Any) -> None:
    models, errors = live.models, live.errors
    echo = client.ninja_app_search(
        tag=["red", "dark blue"], priority="high", limit=5, x_trace_id="t-1", session="s-1"
    )
    assert (echo.tag, echo.priority, echo.limit, echo.trace_id, echo.session) == (
        ["red", "dark blue"], "high", 5, "t-1", "s-1"
    )
    echo = await aclient.ninja_app_search()
    assert echo == models.SearchEcho(tag=[], priority=None, limit=10, trace_id=None, session=None)
    with pytest.raises(errors.ParameterError):
        client.ninja_app_search(limit=101)  # the documented maximum, checked before sending


@pytest.mark.parametrize("key", ODD_KEYS)
async def test_path_parameter_with_odd_characters(client: Any, aclient: Any, key: str) -> None:
    assert client.ninja_app_get_object(key).key == key
    assert (await aclient.ninja_app_get_object(key)).key == key


async def test_streamed_response(client: Any, aclient: Any) -> None:
    expected = b"".join(f"{n},row {n}\n".encode() for n in range(4))
    with client.with_streaming_response(client.ninja_app_export, rows=4) as response:
        assert response.headers["content-type"].startswith("text/csv")
        assert b"".join(response.iter_bytes()) == expected
    async with aclient.with_streaming_response(aclient.ninja_app_export, rows=4) as response:
        assert b"".join([chunk async for chunk in response.aiter_bytes()]) == expected


def test_every_operation_was_called(live: Live) -> None:
    assert_every_operation_called(live)
