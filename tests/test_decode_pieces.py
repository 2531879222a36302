"""Decoding a YAML document in pieces (generator/decode_pieces.py) gives exactly what decoding
it whole gives, or nothing (the caller then decodes it whole): never a different document."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator import decode_pieces
from generator.decode import DecodeError, decode

ROOT = Path(__file__).resolve().parent.parent

PLAIN = """\
openapi: 3.0.3
info:
  title: Pieces
  version: "1"
paths:
  /pets/{id}:
    get:
      operationId: getPet
      responses:
        200:
          description: ok
    parameters:
    - name: id
      in: path
components:
  schemas:
    Pet:
      type: object
      description: |
        Not a key: at all
        name: text in a block scalar
    'Quoted':
      type: string
    "Dq": {type: string}
    Empty:
"""


def _whole(text: str) -> object:
    try:
        return decode(text, "yaml")
    except DecodeError as exc:
        return f"error: {exc.message}"
    except Exception as exc:  # noqa: BLE001 - a YAML error: the pieces must not give a document
        return f"error: {type(exc).__name__}"


def _same_or_none(text: str) -> object:
    """What the pieces give; asserts it is the whole text's document when it is anything."""
    found = decode_pieces.decode(text, {})
    if found is not None:
        assert found[0] == _whole(text)
        assert list(found[0]) == list(_whole(text))  # key order too
    return found


def test_a_plain_document_is_decoded_in_pieces_as_a_whole() -> None:
    found = _same_or_none(PLAIN)
    assert found is not None
    data, pieces = found
    assert data["paths"]["/pets/{id}"]["get"]["responses"] == {"200": {"description": "ok"}}
    assert len(pieces) > 5  # cut into pieces, down to the schemas


def test_an_edit_reuses_the_other_pieces_and_gives_the_edited_document() -> None:
    _, pieces = decode_pieces.decode(PLAIN, {}) or ({}, {})
    edited = PLAIN.replace("type: string\n    \"Dq\"", "type: integer\n    \"Dq\"")
    reused = decode_pieces.decode(edited, pieces)
    assert reused is not None and reused[0] == decode(edited, "yaml")
    assert len(set(reused[1]) - set(pieces)) == 1  # one piece decoded anew


def test_a_stale_piece_under_a_known_digest_is_what_is_used() -> None:
    """Pieces are found by the digest of their text: a known piece is taken as decoded."""
    _, pieces = decode_pieces.decode(PLAIN, {}) or ({}, {})
    assert pieces
    for decoded in pieces.values():
        assert isinstance(decoded, dict) and len(decoded) == 1


TRICKY = {
    "alias to another piece": """\
        components:
          schemas:
            A: &shared
              type: string
            B: *shared
        """,
    "alias inside a piece": """\
        components:
          schemas:
            A:
              x: &s {type: string}
              y: *s
        """,
    "merge key at a cut level": """\
        base: &b {a: 1}
        top:
          <<: *b
          c: 2
        """,
    "quoted scalar running into the next entry": """\
        components:
          schemas:
            A:
              description: "starts here
            B: and goes on"
        """,
    "duplicate key at a cut level": """\
        components:
          schemas:
            A: {type: string}
            A: {type: integer}
        """,
    "duplicate top-level key": "a: 1\nb: 2\na: 3\n",
    "document markers": "---\na: 1\n...\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "directive": "%YAML 1.2\n---\na: 1\n",
    "tab indentation": "a:\n\tb: 1\n",
    "carriage returns": "a:\r\n  b: 1\r\n",
    "complex key": "? [a, b]\n: 1\nc: 2\n",
    "top-level sequence": "- a\n- b\n",
    "scalar document": "just text\n",
    "empty document": "",
    "comments everywhere": "# head\na:  # after\n  # inside\n  b: 1\n# tail\nc: 2\n",
    "compact sequence": "a:\n- 1\n- 2\nb:\n  c:\n  - x\n",
    "int and bool keys": "responses:\n  200: {d: ok}\n  true: x\n  null: y\n",
    "leading zero and yes": "a:\n  zip: 02134\n  flag: yes\n  n: 0x1F\n",
    "under-indented flow": "a:\n  b: [1,\n  2]\n  c: 3\n",
    "plain scalar on the next line": "a:\n  multi\n  line\nb: 1\n",
    "deeper than the cut": "a:\n  b:\n    c:\n      d:\n        e: 1\n",
    "a key with a colon": "a:\n  'x: y': 1\n  http://example.com: 2\n  z:w: 3\n",
    "no final line break": "a:\n  b: 1",
    "tag": "a:\n  b: !!str 1\n  c: !!binary aGk=\n",
    "indented root": "  a: 1\n  b:\n    c: 2\n",
    "outdented line": "a:\n    b: 1\n  c: 2\n",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_a_tricky_document_gives_the_whole_texts_document_or_nothing(name: str) -> None:
    _same_or_none(textwrap.dedent(TRICKY[name]))


def test_the_pieces_of_an_alias_across_pieces_are_not_used() -> None:
    assert decode_pieces.decode(textwrap.dedent(TRICKY["alias to another piece"]), {}) is None
    assert decode_pieces.decode(textwrap.dedent(TRICKY["duplicate key at a cut level"]), {}) is None


def _yaml_specs() -> list[Path]:
    found = [p for folder in (ROOT / "specs", ROOT / "tests" / "corpus_sample")
             for p in sorted(folder.rglob("*")) if p.suffix in (".yaml", ".yml")]
    assert len(found) > 5
    return found


@pytest.mark.parametrize("path", _yaml_specs(), ids=lambda p: p.name)
def test_real_documents_decode_in_pieces_as_a_whole(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _same_or_none(text) is not None
