from rest_framework.routers import SimpleRouter

from yigongti.core.workflow.api import views

router = SimpleRouter(trailing_slash=False)
router.register("approval-settings", views.ApprovalSettingViewSet)
router.register("definitions", views.WorkflowDefinitionViewSet, basename="workflow-definition")

urlpatterns = router.urls
