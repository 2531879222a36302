"""Calls laid out as black lays them out (render.py's `call` and `fits` filters), so that
the formatter's fast path (layout.py) takes them as they are instead of running black.

A call too long for its line, as an item of an exploded bracket, black splits at its own
parentheses: its arguments on one line when they fit there, else one a line with a
trailing comma. Where an argument alone does not fit, the call is left on one line for
black to split: this only ever costs time, never a difference from black's output.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.format import LINE_LENGTH


@dataclass(frozen=True)
class Mapping:
    """A keyword argument whose value is a dict literal (`styles={...}`): black splits it
    one entry a line when it does not fit (an exploded brace)."""

    name: str
    entries: tuple[tuple[str, str], ...]  # (key, value) as Python literals

    def __str__(self) -> str:
        return f"{self.name}={{{', '.join(f'{k}: {v}' for k, v in self.entries)}}}"

    def lines(self, indent: int) -> str | None:
        """Exploded at `indent`, or None where an entry does not fit on its line."""
        pad = " " * (indent + 4)
        entries = [f"{pad}{k}: {v},\n" for k, v in self.entries]
        if any(len(entry) - 1 > LINE_LENGTH for entry in entries):
            return None
        return f"{' ' * indent}{self.name}={{\n{''.join(entries)}{' ' * indent}}},\n"


Argument = str | Mapping


def fits(args: list[Argument], head: str, tail: str, indent: int) -> bool:
    """Whether `head` + the arguments + `tail` fits on one line at `indent`."""
    return indent + len(head) + len(", ".join(map(str, args))) + len(tail) <= LINE_LENGTH


def call(args: list[Argument], head: str, indent: int, suffix: str = ",") -> str:
    """`head(args)suffix` at column `indent` (the first line not indented)."""
    joined = ", ".join(map(str, args))
    if not args or fits(args, head + "(", ")" + suffix, indent):
        return f"{head}({joined}){suffix}"
    pad = " " * (indent + 4)
    if len(pad) + len(joined) <= LINE_LENGTH:
        return f"{head}(\n{pad}{joined}\n{' ' * indent}){suffix}"
    items = [_item(arg, indent + 4) for arg in args]
    if any(item is None for item in items):
        return f"{head}({joined}){suffix}"
    return f"{head}(\n{''.join(item or '' for item in items)}{' ' * indent}){suffix}"


def _item(arg: Argument, indent: int) -> str | None:
    """An argument on its own line(s) with its comma, or None where black would split it
    in a way not written here."""
    text = f"{' ' * indent}{arg},\n"
    if len(text) - 1 <= LINE_LENGTH:
        return text
    return arg.lines(indent) if isinstance(arg, Mapping) else None
