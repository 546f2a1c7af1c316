"""Classes, interactions, 配伍 and allergy cross-reactivity."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from yigongti.centers.prescription_review.knowledge.choices import PairLevel, Severity
from yigongti.centers.prescription_review.knowledge.models.base import Fact


class PharmClass(Fact):
    """药理类别: used by class–class interactions and therapeutic duplication."""

    code = models.CharField("类别编码", max_length=40)
    name = models.CharField("类别名称", max_length=100)
    duplication = models.BooleanField("同类重复用药需提示", default=False)
    duplication_severity = models.CharField(
        "重复用药严重程度", max_length=20, choices=Severity.choices, blank=True, default=""
    )
    ppi_prophylaxis = models.BooleanField("合用时可预防性使用 PPI", default=False)
    keywords = models.JSONField("文本关键词", default=list, blank=True, help_text="病史、过敏史文本中的匹配词")

    natural_key = ("code",)

    class Meta:
        verbose_name = "药理类别"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="rxk_class_code_unique")]


class PairFact(Fact):
    """A fact about an unordered pair (stored with ``a_code <= b_code``)."""

    level = models.CharField("层级", max_length=10, choices=PairLevel.choices, default=PairLevel.DRUG)
    a_code = models.CharField("甲（药品或类别编码）", max_length=40)
    b_code = models.CharField("乙（药品或类别编码）", max_length=40)
    severity = models.CharField("严重程度", max_length=20, choices=Severity.choices)

    natural_key = ("level", "a_code", "b_code")

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.a_code and self.b_code and self.a_code > self.b_code:
            self.a_code, self.b_code = self.b_code, self.a_code


class Interaction(PairFact):
    mechanism = models.CharField("机制", max_length=300)
    management = models.CharField("处理建议", max_length=300)

    class Meta:
        verbose_name = "相互作用"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "level", "a_code", "b_code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "level", "a_code", "b_code"], name="rxk_interaction_unique")
        ]


class Incompatibility(PairFact):
    """注射剂配伍禁忌: the two must not share one infusion group."""

    message = models.CharField("说明", max_length=300)

    class Meta:
        verbose_name = "注射剂配伍禁忌"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "level", "a_code", "b_code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "level", "a_code", "b_code"], name="rxk_incompat_unique")
        ]


class AllergyClass(Fact):
    code = models.CharField("过敏类别编码", max_length=40)
    name = models.CharField("过敏类别", max_length=100)
    keywords = models.JSONField("过敏史文本关键词", default=list, blank=True)

    natural_key = ("code",)

    class Meta:
        verbose_name = "过敏类别"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="rxk_allergy_code_unique")]


class CrossReactivity(Fact):
    """An allergy to ``allergy_code`` is relevant to drugs of ``drug_class_code``."""

    allergy_code = models.CharField("过敏类别", max_length=40)
    drug_class_code = models.CharField("交叉过敏类别", max_length=40)
    severity = models.CharField("严重程度", max_length=20, choices=Severity.choices)
    note = models.CharField("说明", max_length=300)

    natural_key = ("allergy_code", "drug_class_code")

    class Meta:
        verbose_name = "交叉过敏"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "allergy_code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "allergy_code", "drug_class_code"], name="rxk_cross_unique")
        ]

    def clean(self) -> None:
        super().clean()
        if self.allergy_code and self.allergy_code == self.drug_class_code:
            raise ValidationError({"drug_class_code": "同一类别无需登记交叉过敏。"})
