"""Check every `$ref` of a bundled document: it points somewhere, at an object, and a
chain of `$ref`s ends somewhere.

A `$ref` that leads back to itself (`/paths/~1a: {$ref: '#/paths/~1a'}`, two responses
naming each other, a schema that is only a `$ref` to itself) describes nothing; followed
naively it never ends. Recursion through properties (`Node.children: [$ref Node]`) is
fine: only chains of nodes that are nothing but references are cycles.
"""

from __future__ import annotations

from typing import Any

from generator.bundle import holds_data
from generator.diagnostics import Diagnostic, Level, pointer_join
from generator.merge import ClientSpec

_REMOTE_HINT = ("download it next to the spec and refer to it by path, or allow fetching "
                "(--allow-remote-refs, or allow_remote_refs = true in [tool.clientgen])")


def check_refs(client: ClientSpec) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    # Each node with its pointer and the last two keys above it (all `holds_data` reads).
    stack: list[tuple[str, tuple[str, ...], Any]] = [("", (), client.data)]
    while stack:
        pointer, parents, node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                problem = ref_problem(client.data, ref, pointer)
                if problem:
                    message, hint = problem
                    found.append(client.diagnostic(Level.ERROR, message, pointer_join(pointer, "$ref"), hint))
            stack.extend((pointer_join(pointer, k), (*parents[-1:], k), v) for k, v in node.items()
                         if isinstance(v, (dict, list)) and not holds_data(k, parents, v))
        elif isinstance(node, list):
            stack.extend((pointer_join(pointer, i), (*parents[-1:], str(i)), v) for i, v in enumerate(node)
                         if isinstance(v, (dict, list)))
    return sorted(found, key=lambda d: d.pointer or "")


def ref_problem(data: Any, ref: str, pointer: str) -> tuple[str, str | None] | None:
    """What is wrong with the `$ref` held by the node at `pointer`, and what to do."""
    from generator.parse import lookup

    if ref.startswith(("http://", "https://")):
        return f"remote $ref {ref!r} is not fetched; {_REMOTE_HINT}", None
    if ref in ("", "#"):
        message = "empty $ref: it names the whole document, which is no schema, parameter or response"
        return message, "write the pointer of what is meant: '#/components/schemas/Name'"
    if not ref.startswith("#"):
        return None  # a file the bundler could not bring in; it said why
    if not ref.startswith("#/"):
        return (f"$ref {ref!r} is not a JSON pointer", "write it as '#/components/schemas/Name'")
    target = lookup(data, ref[1:])
    if target is None:
        return f"$ref {ref!r} points to nothing in this document", "check the spelling of the pointer"
    if not isinstance(target, (dict, bool)):
        return (f"$ref {ref!r} points to a {type(target).__name__}, not an object",
                "point it at a schema, parameter, response or other object")
    cycle = _cycle(data, ref, pointer)
    if cycle:
        return (f"$ref cycle: {' -> '.join(cycle)} leads back to itself, so it describes nothing",
                "point one of these $refs at a real definition")
    return None


def _cycle(data: Any, ref: str, pointer: str) -> list[str] | None:
    """The chain of pointers when following `$ref`s from `pointer` comes back to it."""
    from generator.parse import lookup

    chain = [pointer or "#"]
    seen = {pointer}
    while ref.startswith("#"):
        target_pointer = ref[1:]
        if target_pointer == pointer:
            return [*chain, target_pointer or "#"]
        if target_pointer in seen:
            return None  # a cycle further on: reported at its own members
        seen.add(target_pointer)
        chain.append(target_pointer)
        node = lookup(data, target_pointer)
        if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
            return None
        ref = node["$ref"]
    return None
