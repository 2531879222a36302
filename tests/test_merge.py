"""Unit tests of generator/merge.py: one client from several documents, conflicts reported."""

from __future__ import annotations

import textwrap
from pathlib import Path

from generator import merge, sources
from generator.diagnostics import Diagnostic, Level

HEAD = """\
openapi: 3.1.0
info:
  title: Shop
  version: '1'
servers:
  - url: https://api.example.com
"""

PET_A = """\
    Pet:
      type: object
      properties:
        name:
          type: string
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _merge(specs: Path) -> tuple[merge.ClientSpec, list[Diagnostic]]:
    loaded = sources.load(specs)
    assert [d for d in loaded.diagnostics if d.level is Level.ERROR] == []
    groups = merge.group(loaded.documents)
    assert len(groups) == 1
    ((name, documents),) = groups.items()
    found: list[Diagnostic] = []
    return merge.merge(name, documents, found), found


def _line(path: Path, line: int | None) -> str:
    assert line is not None
    return path.read_text(encoding="utf-8").splitlines()[line - 1].strip()


def _doc(path: str, method: str = "get", extra: str = "") -> str:
    return (
        HEAD
        + f"paths:\n  {path}:\n    {method}:\n      responses:\n        '200':\n          description: ok\n"
        + extra
    )


def test_group_sorts_clients_and_keeps_file_order(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    _write(specs / "zoo", "b.yaml", _doc("/b"))
    _write(specs / "zoo", "a.yaml", _doc("/a"))
    _write(specs, "alpha.yaml", _doc("/x"))
    groups = merge.group(sources.load(specs).documents)
    assert list(groups) == ["alpha", "zoo"]
    assert [d.path.name for d in groups["zoo"]] == ["a.yaml", "b.yaml"]


def test_paths_from_several_documents_are_united(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    _write(specs, "a.yaml", _doc("/a"))
    _write(specs, "b.yaml", _doc("/b", "post"))
    _write(specs, "c.yaml", _doc("/a", "delete"))
    client, found = _merge(tmp_path / "specs")
    assert found == []
    assert client.name == "shop"
    assert sorted(client.data["paths"]) == ["/a", "/b"]
    assert sorted(client.data["paths"]["/a"]) == ["delete", "get"]
    assert list(client.data["paths"]["/b"]) == ["post"]
    assert client.data["info"] == {"title": "Shop", "version": "1"}
    assert client.sources == (specs / "a.yaml", specs / "b.yaml", specs / "c.yaml")


def test_identical_components_are_deduplicated(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    components = "components:\n  schemas:\n" + PET_A
    _write(specs, "a.yaml", _doc("/a", extra=components))
    _write(specs, "b.yaml", _doc("/b", extra=components))
    client, found = _merge(tmp_path / "specs")
    assert found == []
    assert client.data["components"]["schemas"] == {
        "Pet": {"type": "object", "properties": {"name": {"type": "string"}}}
    }


def test_conflicting_schema_is_an_error_naming_both_files_and_the_pointer(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    a = _write(specs, "a.yaml", _doc("/a", extra="components:\n  schemas:\n" + PET_A))
    b = _write(
        specs,
        "b.yaml",
        _doc("/b", extra="components:\n  schemas:\n" + PET_A.replace("type: string", "type: integer")),
    )
    _client, found = _merge(tmp_path / "specs")
    (error,) = found
    assert error.level is Level.ERROR
    assert error.pointer == "/components/schemas/Pet"
    files = {error.file, *[p for p in (a, b) if str(p) in error.message]}
    assert files == {a, b}
    assert _line(error.file, error.line) == "Pet:"
    rendered = error.render()
    assert "a.yaml" in rendered and "b.yaml" in rendered
    assert "/components/schemas/Pet" in rendered


def test_conflict_message_gives_the_other_files_line(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    a = _write(specs, "a.yaml", _doc("/a", extra="components:\n  schemas:\n" + PET_A))
    _write(specs, "b.yaml", _doc("/b", extra="components:\n  schemas:\n    Other: {}\n" + PET_A.replace("string", "number")))
    _client, found = _merge(tmp_path / "specs")
    (error,) = found
    pet_line = a.read_text().splitlines().index("    Pet:") + 1
    assert f"{a}:{pet_line}" in error.message


def test_same_operation_defined_identically_twice_is_fine(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    _write(specs, "a.yaml", _doc("/a"))
    _write(specs, "b.yaml", _doc("/a"))
    client, found = _merge(tmp_path / "specs")
    assert found == []
    assert client.data["paths"] == {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}


def test_same_operation_defined_differently_is_an_error(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    a = _write(specs, "a.yaml", _doc("/a"))
    b = _write(specs, "b.yaml", _doc("/a").replace("description: ok", "description: fine"))
    _client, found = _merge(tmp_path / "specs")
    (error,) = found
    assert error.level is Level.ERROR
    assert error.pointer == "/paths/~1a/get"
    assert error.file == b
    assert str(a) in error.message
    assert _line(b, error.line) == "get:"


def test_different_info_and_servers_are_warnings(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    _write(specs, "a.yaml", _doc("/a"))
    b = _write(
        specs,
        "b.yaml",
        _doc("/b").replace("title: Shop", "title: Shop v2").replace("api.example.com", "eu.example.com"),
    )
    client, found = _merge(tmp_path / "specs")
    assert [d.level for d in found] == [Level.WARNING, Level.WARNING]
    assert sorted(d.pointer or "" for d in found) == ["/info", "/servers"]
    assert all(d.file == b for d in found)
    by_pointer = {d.pointer: d for d in found}
    assert _line(b, by_pointer["/info"].line) == "info:"
    assert _line(b, by_pointer["/servers"].line) == "servers:"
    # The first document's values win.
    assert client.data["info"]["title"] == "Shop"
    assert client.data["servers"] == [{"url": "https://api.example.com"}]


def test_tags_are_united_by_name(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    _write(specs, "a.yaml", _doc("/a", extra="tags:\n  - name: pets\n  - name: store\n"))
    _write(specs, "b.yaml", _doc("/b", extra="tags:\n  - name: store\n  - name: users\n    description: People\n"))
    client, found = _merge(tmp_path / "specs")
    assert found == []
    assert client.data["tags"] == [
        {"name": "pets"},
        {"name": "store"},
        {"name": "users", "description": "People"},
    ]


def test_tags_only_in_a_later_document_are_kept(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    _write(specs, "a.yaml", _doc("/a"))
    _write(specs, "b.yaml", _doc("/b", extra="tags:\n  - name: users\n"))
    client, _found = _merge(tmp_path / "specs")
    assert client.data["tags"] == [{"name": "users"}]


def _page(folder: Path, name: str, title: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"# Source: https://docs.example.com/{name}\n\n# {title}\n\n```yaml\n{body}```\n")
    return path


def test_page_titles_map_single_operation_pages(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    _page(specs, "get-a.md", "Fetch The A", _doc("/a"))
    _page(specs, "delete-b.md", "Remove B", _doc("/b", "delete"))
    two = _doc("/c").replace("paths:\n", "paths:\n  /d:\n    put:\n      responses:\n        '204':\n          description: done\n")
    _page(specs, "two.md", "Two Operations", two)
    _write(specs, "plain.yaml", _doc("/e"))
    client, found = _merge(tmp_path / "specs")
    assert found == []
    assert client.page_titles() == {
        ("get", "/a"): "Fetch The A",
        ("delete", "/b"): "Remove B",
    }


def test_locate_returns_the_source_file_and_line(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    a = _write(specs, "a.yaml", _doc("/a"))
    b = _page(
        specs,
        "b.md",
        "B",
        _doc("/b", "delete", extra="components:\n  schemas:\n    OnlyInB:\n      type: string\n"),
    )
    client, found = _merge(tmp_path / "specs")
    assert found == []

    path, line = client.locate("/paths/~1a/get/responses/200")
    assert path == a and _line(a, line) == "'200':"

    path, line = client.locate("/paths/~1b/delete/responses/200/description")
    assert path == b and _line(b, line) == "description: ok"

    path, line = client.locate("/components/schemas/OnlyInB/type")
    assert path == b and _line(b, line) == "type: string"

    path, line = client.locate("/paths/~1b")
    assert path == b and _line(b, line) == "/b:"


def test_locate_finds_an_operation_added_to_a_path_of_an_earlier_file(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    _write(specs, "a.yaml", _doc("/a"))
    b = _write(specs, "b.yaml", _doc("/a", "post"))
    client, _found = _merge(tmp_path / "specs")
    path, line = client.locate("/paths/~1a/post/responses/200")
    assert path == b and _line(b, line) == "'200':"


def test_merged_diagnostic_helper_points_into_the_right_file(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "shop"
    _write(specs, "a.yaml", _doc("/a"))
    b = _write(specs, "b.yaml", _doc("/b"))
    client, _found = _merge(tmp_path / "specs")
    diagnostic = client.diagnostic(Level.WARNING, "look here", "/paths/~1b/get")
    assert diagnostic.file == b
    assert diagnostic.pointer == "/paths/~1b/get"
    assert _line(b, diagnostic.line) == "get:"


def test_top_level_fields_missing_from_the_first_document_come_from_a_later_one(tmp_path: Path) -> None:
    # Fragments of one API: a.yaml has only paths, b.yaml also says where the API lives and
    # how it is secured. Nothing conflicts, so nothing may be lost.
    specs = tmp_path / "specs" / "shop"
    _write(specs, "a.yaml", _doc("/a").replace("servers:\n  - url: https://api.example.com\n", ""))
    security = (
        "security:\n  - key: []\n"
        "components:\n  securitySchemes:\n    key:\n      type: apiKey\n      in: header\n      name: x-key\n"
    )
    _write(specs, "b.yaml", _doc("/b", extra=security))
    client, found = _merge(tmp_path / "specs")
    assert client.data.get("servers") == [{"url": "https://api.example.com"}]
    assert client.data.get("security") == [{"key": []}]
    assert [d for d in found if d.level is Level.ERROR] == []
