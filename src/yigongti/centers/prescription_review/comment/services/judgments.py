"""Pharmacist judgment (药师点评, guide §3.6.4.4), doctor appeals (医师申诉, §3.6.4.2), results to the doctor."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from yigongti.centers.prescription_review.comment import error_codes
from yigongti.centers.prescription_review.comment.choices import (
    AppealStatus,
    JudgmentResult,
    ReasonCategory,
    SampleStatus,
    TaskStatus,
)
from yigongti.centers.prescription_review.comment.models import Appeal, CommentSample, ReasonTemplate, SampleReason
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.platform.notify.services import notify

PROJECT = "处方点评"
MSG_RESULT = "rx_comment.result"
MSG_APPEAL = "rx_comment.appeal"
MSG_APPEAL_REPLIED = "rx_comment.appeal_replied"


def doctor_user(sample: CommentSample) -> Any:
    """The account of the prescribing doctor (staff matched by 工号 at upload), or ``None``."""
    staff = sample.prescription.doctor
    return getattr(staff, "user", None) if staff is not None else None


@transaction.atomic
def sample_judge(
    *, sample: CommentSample, result: str, reasons: list[dict[str, Any]], remark: str, actor: Any
) -> CommentSample:
    """Record 合理 / 不合理 with reasons (template ids, or custom category + text). Re-judging replaces
    the previous judgment while the task is 点评中. An unreasonable result is sent to the doctor."""
    sample = (
        CommentSample.objects.select_for_update(of=("self",))
        .select_related("task", "prescription__doctor")
        .get(pk=sample.pk)
    )
    if sample.task.status != TaskStatus.STARTED:
        raise ConflictError(error_codes.JUDGE_TASK_CLOSED, "该点评任务不在点评中，不能点评。")
    if sample.assignee_id is not None and sample.assignee_id != actor.pk:
        raise BusinessError(error_codes.JUDGE_NOT_ASSIGNEE, "该处方已分配给其他药师点评。", status_code=403)
    if result == JudgmentResult.REASONABLE and reasons:
        raise BusinessError(error_codes.JUDGE_REASONS, "合理处方不能选择不合理理由。", fields={"reasons": ["应为空。"]})
    if result == JudgmentResult.UNREASONABLE and not reasons:
        raise BusinessError(
            error_codes.JUDGE_REASONS, "不合理处方至少选择一条不合理理由。", fields={"reasons": ["至少选择一条。"]}
        )
    rows = _reason_rows(sample, reasons, actor)
    before = snapshot(sample)
    SampleReason.objects.filter(sample=sample).delete()
    SampleReason.objects.bulk_create(rows)
    sample.result = result
    sample.irregular_count = sum(1 for r in rows if r.category == ReasonCategory.IRREGULAR)
    sample.inappropriate_count = sum(1 for r in rows if r.category == ReasonCategory.INAPPROPRIATE)
    sample.excessive_count = sum(1 for r in rows if r.category == ReasonCategory.EXCESSIVE)
    sample.remark = remark
    sample.status = SampleStatus.JUDGED
    sample.judged_by = actor
    sample.judged_at = timezone.now()
    sample.save()
    audit_model_change(
        category=Category.UPDATE,
        instance=sample,
        before=before,
        after=snapshot(sample) | {"reasons": [f"{r.code} {r.text}" for r in rows]},
        project=PROJECT,
        content=f"点评处方 {sample.prescription.rx_no}：{sample.get_result_display()}",
    )
    doctor = doctor_user(sample)
    if result == JudgmentResult.UNREASONABLE and doctor is not None:
        notify(
            MSG_RESULT,
            recipients=[doctor],
            context={
                "rx_no": sample.prescription.rx_no,
                "result": sample.get_result_display(),
                "reasons": "；".join(f"{r.code} {r.text}".strip() for r in rows),
            },
            related=sample,
            sender=actor,
            institution=sample.prescription.institution,
            data={"sample_id": sample.pk},
        )
    return sample


def _reason_rows(sample: CommentSample, reasons: list[dict[str, Any]], actor: Any) -> list[SampleReason]:
    ids = [r["template"] for r in reasons if r.get("template")]
    visible = ReasonTemplate.objects.filter(pk__in=ids).filter(is_builtin=True) | ReasonTemplate.objects.filter(
        pk__in=ids, institution_id__in=_institution_ids(actor)
    )
    templates = {t.pk: t for t in visible}
    rows: list[SampleReason] = []
    errors: list[str] = []
    for n, r in enumerate(reasons, start=1):
        if r.get("template"):
            t = templates.get(r["template"])
            if t is None:
                errors.append(f"第{n}条：理由模板不存在（{r['template']}）。")
                continue
            rows.append(SampleReason(sample=sample, template=t, category=t.category, code=t.code, text=t.text))
        elif r.get("category") in ReasonCategory.values and (r.get("text") or "").strip():
            rows.append(SampleReason(sample=sample, category=r["category"], code="", text=r["text"].strip()[:300]))
        else:
            errors.append(f"第{n}条：请选择理由模板，或填写类别和自定义理由。")
    if errors:
        raise BusinessError(error_codes.JUDGE_REASONS, "不合理理由有误。", fields={"reasons": errors})
    return rows


def _institution_ids(actor: Any) -> list[int]:
    ctx = actor.scope_context()
    if ctx.all:
        from yigongti.platform.org.models import Institution

        return list(Institution.objects.values_list("id", flat=True))
    return sorted(ctx.institution_ids)


@transaction.atomic
def appeal_submit(*, sample: CommentSample, text: str, actor: Any) -> Appeal:
    """The prescribing doctor appeals an unreasonable judgment (one open appeal per sample)."""
    sample = (
        CommentSample.objects.select_for_update(of=("self",))
        .select_related("prescription__doctor", "task")
        .get(pk=sample.pk)
    )
    if sample.result != JudgmentResult.UNREASONABLE:
        raise ConflictError(error_codes.APPEAL_NOT_ALLOWED, "只能对点评为不合理的处方申诉。")
    if sample.prescription.doctor_id is None or sample.prescription.doctor_id != getattr(actor, "staff_id", None):
        raise BusinessError(error_codes.APPEAL_NOT_ALLOWED, "只有开方医生本人可以申诉。", status_code=403)
    if not text.strip():
        raise BusinessError(error_codes.APPEAL_NOT_ALLOWED, "请填写申诉理由。", fields={"text": ["必填。"]})
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(sample=sample, doctor=actor, text=text.strip())
    except IntegrityError:
        raise ConflictError(error_codes.APPEAL_OPEN, "该处方已有待处理的申诉。") from None
    audit_model_change(
        category=Category.CREATE,
        instance=appeal,
        before=None,
        after=snapshot(appeal),
        project=PROJECT,
        content=f"医生对处方 {sample.prescription.rx_no} 的点评结果提出申诉",
    )
    recipients = [u for u in (sample.judged_by, sample.assignee) if u is not None]
    if recipients:
        notify(
            MSG_APPEAL,
            recipients=list({u.pk: u for u in recipients}.values()),
            context={"rx_no": sample.prescription.rx_no, "doctor": sample.prescription.doctor_name},
            related=appeal,
            sender=actor,
            institution=sample.prescription.institution,
            data={"appeal_id": appeal.pk, "sample_id": sample.pk},
        )
    return appeal


@transaction.atomic
def appeal_reply(*, appeal: Appeal, upheld: bool, reply: str, actor: Any) -> Appeal:
    """A pharmacist answers: upheld → the sample becomes 合理 (reasons kept in the audit log); rejected
    → the judgment stands. The doctor is told either way."""
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related("sample__prescription").get(pk=appeal.pk)
    if appeal.status != AppealStatus.SUBMITTED:
        raise ConflictError(error_codes.APPEAL_CLOSED, "该申诉已处理。")
    if not reply.strip():
        raise BusinessError(error_codes.APPEAL_CLOSED, "请填写处理意见。", fields={"reply": ["必填。"]})
    before = snapshot(appeal)
    appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    appeal.reply = reply.strip()
    appeal.replied_by = actor
    appeal.replied_at = timezone.now()
    appeal.save()
    sample = CommentSample.objects.select_for_update().get(pk=appeal.sample_id)
    if upheld:
        sample_before = snapshot(sample)
        old = [f"{r.code} {r.text}" for r in sample.reasons.all()]
        sample.reasons.all().delete()
        sample.result = JudgmentResult.REASONABLE
        sample.irregular_count = sample.inappropriate_count = sample.excessive_count = 0
        sample.save()
        audit_model_change(
            category=Category.UPDATE,
            instance=sample,
            before=sample_before | {"reasons": old},
            after=snapshot(sample),
            project=PROJECT,
            content=f"申诉成立，处方 {appeal.sample.prescription.rx_no} 改判为合理",
        )
    audit_model_change(
        category=Category.UPDATE,
        instance=appeal,
        before=before,
        after=snapshot(appeal),
        project=PROJECT,
        content=f"处理申诉：{appeal.get_status_display()}",
    )
    notify(
        MSG_APPEAL_REPLIED,
        recipients=[appeal.doctor],
        context={
            "rx_no": appeal.sample.prescription.rx_no,
            "status": appeal.get_status_display(),
            "reply": appeal.reply,
        },
        related=appeal,
        sender=actor,
        institution=appeal.sample.prescription.institution,
        data={"appeal_id": appeal.pk, "sample_id": appeal.sample_id},
    )
    return appeal
