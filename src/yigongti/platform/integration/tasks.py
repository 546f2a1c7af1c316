"""Background jobs of the integration app (thin: they call services)."""

from __future__ import annotations

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yigongti.core.errors import ConflictError
from yigongti.platform.integration.choices import SyncTrigger

logger = logging.getLogger(__name__)


def _schedule() -> crontab:
    """``REGIONAL_SYNC["SCHEDULE"]`` ("minute hour day month weekday") as a Huey crontab."""
    fields = str(settings.REGIONAL_SYNC.get("SCHEDULE") or "30 2 * * *").split()
    minute, hour, day, month, day_of_week = [*fields, "*", "*", "*", "*", "*"][:5]
    return crontab(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week)


@db_periodic_task(_schedule())
def regional_sync_scheduled() -> None:
    """Pull base data from the regional platform on the configured schedule (no URL: nothing)."""
    from yigongti.platform.integration.regional.sync import regional_sync

    if not settings.REGIONAL_SYNC.get("BASE_URL"):
        return
    try:
        regional_sync(trigger=SyncTrigger.SCHEDULE)
    except ConflictError:
        logger.info("regional sync skipped: another run is in progress")


@db_task()
def regional_sync_now() -> None:
    from yigongti.platform.integration.regional.sync import regional_sync

    try:
        regional_sync(trigger=SyncTrigger.MANUAL)
    except ConflictError:
        logger.info("regional sync skipped: another run is in progress")


@db_periodic_task(crontab(minute="*/5"))
def inbound_retry_periodic() -> None:
    """Process again the inbound messages whose transient failure is due for a retry."""
    from yigongti.platform.integration.services.inbound import inbound_retry_due

    inbound_retry_due()
