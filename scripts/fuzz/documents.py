"""Hypothesis strategies for random valid OpenAPI documents.

Names come from the whole of Unicode (less lone surrogates) and from a list of names that
are hard for a generator of Python: keywords, builtins, digits first, names that collide
once sanitised, emoji, right-to-left text, combining marks. Schemas nest objects, arrays,
oneOf/anyOf/allOf, enums of mixed types, nullable forms and `$ref`s (recursive ones too);
operations have parameters in every location and style, and bodies of several media types.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

HARD_NAMES = (
    "class", "def", "None", "True", "self", "async", "await", "match", "type", "import",
    "str", "int", "list", "dict", "json", "id", "model_config", "model_dump", "schema",
    "__init__", "_private", "Client", "errors", "models", "httpx", "BaseModel", "Field",
    "1st", "2", "42abc", "foo-bar", "foo_bar", "FooBar", "foo bar", "foo.bar", "FOO_BAR",
    "🐍", "emoji🚀name", "שלום", "مرحبا", "e\u0301te\u0301", "naïve", "ǅungla", "Ⅻ", "ß",
    "$ref", "x-custom", "", " ", "a/b", "a~b", "{x}", "'quote'", '"dq"', "back\\slash",
)
# Component names: OpenAPI allows [A-Za-z0-9._-] only.
COMPONENT_NAMES = st.one_of(
    st.sampled_from(["class", "None", "Client", "1st", "foo-bar", "foo_bar", "FooBar", "Foo.Bar",
                     "models", "str", "Item", "Item_", "item", "BaseModel", "_", "a" * 60]),
    st.from_regex(r"\A[A-Za-z0-9._-]{1,12}\Z"),
)
HARD_TEXT = ('"""', "'''", "\\", "\\N{DASH}", "\\u0041", "\x00", "{{ x }}", "{% raw %}", "\r\n", "*/",
             "</script>", "`rm -rf`", "${HOME}", "%s", "#", "'", '"', "\t", "\u2028", "\ufeff")
TEXT = st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
                 st.lists(st.sampled_from(HARD_TEXT), min_size=1, max_size=4).map("".join))
NAMES = st.one_of(st.sampled_from(HARD_NAMES).filter(bool), TEXT.filter(bool))
SEGMENT_NAMES = st.one_of(
    st.sampled_from(["id", "class", "1st", "foo-bar", "名前", "emoji🚀"]),
    st.text(st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
                          exclude_characters="{}/?#%"), min_size=1, max_size=8),
)
SCALARS = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=8), st.integers(-(2**70), 2**70),
    st.booleans(), st.floats(allow_nan=False, allow_infinity=False), st.none(),
)


def _unique(values: list[Any]) -> list[Any]:
    seen, kept = set(), []
    for value in values:
        key = type(value).__name__ + json.dumps(value)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def _string() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"type": st.just("string")}, optional={
        "format": st.sampled_from(["date-time", "date", "uuid", "email", "uri", "byte", "password", "odd"]),
        "minLength": st.integers(0, 3), "maxLength": st.integers(3, 2**64),
        "pattern": st.sampled_from(["^[a-z]+$", "^\\d{3}$", "[😀-🙏]", "^(a|b)*$"]),
        "description": TEXT,
    })


def _number(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    bound = st.integers(-(2**70), 2**70) if kind == "integer" else st.floats(-1e300, 1e300)
    return st.fixed_dictionaries({"type": st.just(kind)}, optional={
        "minimum": bound, "maximum": bound, "exclusiveMinimum": st.booleans(),
        "multipleOf": st.sampled_from([1, 2, 0.5]), "format": st.sampled_from(["int32", "int64", "float", "double"]),
        "default": st.integers(-5, 5),
    })


def _enum() -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(lambda values, kind: {"enum": values, **kind},
                     st.lists(SCALARS, min_size=1, max_size=5).map(_unique),
                     st.just({}))


def _string_enum() -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(lambda values: {"type": "string", "enum": values, "default": values[0]},
                     st.lists(st.one_of(st.sampled_from(HARD_NAMES), TEXT), min_size=1, max_size=5).map(_unique))


def leaves(refs: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    options = [
        _string(), _number("integer"), _number("number"), st.just({"type": "boolean", "default": True}),
        _enum(), _string_enum(), st.just({}), st.just({"type": "object"}),
        st.builds(lambda v: {"const": v}, SCALARS),
    ]
    if refs:
        options.append(st.sampled_from(refs).map(lambda r: {"$ref": r}))
    return st.one_of(options)


def _object(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    def build(properties: dict[str, Any], required: list[bool], extra: Any) -> dict[str, Any]:
        names = list(properties)
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        chosen = [name for name, flag in zip(names, required, strict=False) if flag]
        if chosen:
            schema["required"] = chosen
        if extra is not None:
            schema["additionalProperties"] = extra
        return schema

    colliding = st.sampled_from([("foo-bar", "foo_bar", "FooBar", "foo bar"), ("class", "class_", "Class", "klass"),
                                 ("1", "_1", "one", "1_"), ("id", "ID", "Id", "iD"), ("é", "e\u0301", "E", "e")])
    named = st.one_of(st.dictionaries(NAMES, children, min_size=1, max_size=5),
                      st.builds(lambda keys, values: dict(zip(keys, values, strict=False)), colliding,
                                st.lists(children, min_size=4, max_size=4)))
    marked = named.flatmap(lambda props: st.fixed_dictionaries({
        key: st.sampled_from([value, {**value, "readOnly": True}, {**value, "writeOnly": True}])
        if "$ref" not in value else st.just(value) for key, value in props.items()}))
    return st.builds(build, marked,
                     st.lists(st.booleans(), max_size=5),
                     st.one_of(st.none(), st.booleans(), children))


def schemas(refs: list[str], version: str) -> st.SearchStrategy[dict[str, Any]]:
    def nullable(schema: dict[str, Any]) -> dict[str, Any]:
        if version.startswith("3.0"):
            return {**schema, "nullable": True}
        kind = schema.get("type")
        return {**schema, "type": [kind, "null"]} if isinstance(kind, str) else {"anyOf": [schema, {"type": "null"}]}

    def extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.one_of(
            _object(children),
            children.map(lambda item: {"type": "array", "items": item}),
            st.lists(children, min_size=1, max_size=3).map(lambda parts: {"oneOf": parts}),
            st.lists(children, min_size=1, max_size=3).map(lambda parts: {"anyOf": parts}),
            st.lists(_object(children), min_size=1, max_size=2).map(lambda parts: {"allOf": parts}),
            children.map(nullable),
            children.map(lambda value: {"type": "object", "additionalProperties": value}),
            *([st.lists(children, min_size=1, max_size=3).map(
                lambda parts: {"type": "array", "prefixItems": parts, "items": False}),
               st.lists(st.sampled_from(["string", "integer", "number", "boolean", "null"]), min_size=2,
                        max_size=3, unique=True).map(lambda kinds: {"type": kinds})]
              if version.startswith("3.1") else []),
        )

    return st.recursive(leaves(refs), extend, max_leaves=6)


PARAMETER_STYLES = {
    "query": [("form", True), ("form", False), ("spaceDelimited", False), ("pipeDelimited", False),
              ("deepObject", True)],
    "header": [("simple", False), ("simple", True)],
    "cookie": [("form", True)],
    "path": [("simple", False), ("label", False), ("matrix", False), ("matrix", True)],
}
SCALAR_PARAMETER = st.one_of(_string(), _number("integer"), st.just({"type": "boolean"}), _string_enum())


@st.composite
def parameter(draw: st.DrawFn, where: str, name: str | None = None) -> dict[str, Any]:
    style, explode = draw(st.sampled_from(PARAMETER_STYLES[where]))
    if style == "deepObject":
        schema = draw(_object(SCALAR_PARAMETER))
        schema.pop("additionalProperties", None)
    elif where != "path" and draw(st.booleans()):
        schema = {"type": "array", "items": draw(SCALAR_PARAMETER)}
    else:
        schema = draw(SCALAR_PARAMETER)
    return {"name": name or draw(NAMES), "in": where, "style": style, "explode": explode,
            "required": where == "path" or draw(st.booleans()), "schema": schema}


@st.composite
def request_body(draw: st.DrawFn, refs: list[str], version: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["application/json", "application/x-www-form-urlencoded",
                                 "multipart/form-data", "application/octet-stream", "text/plain"]))
    if kind == "application/json":
        schema = draw(schemas(refs, version))
    elif kind == "application/octet-stream":
        schema = {"type": "string", "format": "binary"}
    elif kind == "text/plain":
        schema = {"type": "string"}
    else:
        schema = draw(_object(SCALAR_PARAMETER))
        if kind == "multipart/form-data" and draw(st.booleans()):
            schema["properties"]["file"] = {"type": "string", "format": "binary"}
    return {"required": draw(st.booleans()), "content": {kind: {"schema": schema}}}


@st.composite
def operation(draw: st.DrawFn, template_names: list[str], refs: list[str], version: str,
              method: str, operation_ids: set[str]) -> dict[str, Any]:
    op: dict[str, Any] = {"responses": {}}
    operation_id = draw(st.one_of(st.none(), NAMES, st.sampled_from(
        ["getPet", "get_pet", "get-pet", "GetPet", "str", "max_retries", "close", "with_raw_response"])))
    if operation_id is not None and operation_id not in operation_ids:
        operation_ids.add(operation_id)
        op["operationId"] = operation_id
    if draw(st.booleans()):
        op["summary"] = draw(TEXT)
    parameters = [draw(parameter("path", name)) for name in template_names]
    for where in draw(st.lists(st.sampled_from(["query", "header", "cookie"]), max_size=3)):
        parameters.append(draw(parameter(where)))
    unique = {(p["name"].lower() if p["in"] == "header" else p["name"], p["in"]): p for p in parameters}
    if unique:
        op["parameters"] = list(unique.values())
    if method in ("post", "put", "patch") and draw(st.booleans()):
        op["requestBody"] = draw(request_body(refs, version))
    for status in draw(st.lists(st.sampled_from(["200", "201", "204", "404", "4XX", "default"]),
                                min_size=1, max_size=3, unique=True)):
        response: dict[str, Any] = {"description": draw(TEXT)}
        if status != "204" and draw(st.booleans()):
            response["content"] = {"application/json": {"schema": draw(schemas(refs, version))}}
        if draw(st.integers(0, 3)) == 0:
            response["headers"] = draw(st.dictionaries(NAMES, SCALAR_PARAMETER.map(lambda s: {"schema": s}),
                                                       min_size=1, max_size=3))
        op["responses"][status] = response
    return op


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A random valid OpenAPI 3.0 or 3.1 document."""
    version = draw(st.sampled_from(["3.0.3", "3.1.0"]))
    component_names = draw(st.lists(COMPONENT_NAMES, max_size=5, unique=True))
    refs = [f"#/components/schemas/{name}" for name in component_names]
    # Each component is an object (it may reach itself through a property: recursion).
    components = {name: draw(_object(schemas(refs, version))) for name in component_names}
    if len(components) >= 2 and draw(st.booleans()):  # a discriminated union of two of them
        tag = draw(st.sampled_from(["kind", "type", "class", "$type", "@type"]))
        branches = component_names[:2]
        for name in branches:
            components[name]["properties"][tag] = {"type": "string"}
            components[name]["required"] = [*components[name].get("required", []), tag]
        mapping = {draw(TEXT) or name: f"#/components/schemas/{name}" for name in branches}
        components["TaggedUnion"] = {
            "oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in branches],
            "discriminator": {"propertyName": tag, **({"mapping": mapping} if draw(st.booleans()) else {})}}
    paths: dict[str, Any] = {}
    operation_ids: set[str] = set()
    for _ in range(draw(st.integers(1, 4))):
        segments = draw(st.lists(st.one_of(st.from_regex(r"\A[a-z0-9_.-]{1,8}\Z"), SEGMENT_NAMES.map(lambda n: "{" + n + "}")),
                                 min_size=1, max_size=3))
        template_names = list(dict.fromkeys(s[1:-1] for s in segments if s.startswith("{")))
        segments = [s for i, s in enumerate(segments) if not s.startswith("{") or s not in segments[:i]]
        path = "/" + "/".join(segments)
        if path in paths:
            continue
        methods = draw(st.lists(st.sampled_from(["get", "post", "put", "patch", "delete"]), min_size=1,
                                max_size=2, unique=True))
        paths[path] = {m: draw(operation(template_names, refs, version, m, operation_ids)) for m in methods}
    document: dict[str, Any] = {
        "openapi": version,
        "info": {"title": draw(TEXT) or "T", "version": "1", "description": draw(TEXT)},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": paths,
    }
    if components:
        document["components"] = {"schemas": components}
    return document


def draw(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """`count` examples of `strategy`, each drawn by hypothesis as its own example (a whole
    batch as one example would overrun hypothesis's budget for one example's data)."""
    found: list[Any] = []

    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found[:count]
