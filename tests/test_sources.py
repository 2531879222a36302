"""Unit tests of generator/sources.py: finding spec files, Markdown extraction, loading.

Every document must remember its file and the line its text starts on, so the tests check
lines against the file itself rather than against numbers copied from the generator.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator import sources
from generator.diagnostics import Diagnostic, Level
from generator.lower.names import package_name

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
SEED_PAGES = sorted(SPECS.glob("*/*.md"))

MINIMAL = """\
openapi: 3.1.0
info:
  title: Mini
  version: '1'
paths:
  /ping:
    get:
      responses:
        '200':
          description: pong
"""


def _page(tmp_path: Path, body: str, name: str = "page.md") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def _file_line(path: Path, line: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[line - 1]


def _errors(loaded: sources.Loaded) -> list[Diagnostic]:
    return [d for d in loaded.diagnostics if d.level is Level.ERROR]


def _fence_body_start(path: Path) -> int:
    """1-based line after the (only) four-backtick yaml fence of a seed page."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("````yaml"):
            return number + 1
    raise AssertionError(f"no ````yaml fence in {path}")


# -- the seed pages ------------------------------------------------------------------------


def test_there_are_four_seed_pages() -> None:
    assert len(SEED_PAGES) == 4


@pytest.mark.parametrize("page", SEED_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_seed_page_yields_one_document_at_the_fence(page: Path) -> None:
    loaded = sources.load(page)
    assert loaded.diagnostics == []
    assert len(loaded.documents) == 1
    doc = loaded.documents[0]
    assert doc.path == page
    assert doc.client == package_name(page.stem)
    assert doc.fmt == "yaml"
    assert doc.first_line == _fence_body_start(page)
    assert _file_line(page, doc.first_line).startswith("openapi: 3.1")
    assert doc.data["openapi"] == "3.1.0"
    assert doc.line_of("/openapi") == doc.first_line
    assert doc.line_of("") == doc.first_line
    # The title is the page's H1, never the crawler's "# Source: https://..." line.
    assert doc.title in {"Delete Task", "Delete Task Version", "Get Latest Task Version"}


def test_seed_folder_gives_three_clients() -> None:
    loaded = sources.load(SPECS)
    assert loaded.diagnostics == []
    by_client: dict[str, list[Path]] = {}
    for doc in loaded.documents:
        by_client.setdefault(doc.client, []).append(doc.path)
    assert by_client == {
        "anchorbrowser": [
            SPECS / "anchorbrowser" / "delete-task-version.md",
            SPECS / "anchorbrowser" / "get-latest-task-version.md",
        ],
        "recoup": [SPECS / "recoup" / "delete-task.md"],
        "xpander": [SPECS / "xpander" / "delete-task.md"],
    }


@pytest.mark.parametrize(
    ("page", "pointer", "expected"),
    [
        (
            "anchorbrowser/get-latest-task-version.md",
            "/paths/~1v1~1task~1{taskId}~1latest/get/responses/200",
            "'200':",
        ),
        (
            "anchorbrowser/get-latest-task-version.md",
            "/paths/~1v1~1task~1{taskId}~1latest/get/parameters/0",
            "- name: taskId",
        ),
        (
            "anchorbrowser/get-latest-task-version.md",
            "/paths/~1v1~1task~1{taskId}~1latest/get/parameters/0/schema/format",
            "format: uuid",
        ),
        (
            "anchorbrowser/get-latest-task-version.md",
            "/components/schemas/TaskVersionResponse",
            "TaskVersionResponse:",
        ),
        (
            "anchorbrowser/delete-task-version.md",
            "/paths/~1v1~1task~1{taskId}~1{taskVersion}/delete/parameters/1/schema/pattern",
            r"pattern: ^(draft|latest|\d+)$",
        ),
        (
            "recoup/delete-task.md",
            "/paths/~1api~1tasks/delete/requestBody",
            "requestBody:",
        ),
        (
            "xpander/delete-task.md",
            "/paths/~1v1~1tasks~1{task_id}/delete/operationId",
            "operationId: Delete_Task_v1_tasks__task_id__delete",
        ),
        (
            "xpander/delete-task.md",
            "/paths/~1v1~1tasks~1{task_id}/delete/responses/204",
            "'204':",
        ),
    ],
)
def test_line_of_points_at_the_file_line(page: str, pointer: str, expected: str) -> None:
    path = SPECS / page
    (doc,) = sources.load(path).documents
    line = doc.line_of(pointer)
    assert line is not None
    assert _file_line(path, line).strip() == expected


def test_line_of_an_unknown_pointer_falls_back_to_its_parent() -> None:
    path = SPECS / "anchorbrowser" / "get-latest-task-version.md"
    (doc,) = sources.load(path).documents
    parent = doc.line_of("/paths/~1v1~1task~1{taskId}~1latest/get")
    assert parent is not None
    assert doc.line_of("/paths/~1v1~1task~1{taskId}~1latest/get/no-such-key") == parent
    assert _file_line(path, parent).strip() == "get:"


# -- fences --------------------------------------------------------------------------------


def test_four_backtick_fence_is_not_closed_by_an_inner_three_backtick_fence(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        """\
        # Ping

        ````yaml openapi.yaml get /ping
        openapi: 3.1.0
        info:
          title: Mini
          version: '1'
          description: |
            Example:
            ```bash
            curl /ping
            ```
        paths:
          /ping:
            get:
              responses:
                '200':
                  description: pong
        ````
        """,
    )
    loaded = sources.load(page)
    assert loaded.diagnostics == []
    (doc,) = loaded.documents
    assert doc.first_line == 4
    assert "```bash" in doc.data["info"]["description"]
    assert list(doc.data["paths"]) == ["/ping"]
    line = doc.line_of("/paths/~1ping/get/responses/200/description")
    assert line is not None and _file_line(page, line).strip() == "description: pong"


def test_three_backtick_yaml_fence(tmp_path: Path) -> None:
    page = _page(tmp_path, "# Ping\n\nSome text.\n\n```yaml\n" + MINIMAL + "```\n")
    loaded = sources.load(page)
    assert loaded.diagnostics == []
    (doc,) = loaded.documents
    assert doc.fmt == "yaml"
    assert doc.first_line == 6
    assert _file_line(page, doc.first_line) == "openapi: 3.1.0"
    assert doc.title == "Ping"


def test_yml_fence_language_is_yaml(tmp_path: Path) -> None:
    page = _page(tmp_path, "```yml\n" + MINIMAL + "```\n")
    (doc,) = sources.load(page).documents
    assert doc.fmt == "yaml"
    assert doc.data["info"]["title"] == "Mini"


def test_json_fence_with_info_string_after_the_language(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        """\
        # Ping

        ```json openapi.json GET /ping
        {
          "openapi": "3.0.3",
          "info": {"title": "Mini", "version": "1"},
          "paths": {
            "/ping": {
              "get": {
                "responses": {
                  "200": {"description": "pong"}
                }
              }
            }
          }
        }
        ```
        """,
    )
    loaded = sources.load(page)
    assert loaded.diagnostics == []
    (doc,) = loaded.documents
    assert doc.fmt == "json"
    assert doc.first_line == 4
    assert doc.data["openapi"] == "3.0.3"
    line = doc.line_of("/paths/~1ping/get/responses/200")
    assert line is not None
    assert _file_line(page, line).strip() == '"200": {"description": "pong"}'


def test_yaml_fence_with_attribute_info_string(tmp_path: Path) -> None:
    page = _page(tmp_path, '```yaml title="openapi.yaml" theme={"dark"}\n' + MINIMAL + "```\n")
    loaded = sources.load(page)
    assert loaded.diagnostics == []
    (doc,) = loaded.documents
    assert doc.first_line == 2


def test_fences_report_language_info_and_body_line() -> None:
    text = "intro\n\n````YAML openapi.yaml get /x\na: 1\n````\n\n```bash theme={\"dark\"}\nls\n```\n"
    blocks = sources.fences(text)
    assert [(b.lang, b.info, b.first_line, b.text) for b in blocks] == [
        ("yaml", "openapi.yaml get /x", 4, "a: 1\n"),
        ("bash", 'theme={"dark"}', 8, "ls\n"),
    ]


def test_unterminated_fence_runs_to_the_end_of_the_page_with_a_warning(tmp_path: Path) -> None:
    page = _page(tmp_path, "# T\n\n```yaml\n" + MINIMAL)
    loaded = sources.load(page)
    (warning,) = loaded.diagnostics
    assert warning.level is Level.WARNING and warning.line == 3 and "never closed" in warning.message
    assert len(loaded.documents) == 1


# -- pages with zero, two or only other blocks ---------------------------------------------


def test_page_without_blocks_is_an_error_naming_the_file(tmp_path: Path) -> None:
    page = _page(tmp_path, "# Nothing here\n\nJust prose.\n")
    loaded = sources.load(page)
    assert loaded.documents == []
    (error,) = _errors(loaded)
    assert error.file == page
    assert "no OpenAPI document" in error.message


def test_page_with_two_openapi_blocks_loads_both(tmp_path: Path) -> None:
    second = MINIMAL.replace("/ping", "/pong").replace("Mini", "Other")
    page = _page(tmp_path, "# Two\n\n```yaml\n" + MINIMAL + "```\n\nMore.\n\n```yaml\n" + second + "```\n")
    loaded = sources.load(page)
    assert loaded.diagnostics == []
    first, other = loaded.documents
    assert list(first.data["paths"]) == ["/ping"]
    assert list(other.data["paths"]) == ["/pong"]
    assert _file_line(page, first.first_line) == "openapi: 3.1.0"
    assert _file_line(page, other.first_line) == "openapi: 3.1.0"
    assert other.first_line > first.first_line
    assert first.client == other.client == "page"
    line = other.line_of("/paths/~1pong")
    assert line is not None and _file_line(page, line).strip() == "/pong:"


def test_page_with_only_non_openapi_blocks_is_an_error(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        """\
        # Install

        ```bash
        pip install thing
        ```

        ```yaml
        name: ci
        on: push
        jobs:
          test:
            runs-on: ubuntu-latest
        ```
        """,
    )
    loaded = sources.load(page)
    assert loaded.documents == []
    errors = _errors(loaded)
    assert errors
    assert all(e.file == page for e in errors)
    assert any("no OpenAPI document" in e.message for e in errors)


def test_yaml_block_with_a_paths_key_that_is_not_openapi_alone_is_an_error(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        """\
        # Config

        ```yaml
        watch:
          paths:
            - src
            - lib
        ```
        """,
    )
    loaded = sources.load(page)
    assert loaded.documents == []
    errors = _errors(loaded)
    assert errors and all(e.file == page for e in errors)


def test_unrelated_yaml_block_next_to_an_openapi_block_is_ignored(tmp_path: Path) -> None:
    # A docs page may show a CI workflow (with an indented `paths:` filter) as well as the
    # OpenAPI document; the workflow is not a broken spec and must not fail the page.
    workflow = "# Ping\n\n```yaml\non:\n  push:\n    paths:\n      - 'specs/**'\n```\n\n"
    page = _page(tmp_path, workflow + "```yaml\n" + MINIMAL + "```\n")
    loaded = sources.load(page)
    assert _errors(loaded) == []
    (doc,) = loaded.documents
    assert list(doc.data["paths"]) == ["/ping"]


# -- documents that are not OpenAPI 3.0/3.1 ------------------------------------------------


def test_mintlify_resolved_format_has_its_own_error(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        """\
        # Delete Task

        ````yaml DELETE /v1/tasks/{task_id}
        paths:
          path: /v1/tasks/{task_id}
          method: delete
          servers:
            - url: https://api.example.com
          request:
            security: []
            parameters:
              path:
                task_id:
                  schema:
                    - type: string
                      required: true
          response:
            '204':
              _mintlify/placeholder:
                schemaArray:
                  - type: any
        ````
        """,
    )
    loaded = sources.load(page)
    assert loaded.documents == []
    (error,) = _errors(loaded)
    assert error.file == page
    assert error.line == 4
    assert "Mintlify" in error.message
    assert "not an OpenAPI document" in error.message


@pytest.mark.parametrize("suffix", [".yaml", ".md"])
def test_swagger_2_is_a_clear_error(tmp_path: Path, suffix: str) -> None:
    swagger = "swagger: '2.0'\ninfo:\n  title: Old\n  version: '1'\npaths: {}\n"
    if suffix == ".md":
        path = _page(tmp_path, "# Old\n\n```yaml\n" + swagger + "```\n")
    else:
        path = tmp_path / "old.yaml"
        path.write_text(swagger, encoding="utf-8")
    loaded = sources.load(path)
    assert loaded.documents == []
    (error,) = _errors(loaded)
    assert error.file == path
    assert "Swagger 2.0" in error.message
    assert "not supported" in error.message
    assert "3.0" in error.message and "3.1" in error.message


@pytest.mark.parametrize("version", ["4.0.0", "2.0.0", "1.0"])
def test_unsupported_openapi_version_is_an_error_at_its_line(tmp_path: Path, version: str) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(f"# leading comment\ninfo:\n  title: x\n  version: '1'\nopenapi: '{version}'\npaths: {{}}\n")
    loaded = sources.load(path)
    assert loaded.documents == []
    (error,) = _errors(loaded)
    assert error.file == path
    assert error.line == 5
    assert error.pointer == "/openapi"
    assert version in error.message
    assert "not supported" in error.message


@pytest.mark.parametrize("version", ["3.0.0", "3.0.3", "3.1.0", "3.1.1"])
def test_supported_openapi_versions_load(tmp_path: Path, version: str) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(MINIMAL.replace("3.1.0", version), encoding="utf-8")
    loaded = sources.load(path)
    assert loaded.diagnostics == []
    assert loaded.documents[0].data["openapi"] == version


# -- syntax errors -------------------------------------------------------------------------


def test_yaml_syntax_error_in_a_page_reports_the_file_line(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        """\
        # Broken

        Text.

        ```yaml
        openapi: 3.1.0
        info:
          title: a: b
          version: '1'
        paths: {}
        ```
        """,
    )
    loaded = sources.load(page)
    assert loaded.documents == []
    (error,) = _errors(loaded)
    assert error.file == page
    assert error.line == 8
    assert _file_line(page, 8).strip() == "title: a: b"
    assert "invalid YAML" in error.message


def test_yaml_syntax_error_in_a_file_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text("openapi: 3.1.0\ninfo:\n  title: x\n   version: '1'\npaths: {}\n", encoding="utf-8")
    loaded = sources.load(path)
    (error,) = _errors(loaded)
    assert error.file == path
    assert error.line == 4
    assert "invalid YAML" in error.message


def test_json_syntax_error_in_a_page_reports_the_file_line(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        """\
        # Broken JSON

        ```json
        {
          "openapi": "3.1.0",
          "info": {"title": "x", "version": "1"},,
          "paths": {}
        }
        ```
        """,
    )
    loaded = sources.load(page)
    assert loaded.documents == []
    (error,) = _errors(loaded)
    assert error.file == page
    assert error.line == 6
    assert _file_line(page, 6).strip().endswith(",,")
    assert "invalid JSON" in error.message


def test_json_syntax_error_in_a_file_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_text('{\n  "openapi": "3.1.0",\n  "info": {\n    "title": "x"\n    "version": "1"\n  }\n}\n')
    (error,) = _errors(sources.load(path))
    assert error.file == path
    assert error.line == 5
    assert "invalid JSON" in error.message


# -- YAML 1.1 gotchas ----------------------------------------------------------------------


def test_yaml_11_scalars_keep_their_openapi_meaning(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            openapi: 3.0.3
            info:
              title: Gotchas
              version: 1.10
            paths:
              /countries:
                get:
                  parameters:
                    - name: country
                      in: query
                      schema:
                        type: string
                        enum: [no, on, yes, off, y, n, NO, Yes]
                        example: 2024-01-31
                        default: 2024-01-31T10:00:00Z
                    - name: flag
                      in: query
                      schema:
                        type: boolean
                        default: true
                        example: False
                  responses:
                    200:
                      description: ok
                    404:
                      description: missing
            components:
              schemas:
                Switch:
                  type: object
                  properties:
                    on:
                      type: string
                    off:
                      type: string
            """
        ),
        encoding="utf-8",
    )
    loaded = sources.load(path)
    assert loaded.diagnostics == []
    (doc,) = loaded.documents
    get = doc.data["paths"]["/countries"]["get"]
    country = get["parameters"][0]["schema"]
    assert country["enum"] == ["no", "on", "yes", "off", "y", "n", "NO", "Yes"]
    assert country["example"] == "2024-01-31"
    assert country["default"] == "2024-01-31T10:00:00Z"
    flag = get["parameters"][1]["schema"]
    assert flag["default"] is True
    assert flag["example"] is False
    assert list(get["responses"]) == ["200", "404"]
    assert list(doc.data["components"]["schemas"]["Switch"]["properties"]) == ["on", "off"]
    # Integer keys still resolve to their lines.
    line = doc.line_of("/paths/~1countries/get/responses/404")
    assert line is not None and _file_line(path, line).strip() == "404:"


# -- page titles ---------------------------------------------------------------------------


def test_page_title_skips_source_url_headings() -> None:
    text = "# Source: https://docs.example.com/api/delete.md\n\n> index\n\n# Delete Task\n\n## OpenAPI\n"
    assert sources.page_title(text) == "Delete Task"


def test_page_title_ignores_lower_level_headings_and_trailing_hashes() -> None:
    assert sources.page_title("## Not a title\n\n# Create Pet ##\n") == "Create Pet"
    assert sources.page_title("Plain text only\n") is None


def test_page_title_ignores_comments_inside_fenced_blocks() -> None:
    # A `#` line inside a code block (a shell or YAML comment) is not a Markdown heading.
    text = "Intro without a heading.\n\n```bash\n# install the client\npip install x\n```\n"
    assert sources.page_title(text) is None
    text = "```yaml\n# generated by a tool\nopenapi: 3.1.0\n```\n\n# Real Title\n"
    assert sources.page_title(text) == "Real Title"


@pytest.mark.parametrize("page", SEED_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_seed_page_titles(page: Path) -> None:
    expected = {
        "delete-task-version.md": "Delete Task Version",
        "get-latest-task-version.md": "Get Latest Task Version",
        "delete-task.md": "Delete Task",
    }[page.name]
    assert sources.page_title(page.read_text(encoding="utf-8")) == expected


# -- folder layout -------------------------------------------------------------------------


def _layout(tmp_path: Path) -> Path:
    specs = tmp_path / "specs"
    (specs / "shop" / "nested").mkdir(parents=True)
    (specs / ".hidden-dir").mkdir()
    (specs / "shop" / "a.yaml").write_text(MINIMAL)
    (specs / "shop" / "nested" / "b.md").write_text("# B\n\n```yaml\n" + MINIMAL.replace("/ping", "/b") + "```\n")
    (specs / "shop" / "README.md").write_text("# About the shop specs\n")
    (specs / "shop" / ".draft.yaml").write_text(MINIMAL)
    (specs / "shop" / "notes.txt").write_text("not a spec")
    (specs / "single.json").write_text('{"openapi": "3.1.0", "info": {"title": "S", "version": "1"}, "paths": {}}')
    (specs / "README.md").write_text("# Specs\n\nNo spec here.\n")
    (specs / ".hidden.yaml").write_text(MINIMAL)
    (specs / ".hidden-dir" / "c.yaml").write_text(MINIMAL)
    return specs


def test_spec_files_folder_layout(tmp_path: Path) -> None:
    specs = _layout(tmp_path)
    assert sources.spec_files(specs) == [
        ("shop", specs / "shop" / "a.yaml"),
        ("shop", specs / "shop" / "nested" / "b.md"),
        ("single", specs / "single.json"),
    ]


def test_load_folder_groups_documents_by_client(tmp_path: Path) -> None:
    specs = _layout(tmp_path)
    loaded = sources.load(specs)
    assert loaded.diagnostics == []
    assert [(d.client, d.path.name) for d in loaded.documents] == [
        ("shop", "a.yaml"),
        ("shop", "b.md"),
        ("single", "single.json"),
    ]


def test_readme_in_a_client_folder_is_skipped_whatever_its_case(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    (specs / "api").mkdir(parents=True)
    (specs / "api" / "Readme.MD").write_text("# Read me\n")
    (specs / "api" / "api.yaml").write_text(MINIMAL)
    assert sources.spec_files(specs) == [("api", specs / "api" / "api.yaml")]


def test_fragment_without_openapi_in_a_client_folder_is_skipped(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    (specs / "api").mkdir(parents=True)
    (specs / "api" / "api.yaml").write_text(MINIMAL)
    (specs / "api" / "schemas.yaml").write_text("Pet:\n  type: object\n")
    loaded = sources.load(specs)
    assert loaded.diagnostics == []
    assert [d.path.name for d in loaded.documents] == ["api.yaml"]


def test_fragment_given_explicitly_is_an_error(tmp_path: Path) -> None:
    fragment = tmp_path / "schemas.yaml"
    fragment.write_text("Pet:\n  type: object\n")
    loaded = sources.load(fragment)
    assert loaded.documents == []
    (error,) = _errors(loaded)
    assert error.file == fragment
    assert "openapi" in error.message


def test_missing_spec_path_is_an_error(tmp_path: Path) -> None:
    loaded = sources.load(tmp_path / "nope")
    (error,) = _errors(loaded)
    assert error.file == tmp_path / "nope"


def test_empty_specs_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "README.md").write_text("# nothing\n")
    loaded = sources.load(tmp_path / "specs")
    (error,) = _errors(loaded)
    assert "no spec files" in error.message


def test_single_spec_file_is_one_client_named_after_it(tmp_path: Path) -> None:
    path = tmp_path / "pet-store.yaml"
    path.write_text(MINIMAL)
    assert sources.spec_files(path) == [("pet_store", path)]
    (doc,) = sources.load(path).documents
    assert doc.client == "pet_store"
    assert doc.first_line == 1
    assert doc.title is None


def test_mdx_page_and_tilde_fence(tmp_path: Path) -> None:
    page = _page(tmp_path, "# Ping\n\n<Note>MDX</Note>\n\n~~~yaml\n" + MINIMAL + "~~~\n", name="ping.mdx")
    loaded = sources.load(page)
    assert loaded.diagnostics == []
    (doc,) = loaded.documents
    assert doc.first_line == 6
    assert doc.title == "Ping"


def test_folder_and_file_that_would_make_the_same_client_are_an_error(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    (specs / "my-api").mkdir(parents=True)
    (specs / "my-api" / "a.yaml").write_text(MINIMAL)
    (specs / "my_api.yaml").write_text(MINIMAL)
    errors = _errors(sources.load(specs))
    assert len(errors) == 1
    assert "my-api" in errors[0].message and "my_api.yaml" in errors[0].message


def test_client_folder_with_only_fragments_is_an_error(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    (specs / "api").mkdir(parents=True)
    (specs / "api" / "schemas.yaml").write_text("Pet:\n  type: object\n")
    loaded = sources.load(specs)
    assert loaded.documents == []
    (error,) = _errors(loaded)
    assert "no OpenAPI document" in error.message
