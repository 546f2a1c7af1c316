"""RX-05 dictionaries: 基础字典 (frequencies, routes, units), 药品属性字典, 错误码字典."""

from __future__ import annotations

from django.db import models

from yigongti.centers.prescription_review.knowledge.choices import DiseaseGroupKind, Severity, UnitKind
from yigongti.centers.prescription_review.knowledge.models.base import Fact


class Frequency(Fact):
    code = models.CharField("频次编码", max_length=20)
    name = models.CharField("名称", max_length=50)
    times_per_day = models.DecimalField("每日次数", max_digits=8, decimal_places=4)
    vague = models.BooleanField("含义不明确（如遵医嘱）", default=False)
    aliases = models.JSONField("别名", default=list, blank=True)

    natural_key = ("code",)

    class Meta:
        verbose_name = "给药频次"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="rxk_freq_code_unique")]


class Route(Fact):
    code = models.CharField("途径编码", max_length=20)
    name = models.CharField("名称", max_length=50)
    injection = models.BooleanField("注射途径", default=False)
    aliases = models.JSONField("别名", default=list, blank=True, help_text="HIS 中的途径编码或名称")

    natural_key = ("code",)

    class Meta:
        verbose_name = "给药途径"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="rxk_route_code_unique")]


class Unit(Fact):
    code = models.CharField("单位编码", max_length=20)
    name = models.CharField("名称", max_length=50)
    kind = models.CharField("类型", max_length=10, choices=UnitKind.choices)
    base_code = models.CharField("换算基准单位", max_length=20, blank=True)
    factor = models.DecimalField("换算系数", max_digits=20, decimal_places=8, default=1)

    natural_key = ("code",)

    class Meta:
        verbose_name = "剂量单位"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="rxk_unit_code_unique")]


class DrugAttribute(Fact):
    """药品属性字典: the attributes a drug row carries and what they mean."""

    code = models.CharField("属性编码", max_length=40)
    name = models.CharField("属性名称", max_length=50)
    values = models.JSONField("取值", default=list, blank=True)
    description = models.CharField("说明", max_length=300, blank=True)

    natural_key = ("code",)

    class Meta:
        verbose_name = "药品属性"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="rxk_attr_code_unique")]


class CheckType(Fact):
    """错误码字典: every check type the engine reports, with its Chinese name."""

    code = models.CharField("审核类型编码", max_length=40)
    name = models.CharField("名称", max_length=50)
    category = models.CharField("分类", max_length=20, default="用药适宜性")
    default_severity = models.CharField("默认严重程度", max_length=20, choices=Severity.choices)
    description = models.CharField("说明", max_length=300, blank=True)

    natural_key = ("code",)

    class Meta:
        verbose_name = "审核类型（错误码）"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="rxk_check_code_unique")]


class LabItem(Fact):
    """检验项目: the canonical analyte code and the HIS codes/names that mean it."""

    code = models.CharField("项目编码", max_length=20)
    name = models.CharField("项目名称", max_length=50)
    unit = models.CharField("单位", max_length=20, blank=True)
    aliases = models.JSONField("别名", default=list, blank=True)

    natural_key = ("code",)

    class Meta:
        verbose_name = "检验项目"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="rxk_lab_code_unique")]


class DiseaseGroup(Fact):
    """ICD-10 prefixes of a disease group the engine needs (PPI indications, chronic diseases)."""

    group = models.CharField("分组", max_length=20, choices=DiseaseGroupKind.choices)
    icd10_prefix = models.CharField("ICD-10 前缀", max_length=10)
    name = models.CharField("名称", max_length=100)

    natural_key = ("group", "icd10_prefix")

    class Meta:
        verbose_name = "疾病分组"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "group", "icd10_prefix"]
        constraints = [
            models.UniqueConstraint(fields=["version", "group", "icd10_prefix"], name="rxk_disease_group_unique")
        ]


class IonLimit(Fact):
    """注射剂离子浓度上限 of an infusion (e.g. K⁺ ≤ 40 mmol/L in a peripheral infusion)."""

    ion = models.CharField("离子", max_length=10)
    max_mmol_per_l = models.DecimalField("最高浓度（mmol/L）", max_digits=10, decimal_places=3)
    severity = models.CharField("严重程度", max_length=20, choices=Severity.choices)
    message = models.CharField("提示", max_length=300)

    natural_key = ("ion",)

    class Meta:
        verbose_name = "离子浓度限制"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "ion"]
        constraints = [models.UniqueConstraint(fields=["version", "ion"], name="rxk_ion_limit_unique")]
