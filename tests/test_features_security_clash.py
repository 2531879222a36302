"""A security requirement that needs two schemes sent in one header (HTTP basic and OAuth2,
both `Authorization`) cannot be met by any request: the generator says so where it is."""

from __future__ import annotations

from pathlib import Path

from feature_support import build, warnings_of

SPEC = """\
openapi: 3.0.3
info: {title: Clash, version: '1'}
servers: [{url: 'https://clash.example.com'}]
security: [{basic: [], oauth: []}]
paths:
  /either:
    get:
      security: [{basic: []}, {oauth: []}, {key: [], oauth: []}]
      responses: {'204': {description: none}}
  /both:
    get:
      responses: {'204': {description: none}}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://clash.example.com/t', scopes: {}}}}
    key: {type: apiKey, in: header, name: X-Key}
"""


def test_two_schemes_in_one_header_are_named_once_at_the_requirement(tmp_path: Path) -> None:
    result, _ = build(tmp_path, "clash", SPEC)
    found = [d for d in warnings_of(result.diagnostics) if "security requirement" in d.message]
    assert [(d.pointer, d.line) for d in found] == [("/security", 4)]
    assert "'basic' and 'oauth'" in found[0].message and "Authorization header" in found[0].message
    assert found[0].hint and "alternatives" in found[0].hint
