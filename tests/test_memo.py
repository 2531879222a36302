"""The on-disk memo of slow steps (generator/memo.py): a large document's decoded data, and
the API surface `generate` compares a rebuilt client with.

A warm memo must change nothing: an edit regenerates the bytes a cold run writes, with the
same diagnostics (lines included) and the same API-change summary; a corrupted entry is
read as a miss, never as data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from workflow_support import snapshot

from generator import config, decode_pieces, memo, regenerate, sources
from generator.regenerate import Outcome

THINGS = 40
WORDS = "lorem ipsum dolor sit amet " * 240  # ~6,500 characters: the document passes the memo's size


def _spec(edited: bool) -> str:
    """A document above sources.CACHE_MIN_CHARS; `edited` changes one schema's description
    and adds a field (an API change) to another."""
    schemas = []
    for index in range(THINGS):
        text = f"Edited. {WORDS}" if edited and index == 3 else WORDS
        extra = "\n        added:\n          type: integer" if edited and index == 5 else ""
        extra += "\n        kind:\n          type: string\n          enum: []" if index == 7 else ""  # a warning
        schemas.append(f"""    Thing{index}:
      type: object
      description: "{text}"
      properties:
        id:
          type: string{extra}
        next:
          $ref: "#/components/schemas/Thing{(index + 1) % THINGS}"
""")
    return f"""openapi: 3.0.3
info:
  title: Memo
  version: "1"
servers:
  - url: https://memo.example.com
paths:
  /things/{{id}}:
    get:
      operationId: getThing
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Thing0"
components:
  schemas:
{"".join(schemas)}"""


def _project(root: Path, edited: bool) -> Path:
    (root / "specs").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[tool.clientgen]\n", encoding="utf-8")
    (root / "specs" / "memo.yaml").write_text(_spec(edited), encoding="utf-8")
    return root


def _generate(root: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, *, force: bool = False) -> Outcome:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(cache))
    outcome = regenerate.generate(config.load(start=root), force=force)
    assert not outcome.failed, [d.render() for d in outcome.diagnostics]
    return outcome


def _rendered(outcome: Outcome) -> list[str]:
    """The diagnostics as printed, the project's folder left out (the runs' folders differ)."""
    return [d.render().split("/specs/", 1)[-1] for d in outcome.diagnostics]


def _entries(cache: Path, kind: str) -> list[Path]:
    return sorted(p for p in (cache / kind).rglob("*") if p.is_file())


def _count_decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Decodings from now on: "whole", or "pieces N" (N pieces known from the memo)."""
    calls: list[str] = []
    whole, pieces = sources.decode, decode_pieces.decode

    def counting(text: str, fmt: str) -> Any:
        calls.append("whole")
        return whole(text, fmt)

    def counting_pieces(text: str, known: dict[str, Any]) -> Any:
        calls.append(f"pieces {len(known)}")
        return pieces(text, known)

    monkeypatch.setattr(sources, "decode", counting)
    monkeypatch.setattr(decode_pieces, "decode", counting_pieces)
    return calls


@pytest.fixture
def cold_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, bytes], Outcome]:
    """The edited document generated once, with an empty memo and no earlier output."""
    outcome = _generate(_project(tmp_path / "cold", edited=True), tmp_path / "cold-cache", monkeypatch)
    return snapshot(tmp_path / "cold" / "generated"), outcome


def test_the_document_is_large_enough_for_the_memo() -> None:
    assert len(_spec(False)) > sources.CACHE_MIN_CHARS


def test_an_edit_with_a_warm_memo_writes_the_bytes_of_a_cold_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cold_edit: tuple[dict[str, bytes], Outcome]
) -> None:
    cold_files, cold = cold_edit
    root, cache = _project(tmp_path / "warm", edited=False), tmp_path / "warm-cache"
    _generate(root, cache, monkeypatch)
    assert _entries(cache, "document") and _entries(cache, "surface") and _entries(cache, "pieces")
    _project(root, edited=True)
    decodes = _count_decodes(monkeypatch)
    edited = _generate(root, cache, monkeypatch)
    assert len(decodes) == 1 and int(decodes[0].split()[1]) > THINGS  # the last run's pieces reused
    assert snapshot(root / "generated") == cold_files
    assert _rendered(edited) == _rendered(cold)
    for kind in ("document", "pieces", "surface"):  # one entry per spec file or package, however many edits
        assert len(_entries(cache, kind)) == 1, kind
    assert "memo: 0 breaking, 1 other API change ('clientgen diff' lists them)" in edited.lines
    # Again from the memo alone: the document is not decoded, its warnings keep their lines.
    decodes = _count_decodes(monkeypatch)
    again = _generate(root, cache, monkeypatch, force=True)
    assert decodes == [] and snapshot(root / "generated") == cold_files
    (warning,) = [d for d in again.diagnostics if "enum" in d.message]
    assert warning.line == _spec(True).splitlines().index("          enum: []") + 1
    assert _rendered(again) == _rendered(cold)


def _damage(cache: Path, damage: str) -> None:
    entries = _entries(cache, "document") + _entries(cache, "surface") + _entries(cache, "pieces")
    assert len(entries) >= 3
    for entry in entries:
        blob = entry.read_bytes()
        entry.write_bytes({"flip": blob[:-10] + bytes([blob[-10] ^ 1]) + blob[-9:],
                           "truncate": blob[: len(blob) // 2], "empty": b""}[damage])
        assert memo.read(entry.parent.parent.name, entry.name) is None


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty"])
def test_a_corrupted_memo_entry_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str,
                                           cold_edit: tuple[dict[str, bytes], Outcome]) -> None:
    cold_files, cold = cold_edit
    root, cache = _project(tmp_path / "warm", edited=False), tmp_path / "warm-cache"
    first = _generate(root, cache, monkeypatch)
    files = snapshot(root / "generated")
    _damage(cache, damage)
    decodes = _count_decodes(monkeypatch)
    again = _generate(root, cache, monkeypatch, force=True)
    assert decodes == ["pieces 0"]  # decoded again, not read from the damaged entries
    assert snapshot(root / "generated") == files and _rendered(again) == _rendered(first)
    _damage(cache, damage)
    edited = _generate(_project(root, edited=True), cache, monkeypatch)
    assert snapshot(root / "generated") == cold_files and _rendered(edited) == _rendered(cold)
    # The summary compares with the old document lowered anew: the same line.
    assert "memo: 0 breaking, 1 other API change ('clientgen diff' lists them)" in edited.lines
