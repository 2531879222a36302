"""Which files are specs, and which client each belongs to. Cheap: no parsing.

A folder under specs/ is one client (all its files, recursively); a file at the top of
specs/ is a client of its own. README.md and hidden files are not specs.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

from generator.lower.names import package_name

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
PAGE_SUFFIXES = (".md", ".mdx")
SKIPPED_NAMES = {"readme.md"}


def spec_files(specs: Path) -> list[tuple[str, Path]]:
    """(client package name, file) for every spec file, in a stable order."""
    if specs.is_file():
        return [(package_name(specs.stem), specs)]
    if not specs.is_dir():
        return []
    found: list[tuple[str, Path]] = []
    for entry in sorted(specs.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            found.extend((package_name(entry.name), f) for f in _files_below(entry))
        elif entry.is_file() and _is_spec_file(entry):  # never a FIFO or a device
            found.append((package_name(entry.stem), entry))
    return found


def clients(specs: Path) -> dict[str, list[Path]]:
    """Spec files grouped by client package name."""
    grouped: dict[str, list[Path]] = {}
    for name, path in spec_files(specs):
        grouped.setdefault(name, []).append(path)
    return grouped


def name_clashes(specs: Path) -> dict[str, list[str]]:
    """Package names claimed by more than one folder or top-level file (`my-api/`, `my_api.yaml`)."""
    owners: dict[str, set[str]] = {}
    if specs.is_dir():
        for name, path in spec_files(specs):
            top = path.relative_to(specs).parts[0]
            owners.setdefault(name, set()).add(top)
    return {name: sorted(tops) for name, tops in owners.items() if len(tops) > 1}


def _files_below(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if path.is_file() and _is_spec_file(path) and not any(p.startswith(".") for p in relative):
            yield path


def _is_spec_file(path: Path) -> bool:
    suffix = path.suffix.lower()
    if path.name.lower() in SKIPPED_NAMES:
        return False
    return suffix in SPEC_SUFFIXES or suffix in PAGE_SUFFIXES


def template_dir() -> Path:
    """Templates ship as the package `generator.templates` (the top-level templates/)."""
    # find_spec, not importlib.resources: `clientgen check` need not import the latter.
    spec = importlib.util.find_spec("generator.templates")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("clientgen is installed without its templates (generator.templates)")
    return Path(next(iter(spec.submodule_search_locations)))
