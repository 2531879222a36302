"""The `clientgen` command: read options, run the pipeline, print the report.

Exit codes: 0 ok, 1 `check` found generated/ stale, 2 bad input (spec errors, bad options).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator import config as config_module
from generator.diagnostics import Diagnostic, Level

EXIT_OK, EXIT_STALE, EXIT_BAD_INPUT = 0, 1, 2

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clientgen", prog_name="clientgen")
def main() -> None:
    """Generate typed Python clients (pydantic v2 + httpx) from OpenAPI documents."""


def _report(diagnostics: list[Diagnostic], root: Path, strict: bool) -> bool:
    """Print diagnostics to stderr; True when the run must fail."""
    for diagnostic in diagnostics:
        click.echo(diagnostic.render(root), err=True)
    failing = {Level.ERROR, Level.WARNING} if strict else {Level.ERROR}
    return any(d.level in failing for d in diagnostics)


def _build(specs: str | None, output: str | None, strict: bool):  # type: ignore[no-untyped-def]
    from generator.pipeline import build

    cfg = config_module.load(specs, output)
    result = build(cfg.specs, cfg.root)
    failed = _report(result.diagnostics, cfg.root, strict)
    return cfg, result, failed


@main.command()
@_specs_option
@_output_option
@_strict_option
def generate(specs: str | None, output: str | None, strict: bool) -> None:
    """Regenerate client packages from the specs."""
    from generator import write

    cfg, result, failed = _build(specs, output, strict)
    if failed:
        click.echo(f"clientgen: not written: fix the errors above ({', '.join(result.failed) or 'spec'})", err=True)
        sys.exit(EXIT_BAD_INPUT)
    plan = {name: built.files for name, built in result.clients.items()}
    sources = {name: _source_digests(built.sources, cfg.root) for name, built in result.clients.items()}
    report = write.write(cfg.output, plan, sources, prune=cfg.specs.is_dir())
    for name, changes in report.items():
        built = result.clients.get(name)
        if built is None:
            click.echo(f"{name}: removed ({len(changes.removed)} files)")
            continue
        click.echo(
            f"{name}: {len(built.client.operations)} operations, "
            f"{len(built.client.classes) + len(built.client.aliases)} models, "
            f"{len(changes.written)} files written, {len(changes.unchanged)} unchanged"
            + (f", {len(changes.removed)} removed" if changes.removed else "")
        )


def _source_digests(paths: tuple[Path, ...], root: Path) -> dict[str, str]:
    from generator.write import digest

    found = {}
    for path in paths:
        try:
            key = path.resolve().relative_to(root).as_posix()
        except ValueError:
            key = str(path)
        found[key] = digest(path.read_bytes())
    return dict(sorted(found.items()))


@main.command()
@_specs_option
@_output_option
@_strict_option
def check(specs: str | None, output: str | None, strict: bool) -> None:
    """Exit 1 and name the files when the output differs from what generate would write."""
    from generator import write

    cfg, result, failed = _build(specs, output, strict)
    if failed:
        sys.exit(EXIT_BAD_INPUT)
    plan = {name: built.files for name, built in result.clients.items()}
    staleness = write.compare(cfg.output, plan)
    if not staleness.stale:
        click.echo(f"clientgen: {cfg.output} is up to date ({len(plan)} clients)")
        return
    for label, items in (("missing", staleness.missing), ("changed", staleness.changed), ("extra", staleness.extra)):
        for item in items:
            click.echo(f"{label}: {cfg.output / item}")
    click.echo("clientgen: generated code is stale; run 'clientgen generate' (or 'make generate')", err=True)
    sys.exit(EXIT_STALE)


@main.command()
@_specs_option
@_strict_option
def validate(specs: str | None, strict: bool) -> None:
    """Check the specs and print diagnostics (file:line, JSON pointer, message)."""
    _cfg, result, failed = _build(specs, None, strict)
    if failed:
        sys.exit(EXIT_BAD_INPUT)
    click.echo(f"clientgen: {len(result.clients)} clients, no errors")


@main.command(name="list")
@_specs_option
def list_clients(specs: str | None) -> None:
    """List clients and their operations (method, path, Python name)."""
    _cfg, result, failed = _build(specs, None, False)
    for name, built in result.clients.items():
        click.echo(f"{name} ({built.client.title}, {len(built.client.operations)} operations)")
        for op in built.client.operations:
            click.echo(f"  {op.method:7} {op.path}  ->  {op.name}")
    if failed:
        sys.exit(EXIT_BAD_INPUT)
