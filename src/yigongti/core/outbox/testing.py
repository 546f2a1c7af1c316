"""A local HTTP receiver for outbox tests: records every request, answers as told.

    with FakeReceiver(delay=0.05) as receiver:
        destination.url = receiver.url
        ...
        assert receiver.keys() == [...]

It listens on 127.0.0.1 on a free port (no test reaches the network). ``statuses`` is a list of
status codes answered in turn (the last one repeats), or a callable ``(request) -> int``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def key(self) -> str:
        return self.headers.get("idempotency-key", "")

    @property
    def sequence(self) -> int:
        return int(self.headers.get("x-outbox-sequence", "0"))

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class FakeReceiver:
    def __init__(self, *, delay: float = 0.0, statuses: list[int] | Callable[[Received], int] | None = None) -> None:
        self.delay = delay
        self.statuses = statuses if statuses is not None else [200]
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FakeReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status = receiver._record(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                if receiver.delay:
                    time.sleep(receiver.delay)
                payload = json.dumps({"ok": 200 <= status < 300}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the sender went away (killed mid-request)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "receiver not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/inbox"

    # -- recording ---------------------------------------------------------------------------
    def _record(self, request: Received) -> int:
        with self._lock:
            index = len(self.requests)
            self.requests.append(request)
        if callable(self.statuses):
            return self.statuses(request)
        return self.statuses[min(index, len(self.statuses) - 1)]

    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def keys(self) -> list[str]:
        with self._lock:
            return [r.key for r in self.requests]

    def first_arrivals(self) -> list[Received]:
        """Each Idempotency-Key's first request, in arrival order."""
        seen: set[str] = set()
        firsts = []
        with self._lock:
            for r in self.requests:
                if r.key not in seen:
                    seen.add(r.key)
                    firsts.append(r)
        return firsts
