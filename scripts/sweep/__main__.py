"""The contract sweep: every operation of every corpus client, called against Prism.

For each document (INDEX.tsv of the corpus; --only / --sample narrow it): generate the client,
start Prism on its openapi.json, call every operation sync and async with synthesized
arguments (plain, with optional fields, one call per union branch, `Prefer: dynamic=true`,
one documented error status) and classify each call (see scripts/sweep/classify.py). Prints a
row per document and totals; every call is a JSON line in --out.

    python -m scripts.sweep --only petstore          # documents whose path contains it
    python -m scripts.sweep --sample                 # the fixed sample (tests/corpus_sample)
    CORPUS=/elsewhere python -m scripts.sweep        # the whole corpus (hours; see --budget)
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from scripts.corpus import ROOT, Row, corpus_root, load_index
from scripts.sweep.report import causes, table

# Feature documents that exercise the synthesizer: unions and discriminators, enums, formats,
# patterns, bounds, uploads, error responses. Copies live in tests/corpus_sample.
SAMPLE = (
    "oai-learn/examples/v3.0/petstore-expanded.yaml",
    "readmeio-oas-examples/3.1/yaml/train-travel.yaml",
    "readmeio-oas-examples/3.0/yaml/discriminators.yaml",
    "readmeio-oas-examples/3.0/yaml/polymorphism.yaml",
    "readmeio-oas-examples/3.0/yaml/schema-types.yaml",
    "readmeio-oas-examples/3.0/yaml/schema-validation.yaml",
    "readmeio-oas-examples/3.0/yaml/file-uploads.yaml",
)
HARD_GRACE = 90.0  # seconds past a document's budget before its process is killed


def main() -> int:
    args = _parser().parse_args()
    corpus = corpus_root(args.corpus)
    rows = [r for r in load_index(corpus, args.only, SAMPLE if args.sample else None)
            if r.kind != "swagger-document" and not any(skip in r.path for skip in args.exclude)]
    if not rows:
        print("no document matches", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="clientgen-sweep-out-"))
    began = time.monotonic()
    records: list[dict[str, Any]] = []
    # Each document's records are written as soon as it is done (in corpus order), so a long
    # run that is stopped still leaves every finished document in --out.
    try:
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool, \
                open(args.out, "w", encoding="utf-8") as out:
            for part in pool.map(lambda item: _run(item[1], item[0], corpus, work, args), enumerate(rows)):
                out.writelines(json.dumps(record) + "\n" for record in part)
                out.flush()
                records += part
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(table(records)))
    if args.causes:
        print("\nmost frequent failure causes (calls, class, documents, operations, detail):")
        print("\n".join(causes(records, args.causes)))
    print(f"\n{len(rows)} documents in {time.monotonic() - began:.0f} s; every call in {args.out}")
    return 0


def _run(row: Row, index: int, corpus: Path, work: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Sweep one document in a child process; a crash or a kill becomes a document record."""
    out = work / f"{index:04d}.jsonl"
    command = [sys.executable, "-m", "scripts.sweep.document", "--corpus", str(corpus),
               "--document", row.path, "--index", str(index), "--out", str(out),
               "--budget", str(args.budget), "--timeout", str(args.timeout),
               "--dynamic", str(args.dynamic), "--server", args.server,
               "--prism-startup", str(args.prism_startup)]
    if args.verbose:
        print(f"... {row.path}", file=sys.stderr, flush=True)
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as child:
        try:
            _, stderr = child.communicate(timeout=args.budget + HARD_GRACE)
            failure = None if child.returncode == 0 else f"exit {child.returncode}: {stderr[-800:]}"
        except subprocess.TimeoutExpired:
            child.terminate()  # it stops its Prism and removes its folder on SIGTERM
            try:
                child.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.communicate()
            failure = f"stopped after {args.budget + HARD_GRACE:.0f} s"
    records = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    if failure or not any(r.get("record") == "document" for r in records):
        records.append({"record": "document", "document": row.path, "status": "tool-error",
                        "note": failure or "no document record"})
    return records


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.sweep", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="only documents whose path contains this")
    parser.add_argument("--exclude", action="append", default=[], metavar="SUBSTR",
                        help="leave out documents whose path contains this (repeatable)")
    parser.add_argument("--sample", action="store_true", help="only the fixed sample")
    parser.add_argument("--corpus", help="the corpus folder (default: $CORPUS, else ../shared/corpus)")
    parser.add_argument("--out", type=Path, default=ROOT / ".sweep" / "calls.jsonl",
                        help="JSON lines, one per call (default .sweep/calls.jsonl)")
    parser.add_argument("--budget", type=float, default=300.0,
                        help="seconds per document, generation and Prism included (default 300)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per call (default 20)")
    parser.add_argument("--dynamic", type=int, default=3,
                        help="calls per operation with Prefer: dynamic=true (default 3)")
    parser.add_argument("--server", choices=("auto", "prism", "mock"), default="auto",
                        help="what answers the calls: Prism, the sweep's own validating mock "
                        "(scripts/sweep/mock_server.py), or auto (default): Prism, the mock "
                        "where Prism does not start within --prism-startup")
    parser.add_argument("--prism-startup", type=float, default=600.0,
                        help="seconds Prism may take to start under --server auto (default 600)")
    parser.add_argument("--jobs", type=int, default=1, help="documents at once (default 1; 2 cores)")
    parser.add_argument("--causes", type=int, default=15, help="failure groups to list (default 15)")
    parser.add_argument("--verbose", "-v", action="store_true", help="name each document as it starts")
    return parser


if __name__ == "__main__":
    sys.exit(main())
