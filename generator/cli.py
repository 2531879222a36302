"""The `clientgen` command: read options, run the pipeline, print the report.

Exit codes: 0 ok, 1 `check` found generated/ stale, 2 bad input (spec errors, bad options,
an output folder that cannot be written), 3 busy (another run holds the output's lock).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from generator import config as config_module
from generator import regenerate
from generator.regenerate import Outcome

EXIT_OK, EXIT_STALE, EXIT_BAD_INPUT, EXIT_BUSY = 0, 1, 2, 3  # diff: 1 = breaking


class Refused(click.ClickException):
    """A problem with the options or the output folder: exit 2, not 1 ("stale")."""

    exit_code = EXIT_BAD_INPUT


class Busy(click.ClickException):
    exit_code = EXIT_BUSY
DIFF_LINES = 40

_specs_option = click.option(
    "--specs", "specs", type=click.Path(path_type=str), default=None,
    help="A folder of specs (each subfolder or top-level file is one client) or one spec "
    "file. Default: [tool.clientgen] specs in pyproject.toml, else specs/.",
)
_output_option = click.option(
    "--output", "output", type=click.Path(path_type=str), default=None,
    help="Folder of generated packages. Default: [tool.clientgen] output, else generated/.",
)
_strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
_remote_option = click.option(
    "--allow-remote-refs", "remote", is_flag=True, default=None,
    help="Fetch $refs to http(s) URLs (default: [tool.clientgen] allow_remote_refs, else no).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clientgen", prog_name="clientgen")
def main() -> None:
    """Generate typed Python clients (pydantic v2 + httpx) from OpenAPI documents."""
    import gc

    from generator import timings

    # A build makes millions of objects and keeps nearly all of them until it ends: at the
    # default thresholds the collector rescans them hundreds of times for little garbage
    # (~0.4 s CPU of a one-schema edit to Stripe; the peak memory is unchanged).
    gc.set_threshold(20_000, 50, 100)

    if timings.enabled():
        timings.enable()


def run() -> NoReturn:
    """The console command: `main`, then an exit that leaves the build's objects unfreed.

    A large build holds millions of objects until it ends; freeing them one by one as the
    interpreter shuts down costs a tenth of a second or more (Stripe), for memory the
    system takes back at once. Exit handlers still run and output is flushed."""
    import atexit
    import os

    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):  # as Python itself treats sys.exit("...")
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the stream closed (`>&-`): nothing to flush
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            code = code or 1
    os._exit(code or 0)


_timings_option = click.option(
    "--timings", is_flag=True, expose_value=False, is_eager=True,
    callback=lambda _ctx, _param, on: _enable_timings() if on else None,
    help="Print each stage's wall and CPU time to stderr (also: CLIENTGEN_TIMINGS=1).",
)


def _enable_timings() -> None:
    from generator import timings

    timings.enable()


def _print(outcome: Outcome, root: Path) -> None:
    for diagnostic in outcome.diagnostics:
        click.echo(diagnostic.render(root), err=True)
    for line in outcome.lines:
        click.echo(line)


def _config(specs: str | None, output: str | None, remote: bool | None = None) -> config_module.Config:
    from generator.options import OptionsError

    try:
        cfg = config_module.load(specs, output, allow_remote_refs=remote)
    except OptionsError as exc:
        raise Refused(f"pyproject.toml: {exc}") from None
    problem = config_module.problem(cfg)
    if problem:
        raise Refused(problem)
    return cfg


@main.command()
@_specs_option
@_output_option
@_strict_option
@_remote_option
@_timings_option
@click.option("--force", is_flag=True, help="Rebuild every client, even those up to date.")
@click.option("--fail-on-change", is_flag=True,
              help="Exit 1 when a file was written or removed (for pre-commit: stage and retry).")
def generate(
    specs: str | None, output: str | None, strict: bool, remote: bool | None, force: bool, fail_on_change: bool
) -> None:
    """Regenerate client packages from the specs (only the clients whose inputs changed)."""
    from generator.lock import LockHeld

    cfg = _config(specs, output, remote)
    try:
        outcome = regenerate.generate(cfg, strict=strict, force=force)
    except LockHeld as exc:
        raise Busy(str(exc)) from None
    except OSError as exc:  # a read-only or full output folder: every client is as it was
        where = exc.filename or cfg.output
        raise Refused(f"cannot write {where}: {exc.strerror or exc}") from None
    _print(outcome, cfg.root)
    if outcome.failed:
        click.echo("clientgen: nothing written: fix the errors above", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if fail_on_change and outcome.changed:
        click.echo("clientgen: generated files changed; stage them and commit again", err=True)
        sys.exit(EXIT_STALE)


@main.command()
@_specs_option
@_output_option
@_strict_option
@_remote_option
@_timings_option
@click.option("--diff", "full_diff", is_flag=True, help="Print the whole diff of every changed file.")
def check(specs: str | None, output: str | None, strict: bool, remote: bool | None, full_diff: bool) -> None:
    """Exit 1 and name the files when the output differs from what generate would write."""
    cfg = _config(specs, output, remote)
    outcome = regenerate.check(cfg, strict=strict)
    _print(outcome, cfg.root)
    if outcome.failed:
        sys.exit(EXIT_BAD_INPUT)
    if outcome.stale:
        for name, diff in outcome.diffs.items():
            lines = diff.splitlines()
            shown = lines if full_diff else lines[:DIFF_LINES]
            click.echo("\n".join(shown))
            if len(shown) < len(lines):
                click.echo(f"... {len(lines) - len(shown)} more lines of {name} (--diff shows all)")
        click.echo("clientgen: generated code is stale; run 'clientgen generate' (or 'make generate')", err=True)
        sys.exit(EXIT_STALE)


@main.command()
@_specs_option
@_strict_option
@_remote_option
def validate(specs: str | None, strict: bool, remote: bool | None) -> None:
    """Check the specs and print diagnostics (file:line, JSON pointer, message)."""
    from generator.pipeline import build

    cfg = _config(specs, None, remote)
    result = build(cfg.specs, cfg.root, allow_remote_refs=cfg.allow_remote_refs, ref_roots=cfg.ref_roots,
                   options=cfg.clients)
    _print(Outcome(diagnostics=result.diagnostics), cfg.root)
    if regenerate.fails(result.diagnostics, strict):
        sys.exit(EXIT_BAD_INPUT)
    click.echo(f"clientgen: {len(result.clients)} clients, no errors")


@main.command(name="list")
@_specs_option
def list_clients(specs: str | None) -> None:
    """List clients and their operations (method, path, Python name)."""
    from generator.pipeline import build

    cfg = _config(specs, None)
    result = build(cfg.specs, cfg.root, format_code=False, ref_roots=cfg.ref_roots, options=cfg.clients)
    _print(Outcome(diagnostics=result.diagnostics), cfg.root)
    for name, built in result.clients.items():
        click.echo(f"{name} ({built.client.title}, {len(built.client.operations)} operations)")
        for op in built.client.operations:
            click.echo(f"  {op.method:7} {op.path}  ->  {op.call}")
    if not result.ok:
        sys.exit(EXIT_BAD_INPUT)


@main.command()
@_specs_option
@_output_option
@click.option("--debounce", default=300, show_default=True, help="Milliseconds to wait for more saves.")
def watch(specs: str | None, output: str | None, debounce: int) -> None:
    """Regenerate on every save under the specs or templates; Ctrl-C stops."""
    from generator.watch import run

    cfg = _config(specs, output)
    run(cfg, debounce, echo=click.echo)


@main.command()
@_specs_option
@_output_option
@_remote_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--rev", default=None, help="Compare with the specs as committed at this git revision (HEAD~1, origin/main).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on-breaking", is_flag=True,
              help="Exit 1 on a breaking change that no info.version major bump acknowledges.")
def diff(
    specs: str | None, output: str | None, remote: bool | None, paths: tuple[str, ...], rev: str | None,
    fmt: str, fail_on_breaking: bool,
) -> None:
    """What changed for callers of each client: generated/ against the specs (default), the
    specs against those at --rev, or OLD NEW (two spec files or folders).

    Exit 1 with --fail-on-breaking when a breaking change is not acknowledged (a major bump
    of info.version), 2 on errors in the specs or a bad revision."""
    from functools import partial

    from generator.diagnostics import Diagnostic
    from generator.diff import report, sides

    if paths and (len(paths) != 2 or rev):
        raise Refused("give two spec paths (OLD NEW), or --rev, or neither")
    cfg = _config(specs, output, remote)
    before_found: list[Diagnostic] = []
    found: list[Diagnostic] = []
    current = partial(sides.from_specs, allow_remote_refs=cfg.allow_remote_refs, ref_roots=cfg.ref_roots,
                      options=cfg.clients)
    try:
        if paths:
            before = current(Path(paths[0]), before_found)
            after = current(Path(paths[1]), found)
        else:
            before = (sides.from_revision(cfg, rev, before_found) if rev
                      else sides.from_generated(cfg.output, before_found, options=cfg.clients))
            after = current(cfg.specs, found)
    except sides.SideError as exc:
        raise Refused(str(exc)) from None
    # The old side's warnings were seen when it was current; its errors explain a gap.
    _print(Outcome(diagnostics=sides.errors(before_found) + found), cfg.root)
    diffs = report.diff_sides(before, after)
    click.echo(report.as_json(diffs) if fmt == "json" else "\n".join(report.text(diffs)))
    if sides.errors(found):
        sys.exit(EXIT_BAD_INPUT)
    if fail_on_breaking and report.unacknowledged(diffs):
        sys.exit(EXIT_STALE)
