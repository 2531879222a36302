"""Steps run in a forked child (forked.py) give what they give when run here: their value,
their exception, and when the child gives nothing usable, the value computed here."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from generator import forked

PARENT = os.getpid()


def test_a_step_runs_in_a_child_and_its_value_comes_back() -> None:
    assert forked.can_fork(), "this test needs Linux and a single thread"
    pending = forked.start(lambda: (os.getpid(), [{"a": 1}, "ü" * 1_000_000]))
    pid, value = pending.result()
    assert pid != PARENT  # it ran elsewhere
    assert value == [{"a": 1}, "ü" * 1_000_000]  # larger than a pipe's buffer: read whole


def test_a_child_killed_on_the_way_means_the_step_runs_here() -> None:
    def step() -> int:
        if os.getpid() != PARENT:
            os.kill(os.getpid(), signal.SIGKILL)
        return os.getpid()

    assert forked.start(step).result() == PARENT


def test_a_value_that_cannot_be_pickled_is_computed_here() -> None:
    value = forked.start(lambda: threading.Lock()).result()
    assert hasattr(value, "acquire")


def test_an_exception_is_raised_here_as_the_step_raises_it() -> None:
    def step() -> None:
        raise ValueError(f"bad in {'child' if os.getpid() != PARENT else 'parent'}")

    with pytest.raises(ValueError, match="bad in parent"):
        forked.start(step).result()


def test_no_fork_when_asked_or_while_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(forked.ENV, "1")
    assert forked.start(os.getpid).result() == PARENT
    monkeypatch.delenv(forked.ENV)
    started, stop = threading.Event(), threading.Event()
    other = threading.Thread(target=lambda: (started.set(), stop.wait()))
    other.start()
    try:
        started.wait()
        assert forked.start(os.getpid).result() == PARENT  # a fork would copy its locks held
    finally:
        stop.set()
        other.join()


def test_without_a_fork_the_step_runs_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no child runs it, a step runs when it would have without this module."""
    monkeypatch.setenv(forked.ENV, "1")
    ran = []
    pending = forked.start(lambda: ran.append(1))
    assert ran == [1]
    pending.result()
    assert ran == [1]


def test_a_discarded_step_leaves_no_child_and_is_not_run_here() -> None:
    ran = []
    pending = forked.start(lambda: ran.append(os.getpid()))
    child = pending._pid
    assert child is not None
    assert pending.discard() is not None  # what the child sent
    with pytest.raises(ChildProcessError):  # already reaped: no zombie left
        os.waitpid(child, os.WNOHANG)
    assert ran == []  # appended in the child only


def test_a_cancelled_step_ends_its_child_at_once() -> None:
    """A failed build does not wait for a child whose result nobody wants."""
    pending = forked.start(lambda: time.sleep(60))
    child = pending._pid
    assert child is not None
    started = time.monotonic()
    pending.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):  # reaped: no zombie left
        os.waitpid(child, os.WNOHANG)
    pending.cancel()  # a second time: nothing left to do


def test_signals_held_over_the_fork_are_let_through_again_in_both_processes() -> None:
    """Ctrl-C is held only while the child gets into the block that always ends it."""
    def mask() -> set[int]:
        return {int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, set())}

    before = mask()
    in_child = forked.start(mask).result()
    assert mask() == before
    assert in_child == before and int(signal.SIGINT) not in in_child


def test_a_step_not_worth_a_fork_runs_here_at_once() -> None:
    assert forked.start(os.getpid, worth=False).result() == PARENT


def test_only_large_documents_are_worth_a_fork() -> None:
    def doc(paths: int, schemas: int) -> dict[str, object]:
        return {"paths": {f"/p{i}": {} for i in range(paths)},
                "components": {"schemas": {f"S{i}": {} for i in range(schemas)}}}

    assert forked.large(doc(forked.LARGE // 2, forked.LARGE - forked.LARGE // 2))
    assert not forked.large(doc(forked.LARGE // 2, forked.LARGE // 2 - 1))
    assert not forked.large({"paths": [], "components": "odd"}) and not forked.large(None)
