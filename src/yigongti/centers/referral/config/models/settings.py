"""Per-institution referral settings (REF-12/13/14) and 在线预约 adapter configuration (REF-13)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from yigongti.centers.referral.config import choices
from yigongti.core.fields import EncryptedTextField
from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec

DEFAULT_NO_SHOW_GRACE_HOURS = 24
DEFAULT_SHARE_WINDOW_DAYS = 30


class ReferralSettings(TrackedModel):
    """转诊设置 of one institution. Review on/off lives in ``workflow.ApprovalSetting`` (not duplicated here):
    ``inbound_review``/``outbound_review`` are filled in by ``services.institution_settings``."""

    institution = models.OneToOneField(
        "org.Institution", verbose_name="机构", on_delete=models.CASCADE, related_name="referral_settings"
    )
    quota_mode = models.BooleanField("配额模式", default=True, help_text="接诊机构发布号源，转出方预占号源")
    online_mode = models.BooleanField("在线预约模式", default=False, help_text="通过预约接口向接诊机构预约")
    pinning = models.CharField(
        "转诊精确到", max_length=20, choices=choices.Pinning.choices, default=choices.Pinning.DEPARTMENT
    )
    no_show_grace_hours = models.PositiveIntegerField(
        "爽约宽限（小时）", default=DEFAULT_NO_SHOW_GRACE_HOURS, help_text="预约时间过后多少小时未接诊记为爽约"
    )
    share_window_days = models.PositiveIntegerField(
        "资料共享期（天）", default=DEFAULT_SHARE_WINDOW_DAYS, help_text="接诊方可查阅转诊患者资料的天数"
    )
    remark = models.CharField("备注", max_length=200, blank=True)

    scope_spec = ScopeSpec(institution="institution_id")

    # Filled in from workflow.ApprovalSetting by services.institution_settings (not database columns).
    inbound_review: bool = True
    outbound_review: bool = True
    inbound_reviewer_role_id: int | None = None
    outbound_reviewer_role_id: int | None = None

    class Meta:
        verbose_name = "转诊设置"
        verbose_name_plural = verbose_name
        ordering = ["institution_id"]

    def __str__(self) -> str:
        return f"{self.institution} 转诊设置"

    def clean(self) -> None:
        if not self.quota_mode and not self.online_mode:
            raise ValidationError({"quota_mode": "配额模式与在线预约模式至少启用一种。"})
        if self.share_window_days is not None and self.share_window_days < 1:
            raise ValidationError({"share_window_days": "资料共享期至少 1 天。"})


class BookingAdapterConfig(TrackedModel):
    """How 在线预约 reaches one institution's booking system."""

    institution = models.OneToOneField(
        "org.Institution", verbose_name="接诊机构", on_delete=models.CASCADE, related_name="referral_booking_adapter"
    )
    kind = models.CharField("接口类型", max_length=20, choices=choices.AdapterKind.choices, default="local")
    base_url = models.URLField("接口地址", max_length=300, blank=True)
    api_key = EncryptedTextField("接口密钥", blank=True, default="")
    timeout_seconds = models.PositiveIntegerField("超时（秒）", default=10)
    is_active = models.BooleanField("启用", default=True)
    remark = models.CharField("备注", max_length=200, blank=True)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "预约接口配置"
        verbose_name_plural = verbose_name
        ordering = ["institution_id"]

    def __str__(self) -> str:
        return f"{self.institution} {self.get_kind_display()}"

    def clean(self) -> None:
        if self.kind == choices.AdapterKind.HTTP and not self.base_url:
            raise ValidationError({"base_url": "HTTP 接口须填写接口地址。"})
        if self.timeout_seconds is not None and not 1 <= self.timeout_seconds <= 60:
            raise ValidationError({"timeout_seconds": "超时须在 1–60 秒之间。"})
