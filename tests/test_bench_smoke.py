"""The benchmarks' own scripts still run against the current generated clients (a renamed
method must not leave `make bench` crashing). Figures are printed, never asserted."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_per_call_bench_runs_through_the_generated_client() -> None:
    env = {**os.environ, "BENCH_CALLS": "20,1"}
    done = subprocess.run(
        [sys.executable, "bench/calls.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    assert [row.split()[0] for row in rows] == ["sync", "async"]
    assert all(re.fullmatch(r"\w+ [\d.]+ [\d.]+ -?[\d.]+", row) for row in rows), rows
