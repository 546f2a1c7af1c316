"""Background jobs of the core: the worker heartbeat."""

from __future__ import annotations

import socket

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yigongti.core.models import WorkerHeartbeat


def record_heartbeat(name: str | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(
        name=name or f"huey@{socket.gethostname()}", defaults={"last_seen": timezone.now()}
    )


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    record_heartbeat()
