"""The checks a transition must pass, shared by the service (raise) and the actions list (filter).

Order matters: nothing that depends on the record is revealed before the actor is known to hold
the permission and to see the record (an outsider gets 404 whatever the record's state).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rest_framework import exceptions

from yigongti.core.errors import BusinessError, ConflictError, not_found
from yigongti.core.workflow import error_codes
from yigongti.core.workflow.actors import holds_role, is_system
from yigongti.core.workflow.declarations import ApprovalStep, Transition, Workflow
from yigongti.core.workflow.models import ApprovalSetting


@dataclass(frozen=True)
class ApprovalPolicy:
    """The effective setting of one approval step for one institution (defaults without a row)."""

    enabled: bool = True
    approver_role_id: int | None = None
    auto_approve: bool = False
    institution_id: int | None = None

    @property
    def automatic(self) -> bool:
        return not self.enabled or self.auto_approve

    @property
    def auto_comment(self) -> str:
        return "免审，自动通过" if not self.enabled else "自动审批通过"


def approval_policy(flow: type[Workflow], step: ApprovalStep, obj: Any) -> ApprovalPolicy:
    institution_id = step.institution_of(obj)
    if institution_id is None:
        return ApprovalPolicy()
    row = (
        ApprovalSetting.objects.filter(workflow=flow.code, step=step.code, institution_id=institution_id)
        .values("enabled", "approver_role_id", "auto_approve")
        .first()
    )
    if row is None:
        return ApprovalPolicy(institution_id=institution_id)
    return ApprovalPolicy(institution_id=institution_id, **row)


def is_visible(flow: type[Workflow], obj: Any, actor: Any) -> bool:
    if is_system(actor):
        return True
    return flow.visible(type(obj)._default_manager.filter(pk=obj.pk), actor).exists()


def ensure_can_act(
    flow: type[Workflow],
    transition: Transition,
    obj: Any,
    actor: Any,
    *,
    visible_checked: bool = False,
    policies: dict[str, ApprovalPolicy] | None = None,
) -> None:
    """Raise the first reason ``actor`` may not perform ``transition`` on ``obj`` now."""
    system = is_system(actor)
    if not system:
        if transition.system_only:
            raise BusinessError(
                error_codes.SYSTEM_ONLY, f"“{transition.label}”由系统自动执行，不能手工操作。", status_code=403
            )
        if not actor.has_code(transition.permission):
            raise exceptions.PermissionDenied()
        if not visible_checked and not is_visible(flow, obj, actor):
            raise not_found()
        if not flow.actor_allowed(transition, obj, actor):
            raise BusinessError(error_codes.NOT_ACTOR, f"您不能对该记录执行“{transition.label}”。", status_code=403)
    state = getattr(obj, flow.state_field)
    if state not in transition.source:
        raise ConflictError(
            error_codes.INVALID_STATE, f"当前状态（{flow.state_label(state)}）不允许执行“{transition.label}”"
        )
    if transition.approval_step and not system:
        step = flow.step(transition.approval_step)
        cache = policies if policies is not None else {}
        if step.code not in cache:
            cache[step.code] = approval_policy(flow, step, obj)
        role_id = cache[step.code].approver_role_id
        if role_id is not None and not holds_role(actor, role_id):
            raise BusinessError(error_codes.NOT_APPROVER, f"您不是本机构“{step.label}”环节的审批人。", status_code=403)
    if transition.guard is not None:
        reason = transition.guard(obj, actor)
        if reason:
            raise BusinessError(error_codes.REFUSED, reason)
