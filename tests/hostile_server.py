"""A fault-injecting HTTP server on loopback, for tests of generated clients.

Each test routes paths to functions that see the request (`Seen`) and say how to answer
(`Answer`): any status and headers, a body sent at once or dribbled a byte at a time (the
head too), after a silence or not, or no answer at all (the connection dropped). Every request is kept in `seen`. The server runs
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
    stall: float = 0.0  # seconds of silence before the status line
    dribble_head: bool = False  # the status line and headers dribbled too


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
            if server.stopping.wait(answer.stall):
                return
            head = [f"HTTP/1.1 {answer.status} {self.responses.get(answer.status, ('',))[0]}"]
            head += [f"{name}: {value}" for name, value in answer.headers.items()]
            head += [f"Content-Length: {len(answer.body)}", "Connection: close", "", ""]
            raw = "\r\n".join(head).encode("latin-1")
            with contextlib.suppress(OSError):  # the client gave up: fine
                if answer.dribble_head:
                    self.dribble(raw, answer.dribble)
                else:
                    self.wfile.write(raw)
                if answer.dribble:
                    self.dribble(answer.body, answer.dribble)
                else:
                    self.wfile.write(answer.body)

        def dribble(self, data: bytes, pause: float) -> None:
            for index in range(len(data)):
                if server.stopping.is_set():
                    raise OSError("stopping")
                self.wfile.write(data[index : index + 1])
                self.wfile.flush()
                server.stopping.wait(pause)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    return Handler


@contextlib.contextmanager
def serving() -> Iterator[Server]:
    server = Server()
    try:
        yield server
    finally:
        server.close()
