"""The file plan of one client: IR in, {relative path: text} out. Templates hold no logic."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from generator import docblock, wrap
from generator.discover import template_dir
from generator.ir import Client
from generator.lower.text import clean, docstring_body

PYTHON_FILES = {
    "__init__.py": "__init__.py.j2",
    "_base.py": "_base.py.j2",
    "_client.py": "_client.py.j2",
    "errors.py": "errors.py.j2",
    "models.py": "models.py.j2",
}


@cache
def environment(templates: Path | None = None) -> Any:
    """The Jinja environment; templates in `templates` (the config's folder) replace the
    built-in ones of the same name."""
    import jinja2

    folders = [str(templates)] if templates is not None else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, str(template_dir())]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["py"] = repr
    env.filters["docstring"] = lambda text: docstring_body(clean(text) or "")
    env.filters["code"] = lambda text: f"`{text}`"
    env.filters["toml"] = json.dumps  # a JSON string is a TOML basic string
    env.filters["call"] = wrap.call  # a call in black's layout (generator/wrap.py)
    env.filters["fits"] = wrap.fits
    env.filters["docstring_at"] = docblock.at  # a docstring in black's layout (generator/docblock.py)
    return env


def _bytecode_cache() -> Any:
    """Compiled templates kept beside black's cache: compiling them costs each run about a
    tenth of a second. Jinja checks each entry against its template's source, not against
    the environment's options: the folder is the toolchain's (render.py is part of it). An
    entry that cannot be read or written only costs the compilation."""
    import jinja2

    from generator.format import cache_dir
    from generator.fresh import toolchain_digest

    class Cache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - a damaged entry: compile the template again
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    folder = cache_dir() / "templates" / toolchain_digest()[:32]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return Cache(str(folder))


def render(client: Client, templates: Path | None = None) -> dict[str, str]:
    """Every file of the client package; Python files still need formatting."""
    env = environment(templates)
    files = {path: env.get_template(name).render(client=client) for path, name in PYTHON_FILES.items()}
    files.update(_resources(env, client))
    if client.parts:  # a large client: models in parts, loaded on first use
        files["_models/__init__.py"] = env.get_template("_header.j2").render(client=client)
        files["_models/_shared.py"] = env.get_template("_models_shared.py.j2").render(client=client)
        part = env.get_template("_models_part.py.j2")
        files.update((f"_models/{p.name}.py", part.render(client=client, part=p)) for p in client.parts)
    files["README.md"] = env.get_template("README.md.j2").render(client=client)
    files["py.typed"] = ""
    files["openapi.json"] = client.spec_json
    if client.project is not None:
        files["pyproject.toml"] = env.get_template("pyproject.toml.j2").render(client=client)
    return files


def _resources(env: Any, client: Client) -> dict[str, str]:
    """resources/: one module per resource class, sync (with the endpoints) and async."""
    if not client.groups:
        return {}
    header = env.get_template("_header.j2").render(client=client)
    files = {"resources/__init__.py": header, "resources/_async/__init__.py": header}
    template = env.get_template("_resource.py.j2")
    for resource in client.groups:
        for aio, folder in ((False, "resources"), (True, "resources/_async")):
            files[f"{folder}/{resource.module}.py"] = template.render(client=client, resource=resource, aio=aio)
    return files
