"""Run clientgen over fuzzed documents in subprocesses (bounded time) and classify what
happened: generation, import of each package, and one mypy --strict over all of them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")  # YAML: not printable, or a line break
TIMEOUT = 120.0  # seconds per clientgen run: a hang, not a slow document
_IMPORT_ALL = """
import importlib, json, sys
failed = {}
for name in sys.argv[1:]:
    try:
        module = importlib.import_module(name)
        module.models.__dict__  # the models module is imported with the package
    except BaseException as exc:  # noqa: BLE001 - every failure is a finding
        failed[name] = f"{type(exc).__name__}: {exc}"[:2000]
print(json.dumps(failed))
"""


@dataclass
class Tally:
    """What the fuzzer saw; every count but `documents` and `diagnostics` must stay 0."""

    counts: Counter[str] = field(default_factory=Counter)
    findings: list[str] = field(default_factory=list)

    def add(self, kind: str, detail: str = "") -> None:
        self.counts[kind] += 1
        if detail:
            self.findings.append(f"[{kind}] {detail}")

    @property
    def failures(self) -> int:
        return sum(n for kind, n in self.counts.items() if kind not in ("documents", "generated", "diagnostics"))


def _environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["CLIENTGEN_CACHE_DIR"] = str(folder / "cache")
    env["PYTHONPATH"] = str(REPO)
    return env


def clientgen(folder: Path, *args: str, timeout: float = TIMEOUT) -> tuple[int | None, str]:
    """Exit code (None: killed after `timeout`) and stderr+stdout of `clientgen ARGS`."""
    command = [sys.executable, "-m", "generator", *args]
    try:
        done = subprocess.run(command, cwd=folder, env=_environment(folder), capture_output=True,
                              text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None, ""
    return done.returncode, done.stdout + done.stderr


def check_mutant(folder: Path, origin: str, text: str, suffix: str, tally: Tally, *, mypy: bool = False) -> None:
    """Exit 0, or exit 2 with a diagnostic: anything else is a finding. A mutant that
    validates is also generated and imported (and type-checked when `mypy`)."""
    specs = folder / "specs"
    specs.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text("[tool.clientgen]\n")
    spec = specs / f"fuzz_0{suffix}"
    spec.write_text(text, encoding="utf-8", errors="surrogatepass")
    tally.add("documents")
    code, output = clientgen(folder, "validate", "--specs", "specs")
    if code is None:
        tally.add("hangs", _kept(folder, origin, text, suffix, "no answer"))
    elif "Traceback" in output or code not in (0, 2):
        tally.add("tracebacks", _kept(folder, origin, text, suffix, output[-3000:]))
    elif code == 2 and "error:" not in output:
        tally.add("silent failures", _kept(folder, origin, text, suffix, output))
    elif code == 2:
        tally.add("diagnostics")
    else:
        _generate_mutant(folder, specs, (origin, text, suffix), tally, mypy=mypy)


def _generate_mutant(folder: Path, specs: Path, mutant: tuple[str, str, str], tally: Tally, *, mypy: bool) -> None:
    """A document `validate` accepted must generate a package that imports (and type-checks)."""
    code, output = clientgen(folder, "generate", "--specs", "specs", "--output", "out")
    if code != 0:
        kind = "hangs" if code is None else "tracebacks" if "Traceback" in output else "refused"
        tally.add(kind, _kept(folder, *mutant, output[-3000:]))
        return
    tally.add("generated")
    failed = _imports(folder / "out", ["fuzz_0"])
    if failed:
        tally.add("unimportable", _kept(folder, *mutant, failed["fuzz_0"]))
    elif mypy:
        _mypy(folder / "out", ["fuzz_0"], specs, tally)


def _kept(folder: Path, origin: str, text: str, suffix: str, output: str) -> str:
    """Keep the document of a finding where it can be replayed: .fuzz/findings/."""
    keep = REPO / ".fuzz" / "findings"
    keep.mkdir(parents=True, exist_ok=True)
    path = keep / f"{origin}-{abs(hash(text)) % 10**10}{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return f"{path}: {output.strip()}"


def check_valid(folder: Path, documents: list[dict[str, Any]], tally: Tally) -> None:
    """Generate every document as one client each, import each package, then one mypy
    --strict over them all."""
    specs, out = folder / "specs", folder / "out"
    specs.mkdir(parents=True)
    (folder / "pyproject.toml").write_text("[tool.clientgen]\n")
    names = []
    for index, document in enumerate(documents):
        name = f"fuzz_{index}"
        names.append(name)
        suffix = ".json" if index % 2 else ".yaml"  # JSON is YAML: both loaders get a turn
        text = json.dumps(document, ensure_ascii=False)
        if suffix == ".yaml":  # characters YAML does not allow in a file, escaped as JSON does
            text = _NOT_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        (specs / f"{name}{suffix}").write_text(text, encoding="utf-8")
        tally.add("documents")
    code, output = clientgen(folder, "generate", "--specs", "specs", "--output", "out")
    if code != 0:
        kind = "hangs" if code is None else "tracebacks" if "Traceback" in output else "refused"
        tally.add(kind, f"{_keep_batch(specs)}: {output[-3000:]}")
        return
    tally.counts["generated"] += len(names)
    failed = _imports(out, names)
    for name, error in failed.items():
        tally.add("unimportable", f"{_keep_batch(specs)} {name}: {error}")
    _mypy(out, [n for n in names if n not in failed], specs, tally)


def _imports(out: Path, names: list[str]) -> dict[str, str]:
    try:
        done = subprocess.run([sys.executable, "-c", _IMPORT_ALL, *names], cwd=out, capture_output=True,
                              text=True, timeout=TIMEOUT, check=False, env={**os.environ, "PYTHONPATH": str(out)})
    except subprocess.TimeoutExpired:
        return dict.fromkeys(names, "import hangs")
    try:
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        return dict.fromkeys(names, done.stderr[-2000:])


def _mypy(out: Path, names: list[str], specs: Path, tally: Tally) -> None:
    if not names:
        return
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--hide-error-context",
               "--no-error-summary", *(str(out / n) for n in names)]
    done = subprocess.run(command, cwd=out, capture_output=True, text=True, check=False)
    failed: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        match = re.match(r"^(?:.*/)?(fuzz_\d+)/.*: error:", line)
        if match:
            failed.setdefault(match.group(1), []).append(line)
    for name, lines in failed.items():
        tally.add("type-check failures", f"{_keep_batch(specs)} {name}: " + "\n".join(lines[:10]))
    if done.returncode != 0 and not failed:
        tally.add("type-check failures", done.stdout[-2000:] + done.stderr[-2000:])


def _keep_batch(specs: Path) -> str:
    keep = REPO / ".fuzz" / "findings" / f"batch-{abs(hash(str(specs))) % 10**10}"
    keep.mkdir(parents=True, exist_ok=True)
    for path in specs.iterdir():
        (keep / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return str(keep)


def report(tally: Tally) -> str:
    keys = ("documents", "generated", "diagnostics", "tracebacks", "hangs", "silent failures", "refused",
            "unimportable", "type-check failures")
    return ", ".join(f"{key}: {tally.counts.get(key, 0)}" for key in keys)
