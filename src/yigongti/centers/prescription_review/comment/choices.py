"""Choices of 处方点评与监管."""

from django.db import models


class VisitType(models.TextChoices):
    OUTPATIENT = "outpatient", "门诊"
    EMERGENCY = "emergency", "急诊"
    INPATIENT = "inpatient", "住院"


class UploadSource(models.TextChoices):
    API = "api", "接口上报"
    BATCH = "batch", "批量导入"
    DEMO = "demo", "演示数据"


class SampleMode(models.TextChoices):
    STANDARD = "standard", "规范最低要求（≥1‰且每月≥100张）"
    COUNT = "count", "随机抽取 N 张"
    RATE = "rate", "按比例抽取"


class TaskStatus(models.TextChoices):
    DRAFT = "draft", "未开始"
    STARTED = "started", "点评中"
    FINISHED = "finished", "已完成"


class SampleStatus(models.TextChoices):
    PENDING = "pending", "待点评"
    JUDGED = "judged", "已点评"


class PrecheckStatus(models.TextChoices):
    DONE = "done", "已预审"
    FAILED = "failed", "预审失败"


class JudgmentResult(models.TextChoices):
    REASONABLE = "reasonable", "合理"
    UNREASONABLE = "unreasonable", "不合理"


class ReasonCategory(models.TextChoices):
    """《医院处方点评管理规范（试行）》第十七条起: 不合理处方 = 不规范处方 + 用药不适宜处方 + 超常处方
    (china-standards.md §5)."""

    IRREGULAR = "irregular", "不规范处方"
    INAPPROPRIATE = "inappropriate", "用药不适宜处方"
    EXCESSIVE = "excessive", "超常处方"


class AppealStatus(models.TextChoices):
    SUBMITTED = "submitted", "待处理"
    UPHELD = "upheld", "申诉成立"
    REJECTED = "rejected", "申诉驳回"


class RiskLevel(models.TextChoices):
    """Risk level of a check, from the engine's highest severity (see ``standards.RISK_OF_SEVERITY``)."""

    HIGH = "high", "高风险"
    MEDIUM = "medium", "中风险"
    LOW = "low", "低风险"
    INFO = "info", "提醒"
    NONE = "none", "无问题"


class Period(models.TextChoices):
    DAY = "day", "日"
    MONTH = "month", "月"
    QUARTER = "quarter", "季度"
    YEAR = "year", "年"
