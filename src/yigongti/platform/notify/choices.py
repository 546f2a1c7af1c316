"""Choices of the notification service (PLAT-05, PLAT-07)."""

from __future__ import annotations

from django.db import models


class DisplayMode(models.TextChoices):
    """展示方式: how the console shows a new message."""

    POPUP = "popup", "弹窗"
    TOAST = "toast", "右下角提示"
    INBOX = "inbox", "仅收件箱"


class HandlingMode(models.TextChoices):
    """处理方式."""

    NONE = "none", "无需处理"
    MUST_HANDLE = "must_handle", "必须处理"


class Channel(models.TextChoices):
    """发送方式."""

    IN_APP = "in_app", "站内信"
    REALTIME = "realtime", "实时推送"
    SMS = "sms", "短信"


class InboxFilter(models.TextChoices):
    ALL = "all", "全部"
    UNREAD = "unread", "未读"
    UNHANDLED = "unhandled", "未处理"


class SmsStatus(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已提交运营商"
    DELIVERED = "delivered", "已送达"
    FAILED = "failed", "发送失败"


class Party(models.TextChoices):
    """Parties of a business record, resolved to users by the center that sends the message."""

    APPLICANT = "applicant", "申请方"
    REVIEWER = "reviewer", "审核方"
    RECEIVER = "receiver", "接收方"
