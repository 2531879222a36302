"""Hostile and odd YAML/JSON text: a diagnostic naming file and line or pointer, never a
traceback, a hang or a silently changed value (generator/decode.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import clientgen

from generator import decode, sources
from generator.diagnostics import Level

HEAD = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"


def load(tmp_path: Path, text: str, suffix: str = ".yaml") -> sources.Loaded:
    path = tmp_path / f"api{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = sources.Loaded()
    sources.load_file(path, "api", result)
    return result


def only_error(result: sources.Loaded) -> str:
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    assert len(errors) == 1 and not result.documents, result.diagnostics
    return errors[0].render() if hasattr(errors[0], "render") else str(errors[0])


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    text = HEAD + "x-bomb:\n" + "\n".join("  " + line for line in lines) + "\n"
    assert len(text) < 1000
    message = only_error(load(tmp_path, text))
    assert "expands to too many values" in message and "x-bomb" in message


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_nesting_ten_thousand_deep_is_a_diagnostic(tmp_path: Path, suffix: str) -> None:
    deep = "[" * 10_000 + "]" * 10_000
    text = json.dumps({"openapi": "3.1.0", "x": 0})[:-1] + ', "x-deep": ' + deep + "}"
    assert "nest" in only_error(load(tmp_path, text, suffix))


def test_nesting_a_little_too_deep_names_the_pointer(tmp_path: Path) -> None:
    deep = "[" * 300 + "]" * 300
    message = only_error(load(tmp_path, '{"openapi": "3.1.0", "x-deep": ' + deep + "}", ".json"))
    assert f"deeper than {decode.MAX_DEPTH}" in message and "/x-deep/0/0" in message


@pytest.mark.parametrize(
    "value, tag",
    [("!!binary aGVsbG8=", "binary"), ("!!set {a: null}", "set"), ("!!timestamp 2024-01-01", "timestamp")],
)
def test_yaml_tags_json_cannot_hold_name_the_line(tmp_path: Path, value: str, tag: str) -> None:
    message = only_error(load(tmp_path, HEAD + f"x-value: {value}\n"))
    assert f"'{tag}'" in message and "api.yaml:4" in message


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_an_integer_of_five_thousand_digits_is_a_diagnostic(tmp_path: Path, suffix: str) -> None:
    text = '{"openapi": "3.1.0", "x-big": ' + "7" * 5000 + "}"
    assert "digits" in only_error(load(tmp_path, text, suffix))


def test_a_lone_surrogate_names_its_pointer(tmp_path: Path) -> None:
    message = only_error(load(tmp_path, '{"openapi": "3.1.0", "info": {"title": "\\ud800"}}', ".json"))
    assert "lone surrogate" in message and "/info/title" in message


@pytest.mark.parametrize("text", ['{"openapi": "3.1.0", "x-n": NaN}', HEAD + "x-n: .inf\n"])
def test_non_finite_numbers_are_refused(tmp_path: Path, text: str) -> None:
    suffix = ".json" if text.startswith("{") else ".yaml"
    message = only_error(load(tmp_path, text, suffix))
    assert "not a JSON number" in message and "/x-n" in message


def test_duplicate_yaml_keys_name_both_lines(tmp_path: Path) -> None:
    text = HEAD + "components:\n  schemas:\n    Pet: {type: object}\n    Pet: {type: string}\n"
    message = only_error(load(tmp_path, text))
    assert "duplicate key 'Pet'" in message and "api.yaml:7" in message and "line 6" in message


def test_duplicate_json_keys_are_an_error(tmp_path: Path) -> None:
    message = only_error(load(tmp_path, '{"openapi": "3.1.0", "openapi": "3.0.0"}', ".json"))
    assert "duplicate key 'openapi'" in message


def test_yaml_merge_keys_may_be_overridden(tmp_path: Path) -> None:
    text = HEAD + "x-base: &base {a: 1, b: 2}\nx-more:\n  <<: *base\n  b: 3\n"
    result = load(tmp_path, text)
    assert result.documents[0].data["x-more"] == {"a": 1, "b": 3}, result.diagnostics


def test_yaml_scalars_read_with_yaml_1_2_semantics(tmp_path: Path) -> None:
    values = {
        "zip": ("02134", "02134"), "octal": ("0o17", 15), "hex": ("0x1F", 31), "int": ("-12", -12),
        "under": ("1_000", "1_000"), "sexagesimal": ("12:30", "12:30"), "exp": ("1e3", 1000.0),
        "float": ("2.5", 2.5), "country": ("no", "no"), "yes": ("on", "on"), "bool": ("false", False),
        "date": ("2024-01-01", "2024-01-01"), "null": ("~", None),
    }
    text = HEAD + "x-values:\n" + "".join(f"  {k}: {raw}\n" for k, (raw, _) in values.items())
    data = load(tmp_path, text).documents[0].data["x-values"]
    assert data == {k: expected for k, (_, expected) in values.items()}
    assert isinstance(data["exp"], float) and isinstance(data["int"], int)


def test_integer_status_keys_become_strings(tmp_path: Path) -> None:
    text = HEAD.replace("paths: {}", "paths:\n  /p:\n    get:\n      responses:\n        200: {description: ok}")
    data = load(tmp_path, text).documents[0].data
    assert list(data["paths"]["/p"]["get"]["responses"]) == ["200"]


def test_an_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(sources.MAX_FILE_BYTES + 1)
    result = sources.Loaded()
    sources.load_file(path, "huge", result)
    assert "reads at most" in str(result.diagnostics[0]) and not result.documents


def test_the_command_exits_2_with_the_diagnostic_and_no_traceback(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "api.json").write_text('{"openapi": "3.1.0", "x": ' + "[" * 5000 + "]" * 5000 + "}")
    run = clientgen("validate", "--specs", str(specs), cwd=tmp_path, cache_dir=tmp_path / "cache")
    assert run.returncode == 2, run
    assert "api.json" in run.output and "nested" in run.output, run
    assert "Traceback" not in run.output, run
