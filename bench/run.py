"""Speed figures (printed, never asserted): per-stage tables and every target of issue 10.

    python bench/run.py                       # everything (cold Stripe and 10,000 operations:
                                              # several minutes on a quiet 2-core machine)
    python bench/run.py --sections documents --documents stripe
    python bench/run.py --series 100,1000     # a shorter scaling series
    python bench/run.py --generator /path/to/other/checkout   # the same figures for another
                                              # checkout's generator (before/after)

Tables show wall/CPU seconds per stage (CPU includes black's worker processes): on a busy
machine CPU seconds are the fairer figure. Sections: workflow (check and generate in this
repository), documents (Stripe, GitHub, OpenAI, Discord from the corpus: cold, warm
--force, and for Stripe a one-schema edit), series (synthetic documents), client (the
generated Stripe client: import and first call, and per-call overhead on the seed client).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for scripts.corpus: run as a script, bench/ is on sys.path
from bench import synth
from bench.stages import Run, Tree, table
from scripts.corpus import corpus_root

DOCUMENTS = {
    "stripe": "stripe/spec3.yaml",
    "github": "github-rest-api/api.github.com.json",
    "openai": "vendor-specs/openai/openapi.yaml",
    "discord": "vendor-specs/discord/specs/openapi.json",
}
COLD_TARGETS = {"stripe": 10.0, "github": 6.0, "openai": 6.0}  # seconds
REPEAT = 7
# Import the Stripe client and make one call through httpx.MockTransport (bytecode cached).
FIRST_CALL = """
import httpx, stripe
body = {"object": "balance", "available": [{"amount": 1, "currency": "usd"}], "pending": [], "livemode": False}
http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body)))
assert stripe.Client(bearer_token="k", base_url="http://x", http_client=http).balance.get().livemode is False
"""


class Targets:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, what: str, target: str, measured: str, met: bool) -> None:
        self.rows.append((what, target, measured, "met" if met else "MISSED"))

    def print(self) -> None:
        print("\ntargets (issue 10)")
        for what, target, measured, verdict in self.rows:
            print(f"  {what:46} {target:>18} {measured:>28}  {verdict}")


def timed(cmd: list[str], cwd: Path, repeat: int = REPEAT, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Median wall and median CPU (user + system) time in ms of `cmd`."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
        walls.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def excess(run: tuple[float, float], base: tuple[float, float]) -> str:
    return f"{run[0] - base[0]:.0f} ms ({run[1] - base[1]:.0f} CPU)"


def workflow(targets: Targets, generator: Path | None) -> None:
    env = {**os.environ, **({"PYTHONPATH": str(generator)} if generator else {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached, not compiled each run
    subprocess.run([sys.executable, "-m", "generator", "check"], cwd=ROOT, env=env, capture_output=True,
                   check=False)  # writes the bytecode
    clientgen = [sys.executable, "-m", "generator"]
    bare = timed([sys.executable, "-c", "pass"], ROOT, env=env)
    check = timed([*clientgen, "check"], ROOT, env=env)
    nothing = timed([*clientgen, "generate"], ROOT, env=env)
    print("\nthis repository (median of", REPEAT, "runs; wall ms, CPU ms)")
    for label, run in (("python -c pass", bare), ("clientgen check", check), ("generate (nothing to do)", nothing)):
        print(f"  {label:28} {run[0]:6.0f} {run[1]:6.0f}")
    targets.add("clientgen check, up to date, over python", "<= 100 ms", excess(check, bare),
                check[0] - bare[0] <= 100)


def documents(names: list[str], work: Path, targets: Targets, generator: Path | None) -> Path | None:
    corpus = corpus_root()
    rows: list[tuple[str, Run]] = []
    stripe_output = None
    for name in names:
        path = corpus / DOCUMENTS[name]
        if not path.is_file():
            print(f"  ({name}: {path} not found, skipped)")
            continue
        tree = Tree.make(work / name, name, path, generator)
        tree.cold()
        cold = tree.generate()
        rows += [(f"{name} cold", cold), (f"{name} warm (--force)", tree.generate("--force"))]
        if name in COLD_TARGETS:
            limit = COLD_TARGETS[name]
            targets.add(f"{name} cold", f"<= {limit:.0f} s", f"{cold.wall:.1f} s ({cold.cpu:.1f} s CPU)",
                        cold.wall <= limit)
        if name == "stripe":
            tree.edit_one_schema(1)
            edit = tree.generate()
            rows.append(("stripe one-schema edit", edit))
            targets.add("stripe one-schema edit", "<= 2 s",
                        f"{edit.wall:.1f} s ({edit.cpu:.1f} s stages, {edit.process_cpu:.1f} s process CPU)",
                        edit.wall <= 2)
            peak = max(cold.peak_mb)
            targets.add("stripe peak memory (cold)", "<= 400 MB", f"{peak} MB", peak <= 400)
            stripe_output = tree.root / "generated"
    print("\ncorpus documents: wall/CPU seconds per stage\n" + table(rows))
    return stripe_output


def series(sizes: list[int], work: Path, targets: Targets, generator: Path | None) -> None:
    rows: list[tuple[str, Run]] = []
    colds: dict[int, Run] = {}
    for n in sizes:
        tree = Tree.make(work / f"synth{n}", "synth", json.dumps(synth.document(n), indent=1), generator)
        colds[n] = tree.generate()
        rows += [(f"{n} operations cold", colds[n]), (f"{n} operations warm (--force)", tree.generate("--force"))]
    print("\nsynthetic series: wall/CPU seconds per stage\n" + table(rows))
    per = {n: run.cpu / n * 1000 for n, run in colds.items()}
    print("  CPU seconds per 1,000 operations, cold: " + ", ".join(f"{n}: {s:.1f}" for n, s in per.items()))
    if len(per) > 1:
        small, large = min(per), max(per)
        growth = per[large] / per[small]
        targets.add(f"linear growth ({small} -> {large} ops)", "per-op CPU x <= 1.5",
                    f"x {growth:.2f}", growth <= 1.5)
    if 10000 in colds:
        run = colds[10000]
        targets.add("10,000 operations cold", "<= 60 s", f"{run.wall:.1f} s ({run.cpu:.1f} s CPU)", run.wall <= 60)


def client(stripe_output: Path | None, targets: Targets) -> None:
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if stripe_output is not None:
        subprocess.run([sys.executable, "-c", FIRST_CALL], cwd=stripe_output, check=True, env=cached)
        base = timed([sys.executable, "-c", "import pydantic, httpx"], stripe_output, env=cached)
        first = timed([sys.executable, "-c", FIRST_CALL], stripe_output, env=cached)
        print(f"\nStripe client (wall ms, CPU ms): import pydantic, httpx {base[0]:.0f}, {base[1]:.0f}; "
              f"import + first call {first[0]:.0f}, {first[1]:.0f}")
        targets.add("Stripe import + first call, over pydantic+httpx", "<= 300 ms", excess(first, base),
                    first[0] - base[0] <= 300)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "calls.py")], cwd=ROOT, check=True,
                          capture_output=True, text=True, env=cached)
    print("per call (CPU microseconds, generated vs by hand, on httpx.MockTransport)")
    for line in done.stdout.splitlines():
        label, mine, hand, over = line.split()
        print(f"  {label:6} {float(mine):8.1f} {float(hand):8.1f}  {float(over):+.1f}%")
        targets.add(f"per-call overhead, {label}", "<= 20%", f"{float(over):+.1f}%", float(over) <= 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", default="workflow,documents,series,client")
    parser.add_argument("--documents", default=",".join(DOCUMENTS))
    parser.add_argument("--series", default="100,1000,10000")
    parser.add_argument("--generator", type=Path, default=None, help="another checkout's root")
    args = parser.parse_args()
    sections = set(args.sections.split(","))
    targets = Targets()
    stripe_output = None
    with tempfile.TemporaryDirectory(prefix="clientgen-bench-") as tmp:
        work = Path(tmp)
        if "workflow" in sections:
            workflow(targets, args.generator)
        if "documents" in sections:
            stripe_output = documents([d for d in args.documents.split(",") if d], work, targets, args.generator)
        if "series" in sections:
            series([int(n) for n in args.series.split(",") if n], work, targets, args.generator)
        if "client" in sections:
            client(stripe_output, targets)
    targets.print()


if __name__ == "__main__":
    main()
