from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from yigongti.centers.referral.api.views import ReferralViewSet

router = SimpleRouter(trailing_slash=False)
router.register("referrals", ReferralViewSet, basename="referral")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    # engineer B's modules (HIS interface, statistics): their own URLconfs, included here
    path("", include("yigongti.centers.referral.api.his_urls")),
    path("", include("yigongti.centers.referral.api.stats_urls")),
]
