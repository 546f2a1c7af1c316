"""The SMS gateway interface and the backend chosen by settings.

``NOTIFY_SMS_BACKEND`` is ``"logging"`` (default: writes the message to the log and reports it
sent), ``"aliyun"`` (Alibaba Cloud SMS, settings ``NOTIFY_SMS_ALIYUN``) or the dotted path of a class
with the same interface. Backends raise ``SmsTransientError`` when a later attempt may succeed
(network, provider busy or throttling) and ``SmsError`` when it will not (bad number, template
refused, wrong credentials); the message is the provider's own, kept on the SMS record.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from yigongti.core.masking import mask_phone
from yigongti.platform.notify.choices import SmsStatus

logger = logging.getLogger("yigongti.notify.sms")


class SmsError(Exception):
    """The provider refused the message; sending it again will not help."""


class SmsTransientError(SmsError):
    """The message could not be handed over now; try again later."""


@dataclass(frozen=True)
class SendResult:
    provider_id: str
    status: str = SmsStatus.SENT
    """``sent`` (accepted, delivery report pending) or ``delivered``."""


@dataclass(frozen=True)
class DeliveryStatus:
    status: str
    """``sent`` (no report yet), ``delivered`` or ``failed``."""
    error: str = ""
    delivered_at: dt.datetime | None = None


class SmsBackend(Protocol):
    name: str

    def send(
        self, phone: str, text: str, *, template_code: str | None = None, params: dict[str, str] | None = None
    ) -> SendResult: ...

    def query_status(self, provider_id: str, *, phone: str, sent_at: dt.datetime) -> DeliveryStatus: ...


class LoggingSmsBackend:
    """Demo and test backend: logs the message (phone masked) and reports it delivered at once."""

    name = "logging"

    def send(
        self, phone: str, text: str, *, template_code: str | None = None, params: dict[str, str] | None = None
    ) -> SendResult:
        provider_id = f"log-{uuid.uuid4().hex[:16]}"
        logger.info("短信（演示，未真实发送）%s → %s：%s", provider_id, mask_phone(phone), text)
        return SendResult(provider_id=provider_id, status=SmsStatus.SENT)

    def query_status(self, provider_id: str, *, phone: str, sent_at: dt.datetime) -> DeliveryStatus:
        return DeliveryStatus(status=SmsStatus.DELIVERED, delivered_at=sent_at)


def get_backend() -> SmsBackend:
    name = str(getattr(settings, "NOTIFY_SMS_BACKEND", "logging") or "logging")
    if name == "logging":
        return LoggingSmsBackend()
    if name == "aliyun":
        from yigongti.platform.notify.sms.aliyun import AliyunSmsBackend

        options: dict[str, Any] = dict(getattr(settings, "NOTIFY_SMS_ALIYUN", {}) or {})
        return AliyunSmsBackend(**options)
    backend: SmsBackend = import_string(name)()
    return backend
