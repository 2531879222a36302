"""Compiled templates are kept in the cache (generator/render.py): a second environment
renders the same text from them, and a damaged entry is compiled again."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import render


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    render.environment.cache_clear()
    yield
    render.environment.cache_clear()


def _render_mine(tmp_path: Path) -> str:
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    (folder / "py.typed.j2").write_text("{% for n in names %}{{ n | py }}\n{% endfor %}")
    render.environment.cache_clear()
    return str(render.environment(folder).get_template("py.typed.j2").render(names=["a", "b'"]))


def test_templates_compile_once_and_render_the_same_from_the_cache(tmp_path: Path) -> None:
    first = _render_mine(tmp_path)
    entries = sorted((tmp_path / "cache" / "templates").rglob("*.cache"))
    assert entries, "nothing was kept"
    assert _render_mine(tmp_path) == first == "'a'\n\"b'\"\n"


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_a_damaged_entry_is_compiled_again(tmp_path: Path, damage: bytes | None) -> None:
    first = _render_mine(tmp_path)
    for entry in (tmp_path / "cache" / "templates").rglob("*.cache"):
        blob = entry.read_bytes()
        entry.write_bytes(blob[: len(blob) // 2] if damage is None else damage)
    assert _render_mine(tmp_path) == first


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    _render_mine(tmp_path)
    (tmp_path / "mine" / "py.typed.j2").write_text("changed {{ names | length }}")
    render.environment.cache_clear()
    assert render.environment(tmp_path / "mine").get_template("py.typed.j2").render(names=[1]) == "changed 1"
