"""The outbound HTTP client: allow-list, timeouts, statuses, no redirects."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from yigongti.core import http
from yigongti.core.outbox.testing import FakeReceiver


def test_allow_list(settings: Any) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1", "*.wjw.example.cn", "his.local"]
    assert http.host_allowed("127.0.0.1")
    assert http.host_allowed("HIS.local")
    assert http.host_allowed("api.wjw.example.cn")
    assert not http.host_allowed("wjw.example.cn.evil.com")
    assert not http.host_allowed("localhost")
    with pytest.raises(http.HostNotAllowed, match="白名单"):
        http.post_json("http://10.0.0.8/api", {"a": 1})
    with pytest.raises(http.OutboundError, match="只允许 http/https"):
        http.request("GET", "file:///etc/passwd")


def test_default_allows_loopback_only(settings: Any) -> None:
    del settings.OUTBOUND_ALLOWED_HOSTS
    assert http.host_allowed("127.0.0.1") and http.host_allowed("localhost") and http.host_allowed("::1")
    assert not http.host_allowed("example.com")


def test_post_json_sends_utf8_json_and_headers(receiver: FakeReceiver) -> None:
    response = http.post_json(receiver.url, {"姓名": "张三", "n": 1}, headers={"Idempotency-Key": "k1"})
    assert response.ok and response.status == 200 and response.json() == {"ok": True}
    sent = receiver.requests[0]
    assert sent.json() == {"姓名": "张三", "n": 1}
    assert sent.headers["idempotency-key"] == "k1"
    assert sent.headers["content-type"].startswith("application/json")


def test_error_statuses_come_back_as_responses() -> None:
    with FakeReceiver(statuses=[503]) as r:
        response = http.post_json(r.url, {})
    assert response.status == 503 and not response.ok


def test_connection_refused_and_timeout() -> None:
    with FakeReceiver() as r:
        url = r.url
    with pytest.raises(http.OutboundError, match="无法连接"):
        http.post_json(url, {})
    with FakeReceiver(delay=1.0) as slow, pytest.raises(http.OutboundError, match="超时"):
        http.post_json(slow.url, {}, timeout=0.2)


@pytest.fixture
def redirector() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(302)
            self.send_header("Location", "http://example.com/stolen")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_redirects_are_not_followed(redirector: str) -> None:
    response = http.post_json(redirector, {})
    assert response.status == 302 and not response.ok
