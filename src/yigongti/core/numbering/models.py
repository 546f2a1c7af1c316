"""Business number rules (转诊单号, 条码, 批次号 …) and their counters."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from yigongti.core.models import TrackedModel
from yigongti.core.numbering import choices
from yigongti.core.scope import ScopeSpec

code_validator = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9_.-]*$", "编码只能包含字母、数字、下划线、点和短横线，且以字母开头。"
)
part_validator = RegexValidator(r"^[A-Za-z0-9]*$", "前缀只能包含字母和数字。")
separator_validator = RegexValidator(r"^[-_./]*$", "分隔符只能是 - _ . / 或留空。")


class NumberRule(TrackedModel):
    """How one kind of business number looks and when its counter restarts.

    ``ZZ-3209230001-20261125-0007`` = prefix ``ZZ``, the institution code, the YYYYMMDD date and a
    4-digit sequence, joined with ``-``. Rules are platform-wide; counters are per institution when
    the institution code is part of the number, otherwise one counter is shared by all.
    """

    code = models.CharField("规则编码", max_length=50, unique=True, validators=[code_validator])
    name = models.CharField("规则名称", max_length=100)
    prefix = models.CharField("前缀", max_length=10, blank=True, validators=[part_validator])
    include_institution_code = models.BooleanField("包含机构编码", default=False)
    date_part = models.CharField("日期部分", max_length=10, choices=choices.DatePart.choices, default="YYYYMMDD")
    width = models.PositiveSmallIntegerField(
        "流水号位数", default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    reset = models.CharField("重置周期", max_length=10, choices=choices.Reset.choices, default="daily")
    separator = models.CharField("分隔符", max_length=1, blank=True, default="-", validators=[separator_validator])
    description = models.TextField("说明", blank=True)
    is_active = models.BooleanField("启用", default=True)

    scope_spec = ScopeSpec(shared="*")  # platform-wide: readable by all, written only with 全部 scope

    class Meta:
        verbose_name = "编号规则"
        verbose_name_plural = verbose_name
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def clean(self) -> None:
        if choices.GRANULARITY[self.date_part] < choices.GRANULARITY[self.reset]:
            raise ValidationError(
                {"date_part": "日期部分必须不粗于重置周期（如每日重置需包含年月日），否则不同周期会产生相同编号。"}
            )
        if self.pk is None:
            return
        stored = NumberRule.objects.filter(pk=self.pk).values("reset", "include_institution_code").first()
        if stored is None or not self.sequences.exists():
            return
        if stored["reset"] != self.reset:
            raise ValidationError({"reset": "该规则已生成过编号，不能修改重置周期（可新建规则）。"})
        if stored["include_institution_code"] != self.include_institution_code:
            raise ValidationError({"include_institution_code": "该规则已生成过编号，不能修改是否包含机构编码。"})


class NumberSequence(models.Model):
    """The last value issued for one rule, institution (or none) and period."""

    rule = models.ForeignKey(NumberRule, verbose_name="编号规则", on_delete=models.PROTECT, related_name="sequences")
    institution = models.ForeignKey(
        "org.Institution",
        verbose_name="机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.CharField("周期", max_length=8, blank=True)
    last_value = models.PositiveBigIntegerField("当前值", default=0)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "编号流水"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["rule", "institution", "period"], name="numbering_sequence_unique"),
            # NULLs are distinct in a unique index: the shared counter needs its own constraint.
            models.UniqueConstraint(
                fields=["rule", "period"],
                condition=models.Q(institution__isnull=True),
                name="numbering_sequence_shared_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}/{self.institution_id or '-'}/{self.period or '-'}={self.last_value}"
