"""Periodic work of the review center: the timeout auto-pass sweep (超时熔断), every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yigongti.centers.prescription_review.services_tasks import task_timeout_sweep


@db_periodic_task(crontab(minute="*"))
def rx_timeout_sweep() -> int:
    return task_timeout_sweep()
