from django.db import models


class MessageStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    DELIVERING = "delivering", "发送中"
    DELIVERED = "delivered", "已送达"
    FAILED = "failed", "发送失败（等待重试）"
    DEAD = "dead", "已停止重试"
    DISCARDED = "discarded", "已作废"


# still owed to the receiver, in sequence order; a dead message blocks the ones after it
OPEN_STATUSES = (MessageStatus.PENDING, MessageStatus.DELIVERING, MessageStatus.FAILED, MessageStatus.DEAD)
# the dispatcher may send these (when due)
SENDABLE_STATUSES = (MessageStatus.PENDING, MessageStatus.DELIVERING, MessageStatus.FAILED)
