"""A generate that fails, is killed or races another run never leaves a half-written client.

Each client is written through a staging folder and swapped in with renames; a run holds a
lock per output folder. These tests break runs on purpose (an exception in the last stage, a
failing rename, SIGKILL at varying moments, a second run) and compare the output folder
byte for byte with complete generations.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest
from workflow_support import (
    MANIFEST,
    RETIRED,
    SEED_CLIENTS,
    STAGING,
    STAR_TREK,
    bump_version,
    client_part,
    clientgen,
    differences,
    env_for,
    has_open,
    leftovers,
    make_tree,
    read_manifest,
    restore,
    shared_cache,
    snapshot,
    spec_files,
    start_clientgen,
    wait_until,
)

import generator.format
import generator.lock
import generator.write
from generator import config, regenerate

__all__ = ["shared_cache"]


@pytest.fixture
def seeds(tmp_path: Path, shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Seed clients generated once, then every spec changed (info.version): all stale.

    The test process uses the same cache (and so the same lock files) as the subprocesses.
    """
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(shared_cache))
    tree = make_tree(tmp_path / "project")
    run = clientgen(tree, "generate", cache=shared_cache)
    assert run.returncode == 0, run
    for spec in spec_files(tree / "specs"):
        bump_version(spec)
    return tree


def _no_success(call: object) -> None:
    """Run `call`; it may raise or report failure, but must not report a success."""
    try:
        outcome = call()  # type: ignore[operator]
    except Exception:  # noqa: BLE001 - any failure is acceptable, a success is not
        return
    assert outcome.failed, f"the run reported success: {outcome.lines}"


# --------------------------------------------------------------------------- (a) failures


def test_failure_in_the_last_stage_of_the_last_client_writes_nothing(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = seeds / "generated"
    before = snapshot(output)
    # An empty black cache, so that every file really is formatted: each is put together
    # from its formatted pieces (black's or the fast path's) by format._assemble.
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cold-cache" / "black"))
    real = generator.format._assemble
    calls: list[str] = []

    def failing(source: str, pieces: list[object], done: dict[str, str], name: str) -> str:
        calls.append(name)
        if "xpander" in name and "models.py" in name:
            raise RuntimeError("injected: formatting crashed on the last client")
        return real(source, pieces, done, name)

    monkeypatch.setattr(generator.format, "_assemble", failing)
    _no_success(lambda: regenerate.generate(config.load(start=seeds)))

    assert any("xpander" in c and "models.py" in c for c in calls), f"never reached: {calls}"
    assert any("anchorbrowser" in c for c in calls), f"earlier clients not formatted: {calls}"
    assert differences(before, snapshot(output)) == []
    assert leftovers(output) == []


def test_failing_swap_of_the_last_client_leaves_it_complete(
    seeds: Path, shared_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = seeds / "generated"
    before = snapshot(output)
    real = generator.write._swap

    def failing(staging: Path, target: Path) -> None:
        if target.name == "xpander":
            raise OSError(errno.EIO, "injected: disk trouble", str(target))
        real(staging, target)

    monkeypatch.setattr(generator.write, "_swap", failing)
    _no_success(lambda: regenerate.generate(config.load(start=seeds)))

    assert client_part(snapshot(output), "xpander") == client_part(before, "xpander")
    assert leftovers(output) == [], "the staging folder of the failed client was left behind"
    read_manifest(output)
    monkeypatch.undo()
    assert clientgen(seeds, "generate", cache=shared_cache).returncode == 0
    assert "9.9.9" in (output / "xpander/__init__.py").read_text()


def test_failing_second_rename_of_a_swap_keeps_the_previous_client(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system cannot exchange two folders atomically, the swap is
    rename(target -> retired), rename(staging -> target). When the second rename fails (or
    Ctrl-C lands between the two), the client must not be left missing."""
    output = seeds / "generated"
    before = snapshot(output)
    real_rename = os.rename
    monkeypatch.setattr(generator.write, "_exchange", lambda a, b: False)

    def rename(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if Path(str(src)).name.startswith(STAGING) and Path(str(dst)).name == "recoup":
            raise OSError(errno.EIO, "injected: rename failed", str(dst))
        real_rename(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(generator.write.os, "rename", rename)
    _no_success(lambda: regenerate.generate(config.load(start=seeds)))
    monkeypatch.undo()

    assert (output / "recoup").is_dir(), (
        f"generated/recoup is missing after a failed swap; output holds {sorted(os.listdir(output))}"
    )
    assert client_part(snapshot(output), "recoup") == client_part(before, "recoup")
    assert leftovers(output) == []


def test_the_swap_is_one_atomic_exchange_where_the_system_has_one(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With renameat2(RENAME_EXCHANGE) there is no moment without the client: the swap uses
    no rename at all, so a kill at any point leaves the old or the new client."""
    output = seeds / "generated"

    def rename(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if Path(str(dst)).name == "recoup" or Path(str(src)).name == "recoup":
            raise OSError(errno.EIO, "injected: the swap must not rename recoup", str(dst))
        os.replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(generator.write.os, "rename", rename)
    outcome = regenerate.generate(config.load(start=seeds))
    monkeypatch.undo()
    assert not outcome.failed
    assert "9.9.9" in (output / "recoup" / "__init__.py").read_text()
    assert leftovers(output) == []


def test_generated_folders_and_files_respect_the_umask(tmp_path: Path, shared_cache: Path) -> None:
    """Staging folders are private temporary folders; what is swapped in must not be."""
    tree = make_tree(tmp_path / "project")
    output = tree / "generated"

    def run() -> None:
        proc = subprocess.run(  # returncode checked by the caller
            [sys.executable, "-m", "generator", "generate"], cwd=tree, env=env_for(shared_cache),
            check=False, capture_output=True, text=True, timeout=300, preexec_fn=lambda: os.umask(0o022),
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr

    def modes() -> dict[str, str]:
        found = {p.relative_to(output).as_posix(): stat.filemode(p.stat().st_mode)
                 for p in [output, *sorted(output.rglob("*"))]}
        return {rel: mode for rel, mode in found.items() if "__pycache__" not in rel}

    run()
    for spec in spec_files(tree / "specs"):
        bump_version(spec)
    run()  # swaps every client in
    wrong = {rel: mode for rel, mode in modes().items()
             if mode not in ("drwxr-xr-x", "-rw-r--r--")}
    assert wrong == {}, f"modes other than 755/644 under umask 022: {wrong}"


# --------------------------------------------------------------------------- (b) SIGKILL

TREKS = ("trek1", "trek2", "trek3")


@pytest.fixture
def kill_cache(request: pytest.FixtureRequest, shared_cache: Path) -> Path:
    """A black cache kept across test runs (content-addressed): the big client's first
    formatting costs ~10 s per copy; later runs only lower and render."""
    cache = getattr(request.config, "cache", None)
    if cache is None:
        return shared_cache
    return Path(cache.mkdir("clientgen-workflow-black")) / "black"


def _kill_after(proc: subprocess.Popen[str], delay: float) -> None:
    try:
        proc.wait(timeout=delay)  # the kill moment; returns early if the run finished
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


def _kill_when_seen(proc: subprocess.Popen[str], output: Path, prefix: str) -> bool:
    """SIGKILL as soon as a folder named `prefix...` shows up in `output`."""
    deadline = time.monotonic() + 120
    seen = False
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            names = os.listdir(output)
        except FileNotFoundError:
            names = []
        if any(name.startswith(prefix) for name in names):
            os.kill(proc.pid, signal.SIGKILL)
            seen = True
            break
        time.sleep(0.0002)
    proc.wait(timeout=60)
    return seen


def test_sigkill_leaves_every_client_complete_old_or_complete_new(
    tmp_path: Path, kill_cache: Path
) -> None:
    tree = make_tree(tmp_path / "project")
    for name in TREKS:
        shutil.copy(STAR_TREK, tree / "specs" / f"{name}.yaml")
    clients = (*SEED_CLIENTS, *TREKS)
    output = tree / "generated"

    first = clientgen(tree, "generate", cache=kill_cache)
    assert first.returncode == 0, first
    old = snapshot(output)
    for spec in spec_files(tree / "specs"):
        bump_version(spec)
    second = clientgen(tree, "generate", cache=kill_cache)
    assert second.returncode == 0, second
    new = snapshot(output)
    for client in clients:
        assert client_part(old, client) != client_part(new, client), client
    assert old[MANIFEST] != new[MANIFEST]
    duration = second.seconds  # one full run with a warm cache: the window to kill in
    generations = {"old": json.loads(old[MANIFEST])["clients"], "new": json.loads(new[MANIFEST])["clients"]}
    restore(output, old)

    def states() -> dict[str, str]:
        now = snapshot(output)
        found = {}
        for client in clients:
            current = client_part(now, client)
            if current == client_part(old, client):
                found[client] = "old"
            elif current == client_part(new, client):
                found[client] = "new"
            else:
                found[client] = "BROKEN: " + "; ".join(
                    differences(client_part(new, client), current)[:5])
        if MANIFEST not in now:
            found[MANIFEST] = "BROKEN: missing"
        else:  # it parses, and lists either generation (the toolchain digest aside)
            entries = read_manifest(output)["clients"]
            found[MANIFEST] = {"old": "old", "new": "new"}.get(
                next((k for k, v in generations.items() if v == entries), ""), "BROKEN")
        return found

    rng = random.Random(20240601)
    timed = 8
    span = max(duration, 0.6) - 0.3
    delays = [0.3 + span * (i + rng.random()) / timed for i in range(timed)]
    triggers = [f"{STAGING}anchorbrowser-", f"{RETIRED}trek1", f"{STAGING}trek2-",
                f"{STAGING}trek3-", f"{RETIRED}xpander"]
    history: list[str] = []
    mixed = False
    attempts: list[float | str] = [*delays, *triggers]
    for attempt in attempts:
        if isinstance(attempt, str):
            restore(output, old)  # a full write ahead, so the trigger folder will appear
        proc = start_clientgen(tree, "generate", cache=kill_cache,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if isinstance(attempt, str):
                hit = _kill_when_seen(proc, output, attempt)
                label = f"on {attempt}*" + ("" if hit else " (never seen)")
            else:
                _kill_after(proc, attempt)
                label = f"after {attempt:.2f} s"
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        found = states()
        history.append(f"{label}: exit {proc.returncode}: {found}; leftovers {leftovers(output)}")
        broken = {k: v for k, v in found.items() if v.startswith("BROKEN")}
        assert not broken, "\n".join(history)
        values = {found[c] for c in clients}
        mixed |= values == {"old", "new"}
        if values == {"new"} and not isinstance(attempt, str):
            restore(output, old)  # nothing left to interrupt: start over from the old version

    print("\n".join(history))  # shown with -s or on failure
    assert mixed, "no kill landed between two clients' swaps:\n" + "\n".join(history)
    final = clientgen(tree, "generate", cache=kill_cache)
    assert final.returncode == 0, str(final) + "\n".join(history)
    assert leftovers(output) == [], "\n".join(history)
    final_files = snapshot(output)
    assert read_manifest(output)["clients"] == generations["new"]
    assert differences({k: v for k, v in new.items() if k != MANIFEST},
                       {k: v for k, v in final_files.items() if k != MANIFEST}) == [], "\n".join(history)
    check = clientgen(tree, "check", cache=kill_cache)
    assert check.returncode == 0, check


# --------------------------------------------------------------------------- (c) the lock


def test_a_second_run_waits_for_the_lock_then_gives_up_clearly(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = seeds / "generated"
    before = snapshot(output)
    real_locked = generator.lock.locked
    # regenerate imports `locked` at call time; WAIT_SECONDS itself is bound as a default.
    monkeypatch.setattr(generator.lock, "locked", partial(real_locked, wait=0.6))

    with real_locked(output):
        started = time.monotonic()
        with pytest.raises(generator.lock.LockHeld) as caught:
            regenerate.generate(config.load(start=seeds))
        waited = time.monotonic() - started

    message = str(caught.value)
    assert waited >= 0.6, f"gave up after {waited:.2f} s without waiting"
    assert "another clientgen run" in message and str(output) in message, message
    assert differences(before, snapshot(output)) == []


def test_cli_reports_a_held_lock_as_an_error(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from generator import cli

    output = seeds / "generated"
    before = snapshot(output)
    real_locked = generator.lock.locked
    monkeypatch.setattr(generator.lock, "locked", partial(real_locked, wait=0.3))
    monkeypatch.chdir(seeds)
    with real_locked(output):
        result = CliRunner().invoke(cli.main, ["generate"])
    assert result.exit_code == 3, result.output  # busy: not "stale" (1), not bad input (2)
    assert "Error: another clientgen run" in result.output, result.output
    assert "Traceback" not in result.output
    assert differences(before, snapshot(output)) == []


def _hold_while(output: Path, seconds: float, procs: list[subprocess.Popen[str]], before: dict[str, bytes]) -> None:
    """Keep holding the lock for `seconds`: every waiting run stays alive, nothing is written."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for proc in procs:
            assert proc.poll() is None, f"a run finished while the lock was held (exit {proc.returncode})"
        assert snapshot(output) == before, "a run wrote while another held the lock"
        time.sleep(0.05)


def test_a_waiting_run_completes_after_the_lock_is_released(seeds: Path, shared_cache: Path) -> None:
    output = seeds / "generated"
    before = snapshot(output)
    lock_file = output  # the lock is taken on the folder's descriptor
    with generator.lock.locked(output):
        proc = start_clientgen(seeds, "generate", cache=shared_cache,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            wait_until(lambda: has_open(proc.pid, lock_file) or proc.poll() is not None, 60,
                       message="the run to reach the lock")
            _hold_while(output, 1.0, [proc], before)
            released = time.monotonic()
        except BaseException:
            proc.kill()
            raise
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stdout + stderr
    assert time.monotonic() >= released
    assert "9.9.9" in (output / "recoup/__init__.py").read_text(), stdout + stderr
    assert leftovers(output) == []


def test_two_concurrent_runs_do_not_interleave(seeds: Path, shared_cache: Path) -> None:
    output = seeds / "generated"
    before = snapshot(output)
    lock_file = output
    with generator.lock.locked(output):
        procs = [start_clientgen(seeds, "generate", cache=shared_cache,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        try:
            def reached(proc: subprocess.Popen[str]) -> bool:
                return has_open(proc.pid, lock_file) or proc.poll() is not None

            for proc in procs:
                wait_until(partial(reached, proc), 60, message="both runs to reach the lock")
            _hold_while(output, 0.5, procs, before)
        except BaseException:
            for proc in procs:
                proc.kill()
            raise
    results = [proc.communicate(timeout=120) for proc in procs]
    for proc, (stdout, stderr) in zip(procs, results):
        assert proc.returncode == 0, stdout + stderr
    writers = [stdout for stdout, _ in results if "files written" in stdout]
    idle = [stdout for stdout, _ in results
            if all(f"{c}: up to date" in stdout for c in SEED_CLIENTS)]
    assert len(writers) == 1 and len(idle) == 1, results
    assert leftovers(output) == []
    assert clientgen(seeds, "check", cache=shared_cache).returncode == 0
