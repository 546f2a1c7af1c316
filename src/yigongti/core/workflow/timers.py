"""Timers: created on entering a state that declares them, cancelled on leaving it, fired when due
(Huey every minute, or ``yigongti workflow-timers --once``) through ``workflow_transition`` as the
system actor.

Firing is idempotent and safe with several workers: each timer is handled in its own transaction
that first locks the record (the same lock a user's transition takes, so both queue in one order
and cannot deadlock), then the timer row (``skip_locked`` where the database supports it), and
re-checks that the timer is still open.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from yigongti.core.errors import BusinessError
from yigongti.core.workflow.declarations import Param, Timer, Workflow, follow
from yigongti.core.workflow.hooks import resolve_parameter
from yigongti.core.workflow.models import WorkflowTimer
from yigongti.core.workflow.registry import get_workflow

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def due_at(timer: Timer, obj: Any, entered_at: dt.datetime) -> dt.datetime | None:
    after = timer.after
    if isinstance(after, dt.timedelta):
        return entered_at + after
    if isinstance(after, Param):
        institution = follow(obj, after.institution) if after.institution is not None else None
        try:
            value = resolve_parameter(after.code, institution)
        except Exception:  # an unknown or broken parameter must not block the business transition
            logger.exception("workflow timer: parameter %s could not be read; using its default", after.code)
            value = None
        if value is None:
            value = after.default
        if value is None:
            logger.error("workflow timer: parameter %s has no value and no default; no timer set", after.code)
            return None
        base = after.base(obj) if after.base is not None else entered_at
        return base + dt.timedelta(**{after.unit: float(value)}) if base is not None else None
    result = after(obj)
    if isinstance(result, dt.timedelta):
        return entered_at + result
    return result


def _of(obj: models.Model, flow: type[Workflow]) -> dict[str, Any]:
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": str(obj.pk), "workflow": flow.code}


def cancel_timers(flow: type[Workflow], obj: models.Model, *, state: str, now: dt.datetime) -> int:
    return WorkflowTimer.objects.filter(
        **_of(obj, flow), state=state, fired_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=now)


def schedule_timers(flow: type[Workflow], obj: models.Model, *, state: str, now: dt.datetime) -> list[WorkflowTimer]:
    created = []
    for timer in flow.timers:
        if timer.state != state:
            continue
        when = due_at(timer, obj, now)
        if when is not None:
            created.append(
                WorkflowTimer.objects.create(**_of(obj, flow), state=state, transition=timer.transition, due_at=when)
            )
    return created


@dataclass
class FireReport:
    fired: int = 0
    closed: int = 0
    failed: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return f"执行 {self.fired} 个，关闭 {self.closed} 个（已不适用），失败 {self.failed} 个，跳过 {self.skipped} 个"


def fire_due_timers(*, now: dt.datetime | None = None, limit: int = 500) -> FireReport:
    """Fire every open timer due by ``now`` (oldest first, at most ``limit``)."""
    now = now or timezone.now()
    report = FireReport()
    due = (
        WorkflowTimer.objects.filter(fired_at__isnull=True, cancelled_at__isnull=True, due_at__lte=now)
        .order_by("due_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    for pk in list(due):
        outcome = _fire_one(pk, now)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _close(timer: WorkflowTimer, now: dt.datetime, reason: str) -> str:
    timer.fired_at, timer.cancelled_at, timer.last_error = None, now, reason[:2000]
    timer.save(update_fields=["attempts", "fired_at", "cancelled_at", "last_error"])
    return "closed"


def _lock_timer(pk: int) -> WorkflowTimer | None:
    qs = WorkflowTimer.objects.filter(pk=pk, fired_at__isnull=True, cancelled_at__isnull=True)
    skip = connection.features.has_select_for_update_skip_locked
    return qs.select_for_update(skip_locked=skip).first()


@transaction.atomic
def _fire_one(pk: int, now: dt.datetime) -> str:
    from yigongti.core.workflow.actors import SYSTEM
    from yigongti.core.workflow.services import workflow_transition

    peek = WorkflowTimer.objects.filter(pk=pk).values("workflow", "transition", "object_id", "state").first()
    if peek is None:
        return "skipped"
    flow = get_workflow(peek["workflow"])
    obj = None
    if flow is not None and flow.has_transition(peek["transition"]):
        obj = flow.get_model()._default_manager.select_for_update().filter(pk=peek["object_id"]).first()
    timer = _lock_timer(pk)
    if timer is None:
        return "skipped"
    timer.attempts += 1
    if flow is None or obj is None:
        return _close(timer, now, "流程、操作或记录已不存在，定时器关闭。")
    timer.fired_at = now
    timer.save(update_fields=["attempts", "fired_at"])
    declared = next((t for t in flow.timers if (t.state, t.transition) == (timer.state, timer.transition)), None)
    try:
        workflow_transition(
            obj, timer.transition, actor=SYSTEM, comment=declared.comment if declared else "超时自动执行", workflow=flow
        )
    except BusinessError as exc:  # the state moved on or a guard refuses: the timer no longer applies
        return _close(timer, now, exc.message)
    except Exception as exc:
        logger.exception("workflow timer %s failed", pk)
        timer.fired_at = None
        timer.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        fields = ["fired_at", "last_error"]
        if timer.attempts >= MAX_ATTEMPTS:
            timer.cancelled_at = now
            fields.append("cancelled_at")
        timer.save(update_fields=fields)
        return "failed"
    return "fired"
