"""A fixed, representative sample of the public corpus goes through the whole report:
generate, import every model and endpoint type, and `mypy --strict` (scripts/corpus_report.py).
The sample's documents are copied in tests/corpus_sample; the full corpus runs outside CI
with `make corpus`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus_sample"

# Documents that are defective on purpose or in a format clientgen does not read.
EXPECTED_DIAGNOSTICS = {
    "datamodel-code-generator/tests/data/openapi/body_and_parameters.yaml": "'responses' is missing",
    "datamodel-code-generator/tests/data/openapi/enum_models.yaml": "/components/schemas/arrayEnum/items",
    "oai-learn/examples/v2.0/yaml/api-with-examples.yaml": "Swagger 2.0 is not supported",
    "mintlify-md/roboalchemist__llm-code-docs/docs/llms-txt/exa/get-api-key.md": "Mintlify's resolved",
}


def _report() -> list[list[str]]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "corpus_report.py"), "--sample", "--corpus", str(CORPUS)],
        capture_output=True, text=True, timeout=1200, cwd=ROOT, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = []
    for line in done.stdout.splitlines()[1:]:
        if not line.strip():
            break
        status, ops, models, rest = line.split(None, 3)
        path, _, note = rest.partition("  (")
        rows.append([status, ops, models, path.strip(), note])
    return rows


def test_the_sample_generates_type_checked_clients_or_clear_diagnostics() -> None:
    rows = _report()
    assert len(rows) == 15
    for status, ops, models, path, note in rows:
        if path in EXPECTED_DIAGNOSTICS:
            assert status == "diagnostic", (path, status, note)
            assert EXPECTED_DIAGNOSTICS[path] in note, (path, note)
            assert ":" in note.split(" error: ")[0], "the diagnostic names file and line"
            continue
        assert status == "generated", (path, status, note)
        made, present = (int(x) for x in ops.split("/"))
        assert made == present, f"{path}: {made} of {present} operations"
        made_models, schemas = (int(x) for x in models.split("/"))
        assert made_models >= schemas, f"{path}: {made_models} models for {schemas} schemas"
