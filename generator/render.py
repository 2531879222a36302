"""The file plan of one client: IR in, {relative path: text} out. Templates hold no logic."""

from __future__ import annotations

from functools import cache
from typing import Any

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
def environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir())),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["py"] = repr
    env.filters["docstring"] = lambda text: docstring_body(clean(text) or "")
    env.filters["code"] = lambda text: f"`{text}`"
    return env


def render(client: Client) -> dict[str, str]:
    """Every file of the client package; Python files still need formatting."""
    env = environment()
    files = {path: env.get_template(name).render(client=client) for path, name in PYTHON_FILES.items()}
    if client.parts:  # a large client: models in parts, loaded on first use
        files["_models/__init__.py"] = env.get_template("_header.j2").render(client=client)
        files["_models/_shared.py"] = env.get_template("_models_shared.py.j2").render(client=client)
        part = env.get_template("_models_part.py.j2")
        files.update((f"_models/{p.name}.py", part.render(client=client, part=p)) for p in client.parts)
    files["README.md"] = env.get_template("README.md.j2").render(client=client)
    files["py.typed"] = ""
    files["openapi.json"] = client.spec_json
    return files
