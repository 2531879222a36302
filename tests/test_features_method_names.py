"""Method names from operationIds that case alone cannot split, seen as a user calls them.

An id typed as a sentence without spaces (`CreateanAPIkeyforaserviceaccount`) is cut into the
words the operation's own summary and path spell; an acronym is kept whole where that text
has it (`APIkey`: `api_key`, not `ap_ikey`); an id too little of which is known gives way
to the summary. Well-formed camelCase ids keep their usual split.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from feature_support import Package, calls_of, method_of, module_package

OK = "{'204': {description: none}}"


def _op(method: str, operation_id: str, summary: str, params: str = "[]") -> str:
    return (f"    {method}: {{operationId: {operation_id}, summary: {summary!r}, parameters: {params}, "
            f"responses: {OK}}}\n")


def _ids(*names: str) -> str:
    return "[" + ", ".join(f"{{name: {n}, in: path, required: true, schema: {{type: string}}}}" for n in names) + "]"


SPEC = (
    "openapi: 3.1.0\ninfo: {title: Names, version: '1'}\nservers: [{url: 'https://names.test'}]\npaths:\n"
    "  /projects/{p}/service_accounts/{s}/api_keys:\n"
    + _op("post", "CreateanAPIkeyforaserviceaccount", "Creates an API key for a service account.", _ids("p", "s"))
    + "  /projects/{p}/service_accounts/{s}:\n"
    + _op("get", "getServiceAccount", "Get one.", _ids("p", "s"))
    + "  /organization/spend_limit:\n"
    + _op("get", "Getorganizationspendlimit", "Get the organization's hard spend limit.")
    + "  /credentials:\n"
    + _op("get", "getAPIkey", "Get an API key.")
    + _op("post", "listAPIs", "Every API.")
    + "  /pages/{id}/http:\n"
    + _op("get", "getHTTPResponse", "The HTTP response.", _ids("id"))
    + "  /oauth/token:\n"
    + _op("post", "Xyzzyplughfoobarbazquxcorge", "Create token.")
    + "  /threads/{t}/runs/{r}/submit_tool_outputs:\n"
    + _op("post", "submitToolOuputsToRun", "Submit.", _ids("t", "r"))
    + "  /threads/{t}/runs/{r}:\n"
    + _op("get", "getRun", "A run.", _ids("t", "r"))
)

CALLS = {
    "projects.service_accounts.create_api_key": ("POST", "/projects/1/service_accounts/2/api_keys"),
    "projects.service_accounts.get": ("GET", "/projects/1/service_accounts/2"),
    "organization.get_spend_limit": ("GET", "/organization/spend_limit"),
    "credentials.get_api_key": ("GET", "/credentials"),
    "credentials.list_apis": ("POST", "/credentials"),
    "pages.get_http_response": ("GET", "/pages/1/http"),
    "oauth.create_token": ("POST", "/oauth/token"),  # nothing of the id is known: the summary
    "threads.runs.submit_tool_ouputs": ("POST", "/threads/1/runs/2/submit_tool_outputs"),  # no `to`
    "threads.runs.get": ("GET", "/threads/1/runs/2"),
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "method_names", SPEC)


def test_each_operation_has_the_name_its_words_give(api: Package) -> None:
    client, recorder = api.client()
    assert calls_of(client) == set(CALLS)
    for call, (method, path) in CALLS.items():
        arguments = [part for part in path.split("/") if part in ("1", "2")]
        method_of(client, call)(*arguments)
        assert (recorder.last.method, recorder.last.url.path) == (method, path), call
