"""A local stand-in for Alibaba Cloud SMS (dysmsapi) on 127.0.0.1: it checks every request's
signature exactly as the provider documents it (its own implementation, independent of the client)
and answers with the provider's documented JSON. No test reaches the network."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote

Answer = Callable[[dict[str, str]], tuple[int, dict[str, Any]]]


def _encode(value: str) -> str:
    # RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are
    return quote(value, safe="-_.~")


def expected_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    canonical = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{_encode('/')}&{_encode(canonical)}"
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


def sent_ok(params: dict[str, str]) -> tuple[int, dict[str, Any]]:
    return 200, {"Message": "OK", "RequestId": str(uuid.uuid4()).upper(), "BizId": "900619746936498440^0", "Code": "OK"}


class FakeAliyunSms:
    def __init__(self, *, access_key_id: str = "testId", access_key_secret: str = "testSecret") -> None:
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.send_answer: Answer = sent_ok
        self.report: dict[str, Any] = {"SendStatus": 3, "ErrCode": "DELIVERED", "ReceiveDate": "2026-03-10 10:00:05"}
        self.requests: list[dict[str, str]] = []
        self.rejected: list[str] = []
        self._nonces: set[str] = set()
        self._server: ThreadingHTTPServer | None = None

    def verify(self, params: dict[str, str]) -> str | None:
        """The reason the provider would refuse the request, or ``None``."""
        signature = params.pop("Signature", "")
        for name, value in (("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0"), ("Version", "2017-05-25")):
            if params.get(name) != value:
                return f"{name} 错误"
        if params.get("AccessKeyId") != self.access_key_id:
            return "InvalidAccessKeyId.NotFound"
        stamp = dt.datetime.strptime(params.get("Timestamp", ""), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        if abs((dt.datetime.now(dt.UTC) - stamp).total_seconds()) > 900:
            return "InvalidTimeStamp.Expired"
        nonce = params.get("SignatureNonce", "")
        if not nonce or nonce in self._nonces:
            return "SignatureNonceUsed"
        self._nonces.add(nonce)
        if not hmac.compare_digest(signature, expected_signature(params, self.access_key_secret)):
            return "SignatureDoesNotMatch"
        return None

    def start(self) -> FakeAliyunSms:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                params = dict(parse_qsl(self.rfile.read(length).decode("ascii"), keep_blank_values=True))
                fake.requests.append(dict(params))
                problem = fake.verify(params)
                if problem is not None:
                    fake.rejected.append(problem)
                    status, body = (
                        400,
                        {
                            "RequestId": str(uuid.uuid4()),
                            "Code": problem,
                            "Message": "Specified signature is not matched with our calculation.",
                        },
                    )
                elif params.get("Action") == "SendSms":
                    status, body = fake.send_answer(params)
                elif params.get("Action") == "QuerySendDetails":
                    status, body = (
                        200,
                        {
                            "TotalCount": 1,
                            "Message": "OK",
                            "RequestId": str(uuid.uuid4()),
                            "Code": "OK",
                            "SmsSendDetailDTOs": {
                                "SmsSendDetailDTO": [
                                    {
                                        "SendDate": "2026-03-10 10:00:00",
                                        "PhoneNum": params.get("PhoneNumber"),
                                        **fake.report,
                                    }
                                ]
                            },
                        },
                    )
                else:
                    status, body = 404, {"Code": "InvalidAction.NotFound", "Message": "Specified api is not found"}
                payload = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeAliyunSms:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"
