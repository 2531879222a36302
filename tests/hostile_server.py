"""A fault-injecting HTTP server on loopback, for tests of generated clients.

Each test routes paths to functions that see the request (`Seen`) and say how to answer
(`Answer`): any status and headers, a body sent at once or dribbled a byte at a time, or no
answer at all (the connection dropped). Every request is kept in `seen`. The server runs
in a daemon thread and stops (dribbling answers included) when the test's fixture ends.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lowercase names
    body: bytes


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    dribble: float = 0.0  # seconds between the body's bytes (0: all at once)
    drop: bool = False  # close the connection without answering


Route = Callable[[Seen], Answer]


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def route(self, path: str, answer: Answer | Route) -> None:
        self.routes[path] = answer if callable(answer) else (lambda seen: answer)

    def answer(self, seen: Seen) -> Answer:
        self.seen.append(seen)
        route = self.routes.get(seen.path)
        return route(seen) if route else Answer(404, {"Content-Type": "application/json"}, b"{}")

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def handle_any(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            url = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = server.answer(Seen(self.command, url.path, parse_qs(url.query), headers, body))
            self.close_connection = True
            if answer.drop:
                return
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up: fine
                if not answer.dribble:
                    self.wfile.write(answer.body)
                    return
                for index in range(len(answer.body)):
                    self.wfile.write(answer.body[index : index + 1])
                    self.wfile.flush()
                    if server.stopping.wait(answer.dribble):
                        return

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    return Handler


@contextlib.contextmanager
def serving() -> Iterator[Server]:
    server = Server()
    try:
        yield server
    finally:
        server.close()
