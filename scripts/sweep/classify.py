"""What a call's outcome says about the client.

    ok                 the documented outcome: a 2xx returned parsed, an error status raised
                       its errors.APIStatusError subclass with the body parsed as documented
    request-rejected   Prism found the request breaks the spec (sl-violations or its own
                       problem+json for 401/404/405/406/415/422)
    response-rejected  the client refused a body Prism reports schema-valid (no response
                       violations), or left a valid error body unparsed
    parameter-refused  errors.ParameterError or TypeError before anything was sent
    crash              any other exception (or the wrong one, or none on an error status)
    spec-fault         the client rejected a response Prism itself flags, and that response
                       is the spec's own example; or the request schema has allOf parts of
                       types with nothing in common: the spec contradicts itself (proof kept);
                       or every security requirement needs two schemes sent in one header;
                       or the request misses only required properties the schema marks
                       readOnly (which clients leave out; 3.1 keeps them required)
    prism-fault        the client rejected a response Prism made up and flags itself; Prism
                       failed to mock or crashed (proof: its problem or log); Prism refused
                       multipart fields sent as OpenAPI says, an array as repeated parts or an
                       object as a JSON part, because it reads every part as text unless the
                       `encoding` gives a style (proof: the parts sent and its message)
    ambiguous          Prism refused a oneOf value that fits several branches (with or without
                       a discriminator, which Prism does not use): the sweep found no value
                       telling them apart. Its limit, not the client's (proof kept)
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx

from scripts.prism import violations
from scripts.sweep.resolve import escape, resolve

PRISM_PROBLEM = "https://stoplight.io/prism/errors#"
PRISM_UNSUPPORTED = "We currently do not support"  # e.g. "... this type of security scheme: mutualTLS"
REQUEST_PROBLEMS = {"UNAUTHORIZED", "UNPROCESSABLE_ENTITY", "NO_PATH_MATCHED_ERROR",
                    "NO_METHOD_MATCHED_ERROR", "INVALID_CONTENT_TYPE", "NOT_ACCEPTABLE",
                    "NO_SERVER_MATCHED_ERROR"}
STATUS_ERRORS = {400: "BadRequestError", 401: "AuthenticationError", 403: "PermissionDeniedError",
                 404: "NotFoundError", 409: "ConflictError", 422: "UnprocessableEntityError",
                 429: "RateLimitError"}
CLASSES = ("ok", "request-rejected", "response-rejected", "parameter-refused", "crash",
           "spec-fault", "prism-fault", "ambiguous")


@dataclass
class Verdict:
    cls: str
    detail: str = ""
    proof: dict[str, Any] = field(default_factory=dict)


def classify(ctx: Any, op: Any, call: Any, exc: BaseException | None,
             response: httpx.Response | None) -> Verdict:
    """ctx has the package's `errors` and `base` modules and the document (`doc`)."""
    if response is None:
        if isinstance(exc, (ctx.errors.ParameterError, TypeError)):
            return Verdict("parameter-refused", _text(exc))
        return Verdict("crash", _text(exc) if exc else "no request was sent")
    # Prism's warnings (a deprecated parameter was used, say) do not reject anything.
    found = [v for v in violations(response) if str(v.get("severity", "Error")) == "Error"]
    from_request = [v for v in found if _side(v) == "request"]
    unsupported = [v for v in from_request if str(v.get("message", "")).startswith(PRISM_UNSUPPORTED)]
    if unsupported and len(unsupported) == len(from_request):
        return Verdict("prism-fault", str(unsupported[0].get("message"))[:200], {"violations": unsupported})
    problem = _prism_problem(response)
    if from_request or problem and problem.get("type", "").removeprefix(PRISM_PROBLEM) in REQUEST_PROBLEMS:
        text = _violation_text(from_request, problem, response)
        if call.ambiguous and any("oneOf" in str(v.get("message")) for v in from_request):
            return _ambiguous(ctx.doc, call.ambiguous, text)
        coerced = [v for v in from_request if v.get("code") == "oneOf"
                   and set((v.get("location") or [])[:2]) & {"path", "query", "header", "cookie"}]
        if coerced and len(coerced) == len(from_request):
            return Verdict("ambiguous", "a parameter's text fits several oneOf branches once Prism "
                           "reads it (say, `1` as integer and as string)",
                           {"violations": coerced, "prism": text})
        misread = _multipart_misread(response.request, from_request)
        if misread:
            return misread
        clash = _security_clash(ctx.doc, op, from_request, problem)
        if clash:
            return clash
        owned = _read_only_required(ctx.doc, op, from_request)
        if owned:
            return owned
        if call.contradictions:
            site, why = next(iter(call.contradictions.items()))
            return Verdict("spec-fault", f"no value can fit {site}: {why}",
                           {"spec_pointer": site, "prism": text})
        return Verdict("request-rejected", text)
    if problem:
        return Verdict("prism-fault", f"Prism could not mock: {problem.get('title')}",
                       {"prism_problem": problem})
    from_response = [v for v in found if v not in from_request]
    if response.is_success:
        return _success(ctx, op, exc, response, from_response)
    return _error_status(ctx, op, exc, response, from_response)


def _multipart_misread(request: httpx.Request, found: list[dict[str, Any]]) -> Verdict | None:
    """Every violation names a multipart field that went out as an array (one part per item)
    or an object (one application/json part), and Prism calls it no array / no object."""
    if not found or not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return None
    parts = _parts(request)
    fields = []
    for violation in found:
        location, message = violation.get("location") or [], str(violation.get("message", ""))
        location = location[1:] if location[:1] == ["request"] else location  # either of Prism's forms
        name = location[1] if len(location) == 2 and location[0] == "body" else None
        sent = parts.get(str(name)) if name is not None else None
        json_part = bool(sent) and all(t == "application/json" for t in sent)
        # A JSON part is text to Prism, so every check of its value fails; other parts only
        # count where Prism wanted the array their repetition is, or where it applies the
        # reserved-characters rule, which OpenAPI defines for url-encoded bodies only.
        reserved = message.startswith("Reserved characters")
        if not sent or not (json_part or reserved or "must be array" in message):
            return None
        fields.append({"field": name, "parts_sent": sent, "prism": message})
    return Verdict("prism-fault", "Prism reads multipart parts as text: repeated parts are no "
                   "array to it, a JSON part no object, and a comma-separated part 'reserved' "
                   "(allowReserved applies to url-encoded bodies only)", {"fields": fields})


def _security_clash(doc: dict[str, Any], op: Any, found: list[dict[str, Any]],
                    problem: dict[str, Any] | None) -> Verdict | None:
    """Prism found no requirement met, and every requirement of the operation names two
    schemes sent in one header (basic and oauth2 both in Authorization): none can be met."""
    said = " ".join(str(v.get("message", "")) for v in found) + str((problem or {}).get("detail", ""))
    requirements = [r for r in op.spec.get("security", doc.get("security")) or [] if isinstance(r, dict)]
    if "Invalid security scheme" not in said or not requirements:
        return None
    declared = (doc.get("components") or {}).get("securitySchemes") or {}
    clashes = []
    for alternative in requirements:
        headers = [_header_of(resolve(doc, declared.get(key))) for key in alternative]
        named = [h for h in headers if h]
        if len(named) == len(set(named)):
            return None
        clashes.append({"requirement": list(alternative), "headers": headers})
    return Verdict("spec-fault", "every security requirement needs two schemes sent in the same "
                   "header: no request can meet one", {"requirements": clashes})


def _read_only_required(doc: dict[str, Any], op: Any, found: list[dict[str, Any]]) -> Verdict | None:
    """Every violation is a required property the schema marks readOnly (or the `if`/`then`/
    `else` that failed because of one): the client leaves such properties out of requests, as
    OpenAPI 3.0 says; 3.1 made readOnly an annotation, so the document asks a request for a
    value the server owns and will ignore or refuse. The spec contradicts itself."""
    body = resolve(doc, op.spec.get("requestBody"))
    content = (body.get("content") or {}) if isinstance(body, dict) else {}
    schema = next((e.get("schema") for m, e in content.items() if "json" in m and isinstance(e, dict)), None)
    owned, rest = [], []
    for violation in found:
        location = [str(p) for p in violation.get("location") or []]
        location = location[1:] if location[:1] == ["request"] else location
        name = re.findall(r"'([^']+)'", str(violation.get("message", "")))
        if violation.get("code") == "required" and location[:1] == ["body"] and name and schema:
            prop = _property(doc, _at_path(doc, schema, location[1:]), name[-1])
            if isinstance(prop, dict) and prop.get("readOnly") is True:
                owned.append({"at": ".".join(location), "property": name[-1]})
                continue
        rest.append((violation.get("code"), location))
    if not owned or any(code not in ("if", "then", "else") for code, _ in rest):
        return None
    return Verdict("spec-fault", "a required property is readOnly: the client leaves it out of "
                   "requests (the server owns it); the document requires it there all the same",
                   {"read_only_required": owned})


def _at_path(doc: dict[str, Any], schema: Any, path: list[str]) -> Any:
    for part in path:
        node = resolve(doc, schema)
        schema = node.get("items") if part.isdigit() and isinstance(node, dict) and "items" in node \
            else _property(doc, node, part)
    return schema


def _property(doc: dict[str, Any], schema: Any, name: str, depth: int = 0) -> Any:
    """The schema of property `name`, looked up through allOf/anyOf/oneOf/then/else."""
    node = resolve(doc, schema)
    if not isinstance(node, dict) or depth > 20:
        return None
    own = (node.get("properties") or {}).get(name)
    if own is not None:
        return resolve(doc, own)
    parts = [*(node.get("allOf") or []), *(node.get("anyOf") or []), *(node.get("oneOf") or []),
             *[node[k] for k in ("then", "else") if k in node]]
    return next((found for part in parts if (found := _property(doc, part, name, depth + 1)) is not None), None)


def _header_of(scheme: Any) -> str | None:
    if not isinstance(scheme, dict):
        return None
    if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
        return str(scheme.get("name", "")).lower() or None
    if scheme.get("type") in ("http", "oauth2", "openIdConnect"):
        return "authorization"
    return None


def _parts(request: httpx.Request) -> dict[str, list[str]]:
    """The content type of every part of a multipart request, by part name."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.read())
    found: dict[str, list[str]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            found.setdefault(name, []).append(part.get_content_type())
    return found


def _ambiguous(doc: dict[str, Any], ambiguous: dict[str, Any], text: str) -> Verdict:
    """Prism refused a oneOf value that fits more than one branch. The sweep's own limit (it
    found no value telling the branches apart), not the client's: kept apart, with the proof."""
    site, found = next(iter(ambiguous.items()))
    union = resolve(doc, {"$ref": site.rsplit("/", 1)[0]}) if site.startswith("#") else {}
    tagged = isinstance(union, dict) and bool(union.get("discriminator"))
    proof = {"spec_pointer": site, "branch": found["branch"], "also_fits": found["also_fits"],
             "value": _short(found["value"]), "discriminator": tagged, "prism": text}
    return Verdict("ambiguous", f"the value made for branch {found['branch']} of the oneOf at "
                   f"{site} also fits branches {found['also_fits']}"
                   + (" (Prism does not use the discriminator)" if tagged else ""), proof)


def _success(ctx: Any, op: Any, exc: BaseException | None, response: httpx.Response,
             from_response: list[dict[str, Any]]) -> Verdict:
    if exc is None:
        return Verdict("ok")
    if isinstance(exc, ctx.errors.APIResponseValidationError):
        return _rejected(ctx, op, exc, response, from_response)
    return Verdict("crash", _text(exc))


def _error_status(ctx: Any, op: Any, exc: BaseException | None, response: httpx.Response,
                  from_response: list[dict[str, Any]]) -> Verdict:
    status = response.status_code
    name = STATUS_ERRORS.get(status, "InternalServerError" if status >= 500 else "APIStatusError")
    expected = getattr(ctx.errors, name)
    if exc is None:
        return Verdict("crash", f"returned normally on a {status}")
    if type(exc) is not expected:
        return Verdict("crash", f"a {status} raised {type(exc).__name__}, not {name}: {_text(exc)}")
    entry = _documented(op.endpoint.every_response(), status)
    if entry is None or entry[0] != "json" or not response.content:
        return Verdict("ok")
    raw = _json(response)
    try:
        parsed = ctx.base.adapter(entry[1]).validate_python(raw)
    except Exception as error:  # noqa: BLE001 - pydantic's ValidationError and friends
        return _rejected(ctx, op, error, response, from_response)
    if exc.body != parsed:  # type: ignore[attr-defined]
        return Verdict("response-rejected", f"{status} body left unparsed though it fits its schema")
    return Verdict("ok")


def _rejected(ctx: Any, op: Any, exc: BaseException, response: httpx.Response,
              from_response: list[dict[str, Any]]) -> Verdict:
    """The client refused a body: its fault unless Prism itself flags the body."""
    if not from_response:
        return Verdict("response-rejected", _text(exc))
    body = _json(response)
    example = _matching_example(ctx.doc, op, response.status_code, body)
    proof = {"violations": from_response, "received": _short(body), "client_error": _text(exc)}
    if example is not None:
        proof["spec_pointer"] = example
        return Verdict("spec-fault", f"the spec's example at {example} breaks its schema", proof)
    proof["spec_pointer"] = f"{op.pointer}/responses/{response.status_code}"
    return Verdict("prism-fault", "Prism's own response breaks the schema: "
                   + _violation_text(from_response, None, response), proof)


def _matching_example(doc: dict[str, Any], op: Any, status: int, body: Any) -> str | None:
    """Pointer of the spec example equal to `body` (media example(s) or schema example)."""
    responses = op.spec.get("responses") or {}
    key = str(status) if str(status) in responses else f"{str(status)[0]}XX" \
        if f"{str(status)[0]}XX" in responses else "default"
    where = f"{op.pointer}/responses/{key}"
    response = resolve(doc, responses.get(key) or {})
    for media, entry in ((response.get("content") or {}) if isinstance(response, dict) else {}).items():
        at = f"{where}/content/{escape(media)}"
        if entry.get("example") == body:
            return f"{at}/example"
        for name, example in (entry.get("examples") or {}).items():
            if resolve(doc, example).get("value") == body:
                return f"{at}/examples/{escape(name)}"
        if resolve(doc, entry.get("schema") or {}).get("example") == body:
            return f"{at}/schema/example"
    return None


def _documented(responses: Any, status: int) -> tuple[str, Any] | None:
    for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
        if key in responses:
            return responses[key]  # type: ignore[no-any-return]
    return None


def _side(violation: dict[str, Any]) -> str:
    """request or response. Prism sends "Too many violations! [...]" (truncated JSON) when
    there are many: the side is read from the text then."""
    location = violation.get("location")
    if location:
        return "response" if location[0] == "response" else "request"
    text = str(violation.get("message", ""))
    return "response" if '"location":["response"' in text and '"location":["request"' not in text \
        else "request"


def _prism_problem(response: httpx.Response) -> dict[str, Any] | None:
    if "problem+json" not in response.headers.get("content-type", ""):
        return None
    body = _json(response)
    if isinstance(body, dict) and str(body.get("type", "")).startswith(PRISM_PROBLEM):
        return body
    return None


def _violation_text(found: list[dict[str, Any]], problem: dict[str, Any] | None,
                    response: httpx.Response) -> str:
    if found:
        return "; ".join(f"{'.'.join(map(str, v.get('location') or []))}: {v.get('message')}"
                         for v in found[:3])[:400]
    if problem:
        return f"{response.status_code} {problem.get('title')}: {problem.get('detail')}"[:400]
    return str(response.status_code)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json() if response.content else None
    except ValueError:
        return response.text[:500]


def _short(value: Any, limit: int = 600) -> Any:
    text = json.dumps(value, default=str)
    return value if len(text) <= limit else text[:limit] + "..."


def _text(exc: BaseException) -> str:
    first = f"{type(exc).__name__}: {exc}".strip()
    return " | ".join(line.strip() for line in first.splitlines()[:4])[:400]
