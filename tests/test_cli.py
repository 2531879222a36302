"""The `clientgen` command line, run as a user runs it: in a subprocess.

Exit codes (generator/cli.py): 0 ok, 1 `check` found the output stale, 2 bad input.
Bad-input cases run in a temporary folder without a pyproject.toml, so diagnostics name
files relative to it (`specs/broken/openapi.yaml:3`). The `check` tests damage a fresh
generation of specs/ rather than the committed generated/, so they do not depend on the
committed copy being current (test_golden checks that).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_support import (
    CLIENTS,
    GENERATED,
    MANIFEST,
    REPO,
    SPECS,
    Run,
    clientgen,
    tree,
)

COMMANDS = ("generate", "check", "validate", "list")
EXIT_OK, EXIT_STALE, EXIT_BAD_INPUT = 0, 1, 2


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One black cache for this module: black formats each distinct text only once."""
    return tmp_path_factory.mktemp("clientgen-cache")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> Path:
    """A fresh `generate` of specs/ (not the committed copy: test_golden compares that)."""
    output = tmp_path_factory.mktemp("pristine") / "out"
    run = clientgen(
        "generate",
        "--specs",
        str(SPECS),
        "--output",
        str(output),
        cwd=REPO,
        cache_dir=cache,
    )
    assert run.returncode == EXIT_OK, run
    return output


def copy_generated(pristine: Path, target: Path) -> Path:
    shutil.copytree(pristine, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def located(relative: str, line: int | None = None) -> re.Pattern[str]:
    """`specs/x/api.yaml:12` (or just the file) in a diagnostic, relative or absolute."""
    where = re.escape(relative) + (
        rf":{line}(?!\d)" if line is not None else r"(?![\w.])"
    )
    return re.compile(rf"(?:^|[\s/]){where}", re.MULTILINE)


# --- help -----------------------------------------------------------------------------


def test_help_lists_the_commands(cache: Path) -> None:
    run = clientgen("--help", cwd=REPO, cache_dir=cache, console_script=True)
    assert run.returncode == EXIT_OK, run
    assert "Usage: clientgen" in run.stdout, run
    listed = re.findall(r"^  (\w+)\s", run.stdout.split("Commands:")[1], re.MULTILINE)
    assert set(COMMANDS) <= set(listed), run


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help(command: str, cache: Path) -> None:
    run = clientgen(command, "--help", cwd=REPO, cache_dir=cache, console_script=True)
    assert run.returncode == EXIT_OK, run
    assert f"Usage: clientgen {command} [OPTIONS]" in run.stdout, run
    assert "--specs" in run.stdout, run
    if command in ("generate", "check"):
        assert "--output" in run.stdout, run


def test_python_dash_m_generator_help(cache: Path, tmp_path: Path) -> None:
    run = clientgen("--help", cwd=tmp_path, cache_dir=cache)
    assert run.returncode == EXIT_OK, run
    assert "Usage:" in run.stdout and "Commands:" in run.stdout, run
    for command in COMMANDS:
        assert re.search(rf"^  {command}\s", run.stdout, re.MULTILINE), run


@pytest.mark.parametrize("closed", [">&-", "2>&-", ">&- 2>&-"])
def test_a_closed_output_stream_does_not_fail_the_command(closed: str, cache: Path) -> None:
    """Started with stdout or stderr closed (a daemon, a hook runner), the command's
    outcome is its exit code: 0 for a listing, no traceback for the closed stream."""
    script = str(Path(sys.executable).with_name("clientgen"))
    env = {**os.environ, "CLIENTGEN_CACHE_DIR": str(cache)}
    done = subprocess.run(["sh", "-c", f'exec "$0" list {closed}', script], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == EXIT_OK, done


def test_unknown_command_and_unknown_option_exit_2(cache: Path) -> None:
    for args in (("frobnicate",), ("generate", "--no-such-option")):
        run = clientgen(*args, cwd=REPO, cache_dir=cache)
        assert run.returncode == EXIT_BAD_INPUT, run
        assert "Error" in run.stderr, run


# --- list and validate ----------------------------------------------------------------

LISTED_OPERATIONS = [
    (
        "anchorbrowser",
        "DELETE",
        "/v1/task/{taskId}/{taskVersion}",
        "tasks.delete_version",
    ),
    ("anchorbrowser", "GET", "/v1/task/{taskId}/latest", "tasks.get_latest_version"),
    ("recoup", "DELETE", "/api/tasks", "tasks.delete"),
    ("xpander", "DELETE", "/v1/tasks/{task_id}", "tasks.delete"),
]


def test_list_prints_method_path_and_python_name(cache: Path) -> None:
    run = clientgen("list", cwd=REPO, cache_dir=cache)
    assert run.returncode == EXIT_OK, run
    for client in CLIENTS:
        assert re.search(rf"^{client}\b", run.stdout, re.MULTILINE), run
    for client, method, path, name in LISTED_OPERATIONS:
        line = rf"^\s+{method}\s+{re.escape(path)}\s.*\b{re.escape(name)}\s*$"
        assert re.search(line, run.stdout, re.MULTILINE), f"{client}: {line}\n{run}"
        resource, method_name = name.split(".")
        module = GENERATED / client / "resources" / f"{resource}.py"
        assert f"def {method_name}(" in module.read_text()
    operation_lines = [ln for ln in run.stdout.splitlines() if ln.startswith(" ")]
    assert len(operation_lines) == len(LISTED_OPERATIONS), run


def test_validate_prints_warnings_with_file_line_and_pointer(cache: Path) -> None:
    """The seed's overlapping oneOf branches are warned about, not rejected."""
    run = clientgen("validate", cwd=REPO, cache_dir=cache)
    assert run.returncode == EXIT_OK, run
    page = "specs/anchorbrowser/get-latest-task-version.md"
    pattern = re.compile(
        rf"{re.escape(page)}:(\d+): warning: .*oneOf.*"
        r"\(at /components/schemas/AnchorProxy/properties/(type|country_code)/oneOf\)"
    )
    found = {m.group(2): int(m.group(1)) for m in pattern.finditer(run.stderr)}
    assert set(found) == {"type", "country_code"}, run
    lines = (REPO / page).read_text(encoding="utf-8").splitlines()
    for prop, line in found.items():
        assert (
            lines[line - 1].strip() == "oneOf:"
        ), f"{prop}: line {line} is {lines[line - 1]!r}"
    assert "3 clients, no errors" in run.stdout, run


def test_validate_strict_fails_on_warnings(cache: Path) -> None:
    run = clientgen("validate", "--strict", cwd=REPO, cache_dir=cache)
    assert run.returncode == EXIT_BAD_INPUT, run
    assert "oneOf" in run.stderr, run


# --- bad input ------------------------------------------------------------------------


@dataclass(frozen=True)
class BadSpec:
    name: str
    files: dict[str, str]
    file: str  # the file the diagnostic must name
    line: int | None  # and the line (None: a whole-file problem)
    message: str  # regex the diagnostic must contain


OPENAPI_HEAD = """\
openapi: 3.1.0
info:
  title: Thing API
  version: '1'
"""

BAD_SPECS = [
    BadSpec(
        "broken-yaml",
        {
            "specs/broken/openapi.yaml": OPENAPI_HEAD.replace("Thing API", "Bad: colon")
            + "paths: {}\n"
        },
        "specs/broken/openapi.yaml",
        3,
        r"error: .*YAML",
    ),
    BadSpec(
        "broken-yaml-in-page",
        {
            "specs/pages/get-thing.md": (
                "# Get thing\n\nReturns a thing.\n\n```yaml\n"  # the block starts on line 6
                + OPENAPI_HEAD.replace("Thing API", "Bad: colon")  # line 8
                + "paths: {}\n```\n"
            )
        },
        "specs/pages/get-thing.md",
        8,
        r"error: .*YAML",
    ),
    BadSpec(
        "invalid-json",
        {
            "specs/jsonapi/openapi.json": (
                '{\n  "openapi": "3.1.0",\n  "info": {"title": "x", "version": "1"},\n'
                '  "paths": {,}\n}\n'
            )
        },
        "specs/jsonapi/openapi.json",
        4,
        r"error: .*JSON",
    ),
    BadSpec(
        "page-without-openapi",
        {
            "specs/docs/intro.md": (
                "# Introduction\n\nNo API description here.\n\n```bash\ncurl https://x.test\n```\n"
            )
        },
        "specs/docs/intro.md",
        None,
        r"error: .*OpenAPI",
    ),
    BadSpec(
        "swagger-2",
        {
            "specs/legacy/swagger.yaml": (
                "swagger: '2.0'\ninfo:\n  title: Old\n  version: '1'\npaths: {}\n"
            )
        },
        "specs/legacy/swagger.yaml",
        1,
        r"error: .*Swagger 2\.0",
    ),
    BadSpec(
        "dangling-ref",
        {"specs/dangling/openapi.yaml": OPENAPI_HEAD + textwrap.dedent("""\
            paths:
              /thing:
                get:
                  operationId: getThing
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/schemas/Missing'
            """)},
        "specs/dangling/openapi.yaml",
        15,
        r"error: .*#/components/schemas/Missing",
    ),
    BadSpec(
        "invalid-openapi",
        {"specs/invalid/openapi.yaml": OPENAPI_HEAD + textwrap.dedent("""\
            paths:
              /thing:
                get:
                  parameters:
                    - name: id
                      in: nowhere
                      schema:
                        type: string
                  responses:
                    '200':
                      description: ok
            """)},
        "specs/invalid/openapi.yaml",
        10,
        r"error: .*(query|in)",
    ),
]


@pytest.mark.parametrize("command", ["generate", "validate"])
@pytest.mark.parametrize("bad", BAD_SPECS, ids=[b.name for b in BAD_SPECS])
def test_bad_input_exits_2_naming_file_and_line(
    bad: BadSpec, command: str, tmp_path: Path, cache: Path
) -> None:
    write_files(tmp_path, bad.files)
    args = [command, "--specs", "specs"]
    if command == "generate":
        args += ["--output", "out"]
    run = clientgen(*args, cwd=tmp_path, cache_dir=cache)
    assert run.returncode == EXIT_BAD_INPUT, run
    assert located(bad.file, bad.line).search(
        run.stderr
    ), f"expected a diagnostic at {bad.file}:{bad.line}\n{run}"
    assert re.search(bad.message, run.stderr), run
    assert "Traceback" not in run.output, run
    if command == "generate":
        written = sorted((tmp_path / "out").rglob("*.py"))
        assert written == [], f"bad input, yet files were written: {written}"


def test_all_problems_are_reported_in_one_run(tmp_path: Path, cache: Path) -> None:
    for bad in BAD_SPECS:
        write_files(tmp_path, bad.files)
    run = clientgen("validate", "--specs", "specs", cwd=tmp_path, cache_dir=cache)
    assert run.returncode == EXIT_BAD_INPUT, run
    for bad in BAD_SPECS:
        assert located(bad.file, bad.line).search(run.stderr), f"{bad.name}\n{run}"


THING_A = OPENAPI_HEAD + textwrap.dedent("""\
    paths:
      /a:
        get:
          operationId: getA
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Thing'
    components:
      schemas:
        Thing:
          type: object
          properties:
            name:
              type: string
    """)
THING_B = (
    THING_A.replace("/a:", "/b:")
    .replace("getA", "getB")
    .replace("type: string", "type: integer")
)


def test_conflicting_component_definitions_name_both_files(
    tmp_path: Path, cache: Path
) -> None:
    write_files(tmp_path, {"specs/shop/a.yaml": THING_A, "specs/shop/b.yaml": THING_B})
    thing_line = THING_A.splitlines().index("    Thing:") + 1
    run = clientgen(
        "generate", "--specs", "specs", "--output", "out", cwd=tmp_path, cache_dir=cache
    )
    assert run.returncode == EXIT_BAD_INPUT, run
    conflict = [
        ln for ln in run.stderr.splitlines() if "/components/schemas/Thing" in ln
    ]
    assert conflict, run
    text = "\n".join(conflict)
    assert located("specs/shop/a.yaml", thing_line).search(text), run
    assert located("specs/shop/b.yaml", thing_line).search(text), run
    assert not (tmp_path / "out" / "shop").exists(), "a conflicting client was written"


def test_identical_component_definitions_merge(tmp_path: Path, cache: Path) -> None:
    """The other side of the conflict: pages repeating the same schema are fine."""
    same_b = THING_A.replace("/a:", "/b:").replace("getA", "getB")
    write_files(tmp_path, {"specs/shop/a.yaml": THING_A, "specs/shop/b.yaml": same_b})
    run = clientgen("list", "--specs", "specs", cwd=tmp_path, cache_dir=cache)
    assert run.returncode == EXIT_OK, run
    assert re.search(r"GET\s+/a\s.*a\.get", run.stdout) and re.search(
        r"GET\s+/b\s.*b\.get", run.stdout
    ), run


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_specs_folder_without_specs_is_bad_input(
    kind: str, command: str, pristine: Path, tmp_path: Path, cache: Path
) -> None:
    """A mistyped or empty --specs is an error for every command.

    It must neither pass silently (a CI `check` would prove nothing) nor make `generate`
    delete every client of an existing output.
    """
    out = copy_generated(pristine, tmp_path / "out")
    before = tree(out)
    if kind == "empty":
        (tmp_path / "no-specs-here").mkdir()
    args = [command, "--specs", "no-specs-here"]
    if command in ("generate", "check"):
        args += ["--output", "out"]
    run = clientgen(*args, cwd=tmp_path, cache_dir=cache)
    assert run.returncode == EXIT_BAD_INPUT, run
    assert located("no-specs-here").search(run.stderr), run
    assert tree(out) == before, f"the output was modified\n{run}"


# --- generate -------------------------------------------------------------------------


def test_generate_single_file_makes_a_client_named_after_the_stem(
    tmp_path: Path, cache: Path
) -> None:
    shutil.copy(SPECS / "recoup" / "delete-task.md", tmp_path / "releases.md")
    run = clientgen(
        "generate",
        "--specs",
        "releases.md",
        "--output",
        "out",
        cwd=tmp_path,
        cache_dir=cache,
    )
    assert run.returncode == EXIT_OK, run
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "releases"], run
    client = (out / "releases" / "_client.py").read_text(encoding="utf-8")
    assert "def delete(" in (out / "releases" / "resources" / "tasks.py").read_text(encoding="utf-8")
    assert "releases.md" in client.splitlines()[0], "the header names the spec"
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert list(manifest["clients"]) == ["releases"]
    check = clientgen(
        "check",
        "--specs",
        "releases.md",
        "--output",
        "out",
        cwd=tmp_path,
        cache_dir=cache,
    )
    assert check.returncode == EXIT_OK, check


def test_generated_files_get_ordinary_permissions(tmp_path: Path, cache: Path) -> None:
    """Under umask 022 the output is readable by everyone, like any other file written."""
    shutil.copytree(SPECS / "xpander", tmp_path / "specs" / "xpander")
    old = os.umask(0o022)
    try:
        run = clientgen(
            "generate",
            "--specs",
            "specs",
            "--output",
            "out",
            cwd=tmp_path,
            cache_dir=cache,
        )
    finally:
        os.umask(old)
    assert run.returncode == EXIT_OK, run
    modes = {
        p.relative_to(tmp_path).as_posix(): stat.S_IMODE(p.stat().st_mode)
        for p in [tmp_path / "out", *(tmp_path / "out").rglob("*")]
    }
    wrong = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (0o755 if (tmp_path / name).is_dir() else 0o644)
    }
    assert wrong == {}, f"expected 0755 folders and 0644 files, got {wrong}"


# --- check ----------------------------------------------------------------------------


def record_in_manifest(output: Path, client: str, relative: str) -> None:
    """Add a file to the manifest, as if an earlier clientgen run had written it."""
    manifest_path = output / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256((output / client / relative).read_bytes()).hexdigest()
    manifest["clients"][client]["files"][relative] = digest
    manifest_path.write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def check(output: Path, cache: Path) -> Run:
    return clientgen(
        "check",
        "--specs",
        str(SPECS),
        "--output",
        str(output),
        cwd=REPO,
        cache_dir=cache,
    )


def reported(run: Run, label: str, output: Path, relative: str) -> bool:
    target = re.escape(str(output / relative))
    return re.search(rf"^{label}: {target}$", run.output, re.MULTILINE) is not None


def test_check_on_a_fresh_copy_exits_0(
    pristine: Path, tmp_path: Path, cache: Path
) -> None:
    run = check(copy_generated(pristine, tmp_path / "out"), cache)
    assert run.returncode == EXIT_OK, run


def test_check_names_missing_changed_and_extra_files(
    pristine: Path, tmp_path: Path, cache: Path
) -> None:
    out = copy_generated(pristine, tmp_path / "out")
    with (out / "recoup" / "models.py").open("a", encoding="utf-8") as handle:
        handle.write("# edited by hand\n")
    (out / "xpander" / "README.md").unlink()
    (out / "recoup" / "legacy.py").write_text("# written by an older clientgen\n")
    record_in_manifest(out, "recoup", "legacy.py")

    run = check(out, cache)
    assert run.returncode == EXIT_STALE, run
    assert reported(run, "changed", out, "recoup/models.py"), run
    assert reported(run, "missing", out, "xpander/README.md"), run
    assert reported(run, "extra", out, "recoup/legacy.py"), run
    named = re.findall(r"^(?:missing|changed|extra): .*$", run.output, re.MULTILINE)
    # The manifest lists legacy.py, so it is stale too; no other file may be named.
    named = [line for line in named if not line.endswith("/.clientgen.json")]
    assert len(named) == 3, f"only the three stale files should be named\n{run}"
    assert (out / "recoup" / "legacy.py").exists(), "check must not modify the output"


def test_check_names_a_single_hand_edit(
    pristine: Path, tmp_path: Path, cache: Path
) -> None:
    out = copy_generated(pristine, tmp_path / "out")
    models = out / "anchorbrowser" / "models.py"
    models.write_text(
        models.read_text(encoding="utf-8").replace("class ", "class  ", 1)
    )
    run = check(out, cache)
    assert run.returncode == EXIT_STALE, run
    assert reported(run, "changed", out, "anchorbrowser/models.py"), run


def test_check_names_the_files_of_a_client_whose_specs_are_gone(
    pristine: Path, tmp_path: Path, cache: Path
) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    out = copy_generated(pristine, tmp_path / "out")
    shutil.rmtree(specs / "xpander")
    run = clientgen(
        "check", "--specs", "specs", "--output", "out", cwd=tmp_path, cache_dir=cache
    )
    assert run.returncode == EXIT_STALE, run
    files = (p.relative_to(out / "xpander").as_posix() for p in (out / "xpander").rglob("*") if p.is_file())
    for name in sorted(f for f in files if "__pycache__" not in f):
        assert re.search(
            rf"^extra: .*out/xpander/{re.escape(name)}$", run.output, re.MULTILINE
        ), run


def test_check_on_an_output_that_does_not_exist_exits_1(
    tmp_path: Path, cache: Path
) -> None:
    run = check(tmp_path / "nothing-here", cache)
    assert run.returncode == EXIT_STALE, run
    for client in CLIENTS:
        assert reported(
            run, "missing", tmp_path / "nothing-here", f"{client}/_client.py"
        ), run
    assert not (tmp_path / "nothing-here").exists(), "check must not create the output"


def test_check_with_bad_specs_exits_2(tmp_path: Path, cache: Path) -> None:
    write_files(tmp_path, BAD_SPECS[0].files)
    run = clientgen(
        "check", "--specs", "specs", "--output", "out", cwd=tmp_path, cache_dir=cache
    )
    assert run.returncode == EXIT_BAD_INPUT, run
    assert located(BAD_SPECS[0].file, BAD_SPECS[0].line).search(run.stderr), run
