"""JSON Schema (as OpenAPI 3.0/3.1 uses it) -> Python annotations and model definitions.

One `Schemas` object per client lowers every schema it is asked about, defines a model
class for each object schema (component or inline, named from its place), a type alias for
every other component schema, and remembers the pointer of each so a `$ref` and recursion
land on the same name.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, Level, pointer_join, pointer_parts
from generator.ir import Field, ModelClass, PyType, TypeAlias
from generator.lower import names, patterns, pytypes, tags
from generator.lower.conditions import conditions_of
from generator.lower.directions import Directions, one_way
from generator.lower.files import file_kind
from generator.lower.pytypes import ANY, BOOL, BYTES, FILE, FLOAT, INT, NONE, STR
from generator.lower.text import clean, docstring_body
from generator.parse import Spec

# format -> (strict type, type a parameter also accepts). One table, imports travel along.
STRING_FORMATS: dict[str, PyType] = {
    "uuid": pytypes.simple("_uuid.UUID", "_uuid"),
    "date-time": pytypes.simple("_dt.datetime", "_dt"),
    "date": pytypes.simple("_dt.date", "_dt"),
    "time": pytypes.simple("_dt.time", "_dt"),
    "duration": pytypes.simple("_dt.timedelta", "_dt"),
    "binary": BYTES,
    "ipv4": pytypes.simple("_ip.IPv4Address", "_ip"),
    "ipv6": pytypes.simple("_ip.IPv6Address", "_ip"),
}
PRIMITIVES: dict[str, PyType] = {
    "string": STR, "integer": INT, "number": FLOAT, "boolean": BOOL, "null": NONE,
}
STRING_CONSTRAINTS = {"pattern": "pattern", "minLength": "min_length", "maxLength": "max_length"}
NUMBER_CONSTRAINTS = {"minimum": "ge", "maximum": "le", "multipleOf": "multiple_of"}
ARRAY_CONSTRAINTS = {"minItems": "min_length", "maxItems": "max_length"}
COMPONENT_SCHEMAS = "/components/schemas/"
FALSE: dict[str, Any] = {"not": {}}  # the `false` schema, as the document is read
SEQUENCE = ("Sequence[", "]", "Sequence")  # a list's dict form: a user's list[Pet] fits too


@dataclass(frozen=True)
class _Context:
    pointer: str
    hint: str  # the class name an inline object here would get
    loose: bool = False  # parameters: no constraints, formats also accept str
    direction: str = "out"  # "in": sent by the client (readOnly fields left out)
    part: bool = False  # a multipart part (or an item of one): base64 strings are files too

    def child(self, pointer: str, hint: str) -> _Context:
        return _Context(pointer, hint, self.loose, self.direction, self.part)

    def towards(self, direction: str) -> _Context:
        return _Context(self.pointer, self.hint, self.loose, direction, self.part)

    def in_part(self, part: bool) -> _Context:
        return _Context(self.pointer, self.hint, self.loose, self.direction, part)


class Schemas:
    def __init__(self, spec: Spec, diagnostics: list[Diagnostic], multipart: frozenset[str] = frozenset()) -> None:
        self.spec = spec
        self.diagnostics = diagnostics
        self.multipart = multipart  # pointers of object schemas sent as multipart bodies
        self.names = names.Namespace(names.RESERVED_CLASS_NAMES)
        self.defined: dict[tuple[str, str], PyType] = {}  # (pointer, direction) -> its name
        self.classes: dict[str, ModelClass] = {}
        self.aliases: dict[str, TypeAlias] = {}
        self.directions = Directions(spec)
        self.uses_discriminator = False  # models.py then needs its `_discriminator` helper
        self.uses_unique_items = False  # ... and its `_unique_items` check
        self.uses_same_kind = False  # ... and its `_same_kind` check
        self.uses_known = False  # ... and `_known` (enums and consts: open in responses)
        self.uses_known_first = False  # ... and `_known_first` (plain unions of those)
        self.tagged = tags.tagged_branches(spec)  # branch pointer -> discriminator properties
        self.open_values = tags.OpenValues(spec)
        self._unknown_variant: PyType | None = None
        self._reserve_components()

    # -- definitions -------------------------------------------------------------------

    def _reserve_components(self) -> None:
        """Component names first, so inline names can never take them."""
        self._component_names: dict[str, str] = {}
        schemas = (self.spec.data.get("components") or {}).get("schemas") or {}
        for key in schemas:
            self._component_names[key] = self.names.claim(names.class_name(key))

    def define_components(self) -> None:
        schemas = (self.spec.data.get("components") or {}).get("schemas") or {}
        for key in schemas:
            self.reference(pointer_join("/components/schemas", key))

    def reference(self, pointer: str, direction: str = "out") -> PyType:
        """The annotation for the schema at `pointer`, defining it on first use.

        Towards the server ("in"), a schema with readOnly or writeOnly properties (or one
        reaching such a schema) is a model of its own: `PetInput` beside `Pet`. A nullable
        object schema (`NullableUser`, `nullable: true` or `type: [object, "null"]`) is its
        class or None wherever it is referenced.
        """
        schema = self._lookup(pointer)
        direction = self._direction(schema, direction)
        if (pointer, direction) in self.defined:
            return self._or_none(schema, self.defined[(pointer, direction)])
        component = pointer.startswith(COMPONENT_SCHEMAS) and pointer.count("/") == 3
        hint = self._component_names[pointer_parts(pointer)[-1]] if component else (
            names.class_name(_hint_from_pointer(pointer)))
        ctx = _Context(pointer, hint, direction=direction)
        if not component and not self._is_model(schema):
            return self.type_of(schema, ctx)
        name = hint if component and direction == "out" else self._claim(ctx)
        ref = pytypes.named(name)
        self.defined[(pointer, direction)] = ref
        if self._is_model(schema):
            self._define_class(name, schema, ctx)
        else:
            target = self.type_of(schema, ctx)
            self.aliases[name] = TypeAlias(name, target, _doc(schema), _request_of(ctx))
        return self._or_none(schema, ref)

    def _or_none(self, schema: Any, ref: PyType) -> PyType:
        """A class for a nullable schema is referenced as `Class | None` (an alias already
        holds its None)."""
        return pytypes.optional(ref) if self._is_model(schema) and _nullable(schema) else ref

    def _direction(self, schema: Any, direction: str) -> str:
        """"in" only where the request form differs from the response form."""
        return "in" if direction == "in" and self.directions.differs(schema) else "out"

    def _claim(self, ctx: _Context) -> str:
        """A class name for an inline schema (or a component's request form)."""
        suffix = "Input" if _request_of(ctx) else ""
        name = self.names.claim(ctx.hint + suffix)
        if suffix and name != ctx.hint + suffix:
            self.diagnostics.append(self.spec.diagnostic(
                Level.WARNING, f"the request form of {ctx.hint} is named {name}: "
                f"{ctx.hint + suffix} is taken (by a schema of that name?)", ctx.pointer))
        return name

    def _lookup(self, pointer: str) -> Any:
        from generator.parse import lookup

        value = lookup(self.spec.data, pointer)
        return value if value is not None else {}

    def _define_class(self, name: str, schema: dict[str, Any], ctx: _Context) -> None:
        """A model class; towards the server without readOnly fields, towards the client
        without writeOnly ones. Inline parts are named from `ctx.hint` (the response form's
        name), so `PetInput.owner` is a `PetOwnerInput`."""
        self.classes[name] = ModelClass(name, (), None)  # placeholder: recursion may look it up
        properties, required = self.collect_properties(schema, ctx.pointer)
        skipped = "read" if ctx.direction == "in" else "write"
        hint = name if ctx.direction == "out" else ctx.hint
        field_names = names.Namespace()
        fields, left_out, always = [], {}, []
        tag_props = self.tagged.get(ctx.pointer, frozenset())
        for json_name, (prop, prop_pointer) in properties.items():
            py_name = field_names.claim(names.field_name(json_name), "_")
            if one_way(json_name, prop, self.spec, self.directions.both_ways) == skipped:
                left_out[json_name] = py_name
                continue
            # The properties of a multipart body are its parts; a nested object's are not.
            child = ctx.child(prop_pointer, hint + names.class_name(json_name)).in_part(ctx.pointer in self.multipart)
            field = self._field(py_name, json_name, prop, child, json_name in required, json_name in tag_props)
            fields.append(field)
            if _always_sent(field, prop, self.spec, json_name in tag_props):
                always.append(py_name)
        closed = any(schema.get(key) in (False, FALSE) for key in ("additionalProperties", "unevaluatedProperties"))
        # A class both ways checks them too: only requests are held to them, at run time.
        conditions = conditions_of(self.spec, schema, ctx.pointer, tuple(fields), self.diagnostics)
        if ctx.direction == "out":
            self.classes[name] = ModelClass(name, tuple(fields), _doc(schema), always_sent=tuple(always),
                                            closed=closed, conditions=conditions)
            return
        # Drop given read-only keys, but never one that also names a field the form keeps.
        kept = {f.name for f in fields} | {f.json_name for f in fields}
        dropped = tuple(sorted((set(left_out) | set(left_out.values())) - kept))
        out = self.defined.get((ctx.pointer, "out"))
        self.classes[name] = ModelClass(name, tuple(fields), _doc(schema, tuple(left_out)), dropped,
                                        request_form=True, response_form=out.models if out else None,
                                        always_sent=tuple(always), closed=closed, conditions=conditions)

    def collect_properties(
        self, schema: dict[str, Any], pointer: str, seen: frozenset[str] = frozenset()
    ) -> tuple[dict[str, tuple[Any, str]], set[str]]:
        """Properties and required names, `allOf` parts merged in order (cycles cut)."""
        properties: dict[str, tuple[Any, str]] = {}
        required: set[str] = set()
        for index, part in enumerate(schema.get("allOf") or []):
            part_pointer = pointer_join(pointer, "allOf", index)
            resolved, ref_pointer = self.spec.resolve(part)
            target = ref_pointer or part_pointer
            if isinstance(resolved, dict) and target not in seen:
                sub_props, sub_required = self.collect_properties(resolved, target, seen | {pointer})
                properties.update(sub_props)
                required |= sub_required
        for key, prop in (schema.get("properties") or {}).items():
            properties[key] = (prop, pointer_join(pointer, "properties", key))
        required |= {r for r in schema.get("required") or [] if isinstance(r, str)}
        # `then`/`else` properties are fields too, optional: which are required depends on
        # the value (conditions.py checks that in requests).
        for branch in ("then", "else"):
            part = schema.get(branch)
            if isinstance(part, dict):
                for key, prop in (part.get("properties") or {}).items():
                    properties.setdefault(key, (prop, pointer_join(pointer, branch, "properties", key)))
        return properties, required

    def _field(
        self, py_name: str, json_name: str, schema: Any, ctx: _Context, required: bool, tag: bool = False
    ) -> Field:
        """A model field. One whose schema allows a single value (`const`, a one-member
        `enum`) defaults to it where the value is implied: required, or a discriminator."""
        annotation = self.type_of(schema, ctx)
        default = None
        fixed = tags.single_value(schema, self.spec)
        if fixed is not tags.NO_VALUE and (required or tag):
            default = repr(fixed)
        if not required:
            default = default or _default_source(self._default_target(schema), annotation) or "None"
            annotation = pytypes.optional(annotation)
        description = _description(schema)
        deprecated = isinstance(schema, dict) and schema.get("deprecated") is True
        return Field(py_name, json_name, annotation, default is None, default, description, deprecated,
                     secret=self._secret(schema))

    def _secret(self, schema: Any) -> bool:
        """A password or a write-only value: what a person types and nobody reads back."""
        resolved, _ = self.spec.resolve(schema)
        return any(
            isinstance(s, dict) and (s.get("format") == "password" or s.get("writeOnly") is True)
            for s in (schema, resolved)
        )

    def _default_target(self, schema: Any) -> Any:
        """The schema a default is checked against: `{$ref: X, default: d}` (3.1) and
        `{allOf: [{$ref: X}], default: d}` (what drf-spectacular writes) mean X's type."""
        if not isinstance(schema, dict) or "default" not in schema:
            return schema
        parts = schema.get("allOf")
        holder = schema if "$ref" in schema else parts[0] if isinstance(parts, list) and len(parts) == 1 else None
        resolved, _ = self.spec.resolve(holder) if isinstance(holder, dict) else (None, None)
        return {**resolved, "default": schema["default"]} if isinstance(resolved, dict) else schema

    def _is_model(self, schema: Any) -> bool:
        """Objects with properties (directly or through allOf) become classes."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return False
        if schema.get("oneOf") or schema.get("anyOf"):
            return False
        if schema.get("properties"):
            return True
        parts = schema.get("allOf") or []
        return len(parts) > 1 and all(self._is_object(p) for p in parts) or (
            len(parts) == 1 and bool(schema.get("properties"))
        )

    def _is_object(self, schema: Any) -> bool:
        resolved, _ = self.spec.resolve(schema)
        return isinstance(resolved, dict) and (
            "properties" in resolved or resolved.get("type") == "object" or "allOf" in resolved
        )

    # -- annotations -------------------------------------------------------------------

    def type_of(self, schema: Any, ctx: _Context) -> PyType:
        if not isinstance(schema, dict):
            return ANY if schema is not False else NONE
        if isinstance(schema.get("$ref"), str):
            if "const" in schema or isinstance(schema.get("enum"), list) and schema["enum"]:
                return self._narrowed_ref(schema, ctx)
            return self._ref(schema["$ref"], ctx)
        if schema == FALSE:  # the `false` schema: no value is valid, so only absent/None
            return NONE
        if ctx.direction == "in" and not self.directions.differs(schema):
            ctx = ctx.towards("out")  # the same types both ways: one definition serves
        base = self._base(schema, ctx)
        if _nullable(schema):
            return pytypes.optional(base)
        return base

    def _narrowed_ref(self, schema: dict[str, Any], ctx: _Context) -> PyType:
        """`{$ref: Status, const: "active"}`: the listed values narrow the referenced type
        (3.1 applies siblings of $ref; 3.0 authors write them meaning the same)."""
        resolved, _ = self.spec.resolve({"$ref": schema["$ref"]})
        kind = resolved.get("type") if isinstance(resolved, dict) else None
        narrowed = {k: v for k, v in schema.items() if k != "$ref"}
        if kind is not None and "type" not in narrowed:
            narrowed["type"] = kind
        return self.type_of(narrowed, ctx)

    def _ref(self, ref: str, ctx: _Context) -> PyType:
        if not ref.startswith("#"):
            return ANY
        target = ref[1:]
        resolved = self._lookup(target)
        if ctx.part and not ctx.loose and file_kind(resolved):
            return FILE  # a file in a part, whatever the alias says elsewhere
        if ctx.loose and not self._is_model(resolved) and not target.startswith(COMPONENT_SCHEMAS):
            return self.type_of(resolved, ctx)
        return self._subtypes(target, ctx.direction) or self.reference(target, ctx.direction)

    def _subtypes(self, pointer: str, direction: str) -> PyType | None:
        """A reference to an OpenAPI 3.0 base class, an object with a `discriminator` whose
        subtypes name it in their `allOf` (`Cat: allOf: [$ref: Pet, ...]`): the value may be
        any subtype, picked by its tag. `AnyPet`, a tagged union of the subtypes and the base
        (where the mapping names it, or without a mapping). None for other schemas."""
        base = self._lookup(pointer)
        if not pointer.startswith(COMPONENT_SCHEMAS) or not isinstance(base, dict) or not self._is_model(base):
            return None
        direction = self._direction(base, direction)
        key = (pointer + "#subtypes", direction)
        if key in self.defined:
            return self.defined[key]
        children = [c for c in tags.allof_children(self.spec, pointer) if self._is_model(self._lookup(c))]
        if not children:
            return None
        mapping = base["discriminator"].get("mapping")
        named = not isinstance(mapping, dict) or any(
            t in ("#" + pointer, pointer_parts(pointer)[-1]) for t in mapping.values())
        members = [*children, pointer] if named else children
        hint = "Any" + self._component_names[pointer_parts(pointer)[-1]]
        ctx = _Context(pointer + "/discriminator", hint, direction=direction)
        name = self._claim(ctx)
        self.defined[key] = pytypes.named(name)  # a subtype's own fields may refer back
        types = [self.reference(m, direction) for m in members]
        union = {"oneOf": [{"$ref": "#" + m} for m in members], "discriminator": base["discriminator"]}
        component = _Context(pointer, hint, direction=direction)
        tagged = self._discriminated(union, "oneOf", types, component) or pytypes.union(types)
        self.aliases[name] = TypeAlias(name, tagged, _doc(base), _request_of(ctx))
        return self.defined[key]

    def _base(self, schema: dict[str, Any], ctx: _Context) -> PyType:
        if "const" in schema:
            return self._enum(schema, [schema["const"]], ctx)
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self._enum(schema, schema["enum"], ctx)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return self._union(schema, key, ctx)
        if self._is_model(schema):
            return self._inline_class(schema, ctx)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of:
            return self._all_of(schema, all_of, ctx)
        kind = schema.get("type")
        if isinstance(kind, list):
            return pytypes.union(self._base({**schema, "type": k}, ctx) for k in kind)
        if ctx.part and not ctx.loose and file_kind(schema):
            return FILE  # a file to send (elsewhere: bytes, or base64 text)
        if kind == "array" or "items" in schema:
            return self._array(schema, ctx)
        if kind == "object" or kind is None and "additionalProperties" in schema:
            return self._map(schema, ctx)
        if kind in ("string", "integer", "number"):
            return self._scalar(kind, schema, ctx)
        return PRIMITIVES.get(kind, ANY) if isinstance(kind, str) else ANY

    def _enum(self, schema: dict[str, Any], values: list[Any], ctx: _Context) -> PyType:
        """A Literal, open in responses: `Literal["a", "b"] | str` checked by `_known`, so a
        request must use a listed value while a response may bring a new one (kept as is).
        Parameters (loose) stay a plain Literal. One that mixes booleans and numbers also
        checks kinds, since a Literal compares by == (1 would match True)."""
        found = _literal_or(schema, values)
        literals = found.literals
        if not literals:
            return found
        checks = []
        strict = found  # how a request's dict form is typed: listed values only
        if _mixes_bools_and_numbers(literals):
            self.uses_same_kind = True
            checks.append(f"_same_kind({', '.join(repr(v) for v in literals)})")
        if not ctx.loose:
            self.uses_known = True
            checks.append("_known")
            found = pytypes.union([found, *_kinds_of(literals)])
        if not checks:
            return found
        return PyType(
            f"Annotated[{found.models}, {', '.join(checks)}]",
            f"Annotated[{found.client}, {', '.join(f'models.{c}' for c in checks)}]",
            found.imports | {"Annotated"},
            dict_form=None if ctx.loose else strict,
        )

    def _inline_class(self, schema: dict[str, Any], ctx: _Context) -> PyType:
        key = (ctx.pointer, ctx.direction)
        if key in self.defined:
            return self.defined[key]
        name = self._claim(ctx)
        ref = pytypes.named(name)
        self.defined[key] = ref
        self._define_class(name, schema, ctx)
        return ref

    def _union(self, schema: dict[str, Any], key: str, ctx: _Context) -> PyType:
        branches = schema[key]
        types = [
            self.type_of(branch, ctx.child(pointer_join(ctx.pointer, key, i),
                                       f"{ctx.hint}{'Option' if key == 'oneOf' else 'Variant'}{i + 1}"))
            for i, branch in enumerate(branches)
        ]
        if key == "oneOf":
            self._warn_overlap(branches, types, ctx.pointer)
        tagged = self._discriminated(schema, key, types, ctx)
        if tagged is not None:
            return tagged
        found = pytypes.union(types)
        several = len([m for m in found.members if not m.is_none]) > 1
        if ctx.loose or not several or not any(self.open_values.reaches(b) for b in branches):
            return found
        # In a response, a member's unlisted const must not let it take another's data.
        self.uses_known_first = True
        return PyType(
            f"Annotated[{found.models}, WrapValidator(_known_first)]",
            f"Annotated[{found.client}, WrapValidator(models._known_first)]",
            found.imports | {"Annotated", "WrapValidator"},
            found.refs,
        )

    def _discriminated(self, schema: dict[str, Any], key: str, types: list[PyType], ctx: _Context) -> PyType | None:
        """A `discriminator` picks the branch by one property's value: a tagged union.

        Every branch must be an object model; its tags come from `mapping`, else its tag
        property's `const`/`enum`, else its component name (see `tags.branch_tags`). A branch
        that is a union on the same property adds its branches; branches sharing a tag share
        its `Tag`. A tag no branch lists picks `UnknownVariant` (responses only). The union is
        always a named alias (the client module refers to it by name).
        """
        prop = tags.property_name(schema)
        if prop is None:
            return None
        entries: list[tuple[PyType, list[str]]] = []
        for index, (branch, annotation) in enumerate(zip(schema[key], types)):
            flat = self._tagged_members(branch, annotation, prop, _mapping(schema),
                                        pointer_join(ctx.pointer, key, index), ctx)
            if flat is None:
                return None  # a branch with no tag: a plain union
            entries += flat
        found, members = _tag_groups(entries)
        absent = [annotation for annotation, _ in entries if not self._requires(annotation, prop)]
        without = f"(no {prop})"
        if absent:  # members that may leave the tag out are picked when it is missing
            members.append(pytypes.wrap("Annotated[", pytypes.union(absent), f", Tag({without!r})]",
                                        ("Annotated", "Tag"), form=None))
        if "" in found:
            return None  # "" is the catch-all's tag
        # A request is typed with the listed members only: the catch-all is for responses.
        requested = pytypes.union(members).dict_form
        members.append(pytypes.wrap("Annotated[", self._unknown(), ", Tag('')]", ("Annotated", "Tag"), form=None))
        function = f"_discriminator({prop!r}, {names.field_name(prop)!r}, {found!r}" + \
            (f", {without!r})" if absent else ")")
        self.uses_discriminator = True
        tagged = pytypes.wrap("Annotated[", pytypes.union(members), f", {function}]", ("Annotated",), form=None)
        tagged = dataclasses.replace(tagged, dict_form=requested)
        if ctx.pointer.startswith(COMPONENT_SCHEMAS) and ctx.pointer.count("/") == 3:
            return tagged
        name = self._claim(ctx)
        self.aliases[name] = TypeAlias(name, tagged, _doc(schema), _request_of(ctx))
        return pytypes.named(name)

    def _tagged_members(self, branch: Any, annotation: PyType, prop: str, mapping: dict[str, Any],
                        pointer: str, ctx: _Context) -> list[tuple[PyType, list[str]]] | None:
        """A branch's models with their tags. A branch that is itself a union on the same
        property (OpenAI's `InputItem` holds `Item`) gives its own branches, flattened, each
        with the tags of its union's mapping."""
        resolved, target = self.spec.resolve(branch)
        inner = next((k for k in ("oneOf", "anyOf") if isinstance(resolved, dict)
                      and isinstance(resolved.get(k), list) and resolved[k]), None)
        if inner is not None and tags.property_name(resolved) == prop:
            where = target or pointer
            component = where.startswith(COMPONENT_SCHEMAS) and where.count("/") == 3
            hint = self._component_names[pointer_parts(where)[-1]] if component else ctx.hint
            found: list[tuple[PyType, list[str]]] = []
            for index, sub in enumerate(resolved[inner]):
                at = pointer_join(where, inner, index)
                option = f"{hint}{'Option' if inner == 'oneOf' else 'Variant'}{index + 1}"
                flat = self._tagged_members(sub, self.type_of(sub, ctx.child(at, option)), prop,
                                            _mapping(resolved), at, ctx)
                if flat is None:
                    return None
                found += flat
            return found
        if annotation.members or len(annotation.refs) != 1 or annotation.models not in self.classes:
            return None
        values = tags.branch_tags(self.spec, branch, pointer, prop, mapping, self.collect_properties)
        return [(annotation, values)] if values else None

    def _requires(self, annotation: PyType, prop: str) -> bool:
        """Whether a value of the member must carry the tag property: not where the field is
        optional, or implied by its default (`type: message` filled in)."""
        model = self.classes.get(annotation.models)
        field = next((f for f in model.fields if f.json_name == prop), None) if model else None
        return field is None or field.required

    def _unknown(self) -> PyType:
        """`UnknownVariant`: the member a tag no branch lists picks; keeps every field."""
        if self._unknown_variant is None:
            name = self.names.claim("UnknownVariant")
            doc = ("A variant this client does not know (a tag the API added later): every field "
                   "is kept, reachable as attributes and in `model_extra`.")
            self.classes[name] = ModelClass(name, (), doc, unknown_variant=True)
            self._unknown_variant = pytypes.named(name)
        return self._unknown_variant

    def _warn_overlap(self, branches: list[Any], types: list[PyType], pointer: str) -> None:
        """Strict oneOf means exactly one branch matches; overlapping branches break that."""
        seen: set[str] = set()
        values: set[Any] = set()
        overlap = False
        for branch, annotation in zip(branches, types):
            resolved, _ = self.spec.resolve(branch)
            enum = resolved.get("enum") if isinstance(resolved, dict) else None
            if isinstance(enum, list):
                hashable = {v for v in enum if isinstance(v, (str, int, float, bool)) or v is None}
                overlap |= bool(values & hashable)
                values |= hashable
            elif annotation.models in seen and annotation.models not in ("Any",):
                overlap = True
            seen.add(annotation.models)
        if overlap:
            self.diagnostics.append(self.spec.diagnostic(
                Level.WARNING,
                "oneOf branches overlap (a value can match more than one); "
                "the model accepts a value that matches any branch",
                pointer_join(pointer, "oneOf"),
            ))

    def _all_of(self, schema: dict[str, Any], parts: list[Any], ctx: _Context) -> PyType:
        if len(parts) == 1:
            return self.type_of(parts[0], ctx.child(pointer_join(ctx.pointer, "allOf", 0), ctx.hint))
        if all(self._is_object(p) for p in parts):
            return self._inline_class(schema, ctx)
        # Mixed scalar constraints: the first typed part decides the type.
        return self.type_of(parts[0], ctx.child(pointer_join(ctx.pointer, "allOf", 0), ctx.hint))

    def _array(self, schema: dict[str, Any], ctx: _Context) -> PyType:
        items = schema.get("items", {})
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list) and prefix:
            return self._tuple(schema, prefix, ctx)
        item = self.type_of(items, ctx.child(pointer_join(ctx.pointer, "items"), f"{ctx.hint}Item"))
        result = pytypes.wrap("list[", item, "]", form=SEQUENCE)
        if ctx.loose:
            return result
        result = pytypes.annotated(result, _buildable(_constraints(schema, ARRAY_CONSTRAINTS), "array"))
        if schema.get("uniqueItems") is True:
            self.uses_unique_items = True
            result = PyType(
                f"Annotated[{result.models}, AfterValidator(_unique_items)]",
                f"Annotated[{result.client}, AfterValidator(models._unique_items)]",
                result.imports | {"Annotated", "AfterValidator"},
                result.refs,
                dict_form=result.dict_form,
            )
        return result

    def _tuple(self, schema: dict[str, Any], prefix: list[Any], ctx: _Context) -> PyType:
        """`prefixItems`: a tuple when nothing may follow it, else a list of any of its types
        (a Python tuple type cannot say "these first, then any number of those")."""
        types = [
            self.type_of(part, ctx.child(pointer_join(ctx.pointer, "prefixItems", i), f"{ctx.hint}Item{i + 1}"))
            for i, part in enumerate(prefix)
        ]
        # Closed (no items after the prefix): a tuple. JSON Schema would also take a shorter
        # array unless minItems says so; specs that close a prefix mean a fixed shape.
        if schema.get("items") in (False, FALSE) or schema.get("maxItems") == len(prefix):
            text_models = ", ".join(t.models for t in types)
            text_client = ", ".join(t.client for t in types)
            forms = [t.form for t in types]
            marked = PyType(
                f"tuple[{', '.join(t.models for t in forms)}]", f"tuple[{', '.join(t.client for t in forms)}]",
                frozenset().union(*(t.imports for t in forms)), frozenset().union(*(t.refs for t in forms)),
            )
            return PyType(
                f"tuple[{text_models}]", f"tuple[{text_client}]",
                frozenset().union(*(t.imports for t in types)), frozenset().union(*(t.refs for t in types)),
                dict_form=marked if any(t.dict_form for t in types) else None,
            )
        extra = schema.get("items")
        if isinstance(extra, dict):
            types.append(self.type_of(extra, ctx.child(pointer_join(ctx.pointer, "items"), f"{ctx.hint}Item")))
        elif extra is not False:
            types.append(ANY)
        return pytypes.wrap("list[", pytypes.union(types), "]", form=SEQUENCE)

    def _map(self, schema: dict[str, Any], ctx: _Context) -> PyType:
        extra = schema.get("additionalProperties", True)
        if extra is True or extra == {} or extra is False or extra == FALSE:  # FALSE: `false`, as read
            return pytypes.simple("dict[str, Any]", "Any")
        value = self.type_of(extra, ctx.child(pointer_join(ctx.pointer, "additionalProperties"), f"{ctx.hint}Value"))
        return pytypes.wrap("dict[str, ", value, "]", form=("Mapping[str, ", "]", "Mapping"))

    def _scalar(self, kind: str, schema: dict[str, Any], ctx: _Context) -> PyType:
        fmt = schema.get("format")
        if kind == "string" and fmt in STRING_FORMATS:
            strict = STRING_FORMATS[fmt]
            if strict is BYTES:
                return strict
            either = pytypes.union([strict, STR])  # the JSON text is validated as well
            return either if ctx.loose else dataclasses.replace(strict, dict_form=either)
        if kind == "integer":
            base, table = INT, NUMBER_CONSTRAINTS
        elif kind == "number":
            base, table = FLOAT, NUMBER_CONSTRAINTS
        else:
            base, table = STR, STRING_CONSTRAINTS
        if ctx.loose:
            return base
        constraints = _buildable(_constraints(schema, table) | _exclusive_bounds(schema), kind)
        if "pattern" in constraints:
            source = str(constraints["pattern"])
            if patterns.linear(patterns.rust_pattern(source)):
                constraints["pattern"] = patterns.rust_pattern(source)
            else:  # lookaround, backreferences: leading lookaheads split, else the server's
                del constraints["pattern"]
                split = patterns.split_lookaheads(source)
                if split is not None:
                    return patterns.lookaheads(pytypes.annotated(base, constraints), source, split)
                self._unchecked_pattern(source, ctx.pointer)
        return pytypes.annotated(base, constraints)

    def _unchecked_pattern(self, pattern: str, pointer: str) -> None:
        self.diagnostics.append(self.spec.diagnostic(
            Level.WARNING, f"pattern {pattern!r} cannot be checked in linear time (it needs "
            "lookaround past its start, lookbehind, backreferences or syntax Rust's regex lacks), and "
            "a backtracking engine can take exponential time on some values; the client does not "
            "check it, the server does", pointer_join(pointer, "pattern")))


def _request_of(ctx: _Context) -> str | None:
    """For a component's request form (`PetInput`, named with a suffix): its plain name."""
    return ctx.hint if ctx.direction == "in" and ctx.pointer.startswith(COMPONENT_SCHEMAS) else None


def _hint_from_pointer(pointer: str) -> str:
    parts = [p for p in pointer_parts(pointer) if p not in ("properties", "items", "schema", "content")]
    return " ".join(parts[-2:]) if parts else "Model"


def _nullable(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return (
        schema.get("nullable") is True
        or (isinstance(kind, list) and "null" in kind and len(kind) > 1)
        or (isinstance(schema.get("enum"), list) and None in schema["enum"])
    )


_LENGTHS = ("min_length", "max_length")
_INT_ROUNDING = {"ge": math.ceil, "gt": math.floor, "le": math.floor, "lt": math.ceil}


def _buildable(constraints: dict[str, object], kind: str) -> dict[str, object]:
    """The constraints as pydantic can build them, meaning the same: an integer's fractional
    bound is rounded to the integer one it implies (`maximum: 2.5` is `le=2`); a length
    beyond any real size, a negative one, and a `multipleOf` that is not a positive number
    (or not whole, for an integer) constrain nothing a model can check, and are left out."""
    found: dict[str, object] = {}
    for key, value in constraints.items():
        if key in _LENGTHS and isinstance(value, (int, float)):
            if 0 <= value < 2**63:
                found[key] = int(value)
        elif key == "multiple_of" and isinstance(value, (int, float)):
            if value > 0 and (kind != "integer" or float(value).is_integer()):
                found[key] = int(value) if kind == "integer" else value
        elif key in _INT_ROUNDING and kind == "integer" and isinstance(value, float):
            found[key] = _INT_ROUNDING[key](value)
        else:
            found[key] = value
    return found


def _literal_or(schema: dict[str, Any], values: list[Any]) -> PyType:
    kept = _distinct(values)
    if kept and all(isinstance(v, str) or isinstance(v, int) and -(2**63) <= v < 2**63 for v in kept):
        return pytypes.literal(kept)  # type checkers hold Literal integers in 64 bits
    if not kept:
        return NONE
    kind = schema.get("type")
    return PRIMITIVES.get(kind, ANY) if isinstance(kind, str) else ANY


def _distinct(values: list[Any]) -> list[Any]:
    """`values` less None and repeats, by value and kind (1 and True are different enum
    members); in linear time for the scalars enums hold (Stripe's list hundreds)."""
    kept: list[Any] = []
    seen: set[tuple[type, Any]] = set()
    for value in values:
        if value is None:
            continue
        if isinstance(value, (str, int)) or isinstance(value, float) and not math.isnan(value):
            if (type(value), value) not in seen:
                seen.add((type(value), value))
                kept.append(value)
        elif not any(v == value and type(v) is type(value) for v in kept):
            kept.append(value)
    return kept


def _kinds_of(values: tuple[object, ...]) -> list[PyType]:
    """The JSON kinds of enum values: what an unlisted value in a response may be."""
    kinds = {"bool" if isinstance(v, bool) else "int" if isinstance(v, int) else "str" for v in values}
    return [_KINDS[k] for k in ("str", "int", "bool") if k in kinds]


# Strict where pydantic would convert (2 from "2", True from 1), as the Literal itself is.
_KINDS = {"str": STR, "int": pytypes.simple("StrictInt", "StrictInt"),
          "bool": pytypes.simple("StrictBool", "StrictBool")}


def _mapping(schema: dict[str, Any]) -> dict[str, Any]:
    raw = schema["discriminator"].get("mapping")
    return raw if isinstance(raw, dict) else {}


def _tag_groups(entries: list[tuple[PyType, list[str]]]) -> tuple[dict[str, str], list[PyType]]:
    """Tag value -> the `Tag` that takes it, and the union's tagged members. Members claiming
    the same tags share one `Tag`, a union of them tried in turn (two schemas for `message`)."""
    claims: dict[str, list[int]] = {}
    for index, (_, values) in enumerate(entries):
        for value in values:
            if index not in claims.setdefault(value, []):
                claims[value].append(index)
    groups: dict[tuple[int, ...], list[str]] = {}
    for value, claimed in claims.items():
        groups.setdefault(tuple(claimed), []).append(value)
    found: dict[str, str] = {}
    members = []
    for group, values in groups.items():
        found.update((value, values[0]) for value in values)
        union = pytypes.union([entries[i][0] for i in group])
        members.append(pytypes.wrap("Annotated[", union, f", Tag({values[0]!r})]", ("Annotated", "Tag"), form=None))
    return found, members


def _always_sent(field: Field, schema: Any, spec: Spec, tag: bool) -> bool:
    """Sent even when left at its default: a discriminator (the server picks the variant
    by it) or a field whose only value is fixed (the default says it is implied)."""
    if field.default is None or field.default == "None":
        return False
    return tag or tags.single_value(schema, spec) is not tags.NO_VALUE


def _mixes_bools_and_numbers(values: tuple[object, ...]) -> bool:
    bools = any(isinstance(v, bool) for v in values)
    return bools and any(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _constraints(schema: dict[str, Any], table: dict[str, str]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, arg in table.items():
        value = schema.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) or (
            key == "pattern" and isinstance(value, str)
        ):
            found[arg] = value
    return found


def _exclusive_bounds(schema: dict[str, Any]) -> dict[str, object]:
    """3.1 gives the bound itself; 3.0 a boolean that sharpens minimum/maximum."""
    found: dict[str, object] = {}
    for key, sharp, arg in (("exclusiveMinimum", "minimum", "gt"), ("exclusiveMaximum", "maximum", "lt")):
        value = schema.get(key)
        if value is True and isinstance(schema.get(sharp), (int, float)):
            found[arg] = schema[sharp]
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            found[arg] = value
    return found


_DEFAULT_KINDS: dict[str, type | tuple[type, ...]] = {
    "string": str, "integer": int, "number": (int, float), "boolean": bool,
}


def _default_source(schema: Any, annotation: PyType) -> str | None:
    """A default only where it certainly fits the annotation (mypy checks it).

    Scalars of the schema's own type (a format that maps to another Python type, such as
    date-time, disqualifies), or a member of its enum.
    """
    if not isinstance(schema, dict) or "default" not in schema or "FileInput" in annotation.imports:
        return None
    value = schema["default"]
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(schema.get("enum"), list):  # the annotation is its Literal, or its alias
        return repr(value) if value in schema["enum"] and isinstance(value, (str, int, bool)) else None
    kinds = schema.get("type")
    kinds = [k for k in kinds if k != "null"] if isinstance(kinds, list) else [kinds]
    if len(kinds) != 1 or kinds[0] not in _DEFAULT_KINDS or schema.get("format") in STRING_FORMATS:
        return None
    expected = _DEFAULT_KINDS[kinds[0]]
    if isinstance(value, bool) and kinds[0] != "boolean":
        return None
    return repr(value) if isinstance(value, expected) else None


def _description(schema: Any) -> str | None:
    """The schema's description, with its example when it has one (for docstrings)."""
    if not isinstance(schema, dict):
        return None
    text = clean(schema.get("description"))
    examples = schema.get("examples")
    example = schema.get("example", examples[0] if isinstance(examples, list) and examples else None)
    if example is not None:
        shown = json.dumps(example, ensure_ascii=False, default=str)
        shown = shown if len(shown) <= 200 else shown[:197] + "..."
        text = f"{text}\n\nExample: {shown}" if text else f"Example: {shown}"
    return clean(text)


def _doc(schema: Any, read_only: tuple[str, ...] | None = None) -> str | None:
    """The class docstring; `read_only` is given for a request form (its left-out fields)."""
    if not isinstance(schema, dict):
        return None
    text = _description(schema) or clean(schema.get("title"))
    if read_only is not None:
        note = "As sent in requests"
        if read_only:
            shown = (n if n.isprintable() else repr(n) for n in read_only)  # one line each
            note += ", without the read-only " + ", ".join(f"`{n}`" for n in shown) + " (dropped if given)"
        text = f"{text}\n\n{note}." if text else f"{note}."
    return docstring_body(text) if text else None
