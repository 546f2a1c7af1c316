"""The example's declaration: everything a center writes to get a workflow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework import serializers

from yigongti.core.workflow.declarations import ApprovalStep, State, Timer, Transition, Workflow

GRACE = dt.timedelta(hours=2)


def is_owner(obj: Any, actor: Any) -> bool:
    return bool(obj.owner_id == actor.pk)


def not_too_long(obj: Any, actor: Any) -> str | None:
    return "请假天数超过 30 天，不能提交" if obj.days > 30 else None


class ArrangeSerializer(serializers.Serializer[Any]):
    start_at = serializers.DateTimeField(label="开始时间")
    handover_to = serializers.CharField(label="工作交接人", max_length=50)


def arrange(obj: Any, data: dict[str, Any], actor: Any) -> list[str]:
    obj.start_at = data["start_at"]
    obj.handover_to = data["handover_to"]
    return ["start_at", "handover_to"]


def no_show_due(obj: Any) -> dt.datetime | None:
    return obj.start_at + GRACE if obj.start_at else None


def _code(action: str) -> str:
    return f"workflow_example.leave.{action}"


class LeaveFlow(Workflow):
    code = "leave"
    label = "请假"
    model = "workflow_example.LeaveRequest"
    project = "流程示例"
    scopes = {"owner": is_owner}
    states = [
        State("draft", "草稿"),
        State("submitted", "已提交", stamp="submitted_at"),
        State("reviewed", "已审核", stamp="reviewed_at"),
        State("arranged", "已安排", stamp="arranged_at"),
        State("closed", "已结束", final=True, stamp="closed_at"),
        State("rejected", "已驳回", final=True),
        State("cancelled", "已撤销", final=True),
        State("expired", "已作废", final=True),
    ]
    transitions = [
        Transition(
            "submit", ["draft"], "submitted", "提交", permission=_code("submit"), actor_scope="owner",
            guard=not_too_long, message="leave.submitted",
        ),
        Transition(
            "approve", ["submitted"], "reviewed", "审核通过", permission=_code("review"), approval_step="review",
            message="leave.approved",
        ),
        Transition(
            "reject", ["submitted"], "rejected", "驳回", permission=_code("review"), approval_step="review",
            requires_comment=True, message="leave.rejected",
        ),
        Transition(
            "arrange", ["reviewed"], "arranged", "安排代班", permission=_code("arrange"),
            data_serializer=ArrangeSerializer, effect=arrange, message="leave.arranged",
        ),
        Transition("finish", ["arranged"], "closed", "销假", permission=_code("arrange")),
        Transition(
            "cancel", ["draft", "submitted", "reviewed", "arranged"], "cancelled", "撤销",
            permission=_code("submit"), actor_scope="owner",
        ),
        Transition("expire", ["arranged"], "expired", "逾期作废", message="leave.expired"),
    ]  # fmt: skip
    approval_steps = [
        ApprovalStep("review", "科室审核", state="submitted", approve="approve", institution="institution_id")
    ]
    timers = [Timer("arranged", after=no_show_due, transition="expire", comment="超过计划开始时间未销假，自动作废")]
