"""`clientgen watch` in a real subprocess: saves rebuild, broken specs do not stop it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from workflow_support import (
    client_part,
    env_for,
    make_tree,
    shared_cache,
    snapshot,
    wait_until,
)

__all__ = ["shared_cache"]

RECOUP_SPEC = Path("specs/recoup/delete-task.md")
FIRST_BUILD_SECONDS = 240  # a cold black cache formats every client first
SAVE_SECONDS = 15  # a save must show in generated/ well within this


# Ctrl-C as at a terminal, however the tests were started: a shell's background job
# (`pytest &`) ignores SIGINT, and a child inherits that, so the watch would never stop.
# The child puts Python's own handler back before it runs the watch.
_WATCH = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
          "sys.argv = ['generator', 'watch']; runpy.run_module('generator', run_name='__main__', alter_sys=True)")


class Watcher:
    """A running `python -m generator watch`; its output collected line by line."""

    def __init__(self, tree: Path, cache: Path) -> None:
        self.tree = tree
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WATCH],
            cwd=tree, env=env_for(cache), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, bufsize=1,
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def mark(self) -> int:
        with self._changed:
            return len(self.lines)

    def wait_for(self, predicate: Callable[[str], bool], since: int, timeout: float, what: str) -> str:
        """The first line from index `since` on that satisfies `predicate`."""
        def found() -> str | None:
            return next((line for line in self.lines[since:] if predicate(line)), None)

        with self._changed:
            ok = self._changed.wait_for(lambda: found() is not None or self.proc.poll() is not None,
                                        timeout=timeout)
            line = found()
        assert line is not None, (
            f"no {what} within {timeout:.0f} s (watch {'alive' if self.proc.poll() is None else f'exited {self.proc.returncode}'}"
            f", timed out: {not ok}); output:\n" + "\n".join(self.lines)
        )
        return line

    def watching(self) -> bool:
        """Are inotify watches in place yet? (Linux: /proc/PID/fdinfo of its inotify fd)."""
        pid = self.proc.pid
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            return False
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") != "anon_inode:inotify":
                    continue
                with open(f"/proc/{pid}/fdinfo/{fd}", encoding="ascii") as info:
                    if "inotify wd:" in info.read():
                        return True
            except OSError:
                continue
        return False

    def wait_until_watching(self) -> None:
        wait_until(lambda: self.watching() or self.proc.poll() is not None, SAVE_SECONDS,
                   message="the watch to set up its file watches")
        assert self.proc.poll() is None, self.output()

    def output(self) -> str:
        with self._changed:
            return "\n".join(self.lines)

    def stop(self) -> int:
        """Ctrl-C, as the banner says; kill if that does not work. Returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
                raise AssertionError("watch ignored Ctrl-C for 15 s:\n" + self.output()) from None
        self._reader.join(timeout=15)
        return self.proc.returncode


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "project")


@pytest.fixture
def watcher(tree: Path, shared_cache: Path) -> Iterator[Watcher]:
    watch = Watcher(tree, shared_cache)
    try:
        yield watch
    finally:
        if watch.proc.poll() is None:
            watch.proc.kill()
        watch.proc.wait(timeout=15)
        if watch.proc.stdout is not None:
            watch.proc.stdout.close()


def _rebuilt(line: str) -> bool:
    return "] rebuilt in " in line


def _save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _wait_for_bytes(path: Path, needle: bytes, what: str) -> None:
    wait_until(lambda: path.is_file() and needle in path.read_bytes(), SAVE_SECONDS, message=what)


def test_watch_rebuilds_on_save_and_survives_a_broken_spec(tree: Path, watcher: Watcher) -> None:
    output = tree / "generated"
    spec = tree / RECOUP_SPEC
    client = output / "recoup" / "resources" / "tasks.py"

    first = watcher.wait_for(_rebuilt, 0, FIRST_BUILD_SECONDS, "first 'rebuilt' line")
    assert "recoup: 1 operations" in first and "12 files written" in first, watcher.output()
    assert b'"""Delete scheduled task' in client.read_bytes()
    original = spec.read_text(encoding="utf-8")
    # A save made before the watches exist is lost: see the next test. Wait for them here.
    watcher.wait_until_watching()

    # 1. A summary change shows up as the method's docstring.
    mark = watcher.mark()
    _save(spec, original.replace("summary: Delete scheduled task", "summary: Remove a scheduled task"))
    _wait_for_bytes(client, b'"""Remove a scheduled task', "the docstring of the edited summary")
    line = watcher.wait_for(lambda s: _rebuilt(s) and "recoup: 1 operations" in s, mark,
                            SAVE_SECONDS, "'rebuilt' line for the edit")
    assert "files written" in line and "anchorbrowser: up to date" in line, line

    # 2. Invalid YAML in the fenced block: a diagnostic naming the file; the watch goes on.
    before = snapshot(output)
    mark = watcher.mark()
    broken = original.replace("summary: Delete scheduled task", "summary: Remove a scheduled task")
    broken = broken.replace("\npaths:\n", "\npaths: [unclosed\n", 1)
    assert broken.count("[unclosed") == 1
    _save(spec, broken)
    diagnostic = watcher.wait_for(
        lambda s: "specs/recoup/delete-task.md:" in s and "error" in s, mark, SAVE_SECONDS,
        "a diagnostic naming the broken spec")
    assert "YAML" in diagnostic or "yaml" in diagnostic, diagnostic
    watcher.wait_for(lambda s: _rebuilt(s) and "errors, nothing written" in s, mark, SAVE_SECONDS,
                     "'errors, nothing written' line")
    assert watcher.proc.poll() is None, "the watch died on a broken spec:\n" + watcher.output()
    assert snapshot(output) == before, "a broken spec changed generated/"

    # 3. Fixing the spec (with another summary) rebuilds again.
    mark = watcher.mark()
    _save(spec, original.replace("summary: Delete scheduled task", "summary: Erase a scheduled task"))
    _wait_for_bytes(client, b'"""Erase a scheduled task', "the rebuild after the fix")
    line = watcher.wait_for(lambda s: _rebuilt(s) and "recoup: 1 operations" in s, mark,
                            SAVE_SECONDS, "'rebuilt' line after the fix")
    assert "files written" in line, line
    assert watcher.proc.poll() is None

    # 4. Ctrl-C stops it cleanly.
    assert watcher.stop() == 0, watcher.output()
    assert "Traceback" not in watcher.output(), watcher.output()


def test_a_save_during_the_first_build_is_not_lost(tree: Path, tmp_path: Path) -> None:
    """A save while the first build runs (it takes seconds, minutes for a large API) must end
    up in generated/: the watch must not start listening only after that build."""
    spec = tree / RECOUP_SPEC
    client = tree / "generated" / "recoup" / "resources" / "tasks.py"
    cache = tmp_path / "cold-cache" / "black"  # empty: black runs, and its results show up here

    def formatting_started() -> bool:
        return cache.is_dir() and any(p.is_file() and not p.name.startswith(".tmp-")
                                      for p in cache.rglob("*"))

    watcher = Watcher(tree, cache)
    try:
        # The first formatted file is stored: the specs have been read, black is running.
        wait_until(lambda: formatting_started() or watcher.proc.poll() is not None,
                   FIRST_BUILD_SECONDS, message="the first build to start formatting")
        _save(spec, spec.read_text(encoding="utf-8").replace(
            "summary: Delete scheduled task", "summary: Remove a scheduled task"))
        first = watcher.wait_for(_rebuilt, 0, FIRST_BUILD_SECONDS, "first 'rebuilt' line")
        assert "recoup: 1 operations" in first, watcher.output()
        try:
            _wait_for_bytes(client, b'"""Remove a scheduled task', "the save made during the first build")
        except AssertionError as exc:
            raise AssertionError(f"{exc}; watch output:\n{watcher.output()}") from None
        assert watcher.stop() == 0, watcher.output()
    finally:
        if watcher.proc.poll() is None:
            watcher.proc.kill()
        watcher.proc.wait(timeout=15)


def test_watch_picks_up_new_and_removed_clients(tree: Path, watcher: Watcher) -> None:
    output = tree / "generated"
    watcher.wait_for(_rebuilt, 0, FIRST_BUILD_SECONDS, "first 'rebuilt' line")
    watcher.wait_until_watching()
    (output / "xpander" / "NOTES.txt").write_text("mine\n", encoding="utf-8")
    anchor = client_part(snapshot(output), "anchorbrowser")

    mark = watcher.mark()
    shutil.copytree(tree / "specs" / "xpander", tree / "specs" / "xpander_copy")
    wait_until(lambda: (output / "xpander_copy" / "_client.py").is_file(), SAVE_SECONDS,
               message="generated/xpander_copy after adding its spec folder")
    watcher.wait_for(lambda s: _rebuilt(s) and "xpander_copy: 1 operations" in s, mark,
                     SAVE_SECONDS, "'rebuilt' line for the new client")

    mark = watcher.mark()
    shutil.rmtree(tree / "specs" / "xpander")
    wait_until(lambda: not (output / "xpander" / "_client.py").exists(), SAVE_SECONDS,
               message="generated/xpander/_client.py to go with its spec folder")
    watcher.wait_for(lambda s: _rebuilt(s) and "xpander: removed" in s, mark, SAVE_SECONDS,
                     "'rebuilt' line for the removed client")
    assert (output / "xpander" / "NOTES.txt").read_text() == "mine\n"
    assert client_part(snapshot(output), "anchorbrowser") == anchor
    assert watcher.proc.poll() is None
    assert watcher.stop() == 0, watcher.output()
