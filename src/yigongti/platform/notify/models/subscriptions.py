"""消息订阅: a user's choices for one message type or one topic."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from yigongti.core.models import TimeStampedModel
from yigongti.core.scope import ScopeSpec
from yigongti.platform.notify.choices import Channel, DisplayMode


class Subscription(TimeStampedModel):
    """Without a row a user receives every message addressed to them as the type says.

    A row for a type (or, failing that, for the type's topic) can switch the type off, narrow the
    channels (实时推送/短信), change the display and the sound, and set silent hours during which
    popups are held back and SMS deferred to the end of the window. Urgent messages ignore all of
    it; messages that must be handled still reach the inbox when switched off.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="notify_subscriptions"
    )
    message_type = models.ForeignKey(
        "notify.MessageType",
        verbose_name="消息类型",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    topic = models.CharField("消息主题", max_length=50, blank=True)
    channels = models.JSONField("接收方式", default=list, blank=True, help_text="为空表示按消息类型的设置")
    display_mode = models.CharField("展示方式", max_length=10, choices=DisplayMode.choices, blank=True)
    sound = models.BooleanField("提示音", null=True, blank=True, help_text="为空表示按消息类型的设置")
    silent_start = models.TimeField("静默开始时间", null=True, blank=True)
    silent_end = models.TimeField("静默结束时间", null=True, blank=True)
    enabled = models.BooleanField("接收", default=True)

    scope_spec = ScopeSpec(owner="user_id")

    class Meta:
        verbose_name = "消息订阅"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "message_type"],
                condition=models.Q(message_type__isnull=False),
                name="notify_sub_type_unique",
                violation_error_message="已订阅过该消息类型。",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=~models.Q(topic=""),
                name="notify_sub_topic_unique",
                violation_error_message="已订阅过该消息主题。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.message_type_id or self.topic}"

    def clean(self) -> None:
        if (self.message_type_id is None) == (not self.topic):
            raise ValidationError("请选择一个消息类型，或填写一个消息主题（二选一）。")
        channels = self.channels
        allowed = {Channel.REALTIME, Channel.SMS}
        if not isinstance(channels, list) or not set(channels) <= allowed or len(set(channels)) != len(channels):
            raise ValidationError({"channels": "接收方式只能选择“实时推送”和/或“短信”。"})
        if (self.silent_start is None) != (self.silent_end is None):
            raise ValidationError({"silent_end": "静默开始时间和结束时间须同时填写。"})
        if self.silent_start is not None and self.silent_start == self.silent_end:
            raise ValidationError({"silent_end": "静默结束时间不能与开始时间相同。"})
