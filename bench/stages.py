"""Run `clientgen generate --timings` in a scratch tree and read its per-stage table."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

STAGES = ("load", "parse", "lower", "render", "format", "write")


@dataclass
class Run:
    wall: float  # seconds, the whole command
    stages: dict[str, tuple[float, float]] = field(default_factory=dict)  # stage -> (wall, cpu)
    peak_mb: tuple[int, int] = (0, 0)  # main process, largest worker
    process_cpu: float = 0.0  # seconds, the whole command: start-up and the report included

    @property
    def cpu(self) -> float:
        return sum(cpu for _, cpu in self.stages.values())


@dataclass
class Tree:
    """specs/<name><suffix> (a copy of one document), its own black cache, output generated/."""

    root: Path
    spec: Path
    generator: Path | None = None  # another checkout's generator (PYTHONPATH), for "before" figures

    @classmethod
    def make(cls, root: Path, name: str, document: Path | str, generator: Path | None = None) -> Tree:
        (root / "specs").mkdir(parents=True)
        (root / "pyproject.toml").write_text("[tool.clientgen]\n")
        if isinstance(document, Path):
            spec = root / "specs" / f"{name}{document.suffix}"
            shutil.copy(document, spec)
        else:
            spec = root / "specs" / f"{name}.json"
            spec.write_text(document)
        return cls(root, spec, generator)

    def env(self) -> dict[str, str]:
        env = {**os.environ, "CLIENTGEN_CACHE_DIR": str(self.root / "cache"), "CLIENTGEN_TIMINGS": "1"}
        # Bytecode cached, as in an installed clientgen: else every run compiles the generator.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if self.generator:
            env["PYTHONPATH"] = str(self.generator)
        return env

    def cold(self) -> None:
        shutil.rmtree(self.root / "cache", ignore_errors=True)
        shutil.rmtree(self.root / "generated", ignore_errors=True)

    def generate(self, *args: str) -> Run:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "generator", "generate", *args], cwd=self.root,
                              env=self.env(), capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(f"clientgen failed in {self.root}:\n{done.stdout}\n{done.stderr[-3000:]}")
        run = parse(done.stderr, wall)
        run.process_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return run

    def edit_one_schema(self, counter: int) -> None:
        """Change the description of the first component schema that has one (text edit)."""
        text = self.spec.read_text()
        at = text.find("schemas")
        found = _DESCRIPTION.search(text, at)
        if found is None:
            raise RuntimeError(f"no schema description to edit in {self.spec}")
        self.spec.write_text(text[: found.end()] + f"Edited {counter}. " + text[found.end() :])


_DESCRIPTION = re.compile(r"""\bdescription"?\s*:\s*(?:[>|][-+]?[ \t]*\n[ \t]*)?["']?""")


def parse(stderr: str, wall: float) -> Run:
    run = Run(wall)
    for line in stderr.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in STAGES:
            run.stages[parts[0]] = (float(parts[1]), float(parts[2]))
        elif parts[:1] == ["peak_mb"]:
            run.peak_mb = (int(parts[1]), int(parts[2]))
    return run


def table(rows: list[tuple[str, Run]]) -> str:
    """Stage columns, wall seconds with CPU seconds after the slash; then the command's own
    CPU seconds (the stages plus start-up, imports and the closing report)."""
    head = (f"  {'':34}" + "".join(f"{s:>13}" for s in STAGES) + f"{'total':>13}{'process CPU':>13}"
            f"{'peak MB':>9}")
    lines = [head]
    for label, run in rows:
        cells = "".join(
            f"{run.stages[s][0]:6.2f}/{run.stages[s][1]:<6.2f}" if s in run.stages else f"{'-':>13}"
            for s in STAGES
        )
        lines.append(f"  {label:34}{cells}{run.wall:6.2f}/{run.cpu:<6.2f}{run.process_cpu:13.2f}"
                     f"{max(run.peak_mb):>9}")
    return "\n".join(lines)
