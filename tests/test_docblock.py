"""Docstrings rendered in black's layout (generator/docblock.py): black, run on the same
text, changes nothing, and the fast path (layout.py) settles the piece without black."""

from __future__ import annotations

import random

import black
import pytest
from jinja2.filters import do_indent

from generator import docblock, layout
from generator import format as fmt
from generator.ir import docstring_body

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=fmt.LINE_LENGTH)

TEXTS = [
    "One line.",
    "Args:\n    pet_id: path parameter 'pet_id'\n    body: the whole request body",
    "Summary.\n\nArgs:\n    pet_id: path parameter 'pet_id'",
    "Deprecated.\n\nArgs:\n    x: " + "a very long description " * 4,
    "Ends in a long line " + "x" * 66 + "\nthat ends " + "y" * 74,
    "Ends in a line that only just fits with its quotes\n" + "z" * 77,
    "Ends in a line one too long with its quotes\n" + "z" * 78,
    '"Quoted" at both ends, "here"',
    'Multi\nline ending in a quote "x"',
    "Indented\n      deeper\n  less deep\n\n    and blank lines",
    "Unicode — “quotes” and ünïcödé\nsecond line " + "é" * 80,
    "Only a first line " + "w" * 90,
    "Args:\n  a: two spaces\n    b: four spaces",
    "A line separator\u2028inside, and\n\nblank lines\n\n\nbetween",
]


def _random_texts(count: int) -> list[str]:
    rng = random.Random(11)
    words = ["Args:", "x", "value", "a" * 30, "b" * 60, '"', "it's", "—", "", "    nested", "  two"]
    texts = []
    for _ in range(count):
        lines = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(1, 5))]
        text = "\n".join(line.rstrip() for line in lines).strip()
        if text:
            texts.append(text)
    return texts


@pytest.mark.parametrize("indent", [4, 8, 12])
def test_docstrings_are_rendered_as_black_writes_them(indent: int) -> None:
    for text in TEXTS:
        body = docblock.at(docstring_body(text), indent)
        source = _nested(indent) + " " * indent + '"""' + body + '"""\n'
        assert black.format_str(source, mode=MODE) == source, repr(text)


@pytest.mark.parametrize("indent", [4, 8])
def test_random_docstrings_are_blacks_layout_or_left_to_black(indent: int) -> None:
    """Where black's rule would not give its own output again (a quote padded at a line
    it then moves), the text is left as written, and black formats it."""
    left = 0
    for text in _random_texts(400):
        written = do_indent(docstring_body(text), indent)
        body = docblock.at(docstring_body(text), indent)
        source = _nested(indent) + " " * indent + '"""' + body + '"""\n'
        if body == written and black.format_str(source, mode=MODE) != source:
            left += 1
            continue
        assert black.format_str(source, mode=MODE) == source, repr(text)
    assert left < 40


def _nested(indent: int) -> str:
    return "class A:\n" + "".join(" " * level + "def f(self):\n" for level in range(4, indent, 4))


def test_text_black_treats_apart_is_left_as_written() -> None:
    """As Jinja's indent() writes it: black formats it (and left blank lines bare)."""
    for text in ["With a backslash \\ here\n\nand a blank line", "A\ttab", ""]:
        assert docblock.at(text, 8) == text.replace("\n", "\n        ").replace("\n        \n", "\n\n")


def test_class_docstrings_in_blacks_layout_are_settled_without_black() -> None:
    for text in TEXTS:
        source = f'class A(B):\n    """{docblock.at(docstring_body(text), 4)}"""\n'
        settled = layout.settled(source)
        assert settled == black.format_str(source, mode=MODE) == source, repr(text)


def test_method_docstrings_in_blacks_layout_are_settled_without_black() -> None:
    for text in TEXTS:
        body = docblock.at(docstring_body(text), 8)
        source = f'class _C:\n    def f(self) -> None:\n        """{body}"""\n'
        assert layout.settled(source) == black.format_str(source, mode=MODE) == source, repr(text)
