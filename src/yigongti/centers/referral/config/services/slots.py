"""排班 → 号源 generation, open/close, and the atomic take/release of a slot (REF-15/16).

``slot_take`` is one conditional ``UPDATE … SET booked = booked + 1 WHERE booked < capacity AND …``:
the database decides, so concurrent bookings can never exceed capacity nor lose an update; no row
is read before the write (no check-then-act). Only when nothing was updated is the slot read, to
say why in Chinese.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from yigongti.centers.referral.config import choices, error_codes
from yigongti.centers.referral.config.models import ReferralSchedule, ReferralSlot
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.errors import BusinessError

MAX_HORIZON_DAYS = 120


def _not_over_q(now: dt.datetime) -> Q:
    """Slots that have not ended yet (local time)."""
    local = timezone.localtime(now)
    return Q(date__gt=local.date()) | Q(date=local.date(), end_time__gt=local.time())


@transaction.atomic
def schedule_generate_slots(*, schedule: ReferralSchedule, until: dt.date, actor: Any) -> int:
    """Create the slots of ``schedule`` from today (or its start) up to ``until`` inclusive; dates that
    already have a slot of this schedule are left alone. Returns the number created."""
    if not schedule.is_active:
        raise BusinessError(error_codes.SCHEDULE_INACTIVE, "排班已停用，不能生成号源。")
    today = timezone.localdate()
    if until < today or (until - today).days > MAX_HORIZON_DAYS:
        raise BusinessError(
            error_codes.SCHEDULE_HORIZON,
            f"生成截止日期须在今天至 {MAX_HORIZON_DAYS} 天之内。",
            fields={"until": [f"请选择今天至 {MAX_HORIZON_DAYS} 天内的日期。"]},
        )
    first = max(schedule.start_date, today)
    last = min(schedule.end_date, until) if schedule.end_date else until
    weekdays = set(schedule.weekdays or range(7))
    existing = set(ReferralSlot.objects.filter(schedule=schedule).values_list("date", flat=True))
    rows = []
    day = first
    while day <= last:
        if day.weekday() in weekdays and day not in existing:
            rows.append(
                ReferralSlot(
                    schedule=schedule,
                    institution_id=schedule.institution_id,
                    department_id=schedule.department_id,
                    doctor_id=schedule.doctor_id,
                    date=day,
                    period=schedule.period,
                    start_time=schedule.start_time,
                    end_time=schedule.end_time,
                    capacity=schedule.capacity,
                    kind=schedule.kind,
                    created_by=actor,
                    updated_by=actor,
                )
            )
        day += dt.timedelta(days=1)
    ReferralSlot.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        audit_model_change(
            category=Category.UPDATE,
            instance=schedule,
            before=None,
            after={"generated_slots": len(rows), "until": until.isoformat()},
            project="双向转诊",
            content=f"按排班生成号源 {len(rows)} 个（至 {until:%Y-%m-%d}）：{schedule}",
        )
    return len(rows)


@transaction.atomic
def slot_set_status(*, slot: ReferralSlot, status: str, actor: Any) -> ReferralSlot:
    """Open or close a slot. Closing keeps existing bookings; it only stops new ones."""
    locked = ReferralSlot.objects.select_for_update().get(pk=slot.pk)
    if locked.status == status:
        return locked
    before = snapshot(locked)
    locked.status = status
    locked.updated_by = actor
    locked.save(update_fields=["status", "updated_by", "updated_at"])
    audit_model_change(
        category=Category.UPDATE, instance=locked, before=before, after=snapshot(locked), project="双向转诊"
    )
    return locked


def slot_take(*, slot_id: int, referral_kind: str, to_institution_id: int) -> ReferralSlot:
    """Book one place of a slot atomically; raise ``BusinessError`` (Chinese) when it cannot be had."""
    now = timezone.now()
    with transaction.atomic():
        updated = ReferralSlot.objects.filter(
            _not_over_q(now),
            pk=slot_id,
            institution_id=to_institution_id,
            kind=referral_kind,
            status=choices.SlotStatus.OPEN,
            booked__lt=F("capacity"),
        ).update(booked=F("booked") + 1, updated_at=now)
        slot = ReferralSlot.objects.filter(pk=slot_id).first()
    if updated == 1 and slot is not None:
        return slot
    raise _why_not(slot, referral_kind=referral_kind, to_institution_id=to_institution_id, now=now)


def _why_not(
    slot: ReferralSlot | None, *, referral_kind: str, to_institution_id: int, now: dt.datetime
) -> BusinessError:
    fields = {"slot": ["请重新选择号源。"]}
    if slot is None or slot.institution_id != to_institution_id:
        code, message = (
            (error_codes.SLOT_NOT_FOUND, "号源不存在。")
            if slot is None
            else (error_codes.SLOT_WRONG_INSTITUTION, "所选号源不属于接诊机构。")
        )
        return BusinessError(code, message, fields=fields)
    if slot.kind != referral_kind:
        kinds = dict(choices.SlotKind.choices)
        return BusinessError(
            error_codes.SLOT_WRONG_KIND,
            f"所选号源为{kinds.get(slot.kind, slot.kind)}号源，与转诊类型（{kinds.get(referral_kind, referral_kind)}）不符。",
            fields=fields,
        )
    if not ReferralSlot.objects.filter(_not_over_q(now), pk=slot.pk).exists():
        return BusinessError(error_codes.SLOT_PAST, "所选号源时间已过，不能预约。", fields=fields)
    if slot.status != choices.SlotStatus.OPEN:
        return BusinessError(error_codes.SLOT_CLOSED, "所选号源已关闭，不能预约。", fields=fields)
    return BusinessError(error_codes.SLOT_FULL, "所选号源已约满，请选择其他号源。", fields=fields, status_code=409)


def slot_release(*, slot_id: int) -> None:
    """Give one place back (cancellation, refusal, no-show). Never goes below zero."""
    ReferralSlot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1, updated_at=timezone.now())


@transaction.atomic
def slot_set_capacity(*, slot: ReferralSlot, capacity: int, actor: Any) -> ReferralSlot:
    """Change a slot's capacity; never below what is already booked (one conditional UPDATE)."""
    before = snapshot(slot)
    changed = ReferralSlot.objects.filter(pk=slot.pk, booked__lte=capacity).update(
        capacity=capacity, updated_by=actor, updated_at=timezone.now()
    )
    current = ReferralSlot.objects.get(pk=slot.pk)
    if not changed:
        raise BusinessError(
            error_codes.SLOT_CAPACITY_BELOW_BOOKED,
            f"号源数不能少于已预约数（{current.booked}）。",
            fields={"capacity": [f"至少为 {current.booked}。"]},
        )
    audit_model_change(
        category=Category.UPDATE, instance=current, before=before, after=snapshot(current), project="双向转诊"
    )
    return current


@transaction.atomic
def slot_delete(*, slot: ReferralSlot, actor: Any) -> None:
    """Delete a slot nobody has booked (conditional DELETE: a booking racing in wins)."""
    before = snapshot(slot)
    pk = slot.pk
    deleted, _ = ReferralSlot.objects.filter(pk=pk, booked=0).delete()
    if not deleted:
        raise BusinessError(
            error_codes.SLOT_CAPACITY_BELOW_BOOKED, "号源已有预约，不能删除，可将其关闭。", status_code=409
        )
    slot.pk = pk
    audit_model_change(category=Category.DELETE, instance=slot, before=before, after=None, project="双向转诊")
