"""Per-stage wall and CPU time of a run: `clientgen generate --timings` or CLIENTGEN_TIMINGS=1.

Stages: load (read and merge spec files), parse, lower, render, format, write. The table is
printed to stderr when the run ends; `bench/` reads it. Nothing is printed unless asked for.
"""

from __future__ import annotations

import atexit
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

STAGES = ("load", "parse", "lower", "render", "format", "write")
ENV = "CLIENTGEN_TIMINGS"
_wall: dict[str, float] = {}
_cpu: dict[str, float] = {}


def enabled() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


def enable() -> None:
    """Print the table when the process ends (also when it exits with a status)."""
    os.environ[ENV] = "1"
    atexit.unregister(report)
    atexit.register(report)


def _cpu_now() -> float:
    """This process's CPU plus that of its ended children (black's worker processes)."""
    try:
        import resource
    except ImportError:  # not on Windows: the workers' CPU is left out there
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _peak_mb() -> tuple[int, int]:
    try:
        import resource
    except ImportError:
        return 0, 0
    own, child = (resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own // 1024, child // 1024  # kilobytes on Linux


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the time spent inside to `name` (stages may be entered many times, once per client)."""
    wall, cpu = time.perf_counter(), _cpu_now()
    try:
        yield
    finally:
        _wall[name] = _wall.get(name, 0.0) + time.perf_counter() - wall
        _cpu[name] = _cpu.get(name, 0.0) + _cpu_now() - cpu


def table() -> str:
    """`stage wall_s cpu_s` lines, machine-readable (bench parses them), then the total."""
    lines = [f"{'stage':8} {'wall_s':>8} {'cpu_s':>8}"]
    names = [*STAGES, *sorted(set(_wall) - set(STAGES))]
    for name in names:
        if name in _wall:
            lines.append(f"{name:8} {_wall[name]:8.3f} {_cpu.get(name, 0.0):8.3f}")
    lines.append(f"{'total':8} {sum(_wall.values()):8.3f} {sum(_cpu.values()):8.3f}")
    own, child = _peak_mb()
    lines.append(f"peak_mb  {own:8d} {child:8d}  (this process, largest worker)")
    return "\n".join(lines)


def report() -> None:
    if enabled():
        print("clientgen timings\n" + table(), file=sys.stderr)


def reset() -> None:
    _wall.clear()
    _cpu.clear()
