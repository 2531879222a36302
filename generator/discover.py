"""Which files are specs, and which client each belongs to. Cheap: no parsing.

A folder under specs/ is one client (all its files, recursively); a file at the top of
specs/ is a client of its own. README.md and hidden files are not specs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
PAGE_SUFFIXES = (".md", ".mdx")
SKIPPED_NAMES = {"readme.md"}


def spec_files(specs: Path) -> list[tuple[str, Path]]:
    """(client name, file) for every spec file: a folder is one client, a top file is one."""
    if specs.is_file():
        return [(specs.stem, specs)]
    found: list[tuple[str, Path]] = []
    for entry in sorted(specs.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            found.extend((entry.name, f) for f in _files_below(entry))
        elif _is_spec_file(entry):
            found.append((entry.stem, entry))
    return found


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
