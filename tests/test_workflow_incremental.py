"""Incremental regeneration through the real command line.

`generate` and `check` answer from the manifest when nothing changed, rebuild only the
clients whose specs changed, rewrite only the files whose bytes changed, never touch files
they did not write, and find hand edits.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from workflow_support import (
    HEAVY_MODULES,
    MANIFEST,
    SEED_CLIENTS,
    age,
    bump_version,
    client_part,
    clientgen,
    env_for,
    leftovers,
    make_tree,
    mtimes,
    read_manifest,
    replace_once,
    shared_cache,
    snapshot,
)

__all__ = ["shared_cache"]  # the session fixture, imported so pytest finds it

RECOUP_SPEC = Path("specs/recoup/delete-task.md")
RECOUP_SUMMARY = "summary: Delete scheduled task"


@pytest.fixture(scope="module")
def base_tree(tmp_path_factory: pytest.TempPathFactory, shared_cache: Path) -> Path:
    """A project with a complete first generation (made once per module)."""
    tree = make_tree(tmp_path_factory.mktemp("base") / "project")
    run = clientgen(tree, "generate", cache=shared_cache)
    assert run.returncode == 0, run
    for client in SEED_CLIENTS:
        assert f"{client}: " in run.stdout and "12 files written" in run.stdout, run
    return tree


@pytest.fixture
def tree(base_tree: Path, tmp_path: Path) -> Path:
    """A private copy of the generated project; every file's mtime moved to 2001."""
    copy = tmp_path / "project"
    shutil.copytree(base_tree, copy)
    age(copy / "generated")
    return copy


def _client_mtimes(tree: Path, client: str) -> dict[str, int]:
    return mtimes(tree / "generated" / client)


# --------------------------------------------------------------------------- no-op runs


def test_second_generate_writes_nothing_and_keeps_every_mtime(tree: Path, shared_cache: Path) -> None:
    output = tree / "generated"
    before_bytes, before_times = snapshot(output), mtimes(output)

    run = clientgen(tree, "generate", cache=shared_cache)

    assert run.returncode == 0, run
    for client in SEED_CLIENTS:
        assert f"{client}: up to date" in run.stdout, run
    assert "written" not in run.stdout, run
    assert snapshot(output) == before_bytes
    assert mtimes(output) == before_times, "an up-to-date generate rewrote files"


def test_fail_on_change_exits_0_when_nothing_changed(tree: Path, shared_cache: Path) -> None:
    output = tree / "generated"
    before = mtimes(output)
    run = clientgen(tree, "generate", "--fail-on-change", cache=shared_cache)
    assert run.returncode == 0, run
    assert mtimes(output) == before


def test_check_exits_0_on_a_fresh_tree(tree: Path, shared_cache: Path) -> None:
    output = tree / "generated"
    before = mtimes(output)
    run = clientgen(tree, "check", cache=shared_cache)
    assert run.returncode == 0, run
    assert "up to date" in run.stdout, run
    assert mtimes(output) == before, "check must not write"


# --------------------------------------------------------------------------- spec edits


def test_editing_one_spec_rebuilds_only_that_client_and_only_changed_files(
    tree: Path, shared_cache: Path
) -> None:
    output = tree / "generated"
    before_bytes, before_times = snapshot(output), mtimes(output)
    replace_once(tree / RECOUP_SPEC, RECOUP_SUMMARY, "summary: Remove a scheduled task")

    run = clientgen(tree, "generate", cache=shared_cache)

    assert run.returncode == 0, run
    after_bytes, after_times = snapshot(output), mtimes(output)
    # The other clients: not a byte, not an mtime.
    for client in ("anchorbrowser", "xpander"):
        assert f"{client}: up to date" in run.stdout, run
        assert client_part(after_bytes, client) == client_part(before_bytes, client)
        assert client_part(after_times, client) == client_part(before_times, client), client
    # Within recoup: exactly the files whose bytes changed were rewritten.
    old, new = client_part(before_bytes, "recoup"), client_part(after_bytes, "recoup")
    old_t, new_t = client_part(before_times, "recoup"), client_part(after_times, "recoup")
    assert set(old) == set(new)
    changed = sorted(rel for rel in new if new[rel] != old[rel])
    rewritten = sorted(rel for rel in new if new_t[rel] != old_t[rel])
    assert {"resources/tasks.py", "resources/_async/tasks.py", "README.md"} <= set(changed), changed
    assert rewritten == changed, f"rewritten {rewritten}, but only {changed} changed"
    assert b"Remove a scheduled task" in new["resources/tasks.py"]
    assert f"recoup: 1 operations, 5 models, {len(changed)} files written, " \
           f"{len(new) - len(changed)} unchanged" in run.stdout, run
    # The manifest follows the spec: the next run is a no-op.
    again = clientgen(tree, "generate", cache=shared_cache)
    assert "recoup: up to date" in again.stdout, again
    assert mtimes(output) == after_times


def test_comment_only_spec_edit_rewrites_no_generated_file(tree: Path, shared_cache: Path) -> None:
    output = tree / "generated"
    before_bytes = snapshot(output)
    before_times = mtimes(output)
    with (tree / RECOUP_SPEC).open("a", encoding="utf-8") as handle:
        handle.write("\n<!-- a reviewer's note: nothing the OpenAPI block says -->\n")

    run = clientgen(tree, "generate", cache=shared_cache)

    assert run.returncode == 0, run
    assert "recoup: 1 operations, 5 models, 0 files written, 12 unchanged" in run.stdout, run
    after_bytes, after_times = snapshot(output), mtimes(output)
    for rel in before_bytes:
        if rel != MANIFEST:
            assert after_bytes[rel] == before_bytes[rel], rel
            assert after_times[rel] == before_times[rel], f"{rel} rewritten with identical bytes"


def _comment_only_edit(tree: Path) -> None:
    """A spec edit that changes no client file: a Markdown comment after the OpenAPI block."""
    with (tree / RECOUP_SPEC).open("a", encoding="utf-8") as handle:
        handle.write("\n<!-- a reviewer's note -->\n")


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return [rel for rel in sorted(set(before) | set(after)) if before.get(rel) != after.get(rel)]


def test_fail_on_change_exits_1_whenever_generate_changed_a_file(tree: Path, shared_cache: Path) -> None:
    """generated/ is committed, manifest included: --fail-on-change must report every
    file it rewrote (pre-commit otherwise fails the hook with no word from clientgen)."""
    output = tree / "generated"
    _comment_only_edit(tree)
    before = snapshot(output)
    gen = clientgen(tree, "generate", "--fail-on-change", cache=shared_cache)
    changed = _changed(before, snapshot(output))
    assert gen.returncode == (1 if changed else 0), (
        f"generate --fail-on-change changed {changed or 'nothing'} in generated/ "
        f"but exited {gen.returncode}\n{gen}"
    )


def test_check_is_stale_whenever_generate_would_change_a_file(tree: Path, shared_cache: Path) -> None:
    """`check` exits 1 "when the output differs from what generate would write" (its help)."""
    output = tree / "generated"
    _comment_only_edit(tree)
    before = snapshot(output)
    check = clientgen(tree, "check", cache=shared_cache)
    assert snapshot(output) == before, "check wrote something"
    clientgen(tree, "generate", cache=shared_cache)
    changed = _changed(before, snapshot(output))
    assert check.returncode == (1 if changed else 0), (
        f"check exited {check.returncode}, yet generate then changed {changed or 'nothing'} "
        f"in generated/\n{check}"
    )


def test_fail_on_change_exits_1_after_a_spec_change_then_0(tree: Path, shared_cache: Path) -> None:
    replace_once(tree / RECOUP_SPEC, RECOUP_SUMMARY, "summary: Remove a scheduled task")
    first = clientgen(tree, "generate", "--fail-on-change", cache=shared_cache)
    assert first.returncode == 1, first
    assert "changed" in first.stderr, first
    assert b"Remove a scheduled task" in (tree / "generated/recoup/resources/tasks.py").read_bytes()
    second = clientgen(tree, "generate", "--fail-on-change", cache=shared_cache)
    assert second.returncode == 0, second


def test_removing_an_operation_removes_its_method_and_readme_entry(
    tree: Path, shared_cache: Path
) -> None:
    client = tree / "generated" / "anchorbrowser"
    assert "def delete_version(" in (client / "resources/tasks.py").read_text()
    assert "tasks.delete_version" in (client / "README.md").read_text()
    (tree / "specs/anchorbrowser/delete-task-version.md").unlink()

    run = clientgen(tree, "generate", cache=shared_cache)

    assert run.returncode == 0, run
    assert "anchorbrowser: 1 operations" in run.stdout, run
    assert "delete_version" not in (client / "resources/tasks.py").read_text()
    assert "delete_version" not in (client / "README.md").read_text()
    assert "def get_latest_version(" in (client / "resources/tasks.py").read_text()
    entry = read_manifest(tree / "generated")["clients"]["anchorbrowser"]  # type: ignore[index]
    assert list(entry["sources"]) == ["specs/anchorbrowser/get-latest-task-version.md"]
    assert clientgen(tree, "check", cache=shared_cache).returncode == 0


# --------------------------------------------------------------------------- foreign files


def test_foreign_files_survive_every_generate(tree: Path, shared_cache: Path) -> None:
    output = tree / "generated"
    foreign = {
        output / "anchorbrowser" / "NOTES.txt": b"hand-written notes\n",
        output / "anchorbrowser" / "extra" / "fixture.json": b'{"keep": true}\n',
        output / "mine.txt": b"mine\n",
        output / "recoup" / "NOTES.txt": b"recoup notes\n",
    }
    for path, data in foreign.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def survived(step: str) -> None:
        for path, data in foreign.items():
            assert path.is_file() and path.read_bytes() == data, f"{path} lost after {step}"
        assert leftovers(output) == [], step

    runs = []
    runs.append(clientgen(tree, "generate", cache=shared_cache))
    survived("an up-to-date generate")
    bump_version(tree / "specs/anchorbrowser/delete-task-version.md")
    bump_version(tree / "specs/anchorbrowser/get-latest-task-version.md")
    replace_once(tree / RECOUP_SPEC, RECOUP_SUMMARY, "summary: Remove a scheduled task")
    runs.append(clientgen(tree, "generate", cache=shared_cache))
    survived("rebuilding the clients the files live in")
    runs.append(clientgen(tree, "generate", "--force", cache=shared_cache))
    survived("generate --force")
    (tree / "specs/anchorbrowser/delete-task-version.md").unlink()
    runs.append(clientgen(tree, "generate", cache=shared_cache))
    survived("removing an operation")
    shutil.rmtree(tree / "specs/recoup")
    runs.append(clientgen(tree, "generate", cache=shared_cache))
    survived("removing the recoup client")
    for run in runs:
        assert run.returncode == 0, run
    assert "9.9.9" in (output / "anchorbrowser/__init__.py").read_text()


def test_removing_a_client_folder_removes_its_files_but_not_foreign_ones(
    tree: Path, shared_cache: Path
) -> None:
    output = tree / "generated"
    (output / "xpander" / "EXTRA.txt").write_bytes(b"not clientgen's\n")
    before_times = mtimes(output)
    shutil.rmtree(tree / "specs/xpander")
    shutil.rmtree(tree / "specs/recoup")

    run = clientgen(tree, "generate", cache=shared_cache)

    assert run.returncode == 0, run
    assert "xpander: removed (12 files)" in run.stdout, run
    assert "recoup: removed (12 files)" in run.stdout, run
    assert sorted(p.name for p in (output / "xpander").iterdir()) == ["EXTRA.txt"]
    assert not (output / "recoup").exists(), "an emptied client folder should go too"
    assert sorted(read_manifest(output)["clients"]) == ["anchorbrowser"]
    assert client_part(mtimes(output), "anchorbrowser") == client_part(before_times, "anchorbrowser")
    assert clientgen(tree, "check", cache=shared_cache).returncode == 0


# --------------------------------------------------------------------------- hand edits


def test_check_finds_a_hand_edit_and_generate_undoes_it(tree: Path, shared_cache: Path) -> None:
    output = tree / "generated"
    target = output / "recoup" / "resources" / "tasks.py"
    original = target.read_bytes()
    target.write_bytes(original.replace(b'"""Delete scheduled task', b'"""HAND EDITED', 1))
    assert target.read_bytes() != original

    check = clientgen(tree, "check", cache=shared_cache)
    assert check.returncode == 1, check
    assert "recoup/resources/tasks.py" in check.stdout, check
    assert "--- recoup/resources/tasks.py (on disk)" in check.stdout, check
    assert "+++ recoup/resources/tasks.py (generated)" in check.stdout, check
    assert '-        """HAND EDITED' in check.stdout, check
    assert '+        """Delete scheduled task' in check.stdout, check
    assert target.read_bytes() != original, "check must not repair"

    gen = clientgen(tree, "generate", "--fail-on-change", cache=shared_cache)
    assert gen.returncode == 1, gen
    assert target.read_bytes() == original
    assert clientgen(tree, "check", cache=shared_cache).returncode == 0


def test_check_shortens_long_diffs_and_diff_prints_all(tree: Path, shared_cache: Path) -> None:
    target = tree / "generated" / "recoup" / "_client.py"
    original = target.read_text(encoding="utf-8")
    target.write_text("# replaced by hand\n", encoding="utf-8")
    removed_lines = original.count("\n")

    short = clientgen(tree, "check", cache=shared_cache)
    full = clientgen(tree, "check", "--diff", cache=shared_cache)

    assert short.returncode == 1 and full.returncode == 1, (short, full)
    assert "more lines of recoup/_client.py (--diff shows all)" in short.stdout, short
    assert "more lines of" not in full.stdout, full
    plus = [line for line in full.stdout.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert len(plus) == removed_lines, "--diff must print every line of the diff"
    assert len(short.stdout.splitlines()) < len(full.stdout.splitlines())


def test_check_finds_a_deleted_generated_file(tree: Path, shared_cache: Path) -> None:
    target = tree / "generated" / "xpander" / "models.py"
    original = target.read_bytes()
    target.unlink()
    check = clientgen(tree, "check", cache=shared_cache)
    assert check.returncode == 1, check
    assert "xpander/models.py" in check.stdout, check
    assert clientgen(tree, "generate", cache=shared_cache).returncode == 0
    assert target.read_bytes() == original


def test_broken_spec_check_exits_2_and_generate_writes_nothing(tree: Path, shared_cache: Path) -> None:
    output = tree / "generated"
    replace_once(tree / RECOUP_SPEC, "\npaths:\n", "\npaths: [unclosed\n")
    before, before_times = snapshot(output), mtimes(output)

    check = clientgen(tree, "check", cache=shared_cache)
    gen = clientgen(tree, "generate", cache=shared_cache)

    assert check.returncode == 2, check
    assert "specs/recoup/delete-task.md:" in check.stderr and "error" in check.stderr, check
    assert gen.returncode == 2, gen
    assert "nothing written" in gen.stderr, gen
    assert snapshot(output) == before and mtimes(output) == before_times


# --------------------------------------------------------------------------- fast path

PROBE = """
import atexit, runpy, sys
HEAVY = {heavy!r}
def report():
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
    print("HEAVY-MODULES=" + ",".join(loaded), file=sys.stderr)
atexit.register(report)
sys.argv = ["clientgen", *{args!r}]
runpy.run_module("generator", run_name="__main__", alter_sys=True)
"""


def _heavy_modules(tree: Path, cache: Path, *args: str) -> tuple[int, list[str], str]:
    proc = subprocess.run(  # returncode checked by the caller
        [sys.executable, "-c", PROBE.format(heavy=HEAVY_MODULES, args=args)],
        check=False,
        cwd=tree, env=env_for(cache), capture_output=True, text=True, timeout=300,
    )
    lines = [line for line in proc.stderr.splitlines() if line.startswith("HEAVY-MODULES=")]
    assert len(lines) == 1, proc.stdout + proc.stderr
    loaded = [m for m in lines[0].split("=", 1)[1].split(",") if m]
    return proc.returncode, loaded, proc.stdout + proc.stderr


@pytest.mark.parametrize("args", [("check",), ("generate",), ("generate", "--fail-on-change")])
def test_up_to_date_runs_import_nothing_heavy(tree: Path, shared_cache: Path, args: tuple[str, ...]) -> None:
    code, loaded, output = _heavy_modules(tree, shared_cache, *args)
    assert code == 0, output
    assert "up to date" in output
    assert loaded == [], f"clientgen {' '.join(args)} on an up-to-date tree imported {loaded}"


def test_the_import_probe_sees_heavy_modules_on_a_stale_tree(tree: Path, shared_cache: Path) -> None:
    """Control for the test above: the probe does see them when work is needed."""
    replace_once(tree / RECOUP_SPEC, RECOUP_SUMMARY, "summary: Remove a scheduled task")
    code, loaded, output = _heavy_modules(tree, shared_cache, "check")
    assert code == 1, output
    assert {"black", "jinja2", "pydantic"} <= {m.split(".")[0] for m in loaded}, loaded


def test_manifest_lists_every_written_file_with_its_digest(tree: Path) -> None:
    import hashlib

    output = tree / "generated"
    manifest = read_manifest(output)
    for client in SEED_CLIENTS:
        files = manifest["clients"][client]["files"]  # type: ignore[index]
        on_disk = client_part(snapshot(output), client)
        assert set(files) == set(on_disk), client
        for rel, data in on_disk.items():
            assert files[rel] == hashlib.sha256(data).hexdigest(), f"{client}/{rel}"
    json.dumps(manifest)


# --------------------------------------------------------------------------- races


def test_a_spec_saved_while_generate_builds_is_not_recorded_as_built(
    tree: Path, shared_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building takes seconds to minutes; a save in the meantime must leave the client stale
    (the manifest has to record the spec bytes the build read, not what is on disk later)."""
    import generator.pipeline
    from generator import config, regenerate

    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(shared_cache))
    spec = tree / RECOUP_SPEC
    replace_once(spec, RECOUP_SUMMARY, "summary: Remove a scheduled task")
    real_build = generator.pipeline.build

    def build_then_save(*args: object, **kwargs: object) -> object:
        result = real_build(*args, **kwargs)  # type: ignore[arg-type]
        replace_once(spec, "summary: Remove a scheduled task", "summary: Erase a scheduled task")
        return result

    monkeypatch.setattr(generator.pipeline, "build", build_then_save)
    outcome = regenerate.generate(config.load(start=tree))
    monkeypatch.undo()
    assert not outcome.failed, outcome
    client = (tree / "generated/recoup/resources/tasks.py").read_bytes()
    assert b"Remove a scheduled task" in client and b"Erase" not in client

    check = clientgen(tree, "check", cache=shared_cache)
    assert check.returncode == 1, (
        "generated/recoup was built from the spec before the save, yet check says it is "
        f"up to date:\n{check}"
    )
    clientgen(tree, "generate", cache=shared_cache)
    assert b"Erase a scheduled task" in (tree / "generated/recoup/resources/tasks.py").read_bytes()
