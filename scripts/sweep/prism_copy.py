"""The document Prism is given: the client's openapi.json, less what Prism cannot load.

Prism resolves every `"$ref": "<string>"` it finds, even inside example values, and gives up
on the whole document when one points at a URL it cannot fetch (GitHub's SCIM examples carry
`"$ref": "https://api.github.com/scim/..."` as data). In Prism's copy such a key inside an
example value is renamed `$ref_not_resolved` (so a mocked example carries that name instead);
the pointers are recorded in the document's record. Everything else is unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scripts.sweep.resolve import escape

EXAMPLE_KEYS = ("example", "examples", "x-examples", "value")
RENAMED = "$ref_not_resolved"


def prism_document(spec: Path) -> tuple[Path, list[str]]:
    """The path Prism should read, and the JSON pointers of the `$ref` keys renamed."""
    doc = json.loads(spec.read_text())
    renamed: list[str] = []
    _walk(doc, "#", renamed, in_example=False)
    if not renamed:
        return spec, []
    copy = spec.with_name("openapi.prism.json")
    copy.write_text(json.dumps(doc))
    return copy, renamed


def _walk(node: Any, where: str, renamed: list[str], *, in_example: bool) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if in_example and isinstance(ref, str) and not ref.startswith("#"):
            node[RENAMED] = node.pop("$ref")
            renamed.append(f"{where}/$ref")
        for key, value in node.items():
            _walk(value, f"{where}/{escape(str(key))}", renamed,
                  in_example=in_example or key in EXAMPLE_KEYS)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            _walk(item, f"{where}/{index}", renamed, in_example=in_example)
