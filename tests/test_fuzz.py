"""The property-based fuzzer (scripts/fuzz/), a bounded number of examples: random valid
documents generate, import and pass mypy --strict (one mypy run over the batch); random
mutants of the corpus sample give exit 0 or 2 with a diagnostic, never a traceback or a hang,
and those that validate generate a package that imports.
`make fuzz` runs many more."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

from scripts.fuzz.__main__ import corpus_files
from scripts.fuzz.check import Tally, check_mutant, check_valid, report
from scripts.fuzz.documents import documents, draw
from scripts.fuzz.mutants import load_corpus, mutants

CORPUS = load_corpus(corpus_files([Path(__file__).resolve().parent / "corpus_sample"]))
BOUNDED = settings(deadline=None, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))


def test_random_valid_documents_generate_import_and_type_check() -> None:
    tally = Tally()
    with tempfile.TemporaryDirectory() as folder:
        check_valid(Path(folder), draw(documents(), 3), tally)
    assert tally.counts["generated"] == 3 and tally.failures == 0, "\n".join([report(tally), *tally.findings])


@settings(BOUNDED, max_examples=5)
@given(mutants(CORPUS))
def test_mutants_of_real_documents_give_a_diagnostic_never_a_traceback(mutant: tuple[str, str, str]) -> None:
    tally = Tally()
    with tempfile.TemporaryDirectory() as folder:
        check_mutant(Path(folder), *mutant, tally)
    assert tally.failures == 0, "\n".join([report(tally), *tally.findings])


def test_the_corpus_sample_gives_documents_to_mutate() -> None:
    assert len(CORPUS) >= 10


def test_a_mutant_that_validates_is_generated_imported_and_type_checked() -> None:
    name, document = CORPUS[0]
    tally = Tally()
    with tempfile.TemporaryDirectory() as folder:
        check_mutant(Path(folder), name, json.dumps(document), ".json", tally, mypy=True)
    assert tally.counts["generated"] == 1 and tally.failures == 0, "\n".join([report(tally), *tally.findings])
