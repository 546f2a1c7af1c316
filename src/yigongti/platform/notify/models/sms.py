"""短信发送明细: one row per SMS to one phone, with its delivery status."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yigongti.core.fields import EncryptedTextField
from yigongti.core.masking import mask_phone
from yigongti.core.models import TimeStampedModel
from yigongti.core.scope import ScopeSpec
from yigongti.platform.notify.choices import SmsStatus


class SmsMessage(TimeStampedModel):
    institution = models.ForeignKey(
        "org.Institution", verbose_name="所属机构", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        "notify.Message", verbose_name="消息", null=True, blank=True, on_delete=models.SET_NULL, related_name="sms"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = EncryptedTextField("手机号", mask=mask_phone)
    text = models.CharField("短信内容", max_length=500)
    template_code = models.CharField("短信平台模板编号", max_length=64, blank=True)
    params = models.JSONField("模板参数", default=dict, blank=True)
    provider = models.CharField("短信平台", max_length=30, blank=True)
    provider_message_id = models.CharField("平台流水号", max_length=100, blank=True)
    status = models.CharField("状态", max_length=10, choices=SmsStatus.choices, default=SmsStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    error = models.CharField("失败原因", max_length=500, blank=True)
    scheduled_at = models.DateTimeField("计划发送时间", db_index=True)
    claimed_at = models.DateTimeField("开始发送时间", null=True, blank=True)
    sent_at = models.DateTimeField("提交时间", null=True, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="手工发送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_spec = ScopeSpec(institution="institution_id", owner="sent_by_id")

    class Meta:
        verbose_name = "短信"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "scheduled_at"], name="notify_sms_status_idx")]

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} {self.get_status_display()}"
