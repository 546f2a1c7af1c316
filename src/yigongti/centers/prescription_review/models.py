"""Models of 县域审方中心: prescriptions from the HIS with their versions and checks (RX-01, RX-02,
RX-04), the pharmacist review tasks (RX-06…RX-08), duty roster and schemes, quick replies (RX-05)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from yigongti.centers.prescription_review.choices import (
    CheckSource,
    QuickReplyKind,
    RxStatus,
    Severity,
    TaskStatus,
    Verdict,
)
from yigongti.core.fields import EncryptedTextField
from yigongti.core.masking import mask_name
from yigongti.core.models import TimeStampedModel, TrackedModel
from yigongti.core.scope import ScopeSpec

USER = settings.AUTH_USER_MODEL


class RxCenterConfig(TrackedModel):
    """审方中心配置 per institution (RX-05). Without a row the defaults below apply.

    ``review_timeout_minutes``: the circuit breaker — a task no pharmacist handled within this time
    passes automatically (anchor-systems.md §9-10: 中联 ZLRECIPE 审方超时自动通过; default 5 minutes,
    our choice within the usual 3–10 minutes of county practice).
    ``second_review_severity``: findings at or above this severity need a second pharmacist
    (多级审核, guide §3.6.3); blank switches multi-level review off.
    """

    institution = models.OneToOneField(
        "org.Institution", verbose_name="机构", on_delete=models.CASCADE, related_name="rx_center_config"
    )
    review_timeout_minutes = models.PositiveSmallIntegerField(
        "超时自动通过（分钟）", default=5, validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    auto_pass_enabled = models.BooleanField("启用超时自动通过", default=True)
    second_review_severity = models.CharField(
        "需二级审核的最低严重程度", max_length=20, blank=True, default=Severity.CONTRAINDICATED,
        choices=[c for c in Severity.choices if c[0] != Severity.NONE],
    )  # fmt: skip
    webhook_destination = models.CharField(
        "审方结果回调目的地", max_length=50, blank=True, help_text="外发目的地编码（作业中心 → 外发目的地）"
    )
    remark = models.CharField("备注", max_length=200, blank=True)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "审方中心配置"
        verbose_name_plural = verbose_name
        ordering = ["institution_id"]

    def __str__(self) -> str:
        return f"审方配置（机构 {self.institution_id}）"


DEFAULT_TIMEOUT_MINUTES = RxCenterConfig._meta.get_field("review_timeout_minutes").default
DEFAULT_SECOND_REVIEW = str(RxCenterConfig._meta.get_field("second_review_severity").default)


class Prescription(TimeStampedModel):
    """One prescription of a member institution's HIS, identified by its HIS id (RX-04 latest)."""

    institution = models.ForeignKey(
        "org.Institution", verbose_name="开方机构", on_delete=models.PROTECT, related_name="+"
    )
    his_id = models.CharField("HIS 处方号", max_length=64)
    kind = models.CharField("处方类别", max_length=20, blank=True)
    department = models.ForeignKey(
        "org.Department", verbose_name="开方科室", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department_code = models.CharField("科室编码", max_length=32, blank=True)
    department_name = models.CharField("科室名称", max_length=100, blank=True)
    prescriber = models.ForeignKey(
        "org.Staff", verbose_name="开方医生", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prescriber_code = models.CharField("医生工号", max_length=32, blank=True)
    prescriber_name = models.CharField("医生姓名", max_length=50, blank=True)
    patient_name = EncryptedTextField("患者姓名", blank=True, mask=mask_name)
    patient_ref = EncryptedTextField("HIS 患者号", blank=True)
    patient_sex = models.CharField("性别", max_length=1, blank=True)
    patient_age_days = models.PositiveIntegerField("年龄（天）", null=True, blank=True)
    status = models.CharField("状态", max_length=24, choices=RxStatus.choices, db_index=True)
    version_count = models.PositiveIntegerField("版本数", default=0)
    first_severity = models.CharField("首次审核风险等级", max_length=20, choices=Severity.choices, blank=True)
    first_verdict = models.CharField("首次审核结论", max_length=20, choices=Verdict.choices, blank=True)
    last_severity = models.CharField("末次审核风险等级", max_length=20, choices=Severity.choices, blank=True)
    last_verdict = models.CharField("末次审核结论", max_length=20, choices=Verdict.choices, blank=True)
    submitted_at = models.DateTimeField("首次提交时间")
    last_submitted_at = models.DateTimeField("末次提交时间")
    final_at = models.DateTimeField("最终结论时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("撤销时间", null=True, blank=True)
    cancel_reason = models.CharField("撤销原因", max_length=200, blank=True)

    scope_spec = ScopeSpec(institution="institution_id", department="department_id", staff="prescriber_id")

    class Meta:
        verbose_name = "处方"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["institution", "his_id"], name="rx_prescription_his_id")]
        indexes = [models.Index(fields=["institution", "submitted_at"], name="rx_prescription_inst_time")]

    def __str__(self) -> str:
        return f"处方 {self.his_id}"


class PrescriptionVersion(models.Model):
    """One submission of a prescription (修改后重新提交 = a new version). ``payload`` is the HIS
    message without identifying fields; name, ID number, phone… are kept SM4-encrypted in ``identity``."""

    prescription = models.ForeignKey(
        Prescription, verbose_name="处方", on_delete=models.CASCADE, related_name="versions"
    )
    institution = models.ForeignKey(
        "org.Institution", verbose_name="开方机构", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField("版本号")
    payload = models.JSONField("处方内容（已去标识）")
    identity = EncryptedTextField("患者身份信息（加密）", blank=True)
    content_digest = models.CharField("内容摘要", max_length=64, help_text="SM3")
    status = models.CharField("状态", max_length=24, choices=RxStatus.choices)
    source = models.CharField("来源", max_length=10, choices=CheckSource.choices, default=CheckSource.HIS)
    submitted_at = models.DateTimeField("提交时间")
    submitted_by = models.ForeignKey(
        USER, verbose_name="提交方", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_spec = ScopeSpec(
        institution="institution_id", department="prescription__department_id", staff="prescription__prescriber_id"
    )

    class Meta:
        verbose_name = "处方版本"
        verbose_name_plural = verbose_name
        ordering = ["prescription_id", "number"]
        constraints = [models.UniqueConstraint(fields=["prescription", "number"], name="rx_version_number")]

    def __str__(self) -> str:
        return f"处方版本 {self.prescription_id}-v{self.number}"


class CheckRecord(models.Model):
    """审核记录: one run of the engine on one version (RX-04 history; supervision reads these)."""

    prescription = models.ForeignKey(Prescription, verbose_name="处方", on_delete=models.CASCADE, related_name="checks")
    version = models.ForeignKey(
        PrescriptionVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="checks"
    )
    institution = models.ForeignKey(
        "org.Institution", verbose_name="开方机构", on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveIntegerField("审核序号", help_text="该处方的第几次审核")
    department_code = models.CharField("科室编码", max_length=32, blank=True)
    prescriber_code = models.CharField("医生工号", max_length=32, blank=True)
    max_severity = models.CharField("最高风险等级", max_length=20, choices=Severity.choices)
    verdict = models.CharField("审核结论", max_length=20, choices=Verdict.choices)
    finding_count = models.PositiveIntegerField("问题数")
    findings = models.JSONField("审核发现", default=list)
    elapsed_us = models.PositiveIntegerField("引擎耗时（微秒）")
    kb_version = models.CharField("知识库版本", max_length=50, blank=True)
    checked_at = models.DateTimeField("审核时间", db_index=True)

    scope_spec = ScopeSpec(institution="institution_id", staff="prescription__prescriber_id")

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = verbose_name
        ordering = ["prescription_id", "sequence"]
        constraints = [models.UniqueConstraint(fields=["prescription", "sequence"], name="rx_check_sequence")]
        indexes = [models.Index(fields=["institution", "checked_at"], name="rx_check_inst_time")]

    def __str__(self) -> str:
        return f"审核记录 {self.prescription_id}#{self.sequence}"


class ReviewTask(TrackedModel):
    """审方任务: a prescription waiting for a pharmacist (workflow ``rx_review``, see ``flows.py``)."""

    prescription = models.ForeignKey(Prescription, verbose_name="处方", on_delete=models.CASCADE, related_name="tasks")
    version = models.ForeignKey(PrescriptionVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="+")
    check_record = models.ForeignKey(CheckRecord, verbose_name="审核记录", on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(
        "org.Institution", verbose_name="开方机构", on_delete=models.PROTECT, related_name="+"
    )
    department_code = models.CharField("科室编码", max_length=32, blank=True)
    status = models.CharField("状态", max_length=24, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    max_severity = models.CharField("最高风险等级", max_length=20, choices=Severity.choices)
    requires_second = models.BooleanField("需二级审核", default=False)
    claimed_by = models.ForeignKey(
        USER, verbose_name="当前审核药师", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    first_reviewer = models.ForeignKey(
        USER, verbose_name="一级审核药师", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        USER, verbose_name="审核药师", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("审核意见", blank=True)
    double_sign_doctor = models.CharField("双签医生", max_length=50, blank=True)
    double_sign_reason = models.TextField("双签理由", blank=True)
    due_at = models.DateTimeField("超时时间", null=True, blank=True)
    second_review_at = models.DateTimeField("转二级审核时间", null=True, blank=True)
    passed_at = models.DateTimeField("通过时间", null=True, blank=True)
    rejected_at = models.DateTimeField("驳回时间", null=True, blank=True)
    double_signed_at = models.DateTimeField("双签时间", null=True, blank=True)
    auto_passed_at = models.DateTimeField("自动通过时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("撤销时间", null=True, blank=True)
    superseded_at = models.DateTimeField("重提时间", null=True, blank=True)

    scope_spec = ScopeSpec(institution="institution_id", staff="prescription__prescriber_id")

    class Meta:
        verbose_name = "审方任务"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "id"], name="rx_task_queue"),
            models.Index(fields=["status", "due_at"], name="rx_task_due"),
        ]

    def __str__(self) -> str:
        return f"审方任务 {self.pk}"


class ReviewScheme(TrackedModel):
    """审方方案: working hours and the institutions/departments a group of pharmacists serves."""

    institution = models.ForeignKey(
        "org.Institution", verbose_name="审方中心机构", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("方案名称", max_length=100)
    start_time = models.TimeField("上班时间", help_text="本地时间")
    end_time = models.TimeField("下班时间", help_text="早于上班时间表示跨零点")
    enabled = models.BooleanField("启用", default=True)
    remark = models.CharField("备注", max_length=200, blank=True)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "审方方案"
        verbose_name_plural = verbose_name
        ordering = ["institution_id", "name"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="rx_scheme_name")]

    def __str__(self) -> str:
        return self.name


class ReviewSchemeItem(TrackedModel):
    """审方方案明细: one served institution, optionally narrowed to one department."""

    scheme = models.ForeignKey(ReviewScheme, verbose_name="审方方案", on_delete=models.CASCADE, related_name="items")
    served_institution = models.ForeignKey(
        "org.Institution", verbose_name="服务机构", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name="服务科室", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="为空表示该机构全部科室",
    )  # fmt: skip

    scope_spec = ScopeSpec(institution="scheme__institution_id")

    class Meta:
        verbose_name = "审方方案明细"
        verbose_name_plural = verbose_name
        ordering = ["scheme_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "served_institution", "department"], name="rx_scheme_item")
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id}:{self.served_institution_id}/{self.department_id or '*'}"


class PharmacistDuty(TrackedModel):
    """排班: a pharmacist assigned to a scheme, and whether they are on duty now (上岗/下岗)."""

    pharmacist = models.OneToOneField(USER, verbose_name="药师", on_delete=models.CASCADE, related_name="rx_duty")
    institution = models.ForeignKey(
        "org.Institution", verbose_name="所属机构", on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.ForeignKey(ReviewScheme, verbose_name="审方方案", on_delete=models.PROTECT, related_name="duties")
    on_duty = models.BooleanField("在岗", default=False)
    on_duty_at = models.DateTimeField("上岗时间", null=True, blank=True)
    off_duty_at = models.DateTimeField("下岗时间", null=True, blank=True)

    scope_spec = ScopeSpec(institution="institution_id", owner="pharmacist_id")

    class Meta:
        verbose_name = "药师排班"
        verbose_name_plural = verbose_name
        ordering = ["institution_id", "id"]

    def __str__(self) -> str:
        return f"排班 {self.pharmacist_id}"


class QuickReply(TrackedModel):
    """快捷回复 (RX-07): reject/double-sign reasons, institution-wide (owner empty) or personal."""

    institution = models.ForeignKey("org.Institution", verbose_name="机构", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        USER, verbose_name="所属药师", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="为空表示全机构通用",
    )  # fmt: skip
    kind = models.CharField("类别", max_length=20, choices=QuickReplyKind.choices, default=QuickReplyKind.REJECT)
    text = models.CharField("内容", max_length=500)
    sort_order = models.PositiveIntegerField("排序", default=0)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "快捷回复"
        verbose_name_plural = verbose_name
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.text[:30]
