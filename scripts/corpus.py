"""The public corpus: where it is, its index, and generating one document's client.

Shared by scripts/corpus_report.py, scripts/sweep/ and bench/run.py. The corpus is a folder
holding INDEX.tsv (one row per document) and the documents at the paths it lists; it is
../shared/corpus next to this repository unless CORPUS (environment) or --corpus says otherwise.
"""

from __future__ import annotations

import csv
import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def corpus_root(option: str | Path | None = None) -> Path:
    """--corpus, else $CORPUS, else ../shared/corpus; exit 2 with a clear message if absent."""
    chosen = option or os.environ.get("CORPUS") or DEFAULT_CORPUS
    root = Path(chosen).expanduser().resolve()
    if not (root / "INDEX.tsv").is_file():
        where = "CORPUS / --corpus" if option or os.environ.get("CORPUS") else "the default location"
        sys.stderr.write(
            f"error: no corpus at {root} ({where}): expected a folder with INDEX.tsv and the\n"
            f"documents it lists (by default {DEFAULT_CORPUS}, next to this repository).\n"
            f"Point elsewhere with the CORPUS environment variable, e.g.\n"
            f"  make sweep CORPUS=/path/to/corpus   (likewise corpus, bench)   or   --corpus PATH\n"
        )
        raise SystemExit(2)
    return root


@dataclass
class Row:
    """One corpus document and what happened to it."""

    path: str
    kind: str
    version: str
    operations_in_doc: int
    models_in_doc: int
    status: str = "crash"
    operations: int = 0
    models: int = 0
    note: str = ""
    package: str = ""
    dir: Path | None = None
    problems: list[str] = field(default_factory=list)
    # (module under the package, its endpoint function, how a client reaches the method:
    # `pets.list`), one per operation, from the IR: where each operation lives.
    endpoints: list[tuple[str, str, str]] = field(default_factory=list)


def load_index(corpus: Path, only: str | None = None, sample: tuple[str, ...] | None = None) -> list[Row]:
    """INDEX.tsv rows, filtered to `sample` (exact paths) and to paths containing `only`."""
    rows = []
    with open(corpus / "INDEX.tsv", newline="") as handle:
        for entry in csv.DictReader(handle, delimiter="\t"):
            path = entry["local_path"]
            if sample is not None and path not in sample or only and only not in path:
                continue
            rows.append(Row(path, entry["kind"], entry["openapi_version"],
                            int(entry["operations"] or 0), int(entry["component_schemas"] or 0)))
    return rows


def generate(row: Row, corpus: Path, out: Path, index: int, *, format_code: bool = True) -> None:
    """Write the document's client to out/<package>; sets row.status to written/diagnostic/crash."""
    from generator.diagnostics import Level
    from generator.pipeline import build

    try:
        # Documents share files across folders (`../common.yaml`): the corpus is one project
        # whose `ref_roots` is the corpus itself.
        result = build(corpus / row.path, corpus, format_code=format_code, ref_roots=(corpus,))
    except Exception as exc:  # noqa: BLE001 - a crash is what the reports are for
        row.status, row.note = "crash", f"{type(exc).__name__}: {exc}"
        row.problems.append(traceback.format_exc(limit=-4))
        return
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    if not result.clients:
        row.status = "diagnostic"
        row.note = errors[0].render(corpus).splitlines()[0] if errors else "no client and no error"
        return
    (name, built), = result.clients.items()
    row.package = f"c{index:03d}_{name}"[:60]
    row.dir = out / row.package
    row.dir.mkdir(parents=True)
    for rel, text in built.files.items():
        (row.dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (row.dir / rel).write_text(text)
    row.operations = len(built.client.operations)
    row.endpoints = [(f"resources.{group.module}", op.constant, op.call)
                     for group in built.client.groups for op in group.operations]
    row.models = len(built.client.classes) + len(built.client.aliases)
    row.status = "written"
