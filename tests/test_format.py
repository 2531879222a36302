"""Formatting in pieces (generator/chunks.py) gives byte for byte what black gives for the
whole file: for every file of the golden clients, for corpus sample documents, and for
hand-made modules holding the layouts where black's blank-line rule looks at context."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import black
import pytest

from generator import chunks, pipeline
from generator import format as fmt
from tests.feature_support import black_cache

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "corpus_sample"
SAMPLE_DOCUMENTS = (
    "readmeio-oas-examples/3.0/yaml/star-trek.yaml",
    "readmeio-oas-examples/3.0/yaml/discriminators.yaml",
    "readmeio-oas-examples/3.1/yaml/train-travel.yaml",
    "datamodel-code-generator/tests/data/openapi/allof.yaml",
)
MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=fmt.LINE_LENGTH)


def _whole(source: str) -> str:
    return black.format_str(source, mode=MODE)


def _unformatted(specs: Path) -> dict[str, str]:
    result = pipeline.build(specs, specs.parent, format_code=False)
    assert result.ok, [d.message for d in result.diagnostics]
    return {f"{name}/{path}": text for name, built in result.clients.items()
            for path, text in built.files.items() if path.endswith(".py")}


def _check_files(sources: dict[str, str], cache: Path) -> int:
    """Each file through the pipeline's formatter (cold cache) equals black on the whole file."""
    with black_cache(cache):
        formatted = fmt.format_all(sources)
    cut = 0
    for name, source in sources.items():
        assert formatted[name] == _whole(source), name
        cut += len(chunks.split(source)) > 1
    return cut


def test_golden_clients_format_in_pieces_as_black_formats_them_whole(tmp_path: Path) -> None:
    sources = _unformatted(ROOT / "specs")
    assert _check_files(sources, tmp_path / "cache") >= 10, "the files were not cut into pieces"


def test_golden_files_on_disk_are_what_black_makes_of_them() -> None:
    files = sorted((ROOT / "generated").rglob("*.py"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _whole(text) == text, path


@pytest.mark.parametrize("document", SAMPLE_DOCUMENTS)
def test_corpus_documents_format_in_pieces_as_black_formats_them_whole(document: str, tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(SAMPLE / document, specs / Path(document).name)
    assert _check_files(_unformatted(specs), tmp_path / "cache") >= 1


def test_a_warm_cache_reformats_only_the_changed_definition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = "".join(f"class Model{i}(Base):\n    field_{i}: int = {i}\n\n\n" for i in range(50))
    with black_cache(tmp_path / "cache"):
        first = fmt.format_all({"m.py": source})["m.py"]
        seen: list[str] = []
        real = fmt.format_python
        monkeypatch.setattr(fmt, "format_python", lambda text, name="": seen.append(text) or real(text, name))
        edited = source.replace("field_7: int = 7", "field_7: int   =   77")
        second = fmt.format_all({"m.py": edited})["m.py"]
    assert first == _whole(source)
    assert second == _whole(edited)
    assert seen == ["class Model7(Base):\n    field_7: int   =   77\n\n\n"]


# Layouts where black's blank lines depend on what stands before: each is formatted whole
# and in pieces. A cut in the wrong place shows up as a difference.
TRICKY = {
    "overloads without blank lines": """
        from typing import overload
        @overload
        def f(x: int) -> int: ...
        @overload
        def f(x: str) -> str: ...
        def f(x): return x
        class C:
            @overload
            def g(self, x: int) -> int: ...
            @overload
            def g(self, x: str) -> str: ...
            def g(self, x): return x
            def h(self): pass
            def i(self): ...
            x = 1
        y = 2
        """,
    "comments between definitions": """
        import os
        def a():
            return 1
            # trailing comment, deeper
        # leading comment
        def b():
            pass



        # detached comment

        def c():
            pass
        def plain():
            pass
        class D:
            def m(self):
                pass
            def m2(self):
                pass
            # comment before a method
            def n(self):
                pass

            # after a blank line
            def o(self):
                pass
        """,
    "class docstrings and attributes": '''
        """Module docstring."""
        import os
        class A:
            """Doc."""
            def m(self): return 1
            x: int = 1
            def n(self): return 2
        class B:
            """Doc only."""
        X = 1
        class E(Exception): pass
        def after_stub(): return 1
        "a string after a def"
        def last():
            return (
              1 ,
            )
        ''',
    "decorators, async and blocks": """
        import functools
        @functools.cache
        def a(): return 1
        async def b():
            await c()
        if a:
            def d(): pass
        else:
            def d(): return 2
        class K:
            @property
            def p(self): return 1
            @p.setter
            def p(self, v): pass
            class Inner:
                def q(self): pass
            async def r(self):
                return [  1,2,3, ]
        try:
            import x
        except ImportError:
            x = None
        def z(): pass
        """,
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_layouts_format_in_pieces_as_whole(name: str, tmp_path: Path) -> None:
    source = textwrap.dedent(TRICKY[name]).lstrip("\n")
    pieces = chunks.split(source)
    assert len(pieces) > 2, "nothing was cut: the test would prove nothing"
    assert chunks.join(pieces, [_whole(p.source) for p in pieces]) == _whole(source)
    with black_cache(tmp_path / "cache"):
        assert fmt.format_all({"m.py": source})["m.py"] == _whole(source)


def test_modules_black_could_read_differently_in_pieces_are_not_cut() -> None:
    for source in ("def a():\n\tpass\ndef b(): pass\n", "# fmt: off\ndef a(): pass\ndef b(): pass\n",
                   "def a(): pass\r\ndef b(): pass\r\n", "def a(:\n",
                   # NEL / U+2028 in a comment: a line break to str.splitlines, not to ast
                   "def a(): pass  # x\x85y\ndef b(): pass\n", "# \u2028\ndef a(): pass\ndef b(): pass\n"):
        assert len(chunks.split(source)) == 1, source
