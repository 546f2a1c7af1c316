"""Background jobs of the workflow mechanism: fire due timers every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yigongti.core.workflow.timers import fire_due_timers


@db_periodic_task(crontab(minute="*"))
def workflow_fire_timers() -> None:
    fire_due_timers()
