"""Nested resources: `client.chat.completions.create(...)`, by the path's resource segments.

A resource's sub-resources are the segments of its path after the one that names it (the
tag's segment, else the first), each a collection or followed by more of the path; a last
segment that is no collection (`/files/{id}/content`, `/runs/{id}/cancel`) is a method. The
`resources` and `methods` options take dotted paths. Every resource class, nested or not, is
a module of its own, created on first use and kept, sync and async.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from feature_support import (
    Package,
    calls_of,
    forget,
    generate,
    method_of,
    module_package,
    mypy_strict,
    pyright_strict,
)

from generator.options import ClientOptions

OK = "{'204': {description: none}}"
ID = "[{name: id, in: path, required: true, schema: {type: string}}]"
SPEC = f"""\
openapi: 3.1.0
info: {{title: Nest, version: '1'}}
servers: [{{url: 'https://nest.test'}}]
paths:
  /v1/chat/completions:
    get: {{operationId: listChatCompletions, tags: [Chat], responses: {OK}}}
    post:
      operationId: createChatCompletion
      tags: [Chat]
      requestBody:
        required: true
        content: {{application/json: {{schema: {{type: object, properties: {{model: {{type: string}}}}}}}}}}
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{id: {{type: string}}}}}}}}}}}}
  /v1/chat/completions/{{id}}:
    get: {{operationId: getChatCompletion, tags: [Chat], parameters: {ID}, responses: {OK}}}
  /v1/assistants:
    get: {{operationId: listAssistants, tags: [Assistants], responses: {OK}}}
  /v1/threads/{{id}}:
    get: {{operationId: getThread, tags: [Assistants], parameters: {ID}, responses: {OK}}}
  /v1/threads/{{id}}/runs:
    get: {{operationId: listRuns, tags: [Assistants], parameters: {ID}, responses: {OK}}}
  /v1/threads/{{id}}/runs/{{run_id}}:
    get:
      operationId: getRun
      tags: [Assistants]
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}, {{name: run_id, in: path, required: true, schema: {{type: string}}}}]
      responses: {OK}
  /v1/threads/{{id}}/runs/{{run_id}}/cancel:
    post:
      operationId: cancelRun
      tags: [Assistants]
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}, {{name: run_id, in: path, required: true, schema: {{type: string}}}}]
      responses: {OK}
  /files:
    get: {{operationId: listFiles, responses: {OK}}}
  /files/{{id}}/content:
    get: {{operationId: downloadFile, parameters: {ID}, responses: {OK}}}
  /customers/{{id}}/sources/{{source}}:
    delete:
      operationId: deleteCustomerSource
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}, {{name: source, in: path, required: true, schema: {{type: string}}}}]
      responses: {OK}
  /notifications:
    get: {{operationId: listNotifications, x-speakeasy-group: users.notifications, responses: {OK}}}
  /apps:
    get: {{operationId: listApps, x-fern-sdk-group-name: [users, apps], responses: {OK}}}
"""

CALLS = {
    "chat.completions.list": ("GET", "/v1/chat/completions"),
    "chat.completions.create": ("POST", "/v1/chat/completions"),
    "chat.completions.get": ("GET", "/v1/chat/completions/7"),
    "assistants.list": ("GET", "/v1/assistants"),  # the tag's own segment
    # no segment named like the tag, and `threads` is no other tag's: the path names them
    "threads.get": ("GET", "/v1/threads/7"),
    "threads.runs.list": ("GET", "/v1/threads/7/runs"),
    "threads.runs.get": ("GET", "/v1/threads/7/runs/8"),
    "threads.runs.cancel": ("POST", "/v1/threads/7/runs/8/cancel"),  # no collection: a method
    "files.list": ("GET", "/files"),
    "files.download": ("GET", "/files/7/content"),
    "customers.sources.delete": ("DELETE", "/customers/7/sources/8"),  # untagged: from the path
    "users.notifications.list": ("GET", "/notifications"),  # a dotted group extension
    "users.apps.list": ("GET", "/apps"),  # imported before notifications (ruff's order)
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "nested", SPEC)


def _arguments(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.split("/") if part in ("7", "8"))


def _respond(request: httpx.Request) -> httpx.Response:
    if request.method == "POST" and request.url.path == "/v1/chat/completions":
        return httpx.Response(200, json={"id": "c1"})
    return httpx.Response(204)


def test_every_operation_is_where_the_path_puts_it(api: Package) -> None:
    client, recorder = api.client(_respond)
    assert calls_of(client) == set(CALLS)
    for call, (method, path) in CALLS.items():
        method_of(client, call)(*_arguments(path))
        assert (recorder.last.method, recorder.last.url.path) == (method, path), call
    assert client.chat.completions.create(model="m").id == "c1"


async def test_the_async_client_nests_the_same_way(api: Package) -> None:
    client, recorder = api.async_client(_respond)
    assert calls_of(client) == set(CALLS)
    for call, (method, path) in CALLS.items():
        await method_of(client, call)(*_arguments(path))
        assert (recorder.last.method, recorder.last.url.path) == (method, path), call
    assert type(client.chat.completions).__name__ == "AsyncChatCompletions"


def test_each_resource_is_a_module_of_its_own_made_on_first_use(api: Package) -> None:
    folder = api.out / api.name / "resources"
    modules = sorted(p.stem for p in folder.glob("*.py"))
    assert modules == [
        "__init__", "assistants", "chat", "chat_completions", "customers", "customers_sources",
        "files", "threads", "threads_runs", "users", "users_apps", "users_notifications",
    ]
    assert sorted(p.stem for p in (folder / "_async").glob("*.py")) == modules
    # `chat` holds no operation: its module is only the property leading to completions
    assert "Endpoint" not in api.text("resources/chat.py")
    module = f"{api.name}.resources.chat_completions"
    sys.modules.pop(module, None)
    client, _ = api.client()
    chat = client.chat
    assert module not in sys.modules  # the parent does not import its children
    completions = chat.completions
    assert module in sys.modules and client.chat.completions is completions  # kept
    copy = client.with_options(timeout=5)
    assert copy.chat.completions is not completions and copy.chat.completions._client is copy


def test_the_readme_and_docstrings_name_the_nested_calls(api: Package) -> None:
    readme = api.text("README.md")
    assert "| `chat.completions.create` | `POST /v1/chat/completions` |" in readme
    client, _ = api.client()
    assert "sub-resources: completions" in (type(client).chat.__doc__ or "")
    assert "`client.chat.completions`" in (type(client.chat.completions).__doc__ or "")


def test_type_checkers_follow_nested_resources(api: Package) -> None:
    script = api.out / f"use_{api.name}.py"
    script.write_text(textwrap.dedent(f"""\
        from {api.name} import AsyncClient, Client

        client = Client(base_url="http://127.0.0.1:9")
        created = client.chat.completions.create(model="m")
        name: str | None = created.id
        client.threads.runs.cancel("t", "r")


        async def main(aclient: AsyncClient) -> None:
            await aclient.chat.completions.create(model="m")
            await aclient.users.notifications.list()


        client.chat.completion.create(model="m")
        """))
    done = mypy_strict(api.out, api.name, script.name)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, done.stdout
    assert ':14: error: "Chat" has no attribute "completion"' in errors[0], done.stdout
    done = pyright_strict(api.out, api.name, script.name)
    errors = [line for line in done.stdout.splitlines() if " - error:" in line]
    assert errors and all(".py:14:" in line for line in errors), done.stdout  # the typo only
    assert any('attribute "completion" for class "Chat"' in line for line in errors), done.stdout


def test_nested_modules_pass_ruff_and_black(api: Package) -> None:
    package = str(api.out / api.name)
    for command in (["ruff", "check", "--no-cache", package], ["black", "--check", "-q", package]):
        done = subprocess.run([sys.executable, "-m", *command], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


OPTIONS = ClientOptions(
    resources={"Assistants": "beta.assistants", "threads": "beta.threads",
               "chat.completions": "completions"},
    methods={"listFiles": "storage.files.all", "downloadFile": "storage.files.content"},
)


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    package = generate(tmp_path_factory.mktemp("nested-options"), "nested_options", SPEC, OPTIONS)
    yield package
    forget(package)


def test_dotted_options_move_and_rename_resources(configured: Package) -> None:
    client, recorder = configured.client()
    calls = calls_of(client)
    assert {"beta.assistants.list", "beta.threads.get", "beta.threads.runs.list", "beta.threads.runs.cancel"} <= calls
    assert "threads" not in {call.split(".")[0] for call in calls}
    assert {"completions.list", "completions.get", "chat.completions.list"} & calls == {
        "completions.list", "completions.get"}  # a dotted key renames that resource only
    assert {"storage.files.all", "storage.files.content"} <= calls
    assert "files.list" not in calls and "files.download" not in calls
    client.storage.files.content("7")
    assert recorder.last.url.path == "/files/7/content"
    client.beta.threads.runs.get("7", "8")
    assert recorder.last.url.path == "/v1/threads/7/runs/8"


def test_dotted_options_are_checked(tmp_path: Path) -> None:
    from generator.options import OptionsError, read

    assert read({"resources": {"Assistants": "beta.threads"}}, "c", tmp_path).resources == {
        "Assistants": "beta.threads"}
    with pytest.raises(OptionsError, match="c.resources.Chat must be names joined by dots"):
        read({"resources": {"Chat": "chat..completions"}}, "c", tmp_path)
    with pytest.raises(OptionsError, match="c.methods.x must be a Python identifier"):
        read({"methods": {"x": "chat.class.create"}}, "c", tmp_path)


def test_the_rule_on_paths_alone() -> None:
    from generator.lower.resource_paths import (
        Placement,
        collections_of,
        levels,
        renamed,
        segments,
    )

    assert segments("/v1/chat/completions?beta=true") == ("chat", "completions")
    assert segments("/api/2024-01-01/{tenant}/Vector-Stores/{id}") == (None, "vector_stores", None)
    paths = ["/files", "/files/{id}", "/files/{id}/content", "/jobs/{id}/cancel", "/a/b/c"]
    known = collections_of(paths)
    assert levels(segments("/files/{id}/content"), known) == ("files",)
    assert levels(segments("/files"), known) == ("files",)  # a collection: /files/{id} exists
    assert levels(segments("/health"), known) == ()  # no collection: a method
    assert levels(segments("/a/b/c"), known) == ("a", "b")
    ops = {("get", "/repos/{o}/{r}/milestones/{n}"): {"tags": ["issues"]},
           ("get", "/repos/{o}/{r}/labels"): {"tags": ["issues"]},
           ("get", "/repos/{o}/{r}/issues/{n}/comments/{c}"): {"tags": ["issues"]},
           ("get", "/repos/{o}/{r}"): {"tags": ["repos"]},
           ("get", "/audit_logs"): {"tags": ["Audit Logs"]},
           # `threads` is the Assistants tag's alone: the path names these
           ("get", "/threads/{t}/runs/{r}"): {"tags": ["Assistants"]},
           ("post", "/threads"): {"tags": ["Assistants"]},
           ("get", "/assistants/{a}"): {"tags": ["Assistants"]},
           # `org` is shared with another tag: the tag names these
           ("get", "/org/groups/{g}/roles"): {"tags": ["Group roles"]},
           ("get", "/org/groups/{g}"): {"tags": ["Groups"]},
           ("get", "/"): {}}
    rule = Placement(ops)
    assert [rule.place(op, path) for (_, path), op in ops.items()] == [
        ("issues", "milestones"), ("issues",), ("issues", "comments"), ("repos",), ("audit_logs",),
        ("threads", "runs"), ("threads",), ("assistants",), ("group_roles",), ("groups",), None]
    assert renamed(("assistants", "runs", "steps"), {"Assistants": "beta"}) == ("beta", "runs", "steps")
    assert renamed(("assistants", "runs"), {"Assistants": "beta", "assistants.runs": "beta.threads.runs"}) == (
        "beta", "threads", "runs")
