"""Outbox delivery jobs: a dispatch after every commit that published, and one every minute."""

from __future__ import annotations

import time

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yigongti.core.outbox.dispatcher import outbox_dispatch

RUN_SECONDS = 50  # a run stops taking new batches after this, before the next minute's run


def dispatch_for_a_while() -> int:
    """Dispatch batch after batch while every batch is used up (a backlog), up to RUN_SECONDS."""
    batch = int(getattr(settings, "OUTBOX_BATCH", 100))
    started, delivered = time.monotonic(), 0
    while True:
        report = outbox_dispatch(batch=batch)
        delivered += report.delivered
        if report.attempted < batch or time.monotonic() - started > RUN_SECONDS:
            return delivered


@db_task()
def outbox_dispatch_task() -> int:
    return dispatch_for_a_while()


@db_periodic_task(crontab(minute="*"))
def outbox_dispatch_periodic() -> int:
    return dispatch_for_a_while()
