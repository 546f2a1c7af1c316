"""S3-compatible object storage (MinIO, Ceph RGW, AWS S3) over ``urllib`` with AWS Signature V4.

Path-style addressing (``<endpoint>/<bucket>/<key>``), signed payloads (the SHA-256 of the body is
part of the signature), one request per operation with a timeout. The signing follows the S3
documentation "Signature Calculations for the Authorization Header: Transferring Payload in a
Single Chunk"; ``tests/test_s3.py`` checks it against that page's GET Object example.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import urllib.error
import urllib.parse
import urllib.request
import urllib.response
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from django.core.exceptions import ImproperlyConfigured

from yigongti.platform.files import conf
from yigongti.platform.files.storage import COPY_CHUNK, ObjectMissing, StorageError, check_key

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


# -- Signature Version 4 ---------------------------------------------------------------------


def uri_encode(value: str, *, encode_slash: bool = True) -> str:
    """UriEncode() of the S3 docs: every byte except A-Z a-z 0-9 - _ . ~ (and ``/`` in paths)."""
    return urllib.parse.quote(value, safe="-_.~" if encode_slash else "-_.~/")


def canonical_query(params: Mapping[str, str]) -> str:
    pairs = sorted((uri_encode(k), uri_encode(v)) for k, v in params.items())
    return "&".join(f"{k}={v}" for k, v in pairs)


def canonical_headers(headers: Mapping[str, str]) -> tuple[str, str]:
    """(CanonicalHeaders, SignedHeaders): lower-case names, trimmed values, sorted by name."""
    items = sorted((name.lower().strip(), " ".join(str(value).split())) for name, value in headers.items())
    text = "".join(f"{name}:{value}\n" for name, value in items)
    return text, ";".join(name for name, _ in items)


def canonical_request(
    method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str], payload_hash: str
) -> tuple[str, str]:
    """(CanonicalRequest, SignedHeaders). ``path`` is already URI-encoded (S3 encodes once)."""
    header_text, signed = canonical_headers(headers)
    text = "\n".join([method.upper(), path or "/", canonical_query(query), header_text, signed, payload_hash])
    return text, signed


def credential_scope(date: str, region: str, service: str) -> str:
    return f"{date}/{region}/{service}/aws4_request"


def string_to_sign(amz_date: str, scope: str, canonical: str) -> str:
    return "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])


def signing_key(secret_key: str, date: str, region: str, service: str) -> bytes:
    key = f"AWS4{secret_key}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def signature(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SigV4Signer:
    access_key: str
    secret_key: str = field(repr=False)
    region: str = "us-east-1"
    service: str = "s3"

    def authorization(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        payload_hash: str,
        amz_date: str,
        query: Mapping[str, str] | None = None,
    ) -> str:
        """The ``Authorization`` header for a request whose headers (all signed) are ``headers``."""
        date = amz_date[:8]
        canonical, signed = canonical_request(method, path, query or {}, headers, payload_hash)
        scope = credential_scope(date, self.region, self.service)
        key = signing_key(self.secret_key, date, self.region, self.service)
        sig = signature(key, string_to_sign(amz_date, scope, canonical))
        return f"{ALGORITHM} Credential={self.access_key}/{scope},SignedHeaders={signed},Signature={sig}"


# -- the storage backend ---------------------------------------------------------------------


def _sha256_of(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(COPY_CHUNK):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


@dataclass
class S3Storage:
    endpoint: str
    bucket: str
    signer: SigV4Signer
    prefix: str = "attachments/"
    timeout: float = 30.0
    name: str = "s3"

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.endpoint)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ImproperlyConfigured("S3_ENDPOINT_URL 必须是 http(s)://主机[:端口] 形式")
        self._host = parts.netloc
        self._base = f"{parts.scheme}://{parts.netloc}"
        self._root = parts.path.rstrip("/")
        # Never route object storage traffic through the environment's HTTP proxy.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    @classmethod
    def from_settings(cls) -> S3Storage:
        values = {n: conf.setting(n) for n in ("S3_ENDPOINT_URL", "S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY")}
        missing = [n for n, v in values.items() if not v]
        if missing:
            raise ImproperlyConfigured(f"FILE_STORAGE=s3 需要设置 {', '.join(missing)}")
        return cls(
            endpoint=str(values["S3_ENDPOINT_URL"]),
            bucket=str(values["S3_BUCKET"]),
            signer=SigV4Signer(
                access_key=str(values["S3_ACCESS_KEY"]),
                secret_key=str(values["S3_SECRET_KEY"]),
                region=str(conf.setting("S3_REGION", "us-east-1")),
            ),
            prefix=str(conf.setting("S3_KEY_PREFIX", "attachments/")),
            timeout=float(conf.setting("S3_TIMEOUT", 30)),
        )

    def object_path(self, key: str) -> str:
        return f"{self._root}/{uri_encode(self.bucket)}/{uri_encode(self.prefix + check_key(key), encode_slash=False)}"

    def _request(
        self, method: str, key: str, *, body: BinaryIO | None = None, size: int = 0, payload_hash: str = EMPTY_SHA256
    ) -> urllib.response.addinfourl:
        path = self.object_path(key)
        amz_date = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        headers = {"Host": self._host, "x-amz-date": amz_date, "x-amz-content-sha256": payload_hash}
        if body is not None:
            headers |= {"Content-Type": "application/octet-stream", "Content-Length": str(size)}
        headers["Authorization"] = self.signer.authorization(method, path, headers, payload_hash, amz_date)
        request = urllib.request.Request(self._base + path, data=body, method=method, headers=headers)  # noqa: S310 — scheme checked
        try:
            return cast(urllib.response.addinfourl, self._opener.open(request, timeout=self.timeout))
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 404 and method in {"GET", "HEAD"}:
                raise ObjectMissing(key) from None
            raise StorageError(f"S3 {method} {key}: HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StorageError(f"S3 {method} {key}: {exc}") from None

    def save(self, key: str, stream: BinaryIO, size: int) -> None:
        payload_hash = _sha256_of(stream)
        with self._request("PUT", key, body=stream, size=size, payload_hash=payload_hash):
            pass

    def open(self, key: str) -> BinaryIO:
        return cast(BinaryIO, self._request("GET", key))

    def delete(self, key: str) -> None:
        try:
            with self._request("DELETE", key):
                pass
        except ObjectMissing:
            pass
