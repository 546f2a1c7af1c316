"""Huey signal handlers: record tasks that failed their last retry; close re-runs that succeeded.

Connected once per process from ``OutboxConfig.ready()`` (web processes run tasks in immediate
mode in tests and the demo; the consumer runs them for real).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import close_old_connections
from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR

logger = logging.getLogger(__name__)
_connected = False


def on_task_error(signal: str, task: Any, exc: BaseException | None = None, *args: Any, **kwargs: Any) -> None:
    if task.retries:  # Huey will retry it; only the last failure is recorded
        return
    from huey.contrib.djhuey import HUEY

    from yigongti.core.outbox.services import failed_task_record

    try:
        failed_task_record(task=task, exc=exc or RuntimeError("未知错误"))
    except Exception:
        logger.exception("could not record failed task %s", task)
    finally:
        if not HUEY.immediate:
            close_old_connections()


def on_task_complete(signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
    from yigongti.core.outbox.services import failed_task_resolve_rerun, rerun_target

    if rerun_target(str(task.id)) is None:
        return
    from huey.contrib.djhuey import HUEY

    try:
        failed_task_resolve_rerun(task=task)
    finally:
        if not HUEY.immediate:
            close_old_connections()


def connect() -> None:
    global _connected
    if _connected:
        return
    from huey.contrib.djhuey import HUEY

    HUEY.signal(SIGNAL_ERROR)(on_task_error)
    HUEY.signal(SIGNAL_COMPLETE)(on_task_complete)
    _connected = True
