"""Per-client options: `[tool.clientgen.clients.<name>]` in pyproject.toml -> ClientOptions.

Every key is checked as it is read: an unknown key is an error naming the closest known one,
a value of the wrong type an error naming the type it should have. Nothing here knows about
OpenAPI; lowering and writing read the values.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class OptionsError(ValueError):
    """A mistake in `[tool.clientgen]`, with where it is (`clients.openai.methods`)."""


@dataclass(frozen=True)
class Credential:
    argument: str | None = None  # the Client argument (`api_key`)
    env: str | None = None  # the environment variable that defaults it (`OPENAI_API_KEY`)


@dataclass(frozen=True)
class ClientOptions:
    package: str | None = None  # the package (folder) name
    client_class: str | None = None  # `OpenAI`: the classes are OpenAI and AsyncOpenAI
    base_url: str | None = None  # the default base URL, instead of the spec's servers[0]
    # By operationId or "METHOD /path": a method name, or `resource.method`, where the
    # resource may be nested (`chat.completions.create`).
    methods: Mapping[str, str] = field(default_factory=dict)
    # By tag, path segment or extension value (what the resource would be named from), or by
    # the dotted path the rule gives (`assistants.threads`): the resource path to use instead
    # (`beta`, `beta.threads`); sub-resources follow.
    resources: Mapping[str, str] = field(default_factory=dict)
    # By the default argument name (`bearer_token`) or the scheme's key.
    credentials: Mapping[str, Credential] = field(default_factory=dict)
    templates: Path | None = None  # a folder whose templates replace the built-in ones
    post_generate: tuple[tuple[str, ...], ...] = ()  # commands run after writing
    installable: bool = False  # write a pyproject.toml: `pip install generated/<client>`
    version: str | None = None  # the distribution's version, instead of info.version

    def digest_text(self) -> str:
        """A stable text of everything that changes the generated files (the manifest keeps
        its digest: editing the options regenerates the client)."""
        templates = ""
        if self.templates is not None and self.templates.is_dir():
            templates = ";".join(
                f"{p.name}={p.read_text(encoding='utf-8', errors='replace')!r}"
                for p in sorted(self.templates.glob("*.j2"))
            )
        return repr((self.package, self.client_class, self.base_url, sorted(self.methods.items()),
                     sorted(self.resources.items()), sorted(self.credentials.items()),
                     templates, self.installable, self.version))


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise OptionsError(f"{where} must be a non-empty string, not {value!r}")
    return value


def _identifier(value: Any, where: str) -> str:
    text = _text(value, where)
    if not text.isidentifier() or keyword.iskeyword(text) or not text.isascii():
        raise OptionsError(f"{where} must be a Python identifier, not {text!r}")
    return text


def _dotted(value: Any, where: str) -> str:
    """Identifiers joined by dots: `method`, `resource.method`, `chat.completions.create`;
    for `resources`, a resource path (`chat.completions`)."""
    text = _text(value, where)
    for part in text.split("."):
        if not part:
            raise OptionsError(f"{where} must be names joined by dots (`chat.completions`), not {text!r}")
        _identifier(part, where)
    return text


def _table(value: Any, where: str, item: Callable[[Any, str], Any]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise OptionsError(f"{where} must be a table, not {value!r}")
    return {str(k): item(v, f"{where}.{k}") for k, v in value.items()}


def _credential(value: Any, where: str) -> Credential:
    if isinstance(value, str):  # `bearer_token = "api_key"`: the argument only
        return Credential(argument=_identifier(value, where))
    known = {"argument": _identifier, "env": _text}
    table = _checked_keys(value, where, known)
    return Credential(**{k: known[k](v, f"{where}.{k}") for k, v in table.items()})


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise OptionsError(f"{where} must be true or false, not {value!r}")
    return value


def _commands(value: Any, where: str) -> tuple[tuple[str, ...], ...]:
    """A list of commands, each a string (split like a shell would) or a list of words."""
    import shlex

    if not isinstance(value, list):
        raise OptionsError(f"{where} must be a list of commands, not {value!r}")
    found = []
    for index, command in enumerate(value):
        if isinstance(command, str) and command.strip():
            found.append(tuple(shlex.split(command)))
        elif isinstance(command, list) and command and all(isinstance(w, str) for w in command):
            found.append(tuple(command))
        else:
            raise OptionsError(f"{where}[{index}] must be a command (a string or a list of strings)")
    return tuple(found)


def _checked_keys(value: Any, where: str, known: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise OptionsError(f"{where} must be a table, not {value!r}")
    for key in value:
        if key not in known:
            raise OptionsError(f"unknown key {where}.{key}{suggestion(str(key), list(known))}")
    return value


def suggestion(key: str, known: list[str]) -> str:
    """`; did you mean 'methods'?`, or the known keys when none is close."""
    import difflib  # only for a misspelt option: `check` starts faster without it

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
    close = close or [k for k in known if k.startswith(key) or key.startswith(k)][:1]
    return f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(sorted(known))}"


_READERS: dict[str, Callable[[Any, str], Any]] = {
    "package": _identifier,
    "client_class": _identifier,
    "base_url": _text,
    "methods": lambda v, w: _table(v, w, _dotted),
    "resources": lambda v, w: _table(v, w, _dotted),
    "credentials": lambda v, w: _table(v, w, _credential),
    "templates": _text,
    "post_generate": _commands,
    "installable": _bool,
    "version": _text,
}


def read(value: Any, where: str, root: Path) -> ClientOptions:
    """One client's table; paths are relative to `root` (the pyproject.toml's folder)."""
    table = _checked_keys(value, where, _READERS)
    values = {k: _READERS[k](v, f"{where}.{k}") for k, v in table.items()}
    if "templates" in values:
        values["templates"] = (root / values["templates"]).resolve()
        if not values["templates"].is_dir():
            raise OptionsError(f"{where}.templates: {values['templates']} is not a folder")
    return ClientOptions(**values)


def read_all(value: Any, where: str, root: Path) -> dict[str, ClientOptions]:
    """`[tool.clientgen.clients]`: client name (its spec folder or file stem) -> options."""
    if not isinstance(value, dict):
        raise OptionsError(f"{where} must be a table of clients, not {value!r}")
    from generator.lower.names import (
        package_name,  # keys as the client's default package name
    )

    return {package_name(str(name)): read(table, f"{where}.{name}", root) for name, table in value.items()}
