"""Live round trips, once per framework: the client generated from the OpenAPI document the
running app serves, called sync and async against uvicorn. The apps are fastapi_app.py,
litestar_app.py, ninja_app.py and drf_app.py; what differs between them is described in
frameworks.py. Each server starts once (the `live` fixture is module-scoped, so pytest runs
one framework's tests together), and every operation is called (last test).

The tests call operations by the names FastAPI gives them; the recorded clients map those to
where each framework's client puts them (`client.notifications.create`: `Framework.method`,
checked by test_method_names).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .frameworks import FRAMEWORKS, OPERATIONS, Framework
from .support import (
    Live,
    assert_every_operation_called,
    live_app,
    operation_methods,
    sha256,
)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
ODD_KEYS = ["with space", "a/b/c", "ünï/cødé", "100%", "%2F", "50% off?#frag", "..", "+&="]


@pytest.fixture(scope="module", params=FRAMEWORKS, ids=lambda framework: framework.name)
def framework(request: pytest.FixtureRequest) -> Framework:
    chosen: Framework = request.param
    return chosen


@pytest.fixture(scope="module")
def live(tmp_path_factory: Any, framework: Framework) -> Iterator[Live]:
    yield from live_app(
        tmp_path_factory,
        framework.module,
        framework.openapi_path,
        lifespan=framework.lifespan,
        aliases={operation: framework.method(operation) for operation in OPERATIONS},
    )


def test_the_document_is_the_running_apps(live: Live, framework: Framework) -> None:
    assert live.document["openapi"].startswith(framework.openapi_version)
    assert framework.path_prefix + "/notifications/{notification_id}" in live.document["paths"]


def test_method_names(live: Live, framework: Framework) -> None:
    methods = {framework.method(operation) for operation in OPERATIONS}
    assert operation_methods(live.package) == methods


async def test_notification_round_trip_with_models(
    live: Live, framework: Framework, client: Any, aclient: Any
) -> None:
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

    email = framework.channel(models, "Email", address="ann@example.com")
    made = client.create_notification(channel=email, message="hi", reply_to=None)
    ident = created(made)
    assert client.get_notification(ident) == made
    assert client.delete_notification(ident) is None
    with pytest.raises(errors.NotFoundError) as info:
        client.get_notification(ident)
    assert info.value.body == models.Problem(code="not_found", message=f"no notification {ident}")

    made = await aclient.create_notification(channel=email, message="hi", reply_to=None)
    ident = created(made)
    assert await aclient.get_notification(ident) == made
    assert await aclient.delete_notification(ident) is None
    with pytest.raises(errors.NotFoundError) as info:
        await aclient.delete_notification(ident)
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

    check(client.create_notification(body=body))
    check(await aclient.create_notification(body=body))


async def test_validation_error_body(
    live: Live, framework: Framework, client: Any, aclient: Any
) -> None:
    """The number rule is not in the schema: the server's error body comes back, parsed
    where the document describes it."""
    models, validation = live.models, framework.validation
    error = getattr(live.errors, validation.error)

    def check(info: Any) -> None:
        assert info.value.status_code == validation.status
        validation.check(models, info.value.body)

    sms = framework.channel(models, "Sms", number="5550100")
    with pytest.raises(error) as info:
        client.create_notification(channel=sms, message="x", reply_to=None)
    check(info)
    with pytest.raises(error) as info:
        await aclient.create_notification(channel=sms, message="x", reply_to=None)
    check(info)


async def test_top_level_union(
    live: Live, framework: Framework, client: Any, aclient: Any
) -> None:
    models = live.models
    sms = client.check_channel(body=framework.channel(models, "Sms", number="+4420"))
    assert isinstance(sms, models.Sms) and sms.kind == "sms" and sms.number == "+4420"
    email = await aclient.check_channel(body={"kind": "email", "address": "b@example.com"})
    assert isinstance(email, models.Email) and email.address == "b@example.com"
    email = await aclient.check_channel(
        body=framework.channel(models, "Email", address="c@example.com")
    )
    assert isinstance(email, models.Email) and email.kind == "email"


async def test_upload_one_file(client: Any, aclient: Any, tmp_path: Path) -> None:
    def check(info: Any, name: str, content_type: str, data: bytes) -> None:
        assert (info.filename, info.content_type) == (name, content_type)
        assert (info.size, info.sha256) == (len(data), sha256(data))

    data = b"id,total\n1,9.50\n"
    info = client.upload_file(file=("report.csv", data, "text/csv"), description="Q3")
    check(info, "report.csv", "text/csv", data)
    assert info.description == "Q3"
    info = await aclient.upload_file(file=("logo.png", PNG, "image/png"))
    check(info, "logo.png", "image/png", PNG)
    assert info.description is None

    path = tmp_path / "notes.txt"
    path.write_bytes("ünïcode notes\n".encode())
    with path.open("rb") as handle:  # a file object: its name and a guessed type
        info = client.upload_file(file=handle)
    check(info, "notes.txt", "text/plain", path.read_bytes())
    info = await aclient.upload_file(file=PNG)  # bare bytes: the content still arrives
    assert (info.size, info.sha256) == (len(PNG), sha256(PNG))


async def test_upload_many_files(client: Any, aclient: Any) -> None:
    files = [("a.txt", b"alpha", "text/plain"), ("b.png", PNG, "image/png")]

    def check(infos: list[Any]) -> None:
        seen = [(i.filename, i.content_type, i.size, i.sha256) for i in infos]
        assert seen == [(n, t, len(d), sha256(d)) for n, d, t in files]

    check(client.upload_files(files=files))
    check(await aclient.upload_files(files=files))


async def test_form_body(live: Live, framework: Framework, client: Any, aclient: Any) -> None:
    session_model = getattr(live.models, framework.session_model)
    session = client.login(
        username="ann", password="s3cret&=", remember=True, scopes=["read", "write"]
    )
    assert session == session_model(username="ann", remember=True, scopes=["read", "write"])
    session = await aclient.login(body={"username": "bob", "password": "pw"})
    assert (session.username, session.remember, session.scopes) == ("bob", False, [])


async def test_query_header_and_cookie_parameters(
    live: Live, framework: Framework, client: Any, aclient: Any
) -> None:
    models, search = live.models, framework.search
    echo = client.search(
        tag=["red", "dark blue"], priority="high", limit=5, session="s-1", **search.sent
    )
    assert (echo.tag, echo.priority, echo.limit, echo.session) == (
        ["red", "dark blue"], "high", 5, "s-1"
    )
    search.check(echo)
    echo = await aclient.search()
    assert echo == models.SearchEcho(
        tag=[], priority=None, limit=10, session=None, **search.defaults
    )
    with pytest.raises(live.errors.ParameterError):
        client.search(**search.refused)  # checked before sending


@pytest.mark.parametrize("key", ODD_KEYS)
async def test_path_parameter_with_odd_characters(client: Any, aclient: Any, key: str) -> None:
    assert client.get_object(key).key == key
    assert (await aclient.get_object(key)).key == key


async def test_streamed_response(client: Any, aclient: Any) -> None:
    expected = b"".join(f"{n},row {n}\n".encode() for n in range(4))
    with client.with_streaming_response(client.export, rows=4) as response:
        assert response.headers["content-type"].startswith("text/csv")
        assert b"".join(response.iter_bytes()) == expected
    async with aclient.with_streaming_response(aclient.export, rows=4) as response:
        assert b"".join([chunk async for chunk in response.aiter_bytes()]) == expected


def test_every_operation_was_called(live: Live) -> None:
    assert_every_operation_called(live)
