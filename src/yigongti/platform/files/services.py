"""Writes and verified reads of attachments (PLAT-11).

* ``attachment_upload``: size limit per category, type from content, MD5 + SM3, bytes stored under
  a content-addressed key, the row and its 数据日志 in one transaction (the stored object is removed
  again when the transaction fails).
* ``attachment_open``: reads the stored bytes into a private buffer while hashing them; only when
  size, MD5 and SM3 all match is the buffer handed out, and the read is logged (业务日志). A mismatch
  answers 409 ``FILE_INTEGRITY_ERROR`` and leaves an audit row; the bad bytes are never served.
* ``attachment_delete``: soft delete (the bytes stay for retention), audited.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import tempfile
import unicodedata
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

from cryptography.hazmat.primitives import hashes
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_model_change, audit_read, audit_write, snapshot
from yigongti.core.crypto import constant_time_equal
from yigongti.core.errors import BusinessError, ConflictError, not_found
from yigongti.platform.files import conf
from yigongti.platform.files import error_codes as E
from yigongti.platform.files.access import OwnerRef
from yigongti.platform.files.choices import AttachmentCategory
from yigongti.platform.files.detection import check_upload, extension_of
from yigongti.platform.files.models import Attachment
from yigongti.platform.files.storage import COPY_CHUNK, ObjectMissing, StorageError, get_storage, new_key

PROJECT = "附件"
OBJECT_TYPE = "files.attachment"
SPOOL_BYTES = 8 * 1024 * 1024
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Digests:
    size: int
    md5: str
    sm3: str


def digest_stream(source: IO[bytes], target: IO[bytes] | None = None) -> Digests:
    """Size, MD5 and SM3 of a stream read to its end (copied into ``target`` on the way).

    SM3 is fed incrementally through the same primitive as ``core.crypto.sm3_hex``, so large files
    never sit in memory whole."""
    md5, sm3, size = hashlib.md5(usedforsecurity=False), hashes.Hash(hashes.SM3()), 0
    while chunk := source.read(COPY_CHUNK):
        md5.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return Digests(size=size, md5=md5.hexdigest(), sm3=sm3.finalize().hex())


def clean_filename(name: str | None) -> str:
    """The client's filename for display only: no directories, no control characters, ≤ 255."""
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".") or "未命名"
    if len(base) > 255:
        ext = extension_of(base)
        base = base[: 254 - len(ext)] + "." + ext if ext and len(ext) < 20 else base[:255]
    return base


def storage_unavailable() -> BusinessError:
    return BusinessError(E.FILE_STORAGE_ERROR, "文件存储服务暂不可用，请稍后再试。", status_code=503)


def _check_size(size: int, category: str) -> None:
    if size <= 0:
        raise BusinessError(E.FILE_EMPTY, "文件为空，不能上传。", fields={"file": ["文件为空，不能上传。"]})
    limit = conf.max_size(category)
    if size > limit:
        label = AttachmentCategory(category).label
        message = f"文件大小超过上限：“{label}”类附件最大 {conf.human_size(limit)}。"
        raise BusinessError(E.FILE_TOO_LARGE, message, fields={"file": [message]}, status_code=413)


def attachment_upload(
    *, owner: OwnerRef, category: str, filename: str | None, stream: BinaryIO, description: str = "", actor: Any
) -> Attachment:
    """Store a file for ``owner`` (already accessed with ``for_write``) and record it."""
    if category not in AttachmentCategory.values:
        raise BusinessError("VALIDATION_ERROR", "附件类别无效。", fields={"category": ["附件类别无效。"]})
    name = clean_filename(filename)
    stream.seek(0, 2)
    _check_size(stream.tell(), category)  # before reading anything: refuse oversize uploads cheaply
    stream.seek(0)
    digests = digest_stream(stream)
    stream.seek(0)
    _check_size(digests.size, category)
    detected = check_upload(stream, name, category)
    institution_id = owner.institution_id
    if institution_id is None:
        raise BusinessError(E.OWNER_WITHOUT_INSTITUTION, "该记录没有所属机构，不能添加附件。")
    storage = get_storage()
    key = new_key(digests.sm3)
    try:
        storage.save(key, stream, digests.size)
    except StorageError:
        logger.exception("attachment upload: storage %s refused %s", storage.name, key)
        raise storage_unavailable() from None
    try:
        with transaction.atomic():
            attachment = Attachment(
                content_type=ContentType.objects.get_for_model(owner.attachable.model, for_concrete_model=False),
                object_id=owner.object_id,
                institution_id=institution_id,
                category=category,
                original_name=name,
                mime_type=detected.mime,
                kind=detected.kind,
                size=digests.size,
                md5=digests.md5,
                sm3=digests.sm3,
                storage_backend=storage.name,
                storage_key=key,
                description=description.strip(),
                uploaded_by=actor if getattr(actor, "pk", None) else None,
            )
            attachment.full_clean()
            attachment.save(force_insert=True)
            audit_model_change(
                category=Category.CREATE,
                instance=attachment,
                before=None,
                after=snapshot(attachment),
                project=PROJECT,
                content=f"上传附件“{name}”到{owner.describe()}（{detected.label}，{conf.human_size(digests.size)}）",
            )
    except BaseException:
        with contextlib.suppress(StorageError):
            storage.delete(key)
        raise
    return attachment


def _integrity_failure(attachment: Attachment, owner: OwnerRef, actual: Digests | None, purpose: str) -> None:
    """An audit row that survives the failed request (the caller raises after it)."""
    reason = "存储中找不到文件" if actual is None else "内容与上传时的摘要不一致"
    logger.error("attachment %s integrity failure: %s (key %s)", attachment.pk, reason, attachment.storage_key)
    audit_write(
        AuditEntry(
            log_type=LogType.BUSINESS,
            category=Category.READ,
            action=f"{OBJECT_TYPE}.integrity_error",
            project=PROJECT,
            object_type=OBJECT_TYPE,
            object_id=str(attachment.pk),
            object_repr=attachment.original_name[:200],
            content=f"{purpose}附件“{attachment.original_name}”（{owner.describe()}）时文件校验失败：{reason}，已拒绝提供文件",
            before={"size": attachment.size, "md5": attachment.md5, "sm3": attachment.sm3},
            after=None if actual is None else {"size": actual.size, "md5": actual.md5, "sm3": actual.sm3},
            success=False,
        )
    )


def _matches(attachment: Attachment, actual: Digests) -> bool:
    return (
        actual.size == attachment.size
        and constant_time_equal(actual.md5, attachment.md5)
        and constant_time_equal(actual.sm3, attachment.sm3)
    )


def attachment_open(*, attachment: Attachment, owner: OwnerRef, purpose: str = "下载") -> IO[bytes]:
    """The verified bytes of ``attachment`` in a private buffer positioned at 0 (caller closes)."""
    storage = get_storage(attachment.storage_backend)
    try:
        source = storage.open(attachment.storage_key)
    except ObjectMissing:
        _integrity_failure(attachment, owner, None, purpose)
        raise ConflictError(E.FILE_MISSING, "文件在存储中不存在，可能已被删除或移动，请联系管理员。") from None
    except StorageError:
        logger.exception("attachment %s: storage %s unavailable", attachment.pk, storage.name)
        raise storage_unavailable() from None
    buffer = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 — handed to the caller
    try:
        with contextlib.closing(source):
            actual = digest_stream(source, buffer)
    except (StorageError, OSError):
        buffer.close()
        logger.exception("attachment %s: reading from %s failed", attachment.pk, storage.name)
        raise storage_unavailable() from None
    if not _matches(attachment, actual):
        buffer.close()
        _integrity_failure(attachment, owner, actual, purpose)
        raise ConflictError(E.FILE_INTEGRITY_ERROR, E.INTEGRITY_MESSAGE)
    audit_read(
        instance_type=OBJECT_TYPE,
        ids=[attachment.pk],
        project=PROJECT,
        content=f"{purpose}附件“{attachment.original_name}”（{owner.describe()}）",
    )
    buffer.seek(0)
    return buffer


@transaction.atomic
def attachment_delete(*, attachment: Attachment, owner: OwnerRef, actor: Any) -> Attachment:
    """Soft delete: the row is hidden and the bytes are kept; 数据日志 with before/after."""
    locked = Attachment.objects.select_for_update().filter(pk=attachment.pk, is_deleted=False).first()
    if locked is None:
        raise not_found()
    before = snapshot(locked)
    locked.is_deleted = True
    locked.deleted_at = timezone.now()
    locked.deleted_by = actor if getattr(actor, "pk", None) else None
    locked.save(update_fields=["is_deleted", "deleted_at", "deleted_by"])
    audit_model_change(
        category=Category.DELETE,
        instance=locked,
        before=before,
        after=snapshot(locked),
        project=PROJECT,
        content=f"删除附件“{locked.original_name}”（{owner.describe()}）",
    )
    return locked
