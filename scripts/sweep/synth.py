"""Values for JSON schemas: what the sweep sends as arguments and bodies.

Required properties always, optional ones when `optional` is set, read-only ones never (a
request does not carry them; with `response` set, write-only ones never instead). Order of preference for a value: `const`, `enum`, a fitting
`example`/`examples`, a fitting `default`, else one made from type, format, pattern, length
and bounds. Every `oneOf`/`anyOf` met is recorded in `sites` (pointer -> number of branches)
and `choices` picks the branch taken there (default the first), so a caller can make one
call per branch; a discriminator's property gets the tag its mapping (or the branch's name)
gives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from scripts.sweep.conform import fits
from scripts.sweep.patterns import matching
from scripts.sweep.resolve import escape, resolve

OPTIONAL_DEPTH = 4  # below this, optional properties are left out (recursive schemas)
MAX_DEPTH = 24
FORMATS: dict[str, Any] = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "email": "sweep@example.com",
    "idn-email": "sweep@example.com",
    "uri": "https://example.com/sweep",
    "url": "https://example.com/sweep",
    "uri-reference": "https://example.com/sweep",
    "iri": "https://example.com/sweep",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "c3dlZXA=",
    "binary": b"sweep",
    "duration": "P1D",
    "json-pointer": "/sweep",
    "relative-json-pointer": "0/sweep",
    "uri-template": "https://example.com/{sweep}",
    "iri-reference": "https://example.com/sweep",
    "idn-hostname": "example.com",
    "regex": "^sweep$",
}


@dataclass
class Synth:
    doc: dict[str, Any]
    optional: bool = False
    choices: dict[str, int] = field(default_factory=dict)
    sites: dict[str, int] = field(default_factory=dict)
    ambiguous: dict[str, dict[str, Any]] = field(default_factory=dict)  # oneOf sites: proof
    contradictions: dict[str, str] = field(default_factory=dict)  # allOf sites nothing fits
    response: bool = False  # a response carries readOnly properties and no writeOnly ones
    # Bracket (deepObject) encoding has no form for `{}` or `[]`: such values vanish on the
    # wire, so where it is used an object gets a property and an array an item.
    nonempty: bool = False

    def value(self, schema: Any, where: str, depth: int = 0) -> Any:
        """A value for `schema`, found at JSON pointer `where` of the document."""
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            narrowing = {k: schema[k] for k in ("const", "enum") if k in schema}  # beside $ref
            where, schema = schema["$ref"], resolve(self.doc, schema)
            if narrowing and isinstance(schema, dict):
                schema = {**schema, **narrowing}
        if not isinstance(schema, dict):
            return "sweep"
        if depth > MAX_DEPTH:
            return {} if _type(schema) == "object" else None
        if "const" in schema:
            return schema["const"]
        enum = [v for v in schema.get("enum") or [] if v is not None]
        if enum or schema.get("enum"):
            # An enum may list values its own `type` refuses (`type: number, enum: ["", 0]`):
            # the first value that fits the schema, the first of all only when none does.
            return next((v for v in enum if fits(self.doc, schema, v)), enum[0]) if enum else None
        for key in ("oneOf", "anyOf"):
            if schema.get(key):
                return _avoid_not(self.doc, schema, self._union(schema, key, where, depth))
        if schema.get("allOf"):
            return _avoid_not(self.doc, schema, self._all_of(schema, where, depth))
        picked = self._given(schema)
        if picked is not _NONE:
            return picked
        value = self._by_type(schema, _type(schema), where, depth)
        return _avoid_not(self.doc, schema, value)

    def _given(self, schema: dict[str, Any]) -> Any:
        """A scalar example or default that fits the schema, else _NONE."""
        if _type(schema) in ("object", "array") or schema.get("format") == "binary":
            return _NONE
        examples = schema.get("examples")
        candidates = [schema["example"]] if "example" in schema else []
        candidates += examples if isinstance(examples, list) else []
        candidates += [schema["default"]] if "default" in schema else []
        for candidate in candidates:
            if candidate is not None and fits(self.doc, schema, candidate):
                return candidate
        return _NONE

    def _union(self, schema: dict[str, Any], key: str, where: str, depth: int) -> Any:
        branches = schema[key]
        site = f"{where}/{key}"
        self.sites.setdefault(site, len(branches))
        index = self.choices.get(site, 0) % len(branches)
        value = self._branch(schema, key, site, index, depth)
        others = self._also_fit(branches, index, value) if key == "oneOf" else []
        if others:  # with (or without) the optional fields the branches may differ
            self.optional = not self.optional
            try:
                other = self._branch(schema, key, site, index, depth)
            finally:
                self.optional = not self.optional
            fewer = self._also_fit(branches, index, other)
            if len(fewer) < len(others):
                value, others = other, fewer
        if others:
            self.ambiguous[site] = {"branch": index, "also_fits": others, "value": value}
        return value

    def _branch(self, schema: dict[str, Any], key: str, site: str, index: int, depth: int) -> Any:
        branch = schema[key][index]
        rest = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
        target = resolve(self.doc, branch)
        if rest.get("properties") and isinstance(target, dict) and not _composed(target):
            # `{properties..., oneOf: [{required: [a]}, ...]}`: the branch picks among the
            # siblings' properties, so it is read together with them.
            value = self.value(_with_siblings(rest, target), f"{site}/{index}", depth + 1)
        else:
            value = self.value(branch, f"{site}/{index}", depth + 1)
        if isinstance(value, dict) and (rest.get("properties") or rest.get("allOf")):
            base = self.value(rest, site.rsplit("/", 1)[0], depth + 1)
            value = {**base, **value} if isinstance(base, dict) else value
        tag = _discriminator_tag(self.doc, schema.get("discriminator"), branch)
        if tag is not None and isinstance(value, dict):
            value[tag[0]] = tag[1]
        return _avoid_not(self.doc, schema, value)

    def _also_fit(self, branches: list[Any], index: int, value: Any) -> list[int]:
        """The other oneOf branches `value` fits: more than one makes the oneOf fail."""
        return [i for i, b in enumerate(branches) if i != index and fits(self.doc, b, value)]

    def _all_of(self, schema: dict[str, Any], where: str, depth: int) -> Any:
        merged, unions = _merge_all_of(self.doc, schema)
        clash = _type_clash(self.doc, schema)
        if clash:
            self.contradictions[f"{where}/allOf"] = clash
        if _type(merged) != "object" and not merged.get("properties"):
            if unions:  # a scalar constrained by a union part: the union decides
                index, part = unions[0]
                return self.value(part, f"{where}/allOf/{index}", depth + 1)
            return self.value(merged, where, depth + 1)
        value = self._object(merged, where, depth)
        for index, part in unions:
            extra = self.value(part, f"{where}/allOf/{index}", depth + 1)
            if isinstance(extra, dict):
                value.update(extra)
        tag = _inherited_tag(merged.get("discriminator"), where)
        if tag is not None:
            value[tag[0]] = tag[1]
        return value

    def _by_type(self, schema: dict[str, Any], kind: str, where: str, depth: int) -> Any:
        if kind == "object":
            return self._object(schema, where, depth)
        if kind == "array":
            return self._array(schema, where, depth)
        if kind in ("integer", "number"):
            return number(schema, integer=kind == "integer")
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return string(schema)

    def _object(self, schema: dict[str, Any], where: str, depth: int) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        out: dict[str, Any] = {}
        for name, sub in properties.items():
            wanted = name in required or self.optional and depth < OPTIONAL_DEPTH
            hidden = resolve(self.doc, sub).get("writeOnly" if self.response else "readOnly")
            if wanted and not hidden:
                out[name] = self.value(sub, f"{where}/properties/{escape(name)}", depth + 1)
        extra = schema.get("additionalProperties")
        for name in sorted(required - set(properties)):
            out[name] = self.value(extra, f"{where}/additionalProperties", depth + 1) \
                if isinstance(extra, dict) else "sweep"
        self._conditional(schema, out, where, depth)
        if not out and self.nonempty:
            for name, sub in properties.items():
                if not resolve(self.doc, sub).get("writeOnly" if self.response else "readOnly"):
                    out[name] = self.value(sub, f"{where}/properties/{escape(name)}", depth + 1)
                    break
        wanted_extra = max(schema.get("minProperties", 0) - len(out), 0)
        # A map is given one entry when optional fields are, and in forms where it would be
        # empty: an empty object has no bracket form (`name=` is what the client sends).
        if (self.optional or self.nonempty and not out) and not properties and isinstance(extra, dict) and extra:
            wanted_extra = max(wanted_extra, 1)
        for index in range(wanted_extra):
            out[f"key{index}"] = self.value(extra, f"{where}/additionalProperties", depth + 1) \
                if isinstance(extra, dict) else "sweep"
        return out

    def _conditional(self, schema: dict[str, Any], out: dict[str, Any], where: str, depth: int) -> None:
        """`if`/`then`/`else`: what the branch the value takes requires is added."""
        if "if" not in schema:
            return
        key = "then" if fits(self.doc, schema["if"], out) else "else"
        branch = resolve(self.doc, schema.get(key))
        if not isinstance(branch, dict):
            return
        own = branch.get("properties") or {}
        for name in branch.get("required") or []:
            if name not in out:
                sub, at = (own[name], f"{where}/{key}/properties/{escape(name)}") if name in own else \
                    ((schema.get("properties") or {}).get(name, {}), f"{where}/properties/{escape(name)}")
                out[name] = self.value(sub, at, depth + 1)

    def _array(self, schema: dict[str, Any], where: str, depth: int) -> list[Any]:
        low = schema.get("minItems", 0)
        count = low if depth >= OPTIONAL_DEPTH and not self.nonempty else max(low, 1)
        count = min(count, schema.get("maxItems", count))
        items = schema.get("items", {})
        made = [self.value(items, f"{where}/items", depth + 1) for _ in range(count)]
        if schema.get("uniqueItems") and len(made) > 1:
            made = _distinct(self.doc, items, made)
        return made


_NONE = object()


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        real = [k for k in kind if k != "null"]
        kind = real[0] if real else "null"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    if any(k in schema for k in ("minimum", "maximum", "multipleOf")):
        return "number"
    return "string"


def _merge_all_of(doc: dict[str, Any], schema: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[int, Any]]]:
    """allOf parts merged into one schema; parts holding a union are returned apart."""
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    properties, required = dict(schema.get("properties") or {}), list(schema.get("required") or [])
    unions = []
    for index, raw in enumerate(schema["allOf"]):
        part = resolve(doc, raw)
        if not isinstance(part, dict):
            continue
        if part.get("allOf"):
            part, nested = _merge_all_of(doc, part)
            unions += nested
        if part.get("oneOf") or part.get("anyOf"):
            unions.append((index, raw))
            continue
        for key, val in part.items():
            if key == "properties":
                properties.update(val or {})
            elif key == "required":
                required += [r for r in val or [] if r not in required]
            else:
                merged.setdefault(key, val)
    if properties:  # only then: an empty `properties` would make a scalar look like an object
        merged["properties"] = properties
    if required:
        merged["required"] = required
    return merged, unions


def _discriminator_tag(doc: dict[str, Any], discriminator: Any, branch: Any) -> tuple[str, Any] | None:
    """(property, tag) for the branch taken: the mapping's key naming it, else its own enum or
    const for the property, else its component name (the implicit mapping)."""
    if not isinstance(discriminator, dict) or not isinstance(branch, dict):
        return None
    prop = discriminator.get("propertyName")
    ref = branch.get("$ref")
    if not isinstance(prop, str) or not isinstance(ref, str):
        return None
    for tag, target in (discriminator.get("mapping") or {}).items():
        if target == ref or ref.rsplit("/", 1)[-1] == target:
            return prop, tag
    target = resolve(doc, branch)
    if isinstance(target, dict) and (target.get("oneOf") or target.get("anyOf")):
        return None  # a union itself: the branch it takes in turn says its tag
    own = resolve(doc, (target.get("properties") or {}).get(prop, {}))
    choices = [own, *((own.get("anyOf") or []) + (own.get("oneOf") or []))] if isinstance(own, dict) else []
    if any(isinstance(c, dict) and ("const" in c or c.get("enum")) for c in choices):
        return None  # the branch lists its own tag (also as `anyOf: [{enum: [x]}, null]`)
    return prop, ref.rsplit("/", 1)[-1]


def _composed(schema: dict[str, Any]) -> bool:
    return any(schema.get(k) for k in ("allOf", "oneOf", "anyOf", "$ref"))


def _with_siblings(rest: dict[str, Any], branch: dict[str, Any]) -> dict[str, Any]:
    required = list(rest.get("required") or [])
    required += [r for r in branch.get("required") or [] if r not in required]
    return {**rest, **branch, "properties": {**rest["properties"], **(branch.get("properties") or {})},
            "required": required}


def _avoid_not(doc: dict[str, Any], schema: dict[str, Any], value: Any) -> Any:
    """`not: {required: [a, b]}` and the like: drop optional properties until it holds."""
    forbidden = schema.get("not")
    if not isinstance(forbidden, dict) or not isinstance(value, dict) or not fits(doc, forbidden, value):
        return value
    required = set(schema.get("required") or [])
    for name in reversed(list(value)):
        if name not in required:
            trimmed = {k: v for k, v in value.items() if k != name}
            if not fits(doc, forbidden, trimmed):
                return trimmed
    return value


def _type_clash(doc: dict[str, Any], schema: dict[str, Any]) -> str:
    """allOf parts whose `type`s have nothing in common (integer counts as a number)."""
    allowed: set[str] | None = None
    for raw in schema.get("allOf") or []:
        kind = resolve(doc, raw).get("type") if isinstance(resolve(doc, raw), dict) else None
        if kind is None:
            continue
        kinds = set(kind if isinstance(kind, list) else [kind])
        kinds |= {"integer"} if "number" in kinds else set()
        allowed = kinds if allowed is None else allowed & kinds
    if allowed is not None and not allowed:
        return "its allOf parts require types with nothing in common"
    return ""


def _inherited_tag(discriminator: Any, where: str) -> tuple[str, str] | None:
    """A discriminator on an allOf parent: a component inheriting it sends its own tag."""
    if not isinstance(discriminator, dict) or not isinstance(discriminator.get("propertyName"), str):
        return None
    if not where.startswith("#/components/schemas/") or where.count("/") != 3:
        return None
    for tag, target in (discriminator.get("mapping") or {}).items():
        if target in (where, where.rsplit("/", 1)[-1]):
            return discriminator["propertyName"], tag
    return discriminator["propertyName"], where.rsplit("/", 1)[-1]


def _distinct(doc: dict[str, Any], items: Any, made: list[Any]) -> list[Any]:
    """uniqueItems: enum members in turn, other pattern variants, else told apart by a suffix."""
    schema = resolve(doc, items) if isinstance(items, dict) else {}
    schema = schema if isinstance(schema, dict) else {}
    enum = schema.get("enum")
    if enum and len(enum) >= len(made):
        return list(enum[: len(made)])
    out: list[Any] = []
    for index, item in enumerate(made):
        if isinstance(item, str) and isinstance(schema.get("pattern"), str):
            for variant in range(index, index + 8):
                candidate = matching(schema["pattern"], schema.get("minLength", 0),
                                     schema.get("maxLength"), variant=variant)
                if candidate is not None and candidate not in out:
                    item = candidate
                    break
        elif isinstance(item, str):
            item = item + str(index) if index else item
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            item = item + index * (schema.get("multipleOf") or 1)
        out.append(item)
    return out


def string(schema: dict[str, Any]) -> Any:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    fmt = schema.get("format")
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        made = matching(pattern, low, high)
        if made is not None:
            return made
    if fmt in FORMATS:
        return FORMATS[fmt]
    text = "sweep"
    if len(text) < low:
        text += "x" * (low - len(text))
    return text[:high] if high is not None else text


def number(schema: dict[str, Any], *, integer: bool) -> int | float:
    """The smallest sensible value within the bounds: 1 when allowed, else the lower end."""
    low, high = schema.get("minimum"), schema.get("maximum")
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    step = schema.get("multipleOf")
    tiny = 1 if integer else (step or 0.5)
    if ex_low is True and isinstance(low, (int, float)):
        low = low + tiny
    elif isinstance(ex_low, (int, float)) and not isinstance(ex_low, bool):
        low = ex_low + tiny if low is None else max(low, ex_low + tiny)
    if ex_high is True and isinstance(high, (int, float)):
        high = high - tiny
    elif isinstance(ex_high, (int, float)) and not isinstance(ex_high, bool):
        high = ex_high - tiny if high is None else min(high, ex_high - tiny)
    value: float = 1 if (low is None or low <= 1) and (high is None or high >= 1) else (
        low if low is not None else high)
    if isinstance(step, (int, float)) and step > 0:
        value = math.ceil(value / step) * step
        if high is not None and value > high:
            value = math.floor(high / step) * step
    return math.ceil(value) if integer else float(value)
