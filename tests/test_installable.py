"""An installable client (`installable = true`): `pip install` of its folder into a fresh
virtual environment (no system site-packages, not this repository), then used from there."""

from __future__ import annotations

import json
import subprocess
import textwrap
import venv
from pathlib import Path

from feature_support import black_cache, forget, generate

from generator.options import ClientOptions

SPEC = """\
openapi: 3.1.0
info: {title: Notes, version: 2024-03-01}
servers: [{url: 'https://notes.test'}]
paths:
  /notes/{id}:
    get:
      operationId: getNote
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Note'}}}
components:
  schemas:
    Note:
      type: object
      required: [id, text]
      properties: {id: {type: integer}, text: {type: string}}
"""

USE = textwrap.dedent("""\
    import asyncio, importlib.metadata, json, sys
    import httpx
    import {name}
    from {name} import Notes, AsyncNotes

    def answer(request):
        return httpx.Response(200, json={{"id": 7, "text": request.url.path}})

    client = Notes(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    note = client.notes.get(7)

    async def main():
        async with AsyncNotes(http_client=httpx.AsyncClient(transport=httpx.MockTransport(answer))) as a:
            return await a.notes.get(8)

    print(json.dumps({{
        "file": {name}.__file__,
        "prefix": sys.prefix,
        "version": importlib.metadata.version("{dist}"),
        "note": [type(note).__name__, note.id, note.text],
        "async": asyncio.run(main()).text,
    }}))
    """)


def test_an_installed_client_works_from_another_environment(tmp_path: Path) -> None:
    with black_cache(tmp_path / "cache"):
        package = generate(tmp_path / "gen", "installable", SPEC,
                           ClientOptions(installable=True, client_class="Notes"))
    try:
        folder = package.out / package.name
        environment = tmp_path / "venv"
        venv.create(environment, with_pip=True, system_site_packages=False)
        python = environment / "bin" / "python"
        install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(folder)],
                                 capture_output=True, text=True, timeout=900, check=False)
        assert install.returncode == 0, install.stdout + install.stderr
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        dist = package.name.replace("_", "-")
        done = subprocess.run([str(python), "-I", "-c", USE.format(name=package.name, dist=dist)],
                              cwd=elsewhere, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        found = json.loads(done.stdout)
        assert Path(found["file"]).is_relative_to(environment), found  # the installed copy
        assert Path(found["prefix"]) == environment
        assert found["version"] == "2024.3.1"  # info.version 2024-03-01, made PEP 440
        assert found["note"] == ["Note", 7, "/notes/7"]
        assert found["async"] == "/notes/8"
        installed = Path(found["file"]).parent
        assert (installed / "py.typed").is_file()  # typed for whoever installs it
        assert (installed / "resources" / "_async" / "notes.py").is_file()
    finally:
        forget(package)


def test_a_plain_client_has_no_project_file(tmp_path: Path) -> None:
    with black_cache(tmp_path / "cache"):
        package = generate(tmp_path / "gen", "plain", SPEC)
    try:
        assert not (package.out / package.name / "pyproject.toml").exists()
    finally:
        forget(package)

