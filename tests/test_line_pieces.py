"""Lines of pointers found from the one entry that holds them (line_pieces.py) are the lines
composing the whole text gives, for every pointer of a text with the odd corners YAML has;
what the cut cannot vouch for is left to the whole text."""

from __future__ import annotations

from pathlib import Path

from generator.line_pieces import Lines
from generator.sources import Document

TEXT = """\
openapi: 3.0.3   # a comment
info:
  title: Odd
  version: '1'
paths:
  /pets/{id}:
    # a comment line between entries
    get:
      summary: "a: quoted: colon"
      parameters:
        - name: id
          in: path
          schema: {type: string}
      responses:
        '200':
          description: |
            A block scalar
            over lines
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
  "/quoted: path":
    post:
      responses:
        default: {description: flow}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: &name
          type: string
        nick: *name
        "a/b~c": {type: integer}
    'Quoted Name':
      type: array
      items:
        - type: string
    Empty: {}
    Anchored: &shared
      type: string
  parameters:
    Limit:
      name: limit
      in: query
      schema:
        type: integer
x-tail: [1, 2]
"""


def _expected(whole: dict[str, int], pointer: str) -> int | None:
    line = whole.get(pointer)
    if line is None and pointer:
        return _expected(whole, pointer.rsplit("/", 1)[0])
    return line


def test_every_pointer_gets_the_line_the_whole_text_gives() -> None:
    whole = Document(Path("odd.yaml"), "odd", None, TEXT, "yaml")._lines
    lines = Lines(TEXT)
    pointers = [*whole, *(p + "/missing/deeper" for p in whole), "/paths/~1none", "/components/schemas/None/x"]
    answered = 0
    for pointer in pointers:
        found = lines.line_of(pointer)
        if found is not None:
            answered += 1
            assert found == _expected(whole, pointer), pointer
    assert answered > len(pointers) * 0.9  # nearly all without composing the whole text
    assert lines.line_of("/components/schemas/Pet/properties/nick") == TEXT.splitlines().index("        nick: *name") + 1


def test_what_the_cut_cannot_vouch_for_is_left_to_the_whole_text() -> None:
    across = TEXT.replace("    Empty: {}", "    Empty: *shared")  # an alias to another entry's anchor
    assert Lines(across).line_of("/components/schemas/Empty/type") is None
    assert Lines(TEXT).line_of("") is None  # the root
    assert Lines("a: 1\r\nb: 2\r\n").line_of("/b") is None  # unusual line breaks
    flow = "components: {schemas: {Pet: {type: object}}}\n"
    assert Lines(flow).line_of("/components/schemas/Pet/type") is None


def test_a_large_document_reports_lines_from_its_pieces(tmp_path: Path) -> None:
    """Document.line_of takes the fast way for a large YAML text, and gives the same lines."""
    entries = "".join(f"    S{i}:\n      type: object\n      description: {'x' * 200}\n" for i in range(1200))
    text = TEXT.replace("\n  parameters:\n", "\n" + entries + "  parameters:\n", 1)
    doc = Document(tmp_path / "big.yaml", "big", None, text, "yaml", first_line=3)
    assert doc._pieces is not None
    expected = text.splitlines().index("    S700:") + 1 + 2
    assert doc.line_of("/components/schemas/S700/description") == expected + 2
    assert doc.line_of("/components/schemas/S700/nothing/here") == expected
    assert "_lines" not in vars(doc)  # the whole text was never composed
