"""Every read checks MD5 and SM3 first: tampered, truncated or missing files are never served."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.files.models import Attachment
from yigongti.platform.files.tests import samples
from yigongti.platform.files.tests.conftest import ALL_CODES, URL, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(api_world: Any, residents: Any, storage_root: Path) -> tuple[Any, Attachment, Path]:
    client = api_world.client_for(ALL_CODES)
    response = upload(client, residents.home, samples.png(40, 30), "心电图.png", category="imaging")
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get(pk=response.json()["id"])
    return client, attachment, storage_root / attachment.storage_key


def integrity_rows(attachment: Attachment) -> Any:
    return AuditLog.objects.filter(action="files.attachment.integrity_error", object_id=str(attachment.pk))


def flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-20] ^= 0x01  # same size, different content
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("endpoint", ["download", "preview"])
def test_tampered_file_is_refused_and_audited(stored: tuple[Any, Attachment, Path], endpoint: str) -> None:
    client, attachment, path = stored
    flip_one_byte(path)
    reads_before = AuditLog.objects.filter(category="read", success=True).count()
    response = client.get(f"{URL}/{attachment.pk}/{endpoint}")
    body = assert_error(response, 409, "FILE_INTEGRITY_ERROR")
    assert body["message"] == "文件校验失败，可能已被篡改"
    assert response["Content-Type"] == "application/json"
    assert samples.png(40, 30)[:8] not in response.content
    row = integrity_rows(attachment).get()
    assert (row.log_type, row.category, row.success) == ("business", "read", False)
    assert row.before == {"size": attachment.size, "md5": attachment.md5, "sm3": attachment.sm3}
    assert row.after["size"] == attachment.size
    assert row.after["sm3"] != attachment.sm3 and row.after["md5"] != attachment.md5
    assert "校验失败" in row.content and "心电图.png" in row.content
    assert AuditLog.objects.filter(category="read", success=True).count() == reads_before  # no read logged


def test_truncated_file_is_refused(stored: tuple[Any, Attachment, Path]) -> None:
    client, attachment, path = stored
    path.write_bytes(path.read_bytes()[:-1])
    assert_error(client.get(f"{URL}/{attachment.pk}/download"), 409, "FILE_INTEGRITY_ERROR")
    assert integrity_rows(attachment).get().after["size"] == attachment.size - 1


def test_replaced_file_with_the_same_size_is_refused(stored: tuple[Any, Attachment, Path]) -> None:
    client, attachment, path = stored
    path.write_bytes(samples.PDF[: attachment.size].ljust(attachment.size, b" "))
    assert path.stat().st_size == attachment.size
    assert_error(client.get(f"{URL}/{attachment.pk}/download"), 409, "FILE_INTEGRITY_ERROR")


def test_missing_file_is_a_409_and_audited(stored: tuple[Any, Attachment, Path]) -> None:
    client, attachment, path = stored
    path.unlink()
    body = assert_error(client.get(f"{URL}/{attachment.pk}/download"), 409, "FILE_MISSING")
    assert "不存在" in body["message"]
    row = integrity_rows(attachment).get()
    assert row.after is None and row.success is False


def test_restored_file_is_served_again(stored: tuple[Any, Attachment, Path]) -> None:
    client, attachment, path = stored
    original = path.read_bytes()
    flip_one_byte(path)
    assert client.get(f"{URL}/{attachment.pk}/download").status_code == 409
    path.write_bytes(original)
    response = client.get(f"{URL}/{attachment.pk}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == original
