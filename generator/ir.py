"""The intermediate model: everything the templates need, as frozen values.

Lowering computes every Python fragment (identifiers, annotations, defaults, docstrings,
imports); templates only place them. Nothing here knows about OpenAPI or Jinja.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from generator.wrap import Argument, Mapping

# Functions models.py may define for annotations to call (the flags on `Client` say which).
MODEL_HELPERS = ("_discriminator", "_unique_items", "_same_kind", "_known", "_known_first")


@dataclass(frozen=True)
class PyType:
    """A type annotation, spelled once for models.py and once for the client module.

    `models` is how the annotation reads inside models.py (`TaskVersion`); `client` is how it
    reads elsewhere in the package (`models.TaskVersion`). `imports` are the modules the
    annotation needs (`_dt` for datetime, ...); `refs` the model names it mentions.
    """

    models: str
    client: str
    imports: frozenset[str] = frozenset()
    refs: frozenset[str] = frozenset()
    members: tuple[PyType, ...] = ()  # the alternatives, when this is a union
    literals: tuple[object, ...] = ()  # the values, when this is a Literal[...]
    # How a request argument of this type may be given: each model `X` it names is marked
    # `\x00X\x00` (resolved to `X | XParam` once the TypedDicts are named), lists read
    # `Sequence[...]` and maps `Mapping[...]` (a user's `list[Pet]` then fits), a formatted
    # string also `str`, pydantic metadata is left out. None: the type itself.
    dict_form: PyType | None = field(default=None, compare=False)

    @property
    def form(self) -> PyType:
        """The dict form (see `dict_form`), still marked."""
        return self.dict_form or self

    @property
    def is_none(self) -> bool:
        return self.models == "None"

    @property
    def expression(self) -> str:
        """How _client.py spells it as a value (an endpoint's Param, Body and responses): a
        union with an `Annotated[...]` member as `Union[...]`, since type checkers take
        `Annotated[...] | None` only as an annotation."""
        if any(m.client.startswith("Annotated[") for m in self.members):
            return f"Union[{', '.join(m.client for m in self.members)}]"
        return self.client

    @property
    def optional(self) -> bool:
        """Whether None is already one of the alternatives."""
        return self.is_none or any(m.is_none for m in self.members)


# Control characters, and what str.splitlines takes for a line break (NEL, U+2028/9): the
# line-based steps after rendering (chunks, layout) must see the lines Python's parser sees.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def docstring_body(text: str) -> str:
    """Escape text for use between triple double quotes: it can never end the string, and
    holds no control character (a NUL byte makes the module unimportable)."""
    body = _CONTROL.sub("", text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if body.endswith('"'):
        body += " "
    return body


@dataclass(frozen=True)
class Field:
    name: str
    json_name: str
    type: PyType
    required: bool
    default: str | None  # Python source of the default, None when required
    description: str | None = None  # cleaned spec text, not yet escaped
    deprecated: bool = False  # reading it warns (pydantic's Field(deprecated=...))
    forward: bool = False  # names a model defined further down: the annotation is quoted
    secret: bool = False  # `format: password` or writeOnly: left out of reprs and messages

    @property
    def annotation(self) -> str:
        """The annotation as written in models.py (evaluated when the class is created)."""
        return repr(self.type.models) if self.forward else self.type.models

    @property
    def doc(self) -> str | None:
        return docstring_body(self.description) if self.description else None

    @property
    def assignment(self) -> str:
        """What follows the annotation in the class body (`= None`, `= Field(...)`)."""
        args: list[str] = []
        if self.default is not None:
            args.append(f"default={self.default}")
        if self.name != self.json_name:
            args.append(f"validation_alias={self.json_name!r}")
            args.append(f"serialization_alias={self.json_name!r}")
        if self.deprecated:
            args.append("deprecated=True")
        if self.secret:
            args.append("repr=False")
        if not args:
            return ""
        if args == [f"default={self.default}"]:
            return f" = {self.default}"
        return f" = Field({', '.join(args)})"


@dataclass(frozen=True)
class ModelClass:
    name: str
    fields: tuple[Field, ...]
    doc: str | None = None
    # A request form's left-out readOnly fields (JSON and Python names): dropped when given.
    read_only: tuple[str, ...] = ()
    request_form: bool = False  # `PetInput`: read-only fields given are dropped
    response_form: str | None = None  # `Pet`, for `PetInput`: taken and converted
    closed: bool = False  # additionalProperties: false: a request with another key is refused
    kind: str = "class"
    # Fields sent even when left at their default: discriminators and single-valued consts.
    always_sent: tuple[str, ...] = ()
    unknown_variant: bool = False  # the catch-all member of discriminated unions
    # `if`/`then`/`else` on one property's value: what a request must then also carry.
    conditions: tuple[Condition, ...] = ()

    @property
    def base(self) -> str:
        if self.unknown_variant:
            return "_Unknown"
        return "_Input" if self.request_form else "_Model"

    @property
    def class_vars(self) -> tuple[str, ...]:
        """What the base class reads: a request form's read-only keys and response form,
        whether requests may send keys the schema does not name."""
        found = []
        if self.read_only:
            names = ", ".join(repr(n) for n in self.read_only)
            found.append(f"_read_only: ClassVar[frozenset[str]] = frozenset({{{names}}})")
        if self.response_form:
            found.append(f"_response_form: ClassVar[str | None] = {self.response_form!r}")
        if self.always_sent:
            names = ", ".join(repr(n) for n in self.always_sent)
            found.append(f"_always_sent: ClassVar[frozenset[str]] = frozenset({{{names}}})")
        if self.closed:
            found.append("_closed: ClassVar[bool] = True")
        if self.conditions:
            found.append(f"_conditions: ClassVar[tuple[tuple[object, ...], ...]] = "
                         f"({''.join(c.expression + ', ' for c in self.conditions).rstrip()})")
        return tuple(found)


@dataclass(frozen=True)
class Condition:
    """`if: {properties: {kind: {const: metric}}, required: [kind]}, then: {required: [a]},
    else: {required: [b]}`: when the field named `name` (attribute `attr`) holds one of
    `values` (or, where the `if` does not require it, is left out), the `then` names are
    required, else the `else` names. Names are (JSON name, attribute or None for an extra key)."""

    name: str
    attr: str
    values: tuple[Any, ...]
    needed: bool  # the `if` requires the property: absent, the `if` fails
    then: tuple[tuple[str, str | None], ...]
    otherwise: tuple[tuple[str, str | None], ...]

    @property
    def expression(self) -> str:
        return repr((self.name, self.attr, self.values, self.needed, self.then, self.otherwise))


@dataclass(frozen=True)
class DictKey:
    """One key of a `ParamDict`: the JSON name, its value's dict form, whether required."""

    json_name: str
    type: PyType
    required: bool
    forward: bool = False  # names a definition further down: the value type is quoted

    @property
    def annotation(self) -> str:
        value = repr(self.type.models) if self.forward else self.type.models
        return value if self.required else f"NotRequired[{value}]"


@dataclass(frozen=True)
class ParamDict:
    """The TypedDict a request takes in place of a model (`PetParam` for `Pet`/`PetInput`)."""

    name: str
    model: str  # the model class it stands for
    fields: tuple[DictKey, ...]
    kind: str = "typeddict"

    @property
    def functional(self) -> bool:
        """A key that cannot be a class attribute (`first-name`, `class`, `__x`, non-ASCII:
        Python normalises identifiers) or that would shadow a name the annotations use
        (`str`, `Pet`) needs `TypedDict("PetParam", {...})`."""
        used = {word for k in self.fields for word in re.findall(r"[A-Za-z_]\w*", k.type.models)}
        return any(
            not k.json_name.isidentifier() or not k.json_name.isascii() or keyword.iskeyword(k.json_name)
            or k.json_name.startswith("__") or k.json_name in used
            for k in self.fields
        )

    @property
    def doc(self) -> str:
        return f"`{self.model}` as a plain dict (keys are the JSON names); requests take either."


@dataclass(frozen=True)
class TypeAlias:
    name: str
    type: PyType
    doc: str | None = None
    request_of: str | None = None  # `Pet`, for `PetInput`: the schema's name as responses read
    kind: str = "alias"


@dataclass(frozen=True)
class ModelPart:
    """One module of a split models package (`_models/part_007.py`)."""

    name: str
    definitions: tuple[ModelClass | TypeAlias | ParamDict, ...]
    imports: tuple[str, ...]  # import lines for its annotations
    needs: tuple[tuple[str, tuple[str, ...]], ...]  # (sibling part, names it imports from there)
    shared: tuple[str, ...]  # base classes and helpers it takes from `_models/_shared.py`
    exports: tuple[str, ...]  # the names it defines, sorted as isort sorts an import list


@dataclass(frozen=True)
class Param:
    name: str
    wire: str
    location: str  # path, query, header, cookie
    type: PyType  # the annotation in the method signature
    check: PyType  # the type the value is validated against before sending
    required: bool
    doc: str | None = None
    example: str = "..."  # a Python literal for examples in docs
    style: str = "form"  # "json": a parameter whose `content` is JSON, sent as JSON text
    explode: bool = True
    secret: bool = False  # a password, a token (lower/secrets.py): its value is never shown

    @property
    def description(self) -> str:
        """The arguments of its `Param(...)` in an endpoint description (_client.py)."""
        return ", ".join(self.arguments)

    @property
    def arguments(self) -> list[str]:
        args = [repr(self.name), repr(self.wire), repr(self.location), self.check.expression]
        if self.required:
            args.append("required=True")
        if self.style == "json" or self.location == "query" and self.style != "form":
            args.append(f"style={self.style!r}")
        if self.location in ("query", "cookie") and not self.explode:
            args.append("explode=False")
        if self.location == "path" and self.style != "json" and (self.style != "simple" or self.explode):
            args.append(f"style={self.style!r}")  # left out: simple, not exploded
            if not self.explode:
                args.append("explode=False")
        return args

    @property
    def signature(self) -> str:
        if self.required:
            return f"{self.name}: {self.type.client}"
        if self.type.optional:
            return f"{self.name}: {self.type.client} = None"
        return f"{self.name}: {self.type.client} | None = None"


@dataclass(frozen=True)
class BodyArg:
    """A body field offered as a keyword argument; `arg` differs from the field's name
    when that name is taken (a parameter, `models`, `timeout`, ...)."""

    arg: str
    field: Field


@dataclass(frozen=True)
class BodyLayout:
    """How the fields of a multipart or url-encoded body are sent, by JSON name."""

    files: tuple[str, ...] = ()  # file fields (a file, or a list of files)
    base64: tuple[str, ...] = ()  # ... of those, the ones sent base64-encoded
    part_types: tuple[tuple[str, str], ...] = ()  # a field's Content-Type
    part_headers: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # fixed part headers
    styles: tuple[tuple[str, str, bool], ...] = ()  # style and explode, where given

    @property
    def arguments(self) -> list[Argument]:
        """Keyword arguments of `Body(...)`: data only, as Python literals."""
        found: list[Argument] = []
        if self.files:
            found.append(f"files={self.files!r}")
        if self.base64:
            found.append(f"base64={self.base64!r}")
        if self.part_types:
            found.append(f"part_types={dict(self.part_types)!r}")
        if self.part_headers:
            found.append(f"part_headers={ {k: dict(v) for k, v in self.part_headers}!r}")
        if self.styles:
            found.append(Mapping("styles", tuple((repr(k), repr((s, e))) for k, s, e in self.styles)))
        return found


@dataclass(frozen=True)
class Body:
    media_type: str
    encoding: str  # json, form, multipart, binary, text
    type: PyType
    required: bool
    model: str | None = None  # the model whose fields may be passed as keyword arguments
    fields: tuple[BodyArg, ...] = ()
    # The response form of a request-form model (`Pet` for `PetInput`): accepted as well, so
    # a fetched object can be sent back; its read-only fields are dropped on the way.
    accepts: PyType | None = None
    layout: BodyLayout | None = None  # multipart and form bodies: how fields are sent
    typed: PyType | None = None  # how the signature spells it (a model or its dict form)
    # The argument a body not spread into keywords is passed as (`x-codegen-request-body-name`)
    arg: str = "body"

    @property
    def arguments(self) -> list[Argument]:
        args: list[Argument] = [repr(self.media_type), repr(self.encoding), self.type.expression]
        args += self.layout.arguments if self.layout else []
        if self.renamed:
            args.append(f"renamed={self.renamed!r}")
        return args

    @property
    def annotation(self) -> str:
        """The body's annotation in _client.py."""
        shown = (self.typed or self.type).client
        return f"{shown} | {self.accepts.client}" if self.accepts else shown

    @property
    def renamed(self) -> dict[str, str]:
        """Keyword arguments named apart from their body field (argument -> field)."""
        return {a.arg: a.field.name for a in self.fields if a.arg != a.field.name}

    @property
    def or_none(self) -> str:
        """The body's annotation in _client.py when it may be left out (`... | None`)."""
        return self.annotation if self.type.optional else f"{self.annotation} | None"


@dataclass(frozen=True)
class Response:
    status: str  # "200", "2XX", "default"
    type: PyType  # PyType("None") when there is no body
    encoding: str  # json, text, binary, empty
    description: str | None = None


@dataclass(frozen=True)
class Paging:
    """How one page of a list leads to the next (`Paging(...)` in _base.py). Paths are JSON
    names into the response body (`("meta", "next_cursor")`); `param` and `limit` are the
    method's argument names.

    style: `cursor` (the next value, or the last item's `item_id`, goes into `param`; a
    next value that is a URL is followed), `url` (the body names the next page's URL),
    `offset` (`param` advances by the items received), `page` (`param` advances by one from
    `start`), `link` (the `Link` header's rel="next")."""

    style: str
    item: PyType  # one item's type
    items: tuple[str, ...] = ()  # () the body is the list itself
    param: str | None = None
    next: tuple[str, ...] = ()
    has_more: tuple[str, ...] = ()
    item_id: tuple[str, ...] = ()
    limit: str | None = None
    start: int = 1

    @property
    def arguments(self) -> list[str]:
        args = [repr(self.style)]
        for name in ("items", "param", "next", "has_more", "item_id", "limit"):
            value = getattr(self, name)
            if value:
                args.append(f"{name}={value!r}")
        if self.style == "page" and self.start != 1:
            args.append(f"start={self.start!r}")
        return args


@dataclass(frozen=True)
class Events:
    """A streamed response body: server-sent events (`sse`) or one JSON value a line
    (`lines`, x-ndjson and its kind), each event's data parsed as `type`."""

    framing: str  # sse, lines
    type: PyType
    media_type: str  # asked for in Accept when the caller chooses the stream
    # Also a JSON answer: the caller picks by the body field `stream` (`field`, its argument
    # name) or, without one, by a generated `stream` argument (`switch`).
    alternative: bool = False
    field: str | None = None
    switch: str | None = None
    plain: str = "application/json"  # the other answer's media type, asked for by stream=False


@dataclass(frozen=True)
class Overload:
    """One `@overload` of a method: which body form it takes (`body`: the whole body,
    `fields`: its fields as keywords, `plain`: as the implementation), the stream switch's
    annotation in it (None: as the implementation) and what it returns."""

    form: str
    switch: str | None
    sync: str
    aio: str


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str
    constant: str  # the module-level function that builds its endpoint description
    params: tuple[Param, ...]
    body: Body | None
    responses: tuple[Response, ...]
    returns: PyType
    security: tuple[tuple[str, ...], ...]
    doc: str
    example: str
    summary: str | None = None
    deprecated: bool = False
    tags: tuple[str, ...] = ()
    headers: PyType | None = None  # the model of its documented success-response headers
    # Its own server (operation- or path-level `servers[0]`): a URL template whose
    # placeholders are the client's server variables; None means the client's base URL.
    server: str | None = None
    idempotency_header: str | None = None  # a declared `Idempotency-Key`: filled when left out
    paging: Paging | None = None  # a list whose pages the client follows
    events: Events | None = None  # a streamed response (server-sent events, JSON lines)

    @property
    def success_responses(self) -> tuple[Response, ...]:
        """Responses its Endpoint holds as built (2xx: the type a call returns)."""
        return tuple(r for r in self.responses if r.status.startswith("2"))

    @property
    def error_responses(self) -> tuple[Response, ...]:
        """The others (errors, `default`): its Endpoint builds them on first need, so their
        models are imported only when a response needs one."""
        return tuple(r for r in self.responses if not r.status.startswith("2"))

    @property
    def caller(self) -> str:
        """The client method a generated method calls."""
        return "_page" if self.paging else "_stream" if self.events else "_call"

    @property
    def endpoint_type(self) -> str:
        """What its Endpoint parses a JSON answer as (`Endpoint[...]`)."""
        if self.events and not self.events.alternative:
            return "Any"
        return self.returns.client

    def definer(self, aio: bool) -> str:
        """How its method is defined: an async list method is no coroutine function, since
        what it returns is awaited for the first page or looped over with `async for`."""
        return "async def" if aio and not self.paging else "def"

    def invocation(self, aio: bool) -> str:
        """The call its method's body returns (the arguments follow)."""
        if aio and self.paging:
            return "self._pager"
        return f"{'await ' if aio else ''}self.{self.caller}"

    def result(self, aio: bool) -> str:
        """The method's return annotation (sync or async)."""
        if self.paging:
            kind = "AsyncPager" if aio else "SyncPage"
            return f"{kind}[{self.paging.item.client}, {self.returns.client}]"
        if self.events:
            stream = f"{'AsyncStream' if aio else 'Stream'}[{self.events.type.client}]"
            return f"{stream} | {self.returns.client}" if self.events.alternative else stream
        return self.returns.client

    @property
    def events_description(self) -> str:
        """The arguments of its `Events(...)` in an endpoint description (_client.py)."""
        assert self.events is not None
        events = self.events
        plain = f", plain={events.plain!r}" if events.plain != "application/json" else ""
        return f"{events.framing!r}, {events.type.expression}, {events.media_type!r}{plain}"

    @property
    def overloads(self) -> tuple[Overload, ...]:
        """The method's `@overload`s: body or fields (when the body's fields are keywords),
        times the stream switch's values (when it answers JSON or events); () for none."""
        forms = ("body", "fields") if self.body and self.body.fields else ("plain",)
        events = self.events if self.events and self.events.alternative else None
        found = []
        for form in forms:
            if events is None or form == "body" and events.field:
                if len(forms) > 1:
                    found.append(Overload(form, None, self.result(False), self.result(True)))
                continue
            both = (self.result(False), self.result(True))
            streams = (f"Stream[{events.type.client}]", f"AsyncStream[{events.type.client}]")
            unset = " | NotGiven = NOT_GIVEN" if events.field else " = False"
            field = next((a.field.type.client for a in self.body.fields if a.arg == events.field),
                         "bool") if self.body and events.field else "bool"
            found += [
                Overload(form, "Literal[True]", *streams),
                Overload(form, f"Literal[False]{unset}", self.returns.client, self.returns.client),
                Overload(form, f"{field}{unset}", *both),
            ]
        return tuple(found)

    resource: str | None = None  # its resource path (`pets`, `chat.completions`); None: the Client
    flat: str = ""  # its unique snake name across the client (`list_pets`), before grouping
    wanted: str | None = None  # a method name the spec's extensions or the config give

    @property
    def deprecation(self) -> str:
        """The message its `@deprecated` marker gives (and warns with, when called)."""
        return f"{self.method} {self.path} is deprecated by the API"

    @property
    def call(self) -> str:
        """How a user reaches it from a client: `pets.list`, or `health` on the client itself."""
        return f"{self.resource}.{self.name}" if self.resource else self.name

    @property
    def tag_cell(self) -> str:
        """Its tags for a Markdown table cell."""
        return ", ".join(self.tags).replace("|", "\\|").replace("\n", " ")

    @property
    def spells_union(self) -> bool:
        """Whether its endpoint description spells a type `Union[...]` (PyType.expression)."""
        values = [p.check for p in self.params] + [r.type for r in self.responses]
        values += [self.body.type] if self.body else []
        values += [self.events.type] if self.events else []
        return any(t.expression != t.client for t in values)

    @property
    def positional(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.location == "path")

    @property
    def keyword(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.location != "path")


@dataclass(frozen=True)
class Resource:
    """A group of operations reached as `client.<path>` (`client.chat.completions`), or the
    Client's own methods (`path` None: operations no tag or path segment names). One module
    per class: resources/<module>.py (sync, with the endpoint descriptions) and
    resources/_async/<module>.py. A resource with sub-resources has a property for each.
    """

    path: str | None  # dotted attributes from the client: `chat.completions`
    module: str
    sync_class: str
    async_class: str
    operations: tuple[Operation, ...]
    sync_imports: tuple[str, ...]  # import lines of each module (relative to its folder)
    async_imports: tuple[str, ...]
    sync_base_imports: tuple[str, ...]  # names each module takes from _base.py
    async_base_imports: tuple[str, ...]
    sync_models: bool  # the module mentions a model
    async_models: bool
    doc: str | None = None  # the tag's description, cleaned, not yet escaped
    children: tuple[Resource, ...] = ()  # its sub-resources, by attribute

    @property
    def attribute(self) -> str | None:
        """Its property on the Client or on its parent resource."""
        return self.path.rsplit(".", 1)[-1] if self.path else None

    @property
    def top(self) -> bool:
        return self.path is not None and "." not in self.path

    @property
    def summary(self) -> str:
        """What its property's docstring says: its methods and sub-resources."""
        count = len(self.operations)
        found = [f"{count} operation{'s' if count != 1 else ''}"]
        found[0] += f": {', '.join(op.name for op in self.operations)}" if count else ""
        if self.children:
            found.append(f"sub-resources: {', '.join(str(c.attribute) for c in self.children)}")
        return "; ".join(found) + "."

    @property
    def value_unions(self) -> bool:
        return any(op.spells_union for op in self.operations)

    @property
    def sync_base(self) -> str:
        return "SyncResource" if self.path else "SyncAPIClient"

    @property
    def async_base(self) -> str:
        return "AsyncResource" if self.path else "AsyncAPIClient"

    @property
    def endpoint_names(self) -> tuple[str, ...]:
        """Its endpoint functions, in the order ruff sorts an import list."""
        from generator.lower.names import import_order

        return tuple(sorted((op.constant for op in self.operations), key=import_order))

    @property
    def ordered(self) -> tuple[Operation, ...]:
        """Its operations in class-body order: a method named `list` last, since mypy reads
        `list[...]` in annotations after it as the method."""
        return tuple(sorted(self.operations, key=lambda op: op.name in SHADOWING_METHODS))


# Method names that shadow a builtin the annotations use, allowed where defined last.
SHADOWING_METHODS = frozenset({"list"})


@dataclass(frozen=True)
class SecurityScheme:
    key: str  # the scheme's name in the spec
    kind: str  # api_key, bearer, basic
    location: str  # header, query, cookie
    wire: str  # header/query/cookie name for api keys
    credentials: tuple[str, ...]  # constructor argument names (`api_key`; `username`, `password`)
    env: tuple[str, ...]  # environment variables that default them
    doc: str | None = None


@dataclass(frozen=True)
class ServerVariable:
    """A variable of the document's server URL, offered as a Client argument."""

    arg: str  # the Client's keyword argument
    name: str  # the `{placeholder}` in the URL
    default: str | None  # None: the caller must pass it (or base_url=)
    enum: tuple[str, ...] = ()
    doc: str | None = None

    @property
    def annotation(self) -> str:
        """The argument's annotation in _client.py: its values, when the spec lists them."""
        if self.enum:
            return f"Literal[{', '.join(repr(v) for v in self.enum)}] | None"
        return "str | None"

    @property
    def described(self) -> str:
        """One line for the Client's docstring (spec text: the caller escapes it)."""
        values = f"one of {', '.join(self.enum)}, " if self.enum else ""
        default = f"default {self.default}" if self.default is not None else "required"
        return f"{self.arg}= for {{{self.name}}} ({values}{default})"


@dataclass(frozen=True)
class Server:
    """The document's `servers[0]`: a URL template and its variables."""

    url: str
    variables: tuple[ServerVariable, ...] = ()


@dataclass(frozen=True)
class Project:
    """What an installable client's pyproject.toml says."""

    name: str  # the distribution name
    version: str  # PEP 440
    description: str
    dependencies: tuple[str, ...]
    requires_python: str = ">=3.11"


@dataclass(frozen=True)
class Client:
    package: str
    title: str
    version: str
    description: str | None
    sources: tuple[str, ...]
    base_url: str
    env_prefix: str
    schemes: tuple[SecurityScheme, ...]
    operations: tuple[Operation, ...]
    # classes and aliases in the order models.py defines them: each after what it uses
    definitions: tuple[ModelClass | TypeAlias | ParamDict, ...]
    model_imports: tuple[str, ...]
    client_imports: tuple[str, ...]
    base_imports: tuple[str, ...]  # names _client.py takes from _base.py
    client_uses_models: bool = True  # _client.py mentions a model (else it imports none)
    spec_json: str = field(repr=False, default="")

    model_names: tuple[str, ...] = ()  # in the order ruff wants for __all__
    discriminators: bool = False  # models.py defines its `_discriminator` helper
    unique_items: bool = False  # models.py defines its `_unique_items` check
    same_kind: bool = False  # models.py defines its `_same_kind` check
    known: bool = False  # ... its `_known` check (enums and consts: responses may bring new values)
    known_first: bool = False  # ... and `_known_first` (plain unions try listed values first)
    always_sent: bool = False  # `_Model` marks `_always_sent` fields as set
    conditions: bool = False  # `_Model` checks `if`/`then`/`else` requirements of requests
    unknown_variant: bool = False  # `_Unknown`, the base of `UnknownVariant`, is defined
    request_forms: bool = False  # models.py defines `_Input`, the base of request forms
    closed_models: bool = False  # a model requests reach refuses keys it does not name
    # Names (JSON and Python) of fields whose values are never shown (passwords, writeOnly)
    secret_fields: tuple[str, ...] = ()
    secret_params: tuple[str, ...] = ()  # lowercase wire names of secret query/header/cookie params
    secret_path_params: tuple[str, ...] = ()  # ... and of secret path parameters
    # Requests the API sends to *you* (webhooks, callbacks): listed, not generated.
    incoming: tuple[str, ...] = ()
    # A large client's models in parts loaded on first use; () means one models.py.
    parts: tuple[ModelPart, ...] = ()  # (model_imports then serve `_models/_shared.py`)
    server: Server = Server("")  # base_url is its URL with the variables' defaults
    # Operations grouped as `client.<resource>.<method>`; `root` holds the Client's own.
    resources: tuple[Resource, ...] = ()
    root: Resource | None = None
    client_class: str = "Client"  # the sync class; the async one is `Async` + this
    project: Project | None = None  # installable: the pyproject.toml written beside it

    @property
    def async_class(self) -> str:
        return f"Async{self.client_class}"

    @property
    def exports(self) -> tuple[str, ...]:
        """The package's `__all__`, in ruff's order."""
        from generator.lower.names import export_order

        found = ["NOT_GIVEN", "AsyncPage", "AsyncPager", "AsyncStream", "FileInput", "NotGiven", "RawResponse",
                 "Stream", "SyncPage", "errors", "models", self.client_class, self.async_class]
        return tuple(sorted(found, key=export_order))

    @property
    def project_packages(self) -> tuple[str, ...]:
        """The import packages an installable client's pyproject.toml lists."""
        found = [self.package]
        if self.groups:
            found += [f"{self.package}.resources", f"{self.package}.resources._async"]
        if self.parts:
            found.append(f"{self.package}._models")
        return tuple(found)

    @property
    def top_resources(self) -> tuple[Resource, ...]:
        """The resources the Client has a property for (the others are their children)."""
        return tuple(r for r in self.resources if r.top)

    @property
    def groups(self) -> tuple[Resource, ...]:
        """Every module pair of resources/, the root's first."""
        return ((self.root,) if self.root else ()) + self.resources

    @property
    def deprecated_operations(self) -> tuple[Operation, ...]:
        return tuple(op for op in self.operations if op.deprecated)

    @property
    def deprecated_fields(self) -> tuple[tuple[str, str], ...]:
        """(model, field) of every deprecated field, for the README."""
        return tuple((c.name, f.json_name) for c in self.classes for f in c.fields if f.deprecated)

    @property
    def operation_servers(self) -> bool:
        """Whether some operation has a server of its own."""
        return any(op.server is not None for op in self.operations)

    @property
    def value_unions(self) -> bool:
        """Whether _client.py spells an endpoint type `Union[...]` (ruff's UP007 is waived)."""
        return any(op.spells_union for op in self.operations)

    @property
    def tagged(self) -> bool:
        return any(op.tags for op in self.operations)

    @property
    def helpers(self) -> tuple[str, ...]:
        """The models helpers this client defines (other modules may use them)."""
        used = (self.discriminators, self.unique_items, self.same_kind, self.known, self.known_first)
        return tuple(name for name, needed in zip(MODEL_HELPERS, used) if needed)

    @property
    def classes(self) -> tuple[ModelClass, ...]:
        return tuple(d for d in self.definitions if isinstance(d, ModelClass))

    @property
    def aliases(self) -> tuple[TypeAlias, ...]:
        return tuple(d for d in self.definitions if isinstance(d, TypeAlias))

    @property
    def credentials(self) -> tuple[tuple[str, str], ...]:
        """(argument, environment variable) for every credential, in scheme order, once."""
        seen: dict[str, str] = {}
        for scheme in self.schemes:
            for arg, env in zip(scheme.credentials, scheme.env):
                seen.setdefault(arg, env)
        return tuple(seen.items())
