"""Unit tests of generator/write.py: manifest, only-what-changed writes, removal, recovery."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from generator import write
from generator.write import MANIFEST, RETIRED, STAGING

OLD = 1_000_000_000  # an mtime in 2001: any rewrite moves it to "now"

PLAN = {
    "shop": {
        "__init__.py": "from .models import Pet\n",
        "models.py": "class Pet:\n    pass\n",
        "sub/data.txt": "data\n",
    }
}
RECORDS = {"shop": {"sources": {"specs/shop.yaml": "abc123"}, "operations": 1}}


def _age(folder: Path) -> None:
    """Set every file's mtime far in the past, so a rewrite is visible."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (OLD, OLD))


def _mtimes(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): int(path.stat().st_mtime)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _manifest(output: Path) -> dict[str, object]:
    return json.loads((output / MANIFEST).read_text(encoding="utf-8"))


def _files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _leftovers(output: Path) -> list[str]:
    return sorted(p.name for p in output.iterdir() if p.name.startswith((STAGING, RETIRED, ".tmp-")))


def test_write_creates_files_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = write.write(out, PLAN, RECORDS)
    assert _files(out / "shop") == PLAN["shop"]
    assert sorted(report["shop"].written) == sorted(PLAN["shop"])
    assert report["shop"].unchanged == [] and report["shop"].removed == []
    manifest = _manifest(out)
    entry = manifest["clients"]["shop"]  # type: ignore[index]
    assert entry["files"] == {rel: write.digest(text.encode()) for rel, text in PLAN["shop"].items()}
    assert entry["sources"] == {"specs/shop.yaml": "abc123"}
    assert _leftovers(out) == []


def test_write_does_not_touch_other_clients_or_files_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "handmade").mkdir(parents=True)
    (out / "handmade" / "keep.py").write_text("x = 1\n")
    (out / "__init__.py").write_text("")
    write.write(out, PLAN, RECORDS)
    assert (out / "handmade" / "keep.py").read_text() == "x = 1\n"
    assert (out / "__init__.py").read_text() == ""


def test_second_identical_write_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    _age(out)
    before = _mtimes(out)
    report = write.write(out, PLAN, RECORDS)
    assert report["shop"].written == [] and report["shop"].removed == []
    assert sorted(report["shop"].unchanged) == sorted(PLAN["shop"])
    assert not report["shop"].changed
    assert _mtimes(out) == before  # manifest included: nothing was rewritten
    assert _leftovers(out) == []


def test_changing_one_file_rewrites_only_that_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    _age(out / "shop")
    plan = {"shop": {**PLAN["shop"], "models.py": "class Pet:\n    name: str\n"}}
    report = write.write(out, plan, RECORDS)
    assert report["shop"].written == ["models.py"]
    assert sorted(report["shop"].unchanged) == ["__init__.py", "sub/data.txt"]
    mtimes = _mtimes(out / "shop")
    assert mtimes["models.py"] != OLD
    assert mtimes["__init__.py"] == OLD and mtimes["sub/data.txt"] == OLD
    assert _files(out / "shop") == plan["shop"]
    entry = _manifest(out)["clients"]["shop"]  # type: ignore[index]
    assert entry["files"]["models.py"] == write.digest(plan["shop"]["models.py"].encode())


def test_hand_edited_generated_file_is_restored(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    (out / "shop" / "models.py").write_text("# edited by hand\n")
    report = write.write(out, PLAN, RECORDS)
    assert report["shop"].written == ["models.py"]
    assert _files(out / "shop") == PLAN["shop"]


def test_foreign_file_in_a_client_folder_survives_writes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    (out / "shop" / "NOTES.md").write_text("mine\n")
    (out / "shop" / "extra").mkdir()
    (out / "shop" / "extra" / "helper.py").write_text("def help(): ...\n")
    write.write(out, PLAN, RECORDS)  # nothing changed
    plan = {"shop": {**PLAN["shop"], "models.py": "changed = True\n"}}
    write.write(out, plan, RECORDS)  # the folder is rebuilt and swapped
    assert (out / "shop" / "NOTES.md").read_text() == "mine\n"
    assert (out / "shop" / "extra" / "helper.py").read_text() == "def help(): ...\n"
    assert (out / "shop" / "models.py").read_text() == "changed = True\n"
    manifest_files = _manifest(out)["clients"]["shop"]["files"]  # type: ignore[index]
    assert "NOTES.md" not in manifest_files


def test_file_no_longer_produced_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    (out / "shop" / "mine.txt").write_text("foreign\n")
    plan = {"shop": {k: v for k, v in PLAN["shop"].items() if k != "sub/data.txt"}}
    report = write.write(out, plan, RECORDS)
    assert report["shop"].removed == ["sub/data.txt"]
    assert report["shop"].written == []
    assert not (out / "shop" / "sub" / "data.txt").exists()
    assert (out / "shop" / "mine.txt").exists()
    assert "sub/data.txt" not in _manifest(out)["clients"]["shop"]["files"]  # type: ignore[index]


def test_removed_client_is_deleted_with_its_manifest_entry(tmp_path: Path) -> None:
    out = tmp_path / "out"
    plan = {**PLAN, "old": {"__init__.py": "", "models.py": "x = 1\n"}}
    write.write(out, plan, RECORDS)
    assert (out / "old" / "models.py").exists()
    (out / "old" / "__pycache__").mkdir()
    (out / "old" / "__pycache__" / "models.cpython-311.pyc").write_bytes(b"\0")
    report = write.write(out, PLAN, RECORDS, remove=("old",))
    assert sorted(report["old"].removed) == ["__init__.py", "models.py"]
    assert not (out / "old").exists()
    assert "old" not in _manifest(out)["clients"]  # type: ignore[operator]
    assert (out / "shop" / "models.py").exists()


def test_removed_client_keeps_foreign_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write.write(out, {**PLAN, "old": {"a.py": "a\n"}}, RECORDS)
    (out / "old" / "mine.py").write_text("mine\n")
    write.write(out, PLAN, RECORDS, remove=("old",))
    assert not (out / "old" / "a.py").exists()
    assert (out / "old" / "mine.py").read_text() == "mine\n"


def test_client_left_out_of_the_plan_is_left_alone_unless_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write.write(out, {**PLAN, "other": {"a.py": "a\n"}}, RECORDS)
    write.write(out, PLAN, RECORDS)
    assert (out / "other" / "a.py").exists()
    assert "other" in _manifest(out)["clients"]  # type: ignore[operator]


def test_generate_prunes_the_client_whose_spec_disappeared(tmp_path: Path) -> None:
    from generator import regenerate
    from generator.config import Config

    specs = tmp_path / "specs"
    specs.mkdir()
    spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://x.example'}]\npaths: {}\n"
    (specs / "alpha.yaml").write_text(spec)
    (specs / "beta.yaml").write_text(spec)
    cfg = Config(root=tmp_path, specs=specs, output=tmp_path / "out")
    first = regenerate.generate(cfg)
    assert not first.failed
    assert (cfg.output / "beta" / "models.py").is_file()
    (specs / "beta.yaml").unlink()
    second = regenerate.generate(cfg)
    assert not second.failed
    assert not (cfg.output / "beta").exists()
    assert (cfg.output / "alpha" / "models.py").is_file()
    assert "beta" not in _manifest(cfg.output)["clients"]  # type: ignore[operator]


# -- compare -------------------------------------------------------------------------------


def test_compare_up_to_date(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    staleness = write.compare(out, PLAN)
    assert not staleness.stale
    assert (staleness.missing, staleness.changed, staleness.extra) == ([], [], [])


def test_compare_reports_missing_changed_and_extra(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write.write(out, {**PLAN, "old": {"a.py": "a\n"}}, RECORDS)
    (out / "shop" / "NOTES.md").write_text("foreign files are not extra\n")
    plan = {
        "shop": {
            "__init__.py": PLAN["shop"]["__init__.py"],
            "models.py": "class Pet:\n    name: str\n",
            "errors.py": "class Error(Exception): ...\n",
        }
    }
    staleness = write.compare(out, plan, ("old",))
    assert staleness.stale
    assert staleness.missing == ["shop/errors.py"]
    assert staleness.changed == ["shop/models.py"]
    assert sorted(staleness.extra) == ["old/a.py", "shop/sub/data.txt"]
    diff = staleness.diffs["shop/models.py"]
    assert "-    pass" in diff and "+    name: str" in diff


def test_compare_on_an_empty_output(tmp_path: Path) -> None:
    staleness = write.compare(tmp_path / "nothing", PLAN)
    assert sorted(staleness.missing) == sorted(f"shop/{rel}" for rel in PLAN["shop"])
    assert staleness.stale


def test_compare_does_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    (out / "shop" / "models.py").write_text("edited\n")
    _age(out)
    before = {**_files(out), "mtimes": _mtimes(out)}
    write.compare(out, PLAN)
    assert {**_files(out), "mtimes": _mtimes(out)} == before


# -- interrupted runs ----------------------------------------------------------------------


def test_interrupted_swap_is_recovered(tmp_path: Path) -> None:
    # Killed between "target -> retired" and "staging -> target": the client folder is
    # missing, the previous version sits in the retired folder, a staging folder is left.
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    (out / "shop" / "mine.txt").write_text("foreign\n")
    os.rename(out / "shop", out / f"{RETIRED}shop")
    staging = out / f"{STAGING}shop-abc123"
    staging.mkdir()
    (staging / "models.py").write_text("half written")
    report = write.write(out, PLAN, RECORDS)
    assert _leftovers(out) == []
    assert _files(out / "shop") == {**PLAN["shop"], "mine.txt": "foreign\n"}
    assert report["shop"].written == []  # the recovered folder already held this plan


def test_leftover_retired_folder_next_to_its_target_is_deleted(tmp_path: Path) -> None:
    # Killed after the swap, before the retired copy was deleted.
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    (out / f"{RETIRED}shop").mkdir()
    (out / f"{RETIRED}shop" / "models.py").write_text("stale")
    write.write(out, PLAN, RECORDS)
    assert _leftovers(out) == []
    assert _files(out / "shop") == PLAN["shop"]


def test_leftover_staging_folder_is_deleted_and_not_mistaken_for_a_client(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    (out / f"{STAGING}shop-xyz").mkdir()
    (out / f"{STAGING}shop-xyz" / "models.py").write_text("partial")
    report = write.write(out, PLAN, RECORDS)
    assert _leftovers(out) == []
    assert set(report) == {"shop"}


# -- permissions ---------------------------------------------------------------------------


@pytest.fixture
def umask_022() -> object:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_written_folders_and_files_follow_the_umask(tmp_path: Path, umask_022: object) -> None:
    # Generated packages are committed and imported by other users and tools (CI, Docker):
    # they must get the same permissions as any folder/file the user creates, not the
    # private 0700/0600 of temporary files.
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    plan = {"shop": {**PLAN["shop"], "models.py": "changed = 1\n"}}
    write.write(out, plan, RECORDS)  # a rewrite goes through staging + swap
    assert stat.S_IMODE((out / "shop").stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "shop" / "sub").stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "shop" / "models.py").stat().st_mode) == 0o644


def test_manifest_follows_the_umask(tmp_path: Path, umask_022: object) -> None:
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    assert stat.S_IMODE((out / MANIFEST).stat().st_mode) == 0o644


# -- only what changed is written ----------------------------------------------------------


def test_unchanged_files_are_not_copied_but_kept_as_the_same_files(tmp_path: Path) -> None:
    """The swapped-in folder holds the very files (inodes) that did not change: one changed
    file costs one write, not a copy of the whole client."""
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    (out / "shop" / "NOTES.md").write_text("mine\n")
    inodes = {rel: (out / "shop" / rel).stat().st_ino for rel in ("__init__.py", "sub/data.txt", "NOTES.md")}
    plan = {"shop": {**PLAN["shop"], "models.py": "changed = True\n"}}
    write.write(out, plan, RECORDS)
    assert {rel: (out / "shop" / rel).stat().st_ino for rel in inodes} == inodes
    assert all((out / "shop" / rel).stat().st_nlink == 1 for rel in inodes), "the old folder is gone"
    assert _files(out / "shop") == {**plan["shop"], "NOTES.md": "mine\n"}
    assert _leftovers(out) == []


def test_bytecode_of_unchanged_modules_survives_the_swap_and_of_changed_ones_not(tmp_path: Path) -> None:
    out = tmp_path / "out"
    plan = {"shop": {"__init__.py": "", "models.py": "A = 1\n", "errors.py": "B = 2\n"}}
    write.write(out, plan, RECORDS)
    cache = out / "shop" / "__pycache__"
    cache.mkdir()
    for module in ("__init__", "models", "errors"):
        (cache / f"{module}.cpython-311.pyc").write_bytes(b"bytecode")
    write.write(out, {"shop": {**plan["shop"], "models.py": "A = 3\n"}}, RECORDS)  # same size
    assert sorted(p.name for p in cache.iterdir()) == ["__init__.cpython-311.pyc", "errors.cpython-311.pyc"]
    write.write(out, {"shop": {"__init__.py": "", "models.py": "A = 3\n"}}, RECORDS)  # errors.py removed
    assert sorted(p.name for p in cache.iterdir()) == ["__init__.cpython-311.pyc"]


def test_without_hard_links_unchanged_files_are_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write.write(out, PLAN, RECORDS)
    _age(out / "shop")

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(1, "hard links not supported here")

    monkeypatch.setattr(write.os, "link", no_links)
    plan = {"shop": {**PLAN["shop"], "models.py": "changed = True\n"}}
    report = write.write(out, plan, RECORDS)
    assert report["shop"].written == ["models.py"]
    assert _files(out / "shop") == plan["shop"]
    assert _mtimes(out / "shop")["__init__.py"] == OLD  # copied with its mtime
    assert _leftovers(out) == []
