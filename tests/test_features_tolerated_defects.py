"""Defects generation tolerates with a warning must give a client that does what was meant
(tests/hostile/ checks the warnings): a path variable with no parameter becomes one, a path
parameter absent from the template is left out, an optional path parameter is required,
`properties: {$ref}` means the referenced schema's properties, repeated enum values and
invalid defaults are left out, an undefined server variable is a required argument."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from feature_support import Package, json_response, module_package, warnings_of

SPEC = """\
openapi: 3.0.3
info: {title: Tolerated, version: '1'}
servers: [{url: 'https://{region}.example.com'}]
tags:
  - {name: droplets, description: {text: not text}}
paths:
  /droplets/{droplet_id}/actions/{action}:
    get:
      operationId: get_action
      parameters:
        - {name: action, in: path, required: false, schema: {type: string}}
        - {name: ghost, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Droplet'}
components:
  schemas:
    Droplet:
      type: object
      properties:
        $ref: '#/components/schemas/DropletFields'
    DropletFields:
      type: object
      properties:
        id: {type: integer}
        status: {type: string, enum: [new, active, new], default: gone}
        size: {type: integer, default: large}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from module_package(tmp_path_factory, "tolerated", SPEC)


def test_every_tolerated_defect_is_a_warning(api: Package) -> None:
    pointers = {d.pointer for d in warnings_of(api.diagnostics)}
    assert pointers >= {
        "/servers/0/url", "/tags/0/description", "/paths/~1droplets~1{droplet_id}~1actions~1{action}/get",
        "/paths/~1droplets~1{droplet_id}~1actions~1{action}/get/parameters/0/required",
        "/paths/~1droplets~1{droplet_id}~1actions~1{action}/get/parameters/1",
        "/components/schemas/Droplet/properties/$ref", "/components/schemas/DropletFields/properties/status/enum/2",
        "/components/schemas/DropletFields/properties/status/default",
        "/components/schemas/DropletFields/properties/size/default",
    }


def test_the_client_sends_what_was_meant(api: Package) -> None:
    body = {"id": 7, "status": "active", "size": 2}
    client, recorder = api.client(json_response(200, body), region="eu")
    droplet = client.droplets.actions.get("reboot", "d1")  # declared path parameters first, then added ones
    assert recorder.last.url == "https://eu.example.com/droplets/d1/actions/reboot"
    assert (droplet.id, droplet.status, droplet.size) == (7, "active", 2)
    assert api.models.DropletFields().status is None and api.models.DropletFields().size is None
