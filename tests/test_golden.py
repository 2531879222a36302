"""Golden records: the committed generated/ is exactly what `clientgen generate` makes of specs/.

The manifest generated/.clientgen.json is compared too, byte for byte, except the value of
its "toolchain" key: that is a digest of the generator's own source files, so it changes
with every edit to generator/ even when the output does not (and `clientgen check` accepts
such a manifest as up to date). Two fresh runs must agree on it as well.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_support import (
    CLIENTS,
    GENERATED,
    MANIFEST,
    REPO,
    Run,
    clientgen,
    tree,
    tree_differences,
)

TOOLCHAIN = re.compile(rb'("toolchain":\s*)"[0-9a-f]*"')


def generate(output: Path, cache: Path, **env: str) -> Run:
    run = clientgen(
        "generate",
        "--specs",
        "specs",
        "--output",
        str(output),
        cwd=REPO,
        cache_dir=cache,
        env=env,
    )
    assert run.returncode == 0, run
    return run


def without_toolchain(files: dict[str, bytes]) -> dict[str, bytes]:
    if MANIFEST in files:
        files = {**files, MANIFEST: TOOLCHAIN.sub(rb'\1"<toolchain>"', files[MANIFEST])}
    return files


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("golden")
    generate(base / "out", base / "cache")
    return base / "out"


def test_regenerated_specs_match_committed_output_byte_for_byte(
    regenerated: Path,
) -> None:
    committed, fresh = tree(GENERATED), tree(regenerated)
    assert {name.split("/")[0] for name in committed} == {*CLIENTS, MANIFEST}
    differences = tree_differences(
        without_toolchain(committed), without_toolchain(fresh)
    )
    assert differences == [], (
        "generated/ differs from a fresh `clientgen generate` of specs/ "
        "(run `make generate`):\n\n" + "\n\n".join(differences)
    )


def test_every_client_has_the_files_of_the_design(regenerated: Path) -> None:
    expected = {
        "README.md",
        "__init__.py",
        "_base.py",
        "_client.py",
        "errors.py",
        "models.py",
        "openapi.json",
        "py.typed",
    }
    for client in CLIENTS:
        files = {p.name for p in (regenerated / client).iterdir()}
        assert expected <= files, f"{client}: missing {sorted(expected - files)}"


def test_generation_is_deterministic(regenerated: Path, tmp_path: Path) -> None:
    """A second run (other hash seed, empty black cache) writes the same bytes."""
    generate(tmp_path / "out", tmp_path / "cache", PYTHONHASHSEED="4242")
    first, second = tree(regenerated), tree(tmp_path / "out")
    differences = tree_differences(first, second)
    assert differences == [], "two runs differ:\n\n" + "\n\n".join(differences)


def test_regenerating_an_up_to_date_output_changes_nothing(tmp_path: Path) -> None:
    output, cache = tmp_path / "out", tmp_path / "cache"
    generate(output, cache)
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    contents = tree(output)
    again = generate(output, cache)
    assert tree(output) == contents, again
    after = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    assert after == before, f"files were rewritten although nothing changed\n{again}"


def test_clientgen_check_on_the_repository_exits_0(tmp_path: Path) -> None:
    before = tree(GENERATED)
    run = clientgen(
        "check", cwd=REPO, cache_dir=tmp_path / "cache", console_script=True
    )
    assert run.returncode == 0, run
    assert "up to date" in run.output, run
    assert tree(GENERATED) == before, "`clientgen check` modified generated/"
