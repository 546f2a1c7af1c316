from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from yigongti.centers.referral.config.api import views, views_rules

router = SimpleRouter(trailing_slash=False)
router.register("settings", views.ReferralSettingsViewSet, basename="referral-settings")
router.register("booking-adapters", views.BookingAdapterConfigViewSet, basename="referral-booking-adapter")
router.register("schedules", views.ReferralScheduleViewSet, basename="referral-schedule")
router.register("slots", views.ReferralSlotViewSet, basename="referral-slot")
router.register("rules", views_rules.ReferralRuleViewSet, basename="referral-rule")
router.register("paths", views_rules.ReferralPathViewSet, basename="referral-path")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
