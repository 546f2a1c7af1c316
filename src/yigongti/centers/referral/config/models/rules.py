"""转诊规则 (REF-17) and 转诊路径 (REF-18): both are data, per institution, with cited sources."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from yigongti.centers.referral.config import choices
from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec


class ReferralRule(TrackedModel):
    """One versioned referral rule. ``institution`` empty = the seeded platform default (shared, read-only
    for institutions); an institution's own rule with the same ``code`` replaces the default for it."""

    institution = models.ForeignKey(
        "org.Institution",
        verbose_name="机构",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="为空表示平台默认规则",
    )
    code = models.CharField("规则编码", max_length=50)
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("规则名称", max_length=100)
    severity = models.CharField("转诊级别", max_length=20, choices=choices.Severity.choices)
    condition = models.JSONField("触发条件", help_text="条件树：{any|all: [...]} 或 {field, op, value}")
    reason = models.CharField("转诊理由", max_length=300)
    source = models.CharField("依据来源", max_length=300)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True, help_text="不含当日；为空表示长期有效")
    status = models.CharField("状态", max_length=10, choices=choices.RuleStatus.choices, default="active")
    sort = models.PositiveIntegerField("排序", default=0)

    scope_spec = ScopeSpec(institution="institution_id", shared="institution__isnull")

    class Meta:
        verbose_name = "转诊规则"
        verbose_name_plural = verbose_name
        ordering = ["sort", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code", "version"], name="refcfg_rule_version_unique"),
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=models.Q(institution__isnull=True),
                name="refcfg_rule_default_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def clean(self) -> None:
        from yigongti.centers.referral.config.rules_engine import condition_errors

        errors: dict[str, str] = {}
        problems = condition_errors(self.condition)
        if problems:
            errors["condition"] = "；".join(problems)
        if self.effective_from and self.effective_to and self.effective_to <= self.effective_from:
            errors["effective_to"] = "失效日期必须晚于生效日期。"
        if errors:
            raise ValidationError(errors)


class ReferralPath(TrackedModel):
    """转诊路径: for patients of ``institution`` with this diagnosis (ICD-10 code or prefix) and/or from this
    department, recommend ``target_institution`` (and its ``target_department``)."""

    institution = models.ForeignKey(
        "org.Institution", verbose_name="转出机构", on_delete=models.CASCADE, related_name="+"
    )
    diagnosis_code = models.CharField(
        "诊断编码（ICD-10）", max_length=20, blank=True, help_text="完整编码或前缀，如 I21 或 I21.0；为空表示不限诊断"
    )
    diagnosis_name = models.CharField("诊断名称", max_length=100, blank=True)
    department_code = models.CharField(
        "转出科室编码", max_length=32, blank=True, help_text="转出科室编码或诊疗科目代码；为空表示不限科室"
    )
    target_institution = models.ForeignKey(
        "org.Institution", verbose_name="推荐接诊机构", on_delete=models.PROTECT, related_name="+"
    )
    target_department = models.ForeignKey(
        "org.Department", verbose_name="推荐接诊科室", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    priority = models.PositiveIntegerField("优先级", default=100, help_text="数字越小越优先")
    is_active = models.BooleanField("启用", default=True)
    remark = models.CharField("说明", max_length=200, blank=True)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "转诊路径"
        verbose_name_plural = verbose_name
        ordering = ["institution_id", "priority", "id"]

    def __str__(self) -> str:
        return f"{self.diagnosis_code or self.department_code} → {self.target_institution}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.diagnosis_code = (self.diagnosis_code or "").strip().upper()
        self.department_code = (self.department_code or "").strip()
        if not self.diagnosis_code and not self.department_code:
            errors["diagnosis_code"] = "诊断编码与转出科室编码至少填写一项。"
        elif self.diagnosis_code and not _looks_like_icd10(self.diagnosis_code):
            errors["diagnosis_code"] = "诊断编码须为 ICD-10 编码或其前缀（如 I10、E11.9）。"
        if self.target_institution_id and self.institution_id and self.target_institution_id == self.institution_id:
            errors["target_institution"] = "推荐接诊机构不能是本机构。"
        if (
            self.target_department_id
            and self.target_institution_id
            and self.target_department is not None
            and self.target_department.institution_id != self.target_institution_id
        ):
            errors["target_department"] = "推荐接诊科室必须属于推荐接诊机构。"
        if errors:
            raise ValidationError(errors)


def _looks_like_icd10(code: str) -> bool:
    import re

    return re.fullmatch(r"[A-Z][0-9]{0,2}(\.[0-9A-Z]{0,4})?", code) is not None and len(code) >= 1
