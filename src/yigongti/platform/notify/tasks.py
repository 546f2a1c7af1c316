"""Background jobs of the notification service (thin: they call services)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yigongti.core.jobs import job
from yigongti.platform.notify.services import announcements as announcement_services
from yigongti.platform.notify.services import sms as sms_services

REMIND_DAYS = (7, 3, 1)


@job(retries=2, retry_delay=60)
def sms_send_task(sms_id: int) -> None:
    sms_services.sms_deliver(sms_id)


@job(retries=3, retry_delay=30)
def announcement_notify_task(announcement_id: int) -> None:
    announcement_services.announcement_notify(announcement_id)


@db_periodic_task(crontab(minute="*/5"))
def notify_sweep() -> None:
    """Re-send what a lost broker message or a killed worker left behind."""
    sms_services.sms_sweep()
    for pk in announcement_services.announcements_due():
        announcement_services.announcement_notify(pk)


@db_periodic_task(crontab(minute="*/10"))
def sms_poll_status() -> None:
    sms_services.sms_poll_status()


def password_expiry_reminders(*, today: dt.date | None = None) -> int:
    """Remind users whose password expires in 7, 3 or 1 days (once per user and day)."""
    from django.db.models.functions import Coalesce

    from yigongti.platform.accounts.models import User
    from yigongti.platform.accounts.policy import password_max_age_days
    from yigongti.platform.notify.models import MessageRecipient
    from yigongti.platform.notify.services.delivery import notify

    max_age = password_max_age_days()
    if max_age <= 0:
        return 0
    today = today or timezone.localdate()
    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    sent = 0
    users = User.objects.filter(is_active=True).annotate(changed=Coalesce("password_changed_at", "date_joined"))
    for days in REMIND_DAYS:
        expires_on = today + dt.timedelta(days=days)
        window_start = start_of_today + dt.timedelta(days=days - max_age)
        due = users.filter(changed__gte=window_start, changed__lt=window_start + dt.timedelta(days=1))
        reminded = set(
            MessageRecipient.objects.filter(
                message__type__code="security.password_expiring",
                message__created_at__gte=start_of_today,
                user__in=due,
            ).values_list("user_id", flat=True)
        )
        for user in due.exclude(pk__in=reminded):
            notify(
                "security.password_expiring",
                recipients=[user],
                context={"name": user.name or user.username, "days": days, "expires_on": f"{expires_on:%Y-%m-%d}"},
                related=user,
                institution=user.institution_id,
            )
            sent += 1
    return sent


@db_periodic_task(crontab(hour="0", minute="30"))  # Huey runs in UTC: 08:30 in Beijing
def password_expiry_reminder_task() -> None:
    password_expiry_reminders()
