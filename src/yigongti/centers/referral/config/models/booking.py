"""在线预约 records (REF-13/16): every booking placed through an adapter, so a cancel is idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yigongti.centers.referral.config import choices
from yigongti.core.models import TimeStampedModel
from yigongti.core.scope import ScopeSpec


class OnlineBooking(TimeStampedModel):
    institution = models.ForeignKey(
        "org.Institution", verbose_name="接诊机构", on_delete=models.PROTECT, related_name="+"
    )
    adapter = models.CharField("接口类型", max_length=20, choices=choices.AdapterKind.choices)
    booking_ref = models.CharField("预约号", max_length=100)
    referral_number = models.CharField("转诊单号", max_length=40, db_index=True)
    department = models.ForeignKey(
        "org.Department", verbose_name="科室", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="医生", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateTimeField("预约时间")
    slot = models.ForeignKey(
        "referral_config.ReferralSlot",
        verbose_name="号源",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_bookings",
    )
    status = models.CharField("状态", max_length=20, choices=choices.BookingStatus.choices, default="booked")
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "在线预约记录"
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["institution", "booking_ref"], name="refcfg_booking_ref_unique")]

    def __str__(self) -> str:
        return f"{self.booking_ref} {self.get_status_display()}"
