"""black, never twice on the same text: files and their pieces are cached by content digest."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Hashable
from functools import cache, partial
from pathlib import Path
from typing import Any, Self, TypeVar

LINE_LENGTH = 88
# Enough work to be worth a worker process (forked, black already imported): black runs
# at about 100 KB of code a second, planning (chunks.py, layout.py) at about 4 MB.
PARALLEL_BYTES = 40_000  # code for black
PLAN_PARALLEL_BYTES = 600_000  # code to plan
K = TypeVar("K", bound=Hashable)


class FormatError(Exception):
    """black could not parse generated code: a generator bug, reported with the file."""


@cache
def _mode() -> tuple[object, str]:
    import black

    mode = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=LINE_LENGTH)
    return mode, f"black {black.__version__} {LINE_LENGTH} py311"


def cache_dir() -> Path:
    configured = os.environ.get("CLIENTGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "clientgen" / "black"


def _cached(source: str) -> tuple[Path, str | None]:
    _, key = _mode()
    digest = hashlib.sha256(f"{key}\0{source}".encode()).hexdigest()
    path = cache_dir() / digest[:2] / digest
    try:
        return path, path.read_text(encoding="utf-8")
    except OSError:
        return path, None


def format_all(sources: dict[K, str]) -> dict[K, str]:
    """Format many files; black sees only what no cache holds, in pieces (chunks.py).

    A file is cut into its top-level definitions (and a class into its methods), each
    formatted and cached on its own: an edit to one schema re-formats one piece, and a
    large file's pieces are shared among worker processes, one per core.
    """
    results: dict[K, str] = {}
    misses: dict[K, str] = {}
    for key, source in sources.items():
        _, hit = _cached(source)
        if hit is None:
            misses[key] = source
        else:
            results[key] = hit
    # as many workers as black could use (the most of any use): planning wants fewer
    with _Workers(_count(sum(map(len, misses.values())), PARALLEL_BYTES)) as workers:
        return _format_misses(sources, results, misses, workers)


def _format_misses(sources: dict[K, str], results: dict[K, str], misses: dict[K, str], workers: _Workers) -> dict[K, str]:
    from generator import layout

    plans = _plan_all(misses, workers)
    done: dict[str, str] = {}
    jobs: dict[str, str] = {}  # piece source -> the file it is from, for error messages
    shaped: dict[str, tuple[list[str | layout.Hole], str]] = {}  # pieces with holes to fill
    for key, planned in plans.items():
        for piece, lines in planned:
            text = piece.source
            if text in done or text in jobs or text in shaped:
                continue
            if lines is not None and not any(isinstance(line, layout.Hole) for line in lines):
                done[text] = "\n".join(map(str, lines)) + "\n"
                continue
            _, hit = _cached(text)
            if hit is not None:
                done[text] = hit
            elif lines is not None:
                shaped[text] = (lines, str(key))
            else:
                jobs[text] = str(key)
    holes = {(h.kind, h.indent, h.text): name for lines, name in shaped.values() for h in lines
             if isinstance(h, layout.Hole)}
    formatted, filled = _format_jobs(jobs, holes, workers)
    done.update(formatted)
    for text, (lines, name) in shaped.items():
        done[text] = _fill(text, lines, filled, name)
    for key, planned in plans.items():
        results[key] = _assemble(sources[key], [piece for piece, _ in planned], done, str(key))
    return {key: results[key] for key in sources}


Plan = list[tuple[Any, Any]]  # (chunks.Piece, layout.shaped of it)


class _Workers:
    """One pool of worker processes for a run, started when first asked for (planning and
    black both use it: one start, not two), with black imported before the fork."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.pool: Any = None

    def count(self, size: int, per_worker: int) -> int:
        return min(self.most, _count(size, per_worker))

    def get(self) -> Any:
        if self.pool is None:
            from concurrent.futures import ProcessPoolExecutor

            _mode()  # black imported once here: forked workers inherit it
            self.pool = ProcessPoolExecutor(max_workers=self.most)
        return self.pool

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def _count(size: int, per_worker: int) -> int:
    """Workers worth starting for `size` characters of code, at most one per core."""
    return min(os.cpu_count() or 1, max(1, size // per_worker))


def _plan_all(sources: dict[K, str], workers: _Workers) -> dict[K, Plan]:
    """Each file cut into pieces, each piece's layout checked: in worker processes too
    when there is enough code (parsing it all is seconds for the largest clients)."""
    if workers.count(sum(map(len, sources.values())), PLAN_PARALLEL_BYTES) < 2:
        return {key: _plan(source) for key, source in sources.items()}
    keys = sorted(sources, key=lambda key: -len(sources[key]))  # the largest first: no core waits long
    return dict(zip(keys, workers.get().map(_plan, [sources[key] for key in keys], chunksize=4)))


def _plan(source: str) -> Plan:
    from generator import chunks, layout

    return [(piece, layout.shaped(piece.source)) for piece in chunks.split(source)]


def _assemble(source: str, pieces: list[Any], done: dict[str, str], name: str) -> str:
    from generator import chunks

    if len(pieces) == 1:
        return done[pieces[0].source]
    joined = chunks.join(pieces, [done[piece.source] for piece in pieces])
    if joined is None:  # a piece black reshaped unexpectedly: the whole file, as black would
        return format_python(source, name)
    cached, _ = _cached(source)
    _store(cached, joined)
    return joined


def _fill(text: str, lines: list[Any], filled: dict[Hole, str], name: str) -> str:
    from generator import layout

    try:
        out = "\n".join(filled[(line.kind, line.indent, line.text)] if isinstance(line, layout.Hole) else line
                        for line in lines) + "\n"
    except KeyError:  # a hole black did not give back as expected: the piece, as black would
        return format_python(text, name)
    _store(_cached(text)[0], out)
    return out


Hole = tuple[str, int, str]  # kind, indent, text: a line black must split (layout.Hole)
Unit = tuple[str, int, list[tuple[str, str]]]  # pieces, or holes of a kind and indent, for one black call


def _format_jobs(jobs: dict[str, str], holes: dict[Hole, str], workers: _Workers) -> tuple[dict[str, str], dict[Hole, str]]:
    """black over every piece and hole, many a call (combine.py); in worker processes
    when there is enough to share."""
    from generator import combine

    units: list[Unit] = [("", 0, [(text, jobs[text]) for text in unit]) for unit in combine.units(list(jobs))]
    units += [(kind, indent, group) for (kind, indent), group in _hole_groups(holes).items()]
    units = [(kind, indent, part) for kind, indent, group in units for part in _parts(group)]
    size = sum(map(len, jobs)) + sum(len(text) for _, _, text in holes)
    count = workers.count(size, PARALLEL_BYTES)
    if count < 2 or len(units) < 2:
        results = _format_units(units)
    else:
        results = [r for done in workers.get().map(_format_units, _batches(units, count * 4)) for r in done]
    pieces = {key[2]: out for key, out in results if not key[0]}
    return pieces, {key: out for key, out in results if key[0]}


def _hole_groups(holes: dict[Hole, str]) -> dict[tuple[str, int], list[tuple[str, str]]]:
    groups: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for (kind, indent, text), name in holes.items():
        groups.setdefault((kind, indent), []).append((text, name))
    return groups


def _parts(group: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Pieces already grouped by combine.units stay whole; holes are cut into units."""
    from generator.combine import UNIT_BYTES

    parts: list[list[tuple[str, str]]] = [[]]
    size = 0
    for item in group:
        if size > UNIT_BYTES:
            parts.append([])
            size = 0
        parts[-1].append(item)
        size += len(item[0])
    return parts


def _batches(units: list[Unit], count: int) -> list[list[Unit]]:
    """`count` batches of about equal size, largest units first, so no core waits long."""
    bins: list[list[Unit]] = [[] for _ in range(min(count, len(units)))]
    sizes = [0] * len(bins)
    for unit in sorted(units, key=lambda u: -_size(u)):
        smallest = sizes.index(min(sizes))
        bins[smallest].append(unit)
        sizes[smallest] += _size(unit)
    return sorted(bins, key=lambda b: -sum(map(_size, b)))


def _size(unit: Unit) -> int:
    return sum(len(text) for text, _ in unit[2])


def _format_units(units: list[Unit]) -> list[tuple[Hole, str]]:
    """(("", 0, piece source) or the hole, black's output) for each piece and hole."""
    from generator import combine

    out: list[tuple[Hole, str]] = []
    for kind, indent, unit in units:
        texts = [text for text, _ in unit]
        name = unit[0][1]
        if kind:
            try:
                lines = combine.hole_results(kind, indent, _black(combine.hole_source(kind, indent, texts), name),
                                             len(texts))
            except FormatError:
                lines = None
            out += [((kind, indent, text), result) for text, result in zip(texts, lines or [])]
            continue
        try:
            formatted = combine.format_unit(texts, partial(_black, name=name)) if len(unit) > 1 else None
        except FormatError:
            formatted = None  # one piece is not valid Python: alone, each names its file
        if formatted is None:
            formatted = [format_python(text, name) for text, name in unit]
        else:
            for text, result in zip(texts, formatted):
                _store(_cached(text)[0], result)
        out += [(("", 0, text), result) for text, result in zip(texts, formatted)]
    return out


def _black(source: str, name: str) -> str:
    import black

    mode, _ = _mode()
    try:
        return black.format_str(source, mode=mode)  # type: ignore[arg-type]
    except black.InvalidInput as exc:
        raise FormatError(f"{name}: generated code is not valid Python ({exc})") from exc


def format_python(source: str, name: str = "<generated>") -> str:
    cached, hit = _cached(source)
    if hit is not None:
        return hit
    result = _black(source, name)
    _store(cached, result)
    return result


def _store(path: Path, text: str) -> None:
    """Best effort: a cache that cannot be written only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        pass
