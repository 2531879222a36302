"""Servers, retries and credentials, end to end: generate a client from an inline spec and
drive it through httpx.MockTransport.

- servers: the document's server variables are Client arguments (defaulted, checked against
  their enum); operation- and path-level servers are used, relative ones resolved against
  the client's; a base URL the caller chose (argument or environment) receives every call.
- retries: 429/503 with Retry-After for every method; other failures only for idempotent
  methods or requests carrying an idempotency key, which the client generates (once per
  call) where the operation declares one; per-call `max_retries=`.
- credentials: an operation that needs them fails before sending when none are configured,
  naming the arguments and environment variables that would help.

Sleeps are recorded (the generated `_base` module's time.sleep / asyncio.sleep are
replaced), so retries cost nothing.
"""

from __future__ import annotations

import inspect
import textwrap
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from feature_support import Package, Recorder, method_of, module_package, mypy_strict

SPEC = """\
openapi: 3.1.0
info:
  title: Transport
  version: '1'
servers:
  - url: https://{region}.api.example.com/{basePath}/
    variables:
      region:
        default: eu
        enum: [eu, us]
        description: Where your account lives.
      basePath:
        default: v1
security:
  - apiKey: []
  - bearer: []
components:
  securitySchemes:
    apiKey:
      type: apiKey
      in: header
      name: X-API-Key
    bearer:
      type: http
      scheme: bearer
    basic:
      type: http
      scheme: basic
    queryKey:
      type: apiKey
      in: query
      name: key
  schemas:
    Thing:
      type: object
      properties:
        name:
          type: string
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '204':
          description: none
    post:
      operationId: createThing
      parameters:
        - name: Idempotency-Key
          in: header
          required: true
          schema:
            type: string
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Thing'
      responses:
        '204':
          description: none
    patch:
      operationId: patchThings
      responses:
        '204':
          description: none
  /orders:
    post:
      operationId: createOrder
      parameters:
        - name: x-idempotency-key
          in: header
          schema:
            type: string
      responses:
        '204':
          description: none
  /uploads:
    servers:
      - url: https://uploads.example.com/{region}
    post:
      operationId: upload
      responses:
        '204':
          description: none
    get:
      operationId: getUpload
      servers:
        - url: /v2
      responses:
        '204':
          description: none
  /files:
    get:
      operationId: getFile
      servers:
        - url: https://{zone}.files.example.com/{region}
          variables:
            zone:
              default: z1
              enum: [z1, z2]
      responses:
        '204':
          description: none
  /public:
    get:
      operationId: ping
      security: []
      responses:
        '204':
          description: none
  /maybe:
    get:
      operationId: maybe
      security:
        - {}
        - apiKey: []
      responses:
        '204':
          description: none
  /basic:
    get:
      operationId: basicOnly
      security:
        - basic: []
      responses:
        '204':
          description: none
  /both:
    get:
      operationId: keyAndQuery
      security:
        - apiKey: []
          queryKey: []
      responses:
        '204':
          description: none
"""

# Server variables named like the constructor's own arguments and like module names.
ODD_SPEC = """\
openapi: 3.1.0
info:
  title: Odd
  version: '1'
servers:
  - url: https://{os}.example.com/{timeout}/{api_key}/{tenant}
    variables:
      os:
        default: linux
      timeout:
        default: t
      api_key:
        default: k
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-Key
paths:
  /x:
    get:
      operationId: getX
      security: []
      responses:
        '204':
          description: none
"""

KEY = "sk-live-SECRET-4711"
TOKEN = "tok-SECRET-0815"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "transport", SPEC)


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "oddservers", ODD_SPEC)


@pytest.fixture(autouse=True)
def no_env(api: Package, monkeypatch: pytest.MonkeyPatch) -> None:
    for suffix in ("API_KEY", "BEARER_TOKEN", "USERNAME", "PASSWORD", "BASE_URL"):
        monkeypatch.delenv(f"{_prefix(api)}_{suffix}", raising=False)


@pytest.fixture
def sleeps(api: Package, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    delays: list[float] = []

    async def fake_sleep(delay: float) -> None:
        delays.append(delay)

    monkeypatch.setattr(api.module._base.time, "sleep", delays.append)
    monkeypatch.setattr(api.module._base.asyncio, "sleep", fake_sleep)
    return delays


def _prefix(package: Package) -> str:
    return package.name.upper()


def _client(api: Package, respond: Any = None, **options: Any) -> tuple[Any, Recorder]:
    options.setdefault("api_key", KEY)
    return api.client(respond, **options)


def _status(status: int, headers: dict[str, str] | None = None) -> Any:
    return lambda request: httpx.Response(status, headers=headers)


def _script(*responses: Any) -> Any:
    """Answer with each response in turn (the last one repeats)."""
    seen: list[int] = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(1)
        return responses[min(len(seen), len(responses)) - 1](request)

    return respond


# -- servers ---------------------------------------------------------------------------------


def test_document_server_variables_default(api: Package) -> None:
    client, recorder = _client(api)
    client.things.list()
    assert str(recorder.last.url) == "https://eu.api.example.com/v1/things"
    assert client.base_url == "https://eu.api.example.com/v1"


def test_server_variables_are_client_arguments(api: Package) -> None:
    client, recorder = _client(api, region="us", base_path="v3")
    client.things.list()
    assert str(recorder.last.url) == "https://us.api.example.com/v3/things"
    params = inspect.signature(api.module.Client).parameters
    assert params["region"].default is None and params["base_path"].default is None
    assert "Literal['eu', 'us']" in str(params["region"].annotation).replace('"', "'")


def test_a_server_variable_outside_its_enum_is_refused(api: Package) -> None:
    with pytest.raises(api.errors.ParameterError, match=r"region='mars' is not one of 'eu', 'us'"):
        _client(api, region="mars")


def test_path_level_server_shares_the_clients_variables(api: Package) -> None:
    client, recorder = _client(api)
    client.uploads.upload()
    assert str(recorder.last.url) == "https://uploads.example.com/eu/uploads"
    client, recorder = _client(api, region="us")
    client.uploads.upload()
    assert str(recorder.last.url) == "https://uploads.example.com/us/uploads"


def test_operation_server_beats_the_path_level_one_and_resolves_relative(api: Package) -> None:
    client, recorder = _client(api, region="us")
    client.uploads.get()
    assert str(recorder.last.url) == "https://us.api.example.com/v2/uploads"


def test_operation_server_variables_take_their_defaults(api: Package) -> None:
    client, recorder = _client(api, region="us")
    client.files.get()
    assert str(recorder.last.url) == "https://z1.files.example.com/us/files"


def test_explicit_base_url_receives_every_call(api: Package) -> None:
    client, recorder = _client(api, base_url="http://mock.test/base/", region="us")
    for call in (client.things.list, client.uploads.upload, client.uploads.get, client.files.get):
        call()
    hosts = {(r.url.host, r.url.path) for r in recorder.requests}
    assert hosts == {("mock.test", "/base/things"), ("mock.test", "/base/uploads"),
                     ("mock.test", "/base/files")}


def test_base_url_from_the_environment_receives_every_call(
    api: Package, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"{_prefix(api)}_BASE_URL", "http://env.test")
    client, recorder = _client(api)
    client.files.get()
    client.uploads.upload()
    assert [str(r.url) for r in recorder.requests] == [
        "http://env.test/files", "http://env.test/uploads"]


def test_server_variables_are_named_safely(odd: Package) -> None:
    params = inspect.signature(odd.module.Client).parameters
    assert {"os_", "timeout_", "api_key_", "tenant", "api_key", "timeout"} <= set(params)
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(204)))
    with pytest.raises(odd.errors.ParameterError, match=r"pass tenant= .*\{tenant\}.* or base_url="):
        odd.module.Client(http_client=http)
    recorder = Recorder(lambda request: httpx.Response(204))
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    client = odd.module.Client(http_client=http, os_="mac", tenant="acme", timeout=3.0)
    client.x.get()
    assert str(recorder.last.url) == "https://mac.example.com/t/k/acme/x"
    assert odd.module.Client(base_url="http://mock.test").base_url == "http://mock.test"


def test_server_variable_warnings(odd: Package) -> None:
    messages = [d.message for d in odd.diagnostics]
    assert any("{tenant} in the server URL is not defined in 'variables'" in m for m in messages), messages


# -- retries ---------------------------------------------------------------------------------

RA = {"Retry-After": "1"}
RA_MS = {"retry-after-ms": "250"}


@pytest.mark.parametrize(
    ("method", "status", "headers", "attempts"),
    [
        # idempotent: every retryable status
        ("things.list", 408, {}, 3), ("things.list", 429, {}, 3), ("things.list", 500, {}, 3),
        ("things.list", 503, {}, 3), ("things.list", 503, RA, 3),
        # not idempotent, no key: only when the server says it did not process the request
        ("things.patch", 408, {}, 1), ("things.patch", 429, {}, 1), ("things.patch", 500, {}, 1),
        ("things.patch", 502, {}, 1), ("things.patch", 503, {}, 1), ("things.patch", 500, RA, 1),
        ("things.patch", 429, RA, 3), ("things.patch", 503, RA, 3), ("things.patch", 429, RA_MS, 3),
        ("things.patch", 503, {"Retry-After": "soon"}, 3),
        # not idempotent, a generated idempotency key: like an idempotent method
        ("things.create", 408, {}, 3), ("things.create", 429, {}, 3), ("things.create", 500, {}, 3),
        ("orders.create", 503, {}, 3),
        # never retried
        ("things.list", 400, {}, 1), ("things.create", 404, RA, 1), ("things.patch", 409, {}, 1),
    ],
)  # fmt: skip
def test_retry_matrix(
    api: Package, sleeps: list[float], method: str, status: int, headers: dict[str, str],
    attempts: int,
) -> None:
    client, recorder = _client(api, _status(status, headers), max_retries=2)
    with pytest.raises(api.errors.APIStatusError) as info:
        method_of(client, method)()
    assert info.value.status_code == status
    assert len(recorder.requests) == attempts
    assert len(sleeps) == attempts - 1


def test_retry_after_sets_the_delay_for_any_method(api: Package, sleeps: list[float]) -> None:
    client, recorder = _client(api, _script(_status(503, RA_MS), _status(204)), max_retries=2)
    assert client.things.patch() is None
    assert len(recorder.requests) == 2
    assert sleeps == [0.25]


def test_a_users_idempotency_header_makes_any_method_retryable(
    api: Package, sleeps: list[float]
) -> None:
    client, recorder = _client(api, _script(_status(500), _status(204)), max_retries=2)
    assert client.things.patch(extra_headers={"X-Idempotency-Key": "mine"}) is None
    assert [r.headers["x-idempotency-key"] for r in recorder.requests] == ["mine", "mine"]


@pytest.mark.parametrize(
    ("method", "error", "attempts"),
    [
        ("things.patch", httpx.ConnectError, 3),  # never left: safe for any method
        ("things.patch", httpx.ConnectTimeout, 3),
        ("things.patch", httpx.ReadError, 1),  # may have arrived
        ("things.patch", httpx.ReadTimeout, 1),
        ("things.patch", httpx.RemoteProtocolError, 1),
        ("things.create", httpx.ReadError, 3),  # an idempotency key makes a replay safe
        ("things.create", httpx.ReadTimeout, 3),
        ("things.list", httpx.ReadError, 3),
    ],
)
def test_connection_failures(
    api: Package, sleeps: list[float], method: str, error: type[httpx.TransportError],
    attempts: int,
) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error("boom", request=request)

    client, recorder = _client(api, fail, max_retries=2)
    with pytest.raises(api.errors.APIConnectionError):
        method_of(client, method)()
    assert len(recorder.requests) == attempts


def test_idempotency_key_is_generated_once_per_call(api: Package, sleeps: list[float]) -> None:
    client, recorder = _client(
        api, _script(_status(500), _status(503), _status(204)), max_retries=2)
    client.things.create(name="lamp")
    keys = [r.headers["idempotency-key"] for r in recorder.requests]
    assert len(keys) == 3 and len(set(keys)) == 1
    assert uuid.UUID(keys[0]).version == 4
    client.things.create(name="lamp")
    assert recorder.last.headers["idempotency-key"] != keys[0]


def test_idempotency_key_variant_is_generated(api: Package) -> None:
    client, recorder = _client(api)
    client.orders.create()
    assert uuid.UUID(recorder.last.headers["x-idempotency-key"])


def test_a_users_idempotency_key_is_kept(api: Package, sleeps: list[float]) -> None:
    client, recorder = _client(api, _script(_status(500), _status(204)), max_retries=2)
    client.things.create(name="lamp", idempotency_key="order-42")
    assert [r.headers["idempotency-key"] for r in recorder.requests] == ["order-42"] * 2
    client.things.create(name="lamp", extra_headers={"idempotency-key": "other"})
    assert recorder.last.headers.get_list("idempotency-key") == ["other"]


def test_a_declared_idempotency_key_is_optional(api: Package) -> None:
    params = inspect.signature(api.module.Client(base_url="http://x").things.create).parameters
    assert params["idempotency_key"].default is None


@pytest.mark.parametrize(("client_retries", "call_retries", "attempts"),
                         [(2, 0, 1), (2, 4, 5), (2, None, 3), (0, 1, 2), (0, None, 1)])
def test_per_call_max_retries(
    api: Package, sleeps: list[float], client_retries: int, call_retries: int | None,
    attempts: int,
) -> None:
    client, recorder = _client(api, _status(503), max_retries=client_retries)
    with pytest.raises(api.errors.InternalServerError):
        client.things.list(max_retries=call_retries)
    assert len(recorder.requests) == attempts
    assert client.max_retries == client_retries


async def test_async_retries_keep_the_key_and_take_max_retries(
    api: Package, sleeps: list[float]
) -> None:
    recorder = Recorder(_script(_status(500), _status(500), _status(204)))
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    async with api.module.AsyncClient(api_key=KEY, http_client=http, max_retries=0) as client:
        await client.things.create(name="lamp", max_retries=2)
    assert len({r.headers["idempotency-key"] for r in recorder.requests}) == 1
    assert len(recorder.requests) == 3 and len(sleeps) == 2


# -- missing credentials ---------------------------------------------------------------------


def test_missing_credentials_name_every_alternative(api: Package) -> None:
    client, recorder = _client(api, api_key=None)
    with pytest.raises(api.errors.MissingCredentialsError) as info:
        client.things.list()
    prefix = _prefix(api)
    assert str(info.value) == (
        f"things.list needs credentials: pass api_key= or set {prefix}_API_KEY;"
        f" or pass bearer_token= or set {prefix}_BEARER_TOKEN"
    )
    assert isinstance(info.value, api.errors.ParameterError)
    assert recorder.requests == []


def test_missing_basic_credentials(api: Package) -> None:
    client, recorder = _client(api, bearer_token=TOKEN)
    with pytest.raises(api.errors.MissingCredentialsError) as info:
        client.basic.only()
    prefix = _prefix(api)
    assert str(info.value) == (
        f"basic.only needs credentials: pass username= and password="
        f" or set {prefix}_USERNAME and {prefix}_PASSWORD"
    )
    assert KEY not in str(info.value) and TOKEN not in str(info.value)
    assert KEY not in repr(client) and TOKEN not in repr(client)
    assert recorder.requests == []
    client, recorder = _client(api, username="ann", password="pw")
    client.basic.only()
    assert recorder.last.headers["authorization"].startswith("Basic ")


def test_all_schemes_of_an_alternative_are_needed(api: Package) -> None:
    client, recorder = _client(api)
    with pytest.raises(api.errors.MissingCredentialsError, match=r"pass api_key= and \w+= or set"):
        client.both.key_and_query()
    assert recorder.requests == []


def test_optional_or_no_security_does_not_fail(api: Package) -> None:
    client, recorder = _client(api, api_key=None)
    client.public.ping()
    client.maybe.maybe()
    assert len(recorder.requests) == 2
    assert "x-api-key" not in recorder.last.headers


def test_credentials_from_the_environment_satisfy(
    api: Package, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"{_prefix(api)}_BEARER_TOKEN", TOKEN)
    client, recorder = _client(api, api_key=None)
    client.things.list()
    assert recorder.last.headers["authorization"] == f"Bearer {TOKEN}"


def test_a_credential_the_caller_sends_itself_satisfies(api: Package) -> None:
    client, recorder = _client(api, api_key=None, default_headers={"X-API-Key": KEY})
    client.things.list()
    client.things.list(extra_headers={"Authorization": f"Bearer {TOKEN}"})
    assert len(recorder.requests) == 2
    http = httpx.Client(auth=("ann", "pw"),
                        transport=httpx.MockTransport(lambda r: httpx.Response(204)))
    assert api.module.Client(http_client=http).basic.only() is None


async def test_async_missing_credentials(api: Package) -> None:
    client, recorder = api.async_client()
    with pytest.raises(api.errors.MissingCredentialsError, match="things.list needs credentials"):
        await client.things.list()
    assert recorder.requests == []


# -- types -----------------------------------------------------------------------------------


def test_generated_signatures_pass_mypy_strict(api: Package) -> None:
    usage = api.out / f"use_{api.name}.py"
    usage.write_text(textwrap.dedent(f"""\
        from __future__ import annotations

        from {api.name} import AsyncClient, Client


        def use(client: Client) -> None:
            client.things.list(max_retries=0, timeout=1.0)
            client.things.create(name="n", idempotency_key="k", max_retries=5)
            Client(region="us", base_path="v2")


        async def use_async(client: AsyncClient) -> None:
            await client.uploads.upload(max_retries=None)


        def wrong() -> None:
            Client(region="mars")
        """), encoding="utf-8")
    result = mypy_strict(api.out, api.name, usage.name)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and '"region"' in lines[0] and "Client" in lines[0], result.stdout


def test_readme_and_docstring_describe_servers_and_retries(api: Package) -> None:
    readme = api.text("README.md")
    assert "`region= for {region} (one of eu, us, default eu)`" in readme
    assert "Sent to `https://uploads.example.com/{region}` (unless you give a base URL)." in readme
    assert "receives every call" in readme and "`max_retries=`" in readme
    doc = api.module.Client.__doc__ or ""
    assert "region= for {region} (one of eu, us, default eu)" in doc
    assert "base_path= for {basePath} (default v1)" in doc
