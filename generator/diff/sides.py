"""The two sides `clientgen diff` compares, each as {client: Surface}.

A side is specs lowered to the IR (no rendering, no black): the specs in a folder or file,
the specs as they were at a git revision (exported with `git archive`, so neither the work
tree nor the index is touched), or what generated/ was built from: every generated package
carries `openapi.json`, the merged and bundled document it was made from. Each client is
lowered with its `[tool.clientgen.clients.<name>]` options (renamed methods and resources,
class and credential names), so the report names what callers call.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from generator import pipeline
from generator.config import Config, anchor
from generator.diagnostics import Diagnostic, Level, has_errors
from generator.diff.surface import Surface, extract
from generator.lower.names import package_name
from generator.options import ClientOptions

Side = dict[str, Surface]


class SideError(Exception):
    """A side that cannot be read at all (a bad revision, a missing path)."""


def from_specs(specs: Path, found: list[Diagnostic], *, allow_remote_refs: bool = False,
               ref_roots: tuple[Path, ...] = (), only: set[str] | None = None,
               options: Mapping[str, ClientOptions] | None = None, name: str | None = None) -> Side:
    """Every client under `specs` that lowers without errors, each with its options (by
    client name: the names in the report are those its users call); problems go to `found`.
    `name`: the client a single spec file is (`openapi.json` of a generated package)."""
    from generator.lower.client import lower
    from generator.parse import parse

    if not specs.exists():
        raise SideError(f"{specs}: no such file or folder")
    result = pipeline.Result()
    roots = (specs if specs.is_dir() else specs.parent, *ref_roots)
    side: Side = {}
    for client_spec in pipeline.load_clients(specs, result, only).values():
        if name is not None:  # its options and [tool.clientgen.pagination] table go by name
            client_spec = replace(client_spec, name=name)
        mine: list[Diagnostic] = []
        spec = parse(client_spec, mine, allow_remote_refs=allow_remote_refs, ref_roots=roots)
        chosen = (options or {}).get(client_spec.name, ClientOptions())
        client = lower(spec, mine, anchor(specs), chosen) if spec is not None else None
        result.diagnostics.extend(mine)
        if client is not None and not has_errors(mine):
            side[client.package] = extract(client)
    found.extend(result.diagnostics)
    return side


def from_generated(output: Path, found: list[Diagnostic], only: set[str] | None = None,
                   options: Mapping[str, ClientOptions] | None = None) -> Side:
    """What each package in `output` was generated from: its `openapi.json`, which keeps the
    docs page titles that name its methods (`x-clientgen-page-title`), lowered with the
    options of the client the package is (found by the package name they give)."""
    clients = {(o.package or package_name(n)): n for n, o in (options or {}).items()}
    side: Side = {}
    for document in sorted(output.glob("*/openapi.json")):
        package = document.parent.name
        if only is not None and package not in only:
            continue
        name = clients.get(package, package)
        for surface in from_specs(document, found, options=options, name=name).values():
            side[package] = replace(surface, client=package)
    return side


def from_revision(cfg: Config, rev: str, found: list[Diagnostic]) -> Side:
    """The specs (and the folders their $refs may read) as committed at `rev`, lowered with
    the client options of the pyproject.toml committed there (none if there was none)."""
    top = Path(_git(cfg.root, "rev-parse", "--show-toplevel").decode().strip())
    _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")  # a bad revision is an error
    wanted = [cfg.specs, *cfg.ref_roots]
    outside = [str(p) for p in wanted if not p.resolve().is_relative_to(top.resolve())]
    if outside:
        raise SideError(f"{', '.join(outside)}: not inside the git repository {top}")
    relative = [p.resolve().relative_to(top.resolve()).as_posix() for p in wanted]
    present = [r for r in relative if _exists(top, rev, r)]
    if relative[0] not in present:
        return {}  # the specs did not exist then: every client is new
    pyproject = (cfg.root.resolve() / "pyproject.toml").relative_to(top.resolve()).as_posix() \
        if cfg.root.resolve().is_relative_to(top.resolve()) else None
    if pyproject is not None and _exists(top, rev, pyproject):
        present.append(pyproject)  # its options, and its [tool.clientgen.pagination]
    with tempfile.TemporaryDirectory(prefix="clientgen-diff-") as tmp:
        archive = _git(top, "archive", "--format=tar", rev, "--", *present)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        root = Path(tmp)
        options = _options_at(root / pyproject) if pyproject in present else {}
        return from_specs(root / relative[0], found, allow_remote_refs=cfg.allow_remote_refs,
                          ref_roots=tuple(root / r for r in relative[1:]), options=options)


def _options_at(pyproject: Path) -> dict[str, ClientOptions]:
    """The client options a committed pyproject.toml gives. `templates` and
    `post_generate` change no name a caller uses (and their folders were not exported)."""
    import tomllib

    from generator.options import OptionsError, read_all

    try:
        settings = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("clientgen", {})
        clients = settings.get("clients", {}) if isinstance(settings, dict) else {}
        tables = {name: {k: v for k, v in table.items() if k not in ("templates", "post_generate")}
                  if isinstance(table, dict) else table for name, table in clients.items()} \
            if isinstance(clients, dict) else clients
        return read_all(tables, "tool.clientgen.clients", pyproject.parent)
    except (OptionsError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SideError(f"pyproject.toml as committed: {exc}") from None


def _exists(top: Path, rev: str, relative: str) -> bool:
    probe = subprocess.run(["git", "-C", str(top), "cat-file", "-e", f"{rev}:{relative}"],
                           capture_output=True, check=False)
    return probe.returncode == 0


def _git(where: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(where), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise SideError("git is not installed") from None
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip() or f"{args[-1]!r} is not a commit"
        raise SideError(f"git {args[0]}: {said}")
    return done.stdout


def pair(before: Side, after: Side) -> list[tuple[str, Surface | None, Surface | None]]:
    """Clients matched by name; two single clients of different names (two spec files
    compared) are one client before and after."""
    if len(before) == len(after) == 1 and before.keys() != after.keys():
        (old,), (new,) = before.values(), after.values()
        return [(new.client, old, new)]
    return [(n, before.get(n), after.get(n)) for n in sorted(before.keys() | after.keys())]


def errors(found: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in found if d.level is Level.ERROR]
