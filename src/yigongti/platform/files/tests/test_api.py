"""The attachment API: upload, list, download, delete and the owner-access matrix (PLAT-11)."""

from __future__ import annotations

import hashlib
import io
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yigongti.core.audit.models import AuditLog
from yigongti.core.crypto import sm3_hex
from yigongti.core.testing.api import assert_error
from yigongti.platform.files.access import access_owner
from yigongti.platform.files.models import Attachment
from yigongti.platform.files.services import attachment_upload
from yigongti.platform.files.tests import samples
from yigongti.platform.files.tests.conftest import ALL_CODES, URL, stored_files, upload
from yigongti.platform.registry.testing import make_resident
from yigongti.platform.testing import make_user

pytestmark = pytest.mark.django_db


def attach(world: Any, owner: Any, content: bytes = samples.PDF, name: str = "报告.pdf", **kw: Any) -> Attachment:
    """An attachment made through the service by an all-seeing user (for another institution's record)."""
    admin = make_user(world.home, [*ALL_CODES, "org.institution.view"], scope="all")
    label = kw.pop("owner_type", "registry.resident")
    return attachment_upload(
        owner=access_owner(admin, label, owner.pk, for_write=True),
        category=kw.pop("category", "lab_report"),
        filename=name,
        stream=io.BytesIO(content),
        actor=admin,
        **kw,
    )


def test_upload_stores_hashes_and_audits(api_world: Any, residents: Any, storage_root: Path) -> None:
    client = api_world.client_for(ALL_CODES)
    response = upload(client, residents.home, samples.PDF, "血常规报告.pdf", description="门诊复查")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner_type"] == "registry.resident"
    assert body["owner_id"] == str(residents.home.pk)
    assert body["institution"] == api_world.home.pk
    assert body["original_name"] == "血常规报告.pdf"
    assert (body["mime_type"], body["kind"], body["size"]) == ("application/pdf", "pdf", len(samples.PDF))
    assert body["md5"] == hashlib.md5(samples.PDF).hexdigest()
    assert body["sm3"] == sm3_hex(samples.PDF)
    assert body["category_display"] == "检验报告"
    assert body["uploaded_by_name"] == api_world.last_user.name
    attachment = Attachment.objects.get(pk=body["id"])
    assert attachment.uploaded_by == api_world.last_user
    assert attachment.description == "门诊复查"
    files = stored_files(storage_root)
    assert files == [storage_root / attachment.storage_key]
    assert files[0].read_bytes() == samples.PDF
    assert "血常规" not in str(files[0]) and ".pdf" not in str(files[0])
    assert attachment.storage_key.split("/")[-1].startswith(attachment.sm3)
    log = AuditLog.objects.get(category="create", object_type="files.attachment")
    assert log.log_type == "data"
    assert log.object_id == str(attachment.pk)
    assert log.after["sm3"] == attachment.sm3
    assert "血常规报告.pdf" in log.content


def test_large_upload_goes_through_a_temporary_file(api_world: Any, residents: Any) -> None:
    content = samples.CSV * 150_000  # ~3.5 MB: above FILE_UPLOAD_MAX_MEMORY_SIZE
    response = upload(api_world.client_for(ALL_CODES), residents.home, content, "随访.csv", category="other")
    assert response.status_code == 201, response.content
    assert response.json()["sm3"] == sm3_hex(content)
    assert response.json()["mime_type"] == "text/csv"


def test_list_needs_owner_and_shows_only_that_records_live_attachments(api_world: Any, residents: Any) -> None:
    client = api_world.client_for(ALL_CODES)
    assert_error(client.get(URL), 400, "VALIDATION_ERROR")
    first = attach(api_world, residents.home, name="a.pdf")
    second = attach(api_world, residents.home, samples.png(), name="b.png", category="imaging")
    deleted = attach(api_world, residents.home, name="c.pdf")
    Attachment.objects.filter(pk=deleted.pk).update(is_deleted=True)
    attach(api_world, make_resident(api_world.home), name="elsewhere.pdf")
    body = client.get(URL, {"owner_type": "registry.resident", "owner_id": residents.home.pk}).json()
    assert [row["id"] for row in body["results"]] == [second.pk, first.pk]
    assert body["count"] == 2
    images = client.get(URL, {"owner_type": "registry.resident", "owner_id": residents.home.pk, "category": "imaging"})
    assert [row["id"] for row in images.json()["results"]] == [second.pk]
    log = AuditLog.objects.filter(category="list", object_type="files.attachment").first()
    assert log is not None and log.log_type == "business"


def test_download_verifies_streams_and_audits(api_world: Any, residents: Any) -> None:
    attachment = attach(api_world, residents.home, samples.TEXT, name="随访 记录(1).txt", category="other")
    client = api_world.client_for(["files.attachment.view", "registry.resident.view"])
    before = AuditLog.objects.filter(category="read").count()
    response = client.get(f"{URL}/{attachment.pk}/download", HTTP_ACCEPT="text/plain")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.TEXT
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Length"] == str(len(samples.TEXT))
    quoted = urllib.parse.quote("随访 记录(1).txt", safe="")
    assert response["Content-Disposition"] == f"attachment; filename=\"__ __(1).txt\"; filename*=UTF-8''{quoted}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    logs = AuditLog.objects.filter(category="read").order_by("id")
    assert logs.count() == before + 1
    log = logs.last()
    assert log is not None
    assert (log.log_type, log.object_type, log.object_id) == ("business", "files.attachment", str(attachment.pk))
    assert log.user_code == api_world.last_user.username
    assert "下载附件" in log.content


def test_retrieve_is_metadata_only(api_world: Any, residents: Any) -> None:
    attachment = attach(api_world, residents.home)
    response = api_world.client_for(ALL_CODES).get(f"{URL}/{attachment.pk}")
    assert response.status_code == 200
    assert response.json()["sm3"] == attachment.sm3
    assert "storage_key" not in response.json()


def test_other_institutions_record_is_not_found_everywhere(api_world: Any, residents: Any, storage_root: Path) -> None:
    theirs = attach(api_world, residents.other)
    files_before = stored_files(storage_root)
    client = api_world.client_for(ALL_CODES)
    audit_before = AuditLog.objects.count()
    assert_error(upload(client, residents.other, samples.PDF), 404, "NOT_FOUND")
    assert_error(client.get(URL, {"owner_type": "registry.resident", "owner_id": residents.other.pk}), 404, "NOT_FOUND")
    assert_error(client.get(f"{URL}/{theirs.pk}"), 404, "NOT_FOUND")
    assert_error(client.get(f"{URL}/{theirs.pk}/download"), 404, "NOT_FOUND")
    assert_error(client.get(f"{URL}/{theirs.pk}/preview"), 404, "NOT_FOUND")
    assert_error(client.delete(f"{URL}/{theirs.pk}"), 404, "NOT_FOUND")
    assert_error(upload(client, residents.far, samples.PDF), 404, "NOT_FOUND")
    # the same answer as an id that does not exist
    assert_error(client.get(f"{URL}/999999/download"), 404, "NOT_FOUND")
    assert_error(upload(client, type("Missing", (), {"pk": 999999})(), samples.PDF), 404, "NOT_FOUND")
    assert_error(upload(client, type("Bad", (), {"pk": "abc"})(), samples.PDF), 404, "NOT_FOUND")
    assert Attachment.objects.filter(object_id=str(residents.other.pk)).count() == 1
    assert Attachment.objects.get(pk=theirs.pk).is_deleted is False
    assert stored_files(storage_root) == files_before
    assert AuditLog.objects.count() == audit_before


def test_community_scope_reaches_the_other_institution(api_world: Any, residents: Any) -> None:
    theirs = attach(api_world, residents.other)
    client = api_world.client_for(ALL_CODES, scope="community")
    assert client.get(f"{URL}/{theirs.pk}/download").status_code == 200
    assert upload(client, residents.other, samples.PDF).status_code == 201
    assert_error(upload(client, residents.far, samples.PDF), 404, "NOT_FOUND")


def test_permission_codes(api_world: Any, residents: Any) -> None:
    mine = attach(api_world, residents.home)
    assert_error(api_world.anonymous().get(f"{URL}/{mine.pk}/download"), 401, "NOT_AUTHENTICATED")
    viewer = api_world.client_for(["files.attachment.view", "registry.resident.view"])
    assert_error(upload(viewer, residents.home, samples.PDF), 403, "PERMISSION_DENIED")
    assert_error(viewer.delete(f"{URL}/{mine.pk}"), 403, "PERMISSION_DENIED")
    # the files codes alone are not enough: the owner's view code is needed as well
    blind = api_world.client_for(["files.attachment.view", "files.attachment.add", "files.attachment.delete"])
    assert_error(upload(blind, residents.home, samples.PDF), 403, "PERMISSION_DENIED")
    assert_error(blind.get(URL, {"owner_type": "registry.resident", "owner_id": residents.home.pk}), 403)
    assert_error(blind.get(f"{URL}/{mine.pk}/download"), 404, "NOT_FOUND")  # by id: reveal nothing
    assert_error(blind.delete(f"{URL}/{mine.pk}"), 404, "NOT_FOUND")
    no_files = api_world.client_for(["registry.resident.view"])
    assert_error(no_files.get(f"{URL}/{mine.pk}/download"), 403, "PERMISSION_DENIED")
    assert Attachment.objects.filter(is_deleted=False).count() == 1


def test_owner_type_must_have_opted_in(api_world: Any, residents: Any) -> None:
    client = api_world.client_for([*ALL_CODES, "accounts.user.view"])
    body = assert_error(upload(client, api_world.last_user, samples.PDF, owner_type="accounts.user"), 400)
    assert body["code"] == "OWNER_TYPE_NOT_ATTACHABLE"
    assert "registry.resident" in body["fields"]["owner_type"][0]


def test_institution_records_take_attachments(api_world: Any) -> None:
    client = api_world.client_for([*ALL_CODES, "org.institution.view"])
    response = upload(
        client, api_world.home, samples.PDF, "执业许可证.pdf", category="other", owner_type="org.institution"
    )
    assert response.status_code == 201, response.content
    assert response.json()["institution"] == api_world.home.pk
    assert_error(upload(client, api_world.other, samples.PDF, owner_type="org.institution"), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (samples.png(), "报告.pdf", "FILE_TYPE_MISMATCH"),
        (samples.ELF, "报告.pdf", "FILE_TYPE_FORBIDDEN"),
        (samples.PE, "setup.exe", "FILE_TYPE_FORBIDDEN"),
        (b"", "空.pdf", "FILE_EMPTY"),
        (samples.WFDB_HEADER, "100.hea", "FILE_TYPE_NOT_ALLOWED"),
    ],
)
def test_refused_uploads_leave_no_trace(
    api_world: Any, residents: Any, storage_root: Path, content: bytes, name: str, code: str
) -> None:
    client = api_world.client_for(ALL_CODES)
    audit_before = AuditLog.objects.count()
    body = assert_error(upload(client, residents.home, content, name), 400, code)
    if code == "FILE_TYPE_MISMATCH":
        assert body["message"] == "文件内容与扩展名不符"
    assert not Attachment.objects.exists()
    assert stored_files(storage_root) == []
    assert AuditLog.objects.count() == audit_before


def test_ecg_waveforms_are_accepted_under_their_category(api_world: Any, residents: Any) -> None:
    client = api_world.client_for(ALL_CODES)
    header = upload(client, residents.home, samples.WFDB_HEADER, "100.hea", category="ecg_waveform")
    signal = upload(client, residents.home, samples.WFDB_SIGNAL, "100.dat", category="ecg_waveform")
    assert (header.status_code, signal.status_code) == (201, 201)
    assert (header.json()["kind"], signal.json()["kind"]) == ("wfdb_header", "wfdb_signal")


def test_size_limits_per_category(api_world: Any, residents: Any, settings: Any) -> None:
    settings.FILE_MAX_SIZE = 1000
    settings.FILE_MAX_SIZE_BY_CATEGORY = {"ecg_waveform": 3000}
    client = api_world.client_for(ALL_CODES)
    ok = samples.TEXT + b"x" * (1000 - len(samples.TEXT))
    assert upload(client, residents.home, ok, "a.txt", category="other").status_code == 201
    body = assert_error(upload(client, residents.home, ok + b"x", "a.txt", category="other"), 413, "FILE_TOO_LARGE")
    assert body["message"] == "文件大小超过上限：“其他”类附件最大 1000 字节。"
    assert upload(client, residents.home, ok * 3, "a.txt", category="ecg_waveform").status_code == 201
    assert_error(upload(client, residents.home, ok * 3 + b"x", "a.txt", category="ecg_waveform"), 413, "FILE_TOO_LARGE")
    settings.FILE_MAX_SIZE = 20 * 1024 * 1024
    assert_error(
        upload(client, residents.home, b"a" * (20 * 1024 * 1024 + 1), "big.txt", category="lab_report"),
        413,
        "FILE_TOO_LARGE",
    )
    assert Attachment.objects.count() == 2


def test_bad_form_is_a_chinese_400(api_world: Any, residents: Any) -> None:
    client = api_world.client_for(ALL_CODES)
    body = assert_error(
        client.post(URL, {"owner_type": "registry.resident"}, format="multipart"), 400, "VALIDATION_ERROR"
    )
    assert {"owner_id", "category", "file"} <= set(body["fields"])
    body = assert_error(upload(client, residents.home, samples.PDF, category="x-ray"), 400, "VALIDATION_ERROR")
    assert "category" in body["fields"]


def test_delete_is_soft_and_audited(api_world: Any, residents: Any, storage_root: Path) -> None:
    attachment = attach(api_world, residents.home)
    client = api_world.client_for(ALL_CODES)
    response = client.delete(f"{URL}/{attachment.pk}")
    assert response.status_code == 204
    attachment.refresh_from_db()
    assert attachment.is_deleted is True
    assert attachment.deleted_at is not None
    assert attachment.deleted_by == api_world.last_user
    assert (storage_root / attachment.storage_key).exists()  # bytes kept for retention
    log = AuditLog.objects.get(category="delete", object_type="files.attachment")
    assert (log.before["is_deleted"], log.after["is_deleted"]) == (False, True)
    listed = client.get(URL, {"owner_type": "registry.resident", "owner_id": residents.home.pk}).json()
    assert listed["count"] == 0
    assert_error(client.get(f"{URL}/{attachment.pk}/download"), 404, "NOT_FOUND")
    assert_error(client.delete(f"{URL}/{attachment.pk}"), 404, "NOT_FOUND")


def test_list_query_count_does_not_grow(api_world: Any, residents: Any) -> None:
    client = api_world.client_for(ALL_CODES)
    params = {"owner_type": "registry.resident", "owner_id": residents.home.pk}
    attach(api_world, residents.home)
    for _ in range(3):  # every list page writes an audit row on a random chain: create all heads
        client.get(URL, params)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, params).status_code == 200
    for _ in range(5):
        attach(api_world, residents.home)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL, params).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
