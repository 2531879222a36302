"""`--timings` / CLIENTGEN_TIMINGS=1: each stage's wall and CPU seconds on stderr, which
bench/run.py reads; nothing extra without it."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.stages import STAGES, parse
from tests.cli_support import clientgen

ROOT = Path(__file__).resolve().parent.parent


def _project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "specs" / "recoup", tmp_path / "specs" / "recoup")
    (tmp_path / "pyproject.toml").write_text("[tool.clientgen]\n")
    return tmp_path


def test_generate_with_timings_reports_every_stage(tmp_path: Path) -> None:
    project = _project(tmp_path)
    run = clientgen("generate", "--timings", cwd=project, cache_dir=tmp_path / "cache")
    assert run.returncode == 0, run
    figures = parse(run.stderr, 0.0)
    assert set(figures.stages) == set(STAGES), run.stderr
    assert figures.stages["format"][1] > 0, "black's CPU time is counted"
    assert figures.peak_mb[0] > 0
    assert "recoup: 1 operations" in run.stdout  # the report itself is unchanged


def test_timings_by_environment_and_only_when_asked(tmp_path: Path) -> None:
    project = _project(tmp_path)
    quiet = clientgen("generate", cwd=project, cache_dir=tmp_path / "cache")
    assert quiet.returncode == 0 and "timings" not in quiet.stderr, quiet
    check = clientgen("check", cwd=project, cache_dir=tmp_path / "cache", env={"CLIENTGEN_TIMINGS": "1"})
    assert check.returncode == 0, check
    assert "clientgen timings" in check.stderr  # nothing was built: no stage, the total only
    assert "format" not in check.stderr
