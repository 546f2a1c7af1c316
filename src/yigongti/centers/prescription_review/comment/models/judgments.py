"""Sampled prescriptions with their automatic pre-review, pharmacist judgment, reasons and appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yigongti.centers.prescription_review.comment.choices import (
    AppealStatus,
    JudgmentResult,
    PrecheckStatus,
    ReasonCategory,
    RiskLevel,
    SampleStatus,
)
from yigongti.centers.prescription_review.comment.models.projects import CommentTask
from yigongti.centers.prescription_review.comment.models.visits import VisitPrescription
from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec


class ReasonTemplate(TrackedModel):
    """不合理理由模板: the 15/9/4 items of the 规范 (built-in, shared, read-only) plus custom ones."""

    institution = models.ForeignKey(
        "org.Institution", verbose_name="所属机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField("类别", max_length=16, choices=ReasonCategory.choices)
    code = models.CharField("编码", max_length=16)
    text = models.CharField("理由", max_length=300)
    source = models.CharField("依据", max_length=200, blank=True)
    order = models.PositiveIntegerField("排序", default=0)
    is_builtin = models.BooleanField("内置", default=False, editable=False)

    scope_spec = ScopeSpec(institution="institution_id", shared="is_builtin")

    class Meta:
        verbose_name = "不合理理由模板"
        verbose_name_plural = verbose_name
        ordering = ["category", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="rx_comment_reason_code_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(institution__isnull=True), name="rx_comment_reason_builtin_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class CommentSample(models.Model):
    """One sampled prescription of a task: pre-review by the engine, then the pharmacist's judgment."""

    task = models.ForeignKey(CommentTask, verbose_name="点评任务", on_delete=models.CASCADE, related_name="samples")
    prescription = models.ForeignKey(
        VisitPrescription, verbose_name="处方", on_delete=models.PROTECT, related_name="comment_samples"
    )
    seq = models.PositiveIntegerField("抽样序号")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="点评药师",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=10, choices=SampleStatus.choices, default=SampleStatus.PENDING)
    precheck_status = models.CharField("预审状态", max_length=10, choices=PrecheckStatus.choices, blank=True)
    precheck_max_severity = models.CharField("预审最高级别", max_length=32, blank=True)
    precheck_risk = models.CharField("预审风险等级", max_length=8, choices=RiskLevel.choices, default=RiskLevel.NONE)
    precheck_verdict = models.CharField("预审结论", max_length=32, blank=True)
    precheck_kb_version = models.CharField("知识库版本", max_length=64, blank=True)
    precheck_findings = models.JSONField("预审问题", default=list, blank=True)
    precheck_error = models.CharField("预审失败原因", max_length=300, blank=True)
    finding_count = models.PositiveSmallIntegerField("问题数", default=0)
    has_interaction = models.BooleanField("相互作用", default=False)
    has_duplicate = models.BooleanField("重复用药", default=False)
    result = models.CharField("点评结果", max_length=16, choices=JudgmentResult.choices, blank=True)
    irregular_count = models.PositiveSmallIntegerField("不规范理由数", default=0)
    inappropriate_count = models.PositiveSmallIntegerField("不适宜理由数", default=0)
    excessive_count = models.PositiveSmallIntegerField("超常理由数", default=0)
    remark = models.TextField("点评意见", blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="点评人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    judged_at = models.DateTimeField("点评时间", null=True, blank=True)

    # the prescribing institution, the pharmacist it is allocated to and the prescribing doctor
    scope_spec = ScopeSpec(
        institution="prescription__institution_id", owner="assignee_id", staff="prescription__doctor_id"
    )

    class Meta:
        verbose_name = "点评样本"
        verbose_name_plural = verbose_name
        ordering = ["task_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["task", "prescription"], name="rx_comment_sample_unique"),
            models.UniqueConstraint(fields=["task", "seq"], name="rx_comment_sample_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}-{self.seq}"


class SampleReason(models.Model):
    sample = models.ForeignKey(CommentSample, on_delete=models.CASCADE, related_name="reasons")
    template = models.ForeignKey(ReasonTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    category = models.CharField("类别", max_length=16, choices=ReasonCategory.choices)
    code = models.CharField("编码", max_length=16, blank=True)
    text = models.CharField("理由", max_length=300)

    scope_spec = ScopeSpec(institution="sample__prescription__institution_id")

    class Meta:
        verbose_name = "点评不合理理由"
        verbose_name_plural = verbose_name
        ordering = ["sample_id", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()


class ReplyTemplate(TrackedModel):
    """医师常用申诉回复模板 (guide §3.6.4.2), private to its owner."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="所有人", on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField("回复内容", max_length=500)
    order = models.PositiveIntegerField("排序", default=0)

    scope_spec = ScopeSpec(owner="owner_id")

    class Meta:
        verbose_name = "申诉回复模板"
        verbose_name_plural = verbose_name
        ordering = ["owner_id", "order", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class Appeal(models.Model):
    """A doctor's appeal (申诉) against an unreasonable judgment, answered by a pharmacist."""

    sample = models.ForeignKey(CommentSample, verbose_name="点评样本", on_delete=models.CASCADE, related_name="appeals")
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申诉医生", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("申诉理由")
    status = models.CharField("状态", max_length=10, choices=AppealStatus.choices, default=AppealStatus.SUBMITTED)
    reply = models.TextField("处理意见", blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_at = models.DateTimeField("处理时间", null=True, blank=True)
    created_at = models.DateTimeField("申诉时间", auto_now_add=True)

    scope_spec = ScopeSpec(institution="sample__prescription__institution_id", owner="doctor_id")

    class Meta:
        verbose_name = "点评申诉"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample"], condition=models.Q(status="submitted"), name="rx_comment_one_open_appeal"
            )
        ]

    def __str__(self) -> str:
        return f"申诉 {self.sample_id}"
