"""Sweep one corpus document, in a process of its own (`python -m scripts.sweep.document`).

Generates the client into a temp folder, imports it, starts Prism on its openapi.json, makes
every planned call sync and async, and appends one JSON line per call to --out, then one
`"record": "document"` line. Calls stop when the time budget runs out (the rest are recorded
as `skipped`); Prism is stopped however this ends.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

import httpx

from scripts.corpus import Row, generate
from scripts.prism import PrismError, PrismServer
from scripts.sweep.classify import Verdict, classify
from scripts.sweep.mock_server import MockServer
from scripts.sweep.plan import Call, Operation, calls, method_of, operations
from scripts.sweep.prism_copy import prism_document
from scripts.sweep.resolve import escape, resolve

CREDENTIAL = "sweep-credential"
SHOWN_HEADERS = ("content-type", "prefer", "accept")
UNANSWERABLE = "Prism mocked the documented"
TIMED_OUT = "APITimeoutError"
FRAMING_HEADERS = ("transfer-encoding", "content-length", "connection", "content-encoding")
CRASH_WAIT = 2.0  # seconds for a Prism that logged an uncaught error to exit


class Sweeper:
    """Makes the calls of one document and writes their records."""

    def __init__(self, document: str, ctx: Any, prism: PrismServer | MockServer, out: TextIO, *,
                 timeout: float, deadline: float) -> None:
        self.document, self.ctx, self.out, self.deadline = document, ctx, out, deadline
        self.timeout, self.prism = timeout, prism
        self.seen: list[httpx.Response] = []
        self.sent: list[httpx.Request] = []
        self.loop = asyncio.new_event_loop()
        self._connect()

    def _connect(self) -> None:
        """Clients on the current Prism, recording every response they get."""
        credentials = _credentials(self.ctx.client_module)
        hooks = {"request": [self.sent.append], "response": [self.seen.append]}

        async def on_request(request: httpx.Request) -> None:
            self.sent.append(request)

        async def on_response(response: httpx.Response) -> None:
            self.seen.append(response)

        # Retries off: a retried call would hide which response was classified.
        self.http = httpx.Client(timeout=self.timeout, event_hooks=hooks)
        self.ahttp = httpx.AsyncClient(
            timeout=self.timeout, event_hooks={"request": [on_request], "response": [on_response]})
        self.sync = self.ctx.client_module.Client(
            base_url=self.prism.base_url, max_retries=0, timeout=self.timeout, **credentials,
            http_client=self.http)
        self.aio = self.ctx.client_module.AsyncClient(
            base_url=self.prism.base_url, max_retries=0, timeout=self.timeout, **credentials,
            http_client=self.ahttp)

    def close_clients(self) -> None:
        self.http.close()
        self.loop.run_until_complete(self.ahttp.aclose())

    def close(self) -> None:
        self.close_clients()
        self.loop.close()

    def operation(self, op: Operation, dynamic: int) -> None:
        try:
            planned = calls(op, self.ctx.doc, method_of(self.sync, op.name), dynamic)
        except Exception as exc:  # noqa: BLE001 - the sweep's own defect: record, go on
            self.write(op, Call("plan", [], {}), "sync", Verdict("tool-error", _trace(exc)), None)
            return
        hopeless = ""
        for call in planned:
            for mode in ("sync", "async"):
                if time.monotonic() > self.deadline:
                    hopeless = "document time budget spent"
                if hopeless:
                    self.write(op, call, mode, Verdict("skipped", hopeless), None)
                    continue
                verdict = self.one(op, call, mode)
                if verdict.detail.startswith((UNANSWERABLE, TIMED_OUT)):  # the rest would wait too
                    hopeless = f"not called: {verdict.detail}"

    def one(self, op: Operation, call: Call, mode: str) -> Verdict:
        self.seen.clear()
        self.sent.clear()
        began = time.monotonic()
        log_before = len(self.prism.log_text())
        exc: BaseException | None = None
        try:
            self._invoke(op, call, mode)
        except Exception as error:  # noqa: BLE001 - classified below
            exc = error
        response = self.seen[-1] if self.seen else None
        try:
            verdict = self._prism_broke(op, exc, log_before) or classify(self.ctx, op, call, exc, response)
        except Exception as error:  # noqa: BLE001
            verdict = Verdict("tool-error", _trace(error))
        self.write(op, call, mode, verdict, response, time.monotonic() - began)
        return verdict

    def _prism_broke(self, op: Operation, exc: BaseException | None, log_before: int) -> Verdict | None:
        """A connection error Prism caused: it crashed (restarted here), logged an error,
        or mocked a 1xx status, which no HTTP client takes as a final answer."""
        if not isinstance(exc, self.ctx.errors.APIConnectionError):
            return None
        log = self.prism.log_text()[log_before:]
        waited = time.monotonic() + CRASH_WAIT
        while "Error" in log and self.prism.running() and time.monotonic() < waited:
            time.sleep(0.05)  # an uncaught exception: the process is on its way out
        if not self.prism.running():
            log = self.prism.log_text()[log_before:]
            self.prism.stop()
            self.prism.start()
            self.close_clients()
            self._connect()
            return Verdict("prism-fault", "Prism crashed on the request", {"prism_log": log[-1500:]})
        if "Error" in log:
            return Verdict("prism-fault", "Prism failed on the request", {"prism_log": log[-1500:]})
        framing = _framing_header(self.ctx.doc, op)
        if framing:
            return Verdict("prism-fault", "Prism mocked a documented HTTP framing header with a "
                           "made-up value, which breaks the response", {"spec_pointer": framing})
        codes = sorted(str(k) for k in (op.spec.get("responses") or {}))
        if codes and codes[0].startswith("1") and not any(k.startswith("2") for k in codes):
            return Verdict("prism-fault", f"{UNANSWERABLE} {codes[0]} as a final response",
                           {"spec_pointer": f"{op.pointer}/responses/{codes[0]}"})
        return None

    def _invoke(self, op: Operation, call: Call, mode: str) -> Any:
        options = {"extra_headers": call.headers} if call.headers else {}
        if mode == "sync":
            return method_of(self.sync, op.name)(*call.args, **call.kwargs, **options)
        coroutine = method_of(self.aio, op.name)(*call.args, **call.kwargs, **options)
        return self.loop.run_until_complete(asyncio.wait_for(coroutine, self.timeout + 5))

    def write(self, op: Operation, call: Call, mode: str, verdict: Verdict,
              response: httpx.Response | None, seconds: float = 0.0) -> None:
        from scripts.prism import violations

        record = {
            "record": "call", "document": self.document, "operation": op.name,
            "method": op.endpoint.method, "path": op.endpoint.path, "variant": call.variant,
            "mode": mode, "class": verdict.cls, "detail": verdict.detail,
            "request": _request_summary(response.request if response is not None else
                                        self.sent[-1] if self.sent else None, call),
            "status": response.status_code if response is not None else None,
            "ms": round(seconds * 1000),
            "violations": violations(response) if response is not None else [],
        }
        if verdict.proof:
            record["proof"] = {**verdict.proof, "sent": record["request"]}
        self.out.write(json.dumps(record, default=repr) + "\n")
        self.out.flush()


def _framing_header(doc: dict[str, Any], op: Operation) -> str:
    """Pointer of a documented response header that frames HTTP (Transfer-Encoding and the
    like): Prism sends it with an example value such as "string", and no client can read on."""
    for code, raw in (op.spec.get("responses") or {}).items():
        response = resolve(doc, raw)
        for name in (response.get("headers") or {}) if isinstance(response, dict) else ():
            if name.lower() in FRAMING_HEADERS:
                return f"{op.pointer}/responses/{code}/headers/{escape(name)}"
    return ""


def _credentials(client_module: Any) -> dict[str, str]:
    """A dummy value for every credential argument of the client's security schemes."""
    names: set[str] = set()
    for scheme in getattr(client_module, "SCHEMES", {}).values():
        for attr in ("credential", "username", "password"):
            if isinstance(getattr(scheme, attr, None), str):
                names.add(getattr(scheme, attr))
    return {name: CREDENTIAL for name in sorted(names)}


def _request_summary(request: httpx.Request | None, call: Call) -> dict[str, Any]:
    """What went on the wire (credentials left out), else the arguments the call was given."""
    if request is None:
        return {"args": repr(call.args)[:300], "kwargs": repr(call.kwargs)[:500],
                "headers": call.headers}
    try:
        body = request.content[:600].decode("utf-8", "replace")
    except httpx.RequestNotRead:
        body = "<streamed>"
    return {"method": request.method, "url": str(request.url.copy_with(scheme=None, host=None))[:500],
            "headers": {k: v for k, v in request.headers.items() if k.lower() in SHOWN_HEADERS},
            "body": body}


def _trace(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc, limit=-3))[-1200:]


def sweep(row: Row, corpus: Path, index: int, out: TextIO, args: argparse.Namespace) -> dict[str, Any]:
    """Generate, import, start Prism and call; returns the document record."""
    began = time.monotonic()
    deadline = began + args.budget
    tmp = Path(tempfile.mkdtemp(prefix="clientgen-sweep-"))
    summary: dict[str, Any] = {"record": "document", "document": row.path}
    try:
        generate(row, corpus, tmp, index, format_code=False)
        summary.update(status=row.status, note=row.note, operations=row.operations)
        if row.status != "written" or row.dir is None:
            return summary
        sys.path.insert(0, str(tmp))
        importlib.invalidate_caches()
        ctx = SimpleNamespace(
            client_module=importlib.import_module(f"{row.package}._client"),
            base=importlib.import_module(f"{row.package}._base"),
            errors=importlib.import_module(f"{row.package}.errors"),
            doc=json.loads((row.dir / "openapi.json").read_text()))
        ops = operations(row.package, row.endpoints, ctx.base, ctx.doc)
        if not ops:  # Prism refuses such a document; nothing to call
            summary["status"] = "no operations"
            return summary
        prism = _server(row.dir / "openapi.json", args, deadline, summary)
        try:
            summary["prism_startup"] = round(prism.startup_seconds or 0, 1)
            sweeper = Sweeper(row.path, ctx, prism, out, timeout=args.timeout, deadline=deadline)
            try:
                for op in ops:
                    sweeper.operation(op, args.dynamic)
            finally:
                sweeper.close()
        finally:
            prism.stop()
        summary["status"] = "swept"
    except Exception as exc:  # noqa: BLE001 - one document's failure is a record
        summary.update(status="tool-error", note=_trace(exc))
    finally:
        summary["seconds"] = round(time.monotonic() - began, 1)
        shutil.rmtree(tmp, ignore_errors=True)
    return summary


def _server(spec: Path, args: argparse.Namespace, deadline: float,
            summary: dict[str, Any]) -> PrismServer | MockServer:
    """Prism on the document, started; or, by --server mock or when Prism does not start
    within --prism-startup seconds (Stripe's document), the sweep's own validating mock."""
    summary["server"] = "mock"
    server_choice = getattr(args, "server", "auto")
    if server_choice == "mock":
        return MockServer(spec).start()
    served, dropped = prism_document(spec)
    if dropped:
        summary["refs_renamed_for_prism"] = dropped[:20]
    # Prism takes minutes to read the largest documents: it may use what is left.
    startup = max(30.0, min(deadline - time.monotonic(), getattr(args, "prism_startup", 600.0)))
    try:
        server = PrismServer(served, startup_timeout=startup).start()
    except PrismError as exc:
        if server_choice == "prism":
            raise
        summary["prism_failed"] = str(exc)[:300]
        return MockServer(spec).start()
    summary["server"] = "prism"
    return server


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--document", required=True)
    parser.add_argument("--index", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--budget", type=float, default=300.0)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--dynamic", type=int, default=3)
    parser.add_argument("--server", choices=("auto", "prism", "mock"), default="auto")
    parser.add_argument("--prism-startup", type=float, default=600.0)
    args = parser.parse_args()
    # Killed by the parent (budget spent): unwind, so Prism is stopped and the folder removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    row = Row(args.document, "", "", 0, 0)
    with open(args.out, "a", encoding="utf-8") as out:
        summary = sweep(row, args.corpus, args.index, out, args)
        out.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
