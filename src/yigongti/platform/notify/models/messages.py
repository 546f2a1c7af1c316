"""消息类型分组, 消息类型 and the messages themselves (收件箱/发件箱)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec
from yigongti.platform.notify.choices import Channel, DisplayMode, HandlingMode, Party
from yigongti.platform.notify.templating import VARIABLE_NAME, TemplateError, check_template

TYPE_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


class MessageTypeGroup(TrackedModel):
    code = models.CharField("分组编码", max_length=50, unique=True)
    name = models.CharField("分组名称", max_length=50)
    mnemonic = models.CharField("助记码", max_length=50, blank=True)
    description = models.CharField("描述", max_length=200, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)

    # platform-wide configuration: readable by every user, written only with the 全部 scope
    scope_spec = ScopeSpec(shared="*")

    class Meta:
        verbose_name = "消息类型分组"
        verbose_name_plural = verbose_name
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


def _string_list(value: Any, field: str, allowed: set[str] | None = None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValidationError({field: "应为编码列表。"})
    if allowed is not None:
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ValidationError(
                {field: f"不支持的取值：{'、'.join(unknown)}（可选：{'、'.join(sorted(allowed))}）。"}
            )
    if len(set(value)) != len(value):
        raise ValidationError({field: "不能重复。"})
    return value


class MessageType(TrackedModel):
    """What a kind of message looks like, who gets it and how (消息类型, guide §3.7.1.4)."""

    code = models.CharField("类型编码", max_length=100, unique=True, help_text="如 security.account_locked")
    name = models.CharField("类型名称", max_length=100)
    group = models.ForeignKey(MessageTypeGroup, verbose_name="分组", on_delete=models.PROTECT, related_name="types")
    mnemonic = models.CharField("助记码", max_length=50, blank=True)
    description = models.CharField("描述", max_length=300, blank=True)
    recipient_roles = models.JSONField("接收角色", default=list, blank=True, help_text="角色编码列表")
    recipient_parties = models.JSONField(
        "接收方", default=list, blank=True, help_text="申请方/审核方/接收方，由发送业务解析为具体用户"
    )
    sender_roles = models.JSONField("发送角色", default=list, blank=True, help_text="可手工发送该类消息的角色编码")
    persisted = models.BooleanField("持久化", default=True, help_text="否：只实时推送，不进收件箱")
    display_mode = models.CharField("展示方式", max_length=10, choices=DisplayMode.choices, default=DisplayMode.TOAST)
    handling_mode = models.CharField("处理方式", max_length=12, choices=HandlingMode.choices, default=HandlingMode.NONE)
    unique_handling = models.BooleanField("唯一处理", default=False, help_text="一人处理后其他接收人的同一消息随之关闭")
    sound = models.BooleanField("提示音", default=False)
    sound_name = models.CharField("提示音名称", max_length=50, blank=True, default="default")
    channels = models.JSONField("发送方式", default=list, help_text="in_app 站内信 / realtime 实时推送 / sms 短信")
    variables = models.JSONField("模板变量", default=dict, blank=True, help_text="变量名 → 说明")
    title_template = models.CharField("标题模板", max_length=200)
    body_template = models.TextField("内容模板", blank=True)
    sms_template = models.CharField("短信内容模板", max_length=500, blank=True)
    sms_template_code = models.CharField("短信平台模板编号", max_length=64, blank=True, help_text="如 SMS_123456789")
    topic = models.CharField("消息主题", max_length=50, blank=True, db_index=True)
    urgent = models.BooleanField("紧急", default=False, help_text="紧急消息不受静默时段与退订限制")
    enabled = models.BooleanField("启用", default=True)
    is_builtin = models.BooleanField("内置", default=False, editable=False)

    scope_spec = ScopeSpec(shared="*")

    class Meta:
        verbose_name = "消息类型"
        verbose_name_plural = verbose_name
        ordering = ["group__sort", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def must_handle(self) -> bool:
        return self.handling_mode == HandlingMode.MUST_HANDLE

    def clean(self) -> None:
        if self.code and not TYPE_CODE.match(self.code):
            raise ValidationError({"code": "编码应为小写字母、数字和下划线，以点分段，如 security.account_locked。"})
        channels = _string_list(self.channels, "channels", set(Channel.values))
        if not channels:
            raise ValidationError({"channels": "至少选择一种发送方式。"})
        _string_list(self.recipient_parties, "recipient_parties", set(Party.values))
        for field in ("recipient_roles", "sender_roles"):
            self._check_roles(field, _string_list(getattr(self, field), field))
        self._clean_behaviour(channels)
        self._clean_templates(channels)

    @staticmethod
    def _check_roles(field: str, codes: list[str]) -> None:
        if not codes:
            return
        from yigongti.platform.accounts.models import Role

        missing = sorted(set(codes) - set(Role.objects.filter(code__in=codes).values_list("code", flat=True)))
        if missing:
            raise ValidationError({field: f"未知的角色编码：{'、'.join(missing)}"})

    def _clean_behaviour(self, channels: list[str]) -> None:
        if self.persisted and Channel.IN_APP not in channels:
            raise ValidationError({"channels": "持久化的消息必须包含“站内信”发送方式。"})
        if not self.persisted and Channel.IN_APP in channels:
            raise ValidationError({"channels": "未持久化的消息不能使用“站内信”发送方式。"})
        if self.handling_mode == HandlingMode.MUST_HANDLE and not self.persisted:
            raise ValidationError({"handling_mode": "需要处理的消息必须持久化。"})
        if self.unique_handling and self.handling_mode != HandlingMode.MUST_HANDLE:
            raise ValidationError({"unique_handling": "只有“必须处理”的消息才能设置唯一处理。"})
        if self.sound and not self.sound_name:
            raise ValidationError({"sound_name": "开启提示音时请填写提示音名称。"})

    def _clean_templates(self, channels: list[str]) -> None:
        if not isinstance(self.variables, dict) or not all(
            isinstance(k, str) and VARIABLE_NAME.match(k) and isinstance(v, str) for k, v in self.variables.items()
        ):
            raise ValidationError({"variables": "模板变量应为“变量名: 说明”的对象，变量名只能包含字母、数字和下划线。"})
        declared = list(self.variables)
        for field, label in (
            ("title_template", "标题模板"),
            ("body_template", "内容模板"),
            ("sms_template", "短信内容模板"),
        ):
            try:
                check_template(getattr(self, field), declared, label=label)
            except TemplateError as exc:
                raise ValidationError({field: str(exc)}) from None
        if Channel.SMS in channels and not self.sms_template.strip():
            raise ValidationError({"sms_template": "发送方式包含短信时必须填写短信内容模板。"})


class Message(models.Model):
    """One message as sent: rendered text, a snapshot of its type's behaviour, its recipients."""

    type = models.ForeignKey(MessageType, verbose_name="消息类型", on_delete=models.PROTECT, related_name="messages")
    title = models.CharField("主题", max_length=200)
    body = models.TextField("内容", blank=True)
    data = models.JSONField("附加数据", default=dict, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发件人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sent_messages",
        help_text="为空表示系统发送",
    )
    sender_name = models.CharField("发件人姓名", max_length=150, default="系统")
    created_at = models.DateTimeField("发送时间", auto_now_add=True, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name="关联记录类型", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField("关联记录ID", max_length=64, blank=True)
    institution = models.ForeignKey(
        "org.Institution", verbose_name="所属机构", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channels = models.JSONField("发送方式", default=list)
    display_mode = models.CharField("展示方式", max_length=10, choices=DisplayMode.choices)
    must_handle = models.BooleanField("需要处理", default=False)
    unique_handling = models.BooleanField("唯一处理", default=False)
    urgent = models.BooleanField("紧急", default=False)

    scope_spec = ScopeSpec(institution="institution_id", owner="sender_id")

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["sender", "-created_at"], name="notify_msg_sender_idx"),
            models.Index(fields=["content_type", "object_id"], name="notify_msg_related_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class MessageRecipient(models.Model):
    """A message in one user's inbox: read, handled, deleted."""

    message = models.ForeignKey(Message, verbose_name="消息", on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="inbox"
    )
    created_at = models.DateTimeField("接收时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deleted = models.BooleanField("已删除", default=False)

    scope_spec = ScopeSpec(owner="user_id")

    class Meta:
        verbose_name = "收件"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="notify_recipient_unique")]
        indexes = [
            models.Index(fields=["user", "deleted", "-created_at"], name="notify_inbox_idx"),
            models.Index(fields=["user", "deleted", "read_at", "handled_at"], name="notify_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ← {self.message_id}"
