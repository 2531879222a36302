"""`clientgen watch`: regenerate on every save, keep going whatever the specs say."""

from __future__ import annotations

import time
from collections.abc import Callable

from generator import regenerate
from generator.config import Config
from generator.discover import template_dir


def run(cfg: Config, debounce_ms: int, echo: Callable[[str], None]) -> None:
    import watchfiles

    folders = {o.templates for o in cfg.clients.values() if o.templates is not None}  # the config's
    paths = [p for p in (cfg.specs, template_dir(), *sorted(folders)) if p.exists()]
    echo(f"clientgen: watching {', '.join(str(p) for p in paths)} (Ctrl-C stops)")
    # The watcher starts before the first build (its first, empty, yield comes once it
    # runs), so a save made while that build runs is seen too.
    first = True
    changes_seen = watchfiles.watch(
        *paths, debounce=debounce_ms, step=50, raise_interrupt=False,
        yield_on_timeout=True, rust_timeout=200,
    )
    try:
        for changes in changes_seen:
            if changes or first:
                first = False
                rebuild(cfg, echo)
    except KeyboardInterrupt:
        pass


def rebuild(cfg: Config, echo: Callable[[str], None]) -> None:
    """One regeneration; a broken spec prints its diagnostics and the watch goes on."""
    started = time.perf_counter()
    try:
        outcome = regenerate.generate(cfg)
    except Exception as exc:  # noqa: BLE001 - a watcher must survive anything a save causes
        echo(f"clientgen: rebuild failed: {type(exc).__name__}: {exc}")
        return
    for diagnostic in outcome.diagnostics:
        echo(diagnostic.render(cfg.root))
    elapsed = (time.perf_counter() - started) * 1000
    status = "errors, nothing written" if outcome.failed else "; ".join(outcome.lines)
    echo(f"[{time.strftime('%H:%M:%S')}] rebuilt in {elapsed:.0f} ms: {status}")
