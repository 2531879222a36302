"""The `clientgen` command: read options, run the pipeline, print the report.

Exit codes: 0 ok, 1 `check` found generated/ stale, 2 bad input (spec errors, bad options,
an output folder that cannot be written), 3 busy (another run holds the output's lock).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator import config as config_module
from generator import regenerate
from generator.regenerate import Outcome

EXIT_OK, EXIT_STALE, EXIT_BAD_INPUT, EXIT_BUSY = 0, 1, 2, 3


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
    from generator import timings

    if timings.enabled():
        timings.enable()


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
    cfg = config_module.load(specs, output, allow_remote_refs=remote)
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
    result = build(cfg.specs, cfg.root, allow_remote_refs=cfg.allow_remote_refs, ref_roots=cfg.ref_roots)
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
    result = build(cfg.specs, cfg.root, format_code=False, ref_roots=cfg.ref_roots)
    _print(Outcome(diagnostics=result.diagnostics), cfg.root)
    for name, built in result.clients.items():
        click.echo(f"{name} ({built.client.title}, {len(built.client.operations)} operations)")
        for op in built.client.operations:
            click.echo(f"  {op.method:7} {op.path}  ->  {op.name}")
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
