"""Spec problems as values: every stage reports into a list instead of raising.

A `Diagnostic` says where (file, line, JSON pointer) and what (message, hint). Stages collect
them; the CLI prints them together and decides the exit code.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


class Level(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    message: str
    file: Path | None = None
    line: int | None = None
    pointer: str | None = None
    hint: str | None = None

    def render(self, root: Path | None = None) -> str:
        where = ""
        if self.file is not None:
            where = _relative(self.file, root)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        text = f"{where}{self.level.value}: {self.message}"
        if self.pointer is not None:
            text += f" (at {self.pointer or '/'})"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def _relative(path: Path, root: Path | None) -> str:
    base = root or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


class SpecError(Exception):
    """Raised to stop a run; carries every diagnostic collected so far."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.render() for d in diagnostics))


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.level is Level.ERROR for d in diagnostics)


def pointer_join(pointer: str, *parts: str | int) -> str:
    """Append reference tokens to a JSON pointer, escaping `~` and `/` (RFC 6901)."""
    for part in parts:
        token = str(part).replace("~", "~0").replace("/", "~1")
        pointer = f"{pointer}/{token}"
    return pointer


def pointer_parts(pointer: str) -> list[str]:
    if pointer in ("", "#"):
        return []
    body = pointer.removeprefix("#")
    return [p.replace("~1", "/").replace("~0", "~") for p in body.split("/")[1:]]
