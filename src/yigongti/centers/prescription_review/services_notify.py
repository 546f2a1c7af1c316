"""Realtime push of new tasks to the on-duty pharmacists who serve them (RX-06; platform/notify)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q

from yigongti.centers.prescription_review.models import PharmacistDuty, ReviewTask
from yigongti.platform.notify.services import notify

logger = logging.getLogger(__name__)
NEW_TASK = "rx.task_new"


def on_duty_pharmacists(institution_id: int, department_code: str) -> list[int]:
    """User ids of pharmacists on duty whose scheme serves the institution (and department)."""
    served = Q(scheme__items__served_institution_id=institution_id) & (
        Q(scheme__items__department__isnull=True) | Q(scheme__items__department__code=department_code)
    )
    return sorted(
        set(
            PharmacistDuty.objects.filter(served, on_duty=True, scheme__enabled=True).values_list(
                "pharmacist_id", flat=True
            )
        )
    )


def announce_task(
    *, task_id: int, institution_id: int, department_code: str, department: str, his_id: str, max_severity: str
) -> None:
    """Runs after the submission commits: an in-app popup with sound for each serving pharmacist.
    Takes plain values so the common case (nobody on duty) costs one query."""
    recipients = on_duty_pharmacists(institution_id, department_code)
    if not recipients:
        return
    with transaction.atomic():
        notify(
            NEW_TASK,
            recipients=recipients,
            context={"his_id": his_id, "department": department or department_code or "未注明科室"},
            related=ReviewTask(pk=task_id),
            institution=institution_id,
            data={"task_id": task_id, "max_severity": max_severity},
        )
