from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from yigongti.centers.prescription_review.engine.api import views

router = SimpleRouter(trailing_slash=False)
router.register("rule-configs", views.RuleConfigViewSet, basename="rx-rule-config")
router.register("rule-severity-levels", views.SeverityLevelViewSet, basename="rx-rule-severity-level")
router.register("rule-check-settings", views.CheckTypeSettingViewSet, basename="rx-rule-check-setting")

urlpatterns: list[URLPattern | URLResolver] = [
    path("check-types", views.CheckTypeListView.as_view(), name="rx-check-types"),
    *router.urls,
]
