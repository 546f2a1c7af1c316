"""Tasks used by the job tests (importable by name, as a re-run needs)."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import db_task

from yigongti.core.jobs import job

CALLS: list[tuple[Any, ...]] = []
FAILURES = {"remaining": 0}


@job(retries=2, retry_delay=10, jitter=0)
def flaky(record_id: int, *, note: str = "") -> str:
    CALLS.append(("flaky", record_id, note))
    if FAILURES["remaining"] > 0:
        FAILURES["remaining"] -= 1
        raise RuntimeError("对方系统暂不可用")
    return "ok"


@db_task()
def remember(value: str) -> None:
    CALLS.append(("remember", value))
