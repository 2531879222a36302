"""Run clientgen over the public corpus and report, one row per document.

For every document listed in the corpus's INDEX.tsv (../shared/corpus, else $CORPUS or
--corpus): generate a client into a temporary folder, import it and build every model and
endpoint type, run `mypy --strict` over all generated packages at once, and print what
happened:

    generated    client written, imported, every model built, mypy --strict, ruff and
                 pyright (strict) clean
    imported     written and imported, but mypy, ruff or pyright found errors
    written      written, but importing or building a model failed
    diagnostic   clientgen stopped with a diagnostic (its first error is shown)
    crash        clientgen raised an exception (a bug)

plus operations and models generated versus present in the document, and totals.

    python scripts/corpus_report.py                # the whole corpus (minutes)
    python scripts/corpus_report.py --sample       # the fixed sample the tests use
    python scripts/corpus_report.py --only stripe  # documents whose path contains "stripe"
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.corpus import Row, corpus_root, generate, load_index

# A fixed, representative sample: feature suites, every kind of diagnostic, a vendor page.
# tests/corpus_sample holds copies of these (and the sweep's sample), so the tests need no corpus.
SAMPLE = (
    "datamodel-code-generator/tests/data/openapi/additional_properties.yaml",
    "datamodel-code-generator/tests/data/openapi/allof.yaml",
    "datamodel-code-generator/tests/data/openapi/discriminator.yaml",
    "datamodel-code-generator/tests/data/openapi/enum_models.yaml",
    "datamodel-code-generator/tests/data/openapi/nullable.yaml",
    "datamodel-code-generator/tests/data/openapi/circular_imports_small_cycle.yaml",
    "datamodel-code-generator/tests/data/openapi/body_and_parameters.yaml",
    "oai-learn/examples/v3.0/petstore-expanded.yaml",
    "oai-learn/examples/v3.1/webhook-example.yaml",
    "oai-learn/examples/v2.0/yaml/api-with-examples.yaml",
    "readmeio-oas-examples/3.0/yaml/complex-nesting.yaml",
    "readmeio-oas-examples/3.1/yaml/train-travel.yaml",
    "readmeio-oas-examples/3.0/yaml/circular.yaml",
    "mintlify-md/roboalchemist__llm-code-docs/docs/llms-txt/vast/unlist-volume.md",
    "mintlify-md/roboalchemist__llm-code-docs/docs/llms-txt/exa/get-api-key.md",
)


def import_all(rows: list[Row], out: Path) -> None:
    """Import each package and build every model and endpoint type, in a child process."""
    packages = [r.package for r in rows if r.status == "written"]
    endpoints = {r.package: r.endpoints for r in rows if r.status == "written"}
    code = f"""
import importlib, json, sys, traceback
sys.path.insert(0, {str(out)!r})
results = {{}}
for name in {packages!r}:
    try:
        pkg = importlib.import_module(name)
        base = importlib.import_module(name + "._base")
        importlib.import_module(name + "._client")
        for model_name in pkg.models.__all__:  # a split package loads each part here
            model = getattr(pkg.models, model_name)
            if isinstance(model, type) and hasattr(model, "model_rebuild") and model.__module__.startswith(name + "."):
                model.model_rebuild(force=True)
        for module, function, _call in {endpoints!r}[name]:
            value = getattr(importlib.import_module(name + "." + module), function)()
            if isinstance(value, base.Endpoint):
                for param in value.params:
                    base.adapter(param.type)
                for _encoding, tp in value.every_response().values():
                    base.adapter(tp)
                if value.body is not None:
                    base.adapter(value.body.type)
        results[name] = None
    except Exception as exc:
        results[name] = traceback.format_exc(limit=-3)
print(json.dumps(results))
"""
    # On stdin: the endpoint list of the whole corpus is beyond what a command line holds.
    done = subprocess.run([sys.executable, "-"], input=code, capture_output=True, text=True, timeout=1800,
                          check=False)
    try:
        results = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        results = {name: done.stderr[-2000:] for name in packages}
    for row in rows:
        if row.package in results:
            if results[row.package] is None:
                row.status = "imported"
            else:
                row.note = results[row.package].strip().splitlines()[-1][:200]
                row.problems.append(results[row.package])


def type_check(rows: list[Row], out: Path) -> None:
    """One mypy run over every imported package; errors are attributed by folder."""
    packages = [r.package for r in rows if r.status == "imported"]
    if not packages:
        return
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(out / ".mypy"), *packages],
        cwd=out, capture_output=True, text=True, timeout=5400, check=False,
    )
    errors: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        errors.setdefault(line.split("/", 1)[0], []).append(line)
    for row in rows:
        if row.status == "imported":
            found = [e for e in errors.get(row.package, []) if ": error:" in e]
            if found:
                row.note = f"mypy: {len(found)} errors, first: {found[0].split(': error: ', 1)[1][:150]}"
                row.problems += found[:20]
            else:
                row.status = "generated"


def lint(rows: list[Row], out: Path) -> None:
    """One `ruff check` (this repository's pinned version, default rules) over the packages."""
    packages = [r.package for r in rows if r.status == "generated"]
    if not packages:
        return
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "--output-format", "concise",
         *packages],
        cwd=out, capture_output=True, text=True, timeout=1800, check=False,
    )
    errors: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        if ": " in line:
            errors.setdefault(line.split("/", 1)[0], []).append(line)
    _demote(rows, errors, "ruff", lambda e: e.split(": ", 1)[1])


def _demote(rows: list[Row], errors: dict[str, list[str]], tool: str, message: Callable[[str], str]) -> None:
    """Generated clients a checker found errors in are only `imported`, with the first one."""
    for row in rows:
        found = errors.get(row.package, [])
        if row.status == "generated" and found:
            row.status = "imported"
            row.note = f"{tool}: {len(found)} errors, first: {message(found[0])[:150]}"
            row.problems += found[:20]


PYRIGHT = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "pyright"


def pyright(rows: list[Row], out: Path) -> None:
    """One pyright run in strict mode (the version pinned in package.json) over the packages."""
    packages = [r.package for r in rows if r.status == "generated"]
    if not packages:
        return
    if not PYRIGHT.exists():
        raise SystemExit(f"{PYRIGHT} is missing: run `make setup` (npm ci)")
    config = out / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"}))
    done = subprocess.run(
        [str(PYRIGHT), "--pythonpath", sys.executable, "-p", str(config), *packages],
        cwd=out, capture_output=True, text=True, timeout=5400, check=False,
    )
    errors: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        line = line.strip()
        if " - error: " in line and line.startswith(str(out)):
            errors.setdefault(Path(line).relative_to(out).parts[0], []).append(line)
    _demote(rows, errors, "pyright", lambda e: e.split(" - error: ", 1)[1])


def report(rows: list[Row], verbose: bool) -> dict[str, int]:
    totals: dict[str, int] = {}
    print(f"{'status':10} {'ops':>9} {'models':>11}  document  (note)")
    for row in rows:
        totals[row.status] = totals.get(row.status, 0) + 1
        ops = f"{row.operations}/{row.operations_in_doc}"
        models = f"{row.models}/{row.models_in_doc}"
        print(f"{row.status:10} {ops:>9} {models:>11}  {row.path}" + (f"  ({row.note})" if row.note else ""))
        if verbose:
            for problem in row.problems:
                print("    " + problem.replace("\n", "\n    "))
    ok = [r for r in rows if r.status == "generated"]
    print(f"\n{len(rows)} documents: " + ", ".join(f"{v} {k}" for k, v in sorted(totals.items())))
    print(f"operations in generated clients: {sum(r.operations for r in ok)} of "
          f"{sum(r.operations_in_doc for r in ok)} in their documents")
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", action="store_true", help="only the fixed sample")
    parser.add_argument("--only", help="only documents whose path contains this")
    parser.add_argument("--corpus", help="the corpus folder (default: $CORPUS, else ../shared/corpus)")
    parser.add_argument("--no-mypy", action="store_true", help="skip the type check")
    parser.add_argument("--verbose", "-v", action="store_true", help="print tracebacks and mypy errors")
    parser.add_argument("--keep", type=Path, help="write the generated packages here instead of a temp folder")
    args = parser.parse_args()
    corpus = corpus_root(args.corpus)
    rows = load_index(corpus, args.only, SAMPLE if args.sample else None)
    out = args.keep or Path(tempfile.mkdtemp(prefix="clientgen-corpus-"))
    try:
        for index, row in enumerate(rows):
            generate(row, corpus, out, index)
        import_all(rows, out)
        if args.no_mypy:
            for row in rows:
                row.status = "generated" if row.status == "imported" else row.status
        else:
            type_check(rows, out)
            lint(rows, out)
            pyright(rows, out)
        totals = report(rows, args.verbose)
    finally:
        if args.keep is None:
            shutil.rmtree(out, ignore_errors=True)
    return 1 if totals.get("crash") else 0


if __name__ == "__main__":
    importlib.invalidate_caches()
    sys.exit(main())
