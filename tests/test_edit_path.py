"""The command's edit path (cached pieces, the document validated, openapi.json written and
the API summary made in forked children, the process left without tearing down): an edit
to a large spec, and a change of options in pyproject.toml, give byte for byte the tree a
cold run gives, with the edit in it."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from tests.cli_support import clientgen, tree
from tests.test_incremental_edits import _document, _schemas

Document = dict[str, object]


def _project(root: Path, doc: Document, options: str = "") -> Path:
    (root / "specs").mkdir(parents=True, exist_ok=True)
    (root / "specs" / "edits.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    (root / "pyproject.toml").write_text("[tool.clientgen]\n" + options, encoding="utf-8")
    return root


def _generate(root: Path, cache: Path) -> str:
    run = clientgen("generate", cwd=root, cache_dir=cache)
    assert run.returncode == 0, run
    return run.stdout


def test_an_edit_and_new_options_give_what_a_cold_run_gives(tmp_path: Path) -> None:
    before = _document()
    after = copy.deepcopy(before)
    thing = _schemas(after)["Thing7"]
    thing["description"] = "Edited: a thing with a colour."
    thing["properties"]["colour"] = {"type": "string", "enum": ["red", "green"]}
    warm, cache = tmp_path / "warm", tmp_path / "cache"
    _generate(_project(warm, before), cache)
    report = _generate(_project(warm, after), cache)
    assert "1 files written" not in report and "edits:" in report, report
    cold = _project(tmp_path / "cold", after)
    _generate(cold, tmp_path / "cold-cache")
    edited = tree(warm / "generated")
    assert edited == tree(cold / "generated")
    models = b"".join(text for path, text in edited.items() if path.startswith("edits/_models/"))
    assert b'colour: Annotated[Literal["red", "green"] | str, _known] | None = None' in models
    assert b"Edited: a thing with a colour." in models

    options = '[tool.clientgen.clients.edits]\nclient_class = "Things"\n'
    _generate(_project(warm, after, options), cache)
    _generate(_project(cold, after, options), tmp_path / "cold-cache-2")
    renamed = tree(warm / "generated")
    assert renamed == tree(cold / "generated") and renamed != edited
    assert b"class Things(" in renamed["edits/_client.py"]
