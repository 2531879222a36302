"""`clientgen diff` on a large document changed in many places at once.

`scripts/spec_mutations.py` edits the corpus sample's star-trek.yaml (120 operations, 222
schemas) every n-th operation, parameter, object schema and enum, and counts what it did;
the report must find exactly those changes, no more, with the verdicts a caller expects.
The lines checked by name below were checked by hand against the two documents.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from scripts.spec_mutations import write_pair
from tests.cli_support import REPO, clientgen

STAR_TREK = REPO / "tests" / "corpus_sample" / "readmeio-oas-examples" / "3.0" / "yaml" / "star-trek.yaml"

EXPECTED = {
    "enum-values-removed": 5,
    "field-added": 36,
    "field-removed": 10,
    "field-required": 25,
    "field-type": 1,
    "operation-removed": 8,
    "operation-renamed": 8,
    "parameter-added": 5,
    "parameter-required": 7,
}


def test_a_document_changed_in_many_places_reports_each_change_once(tmp_path: Path) -> None:
    old, new, counts = write_pair(STAR_TREK, tmp_path)
    assert dict(counts) == EXPECTED
    run = clientgen("diff", "--format", "json", "--fail-on-breaking", str(old), str(new),
                    cwd=tmp_path, cache_dir=tmp_path / "cache")
    assert run.returncode == 1, run
    data = json.loads(run.stdout)
    (client,) = data["clients"]
    found = Counter(c["kind"] for c in client["changes"])
    assert dict(found) == EXPECTED
    # Breaking: removed/renamed methods, new required parameters, fields gone or retyped in
    # responses. Not: fields added, response fields made required, response enum values
    # removed (star-trek's enums are only received).
    assert data["breaking"] == 8 + 8 + 5 + 7 + 10 + 1
    changes = {(c["kind"], c["where"]): (c["breaking"], c["detail"]) for c in client["changes"]}
    assert changes["operation-renamed", "book.get"] == (True, "method renamed to book.renamed_operation4 (GET /book)")
    assert changes["field-removed", "AnimalBase.feline"] == (True, "field removed")
    assert changes["enum-values-removed", "models.BloodType"] == (False, "values removed: 'T_NEGATIVE'")
    assert changes["field-type", "TradingCardDeckBase.frequency"] == (True, "str | None -> int | None (changed)")
    assert changes["parameter-added", "book.get_search(added_filter5)"][0] is True
