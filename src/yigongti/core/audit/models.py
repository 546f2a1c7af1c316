"""Append-only audit log, hash-chained with SM3 (PLAT-06, SEC-01/02).

Rows are spread over a few independent chains (``settings.AUDIT_CHAINS``) so concurrent writers do
not all wait on one lock. Within a chain every row stores its sequence number, the previous row's
hash and its own hash over its content; the chain head keeps the last sequence and hash, so a
modified, deleted or truncated row is detected by ``yigongti audit-verify``.
"""

from __future__ import annotations

from django.db import models

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.scope import ScopeSpec


class AuditLog(models.Model):
    chain = models.PositiveSmallIntegerField("链", editable=False)
    seq = models.PositiveBigIntegerField("链内序号", editable=False)
    created_at = models.DateTimeField("操作时间", db_index=True, editable=False)
    log_type = models.CharField("日志类别", max_length=16, choices=LogType.choices, db_index=True)
    category = models.CharField("审计类型", max_length=24, choices=Category.choices, db_index=True)
    action = models.CharField("操作", max_length=100, blank=True)
    project = models.CharField("项目", max_length=50, blank=True)
    user_id = models.BigIntegerField("用户ID", null=True, blank=True, db_index=True)
    user_code = models.CharField("用户编码", max_length=150, blank=True, db_index=True)
    user_name = models.CharField("用户名称", max_length=150, blank=True)
    role_names = models.CharField("角色", max_length=300, blank=True)
    ip = models.CharField("IP", max_length=64, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    institution_id = models.BigIntegerField("机构ID", null=True, blank=True, db_index=True)
    institution_name = models.CharField("机构", max_length=200, blank=True)
    department_name = models.CharField("部门", max_length=200, blank=True)
    object_type = models.CharField("类名", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    content = models.TextField("内容", blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    success = models.BooleanField("是否成功", default=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")]
        indexes = [models.Index(fields=["log_type", "-created_at"], name="audit_type_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.user_code} {self.get_category_display()}"


class AuditChainHead(models.Model):
    chain = models.PositiveSmallIntegerField(primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return f"chain {self.chain} @ {self.seq}"
