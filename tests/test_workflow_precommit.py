"""The pre-commit hooks of .pre-commit-hooks.yaml, run by the real `pre-commit` on real commits.

A "hook repository" is a git snapshot of this working tree; a consumer repository uses it
with `repo: <path>`, `rev: <sha>`. pre-commit pip-installs clientgen into its own
environment once per module (PRE_COMMIT_HOME is shared by the module's tests).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from workflow_support import (
    PYPROJECT,
    REPO,
    SPECS,
    clientgen,
    replace_once,
    shared_cache,
)

__all__ = ["shared_cache"]

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
RECOUP_SPEC = "specs/recoup/delete-task.md"
CHECK_NAME = "clientgen check (generated clients match their specs)"
GENERATE_NAME = "clientgen generate (regenerate clients, then stage them)"


def _git_env(home: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(home),
        CLIENTGEN_CACHE_DIR=str(cache),
        PRE_COMMIT_COLOR="never",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
    )
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "PYTHONPATH", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, check=False, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def _git(repo: Path, *args: str, env: dict[str, str] | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return _run(["git", *args], repo, env, timeout)


def _init_repo(repo: Path) -> None:
    for args in (("init", "-q", "-b", "main"), ("config", "user.name", "Workflow Tests"),
                 ("config", "user.email", "workflow-tests@example.invalid"),
                 ("config", "commit.gpgsign", "false")):
        done = _git(repo, *args)
        assert done.returncode == 0, done.stderr


def _out(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n--- stdout\n{done.stdout}--- stderr\n{done.stderr}"


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git snapshot of this project's working tree (tracked + untracked, not ignored)."""
    dest = tmp_path_factory.mktemp("hook-repo") / "clientgen"
    dest.mkdir()
    listed = set()
    for extra in ((), ("--others", "--exclude-standard")):
        done = _git(REPO, "ls-files", "-z", *extra)
        assert done.returncode == 0, done.stderr
        listed |= {name for name in done.stdout.split("\0") if name}
    for rel in sorted(listed):
        source = REPO / rel
        if rel.startswith("generated/") or not source.is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest / rel)
    assert (dest / ".pre-commit-hooks.yaml").is_file()
    _init_repo(dest)
    for args in (("add", "-A"), ("commit", "-q", "-m", "snapshot of the working tree")):
        done = _git(dest, *args)
        assert done.returncode == 0, _out(done)
    sha = _git(dest, "rev-parse", "HEAD").stdout.strip()
    return dest, sha


def _consumer(root: Path, hook: str, hook_repo: tuple[Path, str], home: Path, cache: Path) -> Path:
    """A git repository with specs/, generated/ (by this checkout's clientgen), pyproject.toml
    and a .pre-commit-config.yaml using `hook` from the hook repository; hooks installed."""
    repo = root / "consumer"
    repo.mkdir(parents=True)
    shutil.copytree(SPECS, repo / "specs")
    (repo / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (repo / "README.md").write_text("# consumer\n", encoding="utf-8")
    path, sha = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path}\n    rev: {sha}\n    hooks:\n      - id: {hook}\n",
        encoding="utf-8",
    )
    run = clientgen(repo, "generate", cache=cache)
    assert run.returncode == 0, run
    _init_repo(repo)
    env = _git_env(home, cache)
    for args in (("add", "-A"), ("commit", "-q", "-m", "initial")):
        done = _git(repo, *args, env=env)
        assert done.returncode == 0, _out(done)
    installed = _run([str(PRE_COMMIT), "install"], repo, env)
    assert installed.returncode == 0, _out(installed)
    # The hook environment (pip install of the hook repository) is built once per module.
    ready = _run([str(PRE_COMMIT), "install-hooks"], repo, env, timeout=1200)
    assert ready.returncode == 0, _out(ready)
    return repo


def _text(done: subprocess.CompletedProcess[str]) -> str:
    """What a git commit printed; its hooks write to stderr."""
    return done.stdout + done.stderr


def _commit(repo: Path, message: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _git(repo, "commit", "-m", message, env=env, timeout=600)


def _head(repo: Path) -> str:
    return _git(repo, "rev-parse", "HEAD").stdout.strip()


def _status(repo: Path) -> str:
    return _git(repo, "status", "--porcelain").stdout


def test_check_hook_refuses_a_stale_commit_until_regenerated(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path, shared_cache: Path
) -> None:
    repo = _consumer(tmp_path, "clientgen-check", hook_repo, pre_commit_home, shared_cache)
    env = _git_env(pre_commit_home, shared_cache)

    # A commit that touches neither specs nor generated files does not run the hook.
    (repo / "README.md").write_text("# consumer\n\nnotes\n", encoding="utf-8")
    _git(repo, "add", "README.md")
    unrelated = _commit(repo, "docs", env)
    assert unrelated.returncode == 0, _out(unrelated)
    assert CHECK_NAME in _text(unrelated) and "Skipped" in _text(unrelated), _out(unrelated)

    replace_once(repo / RECOUP_SPEC, "summary: Delete scheduled task", "summary: Remove a scheduled task")
    _git(repo, "add", RECOUP_SPEC)
    head = _head(repo)
    refused = _commit(repo, "edit the spec only", env)
    assert refused.returncode != 0, _out(refused)
    assert CHECK_NAME in _text(refused) and "Failed" in _text(refused), _out(refused)
    assert "recoup/resources/tasks.py" in _text(refused), _out(refused)
    assert _head(repo) == head, "the stale commit went through"

    run = clientgen(repo, "generate", cache=shared_cache)
    assert run.returncode == 0, run
    _git(repo, "add", "-A")
    accepted = _commit(repo, "edit the spec and regenerate", env)
    assert accepted.returncode == 0, _out(accepted)
    assert CHECK_NAME in _text(accepted) and "Passed" in _text(accepted), _out(accepted)
    assert _head(repo) != head
    files = _git(repo, "show", "--name-only", "--format=", "HEAD").stdout.split()
    assert {RECOUP_SPEC, "generated/recoup/resources/tasks.py"} <= set(files), files
    assert _status(repo) == ""


def test_generate_hook_regenerates_then_the_staged_result_commits(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path, shared_cache: Path
) -> None:
    repo = _consumer(tmp_path, "clientgen-generate", hook_repo, pre_commit_home, shared_cache)
    env = _git_env(pre_commit_home, shared_cache)
    client = repo / "generated/recoup/resources/tasks.py"
    assert b"Remove a scheduled task" not in client.read_bytes()

    replace_once(repo / RECOUP_SPEC, "summary: Delete scheduled task", "summary: Remove a scheduled task")
    _git(repo, "add", RECOUP_SPEC)
    head = _head(repo)
    first = _commit(repo, "edit the spec", env)
    assert first.returncode != 0, _out(first)
    assert GENERATE_NAME in _text(first) and "Failed" in _text(first), _out(first)
    assert "stage them and commit again" in _text(first), _out(first)
    assert _head(repo) == head
    assert b"Remove a scheduled task" in client.read_bytes(), "the hook did not regenerate"

    _git(repo, "add", "-A")
    second = _commit(repo, "edit the spec (regenerated by the hook)", env)
    assert second.returncode == 0, _out(second)
    assert GENERATE_NAME in _text(second) and "Passed" in _text(second), _out(second)
    assert _head(repo) != head
    assert _status(repo) == ""


@pytest.mark.parametrize("hook", ["clientgen-check", "clientgen-generate"])
def test_hooks_agree_with_the_local_clientgen(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path, shared_cache: Path, hook: str
) -> None:
    """generated/ that the developer's clientgen just wrote is up to date for the hook too:
    the hook passes on the fast path (builds and formats nothing) and changes nothing, and
    the developer's clientgen then changes nothing either."""
    repo = _consumer(tmp_path, hook, hook_repo, pre_commit_home, shared_cache)
    hook_cache = tmp_path / "hook-cache" / "black"  # empty: anything formatted shows up here
    env = _git_env(pre_commit_home, hook_cache)

    done = _run([str(PRE_COMMIT), "run", "--all-files"], repo, env, timeout=600)
    assert done.returncode == 0, _out(done)
    assert _status(repo) == "", f"the hook changed generated/:\n{_git(repo, 'diff').stdout[:3000]}"
    formatted = sorted(p for p in hook_cache.rglob("*") if p.is_file()) if hook_cache.exists() else []
    assert formatted == [], (
        f"the hook rebuilt up-to-date clients (black ran on {len(formatted)} files):\n{_out(done)}"
    )
    run = clientgen(repo, "generate", cache=shared_cache)
    assert run.returncode == 0, run
    assert _status(repo) == ""


def test_diff_hook_refuses_a_breaking_spec_change_until_the_version_announces_it(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path, shared_cache: Path
) -> None:
    repo = _consumer(tmp_path, "clientgen-diff", hook_repo, pre_commit_home, shared_cache)
    env = _git_env(pre_commit_home, shared_cache)
    # An operationId renames the method (it was named from the page title): callers break.
    replace_once(repo / RECOUP_SPEC, "      summary: Delete scheduled task\n",
                 "      summary: Delete scheduled task\n      operationId: removeTask\n")
    _git(repo, "add", RECOUP_SPEC)
    head = _head(repo)
    refused = _commit(repo, "rename an operation", env)
    assert refused.returncode != 0, _out(refused)
    assert "BREAKING  operation-renamed  tasks.delete: method renamed to tasks.remove" in _text(refused), _out(refused)
    assert _head(repo) == head

    replace_once(repo / RECOUP_SPEC, "  version: 1.0.0\n", "  version: 2.0.0\n")
    _git(repo, "add", RECOUP_SPEC)
    accepted = _commit(repo, "rename an operation, version 2", env)
    assert accepted.returncode == 0, _out(accepted)
    assert _head(repo) != head
