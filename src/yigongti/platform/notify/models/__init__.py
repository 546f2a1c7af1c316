"""Models of the notification service: message types, messages, subscriptions, announcements,
contact groups and SMS records (PLAT-05, PLAT-07)."""

from yigongti.platform.notify.models.announcements import Announcement, AnnouncementRead
from yigongti.platform.notify.models.contacts import ContactGroup
from yigongti.platform.notify.models.messages import Message, MessageRecipient, MessageType, MessageTypeGroup
from yigongti.platform.notify.models.sms import SmsMessage
from yigongti.platform.notify.models.subscriptions import Subscription

__all__ = [
    "Announcement",
    "AnnouncementRead",
    "ContactGroup",
    "Message",
    "MessageRecipient",
    "MessageType",
    "MessageTypeGroup",
    "SmsMessage",
    "Subscription",
]
