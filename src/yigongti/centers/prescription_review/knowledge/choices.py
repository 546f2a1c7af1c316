"""Choices of the drug knowledge base (合理用药知识库)."""

from __future__ import annotations

from django.db import models


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class Severity(models.TextChoices):
    """The default ordered scale of the engine (禁忌 > 不推荐 > 慎用 > 提示)."""

    CONTRAINDICATED = "contraindicated", "禁忌"
    NOT_RECOMMENDED = "not_recommended", "不推荐"
    CAUTION = "caution", "慎用"
    INFO = "info", "提示"


class AntibioticGrade(models.TextChoices):
    """《抗菌药物临床应用管理办法》(卫生部令第84号) 第六条 三级分级管理。"""

    NONE = "", "非抗菌药物"
    NON_RESTRICTED = "non_restricted", "非限制使用级"
    RESTRICTED = "restricted", "限制使用级"
    SPECIAL = "special", "特殊使用级"


class NarcoticClass(models.TextChoices):
    """《麻醉药品和精神药品管理条例》及《处方管理办法》第二十三至二十五条。"""

    NONE = "", "普通药品"
    NARCOTIC = "narcotic", "麻醉药品"
    PSYCHOTROPIC_1 = "psychotropic_1", "第一类精神药品"
    PSYCHOTROPIC_2 = "psychotropic_2", "第二类精神药品"


class PriceClass(models.TextChoices):
    """医保药品目录类别。"""

    NONE = "", "未分类"
    CLASS_A = "A", "甲类"
    CLASS_B = "B", "乙类"
    SELF_PAID = "C", "自费"


class Lactation(models.TextChoices):
    NONE = "", "未标注"
    COMPATIBLE = "compatible", "可用"
    CAUTION = "caution", "慎用"
    AVOID = "avoid", "避免使用"
    CONTRAINDICATED = "contraindicated", "禁用"


class ContraindicationKind(models.TextChoices):
    DIAGNOSIS = "diagnosis", "诊断（ICD-10）"
    HISTORY = "history", "病史"
    ALLERGY_CLASS = "allergy_class", "过敏类别"


class Population(models.TextChoices):
    PREGNANCY = "pregnancy", "妊娠期"
    LACTATION = "lactation", "哺乳期"
    CHILD = "child", "儿童"
    ELDERLY = "elderly", "老年人"
    SEX = "sex", "性别"


class Sex(models.TextChoices):
    ANY = "", "不限"
    MALE = "M", "男"
    FEMALE = "F", "女"


class RenalMeasure(models.TextChoices):
    NONE = "", "未填写"
    EGFR = "egfr", "eGFR（ml/min/1.73m²）"
    CRCL = "crcl", "肌酐清除率 CrCl（ml/min）"


class ChildPugh(models.TextChoices):
    A = "A", "Child-Pugh A"
    B = "B", "Child-Pugh B"
    C = "C", "Child-Pugh C"


class Comparator(models.TextChoices):
    LT = "<", "低于"
    GT = ">", "高于"


class Organ(models.TextChoices):
    RENAL = "renal", "肾功能不全"
    HEPATIC = "hepatic", "肝功能不全"


class DiseaseGroupKind(models.TextChoices):
    PPI_INDICATION = "ppi_indication", "质子泵抑制剂适应症"
    CHRONIC = "chronic", "慢病（长期处方）"


class PairLevel(models.TextChoices):
    DRUG = "drug", "药品—药品"
    CLASS = "class", "类别—类别"


class UnitKind(models.TextChoices):
    MASS = "mass", "质量"
    VOLUME = "volume", "体积"
    ACTIVITY = "activity", "效价/单位"
    AMOUNT = "amount", "物质的量"
    COUNT = "count", "计数（片、支…）"
