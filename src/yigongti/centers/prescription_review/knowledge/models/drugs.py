"""Drugs (药品属性) and the facts attached to one drug."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from yigongti.centers.prescription_review.knowledge.choices import (
    AntibioticGrade,
    ChildPugh,
    Comparator,
    ContraindicationKind,
    Lactation,
    NarcoticClass,
    Organ,
    Population,
    PriceClass,
    RenalMeasure,
    Severity,
    Sex,
)
from yigongti.centers.prescription_review.knowledge.models.base import DrugFact, Fact

DEC: dict[str, Any] = {"max_digits": 14, "decimal_places": 4, "null": True, "blank": True}


class Drug(Fact):
    code = models.CharField("药品编码", max_length=40)
    generic_name = models.CharField("通用名", max_length=100)
    english_name = models.CharField("英文名", max_length=150, blank=True)
    atc_code = models.CharField("ATC 编码", max_length=10, blank=True)
    dosage_form = models.CharField("剂型", max_length=30)
    strength = models.CharField("规格", max_length=60, blank=True, help_text="如 0.25g、10ml:0.5g")
    strength_value = models.DecimalField("每单位含量", **DEC)
    strength_unit = models.CharField("含量单位", max_length=10, blank=True)
    dose_unit = models.CharField("剂量单位", max_length=10, help_text="剂量限制所用单位，如 mg、g、U、ml")
    routes = models.JSONField("允许给药途径", default=list, blank=True, help_text="给药途径编码列表")
    frequencies = models.JSONField("允许给药频次", default=list, blank=True, help_text="频次编码列表，空表示不限")
    max_course_days = models.PositiveIntegerField("最长疗程（天）", null=True, blank=True)
    essential = models.BooleanField("国家基本药物", default=False)
    price_class = models.CharField("医保类别", max_length=2, choices=PriceClass.choices, blank=True, default="")
    antibiotic_grade = models.CharField(
        "抗菌药物分级", max_length=20, choices=AntibioticGrade.choices, blank=True, default=""
    )
    narcotic_class = models.CharField("麻精类别", max_length=20, choices=NarcoticClass.choices, blank=True, default="")
    is_ppi = models.BooleanField("质子泵抑制剂", default=False)
    high_alert = models.BooleanField("高警示药品", default=False)
    is_solvent = models.BooleanField("溶媒", default=False)
    is_injection = models.BooleanField("注射剂", default=False)
    controlled_release = models.BooleanField("缓控释制剂", default=False)
    skin_test = models.BooleanField("需皮试", default=False)
    chronic = models.BooleanField("慢病用药", default=False)
    package_unit = models.CharField("制剂单位", max_length=10, blank=True, help_text="片、粒、支、袋…；按规格换算")
    pharm_classes = models.JSONField(
        "药理类别", default=list, blank=True, help_text="药理类别编码（重复用药、相互作用）"
    )
    allergy_classes = models.JSONField("过敏类别", default=list, blank=True)
    pregnancy_category = models.CharField("妊娠分级（FDA）", max_length=2, blank=True)
    lactation = models.CharField("哺乳期", max_length=20, choices=Lactation.choices, blank=True, default="")
    warning = models.CharField("用药警示", max_length=300, blank=True)

    natural_key = ("code",)

    class Meta:
        verbose_name = "药品"
        verbose_name_plural = verbose_name
        ordering = ["version_id", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="rxk_drug_code_unique")]
        indexes = [models.Index(fields=["version", "generic_name"], name="rxk_drug_name")]

    def __str__(self) -> str:
        return f"{self.generic_name}（{self.code}）"


class Indication(DrugFact):
    icd10_prefix = models.CharField("ICD-10 前缀", max_length=10)
    name = models.CharField("适应症", max_length=100)

    natural_key = ("drug", "icd10_prefix")

    class Meta:
        verbose_name = "适应症"
        verbose_name_plural = verbose_name
        ordering = ["drug_id", "icd10_prefix"]
        indexes = [models.Index(fields=["version", "drug"], name="rxk_indication_drug")]


class Contraindication(DrugFact):
    kind = models.CharField("类型", max_length=20, choices=ContraindicationKind.choices)
    code = models.CharField("编码", max_length=40, help_text="ICD-10 前缀、病史编码或过敏类别编码")
    name = models.CharField("名称", max_length=100)
    keywords = models.JSONField("病史文本关键词", default=list, blank=True)
    severity = models.CharField("严重程度", max_length=20, choices=Severity.choices, default=Severity.CONTRAINDICATED)
    message = models.CharField("提示", max_length=300, blank=True)

    natural_key = ("drug", "kind", "code")

    class Meta:
        verbose_name = "禁忌症"
        verbose_name_plural = verbose_name
        ordering = ["drug_id", "kind", "code"]
        indexes = [models.Index(fields=["version", "drug"], name="rxk_contra_drug")]


class DoseLimit(DrugFact):
    """One age band (and optionally one route) of dose limits, in the drug's dose unit.

    ``usual_*`` is the label's usual range (above it: 超常规用量); ``max_*`` the maximum (超剂量).
    """

    route = models.CharField("给药途径", max_length=20, blank=True, help_text="空表示所有途径")
    age_min_days = models.PositiveIntegerField("最小年龄（天，含）", null=True, blank=True)
    age_max_days = models.PositiveIntegerField("最大年龄（天，不含）", null=True, blank=True)
    per_kg = models.BooleanField("按体重（每 kg）", default=False)
    usual_single_max = models.DecimalField("常用单次上限", **DEC)
    usual_daily_max = models.DecimalField("常用日剂量上限", **DEC)
    max_single = models.DecimalField("单次极量", **DEC)
    max_daily = models.DecimalField("日极量", **DEC)
    min_daily = models.DecimalField("日最低有效量", **DEC)
    max_course_total = models.DecimalField("疗程总量上限", **DEC)
    note = models.CharField("说明", max_length=300, blank=True)

    natural_key = ("drug", "route", "age_min_days", "age_max_days", "per_kg")

    class Meta:
        verbose_name = "剂量限制"
        verbose_name_plural = verbose_name
        ordering = ["drug_id", "route", "age_min_days"]
        indexes = [models.Index(fields=["version", "drug"], name="rxk_dose_drug")]

    def clean(self) -> None:
        super().clean()
        if self.age_min_days is not None and self.age_max_days is not None and self.age_min_days >= self.age_max_days:
            raise ValidationError({"age_max_days": "最大年龄应大于最小年龄。"})
        limits = (self.usual_single_max, self.usual_daily_max, self.max_single, self.max_daily, self.min_daily)
        if all(v is None for v in (*limits, self.max_course_total)):
            raise ValidationError({"max_daily": "至少填写一个剂量限制。"})


class OrganRule(DrugFact):
    """肾功能不全 (eGFR/CrCl below a threshold) or 肝功能不全 (Child-Pugh class or worse).

    With ``max_daily_dose`` only a daily dose above it is flagged (dose adjustment); without it any use is.
    """

    organ = models.CharField("器官", max_length=10, choices=Organ.choices)
    renal_measure = models.CharField("肾功能指标", max_length=10, choices=RenalMeasure.choices, blank=True, default="")
    renal_below = models.DecimalField("低于（ml/min）", **DEC)
    child_pugh = models.CharField("Child-Pugh 分级及以上", max_length=1, choices=ChildPugh.choices, blank=True)
    max_daily_dose = models.DecimalField("日剂量上限", **DEC)
    severity = models.CharField("严重程度", max_length=20, choices=Severity.choices)
    message = models.CharField("提示", max_length=300)

    natural_key = ("drug", "organ", "renal_below", "child_pugh")

    class Meta:
        verbose_name = "肝肾功能用药"
        verbose_name_plural = verbose_name
        ordering = ["drug_id", "organ"]
        indexes = [models.Index(fields=["version", "drug"], name="rxk_organ_drug")]

    def clean(self) -> None:
        super().clean()
        if self.organ == Organ.RENAL and (self.renal_below is None or not self.renal_measure):
            raise ValidationError({"renal_below": "肾功能规则须填写指标和阈值。"})
        if self.organ == Organ.HEPATIC and not self.child_pugh:
            raise ValidationError({"child_pugh": "肝功能规则须填写 Child-Pugh 分级。"})


class LabRule(DrugFact):
    """检验结果用药禁忌: the drug is barred/cautioned when a lab value crosses a threshold."""

    lab_code = models.CharField("检验项目编码", max_length=20, help_text="如 K、ALT、PLT、INR、EGFR")
    lab_name = models.CharField("检验项目", max_length=50)
    comparator = models.CharField("比较", max_length=2, choices=Comparator.choices)
    threshold = models.DecimalField("阈值", max_digits=14, decimal_places=4)
    unit = models.CharField("单位", max_length=20)
    severity = models.CharField("严重程度", max_length=20, choices=Severity.choices)
    message = models.CharField("提示", max_length=300)

    natural_key = ("drug", "lab_code", "comparator", "threshold")

    class Meta:
        verbose_name = "检验结果用药禁忌"
        verbose_name_plural = verbose_name
        ordering = ["drug_id", "lab_code"]
        indexes = [models.Index(fields=["version", "drug"], name="rxk_lab_drug")]


class PopulationRule(DrugFact):
    """妊娠期、哺乳期、儿童、老年人（Beers）、性别限制。"""

    population = models.CharField("人群", max_length=20, choices=Population.choices)
    age_min_days = models.PositiveIntegerField("最小年龄（天，含）", null=True, blank=True)
    age_max_days = models.PositiveIntegerField("最大年龄（天，不含）", null=True, blank=True)
    sex = models.CharField("限用性别", max_length=1, choices=Sex.choices, blank=True, default="")
    severity = models.CharField("严重程度", max_length=20, choices=Severity.choices)
    message = models.CharField("提示", max_length=300)

    natural_key = ("drug", "population", "age_min_days", "sex")

    class Meta:
        verbose_name = "特殊人群用药"
        verbose_name_plural = verbose_name
        ordering = ["drug_id", "population"]
        indexes = [models.Index(fields=["version", "drug"], name="rxk_population_drug")]


class ConcentrationLimit(DrugFact):
    """配伍浓度: concentration limits in the infusion (drug's dose unit per ml) and allowed solvents."""

    max_per_ml = models.DecimalField("最高浓度（每 ml）", **DEC)
    min_per_ml = models.DecimalField("最低浓度（每 ml）", **DEC)
    solvents = models.JSONField("可用溶媒", default=list, blank=True, help_text="溶媒药品编码，空表示不限")
    severity = models.CharField("严重程度", max_length=20, choices=Severity.choices, default=Severity.NOT_RECOMMENDED)
    message = models.CharField("提示", max_length=300)

    natural_key = ("drug",)

    class Meta:
        verbose_name = "配伍浓度"
        verbose_name_plural = verbose_name
        ordering = ["drug_id"]
        indexes = [models.Index(fields=["version", "drug"], name="rxk_conc_drug")]


class IonContent(DrugFact):
    """注射剂离子含量: mmol of an ion per dose unit of the drug (KCl: 1 g = 13.4 mmol K⁺)."""

    ion = models.CharField("离子", max_length=10)
    mmol_per_unit = models.DecimalField("每剂量单位毫摩尔数", max_digits=14, decimal_places=6)

    natural_key = ("drug", "ion")

    class Meta:
        verbose_name = "注射剂离子含量"
        verbose_name_plural = verbose_name
        ordering = ["drug_id", "ion"]
