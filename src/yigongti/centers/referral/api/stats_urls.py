"""Statistics routes under ``/api/v1/referral/`` (included by ``api/urls.py``)."""

from django.urls import URLPattern, URLResolver, path

from yigongti.centers.referral.api.stats_views import ReferralStatsExportView, stats_view

urlpatterns: list[URLPattern | URLResolver] = [
    path("stats/summary", stats_view("summary", "转诊统计：总量与时效").as_view(), name="referral-stats-summary"),
    path(
        "stats/by-institution",
        stats_view("institution", "转诊统计：按机构（转入/转出、上转/下转）").as_view(),
        name="referral-stats-institution",
    ),
    path("stats/by-region", stats_view("region", "转诊统计：按乡镇区域").as_view(), name="referral-stats-region"),
    path("stats/by-doctor", stats_view("doctor", "转诊统计：按申请医生").as_view(), name="referral-stats-doctor"),
    path("stats/by-period", stats_view("period", "转诊统计：按日/周/月").as_view(), name="referral-stats-period"),
    path("stats/export", ReferralStatsExportView.as_view(), name="referral-stats-export"),
]
