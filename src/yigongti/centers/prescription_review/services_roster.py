"""Roster and quick-reply writes (RX-05, RX-07): on/off duty, reordering quick replies."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from yigongti.centers.prescription_review.choices import WAITING_TASK
from yigongti.centers.prescription_review.models import PharmacistDuty, QuickReply, ReviewTask
from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_write
from yigongti.core.errors import BusinessError, ConflictError

PROJECT = "县域审方中心"


@transaction.atomic
def duty_set(*, actor: Any, on_duty: bool) -> PharmacistDuty:
    """上岗 / 下岗. Going off duty puts the tasks the pharmacist holds back into the queue."""
    duty = PharmacistDuty.objects.select_for_update().select_related("scheme").filter(pharmacist_id=actor.pk).first()
    if duty is None:
        raise ConflictError("RX_NOT_ROSTERED", "您未被编入审方排班，请联系管理员。")
    if duty.on_duty == on_duty:
        raise ConflictError("RX_DUTY_UNCHANGED", "您已在岗。" if on_duty else "您已下岗。")
    now = timezone.now()
    duty.on_duty = on_duty
    if on_duty:
        duty.on_duty_at = now
    else:
        duty.off_duty_at = now
        ReviewTask.objects.filter(claimed_by_id=actor.pk, status__in=WAITING_TASK).update(
            claimed_by=None, claimed_at=None
        )
    duty.updated_by_id = actor.pk
    duty.save(update_fields=["on_duty", "on_duty_at", "off_duty_at", "updated_by", "updated_at"])
    verb = "上岗" if on_duty else "下岗"
    audit_write(
        AuditEntry(
            log_type=LogType.BUSINESS, category=Category.UPDATE, action=f"prescription_review.pharmacistduty.{verb}",
            project=PROJECT, object_type="prescription_review.pharmacistduty", object_id=str(duty.pk),
            object_repr=str(duty), content=f"药师{verb}（方案：{duty.scheme.name}）",
            before={"on_duty": not on_duty}, after={"on_duty": on_duty},
        )
    )  # fmt: skip
    return duty


@transaction.atomic
def quick_reply_reorder(*, visible: Any, ids: list[int], actor: Any) -> list[QuickReply]:
    """排序: ``ids`` in the wanted order; each must be a reply the actor may change."""
    if not ids or len(set(ids)) != len(ids):
        raise BusinessError("RX_REORDER_INVALID", "请提供不重复的快捷回复编号列表。", fields={"ids": ["无效。"]})
    rows = {r.pk: r for r in visible.select_for_update().filter(pk__in=ids)}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise BusinessError(
            "RX_REORDER_INVALID", f"快捷回复不存在或无权修改：{missing}。", fields={"ids": [f"无效编号：{missing}"]}
        )
    ordered = []
    for position, pk in enumerate(ids, start=1):
        reply = rows[pk]
        reply.sort_order = position * 10
        reply.updated_by_id = actor.pk
        ordered.append(reply)
    QuickReply.objects.bulk_update(ordered, ["sort_order", "updated_by"])
    audit_write(
        AuditEntry(
            log_type=LogType.DATA, category=Category.UPDATE, action="prescription_review.quickreply.reorder",
            project=PROJECT, object_type="prescription_review.quickreply", object_id="",
            content=f"调整快捷回复顺序：{ids}", after={"ids": ids},
        )
    )  # fmt: skip
    return ordered
