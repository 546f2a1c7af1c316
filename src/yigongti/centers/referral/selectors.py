"""Scoped reads of referrals (conventions §3).

A referral is visible to BOTH its institutions: the applicant (转出) and the receiver (转入), and
to whoever's data scope covers either of them (医共体管理员, 卫健委监管). An uninvolved institution
sees nothing. The workflow's ``ReferralFlow.visible`` is this same function.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet

from yigongti.centers.referral.choices import ACTIVE_STATES
from yigongti.centers.referral.models import Referral

M = TypeVar("M", bound=models.Model)

LIST_RELATED = ("from_institution", "to_institution", "from_department", "to_department", "from_doctor")


def visibility_q(actor: Any) -> Q | None:
    """``None``: no restriction (全部). Department and 本人 scopes see what they take part in."""
    ctx = actor.scope_context()
    if ctx.all:
        return None
    q = Q(pk__in=[])
    if ctx.institution_ids:
        ids = sorted(ctx.institution_ids)
        # the receiving side sees a referral once it was sent (not the applicant's drafts)
        q |= Q(from_institution_id__in=ids) | (Q(to_institution_id__in=ids) & ~Q(status="draft"))
    if ctx.department_ids:
        deps = sorted(ctx.department_ids)
        q |= Q(from_department_id__in=deps) | Q(to_department_id__in=deps) | Q(arranged_department_id__in=deps)
    if ctx.user_id is not None:
        q |= Q(from_doctor_id=ctx.user_id) | Q(to_doctor_id=ctx.user_id) | Q(arranged_doctor_id=ctx.user_id)
    return q


def referral_visible(queryset: QuerySet[M], actor: Any) -> QuerySet[M]:
    if not getattr(actor, "is_authenticated", False):
        return queryset.none()
    q = visibility_q(actor)
    return queryset if q is None else queryset.filter(q)


def referral_queryset() -> QuerySet[Referral]:
    return Referral.objects.select_related(*LIST_RELATED)


def detail_queryset() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        *LIST_RELATED, "to_doctor", "arranged_department", "arranged_doctor", "arranged_bed", "slot", "parent"
    )


# -- REF-20: how long the receiving side may read the shared clinical data ----------------------
def share_open_until(referral: Referral) -> dt.datetime | None:
    """The end of the receiving side's access: ``None`` while active (no end yet); after the
    referral ended (closed, or refused/rejected/cancelled/no-show) the receiving institution's
    ``share_window_days`` (referral_config, default 30) from the end."""
    from yigongti.centers.referral import bridge

    if referral.status in ACTIVE_STATES or referral.status == "draft":
        return None
    ended: dt.datetime = referral.closed_at or referral.cancelled_at or referral.updated_at
    return ended + bridge.share_window(referral.to_institution_id)
