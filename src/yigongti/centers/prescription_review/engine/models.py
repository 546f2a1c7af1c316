"""RX-05 AI审方配置: per-institution rule configuration, versioned by effective date.

A ``RuleConfig`` without an institution is the community default; an institution's own config
(if any is effective) replaces it entirely.  The config effective on a day is the one with the
latest ``effective_from`` not after that day.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from yigongti.centers.prescription_review.engine.checktypes import CHECK_TYPE_CHOICES
from yigongti.centers.prescription_review.engine.choices import SeverityAction
from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec

DEFAULT_CONFIG_SOURCE = (
    "《医疗机构处方审核规范》(国卫办医发〔2018〕14号): 严重不合理用药或用药错误拒绝调配，"
    "信息系统筛选出的不合理处方由药师人工审核; 指南 §3.6.2.2 AI审方配置、§3.6.3.1(2)"
)


class RuleConfig(TrackedModel):
    community = models.ForeignKey(
        "org.Community", verbose_name="医共体", on_delete=models.CASCADE, related_name="rx_rule_configs"
    )
    institution = models.ForeignKey(
        "org.Institution",
        verbose_name="机构（空=医共体默认）",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rx_rule_configs",
    )
    name = models.CharField("配置名称", max_length=100)
    effective_from = models.DateField("生效日期")
    note = models.TextField("说明", blank=True)
    source = models.CharField("依据", max_length=500, blank=True, default=DEFAULT_CONFIG_SOURCE)

    scope_spec = ScopeSpec(institution="institution_id", community="community_id", shared="institution__isnull")

    class Meta:
        verbose_name = "AI审方配置"
        verbose_name_plural = verbose_name
        ordering = ["community_id", "institution_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "institution", "effective_from"], name="rx_engine_config_unique_day"
            ),
            models.UniqueConstraint(
                fields=["community", "effective_from"],
                condition=models.Q(institution__isnull=True),
                name="rx_engine_default_unique_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from}起）"

    def clean(self) -> None:
        institution = self.institution if self.institution_id else None
        if institution is not None and self.community_id and institution.community_id != self.community_id:
            raise ValidationError({"institution": "机构不属于所选医共体。"})

    @property
    def version(self) -> str:
        return f"{self.pk}@{self.effective_from.isoformat()}"


code_validator = RegexValidator(r"^[a-z][a-z0-9_]{1,29}$", "编码只能包含小写字母、数字和下划线，且以字母开头。")


class SeverityLevel(TrackedModel):
    """One level of the ordered severity scale and the action taken for it."""

    config = models.ForeignKey(RuleConfig, verbose_name="配置", on_delete=models.CASCADE, related_name="levels")
    code = models.CharField("级别编码", max_length=30, validators=[code_validator])
    name = models.CharField("级别名称", max_length=20)
    rank = models.PositiveSmallIntegerField("严重程度（越大越严重）")
    action = models.CharField("处理方式", max_length=20, choices=SeverityAction.choices)
    color = models.CharField("颜色", max_length=20, blank=True)

    scope_spec = ScopeSpec(
        institution="config__institution_id",
        community="config__community_id",
        shared="config__institution__isnull",
    )

    class Meta:
        verbose_name = "审方警示级别"
        verbose_name_plural = verbose_name
        ordering = ["config_id", "-rank"]
        constraints = [
            models.UniqueConstraint(fields=["config", "code"], name="rx_engine_level_unique_code"),
            models.UniqueConstraint(fields=["config", "rank"], name="rx_engine_level_unique_rank"),
        ]

    def __str__(self) -> str:
        return self.name


class CheckTypeSetting(TrackedModel):
    """Whether a check type runs, and an optional fixed severity for all its findings."""

    config = models.ForeignKey(RuleConfig, verbose_name="配置", on_delete=models.CASCADE, related_name="checks")
    check_type = models.CharField("审核类型", max_length=30, choices=CHECK_TYPE_CHOICES)
    enabled = models.BooleanField("启用", default=True)
    severity_override = models.CharField(
        "统一警示级别", max_length=30, blank=True, help_text="留空则使用知识库规则自身的级别"
    )

    scope_spec = ScopeSpec(
        institution="config__institution_id",
        community="config__community_id",
        shared="config__institution__isnull",
    )

    class Meta:
        verbose_name = "审核类型设置"
        verbose_name_plural = verbose_name
        ordering = ["config_id", "check_type"]
        constraints = [
            models.UniqueConstraint(fields=["config", "check_type"], name="rx_engine_check_unique_type"),
        ]

    def __str__(self) -> str:
        return self.get_check_type_display()

    def clean(self) -> None:
        if self.severity_override and self.config_id:
            codes = set(SeverityLevel.objects.filter(config_id=self.config_id).values_list("code", flat=True))
            if codes and self.severity_override not in codes:
                raise ValidationError({"severity_override": "警示级别不在该配置的级别列表中。"})
