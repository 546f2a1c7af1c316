"""The review-task workflow (审方任务流程, RX-06…RX-08).

A task is created in ``pending`` when the engine sends a prescription to a pharmacist. Pharmacists
grab tasks FIFO (``services_tasks.task_claim_next``; claiming is not a state change) and decide:
pass, reject (the doctor must modify and resubmit), or reject but allow the doctor's double
signature (处方审核规范 2018 第十九条/第二十条：医师不同意修改时应双签确认). Findings at or above the
institution's ``second_review_severity`` need a second pharmacist (多级审核). A task nobody
handled within the institution's timeout passes automatically (anchor-systems.md §9-10, ZLRECIPE);
that sweep is ``services_tasks.task_timeout_sweep`` (Huey periodic task), which fires the
system-only ``timeout_pass`` so the prescription, the task and the HIS callback change in one
transaction.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yigongti.core.scope import ScopeSpec
from yigongti.core.workflow.declarations import State, Transition, Workflow

TASK = "rx.task"
DOUBLE_SIGN = "rx.prescription.double_sign"


def _is_claimer(task: Any, actor: Any) -> bool:
    return task.claimed_by_id is not None and task.claimed_by_id == getattr(actor, "pk", None)


def _single_level(task: Any, actor: Any) -> str | None:
    return "该处方风险等级较高，需提交二级审核。" if task.requires_second else None


def _needs_second(task: Any, actor: Any) -> str | None:
    return None if task.requires_second else "该处方无需二级审核，请直接审核通过。"


class RxDoubleSignDataSerializer(serializers.Serializer[Any]):
    """双签医生（由 HIS 代医生提交时填写；控制台医生本人双签可不填）。"""

    doctor_name = serializers.CharField(label="双签医生", max_length=50, required=False, allow_blank=True)


def _double_sign_effect(task: Any, data: dict[str, Any], actor: Any) -> list[str]:
    name = (data.get("doctor_name") or "").strip() or str(getattr(actor, "name", "") or actor)
    task.double_sign_doctor = name[:50]
    return ["double_sign_doctor"]


class ReviewTaskFlow(Workflow):
    code = "rx_review"
    label = "处方审核"
    model = "prescription_review.ReviewTask"
    project = "县域审方中心"
    scopes = {
        "claimer": _is_claimer,
        "prescribing": ScopeSpec(institution="institution_id"),
    }
    states = [
        State("pending", "待审"),
        State("second_review", "待二级审核", stamp="second_review_at"),
        State("passed", "审核通过", final=True, stamp="passed_at"),
        State("rejected", "已驳回", final=True, stamp="rejected_at"),
        State("rejected_double_sign", "驳回（可双签）", stamp="rejected_at"),
        State("double_signed", "医生已双签", final=True, stamp="double_signed_at"),
        State("auto_passed", "超时自动通过", final=True, stamp="auto_passed_at"),
        State("cancelled", "已撤销", final=True, stamp="cancelled_at"),
        State("superseded", "医生已修改重提", final=True, stamp="superseded_at"),
    ]
    transitions = [
        Transition(
            "approve", ["pending"], "passed", "审核通过", permission=f"{TASK}.review", actor_scope="claimer",
            guard=_single_level,
        ),
        Transition(
            "approve_first", ["pending"], "second_review", "通过并提交二级审核", permission=f"{TASK}.review",
            actor_scope="claimer", guard=_needs_second,
        ),
        Transition(
            "approve_second", ["second_review"], "passed", "二级审核通过", permission=f"{TASK}.review",
            actor_scope="claimer",
        ),
        Transition(
            "reject", ["pending", "second_review"], "rejected", "驳回", permission=f"{TASK}.review",
            actor_scope="claimer", requires_comment=True,
        ),
        Transition(
            "reject_allow_double_sign", ["pending", "second_review"], "rejected_double_sign", "驳回（允许双签）",
            permission=f"{TASK}.review", actor_scope="claimer", requires_comment=True,
        ),
        Transition(
            "double_sign", ["rejected_double_sign"], "double_signed", "医生双签", permission=DOUBLE_SIGN,
            actor_scope="prescribing", requires_comment=True, data_serializer=RxDoubleSignDataSerializer,
            effect=_double_sign_effect,
        ),
        Transition("timeout_pass", ["pending", "second_review"], "auto_passed", "超时自动通过"),
        Transition("cancel", ["pending", "second_review", "rejected_double_sign"], "cancelled", "撤销处方"),
        Transition(
            "supersede", ["pending", "second_review", "rejected_double_sign"], "superseded", "医生修改后重新提交"
        ),
    ]  # fmt: skip
