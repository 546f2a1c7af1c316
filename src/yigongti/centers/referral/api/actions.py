"""What the current user may do with a referral now: the workflow's transitions plus 转回."""

from __future__ import annotations

from typing import Any

from yigongti.centers.referral.choices import Direction
from yigongti.centers.referral.flows import ReferralFlow
from yigongti.centers.referral.services import RETURNABLE_STATES
from yigongti.core.workflow.selectors import available_transitions


def may_return(obj: Any, user: Any) -> bool:
    ctx = user.scope_context()
    return bool(
        obj.direction == Direction.UP
        and obj.status in RETURNABLE_STATES
        and user.has_code("referral.referral.return")
        and (ctx.all or obj.to_institution_id in ctx.institution_ids)
        and not obj.returns.exclude(status__in=("rejected", "refused", "cancelled", "no_show")).exists()
    )


def actions_for(obj: Any, user: Any) -> list[dict[str, Any]]:
    rows = [
        {
            "name": t.name,
            "path": t.path,
            "label": t.label,
            "requires_comment": t.requires_comment,
            "has_data": t.data_serializer is not None,
        }
        for t in available_transitions(obj, user, workflow=ReferralFlow)
    ]
    if may_return(obj, user):
        rows.append({"name": "return", "path": "return", "label": "转回", "requires_comment": False, "has_data": True})
    return rows
