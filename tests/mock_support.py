"""Helpers for the functional tests: a scripted httpx.MockTransport and shared fixtures.

The `tests/test_functional_*.py` modules bind the fixtures below at module level
(`connect = mock_support.connect`, ...) so pytest finds them there.

A `MockAPI` plays a script of steps, one per request (the last step repeats), and keeps
every request it saw. A step is a callable taking the request and returning an
`httpx.Response` or raising; `reply()` and `fail()` build the usual ones. Every step
builds a fresh response, so a retried request never reuses a consumed one.
"""

from __future__ import annotations

import inspect
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import httpx
import pytest

from generated import anchorbrowser, recoup, xpander

Step = Callable[[httpx.Request], httpx.Response]

PACKAGES: dict[str, ModuleType] = {
    "anchorbrowser": anchorbrowser,
    "recoup": recoup,
    "xpander": xpander,
}
ENV_VARS = (
    "ANCHORBROWSER_API_KEY",
    "ANCHORBROWSER_BASE_URL",
    "XPANDER_API_KEY",
    "XPANDER_BASE_URL",
    "RECOUP_API_KEY",
    "RECOUP_BEARER_TOKEN",
    "RECOUP_BASE_URL",
)

KEY = "sk-live-Zq9TOPSECRET4711"
TOKEN = "bearer-tok-ALSOSECRET0815"
TASK_ID = "aade2bce-55c7-468e-a606-c4e76fb2ea2a"
VERSION_ID = "6f1c1e2a-3b4d-4c5e-8f90-1a2b3c4d5e6f"

ANCHOR_PROXY = {
    "active": True,
    "type": "anchor_residential",
    "country_code": "gb",
    "region": "eng",
    "city": "london",
}
CUSTOM_PROXY = {
    "type": "custom",
    "server": "http://proxy.example.net:8080",
    "username": "scraper",
    "password": "hunter2",
    "active": True,
}


def task_version_body(proxy: dict[str, Any] | None = None) -> dict[str, Any]:
    """A realistic 200 body of get-latest-task-version, with fields the spec lacks."""
    return {
        "data": {
            "id": VERSION_ID,
            "taskId": TASK_ID,
            "version": "3",
            "code": "ZXhwb3J0IGRlZmF1bHQgYXN5bmMgKCkgPT4ge30=",
            "language": "typescript",
            "description": "Scrape the pricing page",
            "browserConfiguration": {
                "initial_url": "https://example.com/pricing",
                "tags": ["production", "scraping"],
                "recording": {"active": False},
                "proxy": ANCHOR_PROXY if proxy is None else proxy,
                "timeout": {"max_duration": 20, "idle_timeout": 5},
                "live_view": {"read_only": True},
            },
            "deleted": False,
            "createdAt": "2025-01-02T03:04:05Z",
            "updatedAt": "2025-01-03T04:05:06.250Z",
            "ownerTeam": "growth",  # not in the spec: must be kept
        },
        "meta": {"requestId": "req_8d1"},  # not in the spec either
    }


DELETED_VERSION_BODY = {"data": {"success": True, "message": "Task version deleted"}}


def reply(
    status: int = 200,
    json_body: Any = None,
    *,
    text: str | None = None,
    headers: dict[str, str] | None = None,
) -> Step:
    """A step answering `status` with a JSON body (or text, or nothing)."""

    def step(request: httpx.Request) -> httpx.Response:
        if text is not None:
            return httpx.Response(status, text=text, headers=headers)
        if json_body is None:
            return httpx.Response(status, headers=headers)
        return httpx.Response(status, json=json_body, headers=headers)

    return step


def fail(exc_type: type[httpx.TransportError], message: str = "boom") -> Step:
    """A step whose transport raises `exc_type` (no response at all)."""

    def step(request: httpx.Request) -> httpx.Response:
        raise exc_type(message, request=request)

    return step


class MockAPI:
    """The handler of an httpx.MockTransport: plays a script, records requests."""

    def __init__(self, *script: Step) -> None:
        self.script = list(script) or [reply(200, {})]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.script[min(len(self.requests), len(self.script)) - 1]
        return step(request)

    @property
    def last(self) -> httpx.Request:
        if not self.requests:
            raise AssertionError("no request was sent")
        return self.requests[-1]

    def body_json(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


async def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a sync or async client method and return its result either way."""
    result = fn(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


@dataclass
class Op:
    """One generated operation, how to call it and what a success looks like."""

    id: str
    package: str
    name: str  # how a client reaches the method: `tasks.delete`
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    method: str
    path: str
    ok: Step
    check: Callable[[Any], None]

    @property
    def pkg(self) -> ModuleType:
        return PACKAGES[self.package]


def _check_task_version(result: Any) -> None:
    assert isinstance(result, anchorbrowser.models.TaskVersionResponse)
    assert result.data is not None
    assert result.data.task_id == uuid.UUID(TASK_ID)
    assert result.data.version == "3"


def _check_deleted_version(result: Any) -> None:
    assert isinstance(result, anchorbrowser.models.DeleteTaskResponse)
    assert result.data is not None
    assert result.data.success is True
    assert result.data.message == "Task version deleted"


def _check_none(result: Any) -> None:
    assert result is None


def _check_recoup(result: Any) -> None:
    assert isinstance(result, recoup.models.DeleteTaskResponse)
    assert result.status == "success"


OPS = [
    Op(
        "anchorbrowser.get_latest_task_version",
        "anchorbrowser",
        "tasks.get_latest_version",
        (TASK_ID,),
        {},
        "GET",
        f"/v1/task/{TASK_ID}/latest",
        reply(200, task_version_body()),
        _check_task_version,
    ),
    Op(
        "anchorbrowser.delete_task_version",
        "anchorbrowser",
        "tasks.delete_version",
        (TASK_ID, "draft"),
        {},
        "DELETE",
        f"/v1/task/{TASK_ID}/draft",
        reply(200, DELETED_VERSION_BODY),
        _check_deleted_version,
    ),
    Op(
        "xpander.delete_task",
        "xpander",
        "tasks.delete",
        ("task-123",),
        {},
        "DELETE",
        "/v1/tasks/task-123",
        reply(204),
        _check_none,
    ),
    Op(
        "recoup.delete_task(id=)",
        "recoup",
        "tasks.delete",
        (),
        {"id": TASK_ID},
        "DELETE",
        "/api/tasks",
        reply(200, {"status": "success"}),
        _check_recoup,
    ),
    Op(
        "recoup.delete_task(body=)",
        "recoup",
        "tasks.delete",
        (),
        {"body": recoup.models.DeleteTaskRequest(id=uuid.UUID(TASK_ID))},
        "DELETE",
        "/api/tasks",
        reply(200, {"status": "success"}),
        _check_recoup,
    ),
]
OP_IDS = [op.id for op in OPS]


# ----------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own credentials or base URLs must not leak into the tests."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every retry delay the clients ask for, sync or async; nobody sleeps for real."""
    delays: list[float] = []

    async def fake_async_sleep(delay: float, result: Any = None) -> Any:
        delays.append(delay)
        return result

    for pkg in PACKAGES.values():
        monkeypatch.setattr(pkg._base.time, "sleep", delays.append)
        monkeypatch.setattr(pkg._base.asyncio, "sleep", fake_async_sleep)
    return delays


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


Connect = Callable[..., tuple[Any, MockAPI]]


@pytest.fixture
def connect(mode: str) -> Iterator[Connect]:
    """connect(package_name, *script, **client_kwargs) -> (client, MockAPI).

    The client is the package's Client or AsyncClient (per `mode`) talking to a
    MockTransport; the api key defaults to KEY unless given (None means "not given").
    """

    def make(package: str, *script: Step, **kwargs: Any) -> tuple[Any, MockAPI]:
        pkg = PACKAGES[package]
        api = MockAPI(*script)
        transport = httpx.MockTransport(api)
        kwargs.setdefault("api_key", KEY)
        if mode == "sync":
            return pkg.Client(
                http_client=httpx.Client(transport=transport), **kwargs
            ), api
        http = httpx.AsyncClient(transport=transport)
        return pkg.AsyncClient(http_client=http, **kwargs), api

    yield make
