"""The setuptools integration: a `build_clientgen` command run first among `build`'s steps.

setuptools calls `finalize_distribution_options` (an entry point) for every build in an
environment where clientgen is installed; it only acts on a project that has
`[tool.clientgen]` and lists clientgen in `[build-system] requires`, so installing clientgen
never changes how other projects build. Packages the command generates are added to the
distribution, since setuptools found the project's packages before they existed.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, ClassVar

from setuptools import Command, Distribution  # type: ignore[import-untyped]
from setuptools.command.build import build  # type: ignore[import-untyped]

from generator.build_hooks import BuildError, generate, spec_files

DATA = ["py.typed", "*.md", "*.json"]  # what a generated package holds besides modules


class BuildClientgen(Command):
    description = "generate API clients from the specs named in [tool.clientgen]"
    user_options: ClassVar[list[tuple[str, str | None, str]]] = []

    def initialize_options(self) -> None:
        self.editable_mode = False

    def finalize_options(self) -> None:
        pass

    def run(self) -> None:
        from distutils.errors import DistutilsError

        root = _root(self.distribution)
        try:
            cfg, lines = generate(root)
        except BuildError as exc:
            raise DistutilsError(str(exc)) from None
        for line in lines:
            print(f"clientgen: {line}")
        _add_packages(self.distribution, root, cfg.output)

    def get_source_files(self) -> list[str]:
        """What sdist must carry so that the wheel built from it can generate again."""
        root = _root(self.distribution)
        try:
            from generator import config

            cfg = config.load(start=root)
        except (OSError, ValueError):
            return []
        return [p.resolve().relative_to(root.resolve()).as_posix() for p in spec_files(cfg)]

    def get_outputs(self) -> list[str]:
        return []  # the generated modules are build_py's outputs

    def get_output_mapping(self) -> dict[str, str]:
        return {}


def finalize_distribution_options(dist: Distribution) -> None:
    """Put `build_clientgen` before `build_py` in a project that asks for clientgen."""
    if not _wants_clientgen(_root(dist)):
        return
    dist.cmdclass["build_clientgen"] = BuildClientgen
    base: Any = dist.cmdclass.get("build", build)
    if any(name == "build_clientgen" for name, _ in base.sub_commands):
        return
    dist.cmdclass["build"] = type("build", (base,), {"sub_commands": [("build_clientgen", None), *base.sub_commands]})


def _root(dist: Distribution) -> Path:
    return Path(getattr(dist, "src_root", None) or ".").resolve()


def _wants_clientgen(root: Path) -> bool:
    try:
        with (root / "pyproject.toml").open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return False
    requires = data.get("build-system", {}).get("requires", [])
    names = {re.split(r"[\s<>=!~;\[@(]", str(r), maxsplit=1)[0].lower() for r in requires}
    return "clientgen" in data.get("tool", {}) and "clientgen" in names


def _add_packages(dist: Distribution, root: Path, output: Path) -> None:
    """Every package under `output` (a folder with `__init__.py`), named from the folder
    its top package lives in (`src/` with `package_dir = {"" = "src"}`)."""
    base = root / (dist.package_dir or {}).get("", "")
    if dist.packages is None:
        dist.packages = []
    for init in sorted(output.rglob("__init__.py")):
        folder = init.parent.resolve()
        try:
            name = ".".join(folder.relative_to(base.resolve()).parts)
        except ValueError:
            continue  # output outside the package folder: nothing ships
        if name and name not in dist.packages:
            dist.packages.append(name)  # in place: build_py holds this very list
            dist.package_data.setdefault(name, []).extend(DATA)  # never None in setuptools
