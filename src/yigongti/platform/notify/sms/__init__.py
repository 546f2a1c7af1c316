"""SMS gateway adapters: the interface, a logging backend for the demo and tests, Alibaba Cloud."""

from yigongti.platform.notify.sms.base import (
    DeliveryStatus,
    LoggingSmsBackend,
    SendResult,
    SmsBackend,
    SmsError,
    SmsTransientError,
    get_backend,
)

__all__ = [
    "DeliveryStatus",
    "LoggingSmsBackend",
    "SendResult",
    "SmsBackend",
    "SmsError",
    "SmsTransientError",
    "get_backend",
]
