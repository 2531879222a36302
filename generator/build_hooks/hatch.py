"""The hatchling build hook: `[tool.hatch.build.hooks.clientgen]` in the project's pyproject.

Registered through the `hatch` entry point group. Options (both optional, relative to the
project root): `specs` and `output`, else `[tool.clientgen]`'s. The generated folder is
declared a build artifact, so it ships even where .gitignore leaves generated code out.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from generator.build_hooks import BuildError, generate


class ClientgenBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "clientgen"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        try:
            cfg, lines = generate(root, self.config.get("specs"), self.config.get("output"))
        except BuildError as exc:
            print(exc, file=sys.stderr)  # the frontend shows the backend's output
            raise SystemExit(f"clientgen: the {self.target_name} build failed (see above)") from None
        for line in lines:
            self.app.display_info(f"clientgen: {line}")
        output = cfg.output.resolve().relative_to(root.resolve()).as_posix()
        build_data.setdefault("artifacts", []).append(f"/{output}/**")


@hookimpl
def hatch_register_build_hook() -> type[BuildHookInterface]:  # type: ignore[type-arg]
    return ClientgenBuildHook
