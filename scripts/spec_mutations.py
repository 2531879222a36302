"""Change an OpenAPI document in many places at once, and say what each change should read as.

For `clientgen diff`'s large test (tests/test_diff_large.py) and for trying it on a corpus
document by hand:

    python -m scripts.spec_mutations IN.yaml OUT_DIR   # writes OUT_DIR/{old,new}/<stem>.json
    clientgen diff OUT_DIR/old/<stem>.json OUT_DIR/new/<stem>.json

Every n-th item of a kind is changed, in document order, so a run is reproducible. The
counts returned are what a reader of the two documents expects, kind by kind. A change made
to a schema that other schemas include (`allOf`) or to an operation with inline schemas
shows up in more places than counted here; the large test uses a document without those.
"""

from __future__ import annotations

import copy
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
COMPOSED = ("allOf", "oneOf", "anyOf")


def mutate(doc: dict[str, Any]) -> Counter[str]:
    """Edit `doc` in place; the number of changes of each kind made."""
    counts: Counter[str] = Counter()
    _operations(doc, counts)
    schemas = doc.get("components", {}).get("schemas", {})
    _objects(schemas, counts)
    _enums(schemas, counts)
    return counts


def _operations(doc: dict[str, Any], counts: Counter[str]) -> None:
    gets = [(path, op) for path, item in doc.get("paths", {}).items() if isinstance(item, dict)
            for method, op in item.items() if method == "get" and isinstance(op, dict)]
    for index, (path, op) in enumerate(gets):
        if index % 10 == 9:
            del doc["paths"][path]["get"]
            counts["operation-removed"] += 1
        elif index % 9 == 4:
            op["operationId"] = f"renamedOperation{index}"
            counts["operation-renamed"] += 1
        elif index % 8 == 3:
            optional = [p for p in op.get("parameters", []) if isinstance(p, dict) and "$ref" not in p
                        and p.get("in") == "query" and not p.get("required")]
            if optional:
                optional[0]["required"] = True
                counts["parameter-required"] += 1
        elif index % 11 == 5:
            added = {"name": f"addedFilter{index}", "in": "query", "required": True, "schema": {"type": "string"}}
            op["parameters"] = [*op.get("parameters", []), added]
            counts["parameter-added"] += 1


def _objects(schemas: dict[str, Any], counts: Counter[str]) -> None:
    objects = [s for s in schemas.values() if isinstance(s, dict) and s.get("type") == "object"
               and isinstance(s.get("properties"), dict) and s["properties"]
               and not any(k in s for k in COMPOSED)]
    for index, schema in enumerate(objects):
        props: dict[str, Any] = schema["properties"]
        required = schema.get("required", [])
        optional = [name for name in props if name not in required]
        if index % 6 == 0:
            props[f"addedField{index}"] = {"type": "string"}
            counts["field-added"] += 1
        elif index % 13 == 1 and optional and len(props) > 1:  # an empty object is no class
            del props[optional[-1]]
            counts["field-removed"] += 1
        elif index % 17 == 2:
            plain = [n for n in optional if props[n] == {"type": "string"} or set(props[n]) == {"type", "description"}
                     and props[n]["type"] == "string"]
            if plain:
                props[plain[0]] = {"type": "integer"}
                counts["field-type"] += 1
        elif index % 5 == 3 and optional:
            schema["required"] = [*required, optional[0]]
            counts["field-required"] += 1


def _enums(schemas: dict[str, Any], counts: Counter[str]) -> None:
    for schema in schemas.values():
        values = schema.get("enum") if isinstance(schema, dict) else None
        if schema.get("type") == "string" and isinstance(values, list) and len(values) >= 3:
            schema["enum"] = values[:-1]
            counts["enum-values-removed"] += 1


def write_pair(source: Path, out: Path) -> tuple[Path, Path, Counter[str]]:
    """`out/old/<stem>.json` (the document as read) and `out/new/<stem>.json` (mutated)."""
    with source.open("rb") as handle:
        doc = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    changed = copy.deepcopy(doc)
    counts = mutate(changed)
    paths = []
    for side, data in (("old", doc), ("new", changed)):
        (out / side).mkdir(parents=True, exist_ok=True)
        path = out / side / f"{source.stem}.json"
        path.write_text(json.dumps(data, indent=1, default=str))
        paths.append(path)
    return paths[0], paths[1], counts


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    old, new, counts = write_pair(Path(argv[0]), Path(argv[1]))
    print(f"{old}\n{new}")
    for kind, count in sorted(counts.items()):
        print(f"{kind}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
