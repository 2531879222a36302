"""Every identifier that reaches generated code is made here.

Spec text is untrusted: names are reduced to ASCII identifier characters, kept clear of
keywords, builtins and the generated modules' own names, and deduplicated in a stable order.
"""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata
from functools import lru_cache

# Names a model class must not take: they are imported or defined in models.py.
RESERVED_CLASS_NAMES = frozenset(
    {"Any", "Annotated", "Literal", "TypeAlias", "BaseModel", "ConfigDict", "Field", "Model",
     "Discriminator", "Tag", "ClassVar", "AfterValidator", "BeforeValidator", "TYPE_CHECKING",
     "WrapValidator", "ValidationError", "ValidationInfo", "ValidatorFunctionWrapHandler", "Self",
     "StrictInt", "StrictBool", "GetCoreSchemaHandler", "FileInput", "Lookaheads",
     "TypedDict", "NotRequired", "Sequence", "Mapping"}
)
# Attributes of pydantic's BaseModel (and builtins used in annotations): a field named like
# one would shadow it.
RESERVED_FIELD_NAMES = frozenset(
    {
        "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw",
        "schema", "schema_json", "update_forward_refs", "validate", "fields", "model_config",
        "model_fields", "model_computed_fields", "model_extra", "model_fields_set",
        "model_construct", "model_copy", "model_dump", "model_dump_json", "model_json_schema",
        "model_parametrized_name", "model_post_init", "model_rebuild", "model_validate",
        "model_validate_json", "model_validate_strings",
        # builtins that generated annotations use
        "str", "int", "float", "bool", "bytes", "list", "tuple",
    }
)
# Method names Client and AsyncClient already have (attributes too), and the names their
# class bodies use: a method defined earlier would shadow them for the methods after it.
RESERVED_METHOD_NAMES = frozenset({
    "close", "aclose", "with_raw_response", "with_streaming_response", "with_options",
    "base_url", "max_retries",
    "models", "httpx", "os", "errors", "overload", "cache", "deprecated",
    "str", "int", "float", "bool", "bytes", "list", "dict", "tuple",
})
# Keyword arguments every generated method takes.
# The method body refers only to `self` and module names that start with an underscore.
RESERVED_ARGUMENT_NAMES = frozenset(
    {"self", "timeout", "extra_headers", "extra_query", "extra_body", "max_retries", "body"}
)
# Keyword arguments of the Client constructors, and the lowercase names their body uses.
RESERVED_CONSTRUCTOR_NAMES = RESERVED_ARGUMENT_NAMES | {
    "base_url", "http_client", "default_headers", "os", "httpx", "super", "str", "int",
}

# an acronym's plural is one word (`APIs`, `userIDs`), an acronym before a capitalised word
# another (`HTTPResponse`)
_WORD = re.compile(r"[A-Z]{2,}[0-9]*s(?![a-z])|[A-Z]+[0-9]*(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+[a-z]*")


def ascii_words(text: str) -> list[str]:
    """Split any text into ASCII words: `taskId`, `task-id`, `Task ID` -> task, id."""
    return list(_words(text))


@lru_cache(maxsize=1 << 16)  # the same property names recur across a large API's schemas
def _words(text: str) -> tuple[str, ...]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return tuple(_WORD.findall(plain))


@lru_cache(maxsize=1 << 16)
def snake(text: str) -> str:
    return "_".join(w.lower() for w in _words(text))


@lru_cache(maxsize=1 << 16)
def pascal(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in _words(text))


def _identifier(name: str, fallback: str, prefix: str) -> str:
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{prefix}{name}"
    if keyword.iskeyword(name):  # soft keywords (match, type) are valid names
        name += "_"
    return name


def field_name(json_name: str) -> str:
    name = _identifier(snake(json_name), "field", "field_")
    return name + "_" if name in RESERVED_FIELD_NAMES or name.startswith("model_") else name


def class_name(text: str) -> str:
    name = _identifier(pascal(text), "Model", "Model")
    return name + "Model" if name in RESERVED_CLASS_NAMES else name


def argument_name(json_name: str) -> str:
    name = _identifier(snake(json_name), "arg", "arg_")
    return name + "_" if name in RESERVED_ARGUMENT_NAMES else name


def method_name(text: str) -> str:
    name = _identifier(snake(text), "call", "call_")
    return name + "_" if name in RESERVED_METHOD_NAMES else name


# Top-level names a client package must not take: installed or put on sys.path, it would
# hide the module of that name from every program (`json`, `typing`, `httpx`, `test`).
SHADOWED_MODULES = frozenset(sys.stdlib_module_names) | {
    "httpx", "pydantic", "pydantic_core", "typing_extensions", "anyio", "h11", "httpcore",
    "idna", "certifi", "sniffio", "annotated_types", "generator", "generated", "test", "tests",
}


def package_name(text: str) -> str:
    """A client's package name; one that shadows a module gets `_api` (`json_api`)."""
    name = _identifier(snake(text), "client", "client_")
    return f"{name}_api" if name in SHADOWED_MODULES else name


def env_prefix(package: str) -> str:
    return package.upper()


class Namespace:
    """Hands out unique names in request order: `Name`, `Name2`, `Name3` ...

    Uniqueness is case-insensitive so that `active` and `ACTIVE` cannot end up as two
    names that differ only in case (confusing, and fatal on case-insensitive file systems).
    """

    def __init__(self, taken: frozenset[str] | set[str] = frozenset()) -> None:
        self._taken = {t.lower() for t in taken}

    def available(self, name: str) -> bool:
        return name.lower() not in self._taken

    def claim(self, name: str, separator: str = "") -> str:
        candidate, index = name, 1
        while candidate.lower() in self._taken:
            index += 1
            candidate = f"{name}{separator}{index}"
        self._taken.add(candidate.lower())
        return candidate


def is_machine_operation_id(operation_id: str, path: str = "", method: str = "") -> bool:
    """FastAPI-style ids (`Delete_Task_v1_tasks__task_id__delete`) are made from the path.

    They join the function name, the path (each non-word character an underscore) and the
    method, so they hold a double underscore (path parameters, trailing slashes), end in the
    operation's own path and method (`login_login_post` for POST /login), or end in
    `_<method>` after several words; `create_post` is a human id.
    """
    if "__" in operation_id:
        return True
    made = re.sub(r"\W", "_", path) + "_" + method.lower()
    if path and method and operation_id.endswith(made) and len(operation_id) > len(made):
        return True
    suffix = re.search(r"_(get|put|post|delete|patch|head|options|trace)$", operation_id)
    return bool(suffix) and operation_id.count("_") >= 3


def fastapi_function(operation_id: str, path: str, method: str) -> str | None:
    """The function name inside a FastAPI id: `read_item` of `read_item_items__item_id__get`
    for GET /items/{item_id} (FastAPI joins the name, the path with every non-word character
    an underscore, and the method). None when the id is not made that way."""
    made = re.sub(r"\W", "_", path) + "_" + method.lower()
    if operation_id.endswith(made) and len(operation_id) > len(made):
        name = operation_id[: -len(made)]
        return name if snake(name) else None
    return None


# Client members a resource attribute or a Client method must not take (the generated
# client's own attributes, and those per-request options may add).
CLIENT_MEMBERS = frozenset({
    "with_options", "copy", "timeout", "default_headers", "http_client", "resources",
})
# Path segments that name no resource: version and API prefixes (`/v1`, `/api`, `/2020-01-01`).
_PREFIX_SEGMENT = re.compile(r"(v\d+([._-]?\d+)*([._-]?(alpha|beta)\d*)?|api|rest|\d[\d._-]*)", re.IGNORECASE)


def path_resource(path: str) -> str | None:
    """The first path segment that names something: not a parameter, version or `api`."""
    for segment in path.split("/"):
        if not segment or "{" in segment or _PREFIX_SEGMENT.fullmatch(segment):
            continue
        return snake(segment) or None
    return None


def _plural_of(word: str, other: str) -> bool:
    """Whether `word` is `other` with an English plural ending (pets, addresses, policies)."""
    if word in (other + "s", other + "es"):
        return True
    return other.endswith("y") and word == other[:-1] + "ies"


def _same_word(a: str, b: str) -> bool:
    return a == b or _plural_of(a, b) or _plural_of(b, a)


def same_name(a: str, b: str) -> bool:
    """Whether two snake names are the same words, the last one singular or plural
    (`vector_stores`, `vector_store`), also written as one (`custompages`, `custom_pages`)."""
    left, right = a.split("_"), b.split("_")
    if len(left) == len(right) and all(_same_word(x, y) for x, y in zip(left, right)):
        return True
    return len(left) != len(right) and _same_word("".join(left), "".join(right))


# Words that only join others: left at the end (or before another) once the resource's words
# are dropped, they dangle (`submit_tool_outputs_to_run` in `runs`: `submit_tool_outputs`).
_JOINING = frozenset({"to", "for", "of", "from", "by", "with", "into", "onto", "via", "per", "in", "on",
                      "a", "an", "the"})
# ... except right after the first word, where they make a verb of it (`sign_in`, `opt_in`).
_PARTICLES = frozenset({"in", "on"})


def strip_resource(method: str, resource: str) -> str:
    """`list_pets` in `pets` -> `list`: the method's name without the resource's words
    (every run of them, singular or plural), and without the joining words (`to`, `for`,
    `the` ...) that then dangle; the name itself when nothing would be left."""
    words, drop = method.split("_"), resource.split("_")
    tokens: list[tuple[str, bool]] = []  # (word, dropped as the resource's)
    index = 0
    while index < len(words):
        run = words[index:index + len(drop)]
        if len(run) == len(drop) and all(_same_word(a, b) for a, b in zip(run, drop)):
            tokens.append(("", True))
            index += len(drop)
            continue
        tokens.append((words[index], False))
        index += 1
    stripped = "_".join(w for w in _undangled(tokens) if w)
    return stripped or method


def _undangled(tokens: list[tuple[str, bool]]) -> list[str]:
    """The kept words less a joining word whose resource words were dropped and that now
    ends the name or stands before another joining word (`get_x_for_run_by_id`: `by`)."""
    kept: list[str] = []
    gap, ends = False, True  # a dropped run follows; what follows is the end or a joining word
    for position in range(len(tokens) - 1, -1, -1):
        word, dropped = tokens[position]
        if dropped:
            gap = True
            continue
        particle = word in _PARTICLES and position == 1
        if gap and ends and word in _JOINING and not particle:
            continue
        kept.append(word)
        gap, ends = False, word in _JOINING
    return kept[::-1]


def import_order(name: str) -> tuple[int, list[object], str]:
    """ruff's (isort) order for the names of one `from ... import`: like `__all__`, but
    without regard to case."""
    group, _ = export_order(name)
    parts: list[object] = [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name.lower()) if p]
    return group, parts, name


def export_order(name: str) -> tuple[int, list[object]]:
    """ruff's (isort-style) order for `__all__`: CONSTANTS, Classes, others; natural sort."""
    group = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    parts: list[object] = [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name) if p]
    return group, parts
