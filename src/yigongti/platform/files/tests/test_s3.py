"""S3 storage: Signature V4 against the AWS documentation example, and round trips against a fake
S3 server (``http.server`` on 127.0.0.1) that checks every request's signature."""

from __future__ import annotations

import hashlib
import io
import re
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from yigongti.core.audit.models import AuditLog
from yigongti.platform.files import s3
from yigongti.platform.files.models import Attachment
from yigongti.platform.files.storage import ObjectMissing, StorageError, new_key
from yigongti.platform.files.tests import samples
from yigongti.platform.files.tests.conftest import ALL_CODES, URL, stored_files, upload

# The example of the S3 API reference, "Signature Calculations for the Authorization Header:
# Transferring Payload in a Single Chunk (AWS Signature Version 4)" → "Example: GET Object".
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
EXAMPLE_HEADERS = {
    "Host": "examplebucket.s3.amazonaws.com",
    "Range": "bytes=0-9",
    "x-amz-content-sha256": s3.EMPTY_SHA256,
    "x-amz-date": "20130524T000000Z",
}
EXAMPLE_CANONICAL_REQUEST = (
    "GET\n/test.txt\n\n"
    "host:examplebucket.s3.amazonaws.com\n"
    "range:bytes=0-9\n"
    "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
    "x-amz-date:20130524T000000Z\n\n"
    "host;range;x-amz-content-sha256;x-amz-date\n"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)
EXAMPLE_STRING_TO_SIGN = (
    "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
    "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
)
EXAMPLE_SIGNATURE = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"


def test_sigv4_matches_the_aws_documentation_example() -> None:
    canonical, signed = s3.canonical_request("GET", "/test.txt", {}, EXAMPLE_HEADERS, s3.EMPTY_SHA256)
    assert canonical == EXAMPLE_CANONICAL_REQUEST
    assert signed == "host;range;x-amz-content-sha256;x-amz-date"
    scope = s3.credential_scope("20130524", "us-east-1", "s3")
    assert s3.string_to_sign("20130524T000000Z", scope, canonical) == EXAMPLE_STRING_TO_SIGN
    key = s3.signing_key(SECRET_KEY, "20130524", "us-east-1", "s3")
    assert len(key) == 32
    assert s3.signature(key, EXAMPLE_STRING_TO_SIGN) == EXAMPLE_SIGNATURE
    header = s3.SigV4Signer(ACCESS_KEY, SECRET_KEY).authorization(
        "GET", "/test.txt", EXAMPLE_HEADERS, s3.EMPTY_SHA256, "20130524T000000Z"
    )
    assert header == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        f"SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature={EXAMPLE_SIGNATURE}"
    )


def test_uri_encoding_and_header_canonicalisation() -> None:
    assert s3.uri_encode("a b/c~d*e", encode_slash=False) == "a%20b/c~d%2Ae"
    assert s3.uri_encode("a/b") == "a%2Fb"
    assert s3.canonical_query({"prefix": "a b", "list-type": "2"}) == "list-type=2&prefix=a%20b"
    text, signed = s3.canonical_headers({"X-Amz-Meta-Note": "  two   spaces ", "Host": "h"})
    assert text == "host:h\nx-amz-meta-note:two spaces\n"
    assert signed == "host;x-amz-meta-note"


class FakeS3:
    """Objects in memory; refuses any request whose SigV4 signature does not verify."""

    def __init__(self, access_key: str = "test-access", secret_key: str = "test-secret", region: str = "cn-east-1"):
        self.signer = s3.SigV4Signer(access_key, secret_key, region)
        self.objects: dict[str, bytes] = {}
        self.requests: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _authorised(self, body: bytes) -> bool:
                auth = self.headers.get("Authorization", "")
                match = re.fullmatch(
                    r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/s3/aws4_request,"
                    r"SignedHeaders=([a-z0-9\-;]+),Signature=([0-9a-f]{64})",
                    auth,
                )
                if not match or match.group(1) != fake.signer.access_key or match.group(3) != fake.signer.region:
                    return False
                payload_hash = self.headers.get("x-amz-content-sha256", "")
                if payload_hash != hashlib.sha256(body).hexdigest():
                    return False
                signed = match.group(4).split(";")
                if "host" not in signed or "x-amz-date" not in signed:
                    return False
                headers = {name: self.headers[name] for name in signed}
                path = urllib.parse.urlsplit(self.path).path
                expected = fake.signer.authorization(
                    self.command, path, headers, payload_hash, self.headers["x-amz-date"]
                )
                return expected == auth

            def _reply(self, code: int, body: bytes = b"") -> None:
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fake.requests.append((self.command, self.path))
                if not self._authorised(body):
                    return self._reply(403, b"<Error><Code>SignatureDoesNotMatch</Code></Error>")
                name = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
                if self.command == "PUT":
                    fake.objects[name] = body
                    return self._reply(200)
                if self.command == "GET":
                    if name not in fake.objects:
                        return self._reply(404, b"<Error><Code>NoSuchKey</Code></Error>")
                    return self._reply(200, fake.objects[name])
                fake.objects.pop(name, None)
                return self._reply(204)

            do_PUT = do_GET = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def storage(self, **kw: Any) -> s3.S3Storage:
        return s3.S3Storage(endpoint=self.endpoint, bucket="yigongti", signer=self.signer, timeout=5, **kw)


@pytest.fixture
def fake_s3() -> Iterator[FakeS3]:
    fake = FakeS3()
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()


def test_s3_round_trip(fake_s3: FakeS3) -> None:
    storage = fake_s3.storage()
    data = samples.PDF * 50
    key = new_key(hashlib.sha256(b"any").hexdigest())
    storage.save(key, io.BytesIO(data), len(data))
    assert fake_s3.objects == {f"/yigongti/attachments/{key}": data}
    with storage.open(key) as handle:
        assert handle.read() == data
    storage.delete(key)
    assert fake_s3.objects == {}
    with pytest.raises(ObjectMissing):
        storage.open(key)
    storage.delete(key)  # already gone: fine
    assert [method for method, _ in fake_s3.requests] == ["PUT", "GET", "DELETE", "GET", "DELETE"]


def test_s3_endpoint_with_a_path_prefix(fake_s3: FakeS3) -> None:
    storage = s3.S3Storage(endpoint=fake_s3.endpoint + "/minio/", bucket="b", signer=fake_s3.signer, prefix="")
    key = new_key(hashlib.sha256(b"p").hexdigest())
    storage.save(key, io.BytesIO(b"x"), 1)
    assert fake_s3.objects == {f"/minio/b/{key}": b"x"}


def test_s3_wrong_secret_is_a_storage_error(fake_s3: FakeS3) -> None:
    storage = s3.S3Storage(
        endpoint=fake_s3.endpoint, bucket="b", signer=s3.SigV4Signer("test-access", "wrong", "cn-east-1")
    )
    with pytest.raises(StorageError, match="HTTP 403"):
        storage.save(new_key(hashlib.sha256(b"w").hexdigest()), io.BytesIO(b"x"), 1)
    assert fake_s3.objects == {}


def test_s3_unreachable_is_a_storage_error() -> None:
    storage = s3.S3Storage(endpoint="http://127.0.0.1:9", bucket="b", signer=s3.SigV4Signer("a", "b"), timeout=2)
    with pytest.raises(StorageError):
        storage.open(new_key(hashlib.sha256(b"u").hexdigest()))


@pytest.fixture
def s3_settings(settings: Any, fake_s3: FakeS3) -> FakeS3:
    settings.FILE_STORAGE = "s3"
    settings.S3_ENDPOINT_URL = fake_s3.endpoint
    settings.S3_BUCKET = "yigongti"
    settings.S3_ACCESS_KEY = fake_s3.signer.access_key
    settings.S3_SECRET_KEY = fake_s3.signer.secret_key
    settings.S3_REGION = fake_s3.signer.region
    return fake_s3


def test_api_round_trip_on_s3_and_tampering(
    api_world: Any, residents: Any, s3_settings: FakeS3, storage_root: Any
) -> None:
    client = api_world.client_for(ALL_CODES)
    response = upload(client, residents.home, samples.PDF, "出院小结.pdf", category="medical_record")
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get(pk=response.json()["id"])
    assert attachment.storage_backend == "s3"
    name = f"/yigongti/attachments/{attachment.storage_key}"
    assert s3_settings.objects == {name: samples.PDF}
    assert stored_files(storage_root) == []  # nothing on the local disk

    download = client.get(f"{URL}/{attachment.pk}/download")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == samples.PDF

    s3_settings.objects[name] = samples.PDF.replace(b"200 100", b"999 999")
    tampered = client.get(f"{URL}/{attachment.pk}/download")
    assert tampered.status_code == 409
    assert tampered.json()["code"] == "FILE_INTEGRITY_ERROR"
    assert AuditLog.objects.filter(action="files.attachment.integrity_error", object_id=str(attachment.pk)).count() == 1


def test_api_storage_outage_is_a_503(api_world: Any, residents: Any, s3_settings: FakeS3, settings: Any) -> None:
    settings.S3_SECRET_KEY = "rotated-without-telling-us"
    client = api_world.client_for(ALL_CODES)
    response = upload(client, residents.home, samples.PDF, "a.pdf")
    assert response.status_code == 503
    assert response.json()["code"] == "FILE_STORAGE_ERROR"
    assert not Attachment.objects.exists()
