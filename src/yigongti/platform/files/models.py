"""附件 (PLAT-11): a file attached to any record that opted in (see ``attachables``).

The bytes live in a storage backend under a content-addressed key that never contains the client's
filename; the row keeps the MD5 and SM3 digests taken at upload, and every read checks them again.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from yigongti.core.scope import ScopeSpec
from yigongti.platform.files.choices import AttachmentCategory, StorageBackend


class Attachment(models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name="所属记录类型", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField("所属记录ID", max_length=64)
    owner = GenericForeignKey("content_type", "object_id")
    institution = models.ForeignKey(
        "org.Institution", verbose_name="所属机构", on_delete=models.PROTECT, related_name="attachments"
    )
    category = models.CharField("类别", max_length=20, choices=AttachmentCategory.choices)
    original_name = models.CharField("原文件名", max_length=255)
    mime_type = models.CharField("文件类型", max_length=100, help_text="按文件内容识别，不看扩展名")
    kind = models.CharField("格式", max_length=20)
    size = models.PositiveBigIntegerField("大小（字节）")
    md5 = models.CharField("MD5", max_length=32)
    sm3 = models.CharField("SM3", max_length=64, db_index=True)
    storage_backend = models.CharField("存储位置", max_length=10, choices=StorageBackend.choices)
    storage_key = models.CharField("存储键", max_length=255, unique=True, editable=False)
    description = models.CharField("说明", max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True, db_index=True)
    is_deleted = models.BooleanField("已删除", default=False)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="删除人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "is_deleted"], name="files_att_owner_idx"),
            models.Index(fields=["institution", "-created_at"], name="files_att_inst_time_idx"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def owner_type(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"
