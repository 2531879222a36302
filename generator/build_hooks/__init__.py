"""Generate clients while Python's build tools build a project (hatchling, setuptools).

Both integrations read `[tool.clientgen]` of the project being built and call `generate`
(incremental: an up-to-date output is only hashed). The output folder should lie inside a
package of the project (`output = "src/mypkg/clients"`), so the clients ship in its wheel
as `mypkg.clients.<client>`. Bad specs fail the build with their diagnostics.
"""

from __future__ import annotations

from pathlib import Path

from generator import config as config_module
from generator import regenerate


class BuildError(Exception):
    """Bad specs or an unusable output: the build stops with this message."""


def generate(root: Path, specs: str | None = None, output: str | None = None,
             ) -> tuple[config_module.Config, list[str]]:
    """Generate the project's clients; returns its config and the report lines.

    `specs` and `output` (the build hook's own settings, relative to `root`) override
    `[tool.clientgen]`."""
    from generator.lock import LockHeld

    cfg = config_module.load(
        str(root / specs) if specs else None, str(root / output) if output else None, start=root
    )
    if cfg.root != root.resolve():
        raise BuildError(f"clientgen: no pyproject.toml in {root}")
    problem = config_module.problem(cfg)
    if problem:
        raise BuildError(f"clientgen: {problem}")
    try:
        outcome = regenerate.generate(cfg)
    except LockHeld as exc:
        raise BuildError(f"clientgen: {exc}") from None
    if outcome.failed:
        rendered = [d.render(cfg.root) for d in outcome.diagnostics]
        raise BuildError("\n".join([*rendered, "clientgen: the specs have errors; no client was generated"]))
    warnings = [d.render(cfg.root) for d in outcome.diagnostics]
    return cfg, warnings + outcome.lines


def spec_files(cfg: config_module.Config) -> list[Path]:
    """The files a source distribution needs to generate again: the specs, and the folders
    their $refs may read."""
    from generator import discover

    found = [p for paths in discover.clients(cfg.specs).values() for p in paths] if cfg.specs.exists() else []
    for folder in cfg.ref_roots:
        found += [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    return sorted(set(found))
