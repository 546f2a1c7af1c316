"""Scoped reads of 双向转诊配置."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from yigongti.centers.referral.config import choices
from yigongti.centers.referral.config.models import ReferralSettings, ReferralSlot
from yigongti.centers.referral.config.services.slots import _not_over_q
from yigongti.core.errors import not_found
from yigongti.core.scope import apply_scope, model_scope
from yigongti.platform.org.models import Institution


def settings_map(institution_ids: list[int]) -> dict[int, ReferralSettings]:
    """Effective settings of many institutions in two queries (defaults where no row)."""
    from yigongti.centers.referral.config.services.settings import INBOUND_STEP, OUTBOUND_STEP, WORKFLOW
    from yigongti.core.workflow.models import ApprovalSetting

    rows = {s.institution_id: s for s in ReferralSettings.objects.filter(institution_id__in=institution_ids)}
    reviews: dict[tuple[int, str], Any] = {
        (r["institution_id"], r["step"]): r
        for r in ApprovalSetting.objects.filter(
            workflow=WORKFLOW, step__in=[OUTBOUND_STEP, INBOUND_STEP], institution_id__in=institution_ids
        ).values("institution_id", "step", "enabled", "approver_role_id")
    }
    result: dict[int, ReferralSettings] = {}
    for institution_id in institution_ids:
        row = rows.get(institution_id) or ReferralSettings(institution_id=institution_id)
        out, inn = reviews.get((institution_id, OUTBOUND_STEP)), reviews.get((institution_id, INBOUND_STEP))
        row.outbound_review = out["enabled"] if out else True
        row.outbound_reviewer_role_id = out["approver_role_id"] if out else None
        row.inbound_review = inn["enabled"] if inn else True
        row.inbound_reviewer_role_id = inn["approver_role_id"] if inn else None
        result[institution_id] = row
    return result


def access_institution(user: Any, institution_id: Any, *, for_write: bool = False) -> Institution:
    """An institution the user's data scope covers; 404 otherwise (whether or not it exists)."""
    try:
        pk = int(institution_id)
    except (TypeError, ValueError):
        raise not_found() from None
    qs = apply_scope(Institution.objects.all(), model_scope(Institution), user.scope_context(), for_write=for_write)
    found = qs.filter(pk=pk).first()
    if found is None:
        raise not_found()
    return found


def user_institution_id(user: Any) -> int | None:
    """The home institution of a console user or of an API client's principal."""
    pk = getattr(user, "institution_pk", None)
    return int(pk) if pk is not None else getattr(user, "institution_id", None)


def bookable_institutions(user: Any) -> QuerySet[Institution]:
    """Institutions whose slots the user may book: those of the communities the user belongs to (or
    covers by scope); referral capacity is published to the whole 医共体."""
    ctx = user.scope_context()
    qs = Institution.objects.filter(is_active=True)
    if ctx.all:
        return qs
    home = user_institution_id(user)
    community_ids = set(ctx.community_ids)
    owned = set(ctx.institution_ids) | ({home} if home else set())
    community_ids |= set(Institution.objects.filter(pk__in=owned).values_list("community_id", flat=True))
    return qs.filter(community_id__in=sorted(community_ids))


@dataclass(frozen=True)
class SlotFilters:
    institution: int | None = None
    department: int | None = None
    doctor: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str | None = None


def slots_available(*, user: Any, filters: SlotFilters) -> list[ReferralSlot]:
    """Open, not yet ended slots with free places, of institutions in 配额模式 the user may book, with
    the receiving institution's pinning applied: 到医生 — only doctors' slots (doctor filter applies);
    到科室 — the doctor is neither filtered nor shown; 到医院 — neither department nor doctor."""
    institutions = bookable_institutions(user)
    if filters.institution is not None:
        institutions = institutions.filter(pk=filters.institution)
    ids = list(institutions.values_list("pk", flat=True))
    effective = settings_map(ids)
    groups: dict[str, list[int]] = {}
    for pk, row in effective.items():
        if row.quota_mode:
            groups.setdefault(row.pinning, []).append(pk)
    if not groups:
        return []
    where = Q(pk__in=[])
    for pinning, members in groups.items():
        q = Q(institution_id__in=members)
        if pinning == choices.Pinning.DOCTOR:
            q &= Q(doctor__isnull=False)
            if filters.doctor is not None:
                q &= Q(doctor_id=filters.doctor)
        if pinning in (choices.Pinning.DOCTOR, choices.Pinning.DEPARTMENT) and filters.department is not None:
            q &= Q(department_id=filters.department)
        where |= q
    today = timezone.localdate()
    qs = ReferralSlot.objects.filter(
        where,
        _not_over_q(timezone.now()),
        status=choices.SlotStatus.OPEN,
        booked__lt=F("capacity"),
        date__gte=max(filters.date_from or today, today),
        date__lte=filters.date_to or today + dt.timedelta(days=60),
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    slots = list(qs.select_related("institution", "department", "doctor").order_by("date", "start_time", "id")[:500])
    for slot in slots:
        pinning = effective[slot.institution_id].pinning
        slot.pinning = pinning  # type: ignore[attr-defined]
        doctor_shown = pinning == choices.Pinning.DOCTOR
        slot.doctor_value = slot.doctor_id if doctor_shown else None  # type: ignore[attr-defined]
        slot.doctor_name = slot.doctor.name if doctor_shown and slot.doctor else None  # type: ignore[attr-defined]
    return slots
