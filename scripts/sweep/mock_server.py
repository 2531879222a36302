"""A validating mock server for documents Prism cannot load (Stripe's 4 MB one), on loopback.

Same interface as scripts/prism.PrismServer (start/stop, base_url, log_text, running,
startup_seconds, a context manager) and the same answers the sweep's classifier reads:

* a request is matched to its operation by method and path template (404/405 problem+json
  otherwise), its credentials checked present (401), its parameters and body decoded and
  validated against the document's schemas (scripts/sweep/mock_request.py);
* a request with violations gets the documented 422, else 400, else `default` (sent as 422)
  response with the violations in `sl-violations`, or Prism's problem+json 422 with them in
  `validation` when none is documented;
* a valid one gets the status `Prefer: code=N` asks for, else the first documented 2xx, with
  a body synthesized from the response schema (scripts/sweep/synth.py); `Prefer:
  dynamic=true` gives optional fields and randomly chosen union branches. The body is checked
  against its schema before it is sent; a body that breaks it (the synthesizer's limit) is
  flagged in `sl-violations` with a `response` location, as Prism flags its own.

    with MockServer(Path("openapi.json")) as mock:
        httpx.get(f"{mock.base_url}/v1/customers", headers={"Authorization": "Bearer k"})
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from scripts.sweep.mock_request import Incoming, check, follow, security_problem
from scripts.sweep.mock_schema import Checker
from scripts.sweep.resolve import escape
from scripts.sweep.synth import Synth

HOST = "127.0.0.1"
PROBLEM = "https://stoplight.io/prism/errors#"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DYNAMIC_PASSES = 3  # a random branch choice can reveal further unions: choose again


class Route:
    def __init__(self, template: str, method: str, pointer: str) -> None:
        self.template, self.method, self.pointer = template, method, pointer
        parts = re.split(r"(\{[^{}]+\})", template)
        self.names = [p[1:-1] for p in parts if p.startswith("{") and p.endswith("}")]
        pattern = "".join(f"(?P<p{self.names.index(p[1:-1])}>[^/]+)" if p.startswith("{")
                          and p.endswith("}") else re.escape(p) for p in parts)
        self.regex = re.compile(f"^{pattern}/?$")
        self.rank = (len(self.names), -len(template))  # literal segments win over templates

    def match(self, path: str) -> dict[str, str] | None:
        found = self.regex.match(path)
        if not found:
            return None
        return {name: found.group(f"p{i}") for i, name in enumerate(self.names)}


class MockServer:
    """The document's operations on a free 127.0.0.1 port, served from a thread."""

    def __init__(self, spec_path: Path, **_: Any) -> None:
        self.spec_path = Path(spec_path)
        self.port: int | None = None
        self.startup_seconds: float | None = None
        self._log: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._count = 0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_text(self) -> str:
        return "\n".join(self._log)

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> Self:
        began = time.monotonic()
        self.doc = json.loads(self.spec_path.read_text())
        self.checker = Checker(self.doc)
        self.routes = sorted(_routes(self.doc), key=lambda r: r.rank)
        self.prefixes = _server_paths(self.doc)
        handler = type("Handler", (_Handler,), {"server_of": self})
        self._server = ThreadingHTTPServer((HOST, 0), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.startup_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def route(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """The operation for the request, its path values, and whether the path matched at all."""
        path_known = False
        for candidate in [path, *(path[len(p):] for p in self.prefixes if path.startswith(p + "/"))]:
            for route in self.routes:
                values = route.match(candidate)
                if values is None:
                    continue
                path_known = True
                if route.method == method:
                    return route, values, True
        return None, {}, path_known

    def answer(self, method: str, target: str, headers: dict[str, str],
               body: bytes) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for one request."""
        split = urllib.parse.urlsplit(target)
        route, values, path_known = self.route(method.lower(), split.path)
        if route is None:
            kind = "NO_METHOD_MATCHED_ERROR" if path_known else "NO_PATH_MATCHED_ERROR"
            return _problem(405 if path_known else 404, kind, f"No {method} {split.path} in the document")
        op = self.doc["paths"][route.template][route.method]
        incoming = Incoming(method, values, urllib.parse.parse_qsl(split.query, keep_blank_values=True),
                            headers, body, _cookies(headers.get("cookie", "")))
        problem = security_problem(self.doc, op, incoming)
        found, stop = check(self.doc, self.checker, route.pointer, incoming) if problem is None else ([], None)
        problem = problem or stop
        prefer = _prefer(headers.get("prefer", ""))
        if problem is not None:
            return self._refusal(op, route.pointer, problem.status, problem.kind, problem.message,
                                 [{"location": ["request"], "severity": "Error", "code": problem.status,
                                   "message": problem.message}])
        if found:
            return self._refusal(op, route.pointer, 422, "UNPROCESSABLE_ENTITY",
                                 "Invalid request", found)
        status = prefer.get("code") or _first_success(op)
        return self._respond(op, route.pointer, status, dynamic=prefer.get("dynamic") == "true")

    def _refusal(self, op: dict[str, Any], pointer: str, status: int, kind: str, message: str,
                 found: list[dict[str, Any]]) -> tuple[int, dict[str, str], bytes]:
        responses = op.get("responses") or {}
        documented = [str(status)] if status != 422 else ["422", "400", "default"]
        key = next((k for k in documented if k in responses), None)
        if key is None:
            validation = [{**v, "location": v["location"][1:]} for v in found]
            return _problem(status, kind, message, validation if status == 422 else None)
        answered, headers, body = self._respond(op, pointer, key, dynamic=False)
        headers["sl-violations"] = json.dumps(found)
        return (status if key == "default" else answered), headers, body

    def _respond(self, op: dict[str, Any], pointer: str, status: int | str,
                 *, dynamic: bool) -> tuple[int, dict[str, str], bytes]:
        responses = op.get("responses") or {}
        key = _response_key(responses, str(status))
        if key is None:
            return _problem(404, "NOT_FOUND", f"Requested status code {status} is not defined in the document")
        response, at = follow(self.doc, responses[key], f"{pointer}/responses/{escape(key)}")
        code = int(status) if str(status).isdigit() else 200 if key == "default" else int(key[0]) * 100
        content = (response.get("content") or {}) if isinstance(response, dict) else {}
        if not content or code in (204, 304):
            return code, {}, b""
        media = "application/json" if "application/json" in content else next(iter(content))
        schema = (content[media] or {}).get("schema")
        if schema is None:
            return code, {"content-type": media}, b""
        schema_at = f"{at}/content/{escape(media)}/schema"
        value, found = self._body(schema, schema_at, dynamic)
        headers = {"content-type": media if "*" not in media else "application/octet-stream"}
        if found:
            headers["sl-violations"] = json.dumps(found)
        return code, headers, _encode(value, media)

    def _body(self, schema: Any, at: str, dynamic: bool) -> tuple[Any, list[dict[str, Any]]]:
        """A body for the schema, and its violations ([] unless the synthesizer failed)."""
        self._count += 1
        attempts = [True, False] if dynamic else [False]
        value, found = None, []
        for optional in attempts:
            value = _synthesized(self.doc, schema, at, optional=optional, seed=self._count if optional else None)
            found = [] if isinstance(value, bytes) else self.checker.violations(at, value, ["response", "body"])
            if not found:
                break
        return value, found

    def log(self, line: str) -> None:
        self._log.append(line)


def _synthesized(doc: dict[str, Any], schema: Any, at: str, *, optional: bool, seed: int | None) -> Any:
    synth = Synth(doc, optional=optional, response=True)
    value = synth.value(schema, at)
    if seed is None:
        return value
    rng = random.Random(seed)
    for _ in range(DYNAMIC_PASSES):
        choices = {site: rng.randrange(count) for site, count in synth.sites.items()}
        synth = Synth(doc, optional=optional, response=True, choices=choices)
        value = synth.value(schema, at)
        if set(synth.sites) <= set(choices):
            break
    return value


def _encode(value: Any, media: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if "json" in media:
        return json.dumps(value).encode()
    return (value if isinstance(value, str) else json.dumps(value)).encode()


def _response_key(responses: dict[str, Any], status: str) -> str | None:
    for key in (status, f"{status[:1]}XX", f"{status[:1]}xx", "default"):
        if key in responses:
            return key
    return None


def _first_success(op: dict[str, Any]) -> str:
    codes = sorted(str(k) for k in op.get("responses") or {})
    return next((c for c in codes if c.startswith("2")), codes[0] if codes else "200")


def _prefer(text: str) -> dict[str, str]:
    found = {}
    for item in text.split(","):
        name, _, value = item.strip().partition("=")
        found[name.strip().lower()] = value.strip().strip('"')
    return found


def _cookies(text: str) -> dict[str, str]:
    found = {}
    for item in text.split(";"):
        name, sep, value = item.strip().partition("=")
        if sep:
            found[name] = urllib.parse.unquote(value)
    return found


def _problem(status: int, kind: str, detail: str,
             validation: list[dict[str, Any]] | None = None) -> tuple[int, dict[str, str], bytes]:
    body: dict[str, Any] = {"type": PROBLEM + kind, "title": kind.replace("_", " ").capitalize(),
                            "status": status, "detail": detail}
    if validation is not None:
        body["validation"] = validation
    return status, {"content-type": "application/problem+json"}, json.dumps(body).encode()


def _routes(doc: dict[str, Any]) -> list[Route]:
    found = []
    for template, item in (doc.get("paths") or {}).items():
        for method in METHODS:
            if isinstance(item, dict) and isinstance(item.get(method), dict):
                found.append(Route(template, method, f"#/paths/{escape(template)}/{method}"))
    return found


def _server_paths(doc: dict[str, Any]) -> list[str]:
    """The path parts of the document's server URLs (`/api/v3`): a request may carry one."""
    paths = set()
    for server in doc.get("servers") or []:
        url = server.get("url", "") if isinstance(server, dict) else ""
        path = urllib.parse.urlsplit(re.sub(r"\{[^{}]*\}", "x", url)).path.rstrip("/")
        if path:
            paths.add(path)
    return sorted(paths, key=len, reverse=True)


class _Handler(BaseHTTPRequestHandler):
    server_of: MockServer
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            status, out, payload = self.server_of.answer(self.command, self.path, headers, body)
        except Exception:  # noqa: BLE001 - the mock's own defect: logged, answered 500
            self.server_of.log(f"Error on {self.command} {self.path}:\n{traceback.format_exc()}")
            status, out, payload = _problem(500, "UNKNOWN", "the mock server failed on the request")
        self.send_response(status)
        for name, value in out.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(payload) if self.command != "HEAD" else 0))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = do_TRACE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: the sweep reads the log for errors after every call."""
