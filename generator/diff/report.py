"""The report of `clientgen diff` (text or JSON) and the one-line summaries of generate/check."""

from __future__ import annotations

import json
import pickle
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator import memo
from generator.diff import sides
from generator.diff.compare import ClientDiff, compare
from generator.diff.surface import Surface, extract
from generator.options import ClientOptions


def diff_sides(before: sides.Side, after: sides.Side) -> list[ClientDiff]:
    return [compare(old, new) for _, old, new in sides.pair(before, after)]


def unacknowledged(diffs: list[ClientDiff]) -> list[ClientDiff]:
    """Clients with breaking changes that no info.version bump announces."""
    return [d for d in diffs if d.breaking and not d.acknowledged]


def text(diffs: list[ClientDiff]) -> list[str]:
    lines: list[str] = []
    for diff in diffs:
        lines.append(_heading(diff))
        width = max((len(c.kind) for c in diff.changes), default=0)
        for change in diff.changes:
            mark = "BREAKING" if change.breaking else "ok"
            lines.append(f"  {mark:8}  {change.kind:{width}}  {change.where}: {change.detail}")
    lines.append(_total(diffs))
    return lines


def _heading(diff: ClientDiff) -> str:
    both = diff.before is not None and diff.after is not None
    versions = f" {diff.before} -> {diff.after}" if both and diff.before != diff.after else ""
    if not diff.changes:
        return f"{diff.client}{versions}: no API changes"
    ack = " (acknowledged by the version)" if diff.breaking and diff.acknowledged else ""
    return f"{diff.client}{versions}: {counts(diff)}{ack}"


def counts(diff: ClientDiff) -> str:
    breaking = len(diff.breaking)
    other = len(diff.changes) - breaking
    return f"{breaking} breaking, {other} other API change{'s' if other != 1 else ''}"


def _total(diffs: list[ClientDiff]) -> str:
    changes = sum(len(d.changes) for d in diffs)
    breaking = sum(len(d.breaking) for d in diffs)
    open_ = unacknowledged(diffs)
    tail = (f"; not acknowledged in {', '.join(d.client for d in open_)} (bump info.version's major)"
            if open_ else "")
    return f"clientgen: {changes} API changes in {len(diffs)} clients, {breaking} breaking{tail}"


def as_json(diffs: list[ClientDiff]) -> str:
    kinds: Counter[str] = Counter(c.kind for d in diffs for c in d.changes)
    data: dict[str, Any] = {
        "clients": [d.as_dict() for d in diffs],
        "changes": sum(len(d.changes) for d in diffs),
        "breaking": sum(len(d.breaking) for d in diffs),
        "unacknowledged": [d.client for d in unacknowledged(diffs)],
        "kinds": dict(sorted(kinds.items())),
    }
    return json.dumps(data, indent=2)


def summary(output: Path, built: dict[str, Any], options: Mapping[str, ClientOptions] | None = None,
            *, remember: bool = True) -> list[str]:
    """One line per rebuilt client whose API changed against what `output` holds, for
    `generate` and `check` (the old side read with the clients' `options`, as the new one
    was built). Clients whose document did not change are skipped unread. `remember` keeps
    the new surfaces for the next build: only when `output` is about to hold their documents
    (`check` writes none: kept, its surface would displace the one `output` still matches)."""
    lines = []
    for name, client in sorted(built.items()):
        document = client.files.get("openapi.json")
        after = replace(extract(client.client), client=name)
        previous = output / name / "openapi.json"
        try:
            old_text = previous.read_text(encoding="utf-8")
        except OSError:
            old_text = None  # a new client: nothing to compare with
        if old_text is not None and old_text != document:
            before = _recalled(old_text, output, name, options)
            diff = compare(before, after) if before is not None else None
            if diff is not None and diff.changes:
                lines.append(f"{name}: {counts(diff)} ('clientgen diff' lists them)")
        if remember and document is not None:
            _remember(output, name, document, after)
    return lines


def _slot(output: Path, name: str) -> str:
    """One entry per generated package, overwritten by each build: the cache stays small."""
    return memo.key("surface", str(output.resolve()), name)


def _remember(output: Path, name: str, document: str, surface: Surface) -> None:
    """Keep the surface of a build with the digest of its openapi.json: the next build
    compares with it without loading and lowering the old document again (seconds on a
    large spec)."""
    kept = (memo.key("surface", document), surface)
    memo.write("surface", _slot(output, name), pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))


def _recalled(
    document: str, output: Path, name: str, options: Mapping[str, ClientOptions] | None
) -> Surface | None:
    """The surface of the build that wrote `document`: remembered, else lowered anew."""
    payload = memo.read("surface", _slot(output, name))
    if payload is not None:
        try:
            digest, surface = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - any unreadable entry is a miss
            digest = surface = None
        if digest == memo.key("surface", document) and isinstance(surface, Surface) and surface.client == name:
            return surface
    return sides.from_generated(output, [], only={name}, options=options).get(name)
