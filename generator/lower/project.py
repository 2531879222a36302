"""An installable client's project metadata: its pyproject.toml, from the spec's `info`."""

from __future__ import annotations

import re
from typing import Any

from generator.ir import Project
from generator.options import ClientOptions

# The generated code's own needs: what _base.py uses of httpx, pydantic v2's API.
DEPENDENCIES = ("httpx>=0.27,<1", "pydantic>=2.11,<3", "typing-extensions>=4.12")
_RELEASE = re.compile(r"v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|rc|alpha|beta|c|pre|preview)[-_.]?(\d*))?", re.IGNORECASE)
_PRE = {"alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"}


def pep440(version: str) -> str:
    """`info.version` as a PEP 440 version: `v1.2.0` -> `1.2.0`, `2.0-beta1` -> `2.0b1`,
    a date `2024-01-15` -> `2024.1.15`; what cannot be read so is kept as a local label of
    `0` (`0+preview.x`), so the text still shows."""
    text = version.strip()
    date = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if date:
        return ".".join(str(int(p)) for p in date.groups())
    found = _RELEASE.fullmatch(text)
    if found:
        release, pre, number = found.groups()
        release = ".".join(str(int(p)) for p in release.split("."))
        if pre:
            return f"{release}{_PRE.get(pre.lower(), pre.lower())}{int(number or 0)}"
        return release
    label = ".".join(re.findall(r"[A-Za-z0-9]+", text)).lower()
    return f"0+{label}" if label else "0"


def project(package: str, title: str, info: dict[str, Any], options: ClientOptions) -> Project:
    version = options.version or str(info.get("version") or "0")
    return Project(
        name=package.replace("_", "-"),
        version=pep440(version),
        description=f"Typed Python client for {title}"[:200].replace("\n", " "),
        dependencies=DEPENDENCIES,
    )
