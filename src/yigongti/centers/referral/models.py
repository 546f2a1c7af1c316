"""Models of 双向转诊中心 (guide §3.1.1; REF-04 … REF-11, REF-19).

``Referral`` is the ServiceRequest of anchor-systems §8; its life cycle is ``flows.ReferralFlow``.
Lists show the patient's name, sex and birth date as snapshots; the ID number and phone live only
(encrypted) on ``registry.Resident`` and never in the referral or its package.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from yigongti.centers.referral.choices import Direction, Kind, Urgency
from yigongti.centers.referral.flows import ReferralFlow
from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec
from yigongti.platform.org.choices import Sex


class Referral(TrackedModel):
    number = models.CharField("转诊单号", max_length=40, unique=True, editable=False)
    direction = models.CharField("转诊方向", max_length=8, choices=Direction.choices)
    kind = models.CharField("转诊类型", max_length=16, choices=Kind.choices, default=Kind.OUTPATIENT)
    urgency = models.CharField("紧急程度", max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField("状态", max_length=32, choices=ReferralFlow.state_choices(), default="draft")

    resident = models.ForeignKey(
        "registry.Resident", verbose_name="患者", on_delete=models.PROTECT, related_name="referrals"
    )
    patient_name = models.CharField("患者姓名", max_length=50)
    patient_sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    patient_birth_date = models.DateField("出生日期", null=True, blank=True)

    from_institution = models.ForeignKey(
        "org.Institution", verbose_name="转出机构", on_delete=models.PROTECT, related_name="referrals_out"
    )
    from_department = models.ForeignKey(
        "org.Department", verbose_name="转出科室", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请医生", on_delete=models.PROTECT, related_name="+"
    )
    to_institution = models.ForeignKey(
        "org.Institution", verbose_name="转入机构", on_delete=models.PROTECT, related_name="referrals_in"
    )
    to_department = models.ForeignKey(
        "org.Department", verbose_name="转入科室", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接诊医生",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    reason = models.TextField("转诊原因", blank=True)
    condition_summary = models.TextField("病情摘要", blank=True)
    diagnosis_code = models.CharField("初步诊断编码", max_length=20, blank=True, help_text="ICD-10")
    diagnosis_name = models.CharField("初步诊断", max_length=200, blank=True)
    treatment = models.TextField("已行治疗", blank=True)
    package = models.JSONField("首诊信息包", default=dict, blank=True)

    planned_at = models.DateTimeField("计划就诊时间", null=True, blank=True)
    arranged_department = models.ForeignKey(
        "org.Department", verbose_name="安排科室", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    arranged_doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="安排医生",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    arranged_bed = models.ForeignKey(
        "org.Bed", verbose_name="安排床位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    arrangement_note = models.TextField("安排说明", blank=True)
    refuse_reason = models.TextField("拒收原因", blank=True)
    reception_note = models.TextField("接诊记录", blank=True)
    feedback = models.JSONField("反馈", default=dict, blank=True)

    slot = models.ForeignKey(
        "referral_config.ReferralSlot",
        verbose_name="号源",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    booking_ref = models.CharField("在线预约号", max_length=64, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name="原转诊单", null=True, blank=True, on_delete=models.PROTECT, related_name="returns"
    )
    source_client = models.ForeignKey(
        "integration.ApiClient",
        verbose_name="来源接口客户端",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    external_key = models.CharField("外部幂等键", max_length=100, blank=True)

    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    applicant_reviewed_at = models.DateTimeField("转出审核时间", null=True, blank=True)
    receiver_reviewed_at = models.DateTimeField("接收审核时间", null=True, blank=True)
    arranged_at = models.DateTimeField("安排时间", null=True, blank=True)
    received_at = models.DateTimeField("接诊时间", null=True, blank=True)
    feedback_at = models.DateTimeField("反馈时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("撤销时间", null=True, blank=True)

    # The applicant side owns the record (attachments, audit); the receiving side sees it too:
    # every list and the workflow go through ``selectors.referral_visible`` (both institutions).
    scope_spec = ScopeSpec(institution="from_institution_id", owner="from_doctor_id")

    class Meta:
        verbose_name = "转诊单"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["to_institution", "status", "-id"], name="referral_to_status_idx"),
            models.Index(fields=["from_institution", "status", "-id"], name="referral_from_status_idx"),
            models.Index(fields=["resident", "-id"], name="referral_resident_idx"),
            models.Index(fields=["created_at"], name="referral_created_idx"),
            # statistics filter by submission date within the user's institutions (stats.py)
            models.Index(fields=["to_institution", "submitted_at"], name="referral_to_submitted_idx"),
            models.Index(fields=["from_institution", "submitted_at"], name="referral_from_submitted_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_client", "external_key"],
                condition=Q(source_client__isnull=False) & ~Q(external_key=""),
                name="referral_client_external_key_unique",
            ),
            models.CheckConstraint(
                condition=~Q(from_institution=models.F("to_institution")), name="referral_distinct_institutions"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.patient_name}"
