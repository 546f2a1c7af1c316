"""Scoped reads of the review center: prescriptions, checks, tasks, counters, and the check history
that supervision (engineer C's ``comment`` app, RX-14) reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from yigongti.centers.prescription_review.choices import TaskStatus
from yigongti.centers.prescription_review.models import CheckRecord, Prescription, ReviewTask
from yigongti.core.scope import apply_scope, model_scope


def prescription_list(*, user: Any) -> QuerySet[Prescription]:
    return apply_scope(Prescription.objects.all(), model_scope(Prescription), user.scope_context())


def check_history(
    *, user: Any, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet[CheckRecord]:
    """Every check in the user's scope (RX-04), oldest first per prescription."""
    qs = apply_scope(CheckRecord.objects.all(), model_scope(CheckRecord), user.scope_context())
    if since is not None:
        qs = qs.filter(checked_at__gte=since)
    if until is not None:
        qs = qs.filter(checked_at__lt=until)
    return qs.order_by("prescription_id", "sequence")


def first_and_last_checks(
    *, user: Any, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet[Prescription]:
    """Prescriptions (submitted in the period) with their first and last check risk levels and
    verdicts — the inputs of the supervision indicators (AI 有效干预: first unreasonable, last lower
    or passed)."""
    qs = prescription_list(user=user)
    if since is not None:
        qs = qs.filter(submitted_at__gte=since)
    if until is not None:
        qs = qs.filter(submitted_at__lt=until)
    return qs.only(
        "id", "institution_id", "department_code", "prescriber_code", "his_id", "status", "version_count",
        "first_severity", "first_verdict", "last_severity", "last_verdict", "submitted_at", "final_at",
    )  # fmt: skip


def task_list(*, user: Any) -> QuerySet[ReviewTask]:
    return apply_scope(ReviewTask.objects.all(), model_scope(ReviewTask), user.scope_context())


def task_counters(*, user: Any, since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    """待审 / 已审 / 驳回 / 双签 (and 超时自动通过) per pharmacist and per institution.

    待审 counts what waits now; the others count decisions taken in [since, until)."""
    tasks = task_list(user=user)
    waiting = tasks.filter(status__in=[TaskStatus.PENDING, TaskStatus.SECOND_REVIEW])
    decided = tasks.filter(updated_at__gte=since, updated_at__lt=until)
    sums = {
        "reviewed": Count("id", filter=Q(status__in=[TaskStatus.PASSED, TaskStatus.REJECTED,
                                                   TaskStatus.REJECTED_DOUBLE_SIGN, TaskStatus.DOUBLE_SIGNED])
                         & Q(reviewer__isnull=False)),
        "rejected": Count("id", filter=Q(status__in=[TaskStatus.REJECTED, TaskStatus.REJECTED_DOUBLE_SIGN,
                                                   TaskStatus.DOUBLE_SIGNED]) & Q(reviewer__isnull=False)),
        "double_signed": Count("id", filter=Q(status=TaskStatus.DOUBLE_SIGNED)),
        "auto_passed": Count("id", filter=Q(status=TaskStatus.AUTO_PASSED)),
    }  # fmt: skip
    pending_by_inst = dict(waiting.values("institution_id").annotate(n=Count("id")).values_list("institution_id", "n"))
    by_inst = {row["institution_id"]: row for row in decided.values("institution_id").annotate(**sums)}
    institutions = []
    for inst_id in sorted(set(pending_by_inst) | set(by_inst)):
        row = by_inst.get(inst_id, {})
        institutions.append(
            {"institution": inst_id, "pending": pending_by_inst.get(inst_id, 0)} | {k: row.get(k, 0) for k in sums}
        )
    pharmacists = []
    for row in decided.filter(reviewer__isnull=False).values("reviewer_id", "reviewer__name").annotate(**sums):
        held = waiting.filter(claimed_by_id=row["reviewer_id"]).count()
        pharmacists.append(
            {"pharmacist": row["reviewer_id"], "name": row["reviewer__name"] or "", "pending": held}
            | {k: row[k] for k in sums}
        )
    totals = {"pending": sum(pending_by_inst.values())} | {k: sum(i[k] for i in institutions) for k in sums}
    return {"since": since, "until": until, "totals": totals, "institutions": institutions, "pharmacists": pharmacists}
