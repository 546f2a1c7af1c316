"""A local fake of a hospital booking system speaking the 在线预约接口 JSON protocol (docs/centers/referral.md).

``POST /bookings`` → 201 ``{"booking_ref"}`` (409 ``{"code", "message"}`` when ``full`` is set);
``POST /bookings/{ref}/cancel`` → 200 ``{"booking_ref", "status": "cancelled"}`` or 404. Requests are
recorded (path, headers, body) so tests can assert exactly what the platform sent.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeBookingServer:
    def __init__(self, *, full: bool = False, status: int | None = None) -> None:
        self.full = full
        self.status = status
        self.requests: list[dict[str, Any]] = []
        self.bookings: dict[str, dict[str, Any]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, code: int, body: dict[str, Any]) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
                if server.status is not None:
                    return self._reply(server.status, {"code": "ERROR", "message": "内部错误"})
                if self.path == "/api/bookings":
                    if server.full:
                        return self._reply(409, {"code": "FULL", "message": "该时段号源已满"})
                    ref = f"HIS{len(server.bookings) + 1:04d}"
                    server.bookings[ref] = body | {"status": "booked"}
                    return self._reply(201, {"booking_ref": ref, "start": body["start"]})
                if self.path.startswith("/api/bookings/") and self.path.endswith("/cancel"):
                    ref = self.path.split("/")[3]
                    if ref not in server.bookings:
                        return self._reply(404, {"code": "NOT_FOUND", "message": "无此预约"})
                    server.bookings[ref]["status"] = "cancelled"
                    return self._reply(200, {"booking_ref": ref, "status": "cancelled"})
                return self._reply(404, {"code": "NOT_FOUND", "message": "无此接口"})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/api"

    def __enter__(self) -> FakeBookingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
