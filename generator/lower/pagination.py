"""Which list operations are paginated, and how: from a stated description (an `x-pagination`
style extension, or `[tool.clientgen.pagination]`) else detected from the usual names.

Detection looks only at GET operations whose success body is a list, or an object holding
one, and reads the conventions the big APIs share: a cursor argument (`after`,
`starting_after`, `cursor`, `page_token` ...) with a next-cursor field or `has_more` and item
ids (Stripe, OpenAI, Slack), a next-page URL in the body (Django REST framework, Azure), an
`offset` or `page` argument, and a documented `Link` header (GitHub).
"""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Diagnostic, Level
from generator.ir import Paging, Param, PyType
from generator.lower.paging_config import problem, stated_paging
from generator.lower.schemas import Schemas
from generator.parse import Spec

CURSOR_PARAMS = ("starting_after", "after", "cursor", "page_token", "pagetoken", "next_token",
                 "nexttoken", "continuation_token", "continuationtoken", "start_cursor",
                 "startcursor", "page_cursor", "pagecursor", "marker", "next_cursor")
OFFSET_PARAMS = ("offset", "skip", "start")
PAGE_PARAMS = ("page", "page_number", "pagenumber", "page_num", "pageno")
LIMIT_PARAMS = ("limit", "per_page", "perpage", "page_size", "pagesize", "size", "count",
                "max_results", "maxresults", "top", "first", "num_results")
ITEM_FIELDS = ("data", "items", "results", "records", "entries", "values", "value", "list",
               "elements", "nodes", "objects", "content")
NEXT_FIELDS = ("next_cursor", "nextcursor", "next_page_token", "nextpagetoken", "next_token",
               "nexttoken", "continuation_token", "continuationtoken", "end_cursor", "endcursor",
               "next_page", "nextpage", "last_id", "lastid", "cursor", "next")
URL_FIELDS = ("next_link", "nextlink", "next_url", "nexturl", "next_page_url", "nextpageurl")
HAS_MORE_FIELDS = ("has_more", "hasmore", "has_next", "hasnext", "has_next_page",
                   "hasnextpage", "more")
# Objects the next cursor or has_more may sit in (Slack's response_metadata, GraphQL-ish page_info)
HOLDERS = ("meta", "pagination", "paging", "links", "response_metadata", "page_info", "pageinfo",
           "cursor", "page")


def _key(name: str) -> str:
    return name.lower().replace("-", "_")


class Detector:
    """Finds the paging of each operation of one client."""

    def __init__(self, spec: Spec, schemas: Schemas, root: Any, diagnostics: list[Diagnostic]) -> None:
        self.spec = spec
        self.schemas = schemas
        self.diagnostics = diagnostics
        self.stated = stated_paging(root, spec.client.name, diagnostics)

    def paging(self, path: str, method: str, op: dict[str, Any], name: str, params: tuple[Param, ...],
               returns: PyType, pointer: str) -> Paging | None:
        keys = (str(op.get("operationId")), f"{method.upper()} {path}", name)
        stated = next((self.stated[k] for k in keys if k in self.stated), None)
        if stated is None:
            stated = _extension(op)
        if isinstance(stated, bool):  # false: stated off
            return None
        if stated is None and isinstance(op.get("x-pagination"), dict):
            self._warn(pointer, f"x-pagination is not understood ({problem(op['x-pagination'])}); "
                                "detecting instead")
        body = self._success_schema(op)
        if stated is not None:
            found = _from_stated(stated, params)
        elif method != "get" or body is None:
            return None
        else:
            found = self._detect(op, params, body)
        if found is None:
            return None
        item = self._item_type(returns, found.get("items", ()))
        if item is None:
            if stated is not None:
                self._warn(pointer, "its pagination names no list of items in the response body")
            return None
        return Paging(item=item, **found)

    def _warn(self, pointer: str, message: str) -> None:
        sources = self.spec.client.sources
        self.diagnostics.append(Diagnostic(Level.WARNING, message, sources[0] if sources else None,
                                           pointer=pointer))

    def _success_schema(self, op: dict[str, Any]) -> dict[str, Any] | None:
        for status, raw in (op.get("responses") or {}).items():
            response, _ = self.spec.resolve(raw)
            if not str(status).startswith("2") or not isinstance(response, dict):
                continue
            for media_type, media in (response.get("content") or {}).items():
                if "json" in str(media_type) and isinstance(media, dict):
                    schema, _ = self.spec.resolve(media.get("schema"))
                    return schema if isinstance(schema, dict) else None
        return None

    def _properties(self, schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for part in [schema, *(schema.get("allOf") or [])]:
            part, _ = self.spec.resolve(part)
            if isinstance(part, dict):
                for key, value in (part.get("properties") or {}).items():
                    value, _ = self.spec.resolve(value)
                    if isinstance(value, dict):
                        found[str(key)] = value
        return found

    def _detect(self, op: dict[str, Any], params: tuple[Param, ...], body: dict[str, Any]) -> dict[str, Any] | None:
        query = {_key(p.wire): p for p in params if p.location == "query"}
        props = self._properties(body)
        items = _items_path(body, props)
        if items is None:
            return None
        limit = _first(query, LIMIT_PARAMS)
        found: dict[str, Any] = {"items": items, "limit": limit.name if limit else None}
        if self._documents_link(op):
            return {**found, "style": "link"}
        next_path, url = self._next_field(props)
        has_more = _field_path(props, HAS_MORE_FIELDS, self._properties)
        cursor = _first(query, CURSOR_PARAMS) or (_first(query, PAGE_PARAMS) if next_path else None)
        if has_more:
            found["has_more"] = has_more
        if next_path and (url or not cursor):
            return {**found, "style": "url", "next": next_path} if url else None
        if cursor and next_path:
            return {**found, "style": "cursor", "param": cursor.name, "next": next_path}
        if cursor and has_more and _key(cursor.wire) in ("after", "starting_after"):
            return {**found, "style": "cursor", "param": cursor.name, "item_id": ("id",)}
        numbers = {k: p for k, p in query.items() if self._numeric(op, p.wire)}
        offset, page = _first(numbers, OFFSET_PARAMS), _first(numbers, PAGE_PARAMS)
        if offset:
            return {**found, "style": "offset", "param": offset.name}
        if page:
            return {**found, "style": "page", "param": page.name, "start": self._start(op, page.wire)}
        return None

    def _schema(self, op: dict[str, Any], wire: str) -> dict[str, Any] | None:
        """The schema of the operation's own query parameter `wire` (None: not found there)."""
        for raw in op.get("parameters") or []:
            param, _ = self.spec.resolve(raw)
            if isinstance(param, dict) and param.get("name") == wire and param.get("in") == "query":
                schema, _ = self.spec.resolve(param.get("schema"))
                return schema if isinstance(schema, dict) else {}
        return None

    def _numeric(self, op: dict[str, Any], wire: str) -> bool:
        """Whether a parameter can count (an offset or page number; `start` may be a date)."""
        schema = self._schema(op, wire)
        kinds = schema.get("type") if schema is not None else "integer"
        kinds = kinds if isinstance(kinds, list) else [kinds]
        return "integer" in kinds or "number" in kinds

    def _start(self, op: dict[str, Any], wire: str) -> int:
        """The first page's number: 0 where the parameter's default or minimum says so."""
        schema = self._schema(op, wire) or {}
        return 0 if 0 in (schema.get("default"), schema.get("minimum")) else 1

    def _next_field(self, props: dict[str, dict[str, Any]]) -> tuple[tuple[str, ...] | None, bool]:
        """The body's next-page field and whether it holds a URL."""
        url = _field_path(props, URL_FIELDS, self._properties)
        if url:
            return url, True
        path = _field_path(props, NEXT_FIELDS, self._properties)
        if path is None:
            return None, False
        schema = self._leaf(props, path)
        return path, schema.get("format") in ("uri", "url", "uri-reference")

    def _leaf(self, props: dict[str, dict[str, Any]], path: tuple[str, ...]) -> dict[str, Any]:
        schema = props.get(path[0], {})
        for key in path[1:]:
            schema = self._properties(schema).get(key, {})
        return schema

    def _documents_link(self, op: dict[str, Any]) -> bool:
        for status, raw in (op.get("responses") or {}).items():
            response, _ = self.spec.resolve(raw)
            headers = response.get("headers") if isinstance(response, dict) else None
            if str(status).startswith("2") and any(str(h).lower() == "link" for h in headers or {}):
                return True
        return False

    def _item_type(self, returns: PyType, items: tuple[str, ...]) -> PyType | None:
        current: PyType | None = returns
        for key in items:
            current = self._field_type(current, key) if current else None
        return _list_item(current) if current else None

    def _field_type(self, owner: PyType, key: str) -> PyType | None:
        for member in owner.members or (owner,):
            cls = self.schemas.classes.get(member.models)
            for f in cls.fields if cls else ():
                if f.json_name == key:
                    return f.type
        return None


def _first(query: dict[str, Param], names: tuple[str, ...]) -> Param | None:
    return next((query[n] for n in names if n in query), None)




def _items_path(body: dict[str, Any], props: dict[str, dict[str, Any]]) -> tuple[str, ...] | None:
    if body.get("type") == "array" or "items" in body and not props:
        return ()
    arrays = [k for k, v in props.items() if v.get("type") == "array" or "items" in v and "type" not in v]
    for name in ITEM_FIELDS:
        for key in arrays:
            if _key(key) == name:
                return (key,)
    return (arrays[0],) if len(arrays) == 1 else None


def _field_path(props: dict[str, dict[str, Any]], names: tuple[str, ...], properties: Any) -> tuple[str, ...] | None:
    """The first field named like one of `names`, at the top or inside a holder object."""
    for name in names:
        for key, value in props.items():
            if _key(key) == name and value.get("type") != "object":
                return (key,)
    for holder, value in props.items():
        if _key(holder) in HOLDERS and value.get("type") != "array":
            inner = properties(value)
            for name in names:
                for key in inner:
                    if _key(key) == name:
                        return (holder, key)
    return None


def _list_item(tp: PyType) -> PyType | None:
    """`X` of a `list[X]` type (or of the list member of `list[X] | None`), without the
    pydantic metadata of an `Annotated[X, ...]` (a page's type argument is only a type)."""
    for member in tp.members or (tp,):
        if member.client.startswith("list[") and member.client.endswith("]"):
            models, client = (_bare(t[len("list["):-1]) for t in (member.models, member.client))
            used = frozenset(k for k in member.imports if re.search(rf"(?<![\w.]){re.escape(k)}\b", client))
            return PyType(models, client, used, member.refs)
    return None


def _bare(text: str) -> str:
    """`X` of `Annotated[X, metadata...]` (brackets and strings respected); else the text."""
    if not text.startswith("Annotated[") or not text.endswith("]"):
        return text
    depth, quote = 0, ""
    for index, char in enumerate(text[len("Annotated["):-1]):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == "," and depth == 0:
            return text[len("Annotated["):len("Annotated[") + index]
    return text


def _from_stated(stated: dict[str, Any], params: tuple[Param, ...]) -> dict[str, Any] | None:
    """A stated paging (config or extension, already in clientgen's own terms) with its
    request parameters named as the method's arguments."""
    by_wire = {p.wire: p.name for p in params}
    by_name = {p.name: p.name for p in params}
    found = dict(stated)
    for key in ("param", "limit"):
        if found.get(key) is not None:
            found[key] = by_wire.get(found[key]) or by_name.get(found[key])
    if found.get("style") in ("cursor", "offset", "page") and not found.get("param"):
        return None
    return found


def _extension(op: dict[str, Any]) -> dict[str, Any] | bool | None:
    from generator.lower.paging_config import from_extension

    return from_extension(op)
