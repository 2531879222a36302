"""Find spec files and load the OpenAPI documents in them, remembering where each came from.

Plain YAML/JSON files hold one document. Markdown/MDX API-reference pages (as docs sites
publish them) embed one in a fenced ```yaml / ```json block; the text after the language
(``yaml openapi.yaml get /v1/x``) is ignored. Every document keeps its file and the line its
text starts on, so later stages can point at a line from a JSON pointer.
"""

from __future__ import annotations

import json
import marshal
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from generator import decode_pieces, memo
from generator.decode import DecodeError, decode
from generator.diagnostics import Diagnostic, Level, pointer_join
from generator.discover import PAGE_SUFFIXES, name_clashes, spec_files

FENCE_LANGUAGES = {"yaml": "yaml", "yml": "yaml", "json": "json"}

_FENCE = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w.+-]*)(?P<info>.*)$")

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILE_BYTES = 64 * 1024 * 1024  # ten times the largest public description known (Stripe)


@dataclass(frozen=True, eq=False)
class Document:
    """One OpenAPI document (or a fragment a `$ref` points into) and where it came from."""

    path: Path
    client: str
    data: Any
    text: str
    fmt: str
    first_line: int = 1
    title: str | None = None  # the heading of the page it was embedded in

    def line_of(self, pointer: str) -> int | None:
        """The 1-based line in `path` where the value at `pointer` starts, if known."""
        if self._pieces is not None:  # a large YAML text: only the entry holding it is read
            line = self._pieces.line_of(pointer)
            if line is not None:
                return line + self.first_line - 1
        line = self._lines.get(pointer)
        if line is None and pointer:
            return self.line_of(pointer.rsplit("/", 1)[0])
        return None if line is None else line + self.first_line - 1

    @cached_property
    def _pieces(self) -> Any:
        from generator.line_pieces import Lines

        return Lines(self.text) if self.fmt == "yaml" and len(self.text) >= CACHE_MIN_CHARS else None

    @cached_property
    def _lines(self) -> dict[str, int]:
        # Composed only when a diagnostic needs a line: large specs load faster without.
        try:
            node = yaml.compose(self.text, Loader=_BaseLoader)
        except (yaml.YAMLError, RecursionError):
            return {}
        lines: dict[str, int] = {}
        if node is not None:
            _index_lines(node, lines)
        return lines


def _key_text(node: yaml.Node) -> str:
    return str(node.value)


def _index_lines(root: yaml.Node, lines: dict[str, int], prefix: str = "",
                 key: Callable[[yaml.Node], str] = _key_text) -> None:
    """Line of every pointer (`root` at `prefix`; `key` spells a mapping's key); iterative,
    and an alias's node is indexed once (where it is defined), so neither deep nesting nor
    an alias bomb costs more than the text's size."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, prefix)]
    while stack:
        node, pointer = stack.pop()
        lines.setdefault(pointer, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for name, value in node.value:
                child = pointer_join(pointer, key(name))
                lines[child] = name.start_mark.line + 1
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, pointer_join(pointer, i)) for i, item in enumerate(node.value))


@dataclass
class Loaded:
    documents: list[Document] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load(specs: Path, only: set[str] | None = None) -> Loaded:
    """Load every document under `specs` (a folder or one file); `only` limits the clients."""
    result = Loaded()
    if not specs.exists():
        result.diagnostics.append(
            Diagnostic(Level.ERROR, "spec path does not exist", file=specs,
                       hint="pass --specs with a folder of specs or a single spec file")
        )
        return result
    every = spec_files(specs)
    files = [(c, p) for c, p in every if only is None or c in only]
    if not every:
        result.diagnostics.append(
            Diagnostic(Level.ERROR, "no spec files found (.yaml, .yml, .json, .md, .mdx)", file=specs)
        )
    for name, owners in name_clashes(specs).items():
        result.diagnostics.append(
            Diagnostic(Level.ERROR, f"{' and '.join(owners)} would both become client {name!r}",
                       file=specs, hint="rename one of them")
        )
    explicit = specs.is_file()
    for client, path in files:
        load_file(path, client, result, required=explicit or path.suffix.lower() in PAGE_SUFFIXES)
    _report_empty_clients(specs, files, result)
    return result


def _report_empty_clients(specs: Path, files: list[tuple[str, Path]], result: Loaded) -> None:
    with_documents = {doc.client for doc in result.documents}
    reported = {d.file for d in result.diagnostics}
    for client in dict.fromkeys(name for name, _ in files):
        paths = [path for name, path in files if name == client]
        if client not in with_documents and not reported.intersection(paths):
            result.diagnostics.append(
                Diagnostic(Level.ERROR, f"client {client!r} has no OpenAPI document", file=paths[0].parent,
                           hint="one file in the folder must start with 'openapi: 3.x'")
            )


def load_file(path: Path, client: str, result: Loaded, *, required: bool = True) -> None:
    """Append the documents of one file to `result`.

    A YAML/JSON file without a top-level `openapi` key is a fragment that other documents
    `$ref`; in a client folder it is skipped, given by itself it is an error.
    """
    if not path.is_file():
        result.diagnostics.append(Diagnostic(Level.ERROR, "not a regular file", file=path))
        return
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            result.diagnostics.append(Diagnostic(
                Level.ERROR, f"the file is {size:,} bytes; clientgen reads at most {MAX_FILE_BYTES:,}",
                file=path))
            return
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        result.diagnostics.append(Diagnostic(Level.ERROR, f"cannot read file: {exc}", file=path))
        return
    if path.suffix.lower() in PAGE_SUFFIXES:
        _load_page(path, client, text, result)
        return
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    doc = parse_text(path, client, text, fmt, 1, result.diagnostics)
    if doc is not None and _check_openapi(doc, result.diagnostics, required=required):
        result.documents.append(doc)


def parse_text(
    path: Path, client: str, text: str, fmt: str, first_line: int, diagnostics: list[Diagnostic]
) -> Document | None:
    """Parse YAML or JSON text; a syntax error becomes a diagnostic with its line."""
    try:
        data = _decode(text, fmt, f"{path}:{first_line}")
    except json.JSONDecodeError as exc:
        diagnostics.append(
            Diagnostic(Level.ERROR, f"invalid JSON: {exc.msg}", file=path,
                       line=first_line + exc.lineno - 1)
        )
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        diagnostics.append(Diagnostic(Level.ERROR, f"invalid YAML: {problem}", file=path, line=line))
        return None
    except DecodeError as exc:
        diagnostics.append(_decode_diagnostic(exc, Document(path, client, None, text, fmt, first_line)))
        return None
    return Document(path=path, client=client, data=data, text=text, fmt=fmt, first_line=first_line)


# Below this size decoding costs less than reading a cache entry.
CACHE_MIN_CHARS = 200_000


def _decode(text: str, fmt: str, origin: str) -> Any:
    """`decode`, through the on-disk cache for large texts: a YAML parse of a few MB takes
    seconds, marshal a few ms. Only documents that decoded without an error are cached (they
    carry no diagnostics), and the line map stays lazy, recomputed from the text. A YAML
    text the cache does not hold is decoded in pieces, reusing those of the last text read
    from the same `origin` (decode_pieces.py): an edit parses what it changed. One entry of
    each kind per origin, overwritten: the cache does not grow with every edit."""
    if len(text) < CACHE_MIN_CHARS:
        return decode(text, fmt)
    digest = memo.key("document", fmt, text)
    slot = memo.key("document", origin)
    # The entry starts with the digest of the text it holds: after an edit the old
    # document (tens of MB once decoded) is not unmarshalled only to be dropped.
    kept = memo.read("document", slot)
    if kept is not None and kept[: len(digest)] == digest.encode():
        data = _unmarshal(kept[len(digest):])
        if data is not None:
            return data
    pieces_slot = memo.key("pieces", origin)
    known = _unmarshal(memo.read("pieces", pieces_slot))
    pieces = decode_pieces.decode(text, known if isinstance(known, dict) else {}) if fmt == "yaml" else None
    if pieces is not None:
        data, used = pieces
        memo.write("pieces", pieces_slot, marshal.dumps(used))
    else:
        data = decode(text, fmt)
    memo.write("document", slot, digest.encode() + marshal.dumps(data))
    return data


def _unmarshal(payload: bytes | None) -> Any:
    if payload is None:
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None  # checksummed, so only a different Python's format: decode again


def _decode_diagnostic(exc: DecodeError, doc: Document) -> Diagnostic:
    line = doc.first_line + exc.line - 1 if exc.line else None
    if line is None and exc.pointer is not None:
        line = doc.line_of(exc.pointer)
    return Diagnostic(Level.ERROR, exc.message, file=doc.path, line=line, pointer=exc.pointer,
                      hint=exc.hint)


def _check_openapi(doc: Document, diagnostics: list[Diagnostic], *, required: bool) -> bool:
    data = doc.data
    where: dict[str, Any] = {"file": doc.path, "line": doc.first_line}
    if isinstance(data, dict) and "swagger" in data:
        diagnostics.append(
            Diagnostic(Level.ERROR, f"Swagger {data.get('swagger')} is not supported; "
                       "clientgen reads OpenAPI 3.0 and 3.1", pointer="/swagger", file=doc.path,
                       line=doc.line_of("/swagger"),
                       hint="convert the document to OpenAPI 3 (for example with swagger2openapi)")
        )
        return False
    if isinstance(data, dict) and "openapi" in data:
        version = str(data["openapi"])
        if not re.match(r"^3\.[0-2](\.|$)", version):
            diagnostics.append(
                Diagnostic(Level.ERROR, f"OpenAPI version {version!r} is not supported; "
                           "clientgen reads OpenAPI 3.0 and 3.1 (3.2 read as 3.1)",
                           pointer="/openapi", file=doc.path, line=doc.line_of("/openapi"))
            )
            return False
        return True
    if _is_mintlify_resolved(data):
        diagnostics.append(
            Diagnostic(Level.ERROR, "this is Mintlify's resolved endpoint format, not an OpenAPI "
                       "document", **where,
                       hint="use the OpenAPI file the docs site was built from (named in the "
                       "fence's info line) instead of the rendered page")
        )
        return False
    if required:
        diagnostics.append(
            Diagnostic(Level.ERROR, "not an OpenAPI document: no top-level 'openapi' key", **where,
                       hint="a spec file must start with 'openapi: 3.x.y'")
        )
    return False


def _is_mintlify_resolved(data: Any) -> bool:
    paths = data.get("paths") if isinstance(data, dict) else None
    return isinstance(paths, dict) and "openapi" not in data and {"path", "method"} <= set(paths)


@dataclass(frozen=True)
class Fence:
    lang: str
    info: str
    first_line: int
    text: str
    closed: bool = True  # False: the page ended before the closing fence


def fences(text: str) -> list[Fence]:
    """Every fenced code block of a Markdown page, with the line its body starts on."""
    blocks: list[Fence] = []
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index].rstrip("\r\n"))
        index += 1
        if not match:
            continue
        fence = match["fence"]
        start = index
        while index < len(lines) and not _closes(lines[index], fence):
            index += 1
        body = "".join(lines[start:index])
        blocks.append(Fence(match["lang"].lower(), match["info"].strip(), start + 1, body, index < len(lines)))
        index += 1
    return blocks


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return (
        len(stripped) >= len(fence)
        and set(stripped) == {fence[0]}
        and len(line) - len(line.lstrip()) <= 3
    )


_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")


def page_title(text: str) -> str | None:
    """The page's first level-one heading: docs sites title an operation's page with it.

    Lines inside fenced code blocks are not headings (`# install` in a shell example), and
    headings holding a URL (`# Source: https://...`, added by page crawlers) are not titles.
    """
    fence: str | None = None
    for line in text.splitlines():
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening["fence"]
            continue
        if fence is not None:
            if _closes(line, fence):
                fence = None
            continue
        match = _HEADING.match(line)
        if match and "://" not in match.group(1):
            return match.group(1).strip()
    return None


def _load_page(path: Path, client: str, text: str, result: Loaded) -> None:
    """Documents from a page's yaml/json blocks; other blocks (shell, CI config) are ignored.

    Only when no block holds an OpenAPI document does the page get a diagnostic: the
    most telling one of its candidate blocks (Swagger 2, Mintlify's format), else a general one.
    """
    title = page_title(text)
    problems: list[Diagnostic] = []
    found = 0
    for block in fences(text):
        fmt = FENCE_LANGUAGES.get(block.lang)
        if fmt is None or not _looks_like_spec(block.text, fmt):
            continue
        if not block.closed:
            problems.append(Diagnostic(
                Level.WARNING, f"the ```{block.lang} block opened here is never closed: the rest of the "
                "page is read as part of it", file=path, line=block.first_line - 1,
                hint="end the block with a line of ``` (as many as opened it)"))
        doc = parse_text(path, client, block.text, fmt, block.first_line, problems)
        if doc is not None and _check_openapi(doc, problems, required=False):
            result.documents.append(replace(doc, title=title))
            found += 1
    if not found:
        result.diagnostics.extend(problems or [
            Diagnostic(Level.ERROR, "no OpenAPI document found in this page", file=path,
                       hint="the page needs a fenced ```yaml or ```json block whose document "
                       "starts with 'openapi: 3.x'")
        ])
    else:
        result.diagnostics.extend(p for p in problems if p.level is not Level.ERROR)


def _looks_like_spec(text: str, fmt: str) -> bool:
    """Cheap test before parsing: a block whose top level names an API description."""
    if fmt == "json":
        return bool(re.search(r'"(openapi|swagger|paths)"\s*:', text))
    return bool(re.search(r"^[\"']?(openapi|swagger|paths)[\"']?[ \t]*:", text, re.MULTILINE))
