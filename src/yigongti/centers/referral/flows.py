"""The referral workflow (guide §3.1.1; REF-04 … REF-12; anchor-systems §8: the referral is a
ServiceRequest whose life cycle is the work, here one declarative ``Workflow``).

上转 and 下转 follow the same states: draft → submitted → (转出审核) applicant_reviewed →
(接收审核) receiver_reviewed → arranged (or refused) → received → feedback (repeatable: staged
results) → closed. Both reviews are ``ApprovalStep``s each institution may switch off (免审) or
restrict to a role (REF-12); ``referral_config`` writes those ``ApprovalSetting`` rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from yigongti.centers.referral import effects
from yigongti.centers.referral.choices import CANCELLABLE_STATES
from yigongti.core.scope import ScopeSpec
from yigongti.core.workflow.declarations import ApprovalStep, State, Timer, Transition, Workflow

P = "referral.referral"


def _code(action: str) -> str:
    return f"{P}.{action}"


def ready_to_submit(obj: Any, actor: Any) -> str | None:
    """A referral goes out only with a target, a reason and an initial diagnosis (REF-04)."""
    missing = [
        label
        for label, value in (
            ("转入机构", obj.to_institution_id),
            ("转诊原因", obj.reason),
            ("初步诊断", obj.diagnosis_name),
        )
        if not value
    ]
    return f"请先填写：{'、'.join(missing)}" if missing else None


def no_show_due(obj: Any) -> dt.datetime | None:
    """爽约: the planned time plus the receiving institution's grace (referral_config, default 24 h)."""
    if obj.planned_at is None:
        return None
    planned: dt.datetime = obj.planned_at
    return planned + effects.bridge.no_show_grace(obj.to_institution_id)


def either_side(obj: Any, actor: Any) -> bool:
    ctx = actor.scope_context()
    return bool(ctx.all or {obj.from_institution_id, obj.to_institution_id} & ctx.institution_ids)


class ReferralFlow(Workflow):
    code = "referral"
    label = "双向转诊"
    model = "referral.Referral"
    project = "双向转诊"
    scopes = {
        "applicant": ScopeSpec(institution="from_institution_id"),
        "receiver": ScopeSpec(institution="to_institution_id"),
        "party": either_side,
    }
    states = [
        State("draft", "草稿"),
        State("submitted", "待转出审核", stamp="submitted_at"),
        State("applicant_reviewed", "待接收审核", stamp="applicant_reviewed_at"),
        State("receiver_reviewed", "待安排", stamp="receiver_reviewed_at"),
        State("arranged", "待接诊", stamp="arranged_at"),
        State("received", "已接诊", stamp="received_at"),
        State("feedback", "已反馈", stamp="feedback_at"),
        State("closed", "已结束", final=True, stamp="closed_at"),
        State("rejected", "已驳回", final=True),
        State("refused", "已拒收", final=True),
        State("cancelled", "已撤销", final=True, stamp="cancelled_at"),
        State("no_show", "已爽约", final=True),
    ]
    transitions = [
        Transition(
            "submit", ["draft"], "submitted", "提交", permission=_code("submit"), actor_scope="applicant",
            guard=ready_to_submit, data_serializer=effects.ReferralSubmitDataSerializer,
            effect=effects.submit_booking, message="referral.submitted",
        ),
        Transition(
            "applicant_approve", ["submitted"], "applicant_reviewed", "转出审核通过", permission=_code("review"),
            actor_scope="applicant", approval_step="applicant_review", message="referral.applicant_approved",
        ),
        Transition(
            "applicant_reject", ["submitted"], "rejected", "转出审核驳回", permission=_code("review"),
            actor_scope="applicant", approval_step="applicant_review", requires_comment=True,
            data_serializer=effects.ReferralReleaseDataSerializer, effect=effects.release_booking,
            message="referral.rejected",
        ),
        Transition(
            "receiver_approve", ["applicant_reviewed"], "receiver_reviewed", "接收审核通过",
            permission=_code("review"), actor_scope="receiver", approval_step="receiver_review",
            message="referral.receiver_approved",
        ),
        Transition(
            "receiver_reject", ["applicant_reviewed"], "rejected", "接收审核驳回", permission=_code("review"),
            actor_scope="receiver", approval_step="receiver_review", requires_comment=True,
            data_serializer=effects.ReferralReleaseDataSerializer, effect=effects.release_booking,
            message="referral.rejected",
        ),
        Transition(
            "arrange", ["receiver_reviewed"], "arranged", "接收安排", permission=_code("arrange"),
            actor_scope="receiver", data_serializer=effects.ReferralArrangementSerializer,
            effect=effects.apply_arrangement, message="referral.arranged",
        ),
        Transition(
            "refuse", ["receiver_reviewed"], "refused", "拒收", permission=_code("arrange"), actor_scope="receiver",
            data_serializer=effects.ReferralRefusalSerializer,
            effect=effects.record_refusal, message="referral.refused",
        ),
        Transition(
            "receive", ["arranged"], "received", "接诊", permission=_code("receive"), actor_scope="receiver",
            data_serializer=effects.ReferralReceptionSerializer, effect=effects.apply_reception,
            message="referral.received",
        ),
        Transition(
            "feedback", ["received", "feedback"], "feedback", "反馈", permission=_code("feedback"),
            actor_scope="receiver", data_serializer=effects.ReferralFeedbackSerializer,
            effect=effects.apply_feedback, message="referral.feedback",
        ),
        Transition(
            "close", ["feedback"], "closed", "结束转诊", permission=_code("feedback"), actor_scope="party",
            message="referral.closed",
        ),
        Transition(
            "cancel", list(CANCELLABLE_STATES), "cancelled", "撤销", permission=_code("cancel"),
            actor_scope="applicant", requires_comment=True, data_serializer=effects.ReferralReleaseDataSerializer,
            effect=effects.release_booking, message="referral.cancelled",
        ),
        Transition(
            "expire_no_show", ["arranged"], "no_show", "爽约", data_serializer=effects.ReferralReleaseDataSerializer,
            effect=effects.release_booking, message="referral.no_show",
        ),
    ]  # fmt: skip
    approval_steps = [
        ApprovalStep(
            "applicant_review", "转出审核", state="submitted", approve="applicant_approve",
            institution="from_institution_id",
        ),
        ApprovalStep(
            "receiver_review", "接收审核", state="applicant_reviewed", approve="receiver_approve",
            institution="to_institution_id",
        ),
    ]  # fmt: skip
    timers = [
        Timer(
            "arranged", after=no_show_due, transition="expire_no_show",
            comment="超过计划就诊时间及宽限期仍未接诊，自动标记爽约",
        )
    ]  # fmt: skip

    @classmethod
    def visible(cls, queryset: models.QuerySet[Any], actor: Any) -> models.QuerySet[Any]:
        from yigongti.centers.referral.selectors import referral_visible

        return referral_visible(queryset, actor)
