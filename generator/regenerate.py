"""`generate` and `check` as functions: the fast path first, then build only stale clients.

The CLI and `clientgen watch` call these and print what they return.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import Any

from generator import fresh
from generator.config import Config
from generator.diagnostics import Diagnostic, Level
from generator.timings import stage


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)  # the report, one line per client
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed: bool = False  # bad input: nothing was written
    stale: bool = False  # check only
    diffs: dict[str, str] = field(default_factory=dict)
    changed: bool = False  # generate wrote or removed a file


def fails(diagnostics: list[Diagnostic], strict: bool) -> bool:
    levels = {Level.ERROR, Level.WARNING} if strict else {Level.ERROR}
    return any(d.level in levels for d in diagnostics)


def _prune(cfg: Config) -> bool:
    """Clients disappear with their specs only when a whole specs folder is generated."""
    return cfg.specs.is_dir()


def _status(cfg: Config) -> fresh.Status:
    packages = {cfg.renames.get(n, n): o.digest_text() for n, o in cfg.clients.items()}
    for name, table in sorted(cfg.paging.items()):  # stated pagination changes the output too
        package = cfg.renames.get(name, name)
        packages[package] = packages.get(package, "") + f"|pagination={table!r}"
    return fresh.status(cfg.specs, cfg.output, cfg.anchor, _prune(cfg), cfg.renames, packages)


def _bad_specs_path(cfg: Config) -> Outcome | None:
    """A missing or empty specs path is an error, never "no clients, all removed"."""
    from generator.diagnostics import Diagnostic

    problem = None
    if not cfg.specs.exists():
        problem = "spec path does not exist"
    elif not fresh.discover.spec_files(cfg.specs):
        problem = "no spec files found (.yaml, .yml, .json, .md, .mdx)"
    if problem is None:
        return None
    diagnostic = Diagnostic(Level.ERROR, problem, file=cfg.specs,
                            hint="pass --specs with a folder of specs or a single spec file")
    return Outcome(diagnostics=[diagnostic], failed=True)


def generate(cfg: Config, *, strict: bool = False, force: bool = False) -> Outcome:
    from generator import write
    from generator.lock import locked

    bad = _bad_specs_path(cfg)
    if bad is not None:
        return bad
    with locked(cfg.output):
        status = _status(cfg)
        todo = set(status.fresh + status.stale) if force or strict else set(status.stale)
        outcome = Outcome()
        manifest = write.Manifest.read(cfg.output)
        if not todo and not status.removed:
            outcome.lines = [_fresh_line(n, manifest.clients.get(n, {})) for n in status.fresh]
            return outcome
        # The summary reads the old packages: it is done before they are replaced.
        built, outcome.diagnostics, api_changes = _build(cfg, todo, strict, remember=True)
        if fails(outcome.diagnostics, strict) or set(built) != todo:
            outcome.failed = True
            return outcome
        plan = {name: b.files for name, b in built.items()}
        records = {name: _record(b, status.digests[name], cfg) for name, b in built.items()}
        toolchain = fresh.toolchain_digest()
        upcoming = write.next_manifest(cfg.output, plan, records, toolchain=toolchain,
                                       remove=tuple(status.removed))
        manifest_changes = not write.manifest_is_current(cfg.output, upcoming)
        with stage("write"):
            report = write.write(cfg.output, plan, records, toolchain=toolchain, remove=tuple(status.removed))
    outcome.diagnostics += post_generate(cfg, built)
    outcome.failed = any(d.level is Level.ERROR for d in outcome.diagnostics)
    outcome.changed = manifest_changes or any(changes.changed for changes in report.values())
    for name in sorted(set(status.fresh) - todo):
        outcome.lines.append(_fresh_line(name, manifest.clients.get(name, {})))
    for name, changes in sorted(report.items()):
        if name in status.removed:
            outcome.lines.append(f"{name}: removed ({len(changes.removed)} files)")
            continue
        record = records[name]
        outcome.lines.append(
            f"{name}: {record['operations']} operations, {record['models']} models, "
            f"{len(changes.written)} files written, {len(changes.unchanged)} unchanged"
            + (f", {len(changes.removed)} removed" if changes.removed else "")
        )
    outcome.lines += api_changes
    return outcome


def check(cfg: Config, *, strict: bool = False) -> Outcome:
    from generator import write

    bad = _bad_specs_path(cfg)
    if bad is not None:
        return bad
    status = _status(cfg)
    todo = set(status.fresh + status.stale) if strict else set(status.stale)
    outcome = Outcome()
    if not todo and not status.removed:
        outcome.lines = [f"{cfg.output}: up to date ({len(status.fresh)} clients)"]
        return outcome
    built, outcome.diagnostics, api_changes = _build(cfg, todo, strict, remember=False)  # it writes no openapi.json
    if fails(outcome.diagnostics, strict) or set(built) != todo:
        outcome.failed = True
        return outcome
    plan = {n: b.files for n, b in built.items()}
    staleness = write.compare(cfg.output, plan, tuple(status.removed))
    records = {name: _record(b, status.digests[name], cfg) for name, b in built.items()}
    upcoming = write.next_manifest(cfg.output, plan, records, toolchain=fresh.toolchain_digest(),
                                   remove=tuple(status.removed))
    if not write.manifest_is_current(cfg.output, upcoming):
        # Specs or the generator changed without changing any file: the manifest still must.
        staleness.changed.append(write.MANIFEST)
    outcome.stale = staleness.stale
    outcome.diffs = staleness.diffs
    for label, items in (("missing", staleness.missing), ("changed", staleness.changed),
                         ("extra", staleness.extra)):
        outcome.lines += [f"{label}: {cfg.output / item}" for item in items]
    outcome.lines += api_changes
    return outcome


def _build(cfg: Config, todo: set[str], strict: bool, *, remember: bool,
           ) -> tuple[dict[str, Any], list[Diagnostic], list[str]]:
    """The built clients, what was found, and the API summary (none when the build fails).

    The summary needs the clients as rendered, not their formatting: it is made meanwhile,
    in a child process where one can be forked (forked.py)."""
    from generator import forked
    from generator.pipeline import build, format_built

    if not todo:
        return {}, [], []
    result = build(cfg.specs, cfg.root, format_code=False, only=todo, allow_remote_refs=cfg.allow_remote_refs,
                   ref_roots=cfg.ref_roots, options=cfg.clients, renames=cfg.renames)
    built = result.clients
    if fails(result.diagnostics, strict) or set(built) != todo:
        return built, result.diagnostics, []
    size = sum(len(b.client.operations) + len(b.client.definitions) for b in built.values())
    summary = forked.start(lambda: _api_summary(cfg, built, remember=remember), size >= forked.LARGE)
    try:
        format_built(result)
    except BaseException:
        summary.cancel()
        raise
    return built, result.diagnostics, summary.result()


def _api_summary(cfg: Config, built: dict[str, Any], *, remember: bool) -> list[str]:
    """What the rebuilt clients' new specs change for callers, one line per client."""
    from generator.diff.report import summary

    # The summary makes many small objects, each batch of them a trigger for the collector,
    # which then scans the whole built IR again (a fifth of a second on a large spec). What
    # exists now outlives the summary: frozen, it is skipped; unfrozen after, so that a long
    # `clientgen watch` still collects it once dropped.
    gc.freeze()
    try:
        return summary(cfg.output, built, cfg.clients, remember=remember)
    finally:
        gc.unfreeze()


def post_generate(cfg: Config, built: dict[str, Any]) -> list[Diagnostic]:
    """Run each rebuilt client's `post_generate` commands (from the project root; `{package}`
    in a command is the client's output folder). A failing command is an error."""
    import subprocess

    found: list[Diagnostic] = []
    for name, options in sorted(cfg.clients.items()):
        package = cfg.renames.get(name, name)
        if package not in built:
            continue
        for command in options.post_generate:
            words = [w.replace("{package}", str(cfg.output / package)) for w in command]
            try:
                done = subprocess.run(words, cwd=cfg.root, capture_output=True, text=True, check=False)
            except OSError as exc:
                found.append(Diagnostic(Level.ERROR, f"{package}: post_generate command {' '.join(words)!r} "
                                        f"could not run: {exc.strerror or exc}"))
                break
            if done.returncode != 0:
                tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
                found.append(Diagnostic(Level.ERROR, f"{package}: post_generate command {' '.join(words)!r} "
                                        f"failed (exit {done.returncode})" + (": " + " | ".join(tail) if tail else "")))
                break
    return found


def _record(built: Any, spec_digests: dict[str, str], cfg: Config) -> dict[str, Any]:
    """What the manifest keeps of a client: digests of its inputs as they were read."""
    client = built.client
    external = {fresh.source_key(path, cfg.anchor): value for path, value in built.external.items()}
    return {
        "sources": dict(sorted({**spec_digests, **external}.items())),
        "operations": len(client.operations),
        "models": len(client.classes) + len(client.aliases),
    }


def _fresh_line(name: str, entry: dict[str, Any]) -> str:
    return f"{name}: up to date ({entry.get('operations', '?')} operations, {entry.get('models', '?')} models)"
