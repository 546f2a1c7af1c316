"""Single-referral access (conventions §3): written once, used by every view and service.

``access_referral``: the referral if the user sees it (either institution), else the same 404
whether it does not exist or belongs to an uninvolved institution. ``access_shared``: the clinical
data the applicant shared with the receiving side (REF-20) — only while the referral is active and
for the receiving institution's share window after it ended; outside that, 403 in Chinese.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from yigongti.centers.referral import error_codes as E
from yigongti.centers.referral.models import Referral
from yigongti.centers.referral.selectors import detail_queryset, referral_visible, share_open_until
from yigongti.core.errors import BusinessError, not_found


def access_referral(user: Any, referral_id: Any, *, for_update: bool = False) -> Referral:
    try:
        pk = int(referral_id)
    except (TypeError, ValueError):
        raise not_found() from None
    qs = referral_visible(detail_queryset(), user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    referral = qs.filter(pk=pk).first()
    if referral is None:
        raise not_found()
    return referral


def on_applicant_side(user: Any, referral: Referral) -> bool:
    ctx = user.scope_context()
    return bool(ctx.all or referral.from_institution_id in ctx.institution_ids or referral.from_doctor_id == user.pk)


def share_closed_until(user: Any, referral: Referral) -> Any:
    """``None`` when ``user`` may read the shared data now, else the moment the window closed."""
    if on_applicant_side(user, referral):
        return None
    until = share_open_until(referral)
    return until if until is not None and timezone.now() > until else None


def access_shared(user: Any, referral_id: Any) -> Referral:
    """The referral whose shared data ``user`` may read now. The applicant side always may (it is
    their own record); the receiving side within the window; anyone else never (404)."""
    referral = access_referral(user, referral_id)
    if on_applicant_side(user, referral):
        return referral
    if referral.status == "draft":
        raise not_found()
    until = share_closed_until(user, referral)
    if until is not None:
        raise BusinessError(
            E.SHARE_CLOSED,
            f"转诊已结束且超过共享期限（至 {timezone.localtime(until):%Y-%m-%d %H:%M}），不能再查看转出机构共享的诊疗资料。",
            status_code=403,
        )
    return referral
