"""Show a document valid piece by piece, skipping the pieces an earlier run found valid.

openapi-pydantic validates a 4 MB document in a few tenths of a second; after an edit to one
schema, all but one piece are as they were. The document's models have no validator that
looks across fields, so a document is valid exactly when each of its path items and
component schemas is valid as its field's type and the rest of it (those replaced by `{}`,
which both types accept) is valid too. A piece found valid is kept by the digest of its
JSON text. Only a verdict of valid is given here: anything else (an invalid piece, an
unexpected shape) answers False, and the caller validates the whole document as before, so
its errors are reported exactly as they were.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from typing import Any, get_args, get_origin

from generator import memo

# Fewer pieces than this: validating the whole document is as quick.
MIN_PIECES = 200


def valid(model: Any, data: dict[str, Any], origin: str) -> bool:
    """Whether `data` is a valid `model` (openapi-pydantic's OpenAPI), shown in pieces."""
    from pydantic import TypeAdapter, ValidationError

    skeleton, pieces = _cut(model, data)
    if len(pieces) < MIN_PIECES:
        return False
    slot = memo.key("valid", origin, model.__module__)
    payload = memo.read("valid", slot)
    try:
        known = set(marshal.loads(payload)) if payload is not None else set()
    except (ValueError, EOFError, TypeError):
        known = set()
    found: list[str] = []
    adapters: dict[str, Any] = {}
    try:
        for value_type, value in pieces:
            kind = repr(value_type)
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            digest = hashlib.sha256(f"{kind}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
            if digest not in known:
                if kind not in adapters:
                    adapters[kind] = TypeAdapter(value_type)
                adapters[kind].validate_python(value)
            found.append(digest)
        model.model_validate(skeleton)
    except (ValidationError, TypeError, ValueError, RecursionError):
        return False
    memo.write("valid", slot, marshal.dumps(sorted(set(found))))
    return True


def _cut(model: Any, data: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[Any, Any]]]:
    """The document with its path items and component schemas emptied, and those pieces
    with the type each is validated as."""
    skeleton = dict(data)
    pieces: list[tuple[Any, Any]] = []
    paths, path_type = data.get("paths"), _value_type(model.model_fields["paths"].annotation)
    if isinstance(paths, dict) and path_type is not None:
        pieces += [(path_type, item) for item in paths.values()]
        skeleton["paths"] = {key: {} for key in paths}
    components = data.get("components")
    components_model = _model_of(model.model_fields["components"].annotation)
    if isinstance(components, dict) and components_model is not None:
        schemas = components.get("schemas")
        schema_type = _value_type(components_model.model_fields["schemas"].annotation)
        if isinstance(schemas, dict) and schema_type is not None:
            pieces += [(schema_type, schema) for schema in schemas.values()]
            skeleton["components"] = {**components, "schemas": {key: {} for key in schemas}}
    return skeleton, pieces


def _value_type(annotation: Any) -> Any:
    """X of `dict[str, X]` or `Optional[dict[str, X]]`; None for anything else."""
    for candidate in (annotation, *get_args(annotation)):
        if get_origin(candidate) is dict:
            return get_args(candidate)[1]
    return None


def _model_of(annotation: Any) -> Any:
    """The model class of `Model` or `Optional[Model]`; None for anything else."""
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and hasattr(candidate, "model_fields"):
            return candidate
    return None
