"""`[tool.clientgen]` in pyproject.toml -> Config. Command-line options override it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.options import ClientOptions, OptionsError, read_all, suggestion

# The keys `[tool.clientgen]` may have (each client's own table: generator/options.py).
KEYS = ("specs", "output", "allow_remote_refs", "ref_roots", "clients", "pagination")


@dataclass(frozen=True)
class Config:
    root: Path
    specs: Path
    output: Path
    allow_remote_refs: bool = False  # fetch $refs to http(s) URLs
    ref_roots: tuple[Path, ...] = ()  # folders besides `specs` that $refs may read files from
    clients: dict[str, ClientOptions] = field(default_factory=dict)  # by client name
    paging: dict[str, Any] = field(default_factory=dict)  # [tool.clientgen.pagination], by client

    @property
    def renames(self) -> dict[str, str]:
        """Client name -> the package name its options give (where they give one)."""
        return {name: o.package for name, o in self.clients.items() if o.package and o.package != name}

    @property
    def anchor(self) -> Path:
        """The folder holding the specs: spec paths in headers and in the manifest are
        relative to it, so they read the same from any working directory."""
        return anchor(self.specs)


def anchor(specs: Path) -> Path:
    """The specs folder's parent (`specs/pets/api.yaml`), or a single spec file's folder."""
    return specs.resolve().parent


def problem(cfg: Config) -> str | None:
    """What is wrong with the folders of `cfg`, if anything (checked before any work)."""
    specs, output = cfg.specs.resolve(), cfg.output.resolve()
    inside = specs.is_relative_to(output)  # a client's swap could replace the specs
    if inside or not specs.is_file() and output.is_relative_to(specs):
        return (f"the output folder {cfg.output} overlaps the specs {cfg.specs}: generated files "
                "would be read as specs, or specs overwritten; choose separate folders")
    if output.exists() and not output.is_dir():
        return f"the output {cfg.output} is a file, not a folder"
    return None


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` with a pyproject.toml, else `start`."""
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    return start


def load(
    specs: str | None = None,
    output: str | None = None,
    start: Path | None = None,
    allow_remote_refs: bool | None = None,
) -> Config:
    root = find_root((start or Path.cwd()).resolve())
    settings: dict[str, object] = {}
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        with pyproject.open("rb") as handle:
            settings = tomllib.load(handle).get("tool", {}).get("clientgen", {})
    specs_path = Path(specs) if specs else root / str(settings.get("specs", "specs"))
    output_path = Path(output) if output else root / str(settings.get("output", "generated"))
    remote = bool(settings.get("allow_remote_refs", False)) if allow_remote_refs is None else allow_remote_refs
    roots = settings.get("ref_roots", [])
    ref_roots = tuple(root / str(r) for r in roots) if isinstance(roots, list) else ()
    paging = settings.get("pagination")
    return Config(root=root, specs=specs_path, output=output_path, allow_remote_refs=remote,
                  ref_roots=ref_roots, clients=_clients(settings, root),
                  paging=dict(paging) if isinstance(paging, dict) else {})


def _clients(settings: dict[str, Any], root: Path) -> dict[str, ClientOptions]:
    """Checks the top-level keys, then reads each client's table (OptionsError if wrong)."""
    for key in settings:
        if key not in KEYS:
            raise OptionsError(f"unknown key tool.clientgen.{key}{suggestion(key, list(KEYS))}")
    return read_all(settings.get("clients", {}), "tool.clientgen.clients", root)
