"""`make fuzz` (`python -m scripts.fuzz`): many random valid documents and many mutants of
the corpus documents (tests/corpus_sample, and ../shared/corpus when present); prints the
counts and keeps every finding's document under .fuzz/findings/. Exit 1 on any finding."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

from scripts.fuzz.check import REPO, Tally, check_mutant, check_valid, report
from scripts.fuzz.documents import documents, draw
from scripts.fuzz.mutants import load_corpus, mutants

SUFFIXES = (".yaml", ".yml", ".json")


def corpus_files(folders: list[Path]) -> list[Path]:
    return sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.suffix in SUFFIXES)


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck))


def fuzz_valid(batches: int, size: int, tally: Tally) -> None:
    for _ in range(batches):
        with tempfile.TemporaryDirectory() as folder:
            check_valid(Path(folder), draw(documents(), size), tally)
        print(f"  valid: {report(tally)}", flush=True)


def fuzz_mutants(count: int, corpus: list[tuple[str, object]], tally: Tally, mypy_every: int) -> None:
    @_settings(count)
    @given(mutants(corpus))
    def run(mutant: tuple[str, str, str]) -> None:
        mypy = mypy_every > 0 and tally.counts["generated"] % mypy_every == 0
        with tempfile.TemporaryDirectory() as folder:
            check_mutant(Path(folder), *mutant, tally, mypy=mypy)
        if tally.counts["documents"] % 25 == 0:
            print(f"  mutants: {report(tally)}", flush=True)

    run()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=20, help="batches of valid documents")
    parser.add_argument("--batch-size", type=int, default=10, help="documents per batch (one mypy run each)")
    parser.add_argument("--mutants", type=int, default=500, help="mutants of corpus documents")
    parser.add_argument("--mypy-every", type=int, default=10,
                        help="type-check every Nth generated mutant (0: none; mypy takes seconds per client)")
    parser.add_argument("--corpus", type=Path, action="append", default=None,
                        help="folder of documents to mutate (default: tests/corpus_sample and ../shared/corpus)")
    args = parser.parse_args()
    folders = args.corpus or [REPO / "tests" / "corpus_sample", REPO.parent / "shared" / "corpus"]
    corpus = load_corpus(corpus_files(folders))
    started = time.monotonic()
    valid, mutated = Tally(), Tally()
    fuzz_valid(args.batches, args.batch_size, valid)
    if args.mutants and corpus:
        fuzz_mutants(args.mutants, corpus, mutated, args.mypy_every)
    print(f"valid documents ({args.batches} batches): {report(valid)}")
    print(f"mutants of {len(corpus)} corpus documents: {report(mutated)}")
    for finding in valid.findings + mutated.findings:
        print(finding[:3000])
    print(f"{time.monotonic() - started:.0f} s")
    return 1 if valid.failures or mutated.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
