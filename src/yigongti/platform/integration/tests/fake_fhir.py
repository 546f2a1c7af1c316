"""A local fake of the regional platform's FHIR server: ``http.server`` on 127.0.0.1 serving the
fixture Bundles of ``regional/fixtures`` (``<type>_<page>.json``) with paging through
``Bundle.link[next]``. Records the requests it received."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "regional" / "fixtures"


class FakeFhirServer:
    def __init__(self, overrides: dict[str, Any] | None = None) -> None:
        self.overrides = overrides or {}  # "Patient_1" → bundle dict (or an int status)
        self.requests: list[dict[str, Any]] = []
        self.base = ""

    def page(self, resource: str, number: int) -> tuple[int, bytes]:
        key = f"{resource}_{number}"
        if key in self.overrides:
            value = self.overrides[key]
            if isinstance(value, int):
                return value, b'{"resourceType": "OperationOutcome"}'
            return 200, json.dumps(value, ensure_ascii=False).replace("{base}", self.base).encode("utf-8")
        path = FIXTURES / f"{resource.lower()}_{number}.json"
        if not path.exists():
            empty = {"resourceType": "Bundle", "type": "searchset", "total": 0}
            return 200, json.dumps(empty).encode()
        return 200, path.read_text(encoding="utf-8").replace("{base}", self.base).encode("utf-8")


@contextmanager
def serve(overrides: dict[str, Any] | None = None) -> Iterator[FakeFhirServer]:
    fake = FakeFhirServer(overrides)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            fake.requests.append({"path": parts.path, "query": query, "auth": self.headers.get("Authorization")})
            resource = parts.path.rstrip("/").split("/")[-1]
            status, body = fake.page(resource, int(query.get("_page", 1)))
            self.send_response(status)
            self.send_header("Content-Type", "application/fhir+json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base = f"http://127.0.0.1:{server.server_address[1]}/fhir"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
