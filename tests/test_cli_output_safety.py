"""Where clientgen writes: never into the specs, never over a file, never a client named like
a module it would hide; the same result from any working directory; a held lock is "busy"."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cli_support import SPECS, clientgen
from workflow_support import has_open, start_clientgen, wait_until

import generator.lock


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("clientgen-cache")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(SPECS, tmp_path / "specs")
    (tmp_path / "pyproject.toml").write_text("[tool.clientgen]\n")
    return tmp_path


@pytest.mark.parametrize("output", ["specs", "specs/out", "."])
def test_an_output_overlapping_the_specs_is_refused(project: Path, cache: Path, output: str) -> None:
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    run = clientgen("generate", "--output", output, cwd=project, cache_dir=cache)
    assert run.returncode == 2, run
    assert "overlaps the specs" in run.output and "Traceback" not in run.output, run
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_an_output_that_is_a_file_is_refused(project: Path, cache: Path) -> None:
    (project / "generated").write_text("not a folder")
    run = clientgen("generate", cwd=project, cache_dir=cache)
    assert run.returncode == 2 and "is a file, not a folder" in run.output, run


def test_a_client_folder_that_cannot_be_written_is_bad_input_not_a_traceback(
    project: Path, cache: Path
) -> None:
    out = project / "generated"
    out.mkdir()
    (out / "recoup").write_text("a file where the client's folder goes")
    run = clientgen("generate", cwd=project, cache_dir=cache)
    assert run.returncode == 2, run
    assert "Traceback" not in run.output and "recoup" in run.output, run
    assert (out / "recoup").read_text() == "a file where the client's folder goes"


def test_check_is_the_same_from_any_working_directory(project: Path, cache: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert clientgen("generate", cwd=project, cache_dir=cache).returncode == 0
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    args = ("check", "--specs", str(project / "specs"), "--output", str(project / "generated"))
    for cwd in (elsewhere, project / "specs" / "recoup"):
        run = clientgen(*args, cwd=cwd, cache_dir=cache)
        assert run.returncode == 0, run
    header = (project / "generated" / "recoup" / "_client.py").read_text().splitlines()[0]
    assert "from specs/recoup/delete-task.md." in header


@pytest.mark.parametrize("name, package", [("json", "json_api"), ("typing", "typing_api"),
                                           ("httpx", "httpx_api"), ("test", "test_api")])
def test_a_client_named_like_a_module_gets_a_suffix(
    project: Path, cache: Path, name: str, package: str
) -> None:
    shutil.copy(SPECS / "recoup" / "delete-task.md", project / f"{name}.md")
    run = clientgen("generate", "--specs", f"{name}.md", "--output", "out", cwd=project, cache_dir=cache)
    assert run.returncode == 0, run
    assert (project / "out" / package / "_client.py").exists()
    assert not (project / "out" / name).exists()


def test_a_held_lock_is_busy_whatever_the_cache_folder(
    project: Path, cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    output = project / "generated"
    other_cache = tmp_path_factory.mktemp("other-cache")
    with generator.lock.locked(output):
        proc = start_clientgen(project, "generate", cache=other_cache,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            wait_until(lambda: has_open(proc.pid, output) or proc.poll() is not None, 60,
                       message="the run to reach the lock")
            assert proc.poll() is None, "a run with another cache did not wait for the lock"
        finally:
            proc.kill()
            proc.communicate(timeout=30)
