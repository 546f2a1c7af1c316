from rest_framework.routers import SimpleRouter

from yigongti.core.audit.api import AuditLogViewSet, LoginLogViewSet

router = SimpleRouter(trailing_slash=False)
router.register("logs", AuditLogViewSet, basename="audit-log")
router.register("login-logs", LoginLogViewSet, basename="login-log")
urlpatterns = router.urls
