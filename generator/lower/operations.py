"""Paths and operations -> IR operations: names, parameters, bodies, responses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.diagnostics import Diagnostic, pointer_join
from generator.ir import (
    Body,
    BodyArg,
    BodyLayout,
    Events,
    Operation,
    Param,
    PyType,
    Response,
    Server,
)
from generator.lower import files, names, pytypes, secrets
from generator.lower.headers import headers_model, warn_objects_in_header
from generator.lower.names_split import id_words
from generator.lower.pagination import Detector
from generator.lower.pytypes import ANY, BYTES, FILE, NONE, STR
from generator.lower.resources import group_of
from generator.lower.schemas import Schemas, _Context
from generator.lower.security import operation_security
from generator.lower.servers import operation_server
from generator.lower.text import clean, docstring_body
from generator.merge import HTTP_METHODS
from generator.parse import Spec

PARAM_LOCATIONS = ("path", "query", "header", "cookie")
_JSON_TYPES = ("application/json",)
# Header names (lowercase, letters and digits only) that carry an idempotency key; the
# generated `_base.py` recognises the same ones on outgoing requests.
IDEMPOTENCY_HEADERS = frozenset({"idempotencykey", "xidempotencykey"})
# Operation extensions that name its method (within its resource), as SDK generators read them.
NAME_EXTENSIONS = ("x-speakeasy-name-override", "x-fern-sdk-method-name")


def is_idempotency_header(name: str) -> bool:
    """`Idempotency-Key`, `X-Idempotency-Key`, `idempotency_key`, in any case."""
    return "".join(c for c in name.lower() if c.isalnum()) in IDEMPOTENCY_HEADERS


class Operations:
    def __init__(self, spec: Spec, schemas: Schemas, schemes: set[str], diagnostics: list[Diagnostic],
                 server: Server | None = None, root: Any = None,
                 methods: Mapping[str, str] | None = None) -> None:
        self.spec = spec
        self.schemas = schemas
        self.schemes = schemes
        self.diagnostics = diagnostics
        self.server = server or Server("")
        self.method_names = names.Namespace(names.RESERVED_METHOD_NAMES)
        self.titles = spec.client.page_titles()
        self.pages = Detector(spec, schemas, root, diagnostics)
        self.methods = dict(methods or {})  # operationId or "METHOD /path" -> [resource.]method
        self.moved: dict[str, str] = {}  # flat name -> the resource the config puts it in

    def lower_all(self) -> tuple[Operation, ...]:
        found = []
        for path, item in (self.spec.data.get("paths") or {}).items():
            item_pointer = pointer_join("/paths", path)
            item, _ = self.spec.resolve(item)
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                if isinstance(item.get(method), dict):
                    found.append(self._operation(path, method, item, pointer_join(item_pointer, method)))
        return tuple(found)

    def _operation(self, path: str, method: str, item: dict[str, Any], pointer: str) -> Operation:
        op = item[method]
        flat, wanted, resource = self._name(path, method, op)
        name = self.method_names.claim(flat, "_")
        if resource is not None:
            self.moved[name] = resource
        hint = names.pascal(name)
        params = self._params(item, op, pointer, hint)
        arg_names = {p.name for p in params}
        body = self._body(op, pointer, hint, arg_names)
        responses = self._responses(op, pointer, hint)
        headers = headers_model(self.spec, self.schemas, op, pointer, hint, name)
        returns = _returns(responses)
        summary = clean(op.get("summary"))
        events = self._events(op, pointer, hint, params, body)
        paging = None if events else self.pages.paging(path, method, op, name, params, returns, pointer)
        return Operation(
            name=name, method=method.upper(), path=path, constant=f"_{name}_endpoint",
            params=params, body=body, responses=responses, returns=returns,
            security=operation_security(self.spec, op, self.schemes),
            doc=_docstring(op, params, body), example=_example(name, params, body),
            summary=summary, deprecated=op.get("deprecated") is True,
            tags=tuple(str(t) for t in op.get("tags") or []), headers=headers,
            server=operation_server(self.spec, ((op, pointer), (item, pointer.rsplit("/", 1)[0])),
                                    self.server, self.diagnostics),
            idempotency_header=next((p.wire for p in params if p.location == "header"
                                     and is_idempotency_header(p.wire)), None),
            paging=paging, events=events,
            flat=name, wanted=wanted,
        )

    def _events(self, op: dict[str, Any], pointer: str, hint: str, params: tuple[Param, ...],
                body: Body | None) -> Events | None:
        """A streamed success response (server-sent events, JSON lines), with the argument that
        chooses it when the operation also answers plain JSON."""
        for status, raw in (op.get("responses") or {}).items():
            response, ref_pointer = self.spec.resolve(raw)
            content = response.get("content") if isinstance(response, dict) else None
            if not str(status).startswith("2") or not isinstance(content, dict):
                continue
            for media_type, media in content.items():
                framing = _framing(str(media_type))
                if framing is None or not isinstance(media, dict):
                    continue
                where = pointer_join(ref_pointer or pointer_join(pointer, "responses", status), "content", media_type)
                event = self._event_type(media, where, hint + "Event", framing)
                plain = _pick_media_type(content)
                alternative = plain != media_type
                field = next((a.arg for a in body.fields if a.field.json_name == "stream"
                              and a.field.type.models in ("bool", "bool | None")), None) if body else None
                taken = {p.name for p in params} | {a.arg for a in (body.fields if body else ())}
                switch = None if field or not alternative else next(
                    n for n in ("stream", "stream_", "stream_events", "stream_events_") if n not in taken)
                return Events(framing, event, str(media_type), alternative, field, switch,
                              str(plain) if alternative else "application/json")
        return None

    def _event_type(self, media: dict[str, Any], pointer: str, hint: str, framing: str) -> PyType:
        """Each event's data: OpenAPI 3.2's `itemSchema` (its `data` property, for events),
        else the media's schema; text where it says a string or nothing."""
        schema, where = media.get("itemSchema"), pointer_join(pointer, "itemSchema")
        resolved, _ = self.spec.resolve(schema)
        if framing == "sse" and isinstance(resolved, dict) and isinstance(resolved.get("properties"), dict) \
                and "data" in resolved["properties"]:
            data = resolved["properties"]["data"]
            schema, where = data.get("contentSchema", data), pointer_join(where, "properties", "data")
        if schema is None:
            schema, where = media.get("schema"), pointer_join(pointer, "schema")
        resolved, _ = self.spec.resolve(schema)
        if not isinstance(resolved, dict) or not resolved or resolved.get("type") == "string":
            return STR
        return self.schemas.type_of(schema, _Context(where, hint))

    def _name(self, path: str, method: str, op: dict[str, Any]) -> tuple[str, str | None, str | None]:
        """(flat name, the method name asked for, the resource the config asks for).

        The config's `methods`, else a name extension (its resource's method name), else a
        human operationId, else the function name in a FastAPI id, else the docs page title,
        else the summary, else method + path."""
        operation_id = op.get("operationId")
        override = self.methods.get(operation_id) if isinstance(operation_id, str) else None
        override = override or self.methods.get(f"{method.upper()} {path}")
        if override:
            resource, _, wanted = override.rpartition(".")
            return names.method_name(override.replace(".", "_")), wanted, resource if "." in override else None
        for key in NAME_EXTENSIONS:
            value = op.get(key)
            if isinstance(value, str) and names.snake(value):
                wanted = names.method_name(value)
                group = group_of(op, path)
                return names.method_name(f"{group}_{wanted}" if group else wanted), wanted, None
        if isinstance(operation_id, str) and names.snake(operation_id):
            if not names.is_machine_operation_id(operation_id, path, method):
                tags = op.get("tags")
                spoken = id_words(operation_id, (op.get("summary"), op.get("description"), path,
                                                 *(tags if isinstance(tags, list) else ())))
                if spoken is not None:
                    return names.method_name(spoken), None, None
            function = names.fastapi_function(operation_id, path, method)
            if function and not names.is_machine_operation_id(function):
                return names.method_name(function), None, None
        for text in (self.titles.get((method, path)) or op.get("x-clientgen-page-title"), op.get("summary")):
            if isinstance(text, str) and names.snake(text) and len(names.ascii_words(text)) <= 8:
                return names.method_name(text), None, None
        words = [w for w in path.replace("{", "by_").split("/") if w]
        return names.method_name(" ".join([method, *words])), None, None

    def _params(self, item: dict[str, Any], op: dict[str, Any], pointer: str, hint: str) -> tuple[Param, ...]:
        merged: dict[tuple[str, str], tuple[Any, str]] = {}
        for owner, owner_pointer in ((item, pointer.rsplit("/", 1)[0]), (op, pointer)):
            for index, raw in enumerate(owner.get("parameters") or []):
                param_pointer = pointer_join(owner_pointer, "parameters", index)
                param, ref_pointer = self.spec.resolve(raw)
                if isinstance(param, dict) and param.get("in") in PARAM_LOCATIONS and isinstance(param.get("name"), str):
                    merged[(param["in"], param["name"])] = (param, ref_pointer or param_pointer)
        arg_names = names.Namespace(names.RESERVED_ARGUMENT_NAMES)
        ordered = sorted(merged.values(), key=lambda p: (PARAM_LOCATIONS.index(p[0]["in"]), 0))
        params = [self._param(param, p_pointer, hint, arg_names) for param, p_pointer in ordered]
        # Required keyword arguments first reads better in signatures and docs.
        path_params = [p for p in params if p.location == "path"]
        rest = [p for p in params if p.location != "path"]
        rest.sort(key=lambda p: not p.required)
        return tuple(path_params + rest)

    def _param(self, param: dict[str, Any], pointer: str, hint: str, arg_names: names.Namespace) -> Param:
        location, wire = param["in"], param["name"]
        name = arg_names.claim(names.argument_name(wire), "_")
        if location in ("header", "cookie"):
            warn_objects_in_header(self.spec, param, pointer, self.diagnostics)
        schema = param.get("schema")
        schema_pointer = pointer_join(pointer, "schema")
        content, as_json = param.get("content"), False
        if schema is None and isinstance(content, dict) and content:
            media_type = next(iter(content))
            media: Any = content[media_type]
            schema = media.get("schema") if isinstance(media, dict) else None
            schema_pointer = pointer_join(pointer, "content", media_type, "schema")
            as_json = _encoding(media_type) == "json"  # `filter={"a":1}`: the value as JSON text
        ctx_hint = hint + names.pascal(wire)
        check = self.schemas.type_of(schema or {}, _Context(schema_pointer, ctx_hint, direction="in"))
        loose = self.schemas.type_of(schema or {}, _Context(schema_pointer, ctx_hint, loose=True, direction="in"))
        # A declared idempotency key is generated when left out, so it is never required.
        key = location == "header" and is_idempotency_header(wire)
        required = location == "path" or (param.get("required") is True and not key)
        example = example_literal(param, self.spec.resolve(schema)[0] if schema else None)
        style = "json" if as_json else str(param.get("style") or ("form" if location in ("query", "cookie") else "simple"))
        explode = param.get("explode", style == "form") is True
        doc = _short(param.get("description"))
        if key:
            doc = f"{doc} " if doc else ""
            doc += "Left out, a fresh key is sent (the same on every retry of the call)."
        secret = self.schemas._secret(schema or {}) or secrets.secret_name(wire)
        return Param(name, wire, location, loose, check, required, doc, example, style, explode, secret)

    def _body(self, op: dict[str, Any], pointer: str, hint: str, taken: set[str]) -> Body | None:
        found = request_media(self.spec, op, pointer)
        if found is None:
            return None
        body, media_type, media, schema_pointer = found
        encoding = _body_encoding(self.spec, media_type, media.get("schema"), request=True)
        body_hint = shared_hint(schema_pointer, "/components/requestBodies/", "Body") or f"{hint}Body"
        annotation = self._content_type(media.get("schema"), encoding,
                                        _Context(schema_pointer, body_hint, direction="in"), request=True)
        cls = self.schemas.classes.get(annotation.models) if annotation.refs == {annotation.models} else None
        # A request form also takes its response form (`PetInput` takes a fetched `Pet`).
        accepts = pytypes.named(cls.response_form) if cls and cls.response_form else None
        keywords = cls if cls and encoding in ("json", "form", "multipart") else None  # fields as arguments
        fields: tuple[BodyArg, ...] = ()
        if keywords:
            args = names.Namespace(names.RESERVED_ARGUMENT_NAMES | taken)
            fields = tuple(BodyArg(args.claim(f.name, "_"), f) for f in keywords.fields)
        return Body(media_type, encoding, annotation, body.get("required") is True,
                    keywords.name if keywords else None, fields, accepts,
                    self._layout(media, encoding),
                    arg="body" if fields else _body_argument(op, body, taken))

    def _layout(self, media: dict[str, Any], encoding: str) -> BodyLayout | None:
        if encoding not in ("multipart", "form"):
            return None
        schema, pointer = self.spec.resolve(media.get("schema"))
        if not isinstance(schema, dict):
            return None
        properties, _ = self.schemas.collect_properties(schema, pointer or "")
        return files.layout(self.spec, {k: p for k, (p, _) in properties.items()}, media, encoding)

    def _content_type(self, schema: Any, encoding: str, ctx: _Context, request: bool = False) -> PyType:
        if encoding in ("binary", "base64"):
            return FILE if request else BYTES
        if encoding == "text":
            return STR
        if schema is None:
            return ANY
        return self.schemas.type_of(schema, ctx)

    def _responses(self, op: dict[str, Any], pointer: str, hint: str) -> tuple[Response, ...]:
        found = []
        raw_responses = op.get("responses") or {}
        success = [s for s in raw_responses if str(s).startswith("2")]
        for status, raw in raw_responses.items():
            response, ref_pointer = self.spec.resolve(raw)
            if not isinstance(response, dict):
                continue
            response_pointer = ref_pointer or pointer_join(pointer, "responses", status)
            suffix = "Response" if status in success[:1] else f"Response{names.pascal(status)}"
            own_hint = shared_hint(response_pointer, "/components/responses/", "Response") or hint + suffix
            found.append(self._response(str(status), response, response_pointer, own_hint))
        return tuple(sorted(found, key=lambda r: _status_order(r.status)))

    def _response(self, status: str, response: dict[str, Any], pointer: str, hint: str) -> Response:
        content = response.get("content")
        description = _short(response.get("description"))
        if status == "204" or not isinstance(content, dict) or not content:
            return Response(status, NONE, "empty", description)
        media_type = _pick_media_type(content)
        media = content[media_type] if isinstance(content[media_type], dict) else {}
        encoding = _body_encoding(self.spec, media_type, media.get("schema"), request=False)
        if encoding in ("form", "multipart", "base64"):
            encoding = "binary"
        schema_pointer = pointer_join(pointer, "content", media_type, "schema")
        annotation = self._content_type(media.get("schema"), encoding, _Context(schema_pointer, hint))
        return Response(status, annotation, encoding, description)


_FORMAT_EXAMPLES = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "email": "user@example.com",
}


def example_literal(param: dict[str, Any], schema: Any) -> str:
    """A value for docs: the spec's own example, else one its format implies, else `...`."""
    schema = schema if isinstance(schema, dict) else {}
    for source in (param, schema):
        if "example" in source and _scalar(source["example"]):
            return repr(source["example"])
        examples = source.get("examples")
        if isinstance(examples, list) and examples and _scalar(examples[0]):
            return repr(examples[0])
    if _scalar(schema.get("default")):
        return repr(schema["default"])
    if isinstance(schema.get("enum"), list) and schema["enum"] and _scalar(schema["enum"][0]):
        return repr(schema["enum"][0])
    if schema.get("format") in _FORMAT_EXAMPLES:
        return repr(_FORMAT_EXAMPLES[schema["format"]])
    return "..."


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) and value is not None


def _status_order(status: str) -> tuple[int, str]:
    return (999, status) if status == "default" else (int(status[0]) * 100 if "X" in status.upper() else int(status), status)


def _returns(responses: tuple[Response, ...]) -> PyType:
    success = [r.type for r in responses if r.status.startswith("2")]
    if not success:
        default = [r.type for r in responses if r.status == "default"]
        return default[0] if default else ANY
    return pytypes.union(success)


def _pick_media_type(content: dict[str, Any]) -> str:
    for media_type in content:
        if media_type.split(";")[0].strip().lower() in _JSON_TYPES or media_type.endswith("+json"):
            return media_type
    for preferred in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if preferred in content:
            return preferred
    return next(iter(content))


def shared_hint(pointer: str, components: str, suffix: str) -> str | None:
    """The name of an inline schema in a shared response or request body comes from the
    component (`Unavailable` -> `UnavailableResponse`), not from whichever operation is
    lowered first: removing that operation must not rename the model for the others."""
    if not pointer.startswith(components):
        return None
    key = pointer[len(components):].split("/", 1)[0].replace("~1", "/").replace("~0", "~")
    name = names.pascal(key)
    if not name:
        return None
    return name if name.endswith(suffix) else name + suffix


def request_media(spec: Spec, op: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str, dict[str, Any], str] | None:
    """An operation's request body: the body object, the media type sent, its media object
    and the pointer of its schema."""
    raw = op.get("requestBody")
    if raw is None:
        return None
    body, ref_pointer = spec.resolve(raw)
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, dict) or not content:
        return None
    media_type = _pick_media_type(content)
    media: dict[str, Any] = content[media_type] if isinstance(content[media_type], dict) else {}
    body_pointer = ref_pointer or pointer_join(pointer, "requestBody")
    return body, media_type, media, pointer_join(body_pointer, "content", media_type, "schema")


def multipart_schemas(spec: Spec) -> frozenset[str]:
    """The pointers of the object schemas sent as multipart bodies (after `$ref`s): their
    properties are parts, where base64 strings are files."""
    found = set()
    for path, item in (spec.data.get("paths") or {}).items():
        item, _ = spec.resolve(item)
        for method in HTTP_METHODS if isinstance(item, dict) else ():
            op = item.get(method)
            media = request_media(spec, op, pointer_join("/paths", path, method)) if isinstance(op, dict) else None
            if media is not None and _encoding(media[1]) == "multipart":
                _, target = spec.resolve(media[2].get("schema"))
                found.add(target or media[3])
    return frozenset(found)


def _body_encoding(spec: Spec, media_type: str, schema: Any, request: bool) -> str:
    """How a body is sent: by its media type, except that a file schema is a file (raw, or
    base64 where it says so) under any media type but JSON and forms, and so is a request
    body of any type (`*/*`) without a schema."""
    encoding = _encoding(media_type)
    resolved, _ = spec.resolve(schema)
    kind = files.file_kind(resolved) if isinstance(resolved, dict) else None
    anything = media_type.split(";")[0].strip() == "*/*"
    if anything and (kind == "raw" or request and schema is None):
        return "binary"
    if encoding in ("binary", "text") and kind is not None:
        return "base64" if kind == "base64" else "binary"
    return encoding


STREAM_TYPES = {"text/event-stream": "sse", "application/x-ndjson": "lines", "application/ndjson": "lines",
                "application/jsonl": "lines", "application/x-jsonlines": "lines",
                "application/jsonlines": "lines", "application/stream+json": "lines"}


def _framing(media_type: str) -> str | None:
    """How a streamed body is cut into events, for the media types that stream."""
    return STREAM_TYPES.get(media_type.split(";")[0].strip().lower())


def _encoding(media_type: str) -> str:
    kind = media_type.split(";")[0].strip().lower()
    if kind in _JSON_TYPES or kind.endswith("+json") or kind == "*/*":
        return "json"
    if kind == "application/x-www-form-urlencoded":
        return "form"
    if kind.startswith("multipart/"):
        return "multipart"
    if kind.startswith("text/"):
        return "text"
    return "binary"


def _short(text: Any) -> str | None:
    cleaned = clean(text)
    return cleaned.split("\n\n")[0].replace("\n", " ") if cleaned else None


BODY_NAME_EXTENSIONS = ("x-codegen-request-body-name", "x-body-name")


def _body_argument(op: dict[str, Any], body: dict[str, Any], taken: set[str]) -> str:
    """The argument a body not spread into keywords is passed as: the name a body-name
    extension gives (on the operation or its request body), where no other argument has it;
    else `body`."""
    for owner in (op, body):
        for key in BODY_NAME_EXTENSIONS:
            value = owner.get(key)
            if isinstance(value, str) and names.snake(value):
                name = names.argument_name(value)
                reserved = names.RESERVED_ARGUMENT_NAMES | taken | {"stream"}  # `stream`: a switch
                return "body" if name in reserved or name.rstrip("_") in reserved else name
    return "body"


def _docstring(op: dict[str, Any], params: tuple[Param, ...], body: Body | None) -> str:
    parts = [clean(op.get("summary")), clean(op.get("description"))]
    lines = [p for p in dict.fromkeys(parts) if p]
    arg_lines = [f"    {p.name}: {_one_line(p.doc) or p.location + ' parameter ' + repr(p.wire)}" for p in params]
    if body is not None:
        arg_lines += [
            f"    {a.arg}: {_one_line(a.field.description) or 'body field ' + repr(a.field.json_name)}"
            for a in body.fields
        ]
        arg_lines.append(f"    {body.arg}: the whole request body"
                         + (" (or pass its fields as keyword arguments)" if body.fields else ""))
    if arg_lines:
        lines.append("Args:\n" + "\n".join(arg_lines))
    if op.get("deprecated") is True:
        lines.insert(0, "Deprecated.")
    return docstring_body("\n\n".join(lines) or "Call the operation.")


def _one_line(text: str | None, limit: int = 120) -> str | None:
    """The first sentence of a description, for an `Args:` entry."""
    if not text:
        return None
    line = text.split("\n\n")[0].replace("\n", " ")
    line = line.split(". ")[0].rstrip(".") + "."
    return line if len(line) <= limit else line[: limit - 3].rstrip() + "..."


def _example(name: str, params: tuple[Param, ...], body: Body | None) -> str:
    args = [p.example for p in params if p.location == "path"]
    args += [f"{p.name}={p.example}" for p in params if p.location != "path" and p.required]
    if body is not None and body.fields:
        args += [f"{a.arg}=..." for a in body.fields if a.field.required]
    elif body is not None and body.required:
        args.append(f"{body.arg}=...")
    return f"client.{name}({', '.join(args)})"
