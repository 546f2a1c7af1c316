"""Models of 双向转诊配置."""

from yigongti.centers.referral.config.models.booking import OnlineBooking
from yigongti.centers.referral.config.models.rules import ReferralPath, ReferralRule
from yigongti.centers.referral.config.models.schedules import ReferralSchedule, ReferralSlot
from yigongti.centers.referral.config.models.settings import BookingAdapterConfig, ReferralSettings

__all__ = [
    "BookingAdapterConfig",
    "OnlineBooking",
    "ReferralPath",
    "ReferralRule",
    "ReferralSchedule",
    "ReferralSettings",
    "ReferralSlot",
]
