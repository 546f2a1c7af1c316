"""Choices of 双向转诊配置 (settings, schedules, slots, rules, paths)."""

from __future__ import annotations

from django.db import models


class Pinning(models.TextChoices):
    """How precisely a referral is pinned to the receiving resource (REF-14)."""

    DOCTOR = "doctor", "到医生"
    DEPARTMENT = "department", "到科室"
    HOSPITAL = "hospital", "到医院"


class SlotKind(models.TextChoices):
    """Matches ``referral.Referral.kind``."""

    OUTPATIENT = "outpatient", "门诊"
    INPATIENT = "inpatient", "住院"
    EXAM = "exam", "检查"


class Period(models.TextChoices):
    AM = "am", "上午"
    PM = "pm", "下午"
    NIGHT = "night", "夜间"


class SlotStatus(models.TextChoices):
    OPEN = "open", "开放"
    CLOSED = "closed", "关闭"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "周一"
    TUESDAY = 1, "周二"
    WEDNESDAY = 2, "周三"
    THURSDAY = 3, "周四"
    FRIDAY = 4, "周五"
    SATURDAY = 5, "周六"
    SUNDAY = 6, "周日"


class AdapterKind(models.TextChoices):
    LOCAL = "local", "本平台号源"
    HTTP = "http", "HTTP 接口"


class Severity(models.TextChoices):
    """Referral severity a rule assigns (REF-17)."""

    EMERGENCY = "emergency", "紧急转诊"
    URGENT = "urgent", "尽快转诊"
    ROUTINE = "routine", "建议转诊"


class RuleStatus(models.TextChoices):
    ACTIVE = "active", "生效"
    INACTIVE = "inactive", "停用"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    CANCELLED = "cancelled", "已取消"
