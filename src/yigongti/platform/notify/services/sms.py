"""SMS: queue a row, send it in the background, record the provider's answer and delivery report.

At-least-once: a row is claimed (``queued`` → ``sending``) before the provider is called and the
outcome is written afterwards. A worker that dies in between leaves the row ``sending``; the sweep
puts it back in the queue after ``NOTIFY_SMS_LEASE_SECONDS``, so in that one case a text may be sent
twice. Temporary failures (network, provider busy, flow control) are retried with exponential
backoff up to ``NOTIFY_SMS_MAX_ATTEMPTS``; refusals (bad number, template) fail at once with the
provider's message.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yigongti.core.jobs import backoff_delay, enqueue_on_commit
from yigongti.platform.notify.choices import SmsStatus
from yigongti.platform.notify.models import Message, SmsMessage
from yigongti.platform.notify.sms import SmsError, SmsTransientError, get_backend

logger = logging.getLogger("yigongti.notify.sms")
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def is_mobile(phone: str | None) -> bool:
    """A mainland mobile number (SMS cannot reach landlines)."""
    return bool(phone) and MOBILE.fullmatch(str(phone).strip()) is not None


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFY_SMS_MAX_ATTEMPTS", 3))


def lease_seconds() -> float:
    return float(getattr(settings, "NOTIFY_SMS_LEASE_SECONDS", 300))


def _enqueue(sms: SmsMessage) -> None:
    from yigongti.platform.notify.tasks import sms_send_task

    if sms.scheduled_at > timezone.now():
        enqueue_on_commit(sms_send_task, sms.pk, eta=sms.scheduled_at)
    else:
        enqueue_on_commit(sms_send_task, sms.pk)


def sms_queue(
    *,
    phone: str,
    text: str,
    template_code: str = "",
    params: dict[str, str] | None = None,
    user: Any = None,
    message: Message | None = None,
    institution_id: int | None = None,
    scheduled_at: dt.datetime | None = None,
    sent_by: Any = None,
) -> SmsMessage:
    """Store one SMS (in the caller's transaction) and send it after commit, at ``scheduled_at``."""
    sms = SmsMessage(
        phone=phone.strip(),
        text=text[:500],
        template_code=template_code,
        params=params or {},
        user=user,
        message=message,
        institution_id=institution_id,
        scheduled_at=scheduled_at or timezone.now(),
        sent_by=sent_by,
    )
    sms.full_clean(exclude=["message", "user", "institution", "sent_by"])
    sms.save()
    _enqueue(sms)
    return sms


def _claim(sms_id: int, now: dt.datetime) -> bool:
    return bool(
        SmsMessage.objects.filter(pk=sms_id, status=SmsStatus.QUEUED, scheduled_at__lte=now).update(
            status=SmsStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now, updated_at=now
        )
    )


def sms_deliver(sms_id: int) -> str | None:
    """Send one queued SMS that is due; returns the new status (``None`` if it was not due/queued)."""
    now = timezone.now()
    if not _claim(sms_id, now):
        return None
    sms = SmsMessage.objects.get(pk=sms_id)
    backend = get_backend()
    update: dict[str, Any] = {"provider": backend.name, "updated_at": timezone.now()}
    try:
        result = backend.send(sms.phone, sms.text, template_code=sms.template_code or None, params=sms.params or None)
    except SmsTransientError as exc:
        if sms.attempts < max_attempts():
            delay = backoff_delay(sms.attempts, base=float(getattr(settings, "NOTIFY_SMS_RETRY_SECONDS", 60)))
            update |= {
                "status": SmsStatus.QUEUED,
                "error": str(exc)[:500],
                "scheduled_at": timezone.now() + dt.timedelta(seconds=delay),
            }
        else:
            update |= {"status": SmsStatus.FAILED, "error": str(exc)[:500]}
    except SmsError as exc:
        update |= {"status": SmsStatus.FAILED, "error": str(exc)[:500]}
    else:
        update |= {
            "status": result.status,
            "provider_message_id": result.provider_id[:100],
            "sent_at": timezone.now(),
            "error": "",
        }
        if result.status == SmsStatus.DELIVERED:
            update["delivered_at"] = update["sent_at"]
    with transaction.atomic():
        SmsMessage.objects.filter(pk=sms_id, status=SmsStatus.SENDING).update(**update)
        if update["status"] == SmsStatus.QUEUED:
            sms.scheduled_at = update["scheduled_at"]
            _enqueue(sms)
    if update["status"] == SmsStatus.FAILED:
        logger.warning("短信 %s 发送失败：%s", sms_id, update["error"])
    return str(update["status"])


def sms_sweep(*, now: dt.datetime | None = None) -> int:
    """Requeue SMS whose worker died mid-send and re-enqueue due rows (lost broker messages)."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=lease_seconds())
    SmsMessage.objects.filter(status=SmsStatus.SENDING, claimed_at__lt=stale).update(
        status=SmsStatus.QUEUED, updated_at=now
    )
    due = list(
        SmsMessage.objects.filter(
            status=SmsStatus.QUEUED, scheduled_at__lte=now, updated_at__lt=now - dt.timedelta(minutes=2)
        )
        .order_by("scheduled_at")
        .values_list("pk", flat=True)[:500]
    )
    from yigongti.platform.notify.tasks import sms_send_task

    for pk in due:
        enqueue_on_commit(sms_send_task, pk)
    return len(due)


def sms_poll_status(*, limit: int = 200) -> int:
    """Ask the provider for the delivery report of recently sent SMS; returns how many changed."""
    since = timezone.now() - dt.timedelta(days=2)
    backend = get_backend()
    changed = 0
    for sms in SmsMessage.objects.filter(status=SmsStatus.SENT, sent_at__gte=since).exclude(provider_message_id="")[
        :limit
    ]:
        if sms.provider != backend.name:
            continue
        try:
            report = backend.query_status(
                sms.provider_message_id, phone=sms.phone, sent_at=sms.sent_at or sms.created_at
            )
        except SmsError as exc:
            logger.info("查询短信 %s 回执失败：%s", sms.pk, exc)
            continue
        if report.status == SmsStatus.SENT:
            continue
        fields: dict[str, Any] = {"status": report.status, "updated_at": timezone.now()}
        if report.status == SmsStatus.DELIVERED:
            fields["delivered_at"] = report.delivered_at or timezone.now()
        else:
            fields["error"] = report.error[:500]
        changed += SmsMessage.objects.filter(pk=sms.pk, status=SmsStatus.SENT).update(**fields)
    return changed
