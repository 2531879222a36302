"""Hostile and broken documents, one per file in tests/hostile/, each with the diagnostic it
must give (tests/hostile/cases.tsv): `clientgen validate` exits 0 or 2, never a traceback,
within seconds; every tolerated defect is a warning that `--strict` turns into a failure.

cases.tsv columns: case (a file or folder in tests/hostile/, or one a setup below writes),
outcome (`ok`: exit 0 with no diagnostic; `warn`: exit 0 with warnings, 2 with --strict;
`error`: exit 2), setup (`-` or the name of a function below preparing what cannot be a
committed file: a FIFO, a symlink loop, a file outside the specs folder, large documents),
expected (substrings of the output, separated by ` && `: what went wrong and where).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from feature_support import black_cache

from generator.cli import main

HOSTILE = Path(__file__).resolve().parent / "hostile"
SECONDS = 60  # a hang fails the case instead of the run
SECRET = "TOP-SECRET-VALUE"


@dataclass(frozen=True)
class Case:
    name: str
    outcome: str
    setup: str
    expected: tuple[str, ...]


def _cases() -> list[Case]:
    found = []
    for line in (HOSTILE / "cases.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, outcome, setup, expected = line.split("\t")
        found.append(Case(name, outcome, setup, tuple(e for e in expected.split(" && ") if e)))
    return found


def _fifo(case: Path, project: Path) -> None:
    os.mkfifo(case / "pipe.yaml")


def _symlink_loop(case: Path, project: Path) -> None:
    (case / "loop_a.yaml").symlink_to("loop_b.yaml")
    (case / "loop_b.yaml").symlink_to("loop_a.yaml")


def _secret_outside(case: Path, project: Path) -> None:
    (project / "secret.yaml").write_text(f"Secret: {{type: string, description: {SECRET}}}\n")


def _deep_json(case: Path, project: Path) -> None:
    deep = "[" * 10_000 + "]" * 10_000
    text = '{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "servers": [{"url": "https://api.example.com"}],\n'
    text += '"paths": {},\n"x-deep": {"a,{[\\"": 1, "b": [1, ' + deep + "]}}\n"  # brackets and commas in a key
    case.with_suffix(".json").write_text(text)


def _model_chain(case: Path, project: Path) -> None:
    """4,000 models, each with a property holding the next: lowered without recursion."""
    schemas = {
        f"M{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/M{i + 1}"}}}
        for i in range(3_999)
    }
    schemas["M3999"] = {"type": "object", "properties": {"end": {"type": "string"}}}
    paths = {"/m": {"get": {"operationId": "first", "responses": {"200": {
        "description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/M0"}}}}}}}}
    document = {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths,
                "servers": [{"url": "https://api.example.com"}],
                "components": {"schemas": schemas}}
    case.with_suffix(".json").write_text(json.dumps(document))


SETUPS: dict[str, Callable[[Path, Path], None]] = {
    "fifo": _fifo, "symlink-loop": _symlink_loop, "secret-outside": _secret_outside,
    "deep-json": _deep_json, "model-chain": _model_chain,
}


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s (a hang)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _validate(project: Path, *options: str) -> tuple[int, str]:
    runner = CliRunner()
    with _deadline(SECONDS):
        result = runner.invoke(main, ["validate", "--specs", str(project / "specs"), *options])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails with it
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "specs").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.clientgen]\n")
    monkeypatch.chdir(tmp_path)
    with black_cache(tmp_path / "cache"):
        yield tmp_path


CASES = _cases()


def test_the_table_names_every_case_file_and_every_file_has_a_row() -> None:
    files = {p.name for p in HOSTILE.iterdir() if p.name != "cases.tsv"}
    named = {case.name for case in CASES}
    assert files - named == set(), "case files without a row in cases.tsv"
    assert {c.name for c in CASES if c.setup == "-"} <= files


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_document_gets_its_diagnostic(project: Path, case: Case) -> None:
    source = HOSTILE / case.name
    target = project / "specs" / case.name
    if source.is_dir():
        shutil.copytree(source, target)
    elif source.exists():
        shutil.copy(source, target)
    if case.setup != "-":
        SETUPS[case.setup](target, project)
    code, output = _validate(project)
    assert "Traceback" not in output, output
    expected_code = 2 if case.outcome == "error" else 0
    assert code == expected_code, output
    for text in case.expected:
        assert text in output, f"{text!r} not in:\n{output}"
    assert SECRET not in output
    if case.outcome == "ok":
        assert "warning" not in output and "error:" not in output, output
    if case.outcome == "warn":
        assert "warning:" in output, output
        strict_code, strict_output = _validate(project, "--strict")
        assert strict_code == 2, strict_output
