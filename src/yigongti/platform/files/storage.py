"""Where attachment bytes live: a small backend interface, the local disk and S3 (``s3.py``).

Keys are content-addressed: ``ab/cd/<sm3>-<random>``. The client's filename never enters a key or
a path, and two uploads of the same bytes get different keys, so deleting one never touches the
other. Each attachment row remembers which backend holds it, so switching ``FILE_STORAGE`` later
leaves older files readable.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from django.core.exceptions import ImproperlyConfigured

from yigongti.platform.files import conf

_KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}-[0-9a-f]{16}$")
COPY_CHUNK = 1024 * 1024


class StorageError(Exception):
    """The backend could not store or return an object."""


class ObjectMissing(StorageError):
    """No object under that key."""


class Storage(Protocol):
    name: str

    def save(self, key: str, stream: BinaryIO, size: int) -> None: ...

    def open(self, key: str) -> BinaryIO: ...

    def delete(self, key: str) -> None: ...


def new_key(sm3: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", sm3):
        raise ValueError("sm3 must be 64 lowercase hex digits")
    return f"{sm3[:2]}/{sm3[2:4]}/{sm3}-{secrets.token_hex(8)}"


def check_key(key: str) -> str:
    if not _KEY.match(key):
        raise StorageError(f"invalid storage key {key!r}")
    return key


class LocalStorage:
    """Files under ``FILE_STORAGE_ROOT`` (default ``MEDIA_ROOT/attachments``), written atomically."""

    name = "local"

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or conf.local_root()).resolve()

    def path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if self.root not in path.parents:
            raise StorageError("key escapes the storage root")
        return path

    def save(self, key: str, stream: BinaryIO, size: int) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=".upload-", delete=False)  # noqa: SIM115
        try:
            with handle:
                stream.seek(0)
                shutil.copyfileobj(stream, handle, COPY_CHUNK)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(handle.name, 0o640)
            os.replace(handle.name, target)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        try:
            return self.path(key).open("rb")
        except FileNotFoundError:
            raise ObjectMissing(key) from None

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def get_storage(name: str | None = None) -> Storage:
    """The backend called ``name`` (default: ``FILE_STORAGE``, ``local`` unless set to ``s3``)."""
    chosen = (name or conf.storage_name()).lower()
    if chosen == "local":
        return LocalStorage()
    if chosen == "s3":
        from yigongti.platform.files.s3 import S3Storage

        return S3Storage.from_settings()
    raise ImproperlyConfigured(f"FILE_STORAGE must be 'local' or 's3', not {chosen!r}")
