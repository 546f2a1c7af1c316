"""Pharmacist center writes (RX-06…RX-08): FIFO grab, decisions, double signature, timeout auto-pass.

Every decision is one transaction: the workflow transition (state, timeline, audit, row lock), the
task's reviewer fields, the prescription's status and the HIS callback in the outbox.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from yigongti.centers.prescription_review import webhooks
from yigongti.centers.prescription_review.choices import TASK_TO_RX, WAITING_TASK, RxStatus, TaskStatus
from yigongti.centers.prescription_review.flows import ReviewTaskFlow
from yigongti.centers.prescription_review.models import PharmacistDuty, Prescription, PrescriptionVersion, ReviewTask
from yigongti.centers.prescription_review.services_config import config_for
from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_write
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.core.scope import apply_scope, model_scope
from yigongti.core.workflow.actors import SYSTEM
from yigongti.core.workflow.services import workflow_transition

logger = logging.getLogger(__name__)
PROJECT = "县域审方中心"
DECISIONS = ("approve", "approve_first", "approve_second", "reject", "reject_allow_double_sign")
# Task states the HIS is told about (the synchronous answer already covered the others).
ANNOUNCED = frozenset(
    {TaskStatus.PASSED, TaskStatus.REJECTED, TaskStatus.REJECTED_DOUBLE_SIGN, TaskStatus.DOUBLE_SIGNED,
     TaskStatus.AUTO_PASSED}
)  # fmt: skip


# -- duty and the queue ------------------------------------------------------------------------
def within_hours(start: dt.time, end: dt.time, now: dt.time) -> bool:
    """Working hours; ``end`` earlier than ``start`` crosses midnight (夜班)."""
    if start <= end:
        return start <= now <= end
    return now >= start or now <= end


def active_duty(actor: Any) -> PharmacistDuty:
    """The actor's duty when on duty within the scheme's working hours, else 409."""
    duty = PharmacistDuty.objects.select_related("scheme").filter(pharmacist_id=actor.pk).first()
    if duty is None:
        raise ConflictError("RX_NOT_ROSTERED", "您未被编入审方排班，请联系管理员。")
    if not duty.on_duty:
        raise ConflictError("RX_OFF_DUTY", "您当前未上岗，请先上岗再领取处方。")
    if not duty.scheme.enabled:
        raise ConflictError("RX_SCHEME_DISABLED", f"审方方案“{duty.scheme.name}”已停用。")
    if not within_hours(duty.scheme.start_time, duty.scheme.end_time, timezone.localtime().time()):
        raise ConflictError(
            "RX_OUT_OF_HOURS",
            f"当前不在审方方案“{duty.scheme.name}”的工作时间"
            f"（{duty.scheme.start_time:%H:%M}–{duty.scheme.end_time:%H:%M}）内。",
        )
    return duty


def served_q(duty: PharmacistDuty) -> Q:
    """Tasks of the institutions (and departments) the duty's scheme serves."""
    q = Q(pk__in=[])
    for item in duty.scheme.items.select_related("department"):
        part = Q(institution_id=item.served_institution_id)
        if item.department is not None:
            part &= Q(department_code=item.department.code)
        q |= part
    return q


def queue_for(actor: Any, duty: PharmacistDuty) -> QuerySet[ReviewTask]:
    """Waiting, unclaimed tasks the actor may take: visible to them, served by their scheme, and for
    a second review not one they reviewed first (多级审核 needs another pharmacist)."""
    qs = ReviewTask.objects.filter(status__in=WAITING_TASK, claimed_by__isnull=True).filter(served_q(duty))
    qs = qs.exclude(status=TaskStatus.SECOND_REVIEW, first_reviewer_id=actor.pk)
    return apply_scope(qs, model_scope(ReviewTask), actor.scope_context())


def task_claim_next(*, actor: Any) -> ReviewTask | None:
    """抢单: the oldest waiting task the actor may take, claimed for them alone.

    A pharmacist holds one task at a time (their unfinished one is returned again). No two
    pharmacists ever get the same task: PostgreSQL locks the candidate row with ``FOR UPDATE SKIP
    LOCKED``; SQLite (one writer at a time) claims with a conditional UPDATE.
    """
    duty = active_duty(actor)
    held = ReviewTask.objects.filter(claimed_by_id=actor.pk, status__in=WAITING_TASK).order_by("id").first()
    if held is not None:
        return held
    now = timezone.now()
    queue = queue_for(actor, duty).order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            task = queue.select_for_update(skip_locked=True, of=("self",)).first()
            if task is None:
                return None
            ReviewTask.objects.filter(pk=task.pk).update(claimed_by_id=actor.pk, claimed_at=now)
            _audit_claim(task, "领取")
        task.claimed_by_id, task.claimed_at = actor.pk, now
        return task
    for pk in list(queue.values_list("pk", flat=True)[:50]):
        with transaction.atomic():
            won = ReviewTask.objects.filter(pk=pk, claimed_by__isnull=True, status__in=WAITING_TASK).update(
                claimed_by_id=actor.pk, claimed_at=now
            )
            if won:
                task = ReviewTask.objects.get(pk=pk)
                _audit_claim(task, "领取")
                return task
    return None


@transaction.atomic
def task_release(*, task: ReviewTask, actor: Any) -> ReviewTask:
    """放弃: the claimer puts the task back at its place in the queue."""
    released = ReviewTask.objects.filter(pk=task.pk, claimed_by_id=actor.pk, status__in=WAITING_TASK).update(
        claimed_by=None, claimed_at=None
    )
    if not released:
        raise ConflictError("RX_TASK_NOT_HELD", "该任务不在您的名下，无法放弃。")
    task.refresh_from_db()
    _audit_claim(task, "放弃")
    return task


def _audit_claim(task: ReviewTask, verb: str) -> None:
    audit_write(
        AuditEntry(
            log_type=LogType.BUSINESS, category=Category.UPDATE, action=f"prescription_review.reviewtask.{verb}",
            project=PROJECT, object_type="prescription_review.reviewtask", object_id=str(task.pk),
            object_repr=str(task), content=f"{verb}审方任务 {task.pk}",
        )
    )  # fmt: skip


# -- decisions ---------------------------------------------------------------------------------
def sync_prescription(task: ReviewTask) -> Prescription:
    """Carry the task's state to its prescription (when the task is for the latest version) and
    tell the HIS when the verdict is one it waits for."""
    rx = Prescription.objects.select_for_update().get(pk=task.prescription_id)
    version = PrescriptionVersion.objects.only("number").get(pk=task.version_id)
    if version.number != rx.version_count or rx.status == RxStatus.CANCELLED:
        return rx
    status = TASK_TO_RX[task.status]
    rx.status = status
    waiting = status in (RxStatus.PENDING_REVIEW, RxStatus.REJECTED_DOUBLE_SIGN)
    rx.final_at = None if waiting else timezone.now()
    rx.save(update_fields=["status", "final_at", "updated_at"])
    PrescriptionVersion.objects.filter(pk=task.version_id).update(status=status)
    if task.status in ANNOUNCED:
        webhooks.publish_verdict(rx, task)
    return rx


@transaction.atomic
def task_decide(
    *, task: ReviewTask, action: str, actor: Any, comment: str = "", attachments: Any = (), data: Any = None
) -> ReviewTask:
    """A pharmacist's decision (通过 / 通过并转二级 / 二级通过 / 驳回 / 驳回允许双签), or a doctor's
    double signature. Refusals (not the claimer, wrong state, no reason…) write nothing."""
    if action not in (*DECISIONS, "double_sign"):
        raise BusinessError("RX_UNKNOWN_ACTION", f"未知的审方操作：{action}。", status_code=404)
    task = workflow_transition(
        task, action, actor=actor, comment=comment, attachments=attachments, data=data, workflow=ReviewTaskFlow
    )
    fields: list[str] = []
    if action == "double_sign":
        task.double_sign_reason = comment.strip()
        fields.append("double_sign_reason")
    else:
        task.reviewer_id = actor.pk
        task.reason = comment.strip()
        task.claimed_by_id, task.claimed_at = None, None
        fields += ["reviewer", "reason", "claimed_by", "claimed_at"]
        if action == "approve_first":
            config = config_for(task.institution_id)
            task.first_reviewer_id = actor.pk
            task.due_at = timezone.now() + config.timeout if config.auto_pass_enabled else None
            fields += ["first_reviewer", "due_at"]
    task.save(update_fields=fields)
    sync_prescription(task)
    return task


# -- the circuit breaker -------------------------------------------------------------------------
def task_timeout_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """超时自动通过 (熔断): every waiting task past its ``due_at`` passes as the system, recorded as
    such (timeline 「超时自动通过」, prescription 超时自动通过, HIS callback). Each task in its own
    transaction; a task locked by a pharmacist deciding right now is left for the next run."""
    now = now or timezone.now()
    due = list(
        ReviewTask.objects.filter(status__in=WAITING_TASK, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    fired = 0
    for pk in due:
        try:
            fired += _timeout_one(pk, now)
        except Exception:  # one broken task must not stop the others
            logger.exception("rx timeout sweep: task %s failed", pk)
    return fired


@transaction.atomic
def _timeout_one(pk: int, now: dt.datetime) -> int:
    lock = ReviewTask.objects.select_for_update(**_skip_locked()).filter(
        pk=pk, status__in=WAITING_TASK, due_at__lte=now
    )
    task = lock.first()
    if task is None:
        return 0
    config = config_for(task.institution_id)
    task = workflow_transition(
        task, "timeout_pass", actor=SYSTEM, workflow=ReviewTaskFlow,
        comment=f"超过 {config.timeout_minutes} 分钟无药师处理，系统自动通过（超时熔断）",
    )  # fmt: skip
    task.claimed_by_id, task.claimed_at = None, None
    task.reason = "超时自动通过"
    task.save(update_fields=["claimed_by", "claimed_at", "reason"])
    sync_prescription(task)
    return 1


def _skip_locked() -> dict[str, Any]:
    return {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}
