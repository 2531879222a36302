"""Keywords beside a `$ref` that narrow it: `{$ref: Status, const: active}` (3.1 applies
siblings of $ref, and 3.0 documents write them meaning the same) accepts only what is listed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from feature_support import Package, module_package, mypy_strict

SPEC = """\
openapi: 3.0.3
info: {title: Siblings, version: '1'}
servers: [{url: 'https://siblings.example.com'}]
paths:
  /items:
    get:
      operationId: list_items
      parameters:
        - {name: status, in: query, required: true, schema: {$ref: '#/components/schemas/Status', const: active}}
        - {name: sort, in: query, schema: {$ref: '#/components/schemas/Status', enum: [asc, desc]}}
      responses: {'204': {description: none}}
components:
  schemas:
    Status: {type: string}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "siblings", SPEC)


def test_const_and_enum_beside_a_ref_narrow_what_is_sent(api: Package) -> None:
    client, recorder = api.client()
    client.items.list(status="active", sort="desc")
    assert recorder.last.url.params["status"] == "active" and recorder.last.url.params["sort"] == "desc"
    for bad in ({"status": "closed"}, {"status": "active", "sort": "up"}):
        with pytest.raises(api.errors.ParameterError):
            client.items.list(**bad)
    assert not recorder.requests[1:]


def test_narrowed_parameters_are_literals_for_type_checkers(api: Package) -> None:
    assert 'status: Literal["active"]' in api.text("resources/items.py")
    done = mypy_strict(api.out, api.name)
    assert done.returncode == 0, done.stdout + done.stderr
