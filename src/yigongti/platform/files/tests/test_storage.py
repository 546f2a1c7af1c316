"""The local backend, keys, digests and backend selection."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from yigongti.core.crypto import sm3_hex
from yigongti.platform.files import conf
from yigongti.platform.files.s3 import S3Storage
from yigongti.platform.files.services import digest_stream
from yigongti.platform.files.storage import LocalStorage, ObjectMissing, StorageError, get_storage, new_key

SM3_OF_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"  # GB/T 32905 example 1


def test_sm3_of_the_standard_example() -> None:
    assert sm3_hex(b"abc") == SM3_OF_ABC
    assert digest_stream(io.BytesIO(b"abc")).sm3 == SM3_OF_ABC


def test_streaming_digests_match_whole_file_digests() -> None:
    data = bytes(range(256)) * 9000  # more than one read chunk
    digests = digest_stream(io.BytesIO(data))
    assert digests.size == len(data)
    assert digests.md5 == hashlib.md5(data).hexdigest()
    assert digests.sm3 == sm3_hex(data)


def test_keys_are_content_addressed_with_a_random_suffix() -> None:
    sm3 = sm3_hex(b"x")
    first, second = new_key(sm3), new_key(sm3)
    assert first != second
    assert re.fullmatch(rf"{sm3[:2]}/{sm3[2:4]}/{sm3}-[0-9a-f]{{16}}", first)
    with pytest.raises(ValueError):
        new_key("../../etc/passwd")


def test_local_round_trip(storage_root: Path) -> None:
    storage = LocalStorage()
    data = "心电图报告".encode() * 1000
    key = new_key(sm3_hex(data))
    storage.save(key, io.BytesIO(data), len(data))
    path = storage_root / key
    assert path.read_bytes() == data
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind
    with storage.open(key) as handle:
        assert handle.read() == data
    storage.delete(key)
    assert not path.exists()
    storage.delete(key)  # deleting twice is harmless
    with pytest.raises(ObjectMissing):
        storage.open(key)


@pytest.mark.parametrize("key", ["../x", "ab/cd/../../../etc/passwd", "ab/cd/报告.pdf", ""])
def test_local_refuses_keys_it_did_not_make(key: str) -> None:
    with pytest.raises(StorageError):
        LocalStorage().open(key)


def test_default_root_is_under_media_root(settings: Any) -> None:
    del settings.FILE_STORAGE_ROOT
    assert conf.local_root() == (Path(settings.MEDIA_ROOT) / "attachments").resolve()


def test_backend_selection(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(get_storage(), LocalStorage)
    settings.FILE_STORAGE = "s3"
    with pytest.raises(ImproperlyConfigured, match="S3_ENDPOINT_URL"):
        get_storage()
    settings.S3_ENDPOINT_URL = "http://127.0.0.1:9000"
    settings.S3_BUCKET = "yigongti"
    settings.S3_ACCESS_KEY = "minio"
    monkeypatch.setenv("S3_SECRET_KEY", "from-the-environment")
    backend = get_storage()
    assert isinstance(backend, S3Storage)
    assert backend.signer.secret_key == "from-the-environment"
    assert backend.signer.region == "us-east-1"
    assert "from-the-environment" not in repr(backend)
    settings.FILE_STORAGE = "ftp"
    with pytest.raises(ImproperlyConfigured):
        get_storage()


def test_size_limits_default_to_20_and_100_mb() -> None:
    assert conf.max_size("lab_report") == 20 * 1024 * 1024
    assert conf.max_size("medical_record") == 20 * 1024 * 1024
    assert conf.max_size("other") == 20 * 1024 * 1024
    assert conf.max_size("imaging") == 100 * 1024 * 1024
    assert conf.max_size("ecg_waveform") == 100 * 1024 * 1024
