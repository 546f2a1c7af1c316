"""Background jobs on Huey: enqueue after commit, retries with exponential backoff.

* ``enqueue_on_commit(task, *args, **kwargs)`` — the task is enqueued only when the current
  transaction commits (immediately when there is none); a rollback enqueues nothing.
* ``@job(retries=5, retry_delay=30)`` — a database task retried on any exception after
  30 s, 60 s, 120 s … (capped at ``max_delay``, ±10 % jitter). When the last retry fails too,
  the task is recorded as a ``FailedTask`` (``core.outbox.signals``) for administrators to re-run.

Tasks must be idempotent: Huey delivers at least once (a worker killed mid-task runs it again),
and a re-run repeats the whole task. Pass ids and plain values, never model instances, so the
arguments survive JSON (a failed task is re-run from its JSON arguments).
"""

from __future__ import annotations

import functools
import logging
import random
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from huey.api import Task, TaskWrapper
from huey.contrib.djhuey import db_task

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: TaskWrapper, *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task(*args, **kwargs)`` after the current transaction commits."""
    _on_commit(task, args, kwargs, key=None)


def enqueue_once_on_commit(key: str, task: TaskWrapper, *args: Any, **kwargs: Any) -> None:
    """Like ``enqueue_on_commit``, but at most once per transaction for the same ``key``
    (e.g. one dispatcher run however many outbox messages a transaction published)."""
    if connection.in_atomic_block and any(
        getattr(entry[1], "enqueue_key", None) == key for entry in connection.run_on_commit
    ):
        return
    _on_commit(task, args, kwargs, key=key)


def _on_commit(task: TaskWrapper, args: tuple[Any, ...], kwargs: dict[str, Any], *, key: str | None) -> None:
    signature = task.s(*args, **kwargs)

    def enqueue() -> None:
        task.huey.enqueue(signature)

    enqueue.enqueue_key = key  # type: ignore[attr-defined]
    # robust: the data is committed either way; a broker outage must not fail the request
    # (the periodic jobs pick the work up). Huey logs the failure.
    transaction.on_commit(enqueue, robust=True)


def backoff_delay(
    attempt: int, *, base: float, factor: float = 2.0, max_delay: float = 3600.0, jitter: float = 0.1
) -> float:
    """Delay before retry number ``attempt`` (1 = first retry): ``base * factor**(attempt-1)``, capped."""
    delay = min(max_delay, base * factor ** max(0, attempt - 1))
    if jitter:
        delay *= 1 + random.uniform(-jitter, jitter)
    return max(0.001, delay)


def job(
    *,
    retries: int = 3,
    retry_delay: float = 30.0,
    backoff: float = 2.0,
    max_delay: float = 3600.0,
    jitter: float = 0.1,
    **task_options: Any,
) -> Callable[[Callable[..., Any]], TaskWrapper]:
    """A Huey database task retried ``retries`` times with exponential backoff.

    The delay of each retry is set on the task just before Huey re-schedules it, so the original
    exception still reaches Huey's error signal (and, after the last retry, the failed-task list).
    """

    def decorator(fn: Callable[..., Any]) -> TaskWrapper:
        @functools.wraps(fn)
        def run(*args: Any, task: Task | None = None, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception:
                if task is not None and task.retries > 0:
                    configured = max(retries, type(task).default_retries)
                    attempt = max(1, configured - task.retries + 1)
                    task.retry_delay = backoff_delay(
                        attempt, base=retry_delay, factor=backoff, max_delay=max_delay, jitter=jitter
                    )
                raise

        wrapper: TaskWrapper = db_task(retries=retries, retry_delay=retry_delay, context=True, **task_options)(run)
        return wrapper

    return decorator
