"""Speed figures for the regeneration workflow (printed, never asserted).

Targets (issue: regeneration workflow):
- `clientgen check` on an up-to-date tree costs at most 150 ms more than `python -c pass`;
- `clientgen generate` with nothing to do: the same;
- a one-client change in a tree holding the seed clients and Stripe rebuilds only that client;
- a client with thousands of models imports fast (its models load on first use).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for scripts.corpus: run as a script, bench/ is on sys.path
from scripts.corpus import corpus_root

CLIENTGEN = [sys.executable, "-m", "generator"]
REPEAT = 7
# What a program using a few Stripe operations pays: import, and one call's response models.
FIRST_CALL = (
    "import stripe, stripe._base as b, stripe.resources.customers as c; "
    "stripe.Client(api_key='k').customers.get_customers_customer; "
    "b.adapter(c._get_customers_customer_endpoint().responses['200'][1])"
)
EVERY_MODEL = "import stripe.models as m; [getattr(m, n) for n in m.__all__]"


def timed(cmd: list[str], cwd: Path, repeat: int = REPEAT, before=None, env=None) -> float:
    """Median wall time in ms of `cmd`, each run after `before()` if given."""
    samples = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def row(label: str, ms: float, baseline: float | None = None) -> None:
    extra = f"  (+{ms - baseline:.0f} ms over bare python)" if baseline is not None else ""
    print(f"  {label:52} {ms:8.0f} ms{extra}")


def main() -> None:
    stripe = corpus_root() / "stripe" / "spec3.yaml"  # exits with a clear message if missing
    bare = timed([sys.executable, "-c", "pass"], ROOT)
    print("clientgen on this repository (median of", REPEAT, "runs)")
    row("python -c pass", bare)
    row("clientgen check (up to date)", timed([*CLIENTGEN, "check"], ROOT), bare)
    row("clientgen generate (nothing to do)", timed([*CLIENTGEN, "generate"], ROOT), bare)
    if not stripe.is_file():
        print(f"  (skipping the Stripe tree: {stripe} not found)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        shutil.copytree(ROOT / "specs", tree / "specs")
        shutil.copy(stripe, tree / "specs" / "stripe.yaml")
        (tree / "pyproject.toml").write_text("[tool.clientgen]\n")
        # A black cache of its own, so the first run is honestly cold.
        env = {**os.environ, "CLIENTGEN_CACHE_DIR": str(tree / "cache")}
        print("\na tree with the seed clients and Stripe (spec3.yaml, 4.2 MB)")
        row("first generate (cold format cache)", timed([*CLIENTGEN, "generate"], tree, repeat=1, env=env))
        row("generate --force (every client, warm cache)",
            timed([*CLIENTGEN, "generate", "--force"], tree, repeat=3, env=env))
        seed = tree / "specs" / "recoup" / "delete-task.md"
        counter = iter(range(1000))
        change_seed = lambda: seed.write_text(seed.read_text() + f"\n<!-- edit {next(counter)} -->\n")
        row("one seed client changed (recoup)", timed([*CLIENTGEN, "generate"], tree, before=change_seed, env=env))
        stripe = tree / "specs" / "stripe.yaml"
        change_stripe = lambda: stripe.write_text(stripe.read_text() + f"\n# edit {next(counter)}\n")
        row("Stripe changed", timed([*CLIENTGEN, "generate"], tree, repeat=3, before=change_stripe, env=env))
        row("clientgen check (up to date)", timed([*CLIENTGEN, "check"], tree, env=env))
        # As users run it: bytecode cached (this machine's environment may turn that off).
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        generated = tree / "generated"
        subprocess.run([sys.executable, "-c", "import stripe.models, stripe._models"], cwd=generated,
                       check=True, env=cached)
        row("python -c 'import pydantic, httpx'",
            timed([sys.executable, "-c", "import pydantic, httpx"], generated, env=cached))
        row("import the Stripe client (2,519 models, loaded lazily)",
            timed([sys.executable, "-c", "import stripe"], generated, env=cached))
        row("import it and build one operation's models",
            timed([sys.executable, "-c", FIRST_CALL], generated, env=cached))
        row("import it and load every model",
            timed([sys.executable, "-c", EVERY_MODEL], generated, repeat=3, env=cached))


if __name__ == "__main__":
    main()
