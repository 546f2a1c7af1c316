from rest_framework.routers import SimpleRouter

from yigongti.core.outbox.api import views

router = SimpleRouter(trailing_slash=False)
router.register("failed-tasks", views.FailedTaskViewSet)
router.register("outbox-destinations", views.OutboxDestinationViewSet)
router.register("outbox-messages", views.OutboxMessageViewSet)

urlpatterns = router.urls
