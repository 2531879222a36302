"""A document is lowered while it is validated (parse.begin, in a forked child where one can
be): what a build reports is what it reported when validation came first, and nothing
lowering finds in an invalid document is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import generator.lower.client
from generator import forked
from generator.diagnostics import Level
from tests.feature_support import build

INVALID = """\
openapi: 3.0.3
info: {title: Invalid, version: '1'}
paths:
  /x:
    get:
      responses:
        '200':
          content: {application/json: {schema: {type: string}}}
  /y:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Gone'}}}}
"""
VALID = """\
openapi: 3.0.3
info: {title: Valid, version: '1'}
paths:
  /x:
    get:
      operationId: getX
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string, pattern: '(?<=a)b'}}}}
"""


@pytest.fixture(autouse=True)
def _fork_small_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """These documents are small: forked only because this says they are large enough."""
    monkeypatch.setattr(forked, "LARGE", 0)


def _rendered(result: Any) -> list[str]:
    return [d.render() for d in result.diagnostics]


@pytest.mark.parametrize("text", [INVALID, VALID], ids=["invalid", "valid"])
def test_a_forked_validation_reports_what_a_serial_one_does(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert forked.can_fork()
    overlapped, _ = build(tmp_path / "a", "api", text, format_code=False)
    monkeypatch.setenv(forked.ENV, "1")
    serial, _ = build(tmp_path / "b", "api", text, format_code=False)
    assert [line.replace("/b/", "/a/") for line in _rendered(serial)] == _rendered(overlapped)
    assert list(serial.clients) == list(overlapped.clients)
    assert bool(overlapped.clients) is (text == VALID)


def test_an_invalid_document_reports_its_errors_whatever_lowering_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lower(spec: Any, found: list[Any], *_: Any) -> None:
        found.append(spec.diagnostic(Level.WARNING, "seen by lowering", "/paths"))
        raise KeyError("lowering an invalid document")

    monkeypatch.setattr(generator.lower.client, "lower", lower)
    result, _ = build(tmp_path, "api", INVALID, format_code=False)
    messages = [d.message for d in result.diagnostics]
    assert result.clients == {} and not result.ok
    assert any("description" in m for m in messages)  # the validation's error
    assert any("#/components/schemas/Gone" in m for m in messages)  # the $ref check's
    assert "seen by lowering" not in messages


def test_lowering_that_fails_on_a_valid_document_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lower(*_: Any) -> None:
        raise KeyError("a defect in lowering")

    monkeypatch.setattr(generator.lower.client, "lower", lower)
    with pytest.raises(KeyError, match="a defect in lowering"):
        build(tmp_path, "api", VALID, format_code=False)


def test_an_invalid_document_validated_at_once_is_not_lowered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where validation ran before lowering would start (no fork: a small document, another
    system), an invalid document is not lowered in vain: its errors come at once."""
    lowered: list[object] = []
    monkeypatch.setattr(generator.lower.client, "lower", lambda *args: lowered.append(args))
    monkeypatch.setenv(forked.ENV, "1")
    result, _ = build(tmp_path, "api", INVALID, format_code=False)
    assert not result.ok and lowered == []
    assert any("#/components/schemas/Gone" in d.message for d in result.diagnostics)
