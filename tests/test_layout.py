"""The fast path of formatting (generator/layout.py) settles a piece without black only
where black would give the same text: checked against black for every piece it settles
in the golden clients and corpus sample documents, and shown refusing pieces black changes.
Pieces formatted many to a black call (generator/combine.py) come out as each would alone."""

from __future__ import annotations

import itertools
import shutil
import textwrap
from pathlib import Path

import black
import pytest

from generator import chunks, combine, layout, pipeline
from generator import format as fmt

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "corpus_sample"
MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=fmt.LINE_LENGTH)


def _black(source: str) -> str:
    return black.format_str(source, mode=MODE)


def _pieces(specs: Path) -> list[str]:
    result = pipeline.build(specs, specs.parent, format_code=False)
    assert result.ok, [d.message for d in result.diagnostics]
    return [piece.source for built in result.clients.values() for path, text in built.files.items()
            if path.endswith(".py") for piece in chunks.split(text)]


def _check_settled(pieces: list[str]) -> int:
    settled = 0
    for source in pieces:
        fast = layout.settled(source)
        if fast is not None:
            assert fast == _black(source), source
            settled += 1
    return settled


def test_every_piece_settled_in_the_golden_clients_is_what_black_makes_of_it() -> None:
    pieces = _pieces(ROOT / "specs")
    settled = _check_settled(pieces)
    assert settled > len(pieces) // 6, f"only {settled} of {len(pieces)} pieces settled without black"


@pytest.mark.parametrize("document", [
    "readmeio-oas-examples/3.0/yaml/star-trek.yaml",
    "readmeio-oas-examples/3.1/yaml/train-travel.yaml",
    "datamodel-code-generator/tests/data/openapi/allof.yaml",
])
def test_every_piece_settled_in_corpus_documents_is_what_black_makes_of_it(document: str, tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(SAMPLE / document, specs / Path(document).name)
    assert _check_settled(_pieces(specs)) > 0


SETTLED = {
    "fields, quotes made double": """
        class _C:
            kind: Literal['a', 'b'] | None = 'a'
            \"\"\"An attribute docstring, however long it is: black has no bracket to split it at, none at all.\"\"\"
            size: Annotated[int, Field(ge=0)] = 0
        """,
    "a local import, one blank line, returns": """
        class _C:
            def _f(self):
                from .resources.pets import Pets

                x = cached_resource(self, Pets)
                return await self._call(x, timeout=timeout)
        """,
    "quoted annotations": """
        class _C:
            balance: 'list[BalanceTransaction] | None' = None
            other: 'Other'
        """,
    "numbers as repr() writes them": """
        class _C:
            x: Annotated[float, Field(ge=-2, le=1.5, gt=1e-05)] | Literal[-1, 0.0] = -1
        """,
    "a method's signature, one parameter a line": """
        class _C:
            @overload
            def get(
                self,
                *,
                name: str | None = None,
                timeout: float = 5,
            ) -> models.Pet: ...
        """,
    "a method with its docstring": """
        class _C:
            def close(self) -> None:
                \"\"\"Close it.

                Args:
                    nothing: at all\"\"\"
        """,
    "a module's head: comments, docstring, imports, an exploded import and list, a block": """
        # Generated. Do not edit.
        \"\"\"Models.

        More text.
        \"\"\"

        import importlib
        from typing import TYPE_CHECKING, Any

        from ._models import (
            A,
            VeryLongNameThatDoesNotFitOnOneLineAtAllBecauseItGoesOnAndOnAndOnAndOnForeverAndEver,
        )

        if TYPE_CHECKING:  # a trailing comment
            from ._models.part_001 import (
                B,
            )
            from .x import y

        __all__ = [
            'A',
            'B',
        ]
        _known = _shared._known


        _PARTS: dict[str, str] = {
            'A': 'part_001',
        }
        """,
    "a call exploded one argument a line, with a dict, a tuple and a lambda": """
        class _C:
            def _f(self):
                return await self._call(
                    _endpoint(),
                    {
                        'id': id,
                    },
                    {},
                    security=(('basicAuth',), ('bearerAuth',)),
                    responses={
                        '200': ('json', models.Pet),
                    },
                    errors=lambda: {
                        'default': ('json', models.Error),
                    },
                    params=(
                        Param('a_long_name', 'aLongName', 'query', Annotated[str, Field()]),
                    ),
                    timeout=timeout,
                )
        """,
    "a decorator with a comment, a class of fields": """
        @cache  # built on first call
        def _endpoint() -> Endpoint[models.Pet]:
            return Endpoint(
                'GET',
                '/pets',
            )
        """,
}

# Each of these black changes; the fast path must leave it to black.
REFUSED = {
    "spaces around a keyword argument": "class _C:\n    x: int = f(a = 1)\n",
    "no space after an annotation colon": "class _C:\n    x:int = 1\n",
    "redundant parentheses": "x = (1)\n",
    "a magic trailing comma on one line": "x = f(a, b,)\n",
    "a line too long, nothing to split it at": "class _C:\n    x: " + "N" * 90 + " = None\n",
    "a parameter spaced as a keyword argument": "def f(\n    a: int=1,\n    b: int = 2,\n) -> None:\n    pass\n",
    "a docstring with a trailing space": 'class _C:\n    def f(self) -> None:\n        """Doc.\n\n        more """\n',
    "a statement right after a method": "class _C:\n    def i(self): ...\n    x = 1\n",
    "a hexadecimal number in capitals": "x = f(0XFF)\n",
    "a comparison": "class _C:\n    x = f(a==b)\n",
    "an exponent in capitals": "x = f(1E5)\n",
    "a keyword argument after a string": "x = f('a'= 1)\n",
    "a statement right after a local import": "class _C:\n    def f(self):\n        import a\n        x = 1\n",
    "two blank lines after a local import": "class _C:\n    def f(self):\n        import a\n\n\n        x = 1\n",
    "a return spaced twice": "class _C:\n    def f(self):\n        return  x\n",
    "a return in redundant parentheses": "class _C:\n    def f(self):\n        return (x)\n",
    "an exponent with a plus sign": "x = f(1e+5)\n",
    "a float without its leading zero": "x = f(.5)\n",
    "a unary minus spaced": "x = f(- 1)\n",
    "a subtraction unspaced": "x = f(a-1)\n",
    "an empty class docstring padding": 'class A(B):\n    """ A"""\n',
    "a one-tuple exploded, short enough to join": "f(\n    x=(\n        a,\n    ),\n    b=1,\n)\n",
    "a one-element index exploded": "x: A[\n    b,\n] = 1\n",
    "two blank lines after the imports": "import a\n\n\nx = 1\n",
    "a comment with one space before it": "x = 1 # c\n",
    "a comment without a space after its hash": "x = 1  #c\n",
    "a dict spaced before its colon": "x = {\n    'a' : 1,\n}\n",
    "a one-tuple spaced": "x = f((a, ))\n",
    "a call's arguments on one line, short enough to join": "f(\n    x=g(\n        a, b\n    ),\n    y=1,\n)\n",
    "a tuple's items on one line (black puts one a line)": "f(\n    x=(\n        " + ", ".join(["aaaaaaaaaa"] * 7) + "\n    ),\n    y=1,\n)\n",
}


@pytest.mark.parametrize("name", sorted(SETTLED))
def test_black_layout_is_settled_without_black(name: str) -> None:
    source = textwrap.dedent(SETTLED[name]).lstrip("\n")
    fast = layout.settled(source)
    assert fast is not None
    assert fast == _black(source)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_black_would_change_is_left_to_black(name: str) -> None:
    source = REFUSED[name]
    assert _black(source) != source  # the sample is one black changes
    assert layout.settled(source) is None


def test_pieces_formatted_together_come_out_as_each_alone() -> None:
    pieces = [
        "class _C:\n    x: int=1\n",
        "class _C:\n    @property\n    def a(self)->int:\n        return 1\n",
        "class _C:\n    def b(self): ...\n\n\n",
        "class _C:\n    y = [1,2,\n    3]\n",
        "class _C:\n    def c(self):\n        x = 1\n\n\n        # a comment between statements\n\n        return x  # trailing\n",
        "class _C:\n    def d(self):\n        if x:\n            y = 1\n            # last in its block, not in the piece\n        return y\n",
        "class _C:\n    z = 1\n    # before a method\n\n\n    def e(self): pass\n",
    ]
    assert all(combine._combinable(p, 1) for p in pieces)
    together = combine.format_unit(pieces, _black)
    assert together == [_black(p) for p in pieces]
    for alone in ("class _C:\n    # first\n    x = 1\n", "class _C:\n    x = 1\n    # last\n"):
        assert not combine._combinable(alone, 1)


def test_lines_too_long_left_to_black_are_split_by_black_in_place(tmp_path: Path) -> None:
    from tests.feature_support import black_cache

    long_type = " | ".join(f"models.Variant{i}" for i in range(8))
    source = (
        "class Pet(Base):\n"
        "    \"\"\"A pet.\"\"\"\n\n"
        f"    kind: Annotated[{long_type}, Field(discriminator='kind')] | None = Field(default=None)\n"
        "    \"\"\"Its kind.\"\"\"\n"
        f"    owner: '{long_type} | None' = None\n"
        "    name: str\n\n"
        "    def update(\n"
        "        self,\n"
        "        *,\n"
        f"        kind: {long_type} | None = f(None),\n"
        "        name: str | None = None,\n"
        "    ) -> None:\n"
        "        \"\"\"Update it.\"\"\"\n"
        "        return self._call(kind, name)\n"
    )
    pieces = chunks.split(source)
    holes = [line for piece in pieces for line in layout.shaped(piece.source) or [] if isinstance(line, layout.Hole)]
    assert {hole.kind for hole in holes} == {"statement", "parameter"}
    with black_cache(tmp_path / "cache"):
        assert fmt.format_all({"m.py": source})["m.py"] == _black(source)


def test_calls_laid_out_by_wrap_are_black_layout_and_settled() -> None:
    """generator/wrap.py writes a call as black would split it (one line, the arguments on
    one line, or one a line with a dict argument exploded): the fast path keeps each as it
    is, and black gives the same text, at every width."""
    from generator import wrap

    settled = 0
    for width in range(1, 60, 3):
        name = "n" * width
        param = [repr(name), repr(name.upper()), "'query'", "Annotated[str, Field(max_length=5000)]"]
        styles = wrap.Mapping("styles", tuple((repr(f"{name}_{i}"), "('deepObject', True)") for i in range(3)))
        body = ["'application/x-www-form-urlencoded'", "'form'", f"models.{name.title()}Body", styles]
        source = (
            "def _endpoint() -> Endpoint[models.Pet]:\n"
            "    return Endpoint(\n"
            "        'GET',\n"
            "        params=(\n"
            f"            {wrap.call(param, 'Param', 12)}\n"
            f"            {wrap.call(param[:2], 'Param', 12)}\n"
            "        ),\n"
            f"        {wrap.call(body, 'body=Body', 8)}\n"
            "    )\n"
        )
        fast = layout.settled(source)
        if fast is not None:
            assert fast == _black(source), source
            settled += 1
        else:
            assert _black(source) != source or width > 40, source  # left to black: only where needed
    assert settled >= 15


@pytest.mark.parametrize("kind", ["statement", "parameter"])
def test_long_fields_and_parameters_split_as_black_splits_them(kind: str) -> None:
    """generator/layout_split.py gives black's lines for a field or parameter too long for
    its line, at every width of the names in it, or leaves it to black (None)."""
    from generator import layout_split

    shapes = [
        "{n}: NotRequired[{m}Body | {m}BodyParam | None]",
        "{n}: {m}Maximum | None = None",
        "{n}: Annotated[{m}Variant1 | Annotated[Literal[\"\"] | str, _known], WrapValidator(_known_first)] | None = None",
        "{n}: list[Annotated[Literal[\"balances\", \"ownership\", \"{m}\"] | str, _known]]",
        "{n}: Annotated[Literal[\"financial_connections.account\"] | str, _known] = \"{m}\"",
        "{n}: Sequence[{m}Item | {m}ItemParam] | None | NotGiven = NOT_GIVEN",
        "{n}: {m}Holder | {m}HolderParam",
        "{n}: list[{m}ReceiptItem] | None = None",
        "{n}: NotRequired[{m}{m}Aba | {m}{m}AbaParam | None]",
        "{n}: {m}{m}Connections | None = None",
        "{n}: NotRequired[Annotated[{m}{m}Address | Annotated[Literal[\"\"] | str, _known], WrapValidator(_known_first)] | None]",
        "{n}: Literal[\"{m}{m}\", \"b\"] | None = None",
    ]
    indent = 4 if kind == "statement" else 8
    split = 0
    for shape in shapes:
        for width in range(4, 80, 5):
            text = shape.format(n="f" * (width % 23 + 1), m="M" * width) + ("," if kind == "parameter" else "")
            if indent + len(text) <= fmt.LINE_LENGTH:
                continue
            lines = layout_split.split(kind, indent, text)
            if lines is None:
                continue
            black_lines = combine.hole_results(kind, indent, _black(combine.hole_source(kind, indent, [text])), 1)
            assert black_lines == ["\n".join(lines)], text
            split += 1
    assert split > 40


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_long_return_annotations_split_as_black_splits_them(depth: int) -> None:
    """A def split one parameter a line whose `) -> X[...]:` is too long: layout.py (through
    layout_split.returns) gives black's lines at every width, or leaves the def to black."""
    shapes = [
        "SyncPage[models.{m}, models.{m}Response]",
        "Annotated[models.{m} | models.Deleted{m}, WrapValidator(models._known_first)]",
        "dict[str, Annotated[{m} | None, WrapValidator(_known_first), Field(max_length=5)]]",
        "list[models.{m}]",
        "list[models.{m} | models.{m}Param]",
        "list[models.{m}] | None",
        "AsyncIterator[tuple[models.{m}, models.Other{m}]]",
        "{m}[int]",
        "Annotated[Literal['a', 'b', '{m}'], Field(max_length=5)]",
        "models.{m}",
        "models.{m}One | models.{m}Two",
        "Stream[models.{m}Event] | Annotated[models.{m}A | models.{m}B, WrapValidator(models._known_first)]",
        "list[Annotated[models.{m}A | models.{m}B | None, WrapValidator(x)]] | None",
        "Literal['a', '{m}'] | None",
        "SyncPage[models.{m}] | AsyncPage[models.{m}] | None",
    ]
    indent = "    " * depth
    wrapper = chunks.WRAPPERS[depth]  # as chunks.py cuts a method or a nested def
    settled = 0
    for shape, stub in itertools.product(shapes, ["", " ..."]):
        for width in range(10, 120, 3):
            returns = shape.format(m="M" * width)
            body = "" if stub else f"{indent}    return 1\n"
            source = f"{wrapper}{indent}def f(\n{indent}    self,\n{indent}    x: int,\n{indent}) -> {returns}:{stub}\n{body}"
            fast = layout.settled(source)
            if fast is not None:
                assert fast == _black(source), source
                settled += len(indent) + len(f") -> {returns}:{stub}") > fmt.LINE_LENGTH
    assert settled > 60


def test_long_from_imports_are_rendered_as_black_explodes_them() -> None:
    from generator.lower import pytypes

    for width in range(1, 120, 7):
        local = [f"from .part_{n:03} import " + ", ".join(f"{'N' * width}{i}" for i in range(n)) for n in range(1, 6)]
        source = "\n".join(pytypes.import_lines({"Any"}, package="..", extra_local=local)) + "\n"
        assert layout.settled(source) == _black(source) == source, source


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_long_defs_without_parameters_split_as_black_splits_them(depth: int) -> None:
    """`def name() -> X:` too long: its annotation in parentheses when it fits on its own
    line (layout_split.bare_returns); else left to black, whose choice is not by length."""
    shapes = [
        "Endpoint[models.{m}]",
        "Endpoint[Annotated[models.{m} | models.Bank, WrapValidator(models._known_first)]]",
        "Endpoint[SyncPage[models.{m}, models.{m}Response]]",
        "{m}",
        "list[{m}] | None",
        "Endpoint[Literal['a', '{m}']]",
        "'{m}'",
        "Endpoint[Annotated[models.{m}One | models.{m}Two | models.Three, WrapValidator(models._known_first)]]",
        "Endpoint[models.{m}One | models.{m}Two]",
        "Endpoint[list[Annotated[models.A{m} | models.B{m} | None, WrapValidator(x)]] | None]",
        "models.{m}One | models.{m}Two | None",
        "Endpoint[dict[str, Annotated[{m} | None, WrapValidator(_known_first), Field(max_length=5)]]]",
    ]
    indent = "    " * depth
    settled = 0
    for shape, stub, name in itertools.product(shapes, ["", " ..."], ["f", "f" * 30]):
        for width in range(5, 110, 2):
            body = "" if stub else f"{indent}    return 1\n"
            line = f"{indent}def {name}() -> {shape.format(m='M' * width)}:{stub}"
            source = f"{chunks.WRAPPERS[depth]}{line}\n{body}"
            fast = layout.settled(source)
            if fast is not None:
                assert fast == _black(source), source
                settled += len(line) > fmt.LINE_LENGTH
    assert settled > 150


def test_items_too_long_in_exploded_brackets_split_as_black_splits_them() -> None:
    """An item of an exploded call or dict too long for its line: layout_blocks takes
    black's split of it (layout_split.inside), or leaves the piece to black."""
    items = [
        "Param('{m}', '{m}', 'query', Annotated[Literal['active', 'blocked', '{m}'] | str, models._known]),",
        "'200': ('json', Annotated[models.{m} | models.Bank | models.Source, WrapValidator(models._known_first)]),",
        "'200': ('json', models.{m}),",
        "f(x={m}, y=[1, 2, 3], z=Foo[{m}, int]),",
        "Annotated[models.{m} | models.Other{m}, WrapValidator(_known_first)],",
    ]
    settled = 0
    for item in items:
        for width in range(5, 90, 3):
            text = item.format(m="M" * width)
            opener = "{" if text.startswith("'200'") else "("
            source = f"x = call{opener}\n    {text}\n    other,\n{')' if opener == '(' else '}'}\n"
            if opener == "{":
                source = source.replace("    other,\n", "    'k': v,\n").replace("call{", "{")
            fast = layout.settled(source)
            if fast is not None:
                assert fast == _black(source), source
                settled += len(text) + 4 > fmt.LINE_LENGTH
    assert settled > 40


def test_long_class_lines_split_as_black_splits_them() -> None:
    settled = 0
    for bases, body in itertools.product(["TypedDict", "_Model, Generic[T]", "_Model", "Base, total=False"],
                                         ['    """Doc."""\n', "    x: int\n    y: str = 'a'\n"]):
        for width in range(40, 130):
            source = f"class {'N' * width}({bases}):\n{body}"
            fast = layout.settled(source)
            if fast is not None:
                assert fast == _black(source), source
                settled += len(source.split("\n")[0]) > fmt.LINE_LENGTH
    assert settled > 120


@pytest.mark.parametrize("indent", [0, 4])
def test_long_type_alias_values_split_as_black_splits_them(indent: int) -> None:
    """`X: TypeAlias = VALUE` too long (layout_split._value): at the value's own brackets,
    or in parentheses for a union of three or more, at every width; else left to black."""
    from generator import layout_split

    shapes = [
        "{n}: TypeAlias = Annotated[Literal['direct', 'programmatic', '{m}'] | str, _known]",
        ("{n}: TypeAlias = Annotated[Annotated[{m}Body, Tag('a')] | Annotated[{m}Error, Tag('error')]"
         " | Annotated[{m}Body | {m}Error, Tag('(no type)')] | Annotated[UnknownVariant, Tag('')],"
         " _discriminator('type', 'type', {{'a': 'a', 'error': 'error'}}, '(no type)')]"),
        "{n}: TypeAlias = {m}One | {m}Two | {m}Three",
        "{n}: TypeAlias = {m}One | {m}Two",
        "{n}: TypeAlias = dict[str, list[{m}] | None]",
        "{n}: TypeAlias = models.{m}[int, str]",
        "{n}: list[int] = Annotated[{m}, Field()]",
        "{n}: TypeAlias = Literal[{ms}]",
        ("{n}: TypeAlias = Annotated[Annotated[A, Tag('{m}.x')] | Annotated[B, Tag('b')] | C,"
         " _discriminator('type', 'type', {{'{m}.created': '{m}.created', 'b': 'b'}}, '(no type)')]"),
    ]
    split = 0
    for shape in shapes:
        for width in range(4, 90, 5):
            ms = ", ".join(f"'{'v' * (width // 3)}{i}'" for i in range(width // 4 + 1))
            text = shape.format(n="F" * (width % 17 + 1), m="M" * width, ms=ms).replace("'", '"')
            if indent + len(text) <= fmt.LINE_LENGTH:
                continue
            lines = layout_split.split("statement", indent, text)
            if lines is None:
                continue
            black_lines = combine.hole_results("statement", indent, _black(combine.hole_source("statement", indent, [text])), 1)
            assert black_lines == ["\n".join(lines)], text
            split += 1
    assert split > 50
