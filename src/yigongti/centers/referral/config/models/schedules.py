"""排班 (ReferralSchedule) and the 号源 (ReferralSlot) it generates (REF-15/16)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from yigongti.centers.referral.config import choices
from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec


class ReferralSchedule(TrackedModel):
    """A recurring publication of referral capacity: weekdays × date range × period → slots."""

    institution = models.ForeignKey(
        "org.Institution", verbose_name="接诊机构", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey("org.Department", verbose_name="科室", on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="医生",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("号源类别", max_length=20, choices=choices.SlotKind.choices, default="outpatient")
    weekdays = models.JSONField("出诊星期", default=list, blank=True, help_text="0=周一 … 6=周日")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True, help_text="为空表示长期")
    period = models.CharField("时段", max_length=10, choices=choices.Period.choices)
    start_time = models.TimeField("开始时间")
    end_time = models.TimeField("结束时间")
    capacity = models.PositiveIntegerField("每时段号源数")
    is_active = models.BooleanField("启用", default=True)
    remark = models.CharField("备注", max_length=200, blank=True)

    scope_spec = ScopeSpec(institution="institution_id", department="department_id")

    class Meta:
        verbose_name = "转诊排班"
        verbose_name_plural = verbose_name
        ordering = ["institution_id", "department_id", "start_date", "period"]

    def __str__(self) -> str:
        return f"{self.department} {self.get_period_display()}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.department_id and self.institution_id and self.department.institution_id != self.institution_id:
            errors["department"] = "科室必须属于排班机构。"
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            errors["end_time"] = "结束时间必须晚于开始时间。"
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "结束日期不能早于开始日期。"
        if not isinstance(self.weekdays, list) or any(
            not isinstance(d, int) or isinstance(d, bool) or d < 0 or d > 6 for d in self.weekdays
        ):
            errors["weekdays"] = "出诊星期须为 0–6 的整数列表（0=周一）。"
        elif len(set(self.weekdays)) != len(self.weekdays):
            errors["weekdays"] = "出诊星期不能重复。"
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = "每时段号源数至少为 1。"
        if errors:
            raise ValidationError(errors)


class ReferralSlot(TrackedModel):
    """One bookable unit of referral capacity: ``booked`` of ``capacity`` taken (REF-16)."""

    schedule = models.ForeignKey(
        ReferralSchedule,
        verbose_name="排班",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="slots",
    )
    institution = models.ForeignKey(
        "org.Institution", verbose_name="接诊机构", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey("org.Department", verbose_name="科室", on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="医生",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField("日期", db_index=True)
    period = models.CharField("时段", max_length=10, choices=choices.Period.choices)
    start_time = models.TimeField("开始时间")
    end_time = models.TimeField("结束时间")
    capacity = models.PositiveIntegerField("号源数")
    booked = models.PositiveIntegerField("已预约", default=0)
    kind = models.CharField("号源类别", max_length=20, choices=choices.SlotKind.choices, default="outpatient")
    status = models.CharField("状态", max_length=10, choices=choices.SlotStatus.choices, default="open")

    scope_spec = ScopeSpec(institution="institution_id", department="department_id")

    class Meta:
        verbose_name = "转诊号源"
        verbose_name_plural = verbose_name
        ordering = ["date", "start_time", "id"]
        indexes = [models.Index(fields=["institution", "date", "kind"], name="refcfg_slot_inst_date_kind")]
        constraints = [
            models.CheckConstraint(condition=models.Q(booked__lte=models.F("capacity")), name="refcfg_slot_booked_lte"),
            models.UniqueConstraint(
                fields=["schedule", "date"],
                condition=models.Q(schedule__isnull=False),
                name="refcfg_slot_schedule_date_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_period_display()} {self.booked}/{self.capacity}"

    @property
    def available(self) -> int:
        return max(self.capacity - self.booked, 0)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.department_id and self.institution_id and self.department.institution_id != self.institution_id:
            errors["department"] = "科室必须属于号源机构。"
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            errors["end_time"] = "结束时间必须晚于开始时间。"
        if self.capacity is not None and self.booked is not None and self.booked > self.capacity:
            errors["capacity"] = "号源数不能少于已预约数。"
        if errors:
            raise ValidationError(errors)
