"""Background work records: failed Huey tasks and the database outbox for external deliveries.

No foreign keys to other apps: the dispatcher process needs only these tables.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from yigongti.core import http
from yigongti.core.fields import EncryptedTextField
from yigongti.core.models import TimeStampedModel
from yigongti.core.outbox.choices import OPEN_STATUSES, MessageStatus
from yigongti.core.scope import ScopeSpec

RESERVED_HEADERS = {"host", "content-length", "content-type", "idempotency-key", "transfer-encoding", "connection"}
_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def _mask_headers(value: str | None) -> str | None:
    return "（已加密）" if value else value


class FailedTask(models.Model):
    """A background task that failed after its last retry. Administrators read and re-run it."""

    task_name = models.CharField("任务", max_length=200, db_index=True)
    task_id = models.CharField("任务ID", max_length=64)
    args = models.JSONField("位置参数", default=list, encoder=DjangoJSONEncoder)
    kwargs = models.JSONField("关键字参数", default=dict, encoder=DjangoJSONEncoder)
    rerunnable = models.BooleanField("可重新执行", default=True, help_text="参数能否原样保存为 JSON")
    error = models.TextField("错误")
    traceback = models.TextField("堆栈", blank=True)
    failed_at = models.DateTimeField("失败时间", db_index=True)
    retries_used = models.PositiveIntegerField("已重试次数", default=0)
    rerun_at = models.DateTimeField("最近重新执行时间", null=True, blank=True)
    rerun_count = models.PositiveIntegerField("重新执行次数", default=0)
    rerun_by = models.CharField("重新执行人", max_length=150, blank=True)
    resolved = models.BooleanField("已解决", default=False, db_index=True)
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)

    scope_spec = ScopeSpec(shared="*")  # platform operations: the view code decides; writes need 全部

    class Meta:
        verbose_name = "失败任务"
        verbose_name_plural = verbose_name
        ordering = ["-failed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_name}@{self.failed_at:%Y-%m-%d %H:%M:%S}"


class OutboxDestination(TimeStampedModel):
    """An external receiver: deliveries are JSON POSTs to ``url`` through ``core.http``."""

    code = models.CharField(
        "目的地编码",
        max_length=50,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z][a-z0-9_.-]*$", "编码只能包含小写字母、数字、下划线、点和短横线，且以字母开头。")
        ],
    )
    name = models.CharField("名称", max_length=100)
    url = models.URLField("接收地址", max_length=500)
    headers = EncryptedTextField("附加请求头", blank=True, mask=_mask_headers, help_text="JSON 对象，SM4 加密保存")
    enabled = models.BooleanField("启用", default=True)
    max_attempts = models.PositiveSmallIntegerField(
        "最大尝试次数", default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    timeout_seconds = models.PositiveSmallIntegerField(
        "超时（秒）", default=10, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    description = models.TextField("说明", blank=True)

    scope_spec = ScopeSpec(shared="*")

    class Meta:
        verbose_name = "外发目的地"
        verbose_name_plural = verbose_name
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def header_dict(self) -> dict[str, str]:
        if not self.headers:
            return {}
        data: Any = json.loads(self.headers)
        return {str(k): str(v) for k, v in data.items()}

    def clean(self) -> None:
        host = urllib.parse.urlsplit(self.url or "").hostname
        if host and not http.host_allowed(host):
            raise ValidationError({"url": f"主机 {host} 不在外发白名单（OUTBOUND_ALLOWED_HOSTS）中，请联系运维添加。"})
        try:
            data = json.loads(self.headers) if self.headers else {}
        except ValueError:
            raise ValidationError({"headers": "附加请求头必须是 JSON 对象。"}) from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ValidationError({"headers": "附加请求头必须是“名称: 字符串值”的 JSON 对象。"})
        for name in data:
            if not _HEADER_NAME.match(name):
                raise ValidationError({"headers": f"请求头名称「{name}」不合法。"})
            if name.lower() in RESERVED_HEADERS:
                raise ValidationError({"headers": f"请求头「{name}」由系统设置，不能自定义。"})


class OutboxSequence(models.Model):
    """Per-destination counter: publishers lock it, so sequence order is commit order."""

    destination = models.OneToOneField(OutboxDestination, on_delete=models.CASCADE, primary_key=True)
    last_sequence = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "外发序号"

    def __str__(self) -> str:
        return f"{self.destination_id}: {self.last_sequence}"


class OutboxLease(models.Model):
    """Which dispatcher delivers a destination's messages, until when (one at a time, in order)."""

    destination = models.OneToOneField(OutboxDestination, on_delete=models.CASCADE, primary_key=True)
    owner = models.CharField(max_length=100, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "外发租约"

    def __str__(self) -> str:
        return f"{self.destination_id}: {self.owner or '-'}"


class OutboxMessage(models.Model):
    destination = models.ForeignKey(
        OutboxDestination, verbose_name="目的地", on_delete=models.PROTECT, related_name="messages"
    )
    key = models.CharField("幂等键", max_length=200)
    event = models.CharField("事件类型", max_length=100, db_index=True)
    payload = models.JSONField("内容", encoder=DjangoJSONEncoder)
    sequence = models.PositiveBigIntegerField("序号")
    status = models.CharField("状态", max_length=12, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    last_attempt_at = models.DateTimeField("最近尝试时间", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    response_status = models.PositiveSmallIntegerField("最近响应状态码", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)

    scope_spec = ScopeSpec(shared="*")

    class Meta:
        verbose_name = "外发消息"
        verbose_name_plural = verbose_name
        ordering = ["destination_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["destination", "key"], name="outbox_message_key_unique"),
            models.UniqueConstraint(fields=["destination", "sequence"], name="outbox_message_sequence_unique"),
        ]
        indexes = [
            # the dispatcher's "oldest open message of a destination": small however many were delivered
            models.Index(
                fields=["destination", "sequence"],
                condition=models.Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="outbox_message_open_idx",
            ),
            models.Index(fields=["status", "created_at"], name="outbox_message_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.destination_id}#{self.sequence} {self.event}"
