"""The whole client: schemas, operations, security and servers in one `ir.Client`."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from generator.diagnostics import Diagnostic
from generator.forked import Pending
from generator.ir import (
    Client,
    ModelClass,
    Resource,
    SecurityScheme,
    Server,
)
from generator.lower import names, pytypes, spec_json
from generator.lower.dicts import request_dicts
from generator.lower.operations import Operations, multipart_schemas
from generator.lower.order import definition_order
from generator.lower.parts import import_keys, split
from generator.lower.project import project
from generator.lower.resources import group
from generator.lower.schemas import Schemas
from generator.lower.secrets import secret_params
from generator.lower.security import lower_schemes, warn_clashing_requirements
from generator.lower.servers import default_url, document_server
from generator.lower.text import clean, docstring_body
from generator.options import ClientOptions
from generator.parse import Spec

PAGE_TITLE = "x-clientgen-page-title"
MODEL_BASE_IMPORTS = frozenset({"BaseModel", "ConfigDict"})
CLIENT_BASE_IMPORTS = frozenset({"os", "Mapping", "httpx"})
T = TypeVar("T")


# Lowering follows `$ref`s depth first; a document's chain of references (A uses B uses C ...)
# can be thousands deep, about a dozen Python frames per link. It runs in a thread of its own
# with a stack large enough for that (address space: only the pages used are memory).
RECURSION_LIMIT = 100_000
STACK_BYTES = 512 * 1024 * 1024


def lower(spec: Spec, diagnostics: list[Diagnostic], root: Path | None = None,
          options: ClientOptions | None = None) -> Client:
    from generator import forked

    chosen = options or ClientOptions()
    package = chosen.package or names.package_name(spec.client.name)
    # openapi.json needs nothing lowering makes: written meanwhile, in a child where one can
    # be forked (a tenth of a second on Stripe, more than a second for 10,000 operations).
    published = forked.start(lambda: spec_json.dumps(
        _with_titles(spec), "\0".join([package, *map(str, spec.client.sources)])) + "\n", forked.large(spec.data))
    try:
        return deep_call(lambda: _lower(spec, diagnostics, root, chosen, package, published))
    finally:
        published.cancel()  # lowering failed before asking for it: no child left behind


def deep_call(function: Callable[[], T]) -> T:
    """`function()` with room for deep recursion; its exception is raised here."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, function()))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread, raised there
            outcome.append((False, exc))

    limit, size = sys.getrecursionlimit(), threading.stack_size()
    sys.setrecursionlimit(max(limit, RECURSION_LIMIT))
    try:
        threading.stack_size(STACK_BYTES)
        worker = threading.Thread(target=run, name="clientgen-lower")
        worker.start()
    finally:
        threading.stack_size(size)
    try:
        worker.join()
    finally:
        sys.setrecursionlimit(limit)
    ok, value = outcome[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def _lower(spec: Spec, diagnostics: list[Diagnostic], root: Path | None, options: ClientOptions,
           package: str, published: Pending[str]) -> Client:
    env_prefix = names.env_prefix(package)
    arguments = names.Namespace(names.RESERVED_CONSTRUCTOR_NAMES)  # the Client's
    schemes = lower_schemes(spec, env_prefix, arguments, diagnostics, options.credentials)
    server = document_server(spec, arguments, diagnostics)
    if options.base_url is not None:
        server = Server(options.base_url)
    schemas = Schemas(spec, diagnostics, multipart_schemas(spec))
    schemas.define_components()
    lowering = Operations(spec, schemas, {s.key for s in schemes}, diagnostics, server, root, options.methods)
    operations = lowering.lower_all()
    warn_clashing_requirements(spec, schemes, operations, diagnostics)
    operations, unordered = request_dicts(schemas.classes, schemas.aliases, operations, schemas.names)
    client_class = options.client_class or "Client"
    operations, resources, root_methods = group(spec, operations, options.resources, lowering.moved,
                                                frozenset({client_class, f"Async{client_class}"}))
    definitions = definition_order(unordered)
    classes = tuple(d for d in definitions if isinstance(d, ModelClass))
    parts = split(definitions)
    info = spec.data.get("info") or {}
    title = clean(info.get("title")) or package
    return Client(
        package=package,
        title=title,
        version=str(info.get("version", "")),
        description=_description(info.get("description")),
        sources=tuple(_relative(p, root) for p in spec.client.sources),
        base_url=default_url(server),
        server=server,
        env_prefix=env_prefix,
        schemes=schemes,
        operations=operations,
        definitions=definitions,
        model_imports=tuple(pytypes.import_lines(
            _base_keys(schemas, classes) | (set() if parts else import_keys(definitions))
        )),
        parts=parts,
        request_forms=any(c.request_form for c in classes),
        closed_models=any(c.closed for c in classes),
        secret_fields=tuple(sorted({n for c in classes for f in c.fields if f.secret for n in (f.name, f.json_name)})),
        secret_params=secret_params(operations),
        secret_path_params=secret_params(operations, path=True),
        discriminators=schemas.uses_discriminator,
        unique_items=schemas.uses_unique_items,
        same_kind=schemas.uses_same_kind,
        known=schemas.uses_known,
        known_first=schemas.uses_known_first,
        always_sent=any(c.always_sent for c in classes),
        conditions=any(c.conditions for c in classes),
        unknown_variant=any(c.unknown_variant for c in classes),
        incoming=_incoming(spec),
        client_imports=tuple(pytypes.import_lines(_client_imports(resources, server))),
        base_imports=_base_imports(schemes, server, resources, root_methods),
        client_uses_models=False,
        resources=resources,
        root=root_methods,
        client_class=client_class,
        project=project(package, title, info, options) if options.installable else None,
        model_names=tuple(sorted((d.name for d in definitions), key=names.export_order)),
        spec_json=published.result(),
    )


def _with_titles(spec: Spec) -> dict[str, Any]:
    """The document a package publishes: an operation named after its docs page keeps that
    title (`x-clientgen-page-title`), so the package's openapi.json alone names it the same
    (`clientgen diff` reads it)."""
    titles = spec.client.page_titles()
    if not titles:
        return spec.data
    paths = dict(spec.data.get("paths") or {})
    for (method, path), title in titles.items():
        item = paths.get(path)
        if isinstance(item, dict) and isinstance(item.get(method), dict):
            paths[path] = {**item, method: {**item[method], PAGE_TITLE: title}}
    return {**spec.data, "paths": paths}


def _incoming(spec: Spec) -> tuple[str, ...]:
    """Webhooks and callbacks, one line each: the API calls them, a client does not."""
    from generator.merge import HTTP_METHODS

    found = []
    for name, item in (spec.data.get("webhooks") or {}).items():
        item, _ = spec.resolve(item)
        methods = [m.upper() for m in HTTP_METHODS if isinstance(item, dict) and m in item]
        found.append(f"webhook `{name}` ({', '.join(methods)})")
    for path, item in (spec.data.get("paths") or {}).items():
        item, _ = spec.resolve(item)
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if isinstance(operation, dict) and isinstance(operation.get("callbacks"), dict):
                for callback in operation["callbacks"]:
                    found.append(f"callback `{callback}` of `{method.upper()} {path}`")
    return tuple(found)


def _description(text: object) -> str | None:
    cleaned = clean(text)
    return docstring_body(cleaned) if cleaned else None


def _relative(path: Path, root: Path | None) -> str:
    """A spec's path for the generated files' header comment: one line, printable."""
    try:
        text = path.resolve().relative_to((root or Path.cwd()).resolve()).as_posix()
    except ValueError:
        text = path.name
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _base_keys(schemas: Schemas, classes: tuple[ModelClass, ...]) -> set[str]:
    """What the models' base classes and helpers need imported."""
    return (
        # `_Model` only where a class derives from it (pyright reports an unused class)
        (set(MODEL_BASE_IMPORTS) if classes else set())
        | ({"BaseModel"} if schemas.uses_unique_items else set())
        | ({"Any", "Discriminator", "cast"} if schemas.uses_discriminator else set())
        | ({"Any", "json"} if schemas.uses_unique_items else set())
        | ({"Any", "BeforeValidator"} if schemas.uses_same_kind else set())
        | ({"Any", "ClassVar", "cast", "model_validator"} if any(c.request_form for c in classes) else set())
        | ({"ClassVar", "Self", "model_validator"} if any(c.always_sent for c in classes) else set())
        | ({"Any", "ClassVar", "Self", "ValidationInfo", "cast", "model_validator"}
           if any(c.conditions for c in classes) else set())
        | ({"Any", "ValidationInfo", "model_validator"} if any(c.unknown_variant for c in classes) else set())
        | ({"Any", "AfterValidator", "GetCoreSchemaHandler", "Literal", "ValidationInfo", "get_args", "get_origin"}
           if schemas.uses_known else set())
        | ({"Any", "ValidationError", "ValidationInfo", "ValidatorFunctionWrapHandler"}
           if schemas.uses_known_first else set())
    )


def _client_imports(resources: tuple[Resource, ...], server: Server) -> set[str]:
    keys = set(CLIENT_BASE_IMPORTS)
    if any(v.enum for v in server.variables):
        keys.add("Literal")
    if resources:
        keys.add("TYPE_CHECKING")
    return keys


BASE_NAMES = ("DEFAULT_MAX_RESPONSE_SIZE", "DEFAULT_MAX_RETRIES", "NOT_GIVEN", "NotGiven", "Scheme", "Server", "Timeout")
SCHEME_CLASSES = {"api_key": "ApiKey", "bearer": "Bearer", "basic": "Basic"}


def _base_imports(
    schemes: tuple[SecurityScheme, ...], server: Server, resources: tuple[Resource, ...],
    root: Resource | None,
) -> tuple[str, ...]:
    wanted = set(BASE_NAMES) | {SCHEME_CLASSES[s.kind] for s in schemes}
    if server.variables:
        wanted.add("ServerVariable")
    if root is None:  # else the classes derive from the root's, which derive from these
        wanted |= {"AsyncAPIClient", "SyncAPIClient"}
    if resources:
        wanted.add("cached_resource")
    return tuple(sorted(wanted, key=names.export_order))
